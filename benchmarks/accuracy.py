"""How well needlematch ranks and triages the clinical vignettes, through its public `match` command.

Runs every case of tests/vignettes/cases.json through one batch process of
`needlematch match --symptoms - --json` twice: once as the structured symptoms
(the flags form) and once as the runner's own words (the text form). Prints the
figures and every miss so they can be studied. Plain stdlib; exits 0 whatever
the figures are.

    python benchmarks/accuracy.py [--json] [--cases PATH] [--form flags|text|both]
    python benchmarks/accuracy.py --summary     # every suite, as the README's tables

Tests import `load_cases` and `score` from this file by path (benchmarks/ is not a package).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = ROOT / "tests" / "vignettes" / "cases.json"

LEVELS = ("routine", "soon", "urgent", "emergency")
RANKED_GROUPS = ("typical", "atypical", "lookalike")
FORMS = ("flags", "text")


def load_cases(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """The vignettes, as a list of dicts, from `path` or tests/vignettes/cases.json."""
    with open(path or DEFAULT_CASES, encoding="utf-8") as fh:
        cases = json.load(fh)
    if not isinstance(cases, list):
        raise ValueError(f"{path or DEFAULT_CASES}: expected a JSON array of cases")
    return cases


def case_input(case: dict[str, Any], form: str) -> dict[str, Any]:
    """What is piped for one case: its symptoms (without text), or only its text."""
    if form == "text":
        return {"text": case["text"]}
    return {key: value for key, value in case["symptoms"].items() if key != "text"}


def _command(catalogue: str | None) -> tuple[list[str], dict[str, str]]:
    cmd = [sys.executable, "-m", "needlematch", "match", "--symptoms", "-", "--json"]
    if catalogue:
        cmd += ["--catalogue", catalogue]
    env = dict(os.environ)
    if importlib.util.find_spec("needlematch") is None:
        # Running from a checkout without an install: use the source tree.
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(ROOT / "src"), env.get("PYTHONPATH")) if part
        )
    return cmd, env


def run_batch(
    inputs: Sequence[dict[str, Any]], catalogue: str | None = None, timeout: float = 600
) -> list[dict[str, Any]]:
    """One result per input, in order, from a single batch `match` process.

    A line the process did not answer (it crashed or stopped early) becomes an
    error object, so a broken run shows up as misses rather than as a crash here.
    """
    cmd, env = _command(catalogue)
    payload = "".join(json.dumps(obj) + "\n" for obj in inputs)
    try:
        proc = subprocess.run(
            cmd,
            input=payload,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [
            {"error": f"could not run needlematch: {exc}", "line": i + 1}
            for i in range(len(inputs))
        ]
    results: list[dict[str, Any]] = []
    for raw in proc.stdout.splitlines():
        if not raw.strip():
            continue
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            parsed = {"error": f"not JSON: {raw[:120]}"}
        results.append(
            parsed if isinstance(parsed, dict) else {"error": f"not an object: {raw[:120]}"}
        )
    if len(results) < len(inputs):
        tail = proc.stderr.strip().splitlines()[-1:] or [""]
        why = f"no output (exit {proc.returncode}){': ' + tail[0] if tail[0] else ''}"
        results += [{"error": why, "line": i + 1} for i in range(len(results), len(inputs))]
    return results[: len(inputs)]


def _ranking(result: dict[str, Any] | None) -> list[str]:
    if not result or "error" in result:
        return []
    matches = sorted(result.get("matches") or [], key=lambda m: -float(m.get("probability", 0)))
    return [str(m.get("id")) for m in matches]


def _level(result: dict[str, Any] | None) -> str | None:
    if not result or "error" in result:
        return None
    return (result.get("triage") or {}).get("level")


def _flags(result: dict[str, Any] | None) -> list[str]:
    if not result or "error" in result:
        return []
    return [str(flag.get("id")) for flag in (result.get("triage") or {}).get("red_flags") or []]


def _none_leads(result: dict[str, Any] | None) -> bool:
    if not result or "error" in result:
        return False
    unmatched = result.get("unmatched_probability")
    probs = [float(m.get("probability", 0)) for m in result.get("matches") or []]
    return isinstance(unmatched, int | float) and bool(probs) and unmatched > max(probs)


def _rank_of(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def _rate(hits: int, total: int) -> dict[str, Any]:
    return {"hits": hits, "total": total, "rate": round(hits / total, 4) if total else None}


def _got(result: dict[str, Any] | None) -> str:
    if not result:
        return "no result"
    if "error" in result:
        return f"error: {result['error']}"
    ranking = _ranking(result)
    top = ranking[0] if ranking else "nothing"
    probs = {m.get("id"): m.get("probability") for m in result.get("matches") or []}
    unmatched = result.get("unmatched_probability")
    return f"{top} ({_fmt(probs.get(top))}; none {_fmt(unmatched)}; triage {_level(result)})"


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "?"


def score(
    cases: Sequence[dict[str, Any]], results: Sequence[dict[str, Any] | None]
) -> dict[str, Any]:
    """The figures for one run: `results[i]` is the output line (or error object) for `cases[i]`.

    Returns top1, top3, lookalike_top1, red_flag_recall, red_flag_id_recall,
    over_triage, outside_detection (each {hits, total, rate}), errors, top1 by
    group and by expected injury, and misses: one dict per miss with id, kind,
    expected and got.
    """
    results = list(results) + [None] * (len(cases) - len(results))
    top1 = top3 = look_hits = look_total = ranked = none_first = 0
    rf_hits = rf_total = rf_id_hits = 0
    over = non_rf = out_hits = out_total = errors = 0
    by_group: dict[str, list[int]] = {}
    by_injury: dict[str, list[int]] = {}
    confused: dict[tuple[str, str], int] = {}
    misses: list[dict[str, Any]] = []

    for case, result in zip(cases, results, strict=False):
        group, expected = case.get("group"), case.get("expected")
        if not result or "error" in result:
            errors += 1
            misses.append(
                {"id": case["id"], "kind": "error", "expected": expected, "got": _got(result)}
            )
        ranking = _ranking(result)
        level = _level(result)
        flags = _flags(result)

        if group in RANKED_GROUPS and expected:
            ranked += 1
            hit1 = bool(ranking) and ranking[0] == expected
            top1 += hit1
            none_first += _none_leads(result)
            top3 += expected in ranking[:3]
            for table, key in ((by_group, group), (by_injury, expected)):
                table.setdefault(key, [0, 0])
                table[key][0] += hit1
                table[key][1] += 1
            if group == "lookalike":
                look_total += 1
                look_hits += hit1
            if not hit1 and result and "error" not in result:
                got = ranking[0] if ranking else "nothing"
                unmatched = result.get("unmatched_probability")
                probs = [float(m.get("probability", 0)) for m in result.get("matches") or []]
                if isinstance(unmatched, int | float) and probs and unmatched > max(probs):
                    got = "none of these"
                confused[(expected, got)] = confused.get((expected, got), 0) + 1
                misses.append(
                    {"id": case["id"], "kind": "top1", "expected": expected, "got": _got(result)}
                )

        if group == "red-flag":
            rf_total += 1
            want = case.get("expected_triage")
            caught = _rank_of(level) >= _rank_of(want) and bool(flags)
            rf_hits += caught
            rf_id_hits += case.get("expected_red_flag") in flags
            if not caught and result and "error" not in result:
                misses.append(
                    {
                        "id": case["id"],
                        "kind": "red-flag",
                        "expected": f"{want} ({case.get('expected_red_flag')})",
                        "got": f"{level} ({', '.join(flags) or 'no red flag'})",
                    }
                )
        else:
            non_rf += 1
            if level in ("urgent", "emergency"):
                over += 1
                misses.append(
                    {
                        "id": case["id"],
                        "kind": "over-triage",
                        "expected": case.get("expected_triage"),
                        "got": f"{level} ({', '.join(flags) or 'no red flag'})",
                    }
                )

        if group == "outside":
            out_total += 1
            probs = [float(m.get("probability", 0)) for m in (result or {}).get("matches") or []]
            unmatched = (result or {}).get("unmatched_probability")
            detected = (
                result is not None
                and "error" not in result
                and isinstance(unmatched, int | float)
                and all(unmatched > p for p in probs)
            )
            out_hits += detected
            if not detected and result and "error" not in result:
                misses.append(
                    {
                        "id": case["id"],
                        "kind": "outside",
                        "expected": f"none ({case.get('condition')})",
                        "got": _got(result),
                    }
                )

    return {
        "cases": len(cases),
        "errors": errors,
        "top1": _rate(top1, ranked),
        "top3": _rate(top3, ranked),
        "lookalike_top1": _rate(look_hits, look_total),
        # A catalogue condition the runner has, shown under "none of these": lower is better.
        "none_first": _rate(none_first, ranked),
        "red_flag_recall": _rate(rf_hits, rf_total),
        "red_flag_id_recall": _rate(rf_id_hits, rf_total),
        "over_triage": _rate(over, non_rf),
        "outside_detection": _rate(out_hits, out_total),
        "top1_by_group": {k: _rate(*v) for k, v in sorted(by_group.items())},
        "top1_by_injury": {k: _rate(*v) for k, v in sorted(by_injury.items())},
        "confused": [
            {"expected": a, "got": b, "count": n}
            for (a, b), n in sorted(confused.items(), key=lambda item: (-item[1], item[0]))
        ],
        "misses": misses,
    }


def gap(flags_score: dict[str, Any], text_score: dict[str, Any]) -> dict[str, Any]:
    """How much top-1 accuracy is lost when the same cases are typed as text instead of flags."""
    a, b = flags_score["top1"]["rate"], text_score["top1"]["rate"]
    return {
        "flags_top1": a,
        "text_top1": b,
        "top1_gap": round(a - b, 4) if a is not None and b is not None else None,
    }


def _pct(figure: dict[str, Any]) -> str:
    rate = figure["rate"]
    shown = "  n/a" if rate is None else f"{100 * rate:5.1f}%"
    return f"{shown}  ({figure['hits']}/{figure['total']})"


def report(form: str, figures: dict[str, Any]) -> str:
    """The figures and misses of one form as text for a person."""
    lines = [f"== {form} form: {figures['cases']} cases, {figures['errors']} errors =="]
    labels = (
        ("top1", "top-1 accuracy"),
        ("top3", "top-3 accuracy"),
        ("lookalike_top1", "top-1 on look-alikes"),
        ("red_flag_recall", "red-flag recall"),
        ("red_flag_id_recall", "red-flag id named"),
        ("over_triage", "over-triage (lower is better)"),
        ("outside_detection", "out-of-catalogue detected"),
        ("none_first", "'none of these' above the answer"),
    )
    lines += [f"  {label:<32}{_pct(figures[key])}" for key, label in labels]
    lines.append(
        "  top-1 by group:   "
        + ", ".join(f"{k} {_pct(v)}" for k, v in figures["top1_by_group"].items())
    )
    lines.append("  top-1 by injury:")
    lines += [f"    {k:<22}{_pct(v)}" for k, v in figures["top1_by_injury"].items()]
    misses = [m for m in figures["misses"] if m["kind"] != "error"]
    errors: dict[str, list[str]] = {}
    for m in figures["misses"]:
        if m["kind"] == "error":
            errors.setdefault(m["got"], []).append(m["id"])
    lines.append(f"  misses ({len(misses)}):")
    lines += [
        f"    [{m['kind']}] {m['id']}: expected {m['expected']}, got {m['got']}" for m in misses
    ]
    for message, ids in errors.items():
        shown = ", ".join(ids[:8]) + (f", ... ({len(ids) - 8} more)" if len(ids) > 8 else "")
        lines.append(f"  {len(ids)} case(s) got {message}: {shown}")
    return "\n".join(lines)


HELD_OUT = ("holdout", "holdout2", "holdout3", "redflags", "lookalikes", "conditions27")
STORIES = (
    "stories",
    "stories2",
    "stories3",
    "stories4",
    "stories5",
    "stories6",
    "stories7",
    "stories8",
    "stories9",
    "stories10",
)
ALL_SUITES = ("cases", *HELD_OUT, *STORIES)
SUMMARY_FIGURES = (
    ("top1", "top-1"),
    ("top3", "top-3"),
    ("red_flag_recall", "red-flag recall"),
    ("over_triage", "over-triage"),
    ("outside_detection", "outside detected"),
    ("none_first", "'none' first on a catalogue case"),
)


def _cell(figure: dict[str, Any]) -> str:
    return "–" if figure["rate"] is None else f"{100 * figure['rate']:.1f}"


def summary(catalogue: str | None = None) -> str:
    """Every suite in both forms as Markdown tables: the figures, the held-out suites pooled,
    top-1 per condition over the held-out suites, and the pairs most often confused."""
    folder = ROOT / "tests" / "vignettes"
    scored: dict[str, dict[str, Any]] = {}
    pooled_cases: dict[str, list[dict[str, Any]]] = {form: [] for form in FORMS}
    pooled_results: dict[str, list[dict[str, Any]]] = {form: [] for form in FORMS}
    story_cases: dict[str, list[dict[str, Any]]] = {form: [] for form in FORMS}
    story_results: dict[str, list[dict[str, Any]]] = {form: [] for form in FORMS}
    for name in ALL_SUITES:
        cases = load_cases(folder / f"{name}.json")
        scored[name] = {}
        for form in FORMS:
            results = run_batch([case_input(case, form) for case in cases], catalogue=catalogue)
            scored[name][form] = score(cases, results)
            if name in HELD_OUT:
                pooled_cases[form] += cases
                pooled_results[form] += results
            if name in STORIES:
                story_cases[form] += cases
                story_results[form] += results
    pooled = {form: score(pooled_cases[form], pooled_results[form]) for form in FORMS}
    stories = {form: score(story_cases[form], story_results[form]) for form in FORMS}

    head = "| figure (flags / text) | " + " | ".join(ALL_SUITES) + " | held-out pooled |"
    lines = [head, "|" + "---|" * (len(ALL_SUITES) + 2)]
    for key, label in SUMMARY_FIGURES:
        cells = [
            f"{_cell(scored[n]['flags'][key])} / {_cell(scored[n]['text'][key])}"
            for n in ALL_SUITES
        ]
        cells.append(f"{_cell(pooled['flags'][key])} / {_cell(pooled['text'][key])}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| condition (top-1) | held-out vignettes, flags | held-out vignettes, text "
        "| real stories, flags | real stories, text |",
        "|---|---|---|---|---|",
    ]
    conditions = sorted(
        set(pooled["flags"]["top1_by_injury"]) | set(stories["flags"]["top1_by_injury"])
    )
    for condition in conditions:
        row = [condition]
        for figures in (pooled["flags"], pooled["text"], stories["flags"], stories["text"]):
            rate = figures["top1_by_injury"].get(condition)
            row.append("–" if rate is None else f"{_cell(rate)} ({rate['hits']}/{rate['total']})")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| most often confused (held-out pooled, both forms) | times |", "|---|---|"]
    counts: dict[tuple[str, str], int] = {}
    for form in FORMS:
        for pair in pooled[form]["confused"]:
            key = (pair["expected"], pair["got"])
            counts[key] = counts.get(key, 0) + pair["count"]
    for (expected, got), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]:
        lines.append(f"| {expected} read as {got} | {count} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="every suite, both forms, as the README's Markdown tables",
    )
    parser.add_argument("--cases", help="the vignettes file (default tests/vignettes/cases.json)")
    parser.add_argument("--form", choices=(*FORMS, "both"), default="both")
    parser.add_argument("--catalogue", help="passed through to needlematch")
    args = parser.parse_args(argv)

    if args.summary:
        print(summary(args.catalogue))
        return 0
    try:
        cases = load_cases(args.cases)
    except (OSError, ValueError) as exc:
        print(f"accuracy: cannot read cases: {exc}", file=sys.stderr)
        return 0
    forms = FORMS if args.form == "both" else (args.form,)
    figures: dict[str, Any] = {}
    for form in forms:
        results = run_batch([case_input(case, form) for case in cases], catalogue=args.catalogue)
        figures[form] = score(cases, results)
    if len(forms) == 2:
        figures["gap"] = gap(figures["flags"], figures["text"])

    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for form in forms:
        print(report(form, figures[form]))
        print()
    if "gap" in figures:
        g = figures["gap"]
        shown = "n/a" if g["top1_gap"] is None else f"{100 * g['top1_gap']:+.1f} points"
        errs = [f"{form} {figures[form]['errors']}" for form in forms if figures[form]["errors"]]
        note = f" (errors: {', '.join(errs)})" if errs else ""
        print(f"text-vs-flags top-1 gap (flags minus text): {shown}{note}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # Piped into `head`: the reader left; that is not a failure of the benchmark.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
