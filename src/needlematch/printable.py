"""How things are shown to a person: text made safe (control characters become visible escapes), likelihoods as percentages."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC included) and DEL; newlines and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (ESC -> "\\x1b"), so it cannot move the cursor."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def percent(probability: float) -> str:
    """A likelihood as a person reads it: "64%", and "<1%" or ">99%" rather than "0%" or "100%"."""
    if probability >= 0.995:
        return ">99%"
    if probability < 0.005:
        return "<1%"
    return f"{probability * 100:.0f}%"
