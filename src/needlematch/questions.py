"""The interview's questions as data, and the pure function that turns answers into Symptoms.

Nothing here draws or prompts: `interview.py` shows these questions with
questionary, and `symptoms_from_answers` is tested with plain dictionaries.

An answers dictionary maps a question id to what the runner chose:

- a select question: one choice value (a term id, or `NOT_SURE`);
- a checkbox question: a list of choice values (`NONE_OF_THESE` on the warning screen);
- a confirm question: a bool;
- the scale question: an int from 0 to 10; the age: an int, or None when skipped;
- a text question: a string (blank means nothing was said);
- `STORY_CHECK`: the values of `story_items` the runner said were misread;
- `FOLLOW_UPS`: the adaptive questions, a mapping of term id to `YES`, `NO`
  or `NOT_SURE` (or a bool), and of a choice question's id (`severity`) to
  its chosen value.

A question that was not asked is simply missing. Once the warning screen is
answered the symptoms are `screened`: every screen sign left unticked is absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from needlematch.known import answered, region_parts
from needlematch.symptoms import MAX_AGE, MIN_AGE, Symptoms, normalise_term, symptoms_from_terms
from needlematch.vocabulary import (
    REGION_PARTS,
    SCREEN,
    SCREEN_TERMS,
    TERM_IDS_BY_DIMENSION,
    TERMS_BY_ID,
    screen_terms,
)

if TYPE_CHECKING:
    from needlematch.parse import Understanding

Kind = Literal["select", "checkbox", "scale", "confirm", "text", "number"]

NOT_SURE = "not-sure"
NONE_OF_THESE = "none-of-these"
YES = "yes"
NO = "no"
FOLLOW_UPS = "follow_ups"

AGE = "age"
SEX = "sex"
STORY = "story"
STORY_CHECK = "story_check"
WHERE = "where"
PART = "part"
DURATION = "duration"
BOTH_SIDES = "both_sides"
WHEN = "when"
FEELS = "feels"
TRIGGERS = "triggers"
ONSET = "onset"
SEVERITY = "severity"
WARNING_SIGNS = "warning_signs"
OWN_WORDS = "own_words"


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a runner can pick, and the terms it reports present (none for "not sure")."""

    value: str
    label: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the interview: what is asked, in a runner's words, and the answers offered."""

    id: str
    kind: Kind
    text: str
    hint: str
    choices: tuple[Choice, ...] = field(default=())

    def choice(self, value: str) -> Choice:
        """The choice with this value; raises ValueError naming the valid ones."""
        for choice in self.choices:
            if choice.value == value:
                return choice
        valid = ", ".join(choice.value for choice in self.choices)
        raise ValueError(f"{value!r} is not an answer to {self.id!r} (valid: {valid})")


def _term_choice(term_id: str, label: str | None = None) -> Choice:
    return Choice(term_id, label or TERMS_BY_ID[term_id].label, (term_id,))


def _dimension_choices(dimension: str) -> tuple[Choice, ...]:
    return tuple(_term_choice(term) for term in TERM_IDS_BY_DIMENSION[dimension])


_NOT_SURE_CHOICE = Choice(NOT_SURE, "Not sure")

# The warning-sign screen (vocabulary.SCREEN), one term per line so that a line
# left unticked is a plain "no" to that one sign.
_WARNING_CHOICES: tuple[Choice, ...] = (
    *(Choice(term, label, (term,)) for term, label in SCREEN),
    Choice(NONE_OF_THESE, "None of these"),
)

# Every term the warning screen can ask about (a person is shown those that apply to them).
SCREENED_TERMS: tuple[str, ...] = SCREEN_TERMS

_SEVERITY_WORDS = {0: "no pain", 3: "mild", 5: "moderate", 7: "bad", 10: "the worst imaginable"}

DURATION_CHOICES: tuple[Choice, ...] = (
    Choice("days", "Days (less than a week)"),
    Choice("weeks", "1 to 6 weeks"),
    Choice("months", "6 weeks to 3 months"),
    Choice("longer", "Longer than 3 months"),
    _NOT_SURE_CHOICE,
)
SEX_CHOICES: tuple[Choice, ...] = (
    Choice("female", "Female"),
    Choice("male", "Male"),
    Choice(NOT_SURE, "Prefer not to say"),
)

