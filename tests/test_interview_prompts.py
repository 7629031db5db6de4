"""Single interview prompts, and whole interviews, driven through a pipe as questionary's own tests do."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import typer
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import ColorDepth, DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from needlematch import interview
from needlematch.assessment import NextQuestion
from needlematch.catalogue import Catalogue, load_catalogue
from needlematch.engine import MAX_QUESTIONS
from needlematch.interview import BACK, Interrupted, Prompter, colour_wanted, run_interview
from needlematch.questions import NONE_OF_THESE, QUESTIONS, choices_for
from needlematch.symptoms import Symptoms, symptoms_from_terms

UP, DOWN, LEFT = "\x1b[A", "\x1b[B", "\x1b[D"
ENTER, SPACE = "\r", " "
CTRL_C, CTRL_D = "\x03", "\x04"


def down(times: int) -> str:
    return DOWN * times


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


@pytest.fixture
def prompter(pipe: PipeInput) -> Prompter:
    return Prompter(input=pipe, output=DummyOutput(), no_color=True)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(None)


# ------------------------------------------------------------------ one prompt


def test_select_returns_the_pointed_choice(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(down(6) + ENTER)
    part = QUESTIONS["part"]
    assert prompter.select(part.text, part.hint, part.choices, back=True) == "around"


def test_select_back_is_last_and_up_from_the_top_reaches_it(
    pipe: PipeInput, prompter: Prompter
) -> None:
    pipe.send_text(UP + ENTER)
    part = QUESTIONS["part"]
    assert prompter.select(part.text, part.hint, part.choices, back=True) == BACK


def test_select_left_arrow_goes_back(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(down(2) + LEFT)
    part = QUESTIONS["part"]
    assert prompter.select(part.text, part.hint, part.choices, back=True) == BACK


def test_first_question_offers_no_back(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(UP + LEFT + ENTER)
    where = QUESTIONS["where"]
    assert prompter.select(where.text, where.hint, where.choices, back=False) == "lower-back"


def test_checkbox_returns_the_ticked_values(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(SPACE + down(2) + SPACE + ENTER)
    when = QUESTIONS["when"]
    assert prompter.checkbox(when.text, when.hint, when.choices, back=True) == [
        "morning",
        "during-run",
    ]


def test_checkbox_enter_on_back_goes_back(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(SPACE + UP + ENTER)
    when = QUESTIONS["when"]
    assert prompter.checkbox(when.text, when.hint, when.choices, back=True) == BACK


def test_checkbox_left_arrow_goes_back(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(SPACE + LEFT)
    feels = QUESTIONS["feels"]
    assert prompter.checkbox(feels.text, feels.hint, feels.choices, back=True) == BACK


def test_warning_screen_needs_an_answer_and_none_of_these_alone(
    pipe: PipeInput, prompter: Prompter
) -> None:
    screen = QUESTIONS["warning_signs"]
    # Enter with nothing ticked is refused; so is "None of these" with a sign ticked.
    # Untick the sign and the answer is accepted.
    pipe.send_text(ENTER + SPACE + UP + UP + SPACE + ENTER + DOWN + DOWN + SPACE + ENTER)
    answer = prompter.checkbox(
        screen.text,
        screen.hint,
        screen.choices,
        back=True,
        exclusive=NONE_OF_THESE,
        required=True,
    )
    assert answer == [NONE_OF_THESE]


def test_text_is_returned_literally(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text("clicks [bold]on[/bold] stairs" + ENTER)
    assert prompter.text("Anything else?", "hint") == "clicks [bold]on[/bold] stairs"


def test_ctrl_c_at_a_prompt_raises_keyboard_interrupt(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(CTRL_C)
    where = QUESTIONS["where"]
    with pytest.raises(KeyboardInterrupt):
        prompter.select(where.text, where.hint, where.choices, back=False)


def test_ctrl_d_in_the_text_prompt_is_an_interrupt(pipe: PipeInput, prompter: Prompter) -> None:
    pipe.send_text(CTRL_D)
    with pytest.raises(KeyboardInterrupt):
        prompter.text("Anything else?", "hint")


def test_prompt_shows_question_hint_and_back(pipe: PipeInput) -> None:
    screen = io.StringIO()
    prompter = Prompter(input=pipe, output=PlainTextOutput(screen), no_color=True)
    pipe.send_text(ENTER)
    part = QUESTIONS["part"]
    prompter.select(part.text, part.hint, part.choices, back=True, reason="Asked because.")
    drawn = screen.getvalue()
    for text in (part.text, part.hint, "Asked because.", "< Back", "Not sure", "Left to go back"):
        assert text in drawn


def test_say_shows_control_characters_and_markup_literally(pipe: PipeInput) -> None:
    screen = io.StringIO()
    prompter = Prompter(input=pipe, output=PlainTextOutput(screen), no_color=True)
    prompter.say("odd \x1b[2J words [red]here[/red]")
    assert "\x1b" not in screen.getvalue()
    assert "odd \\x1b[2J words [red]here[/red]" in screen.getvalue()


def test_prompts_draw_on_stderr_by_default() -> None:
    prompter = Prompter(no_color=True)
    assert getattr(prompter.output, "stdout", None) is sys.stderr


def test_colour_follows_no_color_and_term_dumb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert colour_wanted()
    assert not colour_wanted(no_color=True)
    monkeypatch.setenv("TERM", "dumb")
    assert not colour_wanted()
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted()
    prompter = Prompter(output=DummyOutput())
    assert prompter._options()["color_depth"] == ColorDepth.MONOCHROME


# ------------------------------------------------------------ whole interviews


def interview_of(catalogue: Catalogue, pipe: PipeInput, **options: Any) -> Symptoms:
    """run_interview on keys already sent; keys that run out fail the test (not the whole run)."""
    try:
        return run_interview(catalogue, no_color=True, input=pipe, **options)
    except Interrupted as stopped:
        pytest.fail(f"the keys did not fit the questions (interrupted with {stopped.symptoms})")


@dataclass
class Said:
    """What a stand-in free-text parser understood."""

    symptoms: Symptoms
    unrecognised: list[str]


def index(question: str, value: str, symptoms: Symptoms | None = None) -> int:
    """Where `value` is in the list a question shows this runner."""
    choices = choices_for(question, symptoms or Symptoms())
    return [choice.value for choice in choices].index(value)


KNEE = Symptoms(where=["knee"])
# The opening for a 34-year-old man with outer knee pain for weeks, nothing on the screen, 4/10.
OPENING = [
    "34" + ENTER,  # age
    DOWN + ENTER,  # sex: male
    ENTER,  # own words: skipped
    down(index("where", "knee")) + ENTER,  # where (under the body map)
    down(index("part", "outer", KNEE)) + ENTER,  # which part: only the knee's parts
    down(1) + ENTER,  # how long: 1 to 6 weeks
    UP + UP + SPACE + ENTER,  # warning signs: none of these (last, above "< Back")
    down(4) + ENTER,  # how bad: 4
]

# --full for a typical runner's knee after the same opening (all around the knee).
FULL_RUNNERS_KNEE = [
    *OPENING[:4],
    down(index("part", "around", KNEE)) + ENTER,
    *OPENING[5:],
    ENTER,  # both legs: no (the pointer starts there)
    down(2) + SPACE + DOWN + SPACE + ENTER,  # when: during, after
    SPACE + ENTER,  # feels: dull ache
    down(2) + SPACE + DOWN + SPACE + ENTER,  # triggers: stairs, squatting
    DOWN + ENTER,  # onset: gradual
    ENTER,  # own words: skipped
]


def test_full_interview_gives_the_answers(pipe: PipeInput, catalogue: Catalogue) -> None:
    pipe.send_text("".join(FULL_RUNNERS_KNEE))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, full=True, output=DummyOutput())
    assert (symptoms.age, symptoms.sex, symptoms.duration) == (34, "male", "weeks")
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["around"]
    assert symptoms.when == ["during-run", "after-run"]
    assert symptoms.feels == ["dull-ache"]
    assert symptoms.triggers == ["stairs", "squatting"]
    assert symptoms.onset == "gradual"
    assert symptoms.severity == 4
    assert symptoms.screened and not symptoms.signs
    assert not symptoms.both_sides and "both-sides" in symptoms.absent


def test_going_back_one_question_undoes_its_answer(pipe: PipeInput, catalogue: Catalogue) -> None:
    shin = Symptoms(where=["shin"])
    keys = [
        *OPENING[:3],
        down(index("where", "knee")) + ENTER,  # where: knee
        UP + ENTER,  # part: < Back, so where is asked again
        UP * (index("where", "knee") - index("where", "shin")) + ENTER,  # the pointer is on knee
        down(index("part", "inner", shin)) + ENTER,  # part: inner
        LEFT,  # how long: back to part (the pointer is on inner)
        UP + ENTER,  # part: front, one above inner
        *FULL_RUNNERS_KNEE[5:],
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, full=True, output=DummyOutput())
    assert symptoms.where == ["shin"]
    assert symptoms.part == ["front"]


def test_going_back_keeps_the_ticks(pipe: PipeInput, catalogue: Catalogue) -> None:
    swelling = index("warning_signs", "swelling", Symptoms(sex="male"))
    keys = [
        *OPENING[:6],
        # swelling and bruising (swelling with redness would be a hot joint: urgent, and the
        # interview would then stop asking)
        down(swelling) + SPACE + DOWN + DOWN + SPACE + ENTER,
        LEFT,  # how bad: back to the screen
        ENTER,  # the same two are still ticked
        ENTER,  # how bad: 0
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    with pytest.raises(EOFError):
        run_interview(catalogue, no_color=True, input=pipe, output=DummyOutput())


def test_back_keeps_ticks_into_the_result(pipe: PipeInput, catalogue: Catalogue) -> None:
    bruising = index("warning_signs", "bruising", Symptoms(sex="male"))
    keys = [
        *OPENING[:6],
        down(bruising) + SPACE + ENTER,  # bruising
        LEFT,  # how bad: back to the screen
        ENTER,  # bruising is still ticked
        down(3) + ENTER,  # how bad: 3
        ENTER * MAX_QUESTIONS,  # every follow-up: No (the pointer starts there)
        ENTER,  # own words: skipped
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, output=DummyOutput())
    assert symptoms.signs == ["bruising"] and symptoms.severity == 3


def test_the_text_question_can_go_back(pipe: PipeInput, catalogue: Catalogue) -> None:
    keys = [
        "34" + ENTER,
        DOWN + ENTER,  # male
        LEFT,  # own words, empty: back to sex, the pointer on Male
        UP + ENTER,  # female
        ENTER,  # own words: skipped
        down(index("where", "knee")) + ENTER,
        down(index("part", "outer", KNEE)) + ENTER,
        DOWN + ENTER,
        UP + UP + SPACE + ENTER,
        down(4) + ENTER,
        ENTER * MAX_QUESTIONS,
        ENTER,
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, output=DummyOutput())
    assert symptoms.sex == "female" and symptoms.age == 34


def test_back_erases_the_lines_it_leaves(pipe: PipeInput, catalogue: Catalogue) -> None:
    class Recording(PlainTextOutput):
        def __init__(self) -> None:
            super().__init__(io.StringIO())
            self.up: list[int] = []

        def cursor_up(self, amount: int) -> None:
            self.up.append(amount)

    output = Recording()
    keys = [
        "34" + ENTER,
        DOWN + ENTER,  # male: one answered line
        LEFT,  # own words: back, erasing the line "sex" left
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    with pytest.raises(EOFError):
        run_interview(catalogue, no_color=True, input=pipe, output=output)
    assert 1 in output.up


def test_follow_ups_start_on_no(pipe: PipeInput, catalogue: Catalogue) -> None:
    pipe.send_text("".join([*OPENING, ENTER * MAX_QUESTIONS, ENTER]))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, output=DummyOutput())
    # Enter on every follow-up added no finding: only "no" answers.
    assert symptoms.present() == ["knee", "outer"]
    assert symptoms.absent


def test_ctrl_c_mid_interview_raises_with_the_answers(
    pipe: PipeInput, catalogue: Catalogue
) -> None:
    pipe.send_text("34" + ENTER + CTRL_C)
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    with pytest.raises(Interrupted) as stopped:
        run_interview(catalogue, no_color=True, input=pipe, output=DummyOutput())
    assert isinstance(stopped.value, KeyboardInterrupt)
    assert stopped.value.symptoms is not None and stopped.value.symptoms.age == 34


def test_an_emergency_on_the_screen_ends_the_interview(
    pipe: PipeInput, catalogue: Catalogue
) -> None:
    calf = Symptoms(where=["calf"])
    keys = [
        *OPENING[:3],
        down(index("where", "calf")) + ENTER,
        down(index("part", "inner", calf)) + ENTER,
        DOWN + ENTER,
        SPACE + ENTER,  # breathless, the first sign
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, output=DummyOutput())
    assert symptoms.signs == ["breathless"] and symptoms.severity is None


def test_the_story_is_read_back_and_fills_the_opening(
    pipe: PipeInput, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard = symptoms_from_terms(["knee", "outer", "burning", "downhill"]).model_copy(
        update={"duration": "weeks"}
    )
    fake_parse = types.ModuleType("needlematch.parse")
    fake_parse.understand = lambda text: Said(heard, [])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "needlematch.parse", fake_parse)
    screen = io.StringIO()
    keys = [
        "34" + ENTER,
        DOWN + ENTER,
        "outer knee burns downhill for weeks" + ENTER,
        DOWN + ENTER,  # "Some of it is wrong"
        down(2) + SPACE + ENTER,  # untick "burning"
        # where, part and how long are known from the words: the screen is next
        UP + UP + SPACE + ENTER,
        down(4) + ENTER,
        ENTER * MAX_QUESTIONS,
        ENTER,
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting
    symptoms = interview_of(catalogue, pipe, output=PlainTextOutput(screen))
    assert symptoms.where == ["knee"] and symptoms.part == ["outer"]
    assert "burning" not in symptoms.present() and "downhill" in symptoms.triggers
    assert symptoms.duration == "weeks" and symptoms.severity == 4
    drawn = screen.getvalue()
    assert "I understood: knee; on the outer side; burning; running downhill" in drawn
    assert "Where does it hurt most?" not in drawn


def test_adaptive_interview_asks_the_engines_questions_then_own_words(
    pipe: PipeInput, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = ["stairs", "swelling", "clicking", "squatting"]
    calls: list[Symptoms] = []

    def scripted(symptoms: Symptoms, catalogue: Catalogue) -> NextQuestion | None:
        calls.append(symptoms)
        answered = set(symptoms.present()) | set(symptoms.absent) | set(symptoms.unsure)
        for term in script:
            if term not in answered:
                return NextQuestion(
                    term=term, text=f"About {term}?", hint="hint", reason="asked because"
                )
        return None

    monkeypatch.setattr(interview, "next_question", scripted)
    screen = io.StringIO()
    numbness = index("warning_signs", "numbness", Symptoms(sex="male"))
    keys = [
        *OPENING[:6],
        down(numbness) + SPACE + ENTER,  # warning signs: numbness only
        down(3) + ENTER,  # severity: 3
        UP + ENTER,  # stairs: yes (the pointer starts on No)
        ENTER,  # swelling: no
        UP + UP + ENTER,  # clicking: < Back (Up from Yes wraps to it), undoing "swelling: no"
        UP + ENTER,  # swelling: yes (the pointer is back on No)
        DOWN + ENTER,  # clicking: not sure
        ENTER,  # squatting: no
        "worse [bold]uphill[/bold]" + ENTER,  # own words
    ]
    pipe.send_text("".join(keys))
    pipe.close()  # a key sequence that does not fit fails fast instead of waiting

    fake_parse = types.ModuleType("needlematch.parse")
    fake_parse.understand = lambda text: Said(Symptoms(triggers=["uphill"]), ["[bold]\x1b"])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "needlematch.parse", fake_parse)
    symptoms = interview_of(catalogue, pipe, output=PlainTextOutput(screen))
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["outer"]
    assert set(symptoms.signs) == {"numbness", "swelling"}
    assert set(symptoms.triggers) == {"stairs", "uphill"}
    assert "squatting" in symptoms.absent
    assert symptoms.unsure == ["clicking"]
    assert symptoms.text == "worse [bold]uphill[/bold]"
    assert symptoms.severity == 3
    drawn = screen.getvalue()
    assert "Leading: " in drawn
    assert "Not understood (ignored): [bold]\\x1b" in drawn
    assert "(front)" in drawn and "lower back" in drawn  # the body map at the where-question


class _Terminal(io.StringIO):
    """A stream that says it is a terminal, so `check` agrees to ask."""

    def isatty(self) -> bool:
        return True


def test_ctrl_c_between_prompts_still_shows_an_emergency(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C lands while the next question is being worked out, not at a prompt: the
    # emergency already found is shown all the same, then exit 130.
    from needlematch import cli
    from needlematch import interview as interview_module

    emergency = Symptoms(where=["calf"], signs=["swelling", "breathless"], screened=True)

    def interrupted_while_computing(*args: object, **kwargs: object) -> Symptoms:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):
                time.sleep(0.01)  # the signal is handled here, between bytecodes
        except KeyboardInterrupt:
            raise interview_module.Interrupted(emergency) from None
        raise AssertionError("Ctrl-C did not reach the interview")

    errors = _Terminal()
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stderr", errors)
    monkeypatch.setattr(interview_module, "run_interview", interrupted_while_computing)
    program_handler = signal.signal(signal.SIGINT, cli._interrupted)
    try:
        with pytest.raises(typer.Exit) as stopped:
            cli.check(
                report=None,
                full=False,
                no_input=False,
                catalogue=None,
                as_json=False,
                no_color=True,
                version=False,
            )
        after = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, program_handler)
    assert after is cli._interrupted  # the program's handler is back once the interview ends
    assert stopped.value.exit_code == 130
    shown = errors.getvalue()
    assert "EMERGENCY" in shown.upper()
    assert "nothing was saved" in shown
