"""The engine: real probabilities, explained rankings, "none of these", and the next question."""

from __future__ import annotations

import math
import operator
from typing import Any

import pytest

from needlematch.catalogue import Catalogue
from needlematch.engine import MAX_QUESTIONS, assess, next_question
from needlematch.symptoms import Symptoms


def _total(result_matches: list[float], unmatched: float) -> float:
    return math.fsum([*result_matches, unmatched])


def test_probabilities_sum_to_one(catalogue: Catalogue) -> None:
    result = assess(Symptoms(where=["shin"], part=["inner"]), catalogue)
    assert len(result.matches) == len(catalogue.injuries)
    assert _total([m.probability for m in result.matches], result.unmatched_probability) == (
        pytest.approx(1.0, abs=1e-9)
    )
    probabilities = [m.probability for m in result.matches]
    assert probabilities == sorted(probabilities, reverse=True)


@pytest.mark.parametrize(
    ("symptoms", "expected"),
    [
        (
            Symptoms(
                where=["knee"],
                part=["outer"],
                feels=["burning", "sharp"],
                when=["during-run"],
                triggers=["downhill", "long-runs"],
                onset="gradual",
            ),
            "it-band-syndrome",
        ),
        (
            Symptoms(
                where=["knee"],
                part=["around", "front"],
                feels=["dull-ache"],
                triggers=["stairs", "squatting", "sitting-long"],
                onset="gradual",
            ),
            "runners-knee",
        ),
        (
            Symptoms(
                where=["heel"],
                part=["under", "inner"],
                when=["morning"],
                feels=["stabbing"],
                onset="gradual",
            ),
            "plantar-fasciitis",
        ),
        (
            Symptoms(
                where=["thigh-back"],
                feels=["sharp", "pulling"],
                triggers=["sprinting"],
                onset="sudden",
            ),
            "hamstring-injury",
        ),
    ],
)
def test_typical_cases_rank_first(catalogue: Catalogue, symptoms: Symptoms, expected: str) -> None:
    result = assess(symptoms, catalogue)
    assert result.matches[0].id == expected
    assert result.matches[0].probability > result.unmatched_probability


def test_a_picture_outside_the_catalogue_goes_to_none_of_these(catalogue: Catalogue) -> None:
    # A Baker's cyst: a tight, swollen lump at the back of the knee, worse squatting.
    bakers_cyst = Symptoms(
        where=["knee"],
        part=["back"],
        feels=["tightness"],
        triggers=["squatting"],
        signs=["lump", "swelling"],
    )
    result = assess(bakers_cyst, catalogue)
    assert result.unmatched_probability > max(m.probability for m in result.matches)
    assert result.what_helps is None
    assert result.closest_outside is not None
    assert "Baker" in result.closest_outside.name


def test_the_closest_outside_condition_is_named_only_when_none_of_these_leads(
    catalogue: Catalogue,
) -> None:
    itbs = Symptoms(where=["knee"], part=["outer"], feels=["burning"], triggers=["downhill"])
    assert assess(itbs, catalogue).closest_outside is None


def test_evidence_names_terms_and_says_why(catalogue: Catalogue) -> None:
    result = assess(
        Symptoms(where=["knee"], part=["outer"], feels=["burning"], absent=["clicking"]),
        catalogue,
    )
    itbs = next(m for m in result.matches if m.id == "it-band-syndrome")
    supporting = {finding.term for finding in itbs.evidence.for_}
    assert {"outer", "burning"} <= supporting
    assert any("IT band syndrome" in finding.text for finding in itbs.evidence.for_)
    knee = next(m for m in result.matches if m.id == "runners-knee")
    assert any(f.term == "burning" for f in knee.evidence.against)
    shin = next(m for m in result.matches if m.id == "shin-splints")
    assert any(f.term == "knee" for f in shin.evidence.against)


