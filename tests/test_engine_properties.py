"""Properties of the engine that must hold for every input (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlematch.catalogue import Catalogue, load_catalogue
from needlematch.engine import assess
from needlematch.symptoms import Symptoms, symptoms_from_terms
from needlematch.vocabulary import TERMS

CATALOGUE: Catalogue = load_catalogue()
TERM_IDS = [term.id for term in TERMS if term.dimension != "onset"]

term_sets = st.tuples(
    st.sets(st.sampled_from(TERM_IDS), max_size=10),
    st.sets(st.sampled_from(TERM_IDS), max_size=6),
    st.sampled_from([None, "sudden", "gradual"]),
    st.one_of(st.none(), st.integers(0, 10)),
)


def _symptoms(drawn: tuple[set[str], set[str], str | None, int | None]) -> Symptoms:
    present, absent, onset, severity = drawn
    terms = set(present) | ({onset} if onset else set())
    return symptoms_from_terms(terms, absent - terms, severity)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(term_sets)
def test_probabilities_always_sum_to_one(
    drawn: tuple[set[str], set[str], str | None, int | None],
) -> None:
    result = assess(_symptoms(drawn), CATALOGUE)
    total = math.fsum([m.probability for m in result.matches] + [result.unmatched_probability])
    assert abs(total - 1.0) < 1e-9
    assert all(0.0 <= m.probability <= 1.0 for m in result.matches)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(term_sets, st.sampled_from(CATALOGUE.injuries), st.data())
def test_adding_a_typical_finding_never_lowers_that_injury(
    drawn: tuple[set[str], set[str], str | None, int | None],
    injury: object,
    data: st.DataObject,
) -> None:
    from needlematch.catalogue import Injury

    assert isinstance(injury, Injury)
    typical = sorted(term for term, level in injury.profile.items() if level == "typical")
    term = data.draw(st.sampled_from(typical))
    before_symptoms = _symptoms(drawn)
    if term in before_symptoms.present() or term in before_symptoms.absent:
        return
    if term in ("sudden", "gradual") and before_symptoms.onset is not None:
        return
    after_symptoms = symptoms_from_terms(
        [*before_symptoms.present(), term], before_symptoms.absent, before_symptoms.severity
    )

    def probability(symptoms: Symptoms) -> float:
        result = assess(symptoms, CATALOGUE, with_next_question=False)
        return next(m.probability for m in result.matches if m.id == injury.id)

    assert probability(after_symptoms) >= probability(before_symptoms) - 1e-12
