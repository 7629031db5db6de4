"""The result after `check` speaks to a person: what to do and who to see first, no flags, one 50-row screen at 80 columns.

Every vignette of every suite is interviewed as a script would (the answers
taken from `next_question`'s options) and its result drawn as `check` draws it,
without colour, 80 columns wide.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from needlematch import bodymap, render
from needlematch.assessment import Assessment
from needlematch.catalogue import load_catalogue
from needlematch.engine import assess
from needlematch.known import implied
from needlematch.symptoms import Symptoms

from .conftest import cli_env, run_cli
from .test_red_flags_reachable import _with_args

CATALOGUE = load_catalogue()
VIGNETTES = Path(__file__).parent / "vignettes"
SCREEN_ROWS = 50
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def interviewed(case: dict[str, object]) -> Assessment:
    """The result at the stop of a scripted interview of this vignette."""
    full = Symptoms.model_validate(case["symptoms"])
    has = set(full.present()) | set(implied(full.present()))
    fields: dict[str, object] = {"where": list(full.where), "age": full.age, "sex": full.sex}
    fields["duration"] = full.duration or "weeks"
    for _ in range(40):
        result = assess(Symptoms.model_validate(fields), CATALOGUE)
        question = result.next_question
        if question is None:
            if result.symptoms.severity is None:
                fields["severity"] = 4  # check asks how bad it is unless an emergency ends it
                return assess(Symptoms.model_validate(fields), CATALOGUE)
            return result
        if question.kind == "screen":
            args = [a for o in question.options if o.answer in has for a in o.args]
            args += question.then
        elif question.kind == "choice":
            chosen = next((o for o in question.options if o.answer in has), question.options[-1])
            if question.term == "severity":
                chosen = question.options[full.severity if full.severity is not None else 4]
            args = chosen.args
        else:
            yes, no, _ = question.options
            args = (yes if question.term in has else no).args
        fields = _with_args(fields, list(args))
    raise AssertionError("no stop")


def drawn(result: Assessment) -> str:
    screen = io.StringIO()
    console = Console(file=screen, width=80, no_color=True, highlight=False, emoji=False)
    original = render.console
    render.console = lambda **_: console  # type: ignore[assignment]
    try:
        render.assessment(result, CATALOGUE, interviewed=True)
    finally:
        render.console = original  # type: ignore[assignment]
    return screen.getvalue()


SUITES = sorted(path.stem for path in VIGNETTES.glob("*.json"))


@pytest.mark.parametrize("suite", SUITES)
def test_every_result_fits_one_screen_and_speaks_to_a_person(suite: str) -> None:
    cases = json.loads((VIGNETTES / f"{suite}.json").read_text(encoding="utf-8"))
    for case in cases:
        result = interviewed(case)
        shown = drawn(result)
        lines = shown.splitlines()
        where = f"{suite}/{case['id']}"
        assert len(lines) <= SCREEN_ROWS, f"{where}: {len(lines)} rows\n{shown}"
        assert max(len(line) for line in lines) <= 80, where
        assert "\x1b" not in shown, where
        assert not FLAG.search(shown), f"{where}: a command-line flag for a person\n{shown}"
        level = result.triage.level
        if level == "routine":
            assert lines[0].startswith("What to do next:"), where
            helps = result.what_helps
            if helps is not None:
                leading = CATALOGUE.find(helps.injury)
                assert leading is not None
                who = " ".join(leading.who_treats.when.split()[:6])
                assert who in " ".join(shown.split()), f"{where}: who to see is missing"
        else:
            assert shown.index(render.LEVEL_HEADLINE[level]) < shown.index("Understood:"), where
        if level == "emergency":
            assert "Injury, and why" not in shown and "pain that persists" not in shown
            assert "call emergency services now" in lines[-1].lower(), where
        if level in ("urgent", "emergency"):
            panel = shown[: shown.index("Understood:")]
            lower = {"urgent": ("within days",), "emergency": ("today", "within days")}[level]
            assert not any(words in panel for words in lower), f"{where}: {panel}"


def test_the_body_map_marks_the_place_without_colour() -> None:
    lines = bodymap.lines(["calf"])
    assert max(len(line) for line in lines) <= 80
    assert any(line.endswith("<< CALF") for line in lines)
    assert not any(">>" in line or "<<" in line for line in bodymap.lines())
    for place, label in bodymap.LABELS.items():
        assert label in "\n".join(bodymap.lines()), place
        marked = "\n".join(bodymap.lines([place]))
        assert label.upper() in marked and ("<<" in marked or ">>" in marked), place


def test_match_marks_the_place_and_keeps_the_flags_for_scripts() -> None:
    result = run_cli(
        "match", "--where", "knee", "--part", "outer", "--screened", env=cli_env(COLUMNS="80")
    )
    assert result.returncode == 0
    assert "KNEE >>" in result.stdout and "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    # After `match` (not `check`), the next question says which flags answer it.
    assert "To narrow it down:" in result.stdout and "add --" in result.stdout
