"""Simulated adaptive interviews over the vignette suite: how many questions, and how right at the stop.

Each interview starts from the vignette's region and part only, then asks what
`engine.next_question` picks and answers from the vignette's own facts: "yes"
for a finding the vignette reports, "no" for one it denies. A finding the
vignette does not mention is answered "no" (mode `unmentioned=no`: a vignette
lists what the runner has) or "not sure" (mode `unmentioned=not-sure`, the
stricter reading); both are printed. Accuracy at the stop is compared with the
ranking from every fact of the vignette given at once.

    python benchmarks/interview.py [--cases PATH] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from needlematch.catalogue import load_catalogue
from needlematch.engine import MAX_QUESTIONS, assess, next_question
from needlematch.symptoms import Symptoms

CASES = Path(__file__).resolve().parents[1] / "tests" / "vignettes" / "cases.json"
RANKED_GROUPS = {"typical", "atypical", "lookalike"}


def _facts(case: dict[str, Any]) -> tuple[set[str], set[str], Symptoms]:
    full = Symptoms.model_validate(case["symptoms"])
    return set(full.present()), set(full.absent), full


def interview(case: dict[str, Any], catalogue: Any, unmentioned: str) -> tuple[int, Symptoms]:
    """Run one simulated interview; returns the number of questions asked and the final symptoms."""
    present, absent, full = _facts(case)
    answers: dict[str, Any] = {"where": list(full.where), "part": list(full.part), "absent": []}
    unsure: set[str] = set()
    asked = 0
    while True:
        symptoms = Symptoms.model_validate(answers)
        question = next_question(symptoms, catalogue, asked=asked, skip=frozenset(unsure))
        if question is None:
            return asked, symptoms
        asked += 1
        term = question.term
        if term in present:
            fields = symptoms.model_dump()
            answers = {**fields, **_with_term(fields, term)}
        elif term in absent or unmentioned == "no":
            answers = {**symptoms.model_dump(), "absent": [*symptoms.absent, term]}
        else:
            unsure.add(term)


def _with_term(fields: dict[str, Any], term: str) -> dict[str, Any]:
    from needlematch.vocabulary import TERMS_BY_ID

    dimension = TERMS_BY_ID[term].dimension
    if dimension == "onset":
        return {"onset": term}
    if dimension == "sides":
        return {"both_sides": True}
    return {dimension: [*fields[dimension], term]}


def _top(symptoms: Symptoms, catalogue: Any) -> list[str]:
    result = assess(symptoms, catalogue, with_next_question=False)
    return [match.id for match in result.matches]


def run(cases: list[dict[str, Any]], unmentioned: str) -> dict[str, Any]:
    catalogue = load_catalogue()
    counts: list[int] = []
    top1 = top3 = full_top1 = full_top3 = ranked = 0
    flags_found = flag_cases = 0
    for case in cases:
        asked, final = interview(case, catalogue, unmentioned)
        counts.append(asked)
        if case["group"] in RANKED_GROUPS and case["expected"]:
            ranked += 1
            at_stop = _top(final, catalogue)
            everything = _top(Symptoms.model_validate(case["symptoms"]), catalogue)
            top1 += at_stop[0] == case["expected"]
            top3 += case["expected"] in at_stop[:3]
            full_top1 += everything[0] == case["expected"]
            full_top3 += case["expected"] in everything[:3]
        if case["group"] == "red-flag":
            flag_cases += 1
            result = assess(final, catalogue, with_next_question=False)
            flags_found += bool(result.triage.red_flags)
    return {
        "mode": f"unmentioned={unmentioned}",
        "interviews": len(cases),
        "questions_median": statistics.median(counts),
        "questions_max": max(counts),
        "questions_cap": MAX_QUESTIONS,
        "ranked_cases": ranked,
        "top1_at_stop": round(top1 / ranked, 3),
        "top3_at_stop": round(top3 / ranked, 3),
        "top1_all_facts": round(full_top1 / ranked, 3),
        "top3_all_facts": round(full_top3 / ranked, 3),
        "red_flag_cases_flagged_at_stop": f"{flags_found}/{flag_cases}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cases = json.loads(args.cases.read_text(encoding="utf-8"))
    results = [run(cases, "no"), run(cases, "not-sure")]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for figures in results:
        print(
            f"{figures['mode']:<22} {figures['interviews']} interviews: questions median "
            f"{figures['questions_median']}, max {figures['questions_max']} "
            f"(cap {figures['questions_cap']}); at the stop top-1 {figures['top1_at_stop']:.1%}, "
            f"top-3 {figures['top3_at_stop']:.1%}; with every fact top-1 "
            f"{figures['top1_all_facts']:.1%}, top-3 {figures['top3_all_facts']:.1%}; "
            f"red-flag cases flagged at the stop {figures['red_flag_cases_flagged_at_stop']}"
        )


if __name__ == "__main__":
    main()