QUESTIONS: dict[str, Question] = {
    question.id: question
    for question in (
        Question(
            AGE,
            "number",
            "How old are you?",
            f"In years ({MIN_AGE} to {MAX_AGE}). Some conditions and warning signs depend on "
            "age. Press Enter to skip.",
        ),
        Question(
            SEX,
            "select",
            "Are you female or male?",
            "Some conditions and warning signs depend on it.",
            SEX_CHOICES,
        ),
        Question(
            STORY,
            "text",
            "In a sentence or two, what is going on?",
            "Where it hurts, since when, what it feels like, what makes it worse. "
            "Press Enter to skip: you will be asked instead.",
        ),
        Question(
            STORY_CHECK,
            "select",
            "Is that right?",
            "If some of it is wrong, you can untick it.",
            (Choice(YES, "Yes, that's right"), Choice(NO, "Some of it is wrong")),
        ),
        Question(
            WHERE,
            "select",
            "Where does it hurt most?",
            "Pick the one place that bothers you most.",
            _dimension_choices("where"),
        ),
        Question(
            PART,
            "select",
            "Which part of it hurts?",
            "Inner is the side facing your other leg; outer faces away from it.",
            (*_dimension_choices("part"), _NOT_SURE_CHOICE),
        ),
        Question(
            DURATION,
            "select",
            "How long has it been going on?",
            "Since you first noticed it.",
            DURATION_CHOICES,
        ),
        Question(
            BOTH_SIDES,
            "confirm",
            "Do both legs hurt?",
            "The same pain on the left and the right.",
        ),
        Question(
            WHEN,
            "checkbox",
            "When does it hurt?",
            "Tick all that apply.",
            _dimension_choices("when"),
        ),
        Question(
            FEELS,
            "checkbox",
            "What does it feel like?",
            "Tick all that apply.",
            _dimension_choices("feels"),
        ),
        Question(
            TRIGGERS,
            "checkbox",
            "What makes it worse, or came before it?",
            "Tick all that apply.",
            _dimension_choices("triggers"),
        ),
        Question(
            ONSET,
            "select",
            "How did it start?",
            "At one moment you can name, or creeping up over days or weeks.",
            (*_dimension_choices("onset"), _NOT_SURE_CHOICE),
        ),
        Question(
            SEVERITY,
            "scale",
            "How bad is it right now, from 0 to 10?",
            "0 is no pain at all; 10 is the worst pain you can imagine.",
            tuple(
                Choice(
                    str(n),
                    f"{n:>2}  {_SEVERITY_WORDS[n]}" if n in _SEVERITY_WORDS else f"{n:>2}",
                )
                for n in range(11)
            ),
        ),
        Question(
            WARNING_SIGNS,
            "checkbox",
            "Do you have any of these?",
            "These can need a doctor soon. Tick each one you have, or 'None of these'; "
            "any left unticked counts as a no.",
            _WARNING_CHOICES,
        ),
        Question(
            OWN_WORDS,
            "text",
            "Anything else, in your own words?",
            "For example: 'worse on stairs, clicks when I squat'. Press Enter to skip.",
        ),
    )
}

# The adaptive interview asks these first, as a clinician does (who, what in
# their own words, where, since when, then the warning signs and how bad it
# is), each only if still unknown; then the follow-ups; then OWN_WORDS. How bad
# it is comes after the warning signs: some warning signs (acute compartment
# syndrome) are only raised by severe pain.
ADAPTIVE_OPENING: tuple[str, ...] = (
    AGE,
    SEX,
    STORY,
    STORY_CHECK,
    WHERE,
    PART,
    DURATION,
    WARNING_SIGNS,
    SEVERITY,
)
# --full asks every question, in this order.
FULL_ORDER: tuple[str, ...] = (
    *ADAPTIVE_OPENING,
    BOTH_SIDES,
    WHEN,
    FEELS,
    TRIGGERS,
    ONSET,
    OWN_WORDS,
)

# Yes / No / Not sure, for a follow-up question about one term.
FOLLOW_UP_CHOICES: tuple[Choice, ...] = (
    Choice(YES, "Yes"),
    Choice(NO, "No"),
    _NOT_SURE_CHOICE,
)


def wanted(question_id: str, symptoms: Symptoms, answers: Mapping[str, object]) -> bool:
    """Whether to ask `question_id` now, given the answers so far and what they add up to.

    A question whose answer is already known (from the runner's own words, or
    implied by another answer) is not asked; the confirmation only follows
    words that said something.
    """
    if question_id in answers:
        return False
    if question_id == STORY_CHECK:
        return bool(answers.get(STORY))
    if question_id == WHERE:
        return not symptoms.where
    if question_id == PART:
        return bool(symptoms.where) and not symptoms.part and bool(region_parts(symptoms))
    if question_id == DURATION:
        return symptoms.duration is None
    if question_id == SEVERITY:
        return symptoms.severity is None
    if question_id == ONSET:
        return symptoms.onset is None and "sudden" not in answered(symptoms)
    if question_id == BOTH_SIDES:
        return "both-sides" not in answered(symptoms)
    return True


