"""symptoms_from_answers: the interview's answers become Symptoms, tested without any prompt."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from needlematch.known import absent_terms
from needlematch.questions import (
    ADAPTIVE_OPENING,
    FOLLOW_UPS,
    FULL_ORDER,
    NONE_OF_THESE,
    NOT_SURE,
    QUESTIONS,
    SCREENED_TERMS,
    story_items,
    symptoms_from_answers,
)
from needlematch.symptoms import Symptoms, symptoms_from_terms
from needlematch.vocabulary import TERMS_BY_ID

RUNNERS_KNEE = {
    "where": "knee",
    "part": "around",
    "both_sides": False,
    "when": ["during-run", "after-run"],
    "feels": ["dull-ache"],
    "triggers": ["stairs", "squatting", "sitting-long", "downhill"],
    "onset": "gradual",
    "severity": 4,
    "warning_signs": [NONE_OF_THESE],
}

IT_BAND = {
    "where": "knee",
    "part": "outer",
    "both_sides": False,
    "when": ["during-run"],
    "feels": ["sharp", "burning"],
    "triggers": ["downhill", "long-runs"],
    "onset": "gradual",
    "severity": 5,
    "warning_signs": [NONE_OF_THESE],
}


@dataclass
class FakeUnderstanding:
    symptoms: Symptoms
    unrecognised: list[str] = field(default_factory=list)


def fake_parser(symptoms: Symptoms) -> tuple[list[str], object]:
    calls: list[str] = []

    def understand(text: str) -> FakeUnderstanding:
        calls.append(text)
        return FakeUnderstanding(symptoms)

    return calls, understand


def test_typical_runners_knee_answers() -> None:
    symptoms = symptoms_from_answers(RUNNERS_KNEE)
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["around"]
    assert symptoms.when == ["during-run", "after-run"]
    assert symptoms.feels == ["dull-ache"]
    assert symptoms.triggers == ["stairs", "squatting", "sitting-long", "downhill"]
    assert symptoms.onset == "gradual"
    assert symptoms.severity == 4
    assert symptoms.both_sides is False
    assert "both-sides" in symptoms.absent
    assert symptoms.signs == []
    assert symptoms.text is None


def test_it_band_answers() -> None:
    symptoms = symptoms_from_answers(IT_BAND)
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["outer"]
    assert symptoms.feels == ["sharp", "burning"]
    assert symptoms.triggers == ["downhill", "long-runs"]


def test_none_of_these_reports_every_screened_sign_absent() -> None:
    symptoms = symptoms_from_answers({"where": "calf", "warning_signs": [NONE_OF_THESE]})
    assert symptoms.screened and symptoms.signs == []
    assert set(SCREENED_TERMS) <= set(absent_terms(symptoms))
    assert {"numbness", "redness-warmth", "swelling", "breathless", "cold-foot"} <= set(
        absent_terms(symptoms)
    )


def test_unticked_warning_signs_are_absent() -> None:
    symptoms = symptoms_from_answers({"where": "calf", "warning_signs": ["numbness"]})
    assert symptoms.signs == ["numbness"] and symptoms.screened
    assert "numbness" not in absent_terms(symptoms)
    assert {"swelling", "breathless", "pop"} <= set(absent_terms(symptoms))


def test_hot_red_and_swollen_are_two_ticks() -> None:
    symptoms = symptoms_from_answers(
        {"where": "calf", "warning_signs": ["redness-warmth", "swelling"]}
    )
    assert set(symptoms.signs) == {"redness-warmth", "swelling"}


def test_none_of_these_with_a_ticked_sign_keeps_the_sign_present() -> None:
    symptoms = symptoms_from_answers({"warning_signs": ["swelling", NONE_OF_THESE]})
    assert symptoms.signs == ["swelling"]
    assert "swelling" not in absent_terms(symptoms)
    assert "numbness" in absent_terms(symptoms)


def test_age_sex_duration_and_part_not_sure() -> None:
    symptoms = symptoms_from_answers(
        {"age": 47, "sex": "female", "where": "calf", "part": NOT_SURE, "duration": "weeks"}
    )
    assert (symptoms.age, symptoms.sex, symptoms.duration) == (47, "female", "weeks")
    # "Not sure which part" is not sure of each part of that place: never asked again.
    assert symptoms.unsure == ["inner", "outer", "around"]
    skipped = symptoms_from_answers({"age": None, "sex": NOT_SURE, "duration": NOT_SURE})
    assert (skipped.age, skipped.sex, skipped.duration) == (None, None, None)
    with pytest.raises(ValueError, match="age"):
        symptoms_from_answers({"age": 3})


def test_the_story_is_read_and_what_was_misread_is_dropped() -> None:
    said = symptoms_from_terms(["knee", "outer", "burning", "downhill"], ["swelling"])
    said = said.model_copy(update={"age": 34, "sex": "female"})
    _, understand = fake_parser(said)
    items = [item.value for item in story_items(said)]
    assert items == ["knee", "outer", "burning", "downhill", "not:swelling", "age", "sex"]
    answers = {"story": "outer knee, burns downhill", "story_check": ["burning", "age"]}
    symptoms = symptoms_from_answers(answers, understand=understand)  # type: ignore[arg-type]
    assert symptoms.where == ["knee"] and symptoms.part == ["outer"]
    assert "burning" not in symptoms.present() and symptoms.age is None
    assert symptoms.sex == "female" and symptoms.absent == ["swelling"]


def test_a_sign_unticked_on_the_screen_overrules_the_story() -> None:
    _, understand = fake_parser(symptoms_from_terms(["calf", "swelling"]))
    answers = {"story": "my calf is swollen", "warning_signs": [NONE_OF_THESE]}
    symptoms = symptoms_from_answers(answers, understand=understand)  # type: ignore[arg-type]
    assert "swelling" not in symptoms.present()


def test_follow_up_not_sure_is_recorded_as_unsure() -> None:
    symptoms = symptoms_from_answers({"where": "knee", FOLLOW_UPS: {"clicking": NOT_SURE}})
    assert symptoms.unsure == ["clicking"] and "clicking" not in symptoms.present()


def test_empty_answers_give_empty_symptoms() -> None:
    symptoms = symptoms_from_answers({})
    assert isinstance(symptoms, Symptoms)
    assert symptoms.is_empty()
    assert symptoms == Symptoms()


def test_not_sure_reports_nothing() -> None:
    symptoms = symptoms_from_answers({"where": "shin", "part": NOT_SURE, "onset": NOT_SURE})
    assert symptoms.present() == ["shin"]
    assert symptoms.absent == []


def test_both_legs_yes() -> None:
    assert symptoms_from_answers({"both_sides": True}).both_sides is True


def test_follow_ups_yes_no_not_sure() -> None:
    symptoms = symptoms_from_answers(
        {"where": "knee", FOLLOW_UPS: {"stairs": "yes", "swelling": "no", "clicking": NOT_SURE}}
    )
    assert "stairs" in symptoms.triggers
    assert symptoms.absent == ["swelling"]
    assert "clicking" not in symptoms.present()


def test_unknown_answer_is_rejected_with_the_valid_values() -> None:
    with pytest.raises(ValueError, match="valid: foot"):
        symptoms_from_answers({"where": "elbow"})
    with pytest.raises(ValueError, match="no question"):
        symptoms_from_answers({"favourite_colour": "blue"})


def test_free_text_is_parsed_and_merged() -> None:
    calls, understand = fake_parser(symptoms_from_terms(["clicking", "stairs"], ["swelling"]))
    symptoms = symptoms_from_answers(
        {"where": "knee", "own_words": "  clicks on stairs, no swelling  "},
        understand=understand,  # type: ignore[arg-type]
    )
    assert calls == ["clicks on stairs, no swelling"]
    assert "clicking" in symptoms.signs
    assert "stairs" in symptoms.triggers
    assert symptoms.absent == ["swelling"]
    assert symptoms.text == "clicks on stairs, no swelling"


def test_explicit_answers_win_over_free_text() -> None:
    said = symptoms_from_terms(
        ["swelling", "sudden", "hip"], ["stairs", "knee"], severity=9, text="x"
    )
    _, understand = fake_parser(said)
    answers = {
        "where": "knee",
        "onset": "gradual",
        "severity": 3,
        "warning_signs": [NONE_OF_THESE],
        FOLLOW_UPS: {"stairs": "yes"},
        "own_words": "anything",
    }
    symptoms = symptoms_from_answers(answers, understand=understand)  # type: ignore[arg-type]
    # Swelling was ruled out on the warning screen, the onset and severity were answered.
    assert "swelling" not in symptoms.signs
    assert "swelling" in absent_terms(symptoms)
    assert symptoms.onset == "gradual"
    assert symptoms.severity == 3
    # Stairs and knee were answered yes; the text saying otherwise is dropped.
    assert "stairs" in symptoms.triggers and "stairs" not in symptoms.absent
    assert "knee" in symptoms.where and "knee" not in symptoms.absent
    # What the text adds without a clash is kept.
    assert "hip" in symptoms.where
    assert not set(symptoms.present()) & set(symptoms.absent)


def test_blank_free_text_is_not_parsed() -> None:
    calls, understand = fake_parser(Symptoms())
    symptoms = symptoms_from_answers({"own_words": "   "}, understand=understand)  # type: ignore[arg-type]
    assert calls == []
    assert symptoms.text is None


def test_free_text_with_the_real_parser() -> None:
    pytest.importorskip("needlematch.parse")
    symptoms = symptoms_from_answers(
        {"where": "knee", "own_words": "it hurts going down stairs [bold]\x1b[2J"}
    )
    assert "knee" in symptoms.where
    assert "stairs" in symptoms.triggers
    assert symptoms.text is not None and "\x1b[2J" in symptoms.text


def test_questions_are_plain_words_with_hints_and_valid_terms() -> None:
    for question_id in FULL_ORDER:
        question = QUESTIONS[question_id]
        assert question.text.endswith("?")
        assert question.hint
        for choice in question.choices:
            assert choice.label
            for term in choice.terms:
                assert term in TERMS_BY_ID
    assert set(ADAPTIVE_OPENING) <= set(FULL_ORDER)
    assert QUESTIONS["where"].choice("heel").label == "Heel (underneath or at the back)"
    warning = QUESTIONS["warning_signs"]
    assert warning.choices[-1].value == NONE_OF_THESE
    assert all(len(choice.terms) == 1 for choice in warning.choices[:-1])
    assert [choice.value for choice in QUESTIONS["when"].choices] == [
        "morning",
        "start-of-run",
        "during-run",
        "after-run",
        "next-day",
        "at-rest",
        "at-night",
        "all-the-time",
        "eases-when-warm",
    ]
