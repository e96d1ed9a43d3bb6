"""Trace a request: the fields of a JSON line, and filter patterns built only from values they express exactly."""

from __future__ import annotations

import json

import pytest

from kojan_tui.core.log_trace import MAX_VALUE_CHARS, TraceField, TraceRefused, filter_pattern, line_fields


def test_fields_of_a_json_line_request_like_first_nested_as_dotted_paths():
    raw = json.dumps(
        {"time": "t", "level": "INFO", "status": 500, "ok": True, "user": {"id": "u-1", "roles": ["a"]}, "request_id": "r-9"}
    )
    fields = line_fields(raw)
    assert fields[0] == TraceField("request_id", "r-9")
    assert TraceField("user.id", "u-1") in fields and TraceField("status", 500) in fields
    assert all(f.path not in ("ok", "user.roles") for f in fields)  # booleans and lists are not traced


@pytest.mark.parametrize(("raw", "key"), [("plain text", "not-json"), ("[1, 2]", "not-json"), ('{"a": [1]}', "no-fields")])
def test_lines_with_nothing_to_trace_say_so(raw, key):
    with pytest.raises(TraceRefused) as raised:
        line_fields(raw)
    assert raised.value.key == key and raised.value.text("ja")


def test_a_request_id_becomes_a_json_equality_pattern_the_filter_matches_exactly():
    pattern = filter_pattern("request_id", "7d1c2a9e-0b3f-4c1d")
    assert pattern == '{ $.request_id = "7d1c2a9e-0b3f-4c1d" }'  # matched by the embedded AWS: tests/demo


def test_numbers_paths_with_brackets_and_spaces_inside_are_expressed():
    assert filter_pattern("status", 503) == "{ $.status = 503 }"
    assert filter_pattern("user.id", "a b") == '{ $.user.id = "a b" }'
    assert filter_pattern("path", "/api/items[3](x)?q=1&r=ü") == '{ $.path = "/api/items[3](x)?q=1&r=ü" }'


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ('ab"c', "quote"),
        ('" } || { $.x = "', "quote"),
        ("a\\b", "backslash"),
        ("a\\", "backslash"),
        ("Update*", "wildcard"),
        ("{x}", "brace"),
        ("a}", "brace"),
        ("line\nbreak", "control"),
        ("tab\there", "control"),
        ("zero\u200bwidth", "control"),
        ("bidi\u202e", "control"),
        ("esc\x1b[31m", "control"),
        ("lone \udcff", "control"),
        (" padded", "space"),
        ("padded ", "space"),
        ("", "empty"),
        ("x" * (MAX_VALUE_CHARS + 1), "long"),
    ],
)
def test_hostile_values_are_refused_with_a_reason(value, key):
    with pytest.raises(TraceRefused) as raised:
        filter_pattern("request_id", value)
    assert raised.value.key == key
    assert raised.value.text("en") != raised.value.text("ja")


@pytest.mark.parametrize(("path", "value", "key"), [("a-b", "x", "name"), ("a..b", "x", "name"), ('a"', "x", "name"),
                                                      ("n", 10**20, "number"), ("n", True, "type"), ("n", 1.5, "type")])  # fmt: skip
def test_names_and_values_no_pattern_can_hold_are_refused(path, value, key):
    with pytest.raises(TraceRefused) as raised:
        filter_pattern(path, value)
    assert raised.value.key == key


def test_the_longest_value_accepted_still_makes_a_pattern_aws_accepts():
    pattern = filter_pattern("request_id", "x" * MAX_VALUE_CHARS)
    assert len(pattern) <= 1024  # FilterLogEvents' limit on filterPattern
