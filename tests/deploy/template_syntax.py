"""Go-template syntax for the chart renderer: actions, tokens and the node tree.

`{{- -}}` trimming and `{{/* comments */}}` are handled here; `with`, `template`, `block`,
`break` and `continue` are refused (outside the subset the chart uses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class TemplateError(ValueError):
    """The template is outside the subset, or `required`/`fail` stopped rendering."""


_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<string>"(?:[^"\\]|\\.)*"|`[^`]*`)|(?P<number>-?\d+(?:\.\d+)?)
    |(?P<declare>:=)|(?P<var>\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(?P<field>(?:\.[A-Za-z0-9_]+)+|\.)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[()|,=])""",
    re.VERBOSE,
)


@dataclass
class Token:
    kind: str
    text: str
    spaced: bool  # whitespace before it


@dataclass
class Node:
    kind: str  # text, action, if, range, define
    text: str = ""
    tokens: list[Token] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    branches: list[tuple[list[Token], list[Node]]] = field(default_factory=list)
    otherwise: list[Node] = field(default_factory=list)


def tokens(source: str) -> list[Token]:
    found: list[Token] = []
    position, spaced = 0, False
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise TemplateError(f"cannot read {source[position:]!r}")
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "space":
            spaced = True
            continue
        found.append(Token(kind, match.group(), spaced))
        spaced = False
    return found


def parse(source: str) -> list[Node]:
    """The node tree of one template file."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _ACTION.finditer(source):
        text = source[position : match.start()]
        if match.group(1):
            text = text.rstrip()
        if pieces and pieces[-1][0] == "trim-next":
            pieces.pop()
            text = text.lstrip()
        pieces.append(("text", text))
        body = match.group(2).strip()
        if not body.startswith("/*"):
            pieces.append(("action", body))
        if match.group(3):
            pieces.append(("trim-next", ""))
        position = match.end()
    tail = source[position:]
    if pieces and pieces[-1][0] == "trim-next":
        pieces.pop()
        tail = tail.lstrip()
    pieces.append(("text", tail))
    nodes, rest = _block(pieces, 0, top=True)
    assert rest == len(pieces)
    return nodes


def _block(pieces: list[tuple[str, str]], at: int, *, top: bool = False) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while at < len(pieces):
        kind, text = pieces[at]
        at += 1
        if kind == "text":
            if text:
                nodes.append(Node("text", text=text))
            continue
        words = tokens(text)
        head = words[0].text if words and words[0].kind == "ident" else ""
        if head in ("end", "else"):
            if top:
                raise TemplateError(f"unexpected {{{{{text}}}}}")
            return nodes, at - 1
        if head in ("if", "range", "define"):
            node = Node(head, tokens=words[1:])
            body, at = _block(pieces, at)
            node.branches.append((words[1:], body))
            while pieces[at][1].startswith("else"):
                rest = tokens(pieces[at][1])[1:]
                if rest and head == "if" and rest[0].text == "if":
                    body, at = _block(pieces, at + 1)
                    node.branches.append((rest[1:], body))
                else:
                    node.otherwise, at = _block(pieces, at + 1)
            at += 1  # the end
            nodes.append(node)
            continue
        if head in ("with", "template", "block", "break", "continue"):
            raise TemplateError(f"{head} is outside the supported subset")
        nodes.append(Node("action", tokens=words))
    if not top:
        raise TemplateError("missing {{ end }}")
    return nodes, at
