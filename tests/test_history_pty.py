"""`needlematch check` and the history, in a pseudo-terminal: the save question, and the pain questions when the place has history."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from needlematch import history
from needlematch.catalogue import Catalogue
from needlematch.engine import assess
from needlematch.symptoms import Symptoms

from .test_interview_pty import (
    DOWN,
    ENTER,
    RUNNERS_KNEE_YES,
    SAVE_QUESTION,
    finish,
    follow_ups,
    opening,
    pexpect,
    screen_text,
    spawn_check,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "needlematch"
    monkeypatch.setenv("NEEDLEMATCH_HOME", str(folder))
    return folder


def interview_runners_knee(child: Any) -> None:
    opening(child, where="knee", part="around", signs=("none-of-these",), severity=5)
    follow_ups(child, yes=RUNNERS_KNEE_YES)
    child.send(ENTER)  # nothing in my own words


def test_check_saves_nothing_unless_the_runner_says_yes(home: Path) -> None:
    child = spawn_check()
    interview_runners_knee(child)
    status, shown = finish(child)  # Enter: the pointer starts on No
    assert status == 0 and "Runner's Knee" in shown
    assert not home.exists()


def test_check_saves_when_asked_to(home: Path) -> None:
    child = spawn_check()
    interview_runners_knee(child)
    status, shown = finish(child, save=True)
    assert status == 0
    assert "saved to your history as entry 1" in shown
    (saved,) = history.entries()
    assert json.loads(saved.assessment)["symptoms"]["where"] == ["knee"]


def test_check_asks_the_pain_questions_when_the_place_has_history(
    home: Path, catalogue: Catalogue
) -> None:
    earlier = assess(Symptoms(where=["knee"], part=["around"], severity=6), catalogue)
    history.save(earlier, catalogue, pain_next_morning=3)
    child = spawn_check()
    interview_runners_knee(child)
    child.expect_exact("How bad was it during your last run, from 0 to 10?")
    child.send(DOWN * 4 + ENTER)
    child.expect_exact("And the morning after that run, from 0 to 10?")
    child.send(DOWN * 2 + ENTER)
    status, shown = finish(child, save=True)
    assert status == 0
    assert "Inside the pain-monitoring limits" in shown
    assert re.search(r"Since earlier today: pain 6 → 5, \S", shown), shown
    latest = json.loads(history.entries()[-1].assessment)
    assert latest["pain_monitoring"]["during"] == 4
    assert latest["pain_monitoring"]["next_morning"] == 2
    assert latest["course"]["previous_entry"] == 1


def test_an_emergency_is_shown_without_asking_to_save(home: Path) -> None:
    child = spawn_check()
    opening(child, where="calf", part="back", signs=("breathless",))
    prompts = [
        r"Asked (?:because|to rule out)",
        "Anything else, in your own words",
        SAVE_QUESTION,
        pexpect.EOF,
    ]
    shown_early = getattr(child, "shown_before_the_end", None)  # the interview ended at once
    if shown_early is None:
        while (found := child.expect(prompts)) != 3:
            assert found != 2, "asked to save after an emergency"
            child.send(DOWN + ENTER if found == 0 else ENTER)  # no to any follow-up
    shown = screen_text(shown_early if shown_early is not None else child.before)
    child.close()
    assert child.exitstatus == 0 and "EMERGENCY" in shown
    assert not home.exists()