def test_json_uses_the_contract_field_names(catalogue: Catalogue) -> None:
    import json

    data = json.loads(assess(Symptoms(where=["knee"]), catalogue).to_json())
    assert {"symptoms", "matches", "unmatched_probability", "triage", "disclaimer"} <= set(data)
    assert set(data["matches"][0]["evidence"]) == {"for", "against"}
    assert set(data["symptoms"]) >= {
        "where", "part", "when", "feels", "triggers", "onset", "signs",
        "absent", "both_sides", "severity", "text",
    }  # fmt: skip
    assert data["triage"]["level"] in {"routine", "soon", "urgent", "emergency"}


def test_top_keeps_the_unmatched_probability(catalogue: Catalogue) -> None:
    full = assess(Symptoms(where=["knee"]), catalogue)
    top = assess(Symptoms(where=["knee"]), catalogue, top=2)
    assert [m.id for m in top.matches] == [m.id for m in full.matches[:2]]
    assert top.unmatched_probability == full.unmatched_probability


def test_deterministic(catalogue: Catalogue) -> None:
    symptoms = Symptoms(where=["calf"], feels=["tightness"], when=["during-run"])
    assert assess(symptoms, catalogue).to_json() == assess(symptoms, catalogue).to_json()


SCREENED_KNEE = Symptoms(where=["knee"], part=["outer"], screened=True)


def test_next_question_separates_the_leaders(catalogue: Catalogue) -> None:
    question = next_question(SCREENED_KNEE, catalogue)
    assert question is not None and question.kind == "yes-no"
    assert question.term not in {"knee", "outer"}
    assert question.text and question.hint and question.reason.startswith("asked")


def test_next_question_asks_a_plausible_red_flag_first(catalogue: Catalogue) -> None:
    symptoms = Symptoms(where=["groin"], part=["front"], screened=True)
    question = next_question(symptoms, catalogue)
    assert question is not None
    assert "warning sign" in question.reason


def test_next_question_stops(catalogue: Catalogue) -> None:
    assert next_question(SCREENED_KNEE, catalogue, asked=MAX_QUESTIONS) is None
    clear = Symptoms(
        where=["knee"],
        part=["outer"],
        feels=["burning"],
        when=["during-run"],
        triggers=["downhill", "long-runs"],
        onset="gradual",
        screened=True,
    )
    asked = 0
    symptoms = clear
    while (question := next_question(symptoms, catalogue)) is not None:
        # Answer "no" to everything: the loop must still end, counted from the symptoms alone.
        symptoms = Symptoms.model_validate(
            {**symptoms.model_dump(), "absent": [*symptoms.absent, question.term]}
        )
        asked += 1
    assert asked <= MAX_QUESTIONS


def test_not_sure_terms_are_not_asked_again(catalogue: Catalogue) -> None:
    first = next_question(SCREENED_KNEE, catalogue)
    assert first is not None
    second = next_question(SCREENED_KNEE, catalogue, skip=frozenset({first.term}))
    assert second is None or second.term != first.term
    unsure = SCREENED_KNEE.model_copy(update={"unsure": [first.term]})
    third = next_question(unsure, catalogue)
    assert third is None or third.term != first.term


def test_weights_with_kept_beginnings_are_the_columns_added_from_the_left(
    catalogue: Catalogue,
) -> None:
    import functools
    import math
    import operator
    import random

    from needlematch.engine import scorer_for
    from needlematch.vocabulary import TERMS

    scorer = scorer_for(catalogue)
    pick = random.Random(11)
    ids = [term.id for term in TERMS]
    for _ in range(2000):
        present = pick.sample(ids[:20], pick.randint(0, 3)) + pick.sample(ids, pick.randint(0, 6))
        absent = [term for term in pick.sample(ids, pick.randint(0, 5)) if term not in present]
        age, sex = pick.choice([None, 8, 30, 70]), pick.choice([None, "female", "male"])
        rows = [scorer.log_priors]
        band = scorer.age_band.get(age) if age is not None else None
        if band is not None:
            rows.append(scorer.log_age[band])
        if sex is not None:
            rows.append(scorer.log_sex[sex])
        rows += [scorer.log_present[term] for term in present]
        rows += [scorer.log_absent[term] for term in absent]
        logs = [functools.reduce(operator.add, column) for column in zip(*rows, strict=True)]
        exps = [math.exp(value - max(logs)) for value in logs]
        expected = [value / sum(exps) for value in exps]
        assert scorer.weights(present, absent, age, sex) == expected