def choices_for(question_id: str, symptoms: Symptoms) -> tuple[Choice, ...]:
    """The answers to offer this runner: the parts of their place, the warning signs that can
    apply to them, and no tick box for what is already answered."""
    question = QUESTIONS[question_id]
    if question_id == PART:
        return (*(_term_choice(part) for part in region_parts(symptoms)), _NOT_SURE_CHOICE)
    if question_id == WARNING_SIGNS:
        shown = set(screen_terms(symptoms.age, symptoms.sex))
        return tuple(c for c in question.choices if c.value == NONE_OF_THESE or c.value in shown)
    if question.kind == "checkbox":
        known = answered(symptoms) - set(symptoms.present())
        return tuple(c for c in question.choices if not set(c.terms) & known)
    return question.choices


def story_items(understood: Symptoms) -> tuple[Choice, ...]:
    """What was understood from the runner's words, one item each, to show and to correct."""
    items = [
        Choice(term, TERMS_BY_ID[term].label.lower(), (term,)) for term in understood.present()
    ]
    items += [
        Choice(f"not:{term}", f"not {TERMS_BY_ID[term].label.lower()}")
        for term in understood.absent
    ]
    if understood.age is not None:
        items.append(Choice("age", f"age {understood.age}"))
    if understood.sex is not None:
        items.append(Choice("sex", understood.sex))
    if understood.duration is not None:
        label = QUESTIONS[DURATION].choice(understood.duration).label.lower()
        items.append(Choice("duration", f"for {label}"))
    if understood.severity is not None:
        items.append(Choice("severity", f"pain {understood.severity}/10"))
    return tuple(items)


def _values(question: Question, answer: object) -> list[str]:
    """The chosen values of a select or checkbox answer, as a list."""
    if answer is None:
        return []
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, Iterable):
        return [str(value) for value in answer]
    raise ValueError(f"answer to {question.id!r} must be a value or a list of values")


def _follow_up(term: str, answer: object) -> bool | None:
    """True for yes, False for no, None for not sure."""
    if isinstance(answer, bool):
        return answer
    if answer in (YES, NO, NOT_SURE):
        return None if answer == NOT_SURE else answer == YES
    raise ValueError(f"follow-up answer for {term!r} must be yes, no or not-sure")


def _severity(answer: object) -> int | None:
    if answer is None or answer == "":
        return None
    if isinstance(answer, bool) or not isinstance(answer, int | str):
        raise ValueError("severity must be a whole number from 0 to 10")
    try:
        value = int(answer)
    except ValueError:
        raise ValueError("severity must be a whole number from 0 to 10") from None
    if not 0 <= value <= 10:
        raise ValueError("severity must be a whole number from 0 to 10")
    return value


def _age(answer: object) -> int | None:
    if answer is None or answer == "":
        return None
    if isinstance(answer, bool) or not isinstance(answer, int | str):
        raise ValueError(f"age must be a whole number from {MIN_AGE} to {MAX_AGE}")
    text = str(answer).strip()
    if not (text.isascii() and text.isdigit()) or not MIN_AGE <= int(text) <= MAX_AGE:
        raise ValueError(f"age must be a whole number from {MIN_AGE} to {MAX_AGE}")
    return int(text)


@dataclass
class _Explicit:
    """What the answers say directly, before any words are read."""

    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    denied: set[str] = field(default_factory=set)  # absent, or left unticked on the screen
    screened: bool = False
    severity: int | None = None
    part_unsure: bool = False  # "not sure" which part: every part of the place


