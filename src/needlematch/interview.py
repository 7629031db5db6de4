"""The guided interview of `needlematch check`: asks the questions on stderr with questionary.

This is the only module that imports questionary, and only `check` imports it.
Every prompt draws on stderr, so stdout carries the result alone. Ctrl-C at any
prompt raises KeyboardInterrupt for the CLI to turn into exit 130. Every choice
list offers "< Back" (and the Left arrow key), which undoes the previous answer
and asks that question again.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import ColorDepth, Output, create_output
from prompt_toolkit.styles import Style
from questionary.prompts.common import InquirerControl

from needlematch.engine import MAX_QUESTIONS, UNMATCHED_ID, next_question, scorer_for
from needlematch.printable import percent, printable
from needlematch.questions import (
    ADAPTIVE_OPENING,
    FOLLOW_UP_CHOICES,
    FOLLOW_UPS,
    FULL_ORDER,
    NO,
    NONE_OF_THESE,
    NOT_SURE,
    OWN_WORDS,
    QUESTIONS,
    YES,
    Choice,
    Question,
    symptoms_from_answers,
)

if TYPE_CHECKING:
    from needlematch.assessment import NextQuestion
    from needlematch.catalogue import Catalogue
    from needlematch.parse import Understanding
    from needlematch.symptoms import Symptoms

BACK = "__back__"
BACK_LABEL = "< Back"

_SELECT_KEYS = "Up/Down to move, Enter to choose"
_CHECKBOX_KEYS = "Up/Down to move, Space to tick, Enter when done"
_BACK_KEYS = ", Left to go back"


def colour_wanted(no_color: bool = False) -> bool:
    """Colour unless --no-color, NO_COLOR (any value) or TERM=dumb says otherwise."""
    return not (no_color or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb")


class Prompter:
    """Draws one question at a time on one output, and reports "< Back" as `BACK`."""

    def __init__(
        self,
        *,
        input: Input | None = None,
        output: Output | None = None,
        no_color: bool = False,
    ) -> None:
        self.input = input
        self.output = output if output is not None else create_output(stdout=sys.stderr)
        self.colour = colour_wanted(no_color)
        self.style = (
            Style([("instruction", "italic"), ("answer", "fg:ansicyan bold")])
            if self.colour
            else Style([])
        )

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"input": self.input, "output": self.output, "style": self.style}
        if not self.colour:
            options["color_depth"] = ColorDepth.MONOCHROME
        return options

    def _instruction(self, hint: str, keys: str | None, reason: str | None = None) -> str:
        """The lines under a question, wrapped to the terminal and indented."""
        try:
            columns = self.output.get_size().columns
        except OSError:
            columns = 80
        width = max(30, columns - 4)
        lines = [
            wrapped
            for line in (hint, reason, f"({keys})" if keys else None)
            if line
            for wrapped in textwrap.wrap(printable(line), width)
        ]
        return "".join(f"\n  {line}" for line in lines)

    def say(self, text: str) -> None:
        """One line of progress on the prompts' output (stderr), shown literally."""
        print_formatted_text(
            FormattedText([("", printable(text))]),
            output=self.output,
            style=self.style,
            color_depth=None if self.colour else ColorDepth.MONOCHROME,
        )

    def select(
        self,
        text: str,
        hint: str,
        choices: Sequence[Choice],
        *,
        back: bool,
        reason: str | None = None,
        default: str | None = None,
    ) -> str:
        """One choice's value, or BACK; the pointer starts on `default` (else the first)."""
        shown: list[questionary.Choice | questionary.Separator] = [
            questionary.Choice(choice.label, value=choice.value) for choice in choices
        ]
        if back:
            shown += [questionary.Separator(" "), questionary.Choice(BACK_LABEL, value=BACK)]
        keys = _SELECT_KEYS + (_BACK_KEYS if back else "")
        question = questionary.select(
            text,
            choices=shown,
            instruction=self._instruction(hint, keys, reason),
            default=default,
            **self._options(),
        )
        if back:
            _add_back_keys(question, checkbox=False)
        answer: str = question.unsafe_ask()
        return answer

    def checkbox(
        self,
        text: str,
        hint: str,
        choices: Sequence[Choice],
        *,
        back: bool,
        exclusive: str | None = None,
        required: bool = False,
    ) -> list[str] | str:
        """The ticked values (a list), or BACK.

        `exclusive` is a value that cannot be ticked with any other ("None of
        these"); `required` refuses an empty answer.
        """
        shown: list[questionary.Choice | questionary.Separator] = [
            questionary.Choice(choice.label, value=choice.value) for choice in choices
        ]
        if back:
            shown += [questionary.Separator(" "), questionary.Choice(BACK_LABEL, value=BACK)]
        labels = {choice.value: choice.label for choice in choices}

        def validate(ticked: list[str]) -> bool | str:
            if BACK in ticked:
                return True
            if exclusive is not None and exclusive in ticked and len(ticked) > 1:
                return f"Untick '{labels[exclusive]}', or untick the others."
            if required and not ticked:
                if exclusive is not None:
                    return f"Tick what you have, or '{labels[exclusive]}'."
                return "Tick at least one."
            return True

        keys = _CHECKBOX_KEYS + (_BACK_KEYS if back else "")
        question = questionary.checkbox(
            text,
            choices=shown,
            instruction=self._instruction(hint, keys),
            validate=validate,
            **self._options(),
        )
        if back:
            _add_back_keys(question, checkbox=True)
        answer: list[str] = question.unsafe_ask()
        return BACK if BACK in answer else answer

    def text(self, text: str, hint: str) -> str:
        """A line of free text ('' when skipped)."""
        question = questionary.text(
            text,
            instruction=self._instruction(hint, None) + "\n  >",
            **self._options(),
        )
        try:
            answer: str = question.unsafe_ask()
        except EOFError:
            # Ctrl-D on an empty line: the runner wants out, as with Ctrl-C.
            raise KeyboardInterrupt from None
        return answer


