"""Make text a user or a file supplied safe to show: control characters become visible escapes."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC included) and DEL; newlines and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (ESC -> "\\x1b"), so it cannot move the cursor."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)
