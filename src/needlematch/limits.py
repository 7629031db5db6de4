"""How much needlematch reads, in one place: every input is measured against these before any work."""

from __future__ import annotations

# A description in the runner's own words, in characters. Longer texts are refused
# with this figure, not cut: a cut could drop a warning sign at the end.
MAX_DESCRIPTION_CHARS = 20_000

# The catalogue file, in bytes: the bundled one is about 0.1 MiB. Reading stops here,
# so `--catalogue /dev/zero` is refused at once instead of filling the memory.
MAX_CATALOGUE_BYTES = 8 * 1024 * 1024

# One case of a batch (one line of JSON Lines), in bytes: room for a description at
# its longest even with every character written as a \\u escape.
MAX_CASE_BYTES = 1024 * 1024

# A batch given as one JSON array or one pretty-printed object, in bytes.
MAX_WHOLE_BATCH_BYTES = 64 * 1024 * 1024

# How far past MAX_CASE_BYTES an over-long line is skipped, looking for its end,
# before the rest of the input is given up (a line of /dev/zero never ends).
MAX_SKIPPED_BYTES = 64 * 1024 * 1024

# How deeply JSON arrays and objects may nest: a catalogue needs 7 levels, a case 2.
MAX_JSON_DEPTH = 32

# The most digits a JSON whole number may have (no field needs more than three).
MAX_NUMBER_DIGITS = 30


def description_too_long(text: str) -> str | None:
    """Why `text` is too long to read as a description, or None when it is not."""
    if len(text) <= MAX_DESCRIPTION_CHARS:
        return None
    return (
        f"the description is {len(text):,} characters long; the most needlematch reads "
        f"is {MAX_DESCRIPTION_CHARS:,}: shorten it to what matters most"
    )


def size_in_words(count: int) -> str:
    """A byte count as a person reads it: "8 MiB", "64 KiB", "512 bytes"."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"
