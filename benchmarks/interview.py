"""Scripted interviews over the vignette suites, through `match --json` and its `next_question`, as a script would run them.

Each interview starts from the vignette's place, age and sex only (whatever of
them the vignette gives) and then does what `next_question` says, adding the
`args` of the option it picks and calling `match --json` again, until
`next_question` is null:

- the warning screen: the options whose sign the vignette reports, then `then`
  (`--screened`);
- a choice: the vignette's own value (its part, its pain score); for a part it
  does not give, "Not sure"; for a pain score it does not give, 5 (a vignette
  that names no place starts from its screen answer, and stops if asked where);
- a yes/no question: "yes" for a finding the vignette reports (or one implied
  by what it reports), "no" for one it reports absent, and "not sure" for a
  fact it does not mention (`--unmentioned no` answers those "no" instead).

Why "not sure" by default: top-1 at the stop is compared with top-1 when every
fact of the vignette is given at once, and there a fact the vignette does not
mention is unknown, not absent. Answering it "no" would give the interview
information the comparison does not have (and most often the wrong way: a
vignette leaves out much that is true). `--unmentioned no` is the harsher
test, and the README gives both.

Printed per suite and in total: red-flag recall at the stop (a red-flag case
whose triage reaches its expected level with a warning sign named), the same
with every fact of the vignette given at once, the follow-up questions asked
(what the 12-question cap counts: yes/no questions and pain scores, not the
screen or the part) as median and maximum, all prompts including the screen
and the part, top-1 at the stop against top-1 with every fact, and how many
questions were asked after the triage reached `emergency` (target 0).

`match` runs in this process through typer's test runner, with the real
command line parsing every argument.

    python benchmarks/interview.py [--suite NAME ...] [--unmentioned no|unsure] [--json] [--misses]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from needlematch.cli import app
from needlematch.known import implied
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import TERMS_BY_ID, screen_terms

VIGNETTES = Path(__file__).resolve().parents[1] / "tests" / "vignettes"
SUITES = (
    "cases",
    "holdout",
    "holdout2",
    "holdout3",
    "redflags",
    "lookalikes",
    "conditions27",
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
RANKED_GROUPS = {"typical", "atypical", "lookalike"}
LEVELS = ("routine", "soon", "urgent", "emergency")
UNKNOWN_SEVERITY = "5"
RUNNER = CliRunner()


def match(args: list[str]) -> dict[str, Any]:
    """One `needlematch match ARGS --json`, run in this process."""
    result = RUNNER.invoke(app, ["match", *args, "--json"], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"match {' '.join(args)} exited {result.exit_code}: {result.output}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def opening(full: Symptoms, has: set[str]) -> list[str]:
    """Place, age and sex: what the interview starts from.

    `match` needs something about the pain to start: a vignette that names no
    place starts from its answer to the warning screen instead, and one with no
    warning sign either from when it hurts and how it started.
    """
    args = [arg for place in full.where for arg in ("--where", place)]
    if full.age is not None:
        args += ["--age", str(full.age)]
    if full.sex is not None:
        args += ["--sex", full.sex]
    if not full.where:
        signs = [term for term in screen_terms(full.age, full.sex) if term in has]
        args += [arg for sign in signs for arg in ("--sign", sign)] + ["--screened"]
        if not signs:  # no place and no warning sign (chest pain on a run): when it hurts
            args += [arg for when in full.when for arg in ("--when", when)]
            args += ["--onset", full.onset] if full.onset else []
    return args


def answer(
    question: dict[str, Any], full: Symptoms, has: set[str], unmentioned: str = "unsure"
) -> tuple[list[str], str]:
    """The args that answer `question` from the vignette, and what kind of prompt it was."""
    options = question["options"]
    if question["kind"] == "screen":
        args = [arg for option in options if option["answer"] in has for arg in option["args"]]
        return args + question["then"], "screen"
    if question["kind"] == "choice":
        by_answer = {option["answer"]: option for option in options}
        term = question["term"]
        if term == "severity":
            value = str(full.severity) if full.severity is not None else UNKNOWN_SEVERITY
            return by_answer[value]["args"], "severity"
        given = full.part if term == "part" else full.where
        chosen = next((by_answer[value] for value in given if value in by_answer), None)
        return (chosen or options[-1])["args"], term
    yes, no, unsure = options
    if question["term"] in has:
        return yes["args"], "follow-up"
    if TERMS_BY_ID[question["term"]].dimension == "onset" and full.onset is not None:
        return no["args"], "follow-up"  # it started the other way
    if unmentioned == "unsure" and question["term"] not in full.absent:
        return unsure["args"], "follow-up"
    return no["args"], "follow-up"


def interview(case: dict[str, Any], unmentioned: str = "unsure") -> dict[str, Any]:
    """One scripted interview; what it asked, and the result at the stop."""
    full = Symptoms.model_validate(case["symptoms"])
    has = set(full.present()) | set(implied(full.present()))
    args = opening(full, has)
    prompts: dict[str, int] = {}
    after_emergency = 0
    for _ in range(60):
        result = match(args)
        question = result["next_question"]
        if question is None or (question["term"] == "where" and not full.where):
            break  # nothing more to ask, or a place the vignette does not give
        if result["triage"]["level"] == "emergency":
            after_emergency += 1
        more, kind = answer(question, full, has, unmentioned)
        prompts[kind] = prompts.get(kind, 0) + 1
        args += more
    else:
        raise RuntimeError(f"{case['id']}: no stop after 60 prompts")
    return {"result": result, "prompts": prompts, "after_emergency": after_emergency}


def _caught(case: dict[str, Any], result: dict[str, Any]) -> bool:
    level = result["triage"]["level"]
    want = case.get("expected_triage") or "routine"
    return LEVELS.index(level) >= LEVELS.index(want) and bool(result["triage"]["red_flags"])


def run(name: str, misses: list[str], unmentioned: str = "unsure") -> dict[str, Any]:
    cases = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    follow_ups: list[int] = []
    prompts: list[int] = []
    after_emergency = 0
    top1 = top1_full = ranked = 0
    flagged = flagged_full = flag_cases = 0
    for case in cases:
        done = interview(case, unmentioned)
        result = done["result"]
        follow_ups.append(done["prompts"].get("follow-up", 0))
        prompts.append(sum(done["prompts"].values()))
        after_emergency += done["after_emergency"]
        full_result = _full(case)
        if case["group"] in RANKED_GROUPS and case.get("expected"):
            ranked += 1
            hit = result["matches"][0]["id"] == case["expected"]
            top1 += hit
            top1_full += full_result["matches"][0]["id"] == case["expected"]
            if not hit:
                misses.append(
                    f"{name}/{case['id']}: top-1 {result['matches'][0]['id']} "
                    f"(expected {case['expected']}) after {done['prompts']}"
                )
        if case["group"] == "red-flag":
            flag_cases += 1
            caught = _caught(case, result)
            flagged += caught
            flagged_full += _caught(case, full_result)
            if not caught:
                misses.append(
                    f"{name}/{case['id']}: red flag missed at the stop "
                    f"({result['triage']['level']}; with every fact "
                    f"{full_result['triage']['level']})"
                )
    return {
        "suite": name,
        "interviews": len(cases),
        "follow_ups": follow_ups,
        "prompts": prompts,
        "after_emergency": after_emergency,
        "ranked": ranked,
        "top1_at_stop": top1,
        "top1_all_facts": top1_full,
        "red_flag_cases": flag_cases,
        "flagged_at_stop": flagged,
        "flagged_all_facts": flagged_full,
    }


def _full(case: dict[str, Any]) -> dict[str, Any]:
    """The result with every fact of the vignette given at once (its symptoms, as flags)."""
    symptoms = {key: value for key, value in case["symptoms"].items() if key != "text"}
    result = RUNNER.invoke(
        app, ["match", "--symptoms", "-", "--json"], input=json.dumps(symptoms) + "\n"
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:.1%}" if total else "-"


def _line(figures: dict[str, Any]) -> str:
    follow_ups = figures["follow_ups"]
    prompts = figures["prompts"]
    return (
        f"{figures['suite']:<13} {figures['interviews']:>4}  "
        f"red flags {_rate(figures['flagged_at_stop'], figures['red_flag_cases']):>6} "
        f"(every fact {_rate(figures['flagged_all_facts'], figures['red_flag_cases']):>6})  "
        f"follow-ups median {statistics.median(follow_ups):>4}, max {max(follow_ups):>2}  "
        f"prompts median {statistics.median(prompts):>4}, max {max(prompts):>2}  "
        f"top-1 {_rate(figures['top1_at_stop'], figures['ranked']):>6} "
        f"(every fact {_rate(figures['top1_all_facts'], figures['ranked']):>6})  "
        f"after an emergency {figures['after_emergency']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", action="append", choices=SUITES)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument(
        "--unmentioned",
        choices=("no", "unsure"),
        default="unsure",
        help="the answer to a yes/no question about a fact the vignette does not mention",
    )
    args = parser.parse_args()
    misses: list[str] = []
    results = [run(name, misses, args.unmentioned) for name in args.suite or SUITES]
    total = {
        "suite": "all",
        "interviews": sum(r["interviews"] for r in results),
        "follow_ups": [n for r in results for n in r["follow_ups"]],
        "prompts": [n for r in results for n in r["prompts"]],
        **{
            key: sum(r[key] for r in results)
            for key in (
                "after_emergency",
                "ranked",
                "top1_at_stop",
                "top1_all_facts",
                "red_flag_cases",
                "flagged_at_stop",
                "flagged_all_facts",
            )
        },
    }
    if args.json:
        json.dump([*results, total], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    for figures in [*results, total]:
        print(_line(figures))
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
