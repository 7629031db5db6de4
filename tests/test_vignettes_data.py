"""The clinical vignettes (tests/vignettes/cases.json) are well formed and cover what the benchmark needs."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from needlematch.symptoms import Symptoms
from needlematch.vocabulary import TERMS_BY_ID

from .conftest import ALL_CONDITIONS, SEVEN_INJURIES

ROOT = Path(__file__).resolve().parent.parent
CASES_PATH = ROOT / "tests" / "vignettes" / "cases.json"
BENCHMARK_PATH = ROOT / "benchmarks" / "accuracy.py"

INJURIES = ALL_CONDITIONS
GROUPS = ("typical", "atypical", "lookalike", "red-flag", "outside")
HELD_OUT_SUITES = (
    "holdout.json",
    "holdout2.json",
    "holdout3.json",
    "redflags.json",
    "lookalikes.json",
    "conditions27.json",
    "stories.json",
    "stories2.json",
    "stories3.json",
    "stories4.json",
    "stories5.json",
    "stories6.json",
    "stories7.json",
    "stories8.json",
    "stories9.json",
    "stories10.json",
)
LEVELS = ("routine", "soon", "urgent", "emergency")
RED_FLAG_LEVELS = {
    "dvt": "urgent",
    "dvt-with-breathlessness": "emergency",
    "breathlessness": "emergency",
    "acute-compartment-syndrome": "emergency",
    "exertional-compartment-syndrome": "soon",
    "achilles-rupture": "urgent",
    "femoral-neck-stress-fracture": "urgent",
    "ankle-fracture": "urgent",
    "knee-ligament-tear": "urgent",
    "hamstring-avulsion": "urgent",
    "bone-tumour-or-infection": "urgent",
    "septic-arthritis": "emergency",
    "cauda-equina": "emergency",
    "popliteal-artery-entrapment": "soon",
    "slipped-epiphysis": "urgent",
    "high-risk-stress-fracture": "soon",
    "cannot-bear-weight": "urgent",
}
# Red flags that are easy to miss and costly to miss: several cases each.
SEVERAL = ("dvt", "achilles-rupture", "femoral-neck-stress-fracture")
# Look-alike pairs: (injury, region the case is at) on each side; None: any region
# (an insertional Achilles case is reported at the back of the heel).
LOOKALIKE_SIDES: tuple[tuple[str, str | None], ...] = (
    ("runners-knee", "knee"),
    ("it-band-syndrome", "knee"),
    ("shin-splints", "shin"),
    ("stress-fracture", "shin"),
    ("plantar-fasciitis", "heel"),
    ("stress-fracture", "heel"),
    ("achilles-tendinitis", None),
)
KEYS = {
    "id",
    "group",
    "expected",
    "expected_triage",
    "expected_red_flag",
    "condition",
    "symptoms",
    "text",
    "source",
}
SYMPTOM_KEYS = set(Symptoms.model_fields) - {"text"}
# Who the runner is, how long it has hurt and the interview's bookkeeping came later:
# older suites leave them out.
OPTIONAL_KEYS = {"age", "sex", "duration", "screened", "unsure"}


def _cases() -> list[dict[str, Any]]:
    with open(CASES_PATH, encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


CASES = _cases()


def _ids(case: dict[str, Any]) -> str:
    return str(case.get("id"))


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("needlematch_accuracy", BENCHMARK_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_is_a_list_of_at_least_80_cases_with_unique_ids() -> None:
    assert isinstance(CASES, list)
    assert len(CASES) >= 80
    counts = Counter(case["id"] for case in CASES)
    assert [i for i, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_case_shape(case: dict[str, Any]) -> None:
    assert set(case) == KEYS
    assert case["group"] in GROUPS
    assert case["expected"] is None or case["expected"] in INJURIES
    assert case["expected_triage"] in LEVELS
    assert case["expected_red_flag"] is None or case["expected_red_flag"] in RED_FLAG_LEVELS
    assert isinstance(case["condition"], str) and case["condition"].strip()
    assert isinstance(case["text"], str) and len(case["text"].strip()) >= 30
    source = case["source"]
    assert isinstance(source, dict) and source.get("title", "").strip()
    assert str(source.get("url", "")).startswith(("http://", "https://"))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_symptoms_are_valid_terms(case: dict[str, Any]) -> None:
    symptoms = case["symptoms"]
    assert SYMPTOM_KEYS - OPTIONAL_KEYS <= set(symptoms) <= SYMPTOM_KEYS, (
        "symptoms carry the structured fields, no text"
    )
    parsed = Symptoms(**symptoms)
    assert parsed.present(), "every case reports at least one finding"
    assert parsed.where, "every case says where it hurts"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_text_is_lay_words_not_term_ids(case: dict[str, Any]) -> None:
    text = case["text"].lower()
    leaked = [term for term in TERMS_BY_ID if "-" in term and term in text]
    assert leaked == [], f"text should use a runner's words, not term ids: {leaked}"
    severity = case["symptoms"]["severity"]
    if severity is not None:
        assert str(severity) in case["text"], "a severity in symptoms is stated in the text too"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_labels_agree_with_group(case: dict[str, Any]) -> None:
    group, expected = case["group"], case["expected"]
    flag, triage = case["expected_red_flag"], case["expected_triage"]
    if group in ("typical", "atypical", "lookalike"):
        assert expected is not None
    if group == "outside":
        assert expected is None
    if group == "red-flag":
        assert flag is not None
        assert triage == RED_FLAG_LEVELS[flag]
    else:
        assert flag is None
        soon = {"stress-fracture", "chronic-exertional-compartment-syndrome"}
        assert triage == ("soon" if expected in soon else "routine")


def test_red_flag_levels_agree_with_the_catalogue() -> None:
    catalogue = json.loads((ROOT / "data" / "injuries.json").read_text(encoding="utf-8"))
    defined = {flag["id"]: flag.get("level") for flag in catalogue.get("red_flags", [])}
    disagree = {
        flag: (level, defined[flag])
        for flag, level in RED_FLAG_LEVELS.items()
        if flag in defined and defined[flag] != level
    }
    assert disagree == {}


def test_each_injury_has_typical_and_atypical_cases() -> None:
    counts = Counter((case["group"], case["expected"]) for case in CASES)
    short = {
        (group, injury): counts[(group, injury)]
        for injury in SEVEN_INJURIES  # conditions27.json covers the other twenty
        for group, minimum in (("typical", 4), ("atypical", 2))
        if counts[(group, injury)] < minimum
    }
    assert short == {}


def test_each_side_of_each_lookalike_pair_has_three_cases() -> None:
    counts = Counter(
        (case["expected"], region)
        for case in CASES
        if case["group"] == "lookalike"
        for region in [*case["symptoms"]["where"], None]
    )
    assert {side: counts[side] for side in LOOKALIKE_SIDES if counts[side] < 3} == {}


def test_every_red_flag_is_covered() -> None:
    counts = Counter(case["expected_red_flag"] for case in CASES if case["group"] == "red-flag")
    assert [flag for flag in RED_FLAG_LEVELS if counts[flag] < 1] == []
    assert {flag: counts[flag] for flag in SEVERAL if counts[flag] < 3} == {}


def test_out_of_catalogue_conditions_are_many_and_varied() -> None:
    # cases.json's outside conditions joined the catalogue; the other suites carry them now.
    outside = [
        case
        for name in HELD_OUT_SUITES
        for case in json.loads((ROOT / "tests" / "vignettes" / name).read_text(encoding="utf-8"))
        if case["group"] == "outside"
    ]
    assert len(outside) >= 12
    assert len({case["condition"] for case in outside}) >= 10


def test_benchmark_loads_and_scores_the_cases() -> None:
    benchmark = _benchmark()
    cases = benchmark.load_cases()
    assert cases == CASES

    def perfect(case: dict[str, Any]) -> dict[str, Any]:
        expected = case["expected"]
        others = [i for i in INJURIES if i != expected]
        ids = [expected, *others] if expected and case["group"] != "outside" else others
        unmatched = 0.5 if case["group"] == "outside" else 0.01
        matches = [{"id": i, "probability": 0.4 / (n + 1)} for n, i in enumerate(ids)]
        flag = case["expected_red_flag"]
        return {
            "symptoms": case["symptoms"],
            "matches": matches,
            "unmatched_probability": unmatched,
            "triage": {
                "level": case["expected_triage"],
                "red_flags": [{"id": flag}] if flag else [],
            },
        }

    figures = benchmark.score(cases, [perfect(case) for case in cases])
    for key in ("top1", "top3", "lookalike_top1", "red_flag_recall", "outside_detection"):
        # cases.json has no outside case since those conditions joined the catalogue
        assert figures[key]["rate"] == (None if figures[key]["total"] == 0 else 1.0), key
    assert figures["over_triage"]["hits"] == 0
    assert figures["misses"] == []

    broken = benchmark.score(cases, [{"error": "boom", "line": 1}])
    assert broken["errors"] == len(cases)
    assert broken["top1"]["rate"] == 0.0


@pytest.mark.parametrize("name", HELD_OUT_SUITES)
def test_held_out_suites_are_well_formed(name: str) -> None:
    cases = json.loads((ROOT / "tests" / "vignettes" / name).read_text(encoding="utf-8"))
    assert len(cases) >= 35
    assert len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        Symptoms.model_validate(case["symptoms"])
        assert case["group"] in GROUPS
        assert case["expected"] is None or case["expected"] in INJURIES
        assert case["expected_triage"] in LEVELS
        assert case["text"].strip()
        assert case["source"]["url"].startswith("http")
