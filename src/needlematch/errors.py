"""The one exception type needlematch raises for input or data it cannot use, and its kinds."""

from __future__ import annotations


class NeedlematchError(Exception):
    """Input or data needlematch cannot use, said as the command line says it.

    `str(error)` is what `needlematch` prints after "needlematch: error: ":
    `message`, then each of `details` on a line of its own, indented by two
    spaces. `exit_code` is the command line's exit status for it: 2 for a usage
    problem (the symptoms), 1 for bad data (the catalogue).
    """

    exit_code: int = 2

    def __init__(self, message: str, *details: str) -> None:
        self.message = message
        self.details = details
        super().__init__("\n  ".join((message, *details)))


class SymptomsError(NeedlematchError):
    """Symptoms that cannot be assessed: an unknown term, a term both present and absent,
    a value out of range, or a description too long or naming nothing to match."""
