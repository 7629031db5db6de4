"""Adaptive questions through `match --json`: a script runs a whole interview with `next_question`'s options."""

from __future__ import annotations

import copy
import json
import operator
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


def _could_change_leader(scorer: Any, weights: list[float], term: str) -> bool:
    """The reference: whether a "yes" or a "no" about `term` puts another injury (or none)
    first, every hypothesis worked out in turn."""
    count = len(scorer.injuries)
    chances = scorer.chances[term]
    injury_weight = weights[:count]
    injury_yes = [w * c for w, c in zip(injury_weight, chances[:count], strict=True)]
    unmatched_yes = sum(map(operator.mul, weights[count:], chances[count:]))
    unmatched_weight = sum(weights[count:])

    def leader(scores: list[float]) -> int:
        return max(range(len(scores)), key=scores.__getitem__)

    before = leader([*injury_weight, unmatched_weight])
    after_yes = [*injury_yes, unmatched_yes]
    after_no = [
        *(w - y for w, y in zip(injury_weight, injury_yes, strict=True)),
        unmatched_weight - unmatched_yes,
    ]
    return leader(after_yes) != before or leader(after_no) != before


def test_a_settled_leader_is_one_no_single_answer_can_overtake(catalogue: Catalogue) -> None:
    # The fast check (only hypotheses near the leader) agrees with asking every
    # term one at a time whether a "yes" or a "no" would change the leader.
    import random

    from needlematch import engine
    from needlematch.vocabulary import TERMS

    scorer = engine.scorer_for(catalogue)
    chooser = random.Random(7)
    askable = [term.id for term in TERMS if term.dimension not in {"where", "part"}]
    places = [term.id for term in TERMS if term.dimension == "where"]
    settled_seen = unsettled_seen = 0
    for _ in range(300):
        symptoms = Symptoms.model_validate({"where": chooser.sample(places, 1)}).model_copy(
            update={}
        )
        present = [*symptoms.where, *chooser.sample(askable, chooser.randint(0, 5))]
        absent = [t for t in chooser.sample(askable, chooser.randint(0, 4)) if t not in present]
        weights = scorer.weights(present, absent)
        terms = chooser.sample(askable, chooser.randint(1, 12))
        slow = not any(_could_change_leader(scorer, weights, term) for term in terms)
        assert engine._leader_settled(scorer, weights, terms) == slow, (present, absent, terms)
        settled_seen += slow
        unsettled_seen += not slow
    assert settled_seen and unsettled_seen  # both outcomes were exercised


def test_the_interview_stops_once_the_leader_is_settled(catalogue: Catalogue) -> None:
    # Runner's knee at just under 80%: the old rule would ask on, but no single
    # answer to any question still worth asking could overtake it, so it stops.
    from needlematch import engine

    symptoms = Symptoms(
        where=["knee"],
        part=["around"],
        feels=["dull-ache"],
        triggers=["downhill", "stairs"],
        onset="gradual",
        screened=True,
    )
    scorer = engine.scorer_for(catalogue)
    posterior = scorer.grouped(scorer.weights(list(symptoms.present()), []))
    leader = max(posterior, key=posterior.__getitem__)
    assert leader == "runners-knee"
    assert engine.SETTLED_PROBABILITY <= posterior[leader] < engine.STOP_PROBABILITY
    assert not engine.should_stop(posterior)
    assert next_question(symptoms, catalogue) is None


def test_a_second_part_asked_as_a_yes_no_counts_as_a_follow_up() -> None:
    one_part = Symptoms(where=["foot"], part=["top"], screened=True)
    assert follow_ups_asked(one_part) == 0  # "which part?" is the opening
    assert follow_ups_asked(one_part.model_copy(update={"part": ["top", "inner"]})) == 1
    assert follow_ups_asked(one_part.model_copy(update={"absent": ["inner"]})) == 1
    assert follow_ups_asked(one_part.model_copy(update={"unsure": ["inner"]})) == 1
    no_part = Symptoms(where=["foot"], unsure=["top", "under", "inner"], screened=True)
    assert follow_ups_asked(no_part) == 0  # "not sure" to "which part?"


def test_the_interview_asks_the_second_part_a_warning_sign_needs(catalogue: Catalogue) -> None:
    symptoms = Symptoms(where=["foot"], part=["top"], screened=True)
    asked = []
    for _ in range(MAX_QUESTIONS):
        question = assess(symptoms, catalogue).next_question
        if question is None:
            break
        asked.append(question.term)
        if question.term == "inner":
            assert "warning sign" in question.reason
            symptoms = symptoms.model_copy(update={"part": ["top", "inner"]})
            break
        symptoms = symptoms.model_copy(update={"unsure": [*symptoms.unsure, question.term]})
    assert "inner" in asked, asked
    found = [flag.id for flag in assess(symptoms, catalogue).triage.red_flags]
    assert "high-risk-stress-fracture" in found