def _add_back_keys(question: questionary.Question, *, checkbox: bool) -> None:
    """Left arrow goes back anywhere; in a checkbox, Enter or Space on "< Back" does too."""
    app = question.application
    control = next(
        window.content
        for window in app.layout.find_all_windows()
        if isinstance(window.content, InquirerControl)
    )
    back_index = next(i for i, c in enumerate(control.choices) if c.value == BACK)
    on_back = Condition(lambda: control.pointed_at == back_index)
    bindings = KeyBindings()

    def go_back(event: KeyPressEvent) -> None:
        control.pointed_at = back_index
        if checkbox:
            control.selected_options = [BACK]
        control.is_answered = True
        event.app.exit(result=[BACK] if checkbox else BACK)

    bindings.add(Keys.Left, eager=True)(go_back)
    if checkbox:
        bindings.add(Keys.ControlM, eager=True, filter=on_back)(go_back)
        bindings.add(" ", eager=True, filter=on_back)(go_back)
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


def _sentence(text: str) -> str | None:
    """'asked because ...' as a sentence: capital first, full stop last; None when empty."""
    text = text.strip()
    if not text:
        return None
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def leading_line(symptoms: Symptoms, catalogue: Catalogue, count: int = 3) -> str:
    """'Leading: IT band syndrome 64%, runner's knee 21%, none of these 9%'."""
    scorer = scorer_for(catalogue)
    posterior = scorer.posterior(symptoms.present(), symptoms.absent)
    ranked = sorted(posterior, key=lambda key: (-posterior[key], key))[:count]
    names = {key: injury.short_name for key, injury in scorer.injuries.items()}
    names[UNMATCHED_ID] = "none of these"
    return "Leading: " + ", ".join(f"{names[key]} {percent(posterior[key])}" for key in ranked)


@dataclass
class _State:
    """The answers so far, and the order they were given in, so "< Back" can undo the last."""

    answers: dict[str, object] = field(default_factory=dict)
    follow_ups: dict[str, str] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)  # ("question"|"follow-up", key)

    def record(self, kind: str, key: str, answer: object) -> None:
        if kind == "question":
            self.answers[key] = answer
        else:
            self.follow_ups[key] = str(answer)
        self.order.append((kind, key))

    def undo(self) -> None:
        if not self.order:
            return
        kind, key = self.order.pop()
        if kind == "question":
            del self.answers[key]
        else:
            del self.follow_ups[key]

    def all_answers(self) -> dict[str, object]:
        answers = dict(self.answers)
        if self.follow_ups:
            answers[FOLLOW_UPS] = dict(self.follow_ups)
        return answers


def _ask(prompter: Prompter, question: Question, *, back: bool) -> object:
    """Ask one question from the data; returns its answer value, or BACK."""
    if question.kind == "select" or question.kind == "scale":
        value = prompter.select(question.text, question.hint, question.choices, back=back)
        if question.kind == "scale" and value != BACK:
            return int(value)
        return value
    if question.kind == "confirm":
        yes_no = (Choice(YES, "Yes"), Choice(NO, "No"))
        # The pointer starts on No: an Enter pressed too soon should not add a finding.
        value = prompter.select(question.text, question.hint, yes_no, back=back, default=NO)
        return value if value == BACK else value == YES
    if question.kind == "checkbox":
        is_screen = any(choice.value == NONE_OF_THESE for choice in question.choices)
        return prompter.checkbox(
            question.text,
            question.hint,
            question.choices,
            back=back,
            exclusive=NONE_OF_THESE if is_screen else None,
            required=is_screen,
        )
    return prompter.text(question.text, question.hint)


