"""The test renderer of the chart behaves like Go templates on the subset it supports."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.gotemplate import Renderer, TemplateError
from tests.deploy.helm_chart import merge


def _render(source: str, dot: Any, **more: str) -> str:
    return Renderer({"main": source, **more}).render("main", dot)


def test_trim_markers_eat_whitespace_on_their_side() -> None:
    assert _render("a  \n {{- .x -}} \n  b", {"x": 1}) == "a1b"
    assert _render("a {{ .x }} b", {"x": 1}) == "a 1 b"


def test_comments_render_nothing() -> None:
    assert _render("a{{/* hidden */}}b{{- /* trimmed */ -}} c", {}) == "abc"


def test_range_walks_maps_in_key_order_with_key_and_value() -> None:
    source = "{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}"
    assert _render(source, {"m": {"b": 2, "a": 1}}) == "a=1;b=2;"


def test_range_sets_dot_and_falls_back_to_else_when_empty() -> None:
    source = "{{ range .l }}[{{ . }}]{{ else }}none{{ end }}"
    assert _render(source, {"l": ["x", "y"]}) == "[x][y]"
    assert _render(source, {"l": []}) == "none"


def test_if_else_if_else_pick_the_first_true_branch() -> None:
    source = "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}"
    assert [_render(source, d) for d in ({"a": 1}, {"b": "x"}, {"a": 0, "b": ""})] == [
        "A",
        "B",
        "C",
    ]


def test_variables_root_and_parenthesised_fields() -> None:
    source = '{{ $n := "k" }}{{ range .l }}{{ (index $.m $n).port }}{{ end }}'
    assert _render(source, {"l": [1], "m": {"k": {"port": 4000}}}) == "4000"


def test_pipelines_pass_the_value_as_the_last_argument() -> None:
    assert _render('{{ .x | default "d" | upper | quote }}', {"x": ""}) == '"D"'
    assert _render("{{ .x | toYaml | nindent 2 }}", {"x": {"b": 1, "a": [2]}}) == (
        "\n  a:\n  - 2\n  b: 1"
    )


def test_include_renders_a_define_with_the_given_dot() -> None:
    helpers = '{{- define "name" -}}{{ .first }}-{{ $.last }}{{- end -}}'
    source = '{{ include "name" (dict "first" "a" "last" "b") }}'
    assert _render(source, {}, helpers=helpers) == "a-b"


def test_required_stops_rendering_with_its_message() -> None:
    with pytest.raises(TemplateError, match="give x"):
        _render('{{ required "give x" .x }}', {"x": ""})


def test_fields_of_a_missing_map_fail_like_a_nil_pointer() -> None:
    assert _render("{{ .a }}", {}) == ""
    with pytest.raises(TemplateError, match="nil pointer"):
        _render("{{ .a.b }}", {})


@pytest.mark.parametrize("source", ["{{ with .x }}{{ end }}", "{{ sha256sum .x }}"])
def test_anything_outside_the_subset_is_refused(source: str) -> None:
    with pytest.raises(TemplateError):
        _render(source, {"x": 1})


def test_values_merge_maps_and_replace_everything_else() -> None:
    assert merge({"a": {"b": 1, "c": [1]}, "d": 1}, {"a": {"c": [2]}}) == {
        "a": {"b": 1, "c": [2]},
        "d": 1,
    }
