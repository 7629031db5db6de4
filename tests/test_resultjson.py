"""The JSON written from prewritten pieces is exactly the Assessment model dumped, case after case."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlematch.catalogue import Catalogue, load_catalogue, parse_catalogue
from needlematch.engine import assess, assessment_of, rank
from needlematch.parse import understand
from needlematch.printable import json_safe
from needlematch.resultjson import assessment_json, write
from needlematch.symptoms import Symptoms, symptoms_from_terms
from needlematch.vocabulary import TERMS

CATALOGUE: Catalogue = load_catalogue()
VIGNETTES = Path(__file__).resolve().parent / "vignettes"
TERM_IDS = [term.id for term in TERMS if term.dimension != "onset"]


def _model_json(symptoms: Symptoms, catalogue: Catalogue, top: int | None = None) -> str:
    return json_safe(assess(symptoms, catalogue, top=top).to_json())


def _vignette_symptoms() -> list[Symptoms]:
    found = []
    for path in sorted(VIGNETTES.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if not isinstance(case, dict) or "symptoms" not in case:
                continue
            flags = {key: value for key, value in case["symptoms"].items() if key != "text"}
            found.append(Symptoms.model_validate(flags))
            if case.get("text"):
                found.append(understand(case["text"]).symptoms)
    return found


def test_every_vignette_is_written_as_the_model_dumps_it() -> None:
    cases = _vignette_symptoms()
    assert len(cases) > 500
    for symptoms in cases:
        assert assessment_json(symptoms, CATALOGUE) == _model_json(symptoms, CATALOGUE)


@pytest.mark.parametrize("top", [1, 3, 27])
def test_top_keeps_the_same_text_for_the_injuries_shown(top: int) -> None:
    for symptoms in _vignette_symptoms()[::25]:
        assert assessment_json(symptoms, CATALOGUE, top=top) == _model_json(
            symptoms, CATALOGUE, top
        )


term_sets = st.tuples(
    st.sets(st.sampled_from(TERM_IDS), max_size=14),
    st.sets(st.sampled_from(TERM_IDS), max_size=10),
    st.sampled_from([None, "sudden", "gradual"]),
    st.one_of(st.none(), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(5, 100)),
    st.sampled_from([None, "female", "male"]),
    st.one_of(st.none(), st.text(max_size=40)),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(term_sets)
def test_any_symptoms_are_written_as_the_model_dumps_them(drawn: tuple[Any, ...]) -> None:
    present, absent, onset, severity, age, sex, text = drawn
    terms = set(present) | ({onset} if onset else set())
    symptoms = symptoms_from_terms(terms, absent - terms, severity, text).model_copy(
        update={"age": age, "sex": sex}
    )
    ranking = rank(symptoms, CATALOGUE)
    assert write(ranking) == json_safe(assessment_of(ranking).to_json())


def test_controls_and_separators_in_the_runners_words_are_escaped_alike() -> None:
    symptoms = Symptoms(where=["knee"], text="knee \x1b[31m\u2028\u202e\x85 pain")
    written = assessment_json(symptoms, CATALOGUE)
    assert written == _model_json(symptoms, CATALOGUE)
    assert "\\u001b" in written and "\\u2028" in written and "\\u202e" in written


def test_catalogue_text_with_markers_commas_and_brackets_is_kept_as_written(
    raw_catalogue: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw_catalogue)
    data["injuries"][0]["short_name"] = 'runner\'s "knee" ,] [\x01\x00 \u2028'
    data["injuries"][0]["name"] = "Runner's Knee ,],[ {}"
    catalogue = parse_catalogue(json.dumps(data))
    for symptoms in _vignette_symptoms()[::40]:
        assert assessment_json(symptoms, catalogue) == _model_json(symptoms, catalogue)


def test_a_catalogue_of_200_conditions_is_written_exactly(raw_catalogue: dict[str, Any]) -> None:
    data = copy.deepcopy(raw_catalogue)
    base = data["injuries"]
    generated = []
    for n in range(200):
        entry = copy.deepcopy(base[n % len(base)])
        entry.update(
            id=f"condition-{n}",
            name=f"Generated condition {n}",
            short_name=f"generated condition {n}",
            aliases=[f"gen {n}"],
        )
        generated.append(entry)
    data["injuries"] = generated
    catalogue = parse_catalogue(json.dumps(data))
    symptoms = Symptoms(where=["knee"], part=["outer"], triggers=["downhill"], absent=["swelling"])
    assert assessment_json(symptoms, catalogue) == _model_json(symptoms, catalogue)


def test_past_what_the_sort_key_holds_the_model_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from needlematch import resultjson

    monkeypatch.setattr(resultjson, "_MOST_INJURIES", 3)
    symptoms = Symptoms(where=["knee"], part=["outer"], triggers=["downhill"], absent=["swelling"])
    assert assessment_json(symptoms, CATALOGUE) == _model_json(symptoms, CATALOGUE)


def test_past_the_findings_a_sort_key_places_the_model_writes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from needlematch import resultjson

    monkeypatch.setattr(resultjson, "_MOST_PLACES", 3)
    symptoms = Symptoms(where=["knee"], part=["outer"], triggers=["downhill"], absent=["swelling"])
    assert assessment_json(symptoms, CATALOGUE) == _model_json(symptoms, CATALOGUE)


def test_the_same_question_object_is_written_once_and_alike() -> None:
    symptoms = Symptoms(where=["knee"], part=["outer"], screened=True, age=30, sex="male")
    first, second = rank(symptoms, CATALOGUE), rank(symptoms, CATALOGUE)
    assert first.question is not None and first.question is second.question
    assert write(first) == write(second) == _model_json(symptoms, CATALOGUE)
