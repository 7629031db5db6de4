"""The interview's questions as data, and the pure function that turns answers into Symptoms.

Nothing here draws or prompts: `interview.py` shows these questions with
questionary, and `symptoms_from_answers` is tested with plain dictionaries.

An answers dictionary maps a question id to what the runner chose:

- a select question: one choice value (a term id, or `NOT_SURE`);
- a checkbox question: a list of choice values (`NONE_OF_THESE` on the warning screen);
- a confirm question: a bool;
- the scale question: an int from 0 to 10;
- the text question: a string (blank means nothing was said);
- `FOLLOW_UPS`: the adaptive yes/no questions, a mapping of term id to
  `YES`, `NO` or `NOT_SURE` (or a bool).

A question that was not asked is simply missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from needlematch.symptoms import Symptoms, normalise_term, symptoms_from_terms
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION, TERMS_BY_ID

if TYPE_CHECKING:
    from needlematch.parse import Understanding

Kind = Literal["select", "checkbox", "scale", "confirm", "text"]

NOT_SURE = "not-sure"
NONE_OF_THESE = "none-of-these"
YES = "yes"
NO = "no"
FOLLOW_UPS = "follow_ups"

WHERE = "where"
PART = "part"
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

# The warning-sign screen: the signs that raise a red flag on their own or with
# the region, in plain words. "Hot, red, swollen" is one thing to a runner but
# two findings (redness-warmth and swelling) to the triage rules.
_WARNING_CHOICES: tuple[Choice, ...] = (
    Choice("numbness", "Numbness or tingling", ("numbness",)),
    Choice("cannot-bear-weight", "Can't put weight on it", ("cannot-bear-weight",)),
    Choice("pop", "Felt or heard a pop or snap", ("pop",)),
    Choice("hot-red-swollen", "A hot, red, swollen area", ("redness-warmth", "swelling")),
    Choice("fever", "Fever, chills or feeling unwell", ("fever",)),
    Choice("night-pain", "Pain that wakes you at night", ("night-pain",)),
    Choice("weight-loss", "Losing weight without trying, or missed periods", ("weight-loss",)),
    Choice(
        "bladder-bowel",
        "Bladder or bowel changes, or numbness between the legs",
        ("bladder-bowel",),
    ),
    Choice("breathless", "Short of breath or chest pain", ("breathless",)),
    Choice("cold-foot", "Foot goes cold or pale when you run", ("cold-foot",)),
    Choice("swelling", "Swelling", ("swelling",)),
    Choice("bruising", "Bruising", ("bruising",)),
    Choice("giving-way", "The leg gives way", ("giving-way",)),
    Choice("locking", "A joint locks or gets stuck", ("locking",)),
    Choice(NONE_OF_THESE, "None of these"),
)

# Every term the warning screen asks about: all reported absent on "None of these".
SCREENED_TERMS: tuple[str, ...] = tuple(
    dict.fromkeys(term for choice in _WARNING_CHOICES for term in choice.terms)
)

_SEVERITY_WORDS = {0: "no pain", 3: "mild", 5: "moderate", 7: "bad", 10: "the worst imaginable"}

QUESTIONS: dict[str, Question] = {
    question.id: question
    for question in (
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
            "These can need a doctor soon. Tick each one you have, or 'None of these'.",
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

# --full asks every question, in this order.
FULL_ORDER: tuple[str, ...] = (
    WHERE,
    PART,
    BOTH_SIDES,
    WHEN,
    FEELS,
    TRIGGERS,
    ONSET,
    SEVERITY,
    WARNING_SIGNS,
    OWN_WORDS,
)
# The adaptive interview asks these first, then yes/no follow-ups, then OWN_WORDS.
# How bad it is comes straight after the warning signs: some warning signs
# (acute compartment syndrome) are only raised by severe pain.
ADAPTIVE_OPENING: tuple[str, ...] = (WHERE, PART, BOTH_SIDES, WARNING_SIGNS, SEVERITY)

# Yes / No / Not sure, for a follow-up question about one term.
FOLLOW_UP_CHOICES: tuple[Choice, ...] = (
    Choice(YES, "Yes"),
    Choice(NO, "No"),
    _NOT_SURE_CHOICE,
)


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


def explicit_terms(answers: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The terms the answers report present and absent (no free text), in the order asked."""
    present: list[str] = []
    absent: list[str] = []
    for question_id, answer in answers.items():
        if question_id == FOLLOW_UPS:
            if not isinstance(answer, Mapping):
                raise ValueError("follow-ups must map a term id to yes, no or not-sure")
            for term, reply in answer.items():
                said = _follow_up(term, reply)
                if said is not None:
                    (present if said else absent).append(normalise_term(str(term)))
            continue
        question = QUESTIONS.get(question_id)
        if question is None:
            raise ValueError(f"no question with id {question_id!r}")
        if question.kind == "confirm":
            if answer is not None:
                (present if bool(answer) else absent).append("both-sides")
        elif question.kind in ("select", "checkbox"):
            chosen = [question.choice(value) for value in _values(question, answer)]
            for choice in chosen:
                present += choice.terms
            if question_id == WARNING_SIGNS and any(c.value == NONE_OF_THESE for c in chosen):
                # "None of these" rules out every screened sign the runner did not tick.
                absent += [term for term in SCREENED_TERMS if term not in present]
    present = list(dict.fromkeys(present))
    # A term reported present anywhere is not also absent.
    absent = [term for term in dict.fromkeys(absent) if term not in present]
    return present, absent


def symptoms_from_answers(
    answers: Mapping[str, object],
    *,
    understand: Callable[[str], Understanding] | None = None,
) -> Symptoms:
    """Symptoms from an interview's answers; free text is parsed and merged, the explicit answers winning.

    Unticked warning signs are not reported absent unless "None of these" is
    chosen. A term the free text mentions that an explicit answer contradicts
    is dropped, so no term is ever both present and absent. `understand` is the
    free-text parser (by default `needlematch.parse.understand`).
    """
    present, absent = explicit_terms(answers)
    severity = _severity(answers.get(SEVERITY))
    raw_text = answers.get(OWN_WORDS)
    text = raw_text.strip() if isinstance(raw_text, str) and raw_text.strip() else None
    if text is not None:
        read: Callable[[str], Understanding]
        if understand is None:
            from needlematch import parse

            read = parse.understand
        else:
            read = understand
        said = read(text).symptoms
        explicit_onset = any(TERMS_BY_ID[term].dimension == "onset" for term in present)
        for term in said.present():
            onset_clash = explicit_onset and TERMS_BY_ID[term].dimension == "onset"
            if term not in absent and term not in present and not onset_clash:
                present.append(term)
        absent += [term for term in said.absent if term not in present and term not in absent]
        if severity is None:
            severity = said.severity
    return symptoms_from_terms(present, absent, severity=severity, text=text)
