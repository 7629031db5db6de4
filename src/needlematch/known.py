"""What a set of answers already settles: implied terms, the screen's silent "no"s, overlapping places, and the follow-up count.

Pure functions of a `Symptoms`, shared by the engine (what to score and what
not to ask again), the triage (which warning signs are met) and the interview.
The data they read lives in `vocabulary.py`: IMPLIES, PLACE_OVERLAPS, SCREEN.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from needlematch.vocabulary import (
    IMPLIES,
    PLACE_OVERLAPS,
    REGION_PARTS,
    TERM_APPLIES,
    TERM_IDS_BY_DIMENSION,
    TERMS_BY_ID,
    screen_terms,
    term_applies,
)

if TYPE_CHECKING:
    from needlematch.symptoms import Symptoms

# Where it hurts and which part are the opening of every interview, not follow-ups.
OPENING_DIMENSIONS = frozenset({"where", "part"})

# Dimensions of which a runner reports one value: once one is known, the others are answered.
SINGLE_VALUED = frozenset({"onset"})

_IMPLIED_BY: dict[str, tuple[str, ...]] = {}
for _implier, _implied in IMPLIES.items():
    for _term in _implied:
        _IMPLIED_BY[_term] = (*_IMPLIED_BY.get(_term, ()), _implier)


def _reached(terms: Iterable[str], edges: dict[str, tuple[str, ...]]) -> list[str]:
    """Every term the given ones lead to along `edges`, transitively, not counting themselves."""
    given = list(dict.fromkeys(terms))
    if edges.keys().isdisjoint(given):
        return []  # nearly every case: nothing to follow
    seen = set(given)
    found: list[str] = []
    queue = list(given)
    while queue:
        for term in edges.get(queue.pop(0), ()):
            if term not in seen:
                seen.add(term)
                found.append(term)
                queue.append(term)
    return found


def implied(terms: Iterable[str]) -> list[str]:
    """Every term the given ones imply, transitively, not counting themselves, in a stable order."""
    return _reached(terms, IMPLIES)


def implied_absent(terms: Iterable[str]) -> list[str]:
    """Every term ruled out by these being absent: a "no" to an implied term is a "no" to its implier."""
    return _reached(terms, _IMPLIED_BY)


def screen_absent(symptoms: Symptoms) -> list[str]:
    """The screen's signs the runner left unticked (none until the screen is answered)."""
    if not symptoms.screened:
        return []
    given = set(symptoms.present()) | set(symptoms.unsure)
    return [term for term in screen_terms(symptoms.age, symptoms.sex) if term not in given]


def present_terms(symptoms: Symptoms) -> list[str]:
    """The terms reported present and those they imply (unless reported absent)."""
    present = symptoms.present()
    denied = set(symptoms.absent)
    return [*present, *(term for term in implied(present) if term not in denied)]


def absent_terms(symptoms: Symptoms) -> list[str]:
    """The terms reported absent and the screen's unticked signs, as scored."""
    absent = list(symptoms.absent)
    listed = set(absent)
    return [*absent, *(term for term in screen_absent(symptoms) if term not in listed)]


def places(symptoms: Symptoms) -> list[str]:
    """The places reported and the places they overlap given the part (the back of the ankle: the Achilles)."""
    found = list(symptoms.where)
    # "Behind the outside ankle bone" is the side of the ankle, not the Achilles tendon.
    sided = bool({"inner", "outer"} & set(symptoms.part))
    for place in symptoms.where:
        for part in symptoms.part:
            if sided and part == "back" and place == "ankle":
                continue
            for other in PLACE_OVERLAPS.get((place, part), ()):
                if other not in found:
                    found.append(other)
    return found


def flag_terms(symptoms: Symptoms, present: Iterable[str] | None = None) -> set[str]:
    """What the warning signs are checked against: reported, implied and overlapping places.

    `present`, when given, is `present_terms(symptoms)`, already worked out.
    """
    found = set(present_terms(symptoms) if present is None else present)
    found.update(places(symptoms))
    return found


def region_parts(symptoms: Symptoms) -> tuple[str, ...]:
    """The parts that fit the first place reported (none without a place)."""
    return REGION_PARTS.get(symptoms.where[0], ()) if symptoms.where else ()


def part_answered(symptoms: Symptoms) -> bool:
    """Which part is known, has no answer for this place, or the runner is not sure of any."""
    if symptoms.part:
        return True
    parts = region_parts(symptoms)
    said = set(symptoms.absent) | set(symptoms.unsure)
    return not parts or all(part in said for part in parts)


def answered(symptoms: Symptoms, skip: Iterable[str] = ()) -> set[str]:
    """Every term that must not be asked about: told, denied, not sure, screened, implied, or not for this person.

    Once one value of a single-valued dimension is known (a sudden start), its
    other values are answered too.
    """
    present = present_terms(symptoms)
    known = set(present) | set(symptoms.absent) | set(symptoms.unsure) | set(skip)
    known |= set(screen_absent(symptoms))
    known |= set(implied_absent(set(symptoms.absent) | set(screen_absent(symptoms))))
    settled = {TERMS_BY_ID[term].dimension for term in present} & SINGLE_VALUED
    for dimension in settled:
        known.update(TERM_IDS_BY_DIMENSION[dimension])
    # Only the terms with a rule can fail to apply: looked at alone, not the whole vocabulary.
    known.update(
        term for term in TERM_APPLIES if not term_applies(term, symptoms.age, symptoms.sex)
    )
    return known


def follow_ups_answered(symptoms: Symptoms, told: Iterable[str] = ()) -> int:
    """How many follow-up questions these symptoms have answered, for the 12-question cap.

    A follow-up is a term reported present, absent or "not sure" that is none
    of: where it hurts or the first part (the opening), one of the warning screen's
    signs once the screen is answered (the screen is one question), or a term
    in `told` (what the runner's own words already said, not asked). Implied
    terms are never in the symptoms, so they are never counted. Because the
    count is read from the symptoms alone, the cap holds across separate
    `match` calls.
    """
    screen = set(screen_terms(symptoms.age, symptoms.sex)) if symptoms.screened else set()
    skipped = screen | set(told)
    terms = {*symptoms.present(), *symptoms.absent, *symptoms.unsure}
    asked = sum(
        1
        for term in terms
        if TERMS_BY_ID[term].dimension not in OPENING_DIMENSIONS and term not in skipped
    )
    # "Which part?" takes one part; a second part asked as a yes/no (the top and the inner
    # side of the midfoot, for a warning sign) is a follow-up, whatever the answer. A part
    # "not sure" counts only once a part was chosen: "not sure" to "which part?" marks
    # every part of the place.
    parts = [term for term in symptoms.part if term not in skipped]
    other_parts = [
        term
        for term in (*symptoms.absent, *(symptoms.unsure if parts else ()))
        if TERMS_BY_ID[term].dimension == "part" and term not in skipped
    ]
    return asked + max(0, len(parts) - 1) + len(other_parts)
