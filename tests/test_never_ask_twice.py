"""Never ask twice: a walk over the vocabulary showing that no two questions ask the same thing.

No two terms share a question; no screen line repeats another; once a term is
answered, nothing it implies (or that implies it, for a "no") is asked; once
the screen is answered, none of its signs is asked; a question that cannot
apply to the person (missed periods to a man or a child) is never put.
"""

from __future__ import annotations

from collections import Counter

import pytest

from needlematch.catalogue import Catalogue, load_catalogue
from needlematch.engine import MAX_QUESTIONS, next_question
from needlematch.known import implied, implied_absent
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import (
    IMPLIES,
    SCREEN,
    SCREEN_TERMS,
    TERMS,
    TERMS_BY_ID,
    screen_terms,
    term_applies,
)

CATALOGUE = load_catalogue()
PLACES = ("knee", "shin", "calf", "heel", "hip", "groin", "foot", "thigh-back")


def _asked(symptoms: Symptoms, catalogue: Catalogue) -> list[str]:
    """Every question term an interview asks from here, answering "no" to each."""
    asked: list[str] = []
    for _ in range(MAX_QUESTIONS + 3):
        question = next_question(symptoms, catalogue)
        if question is None:
            return asked
        if question.kind == "choice":
            # A pain score a warning sign hinges on: a mild one.
            assert question.term == "severity"
            symptoms = symptoms.model_copy(update={"severity": 3})
            continue
        assert question.kind == "yes-no", question.kind
        asked.append(question.term)
        symptoms = Symptoms.model_validate(
            {**symptoms.model_dump(), "absent": [*symptoms.absent, question.term]}
        )
    raise AssertionError(f"no stop: {asked}")


def _with(symptoms: Symptoms, term: str) -> Symptoms:
    dimension = TERMS_BY_ID[term].dimension
    if dimension == "onset":
        return symptoms.model_copy(update={"onset": term})
    if dimension == "sides":
        return symptoms.model_copy(update={"both_sides": True})
    fields = symptoms.model_dump()
    return Symptoms.model_validate({**fields, dimension: [*fields[dimension], term]})


def test_no_two_terms_share_a_question() -> None:
    repeated = [text for text, n in Counter(t.question.lower() for t in TERMS).items() if n > 1]
    assert not repeated


def test_no_two_screen_lines_ask_the_same_thing() -> None:
    labels = [label.lower() for _, label in SCREEN]
    assert len(set(labels)) == len(labels)
    assert len(set(SCREEN_TERMS)) == len(SCREEN_TERMS)
    assert all(TERMS_BY_ID[term].dimension == "signs" for term in SCREEN_TERMS)


def test_implications_are_vocabulary_data() -> None:
    for implier, implied_terms in IMPLIES.items():
        assert implier in TERMS_BY_ID
        assert all(term in TERMS_BY_ID and term != implier for term in implied_terms)
    assert "at-night" in implied(["night-pain"])
    assert {"walking", "hopping"} <= set(implied(["cannot-bear-weight"]))
    assert "night-pain" in implied_absent(["at-night"])


@pytest.mark.parametrize("implier", sorted(IMPLIES))
def test_an_implied_question_is_never_asked(implier: str) -> None:
    for place in PLACES:
        base = Symptoms(where=[place], part=["around"], screened=True, age=35, sex="female")
        told = _with(base, implier)
        asked = _asked(told, CATALOGUE)
        assert not set(asked) & set(implied([implier])), (place, asked)
        # And a "no" to what it implies answers it: it is not asked either.
        denied = base.model_copy(update={"absent": list(IMPLIES[implier])})
        assert implier not in _asked(denied, CATALOGUE), place


@pytest.mark.parametrize("place", PLACES)
def test_a_screened_sign_is_never_asked_again(place: str) -> None:
    for ticked in ([], ["swelling"], ["numbness", "bruising"]):
        symptoms = Symptoms(
            where=[place], part=["around"], signs=ticked, screened=True, age=30, sex="male"
        )
        asked = _asked(symptoms, CATALOGUE)
        assert not set(asked) & set(SCREEN_TERMS), (place, ticked, asked)
        assert len(asked) == len(set(asked))


@pytest.mark.parametrize(("age", "sex"), [(30, "male"), (10, "female"), (45, "female")])
def test_what_cannot_apply_to_the_person_is_never_offered(age: int, sex: str) -> None:
    shown = screen_terms(age, sex)
    for term in TERMS:
        if not term_applies(term.id, age, sex):
            assert term.id not in shown
            for place in PLACES:
                symptoms = Symptoms(where=[place], part=["around"], age=age, sex=sex)
                question = next_question(symptoms, CATALOGUE)
                assert question is not None and question.kind == "screen"
                assert term.id not in {option.answer for option in question.options}
                screened = symptoms.model_copy(update={"screened": True})
                assert term.id not in _asked(screened, CATALOGUE)
    assert ("missed-periods" in shown) == (sex == "female" and age >= 12)


def test_every_answered_term_is_never_asked_again() -> None:
    for place in PLACES:
        symptoms = Symptoms(where=[place], part=["around"], screened=True)
        asked = _asked(symptoms, CATALOGUE)
        assert len(asked) == len(set(asked)), (place, asked)
