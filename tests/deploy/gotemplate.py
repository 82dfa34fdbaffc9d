"""A tiny renderer of the Go-template subset the Healthbook chart uses (no helm binary here).

Supported: text with `{{- -}}` trimming and `{{/* comments */}}`; actions with pipelines of
fields (`.Values.a.b`), variables (`$`, `$name.field`), string and number literals and
parenthesised commands (`(index $m "k").port`); `$x := ...`; `if / else if / else / end`;
`range [$k[, $v] :=] ... [else] end` (maps in key order, as Go does); `define` + `include`;
and the functions listed in :data:`FUNCTIONS`. Anything else raises `TemplateError`, so a
template that leaves this subset fails its test instead of rendering wrongly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from tests.deploy.template_syntax import Node, TemplateError, Token, parse

__all__ = ["FUNCTIONS", "Renderer", "TemplateError", "parse"]


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and not (isinstance(value, (list, dict)) and not value)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return str(value)
    return str(value)


def _printf(form: str, *args: Any) -> str:
    values = iter(args)
    return re.sub(r"%[svdq]", lambda m: _verb(m.group(), next(values)), form)


def _verb(verb: str, value: Any) -> str:
    return json.dumps(text_of(value)) if verb == "%q" else text_of(value)


def _required(message: str, value: Any) -> Any:
    if value is None or value == "":
        raise TemplateError(message)
    return value


def _index(collection: Any, *keys: Any) -> Any:
    for key in keys:
        collection = collection[int(key)] if isinstance(collection, list) else collection.get(key)
    return collection


def _to_yaml(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True).rstrip("\n")


def _indent(width: int, text: str) -> str:
    return "\n".join(" " * width + line for line in str(text).split("\n"))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "and": lambda *a: next((x for x in a if not truthy(x)), a[-1]),
    "or": lambda *a: next((x for x in a if truthy(x)), a[-1]),
    "not": lambda a: not truthy(a),
    "eq": lambda a, *b: any(a == x for x in b),
    "ne": lambda a, b: a != b,
    "default": lambda fallback, value=None: value if truthy(value) else fallback,
    "required": _required,
    "quote": lambda *a: " ".join(json.dumps(text_of(x)) for x in a),
    "toString": text_of,
    "upper": lambda s: text_of(s).upper(),
    "lower": lambda s: text_of(s).lower(),
    "trunc": lambda n, s: text_of(s)[: int(n)],
    "trimSuffix": lambda suffix, s: text_of(s).removesuffix(suffix),
    "contains": lambda part, s: part in text_of(s),
    "printf": _printf,
    "dict": lambda *a: {a[i]: a[i + 1] for i in range(0, len(a), 2)},
    "list": lambda *a: list(a),
    "index": _index,
    "toYaml": _to_yaml,
    "indent": _indent,
    "nindent": lambda width, text: "\n" + _indent(width, text),
}


class Renderer:
    """Renders the templates of one chart against its values."""

    def __init__(self, templates: Mapping[str, str]) -> None:
        self.trees = {name: parse(source) for name, source in templates.items()}
        self.defines: dict[str, list[Node]] = {}
        for tree in self.trees.values():
            for node in tree:
                if node.kind == "define":
                    self.defines[json.loads(node.tokens[0].text)] = node.branches[0][1]

    def render(self, name: str, dot: Any) -> str:
        return self._nodes(self.trees[name], dot, {"$": dot})

    def _nodes(self, nodes: list[Node], dot: Any, scope: dict[str, Any]) -> str:
        out: list[str] = []
        for node in nodes:
            if node.kind == "text":
                out.append(node.text)
            elif node.kind == "action":
                value = self._statement(node.tokens, dot, scope)
                out.append("" if value is _DECLARED else text_of(value))
            elif node.kind == "if":
                for condition, body in node.branches:
                    if truthy(self._pipeline(condition, dot, scope)):
                        out.append(self._nodes(body, dot, dict(scope)))
                        break
                else:
                    out.append(self._nodes(node.otherwise, dot, dict(scope)))
            elif node.kind == "range":
                out.append(self._range(node, dot, scope))
        return "".join(out)

    def _range(self, node: Node, dot: Any, scope: dict[str, Any]) -> str:
        words = node.tokens
        names: list[str] = []
        if any(t.kind == "declare" for t in words):
            split = next(i for i, t in enumerate(words) if t.kind == "declare")
            names = [t.text for t in words[:split] if t.kind == "var"]
            words = words[split + 1 :]
        collection = self._pipeline(words, dot, scope)
        items = (
            sorted(collection.items())
            if isinstance(collection, dict)
            else list(enumerate(collection or []))
        )
        if not items:
            return self._nodes(node.otherwise, dot, dict(scope))
        out = []
        for key, value in items:
            inner = dict(scope)
            if len(names) == 1:
                inner[names[0]] = value
            elif len(names) == 2:
                inner[names[0]], inner[names[1]] = key, value
            out.append(self._nodes(node.branches[0][1], value, inner))
        return "".join(out)

    def _statement(self, words: list[Token], dot: Any, scope: dict[str, Any]) -> Any:
        if len(words) > 2 and words[0].kind == "var" and words[1].kind == "declare":
            scope[words[0].text] = self._pipeline(words[2:], dot, scope)
            return _DECLARED
        return self._pipeline(words, dot, scope)

    def _pipeline(self, words: list[Token], dot: Any, scope: dict[str, Any]) -> Any:
        commands: list[list[Token]] = [[]]
        depth = 0
        for token in words:
            depth += {"(": 1, ")": -1}.get(token.text, 0) if token.kind == "punct" else 0
            if token.text == "|" and token.kind == "punct" and depth == 0:
                commands.append([])
            else:
                commands[-1].append(token)
        value: Any = _NOTHING
        for command in commands:
            value = self._command(command, dot, scope, value)
        return value

    def _command(self, words: list[Token], dot: Any, scope: dict[str, Any], piped: Any) -> Any:
        operands = self._operands(words, dot, scope)
        head = words[0]
        if head.kind == "ident" and head.text not in ("true", "false", "nil"):
            args = operands[1:] + ([] if piped is _NOTHING else [piped])
            if head.text == "include":
                return self._nodes(self.defines[args[0]], args[1], {"$": args[1]})
            if head.text not in FUNCTIONS:
                raise TemplateError(f"function {head.text} is outside the supported subset")
            return FUNCTIONS[head.text](*args)
        if len(operands) != 1 or piped is not _NOTHING:
            raise TemplateError(f"cannot call {head.text}")
        return operands[0]

    def _operands(self, words: list[Token], dot: Any, scope: dict[str, Any]) -> list[Any]:
        values: list[Any] = []
        at = 0
        while at < len(words):
            token = words[at]
            at += 1
            if token.text == "(" and token.kind == "punct":
                depth, start = 1, at
                while depth:
                    depth += {"(": 1, ")": -1}.get(words[at].text, 0)
                    at += 1
                value = self._pipeline(words[start : at - 1], dot, scope)
                if at < len(words) and words[at].kind == "field" and not words[at].spaced:
                    value = _fields(value, words[at].text)
                    at += 1
                values.append(value)
            elif token.kind == "string":
                raw = token.text
                values.append(raw[1:-1] if raw.startswith("`") else json.loads(raw))
            elif token.kind == "number":
                values.append(float(token.text) if "." in token.text else int(token.text))
            elif token.kind == "field":
                values.append(_fields(dot, token.text))
            elif token.kind == "var":
                name, _, path = token.text.partition(".")
                if name not in scope:
                    raise TemplateError(f"undefined variable {name}")
                values.append(_fields(scope[name], f".{path}") if path else scope[name])
            elif token.kind == "ident":
                values.append({"true": True, "false": False, "nil": None}.get(token.text))
            else:
                raise TemplateError(f"unexpected {token.text!r}")
        return values


def _fields(value: Any, path: str) -> Any:
    for name in path.strip(".").split(".") if path != "." else []:
        if not isinstance(value, dict):
            raise TemplateError(f"nil pointer evaluating {path} (at {name})")
        value = value.get(name)
    return value


_NOTHING = object()
_DECLARED = object()
