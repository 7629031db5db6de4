"""Every red flag can be reached from the guided answers alone: the place, the part, the screen and the questions `next_question` asks.

For each condition of each red flag of the catalogue, a runner who has one
term of each of its groups (and the age, sex and pain score it needs) answers
the interview as `match --json` offers it: the screen's signs they have, the
part they have, their pain score, "yes" to a question about a term they have
and "no" to any other. The warning sign must be found when the questions stop.
Places that overlap (the back of the ankle is the Achilles tendon; the front of
the hip is the groin) are checked for every flag that names the other place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from needlematch.catalogue import Catalogue, Condition, load_catalogue
from needlematch.engine import assess
from needlematch.known import implied
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import PLACE_OVERLAPS, REGION_PARTS, SCREEN_TERMS, TERMS_BY_ID

CATALOGUE = load_catalogue()
DEFAULT_PLACE = "knee"


@dataclass(frozen=True)
class Runner:
    """What one runner has, and who they are."""

    place: str
    part: str | None
    terms: frozenset[str]
    age: int
    sex: str
    severity: int | None


def _dimension(terms: list[str]) -> set[str]:
    return {TERMS_BY_ID[term].dimension for term in terms}


def _runners(condition: Condition, prefer_screen: bool) -> list[Runner]:
    """Runners who meet `condition`: one per place it names and per place that overlaps one."""
    place_groups = [g for g in condition.all_of if _dimension(g) == {"where"}]
    part_groups = [g for g in condition.all_of if _dimension(g) == {"part"}]
    other = [g for g in condition.all_of if g not in place_groups and g not in part_groups]
    terms: set[str] = set()
    for group in other:
        # A group that mixes places and signs ("calf, swelling or redness") is met by a sign.
        signs = [term for term in group if TERMS_BY_ID[term].dimension != "where"]
        screen = [term for term in signs if term in SCREEN_TERMS]
        terms.add(screen[0] if prefer_screen and screen else signs[0])
    age = condition.min_age if condition.min_age is not None else condition.max_age or 35
    sex = condition.sex or ("female" if "missed-periods" in terms else "male")
    places = place_groups[0] if place_groups else [DEFAULT_PLACE]
    runners = []
    for place in places:
        fitting = [p for g in part_groups for p in g if p in REGION_PARTS[place]]
        if part_groups and not fitting:
            continue  # that part is not one of this place's
        part = fitting[0] if fitting else (REGION_PARTS[place] or (None,))[0]
        # A second part the condition needs (the top and the inner side) is the runner's
        # too: "which part?" takes one, and the other is asked as a yes/no.
        also = {g[0] for g in part_groups if part not in g}
        runners.append(
            Runner(place, part, frozenset(terms | also), age, sex, condition.min_severity)
        )
    for (place, part), overlaps in PLACE_OVERLAPS.items():
        fits = not part_groups or any(part in g for g in part_groups)
        if place_groups and set(overlaps) & set(places) and place not in places and fits:
            runners.append(Runner(place, part, frozenset(terms), age, sex, condition.min_severity))
    return runners


def guided(runner: Runner, catalogue: Catalogue) -> Symptoms:
    """The symptoms at the interview's stop, every answer taken from `next_question`'s options."""
    has = set(runner.terms) | set(implied(runner.terms))
    if runner.part:
        has.add(runner.part)
    fields: dict[str, object] = {"where": [runner.place], "age": runner.age, "sex": runner.sex}
    for _ in range(40):
        symptoms = Symptoms.model_validate(fields)
        question = assess(symptoms, catalogue).next_question
        if question is None:
            return symptoms
        if question.kind == "screen":
            args = [a for o in question.options if o.answer in has for a in o.args]
            args += question.then
        elif question.kind == "choice":
            by_answer = {option.answer: option for option in question.options}
            if question.term == "severity":
                args = by_answer[str(runner.severity if runner.severity is not None else 3)].args
            else:
                chosen = next((o for o in question.options if o.answer in has), None)
                args = (chosen or question.options[-1]).args
        else:
            yes, no, _ = question.options
            args = (yes if question.term in has else no).args
        fields = _with_args(fields, list(args))
    raise AssertionError("the questions never stopped")


_FIELDS = {
    "--where": "where",
    "--part": "part",
    "--when": "when",
    "--feels": "feels",
    "--trigger": "triggers",
    "--sign": "signs",
    "--not": "absent",
    "--unsure": "unsure",
}


def _with_args(fields: dict[str, object], args: list[str]) -> dict[str, object]:
    """What `match` makes of these arguments, added to the symptoms so far."""
    fields = dict(fields)
    while args:
        flag = args.pop(0)
        if flag == "--screened":
            fields["screened"] = True
        elif flag == "--both-sides":
            fields["both_sides"] = True
        elif flag == "--onset":
            fields["onset"] = args.pop(0)
        elif flag == "--severity":
            fields["severity"] = int(args.pop(0))
        else:
            key = _FIELDS[flag]
            previous = fields.get(key, [])
            assert isinstance(previous, list)
            fields[key] = [*previous, *args.pop(0).split(",")]
    return fields


CASES = [
    pytest.param(
        flag.id, index, runner, id=f"{flag.id}-{index}-{runner.place}-{runner.part}-{kind}"
    )
    for flag in CATALOGUE.red_flags
    for index, condition in enumerate(flag.when)
    for kind, prefer_screen in (("screen", True), ("asked", False))
    for runner in _runners(condition, prefer_screen)
]


@pytest.mark.parametrize(("flag_id", "index", "runner"), CASES)
def test_every_red_flag_condition_is_reached_from_guided_answers(
    flag_id: str, index: int, runner: Runner
) -> None:
    symptoms = guided(runner, CATALOGUE)
    found = {flag.id for flag in assess(symptoms, CATALOGUE).triage.red_flags}
    assert flag_id in found, f"{flag_id} not reached: stopped at {symptoms}"


def test_every_flag_and_every_overlapping_place_is_covered() -> None:
    covered = {(flag_id, runner.place) for flag_id, _, runner in (c.values for c in CASES)}
    for flag in CATALOGUE.red_flags:
        assert any(fid == flag.id for fid, _ in covered), flag.id
    # The overlaps the issue names, for the flags that name the other place.
    assert ("achilles-rupture", "ankle") in covered
    assert ("femoral-neck-stress-fracture", "hip") in covered
    assert ("hamstring-avulsion", "thigh-back") in covered


def test_an_achilles_rupture_answered_as_ankle_back_pop_sudden() -> None:
    runner = Runner("ankle", "back", frozenset({"pop", "sudden"}), 40, "male", None)
    symptoms = guided(runner, CATALOGUE)
    result = assess(symptoms, CATALOGUE)
    assert "achilles-rupture" in {flag.id for flag in result.triage.red_flags}
    assert result.triage.level == "urgent"


def test_a_condition_of_two_parts_is_met_from_flags() -> None:
    two_parts = [
        (flag.id, condition)
        for flag in CATALOGUE.red_flags
        for condition in flag.when
        if len([g for g in condition.all_of if _dimension(g) == {"part"}]) > 1
    ]
    assert two_parts, "no condition names two parts: this test no longer checks anything"
    for flag_id, condition in two_parts:
        terms = [group[0] for group in condition.all_of]
        fields: dict[str, list[str]] = {}
        for term in terms:
            key = {"where": "where", "part": "part"}.get(TERMS_BY_ID[term].dimension, "signs")
            fields.setdefault(key, []).append(term)
        found = {flag.id for flag in assess(Symptoms(**fields), CATALOGUE).triage.red_flags}
        assert flag_id in found, (flag_id, fields)
