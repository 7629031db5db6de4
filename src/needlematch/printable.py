"""How things are shown to a person: text made safe (control characters become visible escapes), likelihoods as percentages."""

from __future__ import annotations

import functools
import re

# What must never reach a terminal as itself, whoever wrote it (a catalogue, a runner):
# C0 and C1 controls (ESC included) and DEL, which move the cursor or recolour the
# screen; the bidirectional overrides and isolates (U+202E turns "exe.txt" into
# "txt.exe"); the line and paragraph separators; and lone surrogates, which are no
# character at all. Newlines and tabs are kept.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]"

# In JSON text these may only stand inside strings, so escaping them everywhere is
# safe: C0 controls other than the whitespace that lays JSON out (json.dumps escapes
# them already), DEL and C1 controls, U+2028 and U+2029 (line breaks to JavaScript and
# to many line-based readers), the bidirectional controls (for whoever prints a field),
# and lone surrogates (which no UTF-8 output can carry).
_JSON_UNSAFE = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # Compiled on first use: most runs (a JSON result of plain text) never need them.
    return re.compile(pattern)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (ESC -> "\\x1b", U+202E -> "\\u202e")."""
    return _compiled(_CONTROL).sub(_escape, text)


def json_safe(document: str) -> str:
    """A JSON text with every control, separator and lone surrogate written as a \\u escape."""
    if document.isascii() and document.isprintable():
        return document  # the usual case, checked in C: no control, nothing outside ASCII
    return _compiled(_JSON_UNSAFE).sub(lambda found: f"\\u{ord(found.group()):04x}", document)


def percent(probability: float) -> str:
    """A likelihood as a person reads it: "64%", and "<1%" or ">99%" rather than "0%" or "100%"."""
    if probability >= 0.995:
        return ">99%"
    if probability < 0.005:
        return "<1%"
    return f"{probability * 100:.0f}%"
