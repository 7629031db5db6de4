"""A batch of cases from raw bytes: lines split here, each decoded and validated alone, so a bad line spoils only itself.

Nothing here opens a file: `raw_cases` takes a function that returns the next
bytes available (a stream's `read1`), so lines are handed on as they arrive and
a test can feed it plain bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from needlematch.limits import (
    MAX_CASE_BYTES,
    MAX_SKIPPED_BYTES,
    MAX_WHOLE_BATCH_BYTES,
    description_too_long,
    size_in_words,
)
from needlematch.strictjson import JsonProblem, decode_utf8, loads
from needlematch.symptoms import Symptoms

Read = Callable[[int], bytes]

_CHUNK = 64 * 1024
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


@dataclass(frozen=True, slots=True)
class RawCase:
    """One case as read: its line number (its position, in a JSON array) and what it holds.

    `data` is the line's bytes, or the case already parsed (an element of a JSON
    array, or a pretty-printed object); `problem` says why the line was not kept.
    """

    number: int
    data: bytes | Any = None
    problem: str | None = None


class BadCase(ValueError):
    """Why one case cannot be assessed, in words a person can act on; the column, when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(message)

    def located(self) -> str:
        """The message with its column in front: 'column 2: invalid JSON: ...'."""
        return f"column {self.column}: {self.message}" if self.column else self.message


