"""The public Python API: assess symptoms given as Symptoms, a dict or a description, by the command line's rules and with its messages.

`needlematch/__init__.py` exports these. Nothing here prints, prompts or exits:
bad input raises a NeedlematchError whose text is what `needlematch` prints
after "needlematch: error: ".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from needlematch.errors import NeedlematchError, SymptomsError

if TYPE_CHECKING:
    from needlematch.assessment import Assessment
    from needlematch.catalogue import Catalogue
    from needlematch.symptoms import Symptoms


def check_description(text: str) -> str:
    """`text` as given, or a SymptomsError when it is too long or holds what no text holds."""
    from needlematch.limits import description_too_long

    too_long = description_too_long(text)
    if too_long:
        raise SymptomsError(too_long)
    if any("\ud800" <= character <= "\udfff" for character in text):
        # Python holds bytes that are not UTF-8 in an argument as lone surrogates.
        raise SymptomsError("the description is not UTF-8 text: type it again as plain text")
    return text


def nothing_to_match(description: str | None, catalogue: Catalogue | None) -> SymptomsError:
    """The error for symptoms that say nothing about the pain, naming any injury the text names."""
    from needlematch.vocabulary import TERM_IDS_BY_DIMENSION

    regions = ", ".join(TERM_IDS_BY_DIMENSION["where"])
    named = catalogue.named_in(description) if catalogue is not None and description else []
    return SymptomsError(
        "nothing to match: describe where and how it hurts",
        'Example: needlematch match "dull ache around my kneecap, worse on stairs"',
        f"or with flags: needlematch match --where knee --part around (regions: {regions})",
        *(f"To read about {injury.name}: needlematch show {injury.id}" for injury in named),
    )


def understand(text: str) -> Symptoms:
    """The Symptoms a description in plain English gives, read as `needlematch match TEXT` reads it.

    Words the reader does not know are left out. Raises SymptomsError when the
    text is longer than the command line reads or is not text.
    """
    from needlematch.parse import understand as read

    return read(check_description(text)).symptoms


def assess(
    symptoms_or_text: Symptoms | Mapping[str, Any] | str,
    *,
    catalogue: Catalogue | str | os.PathLike[str] | None = None,
) -> Assessment:
    """Rank the injuries that fit these symptoms, explain each, triage, and pick the next question.

    `symptoms_or_text` is one of:

    - a description (`str`), read as `needlematch match TEXT` reads it: it must say
      something about the pain, or a SymptomsError says what to give;
    - a dict of Symptoms fields, read as a line of `needlematch match --symptoms`:
      term ids, numbers as numbers, and any `text` read and added;
    - a Symptoms, read the same way.

    `catalogue` is a Catalogue (see `load_catalogue`), the path of a catalogue file
    (validated on every call: load it once for many calls), or None for the one
    the command line uses ($NEEDLEMATCH_CATALOGUE, else the bundled catalogue;
    read once per process while the file stays the same).

    The result's `model_dump(mode="json", by_alias=True)` is what `needlematch
    match --json` prints for the same input. Raises NeedlematchError (a
    SymptomsError for the symptoms, a CatalogueError for the catalogue).
    """
    from needlematch.engine import assess as rank_and_explain
    from needlematch.symptoms import Symptoms

    chosen = _catalogue(catalogue)
    if isinstance(symptoms_or_text, str):
        description = check_description(symptoms_or_text)
        from needlematch.parse import understand as read

        symptoms = read(description).symptoms.merged(Symptoms())
        if not symptoms.describes_pain():
            raise nothing_to_match(description, chosen)
    elif isinstance(symptoms_or_text, Symptoms):
        symptoms = _case(symptoms_or_text.model_dump())
    elif isinstance(symptoms_or_text, Mapping):
        symptoms = _case(dict(symptoms_or_text))
    else:
        raise SymptomsError(
            "assess takes Symptoms, a dict of their fields or a description, "
            f"not {type(symptoms_or_text).__name__}"
        )
    return rank_and_explain(symptoms, chosen)


def _case(fields: dict[str, Any]) -> Symptoms:
    """Symptoms from their fields, checked and read as one line of a batch is."""
    from needlematch.batch import BadCase, RawCase, case_symptoms

    text = fields.get("text")
    if isinstance(text, str) and any("\ud800" <= character <= "\udfff" for character in text):
        raise SymptomsError("text: the description is not UTF-8 text: type it again as plain text")
    try:
        return case_symptoms(RawCase(1, fields))
    except BadCase as bad:
        raise SymptomsError(bad.located()) from None


# The catalogue None stands for, by where it is and the file's size and modification time.
_DEFAULT: dict[str, tuple[tuple[int, int], Catalogue]] = {}


def _catalogue(chosen: Catalogue | str | os.PathLike[str] | None) -> Catalogue:
    from needlematch.catalogue import Catalogue, catalogue_path, load_catalogue

    if isinstance(chosen, Catalogue):
        return chosen
    if chosen is not None:
        if not os.fspath(chosen):
            raise NeedlematchError(
                "the catalogue was given as an empty path: give a catalogue file"
            )
        return load_catalogue(chosen)
    path = catalogue_path()
    try:
        status = os.stat(path)
        stamp = (status.st_size, status.st_mtime_ns)
    except OSError:
        return load_catalogue()  # it says what is wrong with the file
    known = _DEFAULT.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    loaded = load_catalogue()
    _DEFAULT.clear()
    _DEFAULT[str(path)] = (stamp, loaded)
    return loaded
