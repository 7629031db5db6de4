"""The guided interview of `needlematch check`: asks the questions on stderr with questionary.

This is the only module that imports questionary, and only `check` imports it.
Every prompt draws on stderr, so stdout carries the result alone. Ctrl-C at any
prompt raises `Interrupted` (a KeyboardInterrupt carrying what was answered, so
the CLI can still show a warning sign already found) for the CLI to turn into
exit 130. Every question offers "< Back" (the Left arrow; on a text line, Left
while it is empty), which undoes the previous answer and asks that question
again with the earlier answer already chosen. Each answered question leaves one
line on the screen, and going back erases it, so nothing stale stays.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Sequence
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

from needlematch import known
from needlematch.engine import UNMATCHED_ID, next_question, scorer_for, triage_of
from needlematch.printable import percent, printable
from needlematch.questions import (
    ADAPTIVE_OPENING,
    FOLLOW_UP_CHOICES,
    FOLLOW_UPS,
    FULL_ORDER,
    NO,
    NONE_OF_THESE,
    OWN_WORDS,
    PART,
    QUESTIONS,
    SEVERITY,
    STORY,
    STORY_CHECK,
    WARNING_SIGNS,
    WHERE,
    YES,
    Choice,
    Question,
    choices_for,
    story_items,
    symptoms_from_answers,
    wanted,
)
from needlematch.symptoms import MAX_AGE, MIN_AGE

if TYPE_CHECKING:
    from needlematch.assessment import NextQuestion, Triage
    from needlematch.catalogue import Catalogue
    from needlematch.parse import Understanding
    from needlematch.symptoms import Symptoms

BACK = "__back__"
BACK_LABEL = "< Back"

_SELECT_KEYS = "Up/Down to move, Enter to choose"
_CHECKBOX_KEYS = "Up/Down to move, Space to tick, Enter when done"
_BACK_KEYS = ", Left to go back"
_TEXT_KEYS = "Enter when done"
_TEXT_BACK_KEYS = ", Left on an empty line to go back"


def colour_wanted(no_color: bool = False) -> bool:
    """Colour unless --no-color, NO_COLOR (any value) or TERM=dumb says otherwise."""
    return not (no_color or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during the interview, with what had been answered by then."""

    def __init__(self, symptoms: Symptoms | None) -> None:
        super().__init__()
        self.symptoms = symptoms


class Prompter:
    """Draws one question at a time on one output, and reports "< Back" as `BACK`.

    A prompt is erased once answered; `answered` then writes the one line that
    stays, and `erase` takes lines back off the screen when the runner goes back.
    """

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
        options: dict[str, Any] = {
            "input": self.input,
            "output": self.output,
            "style": self.style,
            "erase_when_done": True,
        }
        if not self.colour:
            options["color_depth"] = ColorDepth.MONOCHROME
        return options

    def columns(self) -> int:
        try:
            return max(30, self.output.get_size().columns)
        except OSError:
            return 80

    def _instruction(self, hint: str, keys: str | None, reason: str | None = None) -> str:
        """The lines under a question, wrapped to the terminal and indented."""
        width = self.columns() - 4
        lines = [
            wrapped
            for line in (hint, reason, f"({keys})" if keys else None)
            if line
            for wrapped in textwrap.wrap(printable(line), width)
        ]
        return "".join(f"\n  {line}" for line in lines)

    def say(self, text: str) -> int:
        """Lines of progress on the prompts' output (stderr), shown literally; how many screen lines they took."""
        width = self.columns() - 1
        lines: list[str] = []
        for line in printable(text).split("\n"):
            indent = line[: len(line) - len(line.lstrip())]
            lines += textwrap.wrap(line, width, subsequent_indent=indent) or [""]
        print_formatted_text(
            FormattedText([("", "\n".join(lines))]),
            output=self.output,
            style=self.style,
            color_depth=None if self.colour else ColorDepth.MONOCHROME,
        )
        return len(lines)

    def answered(self, question: str, answer: str) -> int:
        """The line an answered question leaves: '? Question? Answer'."""
        return self.say(f"? {question} {answer}")

    def erase(self, lines: int) -> None:
        """Take the last `lines` screen lines back off the screen."""
        if lines <= 0:
            return
        self.output.cursor_up(lines)
        self.output.erase_down()
        self.output.flush()

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
        values = {choice.value for choice in choices}
        question = questionary.select(
            text,
            choices=shown,
            instruction=self._instruction(hint, keys, reason),
            default=default if default in values else None,
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
        ticked: Sequence[str] = (),
    ) -> list[str] | str:
        """The ticked values (a list), or BACK; `ticked` starts ticked.

        `exclusive` is a value that cannot be ticked with any other ("None of
        these"); `required` refuses an empty answer.
        """
        shown: list[questionary.Choice | questionary.Separator] = [
            questionary.Choice(choice.label, value=choice.value, checked=choice.value in ticked)
            for choice in choices
        ]
        if back:
            shown += [questionary.Separator(" "), questionary.Choice(BACK_LABEL, value=BACK)]
        labels = {choice.value: choice.label for choice in choices}

        def validate(chosen: list[str]) -> bool | str:
            if BACK in chosen:
                return True
            if exclusive is not None and exclusive in chosen and len(chosen) > 1:
                return f"Untick '{labels[exclusive]}', or untick the others."
            if required and not chosen:
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

    def text(
        self,
        text: str,
        hint: str,
        *,
        back: bool = False,
        default: str = "",
        validate: Callable[[str], bool | str] | None = None,
    ) -> str:
        """A line of free text ('' when skipped), or BACK (Left on an empty line)."""
        keys = _TEXT_KEYS + (_TEXT_BACK_KEYS if back else "")
        question = questionary.text(
            text,
            default=default,
            instruction=self._instruction(hint, keys) + "\n  >",
            validate=validate,
            **self._options(),
        )
        if back:
            app = question.application
            bindings = KeyBindings()

            @bindings.add(
                Keys.Left, eager=True, filter=Condition(lambda: not app.current_buffer.text)
            )
            def _go_back(event: KeyPressEvent) -> None:
                event.app.exit(result=BACK)

            app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
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
    posterior = scorer.posterior(
        known.present_terms(symptoms), known.absent_terms(symptoms), symptoms.age, symptoms.sex
    )
    ranked = sorted(posterior, key=lambda key: (-posterior[key], key))[:count]
    names = {key: injury.short_name for key, injury in scorer.injuries.items()}
    names[UNMATCHED_ID] = "none of these"
    return "Leading: " + ", ".join(f"{names[key]} {percent(posterior[key])}" for key in ranked)


