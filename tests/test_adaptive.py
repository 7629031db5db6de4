"""Adaptive follow-up questions: a script can run a whole interview through `match --json`."""

from __future__ import annotations

import copy
import json
from typing import Any

from needlematch.catalogue import Catalogue
from needlematch.engine import MAX_QUESTIONS, next_question
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import DIMENSION_FLAGS, TERMS_BY_ID

from .conftest import run_cli

# What this runner would answer "yes" to: a typical IT band syndrome.
RUNNER_HAS = {"outer", "during-run", "downhill", "long-runs", "sharp", "burning", "gradual"}


def _flag_for_yes(term: str) -> list[str]:
    flag = DIMENSION_FLAGS[TERMS_BY_ID[term].dimension]
    return [flag] if TERMS_BY_ID[term].dimension == "sides" else [flag, term]


def test_a_script_can_run_an_interview_with_match() -> None:
    args = ["--where", "knee"]
    asked: list[str] = []
    for _ in range(MAX_QUESTIONS + 1):
        result = run_cli("match", *args, "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        question = data["next_question"]
        if question is None:
            break
        assert set(question) >= {"term", "text", "reason"}
        assert question["term"] not in asked
        asked.append(question["term"])
        if question["term"] in RUNNER_HAS:
            args += _flag_for_yes(question["term"])
        else:
            args += ["--not", question["term"]]
    else:
        raise AssertionError(f"no stop after {MAX_QUESTIONS} questions: {asked}")
    assert data["matches"][0]["id"] == "it-band-syndrome"
    assert len(asked) <= MAX_QUESTIONS


def test_a_catalogue_where_nothing_separates_two_injuries_still_stops(
    raw_catalogue: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw_catalogue)
    twin = copy.deepcopy(data["injuries"][0])
    twin.update(id="twin-knee", name="Twin Knee", short_name="twin knee", aliases=[])
    data["injuries"].append(twin)
    catalogue = Catalogue.model_validate(data)
    symptoms = Symptoms(where=["knee"])
    for asked in range(MAX_QUESTIONS + 1):
        question = next_question(symptoms, catalogue, asked=asked)
        if question is None:
            break
        symptoms = Symptoms.model_validate(
            {**symptoms.model_dump(), "absent": [*symptoms.absent, question.term]}
        )
    else:
        raise AssertionError("the questions never stopped")
    assert asked <= MAX_QUESTIONS


def test_no_warning_question_about_another_place(catalogue: Catalogue) -> None:
    # Shin pain that hurts to hop must not start a groin/hip screening round.
    symptoms = Symptoms(where=["shin"], part=["inner"], triggers=["hopping"])
    question = next_question(symptoms, catalogue)
    assert question is not None
    assert TERMS_BY_ID[question.term].dimension != "where"