def _information_gain(
    scorer: Any,
    entropy: Any,
    injury_weights: list[float],
    unmatched_weights: list[float],
    term: str,
) -> float:
    """The reference: expected bits the answer tells about which injury (or none) it is,
    I(G;A) = H(A) - H(A|G), worked out plainly for one term."""
    injury_yes: float = sum(map(operator.mul, injury_weights, scorer.chances[term]))
    injury_noise: float = sum(map(operator.mul, injury_weights, scorer.noise[term]))
    unmatched_weight = sum(unmatched_weights)
    unmatched_yes: float = sum(map(operator.mul, unmatched_weights, scorer.unmatched_chances[term]))
    unmatched_noise = 0.0
    if unmatched_weight > 0:
        unmatched_noise = unmatched_weight * entropy(unmatched_yes / unmatched_weight)
    return float(entropy(injury_yes + unmatched_yes) - injury_noise - unmatched_noise)


def test_the_most_informative_term_is_the_one_every_term_scored_in_turn_gives(
    catalogue: Catalogue,
) -> None:
    import random

    from needlematch.engine import (
        MIN_INFORMATION_GAIN,
        _binary_entropy,
        _most_informative,
        scorer_for,
    )
    from needlematch.vocabulary import TERMS

    scorer = scorer_for(catalogue)
    count = len(scorer.injuries)
    pick = random.Random(23)
    ids = [term.id for term in TERMS]
    chosen = set()
    for _ in range(1500):
        present = pick.sample(ids, pick.randint(1, 8))
        absent = [term for term in pick.sample(ids, pick.randint(0, 8)) if term not in present]
        weights = scorer.weights(present, absent, pick.choice([None, 30]), None)
        answered = set(present) | set(absent) | set(pick.sample(ids, pick.randint(0, 20)))
        expected, best = None, MIN_INFORMATION_GAIN
        for term in TERMS:
            if term.id in answered or term.dimension in {"where", "part"}:
                continue
            gain = _information_gain(
                scorer, _binary_entropy, weights[:count], weights[count:], term.id
            )
            if gain > best:
                expected, best = term.id, gain
        assert _most_informative(scorer, weights, answered) == expected
        chosen.add(expected)
    assert len(chosen) > 10  # many different terms come out on top


def test_weights_summed_by_column_are_the_rows_added_one_by_one(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from needlematch import engine, known

    if not engine._PLAIN_SUM:
        pytest.skip("sum() compensates its rounding on this Python: the rows are added instead")
    scorer = engine.scorer_for(catalogue)
    cases = [
        Symptoms(where=["knee"], part=["outer"], feels=["burning", "sharp"], when=["during-run"],
                 triggers=["downhill", "long-runs"], onset="gradual", absent=["swelling"],
                 age=40, sex="female"),
        Symptoms(where=["heel"], part=["under"], when=["morning"], absent=["numbness", "swelling"],
                 screened=True, age=70),
    ]  # fmt: skip
    for symptoms in cases:
        present, absent = known.present_terms(symptoms), known.absent_terms(symptoms)
        scorer.partial_logs.clear()
        by_column = scorer.weights(present, absent, symptoms.age, symptoms.sex)
        monkeypatch.setattr(engine, "_PLAIN_SUM", False)
        scorer.partial_logs.clear()
        by_row = scorer.weights(present, absent, symptoms.age, symptoms.sex)
        monkeypatch.setattr(engine, "_PLAIN_SUM", True)
        assert [value.hex() for value in by_column] == [value.hex() for value in by_row]