def warning_lines(triage: Triage) -> str:
    """A warning sign already found, in two lines for the prompts' screen."""
    headline = {
        "emergency": "EMERGENCY: call emergency services now.",
        "urgent": "URGENT: get medical assessment today.",
        "soon": "See a clinician within days.",
    }.get(triage.level, "")
    flags = [flag for flag in triage.red_flags if flag.level == triage.level]
    names = "; ".join(flag.name for flag in flags)
    return f"  ! {headline} {names}".rstrip()


@dataclass
class _Step:
    """One answered question: its key and how many screen lines it left."""

    kind: str  # "question" or "follow-up"
    key: str
    lines: int


@dataclass
class _State:
    """The answers so far, in order, and every answer ever given (kept through "< Back")."""

    answers: dict[str, object] = field(default_factory=dict)
    follow_ups: dict[str, str] = field(default_factory=dict)
    steps: list[_Step] = field(default_factory=list)
    memory: dict[str, object] = field(default_factory=dict)

    def record(self, kind: str, key: str, answer: object, lines: int) -> None:
        if kind == "question":
            self.answers[key] = answer
        else:
            self.follow_ups[key] = str(answer)
        self.memory[f"{kind}:{key}"] = answer
        self.steps.append(_Step(kind, key, lines))

    def undo(self) -> int:
        """Forget the last answer (but remember it as the default); the lines it left."""
        if not self.steps:
            return 0
        step = self.steps.pop()
        if step.kind == "question":
            del self.answers[step.key]
        else:
            del self.follow_ups[step.key]
        return step.lines

    def remembered(self, kind: str, key: str) -> object:
        return self.memory.get(f"{kind}:{key}")

    def all_answers(self) -> dict[str, object]:
        answers = dict(self.answers)
        if self.follow_ups:
            answers[FOLLOW_UPS] = dict(self.follow_ups)
        return answers


# A choice question the engine asks (for a script) that the interview has as data.
_ENGINE_QUESTIONS = {"where": WHERE, "part": PART, "severity": SEVERITY}