def explicit_terms(answers: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The terms the answers report present and absent (no free text), in the order asked."""
    said = _explicit(answers)
    return said.present, said.absent


def _explicit(answers: Mapping[str, object]) -> _Explicit:
    said = _Explicit()
    screen: list[str] | None = None
    for question_id, answer in answers.items():
        if question_id == FOLLOW_UPS:
            if not isinstance(answer, Mapping):
                raise ValueError("follow-ups must map a term id to yes, no or not-sure")
            for term, reply in answer.items():
                if term == SEVERITY:
                    said.severity = _severity(reply)
                    continue
                told = _follow_up(term, reply)
                target = said.unsure if told is None else said.present if told else said.absent
                target.append(normalise_term(str(term)))
            continue
        question = QUESTIONS.get(question_id)
        if question is None:
            raise ValueError(f"no question with id {question_id!r}")
        if question.kind == "confirm":
            if answer is not None:
                (said.present if bool(answer) else said.absent).append("both-sides")
        elif question_id == PART:
            values = _values(question, answer)
            if values == [NOT_SURE]:
                said.part_unsure = True
            else:
                said.present += [question.choice(value).terms[0] for value in values]
        elif question_id in (SEX, DURATION, STORY_CHECK):
            continue
        elif question.kind in ("select", "checkbox"):
            chosen = [question.choice(value) for value in _values(question, answer)]
            for choice in chosen:
                said.present += choice.terms
            if question_id == WARNING_SIGNS:
                said.screened = True
                screen = [term for choice in chosen for term in choice.terms]
    said.present = list(dict.fromkeys(said.present))
    # A term reported present anywhere is not also absent.
    said.absent = [term for term in dict.fromkeys(said.absent) if term not in said.present]
    said.unsure = [t for t in dict.fromkeys(said.unsure) if t not in said.present + said.absent]
    said.denied = set(said.absent)
    if screen is not None:
        said.denied |= {term for term in SCREEN_TERMS if term not in said.present}
    return said


def _person(answers: Mapping[str, object]) -> dict[str, object]:
    person: dict[str, object] = {}
    if AGE in answers:
        person["age"] = _age(answers[AGE])
    sex = answers.get(SEX)
    if sex is not None and sex != NOT_SURE:
        person["sex"] = QUESTIONS[SEX].choice(str(sex)).value
    duration = answers.get(DURATION)
    if duration is not None and duration != NOT_SURE:
        person["duration"] = QUESTIONS[DURATION].choice(str(duration)).value
    return person


def _text(answers: Mapping[str, object], question_id: str) -> str | None:
    raw = answers.get(question_id)
    return raw.strip() if isinstance(raw, str) and raw.strip() else None


def symptoms_from_answers(
    answers: Mapping[str, object],
    *,
    understand: Callable[[str], Understanding] | None = None,
) -> Symptoms:
    """Symptoms from an interview's answers; the runner's words are parsed and merged, the explicit answers winning.

    The words (the opening story and the closing "anything else") add what
    they say unless an explicit answer contradicts it: a term answered absent,
    a warning sign left unticked, a different start, age, sex or duration. What
    the runner said was misread (`STORY_CHECK`) is dropped. `understand` is
    the free-text parser (by default `needlematch.parse.understand`).
    """
    said = _explicit(answers)
    present, absent, unsure = said.present, said.absent, said.unsure
    person = _person(answers)
    severity = _severity(answers.get(SEVERITY))
    if severity is None:
        severity = said.severity
    texts = [text for text in (_text(answers, STORY), _text(answers, OWN_WORDS)) if text]
    if texts:
        read: Callable[[str], Understanding]
        if understand is None:
            from needlematch import parse

            read = parse.understand
        else:
            read = understand
        dropped = set(_values(QUESTIONS[STORY_CHECK], answers.get(STORY_CHECK)))
        explicit_onset = any(TERMS_BY_ID[term].dimension == "onset" for term in present)
        for index, text in enumerate(texts):
            heard = read(text).symptoms
            misread = dropped if index == 0 and _text(answers, STORY) else set()
            for term in heard.present():
                onset_clash = explicit_onset and TERMS_BY_ID[term].dimension == "onset"
                clash = term in said.denied or term in present or term in unsure
                if not clash and not onset_clash and term not in misread:
                    present.append(term)
                    explicit_onset |= TERMS_BY_ID[term].dimension == "onset"
            absent += [
                term
                for term in heard.absent
                if term not in present
                and term not in absent
                and term not in unsure
                and f"not:{term}" not in misread
            ]
            for fact in ("age", "sex", "duration"):
                value = getattr(heard, fact)
                if value is not None and fact not in person and fact not in misread:
                    person[fact] = value
            if severity is None and "severity" not in misread:
                severity = heard.severity
    symptoms = symptoms_from_terms(
        present, absent, severity=severity, text="\n".join(texts) if texts else None
    )
    if said.part_unsure and not symptoms.part and symptoms.where:
        unsure += [part for part in REGION_PARTS.get(symptoms.where[0], ()) if part not in unsure]
    return symptoms.model_copy(update={**person, "unsure": unsure, "screened": said.screened})