class _Input:
    """Bytes read so far and not yet handed on, over a `read` function."""

    def __init__(self, read: Read) -> None:
        self.read = read
        self.buffer = bytearray()
        self.ended = False

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the input."""
        if self.ended:
            return False
        chunk = self.read(_CHUNK)
        if not chunk:
            self.ended = True
            return False
        self.buffer += chunk
        return True


def raw_cases(read: Read) -> Iterator[RawCase]:
    """Every non-blank line of the input as a RawCase, as soon as it is complete.

    The whole input is one case list only when it is one JSON array, or one
    pretty-printed object (a first line that is only "{"); otherwise every line is
    a case of its own, and an array or a lone "{" on a line is that line's error.
    A line longer than MAX_CASE_BYTES is reported and skipped to its end.
    """
    source = _Input(read)
    whole = _whole_input(source)
    if whole is not None:
        yield from whole
        return
    yield from _lines(source)


def _whole_input(source: _Input) -> list[RawCase] | None:
    """The cases of an input that is one JSON array or one pretty-printed object, else None.

    Reads ahead only when the input starts like one; what was read stays in the
    buffer for the line reader when it turns out not to be.
    """
    while True:
        if source.buffer.startswith(_BOM):
            del source.buffer[: len(_BOM)]
            continue
        arriving = len(source.buffer) < len(_BOM) and _BOM.startswith(source.buffer)
        if arriving and source.fill():  # nothing yet, or what may be the start of a BOM
            continue
        start = len(source.buffer) - len(source.buffer.lstrip(_WHITESPACE))
        if start < len(source.buffer) or start > MAX_CASE_BYTES or not source.fill():
            break
    if start >= len(source.buffer):
        return None
    opening = source.buffer[start : start + 1]
    if opening == b"{":
        while source.buffer.find(b"\n", start) < 0 and len(source.buffer) <= MAX_CASE_BYTES:
            if not source.fill():
                break
        end = source.buffer.find(b"\n", start)
        first_line = source.buffer[start : end if end >= 0 else len(source.buffer)]
        if first_line.strip() != b"{":
            return None
    elif opening != b"[":
        return None
    while len(source.buffer) <= MAX_WHOLE_BATCH_BYTES and source.fill():
        pass
    if not source.ended:
        return None
    try:
        value = loads(decode_utf8(bytes(source.buffer)))
    except JsonProblem:
        return None  # not one JSON value: read it line by line, each line with its error
    line = source.buffer.count(b"\n", 0, start) + 1
    if opening == b"{" and isinstance(value, dict):
        return [RawCase(line, value)]
    if opening == b"[" and isinstance(value, list):
        return [RawCase(index, case) for index, case in enumerate(value, start=1)]
    return None


def _lines(source: _Input) -> Iterator[RawCase]:
    number = 0
    scanned = 0  # the buffer holds no newline before this
    buffer = source.buffer
    while True:
        newline = buffer.find(b"\n", scanned)
        if newline < 0:
            scanned = len(buffer)
            if len(buffer) <= MAX_CASE_BYTES and source.fill():
                continue
            if len(buffer) <= MAX_CASE_BYTES:  # the end, without a final newline
                if buffer.strip():
                    yield RawCase(number + 1, bytes(buffer))
                return
            number += 1
            if not _skip_to_line_end(source):
                yield RawCase(
                    number,
                    problem=f"longer than {size_in_words(MAX_CASE_BYTES)}, the most one case may "
                    f"take, and still not ended after {size_in_words(MAX_SKIPPED_BYTES)}: "
                    "the rest of the input was not read",
                )
                return
            yield RawCase(number, problem=_too_long())
            scanned = 0
            continue
        number += 1
        line = bytes(buffer[:newline])
        del buffer[: newline + 1]
        scanned = 0
        if len(line) > MAX_CASE_BYTES:
            yield RawCase(number, problem=_too_long())
        elif line.strip():
            yield RawCase(number, line)


def _too_long() -> str:
    return (
        f"longer than {size_in_words(MAX_CASE_BYTES)}, the most one case may take: "
        "give one object of symptoms per line"
    )


def _skip_to_line_end(source: _Input) -> bool:
    """Drop the rest of an over-long line; False if it does not end within MAX_SKIPPED_BYTES."""
    skipped = 0
    buffer = source.buffer
    while True:
        newline = buffer.find(b"\n")
        if newline >= 0:
            del buffer[: newline + 1]
            return True
        skipped += len(buffer)
        buffer.clear()
        if skipped > MAX_SKIPPED_BYTES:
            return False
        if not source.fill():
            return True


def symptoms_of(case: RawCase) -> Symptoms:
    """The Symptoms of one case, checked in full; raises BadCase saying what is wrong.

    Numbers are strict ("severity": "5" is a string, not a pain score), keys may
    not repeat, and a description may not be longer than the free-text limit.
    The description is not read here: `merge_text` does that.
    """
    if case.problem is not None:
        raise BadCase(case.problem)
    raw = case.data
    if isinstance(raw, bytes):
        try:
            raw = loads(decode_utf8(raw))
        except JsonProblem as broken:
            raise BadCase(broken.message, broken.column) from None
        if isinstance(raw, list):
            raise BadCase(
                "a JSON array is read only as the whole input; give one object of symptoms per line"
            )
    if not isinstance(raw, dict):
        raise BadCase("expected a JSON object of symptoms")
    text = raw.get("text")
    if isinstance(text, str):
        too_long = description_too_long(text)
        if too_long:
            raise BadCase("text: " + too_long)
    try:
        return Symptoms.model_validate(raw, strict=True)
    except ValidationError as invalid:
        raise BadCase(validation_message(invalid)) from None


def case_symptoms(case: RawCase) -> Symptoms:
    """The Symptoms of one case with its description read: what a batch line is assessed on.

    The line's own terms come first and its onset and severity win, so replaying a
    result's `symptoms` (text included) changes nothing. Raises BadCase.
    """
    symptoms = symptoms_of(case)
    if not symptoms.text:
        return symptoms
    from needlematch.engine import said_in  # the words read once for scoring and counting

    try:
        return symptoms.merged(said_in(symptoms.text), own_values_win=True)
    except ValidationError as clash:
        raise BadCase(validation_message(clash)) from None


def validation_message(invalid: ValidationError) -> str:
    """A pydantic error as one line: each problem with the field it is in."""
    messages = []
    for detail in invalid.errors(include_url=False):
        message = detail["msg"].removeprefix("Value error, ")
        given = detail.get("input")
        if detail["type"] in {"int_type", "float_type", "bool_type"} and isinstance(given, str):
            shown = given if len(given) <= 20 else given[:20] + "..."
            message += f", not the string {shown!r}: write it without quotes"
        place = ".".join(str(step) for step in detail["loc"])
        messages.append(f"{place}: {message}" if place else message)
    return "; ".join(messages)
