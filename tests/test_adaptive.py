"""Adaptive questions through `match --json`: a script runs a whole interview with `next_question`'s options."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from needlematch.catalogue import Catalogue
from needlematch.engine import MAX_QUESTIONS, assess, follow_ups_asked, next_question
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import TERMS_BY_ID, screen_terms

from .conftest import run_cli

# What this runner would answer "yes" to: a typical IT band syndrome.
RUNNER_HAS = {"outer", "during-run", "downhill", "long-runs", "sharp", "burning", "gradual"}


def _answer(question: dict[str, Any], has: set[str]) -> list[str]:
    """The args a script adds for this runner: the options that are true for them."""
    options = question["options"]
    if question["kind"] == "screen":
        return [a for o in options if o["answer"] in has for a in o["args"]] + question["then"]
    if question["kind"] == "choice":
        chosen = next((o for o in options if o["answer"] in has), options[-1])
        return list(chosen["args"])
    yes, no, _ = options
    return list((yes if question["term"] in has else no)["args"])


def test_a_script_can_run_an_interview_with_match() -> None:
    args = ["--where", "knee", "--age", "34", "--sex", "female"]
    kinds: list[str] = []
    asked: list[str] = []
    for _ in range(MAX_QUESTIONS + 3):
        result = run_cli("match", *args, "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        question = data["next_question"]
        if question is None:
            break
        assert set(question) >= {"kind", "term", "text", "hint", "reason", "options"}
        assert question["term"] not in asked, "a question was asked twice"
        asked.append(question["term"])
        kinds.append(question["kind"])
        args += _answer(question, RUNNER_HAS)
    else:
        raise AssertionError(f"no stop: {asked}")
    # The screen first, then which part, then the yes/no follow-ups.
    assert kinds[:2] == ["screen", "choice"] and set(kinds[2:]) <= {"yes-no"}
    assert data["symptoms"]["screened"] is True and data["symptoms"]["part"] == ["outer"]
    assert data["matches"][0]["id"] == "it-band-syndrome"
    assert kinds.count("yes-no") <= MAX_QUESTIONS


def test_the_screen_is_the_first_question_after_the_place(catalogue: Catalogue) -> None:
    question = next_question(Symptoms(where=["calf"], age=40, sex="male"), catalogue)
    assert question is not None and question.kind == "screen"
    signs = [option.answer for option in question.options if option.answer != "none"]
    assert signs == list(screen_terms(40, "male"))
    assert "missed-periods" not in signs  # only signs that can apply to this person
    for option in question.options:
        if option.answer != "none":
            assert option.args == ["--sign", option.answer]
    assert question.then == ["--screened"]
    # Even a rich description does not skip it.
    told = Symptoms(where=["knee"], part=["outer"], when=["during-run"], triggers=["downhill"])
    found = next_question(told, catalogue)
    assert found is not None and found.kind == "screen"


def test_options_carry_the_args_for_each_dimension(catalogue: Catalogue) -> None:
    symptoms = Symptoms(where=["knee"], part=["outer"], screened=True)
    question = next_question(symptoms, catalogue)
    assert question is not None and question.kind == "yes-no"
    flag = {
        "when": "--when",
        "feels": "--feels",
        "triggers": "--trigger",
        "onset": "--onset",
        "signs": "--sign",
    }[TERMS_BY_ID[question.term].dimension]
    yes, no, unsure = question.options
    assert (yes.answer, yes.args) == ("yes", [flag, question.term])
    assert (no.answer, no.args) == ("no", ["--not", question.term])
    assert (unsure.answer, unsure.args) == ("unsure", ["--unsure", question.term])


def test_which_part_offers_only_the_parts_of_the_place(catalogue: Catalogue) -> None:
    question = next_question(Symptoms(where=["calf"], screened=True), catalogue)
    assert question is not None and (question.kind, question.term) == ("choice", "part")
    assert [o.answer for o in question.options] == ["inner", "outer", "around", "unsure"]
    assert question.options[-1].args == ["--unsure", "inner,outer,around"]
    # "Not sure" answers it: it is not asked again.
    unsure = Symptoms(where=["calf"], screened=True, unsure=["inner", "outer", "around"])
    again = next_question(unsure, catalogue)
    assert again is None or again.term != "part"


def test_nothing_is_asked_after_an_emergency(catalogue: Catalogue) -> None:
    for symptoms in (
        Symptoms(where=["calf"], signs=["swelling", "breathless"]),
        Symptoms(where=["knee"], signs=["fever", "redness-warmth"], screened=True),
        Symptoms(signs=["bladder-bowel"]),
    ):
        result = assess(symptoms, catalogue)
        assert result.triage.level == "emergency"
        assert result.next_question is None


def test_at_urgent_only_what_could_make_it_an_emergency_is_asked(catalogue: Catalogue) -> None:
    urgent = Symptoms(where=["ankle"], part=["back"], signs=["pop"], screened=True, severity=5)
    result = assess(urgent, catalogue)
    assert result.triage.level == "urgent"
    assert result.next_question is None
    # A swollen, warm calf is urgent (a clot); a severe pain score would make it an emergency.
    swollen = Symptoms(where=["calf"], part=["inner"], signs=["swelling"], screened=True)
    calf = assess(swollen, catalogue)
    assert calf.triage.level == "urgent"
    question = calf.next_question
    assert question is not None and question.term == "severity"
    assert "compartment" in question.reason
    assert [o.args for o in question.options][-1] == ["--severity", "10"]


def test_the_cap_holds_across_separate_calls() -> None:
    args = ["--where", "knee", "--part", "outer", "--screened"]
    asked = 0
    while True:
        result = run_cli("match", *args, "--json")
        assert result.returncode == 0, result.stderr
        question = json.loads(result.stdout)["next_question"]
        if question is None:
            break
        asked += 1
        assert asked <= MAX_QUESTIONS
        args += question["options"][1]["args"]  # "no" to everything
    # Every call started afresh: only the symptoms carried the count.


def test_the_count_is_read_from_the_symptoms() -> None:
    opening = Symptoms(
        where=["knee"],
        part=["outer"],
        signs=["swelling"],
        screened=True,
        unsure=["catching"],
        absent=["stairs", "downhill"],
        triggers=["long-runs"],
    )
    # Place, part and the screen are the opening; the rest are follow-ups answered.
    assert follow_ups_asked(opening) == 4
    told = Symptoms(where=["knee"], triggers=["downhill"], text="worse running downhill")
    assert follow_ups_asked(told) == 0  # what the runner's own words said was not asked


def test_the_cap_stops_the_questions(catalogue: Catalogue) -> None:
    absent = [
        "stairs",
        "squatting",
        "sitting-long",
        "jumping",
        "sharp",
        "burning",
        "long-runs",
        "downhill",
        "cutting",
        "sprinting",
        "tenderness",
        "dull-ache",
    ]
    symptoms = Symptoms(where=["knee"], part=["around"], screened=True, absent=absent)
    assert follow_ups_asked(symptoms) == MAX_QUESTIONS
    assert next_question(symptoms, catalogue) is None


def test_a_catalogue_where_nothing_separates_two_injuries_still_stops(
    raw_catalogue: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw_catalogue)
    twin = copy.deepcopy(data["injuries"][0])
    twin.update(id="twin-knee", name="Twin Knee", short_name="twin knee", aliases=[])
    data["injuries"].append(twin)
    catalogue = Catalogue.model_validate(data)
    symptoms = Symptoms(where=["knee"], part=["around"], screened=True)
    for _ in range(MAX_QUESTIONS + 1):
        question = next_question(symptoms, catalogue)
        if question is None:
            break
        symptoms = Symptoms.model_validate(
            {**symptoms.model_dump(), "absent": [*symptoms.absent, question.term]}
        )
    else:
        raise AssertionError("the questions never stopped")


@pytest.mark.parametrize("place", ["shin", "knee", "heel"])
def test_no_question_about_another_place_or_part(catalogue: Catalogue, place: str) -> None:
    # Shin pain that hurts to hop must not start a groin/hip screening round, and
    # once the part is told no warning question asks about another part.
    symptoms = Symptoms(where=[place], part=["inner"], triggers=["hopping"], screened=True)
    for _ in range(MAX_QUESTIONS):
        question = next_question(symptoms, catalogue)
        if question is None:
            break
        assert TERMS_BY_ID[question.term].dimension not in {"where", "part"}
        symptoms = Symptoms.model_validate(
            {**symptoms.model_dump(), "absent": [*symptoms.absent, question.term]}
        )