class _Interview:
    """One run of the interview: the questions in order, Back, and the stop at an emergency."""

    def __init__(
        self,
        catalogue: Catalogue,
        prompter: Prompter,
        full: bool,
        understand: Callable[[str], Understanding],
    ) -> None:
        self.catalogue = catalogue
        self.prompter = prompter
        self.full = full
        self.understand = understand
        self.state = _State()

    def symptoms(self) -> Symptoms:
        return symptoms_from_answers(self.state.all_answers(), understand=self.understand)

    def run(self) -> Symptoms:
        opening = FULL_ORDER if self.full else ADAPTIVE_OPENING
        while True:
            symptoms = self.symptoms()
            triage = triage_of(symptoms, self.catalogue)
            if triage.level == "emergency" and not self._confirming_story(symptoms):
                return symptoms
            pending = self._pending(opening, symptoms)
            if pending is not None:
                self._ask_question(pending, symptoms, triage)
                continue
            if self.full or OWN_WORDS in self.state.answers:
                return symptoms
            follow_up = next_question(symptoms, self.catalogue)
            if follow_up is not None:
                self._ask_follow_up(follow_up, symptoms)
                continue
            if triage.level in ("urgent", "emergency"):
                # Nothing more could change the advice: no "anything else" either.
                return symptoms
            self._ask_question(OWN_WORDS, symptoms, triage)

    def _confirming_story(self, symptoms: Symptoms) -> bool:
        """Whether the runner still has to confirm what their words were read as (even at an emergency)."""
        answers = self.state.answers
        return STORY in answers and STORY_CHECK not in answers and bool(self._story_items(symptoms))

    def _pending(self, opening: Sequence[str], symptoms: Symptoms) -> str | None:
        answers = self.state.all_answers()
        for question_id in opening:
            if question_id == OWN_WORDS and not self.full:
                continue
            if question_id == STORY_CHECK:
                if STORY_CHECK not in answers and self._story_items(symptoms):
                    return question_id
                continue
            if wanted(question_id, symptoms, answers):
                return question_id
        return None

    def _story_items(self, symptoms: Symptoms) -> tuple[Choice, ...]:
        story = self.state.answers.get(STORY)
        if not isinstance(story, str) or not story.strip():
            return ()
        return story_items(self.understand(story.strip()).symptoms)

    def _back(self, transient: int) -> None:
        """Go back one question: erase what this one drew and the line the previous one left."""
        self.prompter.erase(transient + self.state.undo())

    def _ask_question(self, question_id: str, symptoms: Symptoms, triage: Triage) -> None:
        question = QUESTIONS[question_id]
        back = bool(self.state.steps)
        previous = self.state.remembered("question", question_id)
        prompter = self.prompter
        transient = 0
        if question_id == WHERE:
            from needlematch.render import body_map_lines

            transient = prompter.say("\n".join(body_map_lines()))
        if question_id == STORY_CHECK:
            self._ask_story_check(question, symptoms, triage, back, previous)
            return
        answer, shown = self._prompt(question, symptoms, back, previous)
        prompter.erase(transient)
        if answer == BACK:
            self._back(0)
            return
        lines = prompter.answered(question.text, shown)
        self.state.record("question", question_id, answer, lines)

    def _prompt(
        self, question: Question, symptoms: Symptoms, back: bool, previous: object
    ) -> tuple[object, str]:
        """Ask one question from the data; its answer value (or BACK) and the answer as shown."""
        prompter = self.prompter
        choices = choices_for(question.id, symptoms)
        labels = {choice.value: choice.label for choice in choices}
        if question.kind in ("select", "scale"):
            default = str(previous) if previous is not None else None
            value = prompter.select(
                question.text, question.hint, choices, back=back, default=default
            )
            if question.kind == "scale" and value != BACK:
                return int(value), labels[value].strip()
            return value, labels.get(value, "")
        if question.kind == "confirm":
            yes_no = (Choice(YES, "Yes"), Choice(NO, "No"))
            # The pointer starts on No: an Enter pressed too soon should not add a finding.
            default = YES if previous is True else NO
            value = prompter.select(
                question.text, question.hint, yes_no, back=back, default=default
            )
            return (value, "") if value == BACK else (value == YES, "Yes" if value == YES else "No")
        if question.kind == "checkbox":
            is_screen = question.id == WARNING_SIGNS
            if isinstance(previous, list):
                ticked = [str(value) for value in previous]
            else:
                # Signs the runner's words already gave start ticked on the screen.
                present = set(known.present_terms(symptoms))
                ticked = [c.value for c in choices if c.terms and set(c.terms) <= present]
            ticks = prompter.checkbox(
                question.text,
                question.hint,
                choices,
                back=back,
                exclusive=NONE_OF_THESE if is_screen else None,
                required=is_screen,
                ticked=ticked,
            )
            if isinstance(ticks, str):
                return BACK, ""
            return ticks, ", ".join(labels[v] for v in ticks) or "(none)"
        if question.kind == "number":
            value = prompter.text(
                question.text,
                question.hint,
                back=back,
                default="" if previous is None else str(previous),
                validate=_age_answer,
            )
            if value == BACK:
                return BACK, ""
            return (int(value), value.strip()) if value.strip() else (None, "(skipped)")
        value = prompter.text(
            question.text,
            question.hint,
            back=back,
            default=previous if isinstance(previous, str) else "",
        )
        return value, (value.strip() or "(skipped)") if value != BACK else ""

    def _ask_story_check(
        self, question: Question, symptoms: Symptoms, triage: Triage, back: bool, previous: object
    ) -> None:
        """'I understood: ... Is that right?', and if not, untick what was misread."""
        prompter = self.prompter
        items = self._story_items(symptoms)
        labels = {item.value: item.label for item in items}
        preamble = "  I understood: " + "; ".join(labels.values()) + "."
        if triage.level in ("emergency", "urgent"):
            preamble += "\n" + warning_lines(triage)
        transient = prompter.say(preamble)
        dropped = [str(value) for value in previous] if isinstance(previous, list) else []
        while True:
            value = prompter.select(
                question.text, question.hint, question.choices, back=back,
                default=NO if dropped else YES,
            )  # fmt: skip
            if value == BACK:
                prompter.erase(transient)
                self._back(0)
                return
            if value == YES:
                dropped = []
                break
            kept = prompter.checkbox(
                "Untick anything that is wrong:",
                "What stays ticked is kept; what you untick is dropped.",
                items,
                back=True,
                ticked=[item.value for item in items if item.value not in dropped],
            )
            if kept != BACK:
                dropped = [item.value for item in items if item.value not in kept]
                break
        prompter.erase(transient)
        kept_labels = [labels[value] for value in labels if value not in dropped]
        shown = "Understood: " + ("; ".join(kept_labels) or "nothing") + "."
        lines = prompter.say(f"  {shown}")
        self.state.record("question", STORY_CHECK, dropped, lines)

    def _ask_follow_up(self, follow_up: NextQuestion, symptoms: Symptoms) -> None:
        prompter = self.prompter
        back = bool(self.state.steps)
        reason = _sentence(follow_up.reason)
        if follow_up.kind != "yes-no":
            question_id = _ENGINE_QUESTIONS.get(follow_up.term, WARNING_SIGNS)
            question = QUESTIONS[question_id]
            answer, shown = self._prompt(
                question, symptoms, back, self.state.remembered("question", question_id)
            )
            if answer == BACK:
                self._back(0)
                return
            lines = prompter.answered(question.text, shown)
            self.state.record("question", question_id, answer, lines)
            return
        previous = self.state.remembered("follow-up", follow_up.term)
        reply = prompter.select(
            follow_up.text,
            follow_up.hint,
            FOLLOW_UP_CHOICES,
            back=back,
            reason=reason,
            # An Enter pressed too soon must not add a finding: the pointer starts on No.
            default=str(previous) if previous is not None else NO,
        )
        if reply == BACK:
            self._back(0)
            return
        label = next(choice.label for choice in FOLLOW_UP_CHOICES if choice.value == reply)
        self.state.record(
            "follow-up", follow_up.term, reply, prompter.answered(follow_up.text, label)
        )
        self.state.steps[-1].lines += prompter.say(
            "  " + leading_line(self.symptoms(), self.catalogue)
        )


