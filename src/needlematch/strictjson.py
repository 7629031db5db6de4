"""JSON as needlematch reads it: UTF-8, strict (no repeated keys, NaN or lone surrogates) and bounded, with plain errors."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from needlematch.limits import MAX_JSON_DEPTH, MAX_NUMBER_DIGITS

_BOM = b"\xef\xbb\xbf"


class JsonProblem(ValueError):
    """Why a JSON text cannot be used, in words a person can act on; where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)

    def where(self) -> str:
        """'line 3, column 7: ' (or less), to put in front of the message."""
        if self.line is None:
            return ""
        column = f", column {self.column}" if self.column is not None else ""
        return f"line {self.line}{column}: "


def decode_utf8(data: bytes) -> str:
    """`data` as text: UTF-8 with an optional byte-order mark, else a JsonProblem saying where."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as undecodable:
        start = undecodable.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise JsonProblem(
            f"not UTF-8 text (byte 0x{data[start]:02x}); save it as UTF-8", line, column
        ) from None


def loads(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse one JSON value; raise JsonProblem for anything needlematch will not read.

    Refused: invalid JSON, a key given twice in one object, NaN and Infinity, a
    whole number longer than MAX_NUMBER_DIGITS, nesting deeper than `max_depth`
    (checked before parsing, so a flood of brackets costs one pass), and a lone
    surrogate escape such as "\\ud800", which is no character and cannot be printed.
    """
    _check_depth(text, max_depth)
    try:
        if text.startswith("\ufeff"):  # what json.loads refuses before decoding
            return json.loads(text)
        value = _decoder().decode(text)
    except json.JSONDecodeError as broken:
        raise JsonProblem(f"invalid JSON: {broken.msg}", broken.lineno, broken.colno) from None
    except RecursionError:  # a safety net: _check_depth should have refused it
        raise JsonProblem(f"nested more than {max_depth} levels deep") from None
    # Only an escape can make a lone surrogate in text decoded from UTF-8; look for one
    # only then (or in text from elsewhere that holds one), not in every case of a batch.
    place = _lone_surrogate(value, "") if "\\u" in text or _SURROGATE.search(text) else None
    if place is not None:
        where = f" in {place}" if place else ""
        raise JsonProblem(
            f"a lone surrogate escape (\\ud800 to \\udfff){where}: it is no character; "
            "write the character itself"
        )
    return value


@functools.cache
def _decoder() -> json.JSONDecoder:
    # One decoder for every call: json.loads with these options builds a new decoder
    # (and its scanner) each time, which a batch would do once per case.
    return json.JSONDecoder(
        object_pairs_hook=_object, parse_int=_whole_number, parse_constant=_not_a_number
    )


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _check_depth(text: str, max_depth: int) -> None:
    if text.count("[") + text.count("{") <= max_depth:
        return  # too few brackets to nest that deep: the common case, one cheap pass
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        if depth > max_depth:
            raise JsonProblem(
                f"arrays and objects nested more than {max_depth} levels deep: "
                "this is not a file needlematch reads"
            )


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise JsonProblem(f"duplicate key '{_shown(key)}' in one JSON object: keep only one")
        found[key] = value
    return found


def _whole_number(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_NUMBER_DIGITS:
        raise JsonProblem(
            f"a number {count:,} digits long: no field takes more than {MAX_NUMBER_DIGITS} digits"
        )
    return int(digits)


def _not_a_number(name: str) -> Any:
    raise JsonProblem(f"{name} is not a number JSON allows: give a finite number")


def _shown(key: str) -> str:
    return key if len(key) <= 40 else key[:40] + "..."


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any, place: str) -> str | None:
    """Where the first string (key or value) holding a lone surrogate is, or None."""
    if isinstance(value, str):
        return place if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{place}.{key}" if place else str(key)
            if _SURROGATE.search(key):
                return place or "a key"
            found = _lone_surrogate(item, inner)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _lone_surrogate(item, f"{place}[{index}]")
            if found is not None:
                return found
    return None