def _next_follow_up(state: _State, catalogue: Catalogue) -> NextQuestion | None:
    symptoms = symptoms_from_answers(state.all_answers())
    unsure = frozenset(term for term, reply in state.follow_ups.items() if reply == NOT_SURE)
    return next_question(symptoms, catalogue, asked=len(state.follow_ups), skip=unsure)


def run_interview(
    catalogue: Catalogue,
    *,
    full: bool = False,
    no_color: bool = False,
    input: Input | None = None,
    output: Output | None = None,
) -> Symptoms:
    """Ask the runner, on stderr, and return what they reported.

    Adaptive by default: where, which part, both legs and the warning signs,
    then the yes/no questions that best separate the leading injuries (with the
    live top three after each answer), then their own words. `full` asks the
    complete fixed questionnaire instead. Raises KeyboardInterrupt on Ctrl-C.
    """
    prompter = Prompter(input=input, output=output, no_color=no_color)
    state = _State()
    heard: list[Understanding] = []

    def understand(text: str) -> Understanding:
        from needlematch.parse import understand as parse

        understood = parse(text)
        heard.append(understood)
        return understood

    opening = FULL_ORDER if full else ADAPTIVE_OPENING
    while True:
        back = bool(state.order)
        pending = [question_id for question_id in opening if question_id not in state.answers]
        if pending:
            question = QUESTIONS[pending[0]]
            answer = _ask(prompter, question, back=back)
            if answer == BACK:
                state.undo()
                continue
            state.record("question", question.id, answer)
            if not full and not [q for q in opening if q not in state.answers]:
                prompter.say("  " + leading_line(symptoms_from_answers(state.answers), catalogue))
            continue
        follow_up = None
        if not full and OWN_WORDS not in state.answers and len(state.follow_ups) < MAX_QUESTIONS:
            follow_up = _next_follow_up(state, catalogue)
        if follow_up is not None:
            reply = prompter.select(
                follow_up.text,
                follow_up.hint,
                FOLLOW_UP_CHOICES,
                back=back,
                reason=_sentence(follow_up.reason),
            )
            if reply == BACK:
                state.undo()
                continue
            state.record("follow-up", follow_up.term, reply)
            prompter.say("  " + leading_line(symptoms_from_answers(state.all_answers()), catalogue))
            continue
        if OWN_WORDS not in state.answers:
            own = QUESTIONS[OWN_WORDS]
            state.record("question", OWN_WORDS, prompter.text(own.text, own.hint))
        break

    symptoms = symptoms_from_answers(state.all_answers(), understand=understand)
    for understood in heard:
        if understood.unrecognised:
            prompter.say("  Not understood (ignored): " + ", ".join(understood.unrecognised))
    prompter.say("")
    return symptoms


# After the interview (history): the pain-monitoring scores and the question to save.
SKIP = "skip"
_SCORES = tuple(Choice(str(score), str(score)) for score in range(11))


def ask_pain_monitoring(
    place: str,
    *,
    no_color: bool = False,
    input: Input | None = None,
    output: Output | None = None,
) -> tuple[int | None, int | None]:
    """Pain during the last run and the next morning, 0 to 10 (None when skipped).

    Asked only when the history already has entries for `place`.
    """
    from needlematch.vocabulary import TERMS_BY_ID

    prompter = Prompter(input=input, output=output, no_color=no_color)
    region = TERMS_BY_ID[place].label.lower() if place in TERMS_BY_ID else place
    during = prompter.select(
        "How bad was it during your last run, from 0 to 10?",
        f"Your history already has your {region}: with this it can say whether running "
        "is inside the pain-monitoring limits.",
        (*_SCORES, Choice(SKIP, "I have not run since / skip")),
        back=False,
    )
    if during == SKIP:
        return None, None
    morning = prompter.select(
        "And the morning after that run, from 0 to 10?",
        "The pain or stiffness when you got up the next day.",
        (*_SCORES, Choice(SKIP, "Not yet / skip")),
        back=False,
    )
    return int(during), None if morning == SKIP else int(morning)


def ask_to_save(
    where: os.PathLike[str] | str,
    *,
    no_color: bool = False,
    input: Input | None = None,
    output: Output | None = None,
) -> bool:
    """Ask "Save this to your history?": False unless the runner picks Yes (the pointer starts on No)."""
    prompter = Prompter(input=input, output=output, no_color=no_color)
    answer = prompter.select(
        "Save this to your history?",
        f"Kept only on this computer ({os.fspath(where)}), to follow the pain over time; "
        "`needlematch history forget` deletes it.",
        (Choice(YES, "Yes"), Choice(NO, "No")),
        back=False,
        default=NO,
    )
    return answer == YES


__all__ = [
    "BACK",
    "Prompter",
    "ask_pain_monitoring",
    "ask_to_save",
    "colour_wanted",
    "leading_line",
    "run_interview",
]