def _age_answer(text: str) -> bool | str:
    text = text.strip()
    if not text or (text.isascii() and text.isdigit() and MIN_AGE <= int(text) <= MAX_AGE):
        return True
    return f"A whole number from {MIN_AGE} to {MAX_AGE}, or nothing to skip."


def run_interview(
    catalogue: Catalogue,
    *,
    full: bool = False,
    no_color: bool = False,
    input: Input | None = None,
    output: Output | None = None,
) -> Symptoms:
    """Ask the runner, on stderr, and return what they reported.

    Adaptive by default: age and sex, their own words (read back to be
    confirmed), where and which part (with a body map), how long, the
    warning-sign screen and how bad it is, each asked only if still unknown;
    then the questions `engine.next_question` picks, with the live top three
    after each answer; then "anything else". An emergency ends it at once; at
    `urgent` only what could make it an emergency is still asked. `full` asks
    the complete fixed questionnaire instead. Raises `Interrupted` on Ctrl-C.
    """
    prompter = Prompter(input=input, output=output, no_color=no_color)
    heard: dict[str, Understanding] = {}

    def understand(text: str) -> Understanding:
        if text not in heard:
            from needlematch.parse import understand as parse

            heard[text] = parse(text)
        return heard[text]

    interview = _Interview(catalogue, prompter, full, understand)
    try:
        symptoms = interview.run()
    except KeyboardInterrupt:
        try:
            partial: Symptoms | None = interview.symptoms()
        except ValueError:
            partial = None
        raise Interrupted(partial) from None
    unrecognised = [word for understood in heard.values() for word in understood.unrecognised]
    if unrecognised:
        prompter.say("  Not understood (ignored): " + ", ".join(dict.fromkeys(unrecognised)))
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
    "Interrupted",
    "Prompter",
    "ask_pain_monitoring",
    "ask_to_save",
    "colour_wanted",
    "leading_line",
    "run_interview",
]
