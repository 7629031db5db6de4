"""End to end: the real `python -m needlematch check` driven in a pseudo-terminal with pexpect.

Keys are typed as a runner would (arrows, space, enter) and the screen is read
back. The catalogue's numbers change as it is edited, so these tests assert
names, ids and triage levels only, never probabilities.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

if os.name != "posix":
    pytest.skip("pexpect needs a POSIX pseudo-terminal", allow_module_level=True)
pexpect = pytest.importorskip("pexpect")

from needlematch.engine import MAX_QUESTIONS  # noqa: E402
from needlematch.questions import QUESTIONS  # noqa: E402
from needlematch.vocabulary import TERMS  # noqa: E402

UP, DOWN = "\x1b[A", "\x1b[B"
ENTER, SPACE = "\r", " "
TIMEOUT = 10

REGIONS = [choice.value for choice in QUESTIONS["where"].choices]
PARTS = [choice.value for choice in QUESTIONS["part"].choices]
SIGNS = [choice.value for choice in QUESTIONS["warning_signs"].choices]
TERM_BY_QUESTION = {term.question: term.id for term in TERMS}

_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_QUESTION_LINE = re.compile(r"^\? (.+?\?)\s*$", re.MULTILINE)


def screen_text(raw: str) -> str:
    """What was written, without escape sequences or carriage returns."""
    return _ESCAPE.sub("", raw).replace("\r", "")


def environment() -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1", TERM="xterm", COLUMNS="100")
    # pexpect is no terminal emulator: it never answers prompt_toolkit's cursor
    # position request, so each prompt would wait for it to time out.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    env.pop("NEEDLEMATCH_CATALOGUE", None)
    return env


def spawn_check(*args: str) -> Any:
    return pexpect.spawn(
        sys.executable,
        ["-m", "needlematch", "check", *args],
        env=environment(),
        dimensions=(40, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )


def spawn_check_json(result: Path) -> Any:
    """`check --json > result`: stdin and stderr stay on the terminal, stdout goes to the file."""
    command = f"exec {shlex.quote(sys.executable)} -m needlematch check --json > {shlex.quote(str(result))}"
    return pexpect.spawn(
        "bash",
        ["-c", command],
        env=environment(),
        dimensions=(40, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )


SAVE_QUESTION = re.escape("Save this to your history?")


def finish(child: Any, *, save: bool = False) -> tuple[int | None, str]:
    """Answer "Save this to your history?" if asked (No, the default, unless `save`), wait for
    the program to end; its exit status and everything it showed after the last prompt."""
    if child.expect([SAVE_QUESTION, pexpect.EOF]) == 0:
        child.send(UP + ENTER if save else ENTER)  # the pointer starts on No, below Yes
        child.expect(pexpect.EOF)
    shown = screen_text(child.before)
    child.close()
    return child.exitstatus, shown


def tick(*values: str) -> str:
    """Keys that tick these warning signs, from the top of the list, then Enter."""
    keys = ""
    position = 0
    for index in sorted(SIGNS.index(value) for value in values):
        keys += DOWN * (index - position) + SPACE
        position = index
    return keys + ENTER


def opening(
    child: Any, *, where: str, part: str, signs: tuple[str, ...], severity: int = 4
) -> None:
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index(where) + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.send(DOWN * PARTS.index(part) + ENTER)
    child.expect_exact("Do both legs hurt?")
    child.send(ENTER)  # the pointer starts on No
    child.expect_exact("Do you have any of these?")
    child.send(tick(*signs))
    child.expect_exact(QUESTIONS["severity"].text)
    child.send(DOWN * severity + ENTER)  # the scale starts at 0


def follow_ups(child: Any, *, yes: set[str], unsure: frozenset[str] = frozenset()) -> list[str]:
    """Answer each adaptive question (yes for `yes`, not sure for `unsure`, else no) until own words."""
    asked: list[str] = []
    for _ in range(MAX_QUESTIONS + 1):
        found = child.expect([r"Asked (?:because|to rule out)", "Anything else, in your own words"])
        if found == 1:
            return asked
        questions = _QUESTION_LINE.findall(screen_text(child.before))
        assert questions, "a follow-up question was drawn without its text"
        term = TERM_BY_QUESTION[questions[-1]]
        asked.append(term)
        if term in yes:
            child.send(ENTER)
        elif term in unsure:
            child.send(DOWN + DOWN + ENTER)
        else:
            child.send(DOWN + ENTER)
    raise AssertionError(f"more than {MAX_QUESTIONS} follow-up questions: {asked}")


def ranked_first(shown: str) -> str:
    """The injury on the row numbered 1 of the result table."""
    row = re.search(r"^\s*1\s{2,}(\S.*?)(?:\s{2,}|$)", shown, re.MULTILINE)
    assert row, f"no ranked table in:\n{shown}"
    return row.group(1)


RUNNERS_KNEE_YES = {
    "stairs",
    "squatting",
    "sitting-long",
    "downhill",
    "dull-ache",
    "gradual",
    "during-run",
    "after-run",
    "around",
    "tenderness",
}
IT_BAND_YES = {
    "downhill",
    "long-runs",
    "during-run",
    "gradual",
    "sharp",
    "burning",
    "tightness",
    "mileage-increase",
    "outer",
}


def test_typical_runners_knee() -> None:
    child = spawn_check()
    opening(child, where="knee", part="around", signs=("none-of-these",))
    asked = follow_ups(child, yes=RUNNERS_KNEE_YES)
    assert len(asked) == len(set(asked)), "a question was asked twice"
    child.send(ENTER)  # nothing in my own words
    status, shown = finish(child)
    assert status == 0
    assert ranked_first(shown).startswith("Runner's Knee")
    assert "Traceback" not in shown


def test_check_report_is_written_for_the_practitioner(tmp_path: Path) -> None:
    report = tmp_path / "for-my-physio.md"
    child = spawn_check("--report", str(report))
    opening(child, where="knee", part="around", signs=("none-of-these",))
    follow_ups(child, yes=RUNNERS_KNEE_YES)
    child.send("worse [bold]going down[/bold] stairs" + ENTER)
    status, _ = finish(child)
    assert status == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# needlematch symptom summary")
    assert "Runner's Knee" in text and "Level: **routine**" in text
    assert "\\[bold\\]going down\\[/bold\\]" in text  # the runner's words, escaped
    assert [path.name for path in tmp_path.iterdir()] == ["for-my-physio.md"]


def test_typical_runners_knee_full_questionnaire() -> None:
    child = spawn_check("--full")
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * 6 + ENTER)  # knee
    child.expect_exact("Which part of it hurts?")
    child.send(DOWN * 6 + ENTER)  # all around
    child.expect_exact("Do both legs hurt?")
    child.send(ENTER)  # no
    child.expect_exact("When does it hurt?")
    child.send(DOWN * 2 + SPACE + DOWN + SPACE + ENTER)  # during and after a run
    child.expect_exact("What does it feel like?")
    child.send(SPACE + ENTER)  # a dull ache
    child.expect_exact("What makes it worse")
    child.send(DOWN * 2 + SPACE + DOWN + SPACE + DOWN + SPACE + ENTER)  # stairs, squat, sitting
    child.expect_exact("How did it start?")
    child.send(DOWN + ENTER)  # gradually
    child.expect_exact("How bad is it right now")
    child.send(DOWN * 3 + ENTER)  # 3
    child.expect_exact("Do you have any of these?")
    child.send(tick("none-of-these"))
    child.expect_exact("Anything else, in your own words?")
    child.send(ENTER)
    status, shown = finish(child)
    assert status == 0
    assert ranked_first(shown).startswith("Runner's Knee")


def test_it_band_case(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    opening(child, where="knee", part="outer", signs=("none-of-these",))
    follow_ups(child, yes=IT_BAND_YES)
    child.send(ENTER)
    status, _ = finish(child)
    assert status == 0
    assessment = json.loads(result.read_text(encoding="utf-8"))
    assert assessment["matches"][0]["id"] == "it-band-syndrome"
    assert assessment["symptoms"]["where"] == ["knee"]
    assert assessment["symptoms"]["part"] == ["outer"]


def test_check_json_symptoms_replay_through_match_to_the_same_ranking(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    opening(child, where="knee", part="outer", signs=("none-of-these",))
    follow_ups(child, yes=IT_BAND_YES)
    child.send("burning after about 5 km" + ENTER)
    status, _ = finish(child)
    assert status == 0
    interviewed = json.loads(result.read_text(encoding="utf-8"))
    replay = tmp_path / "symptoms.json"
    replay.write_text(json.dumps(interviewed["symptoms"]), encoding="utf-8")
    matched = subprocess.run(
        [sys.executable, "-m", "needlematch", "match", "--symptoms", str(replay), "--json"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )
    assert matched.returncode == 0, matched.stderr
    replayed = json.loads(matched.stdout)
    assert replayed["symptoms"] == interviewed["symptoms"]
    assert [(m["id"], m["probability"]) for m in replayed["matches"]] == [
        (m["id"], m["probability"]) for m in interviewed["matches"]
    ]
    assert replayed["triage"] == interviewed["triage"]


def test_warm_swollen_calf_is_urgent_with_the_dvt_warning() -> None:
    child = spawn_check()
    opening(child, where="calf", part="back", signs=("hot-red-swollen",))
    follow_ups(child, yes={"at-rest", "throbbing"}, unsure=frozenset({"pop"}))
    child.send(ENTER)
    status, shown = finish(child)
    assert status == 0
    assert "URGENT" in shown
    assert "DVT" in shown


def test_going_back_a_question_undoes_the_answer(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index("knee") + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.send(UP + ENTER)  # "< Back" is last; Up from the top wraps to it
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index("shin") + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.send(DOWN * PARTS.index("inner") + ENTER)
    child.expect_exact("Do both legs hurt?")
    child.send(ENTER)
    child.expect_exact("Do you have any of these?")
    child.send(tick("none-of-these"))
    child.expect_exact(QUESTIONS["severity"].text)
    child.send(DOWN * 3 + ENTER)
    follow_ups(child, yes={"during-run", "gradual", "hard-surface"})
    child.send(ENTER)
    status, _ = finish(child)
    assert status == 0
    symptoms = json.loads(result.read_text(encoding="utf-8"))["symptoms"]
    assert symptoms["where"] == ["shin"]
    assert symptoms["part"] == ["inner"]


def test_ctrl_c_at_a_prompt_exits_130_without_a_traceback() -> None:
    child = spawn_check()
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index("knee") + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.sendcontrol("c")
    status, shown = finish(child)
    assert status == 130
    assert "interrupted" in shown
    assert "Traceback" not in shown
    assert "Cancelled by user" not in shown


def test_check_json_writes_only_json_to_stdout(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    opening(child, where="heel", part="under", signs=("none-of-these",))
    follow_ups(child, yes={"morning", "start-of-run", "gradual"})
    child.send("first steps in the morning [bold]hurt[/bold]" + ENTER)
    status, shown = finish(child)
    assert status == 0
    assert "{" not in shown, "JSON leaked onto the terminal"
    text = result.read_text(encoding="utf-8")
    assessment = json.loads(text)  # the whole of stdout is one JSON object
    assert set(assessment) >= {"symptoms", "matches", "triage", "disclaimer"}
    assert assessment["symptoms"]["text"] == "first steps in the morning [bold]hurt[/bold]"


def test_no_terminal_exits_2_and_names_the_match_flags() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "needlematch", "check"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environment(),
        timeout=30,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "needlematch match" in completed.stderr
    assert "--where" in completed.stderr
