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

from needlematch.catalogue import load_catalogue  # noqa: E402
from needlematch.engine import MAX_QUESTIONS, assess  # noqa: E402
from needlematch.questions import QUESTIONS  # noqa: E402
from needlematch.symptoms import Symptoms  # noqa: E402
from needlematch.vocabulary import REGION_PARTS, TERMS, screen_terms  # noqa: E402

CATALOGUE = load_catalogue()

UP, DOWN, LEFT = "\x1b[A", "\x1b[B", "\x1b[D"
ENTER, SPACE = "\r", " "
TIMEOUT = 10

REGIONS = [choice.value for choice in QUESTIONS["where"].choices]
DURATIONS = [choice.value for choice in QUESTIONS["duration"].choices]
TERM_BY_QUESTION = {term.question: term.id for term in TERMS}
SEVERITY = QUESTIONS["severity"].text

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


def finish(child: Any, *, save: bool = False) -> tuple[int | None, str]:
    """Answer "Save this to your history?" if asked (No, the default, unless `save`), wait for
    the program to end; its exit status and everything it showed after the last prompt."""
    before = getattr(child, "shown_before_the_end", None)
    if before is None:
        if child.expect([SAVE_QUESTION, pexpect.EOF]) == 0:
            child.send(UP + ENTER if save else ENTER)  # the pointer starts on No, below Yes
            child.expect(pexpect.EOF)
        before = child.before
    shown = screen_text(before)
    child.close()
    return child.exitstatus, shown


def tick(signs: list[str], *values: str) -> str:
    """Keys that tick these values in a list of `signs` (then "None of these"), then Enter."""
    choices = [*signs, "none-of-these"]
    keys = ""
    position = 0
    for index in sorted(choices.index(value) for value in values):
        keys += DOWN * (index - position) + SPACE
        position = index
    return keys + ENTER


def opening(
    child: Any,
    *,
    where: str,
    part: str,
    signs: tuple[str, ...],
    severity: int = 4,
    age: int | None = None,
    sex: str | None = None,
    duration: str = "not-sure",
) -> None:
    """The opening questions up to how bad it is (not asked after an emergency on the screen).

    A part the place does not have is answered "Not sure".
    """
    child.expect_exact("How old are you?")
    child.send(("" if age is None else str(age)) + ENTER)
    child.expect_exact("Are you female or male?")
    child.send(DOWN * {"female": 0, "male": 1, None: 2}[sex] + ENTER)
    child.expect_exact("In a sentence or two, what is going on?")
    child.send(ENTER)  # nothing in my own words: be asked instead
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index(where) + ENTER)
    parts = [*REGION_PARTS[where], "not-sure"]
    if REGION_PARTS[where]:
        child.expect_exact("Which part of it hurts?")
        child.send(DOWN * parts.index(part if part in parts else "not-sure") + ENTER)
    child.expect_exact("How long has it been going on?")
    child.send(DOWN * DURATIONS.index(duration) + ENTER)
    child.expect_exact("Do you have any of these?")
    child.send(tick(list(screen_terms(age, sex)), *signs))
    answered = Symptoms(
        where=[where],
        part=[part] if part in REGION_PARTS[where] else [],
        signs=[sign for sign in signs if sign != "none-of-these"],
        screened=True,
        age=age,
        sex=sex,
    )
    if assess(answered, CATALOGUE).triage.level != "emergency":  # else nothing more is asked
        child.expect_exact(SEVERITY)
        child.send(DOWN * severity + ENTER)  # the scale starts at 0


SAVE_QUESTION = re.escape("Save this to your history?")
END_OF_QUESTIONS = [
    r"Asked (?:because|to rule out)",
    "Anything else, in your own words",
    pexpect.EOF,
    SAVE_QUESTION,
]


def follow_ups(child: Any, *, yes: set[str], unsure: frozenset[str] = frozenset()) -> list[str]:
    """Answer each adaptive question (yes for `yes`, not sure for `unsure`, else no) until own words or the end."""
    asked: list[str] = []
    for _ in range(MAX_QUESTIONS + 2):
        found = child.expect(END_OF_QUESTIONS)
        if found == 3:
            # At urgent the interview ends without "anything else"; say no to saving.
            child.send(ENTER)
            child.expect(pexpect.EOF)
            found = 2
        if found == 2:
            # Keep what it showed before the end.
            child.shown_before_the_end = child.before
        if found != 0:
            return asked
        questions = _QUESTION_LINE.findall(screen_text(child.before))
        assert questions, "a follow-up question was drawn without its text"
        if questions[-1] == SEVERITY:
            child.send(DOWN * 5 + ENTER)
            continue
        term = TERM_BY_QUESTION[questions[-1]]
        asked.append(term)
        # The pointer starts on No: Up for Yes, Down for Not sure.
        if term in yes:
            child.send(UP + ENTER)
        elif term in unsure:
            child.send(DOWN + ENTER)
        else:
            child.send(ENTER)
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
    opening(child, where="knee", part="around", signs=("none-of-these",), severity=3)
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
    opening(child, where="calf", part="back", signs=("swelling", "redness-warmth"))
    follow_ups(child, yes={"at-rest", "throbbing"}, unsure=frozenset({"pop"}))
    status, shown = finish(child)  # at urgent there is no "anything else" either
    assert status == 0
    assert "URGENT" in shown
    assert "DVT" in shown


