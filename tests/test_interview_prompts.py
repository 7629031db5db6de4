"""Single interview prompts, and whole interviews, driven through a pipe as questionary's own tests do."""

from __future__ import annotations

import io
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import ColorDepth, DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from needlematch import interview
from needlematch.assessment import NextQuestion
from needlematch.catalogue import Catalogue, load_catalogue
from needlematch.interview import BACK, Prompter, colour_wanted, run_interview
from needlematch.questions import NONE_OF_THESE, QUESTIONS
from needlematch.symptoms import Symptoms

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


@dataclass
class Said:
    """What a stand-in free-text parser understood."""

    symptoms: Symptoms
    unrecognised: list[str]


# --full for a typical runner's knee: knee, all around, one leg, during and after
# runs, a dull ache, stairs and squatting, gradual, 4/10, none of the warning signs.
FULL_RUNNERS_KNEE = [
    down(6) + ENTER,  # where: knee
    down(6) + ENTER,  # part: all around
    ENTER,  # both legs: no (the pointer starts there)
    down(2) + SPACE + DOWN + SPACE + ENTER,  # when: during, after
    SPACE + ENTER,  # feels: dull ache
    down(2) + SPACE + DOWN + SPACE + ENTER,  # triggers: stairs, squatting
    DOWN + ENTER,  # onset: gradual
    down(4) + ENTER,  # severity: 4
    UP + UP + SPACE + ENTER,  # warning signs: none of these
    ENTER,  # own words: skipped
]


def test_full_interview_gives_the_answers(pipe: PipeInput, catalogue: Catalogue) -> None:
    pipe.send_text("".join(FULL_RUNNERS_KNEE))
    symptoms = run_interview(catalogue, full=True, no_color=True, input=pipe, output=DummyOutput())
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["around"]
    assert symptoms.when == ["during-run", "after-run"]
    assert symptoms.feels == ["dull-ache"]
    assert symptoms.triggers == ["stairs", "squatting"]
    assert symptoms.onset == "gradual"
    assert symptoms.severity == 4
    assert not symptoms.both_sides
    assert {"both-sides", "swelling", "numbness"} <= set(symptoms.absent)


def test_going_back_one_question_undoes_its_answer(pipe: PipeInput, catalogue: Catalogue) -> None:
    keys = [
        down(6) + ENTER,  # where: knee
        UP + ENTER,  # part: < Back, so where is asked again
        down(4) + ENTER,  # where: shin
        down(1) + ENTER,  # part: back
        LEFT,  # both legs: back to part
        ENTER,  # part: front
        *FULL_RUNNERS_KNEE[2:],
    ]
    pipe.send_text("".join(keys))
    symptoms = run_interview(catalogue, full=True, no_color=True, input=pipe, output=DummyOutput())
    assert symptoms.where == ["shin"]
    assert symptoms.part == ["front"]


def test_ctrl_c_mid_interview_raises(pipe: PipeInput, catalogue: Catalogue) -> None:
    pipe.send_text(down(6) + ENTER + CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        run_interview(catalogue, no_color=True, input=pipe, output=DummyOutput())


def test_adaptive_interview_asks_follow_ups_then_own_words(
    pipe: PipeInput, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = ["stairs", "swelling", "clicking", "squatting"]
    calls: list[tuple[int, frozenset[str]]] = []

    def scripted(
        symptoms: Symptoms, catalogue: Catalogue, *, asked: int, skip: frozenset[str]
    ) -> NextQuestion | None:
        calls.append((asked, skip))
        answered = set(symptoms.present()) | set(symptoms.absent) | skip
        for term in script:
            if term not in answered:
                return NextQuestion(
                    term=term, text=f"About {term}?", hint="hint", reason="asked because"
                )
        return None

    monkeypatch.setattr(interview, "next_question", scripted)
    screen = io.StringIO()
    keys = [
        down(6) + ENTER,  # where: knee
        ENTER,  # part: front
        ENTER,  # both legs: no
        SPACE + ENTER,  # warning signs: numbness only (swelling stays unanswered)
        down(3) + ENTER,  # severity: 3
        ENTER,  # stairs: yes
        DOWN + ENTER,  # swelling: no
        UP + ENTER,  # clicking: < Back, undoing "swelling: no"
        ENTER,  # swelling: yes
        down(2) + ENTER,  # clicking: not sure
        DOWN + ENTER,  # squatting: no
        "worse [bold]uphill[/bold]" + ENTER,  # own words
    ]
    pipe.send_text("".join(keys))

    fake_parse = types.ModuleType("needlematch.parse")
    fake_parse.understand = lambda text: Said(Symptoms(triggers=["uphill"]), ["[bold]\x1b"])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "needlematch.parse", fake_parse)
    symptoms = run_interview(catalogue, no_color=True, input=pipe, output=PlainTextOutput(screen))
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["front"]
    assert set(symptoms.signs) == {"numbness", "swelling"}
    assert set(symptoms.triggers) == {"stairs", "uphill"}
    assert "squatting" in symptoms.absent
    assert "clicking" not in symptoms.present() and "clicking" not in symptoms.absent
    assert symptoms.text == "worse [bold]uphill[/bold]"
    assert symptoms.severity == 3
    # "Not sure" is passed on as skip, and the count of follow-ups asked goes up.
    assert calls[-1] == (4, frozenset({"clicking"}))
    drawn = screen.getvalue()
    assert "Leading: " in drawn
    assert "Not understood (ignored): [bold]\\x1b" in drawn