def test_going_back_a_question_undoes_the_answer(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    child.expect_exact("How old are you?")
    child.send(ENTER)
    child.expect_exact("Are you female or male?")
    child.send(ENTER)
    child.expect_exact("In a sentence or two")
    child.send(ENTER)
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index("knee") + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.send(UP + ENTER)  # "< Back" is last; Up from the top wraps to it
    child.expect_exact("Where does it hurt most?")
    child.send(UP * (REGIONS.index("knee") - REGIONS.index("shin")) + ENTER)  # from knee
    child.expect_exact("Which part of it hurts?")
    child.send(DOWN * REGION_PARTS["shin"].index("inner") + ENTER)
    child.expect_exact("How long has it been going on?")
    child.send(ENTER)
    child.expect_exact("Do you have any of these?")
    child.send(tick(list(screen_terms(None, "female")), "none-of-these"))
    child.expect_exact(SEVERITY)
    child.send(DOWN * 3 + ENTER)
    follow_ups(child, yes={"during-run", "gradual", "hard-surface"})
    child.send(ENTER)
    status, _ = finish(child)
    assert status == 0
    symptoms = json.loads(result.read_text(encoding="utf-8"))["symptoms"]
    assert symptoms["where"] == ["shin"]
    assert symptoms["part"] == ["inner"]


def test_going_back_keeps_the_ticks(tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    child = spawn_check_json(result)
    signs = list(screen_terms(30, "male"))
    child.expect_exact("How old are you?")
    child.send("30" + ENTER)
    child.expect_exact("Are you female or male?")
    child.send(DOWN + ENTER)
    child.expect_exact("In a sentence or two")
    child.send(ENTER)
    child.expect_exact("Where does it hurt most?")
    child.send(DOWN * REGIONS.index("knee") + ENTER)
    child.expect_exact("Which part of it hurts?")
    child.send(DOWN * REGION_PARTS["knee"].index("front") + ENTER)
    child.expect_exact("How long has it been going on?")
    child.send(ENTER)
    child.expect_exact("Do you have any of these?")
    child.send(tick(signs, "bruising", "locking"))
    child.expect_exact(SEVERITY)
    child.send(LEFT)  # back to the screen
    child.expect_exact("Do you have any of these?")
    child.expect_exact("< Back")
    drawn = screen_text(child.before)
    ticked = {line.split("● ", 1)[1].strip() for line in drawn.splitlines() if "● " in line}
    assert ticked == {"Bruising", "A joint locks or gets stuck"}, drawn
    child.send(ENTER)  # as ticked before
    child.expect_exact(SEVERITY)
    child.send(DOWN * 2 + ENTER)
    follow_ups(child, yes=set())
    child.send(ENTER)
    status, _ = finish(child)
    assert status == 0
    symptoms = json.loads(result.read_text(encoding="utf-8"))["symptoms"]
    assert set(symptoms["signs"]) == {"bruising", "locking"} and symptoms["severity"] == 2


def test_an_emergency_on_the_screen_asks_nothing_more() -> None:
    child = spawn_check()
    opening(child, where="calf", part="inner", signs=("swelling", "redness-warmth", "breathless"))
    status, drawn = finish(child)
    assert status == 0
    # No prompt after the screen's answer: not the pain score, no follow-up, no "anything else".
    shown = drawn[drawn.rindex("? Do you have any of these?") :]
    assert "(Up/Down to move" not in shown and SEVERITY not in shown
    assert "Asked" not in shown and "Anything else" not in shown
    # The emergency comes first, nothing in its panel is a lower level, the footer fits.
    assert shown.index("EMERGENCY: CALL EMERGENCY SERVICES NOW") < shown.index("Understood:")
    panel = shown[: shown.index("Understood:")]
    assert "today" not in panel and "within days" not in panel and "URGENT" not in panel
    assert "Running injuries are not ranked" in shown
    assert "call emergency services now" in shown.splitlines()[-1].lower()
    assert "pain that persists" not in shown


def test_ctrl_c_after_an_emergency_still_shows_it() -> None:
    child = spawn_check()
    child.expect_exact("How old are you?")
    child.send("58" + ENTER)
    child.expect_exact("Are you female or male?")
    child.send(DOWN + ENTER)
    child.expect_exact("In a sentence or two")
    child.send("my calf is swollen and hot and now I am short of breath" + ENTER)
    child.expect_exact("Is that right?")  # what was read, back to the runner
    child.sendcontrol("c")
    status, shown = finish(child)
    assert status == 130
    assert "EMERGENCY: CALL EMERGENCY SERVICES NOW" in shown
    assert "Call emergency services now" in shown
    assert shown.index("EMERGENCY") < shown.index("interrupted")
    assert "Traceback" not in shown


def test_a_screened_sign_is_never_asked_again() -> None:
    child = spawn_check()
    opening(child, where="knee", part="inner", signs=("swelling",), age=45, sex="female")
    asked = follow_ups(child, yes={"twist", "sudden"})
    child.send(ENTER)
    status, _ = finish(child)
    assert status == 0
    assert asked, "no follow-up question was asked"
    screened = set(screen_terms(45, "female"))
    assert not set(asked) & screened, f"asked again: {set(asked) & screened}"
    assert len(asked) == len(set(asked))


def test_ctrl_c_at_a_prompt_exits_130_without_a_traceback() -> None:
    child = spawn_check()
    child.expect_exact("How old are you?")
    child.send("40" + ENTER)
    child.expect_exact("Are you female or male?")
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
