"""Red flags -> triage level and advice: checked on every assessment, whatever the ranking says."""

from __future__ import annotations

from collections.abc import Iterable

from needlematch.assessment import RedFlagFound, Triage, TriageLevel
from needlematch.catalogue import TRIAGE_ORDER, Catalogue, Escalation, RedFlag
from needlematch.known import flag_terms, part_answered
from needlematch.symptoms import Symptoms
from needlematch.trusted import constructor
from needlematch.vocabulary import TERMS

# The result is made of catalogue data already validated: built without validating again.
_red_flag_found = constructor(RedFlagFound)
_triage = constructor(Triage)

# Each vocabulary term is one bit, so a condition's group is met when the
# runner's bits and the group's bits share one: a batch checks thousands fast.
_BIT = {term.id: 1 << index for index, term in enumerate(TERMS)}


def _mask(terms: Iterable[str]) -> int:
    mask = 0
    for term in terms:
        mask |= _BIT[term]
    return mask


_REGIONS = _mask(term.id for term in TERMS if term.dimension == "where")
_PARTS = _mask(term.id for term in TERMS if term.dimension == "part")


class _Condition:
    """A red-flag condition as bit masks: each group needs one of its terms.

    A plain class with slots (like the others here), not a frozen dataclass: building
    one of those costs every run about half a millisecond at start-up.
    """

    __slots__ = (
        "askable",
        "groups",
        "max_age",
        "min_age",
        "min_severity",
        "ordered",
        "ruled_out_by",
        "sex",
    )

    def __init__(
        self,
        groups: tuple[int, ...],
        ordered: tuple[tuple[str, ...], ...],
        min_severity: int | None,
        min_age: int | None = None,
        max_age: int | None = None,
        sex: str | None = None,
        ruled_out_by: int = 0,
    ) -> None:
        self.groups = groups
        self.ordered = ordered
        self.min_severity = min_severity
        self.min_age = min_age
        self.max_age = max_age
        self.sex = sex
        self.ruled_out_by = ruled_out_by
        # Whether its last missing term may be asked about (plausible_red_flag_terms).
        self.askable = min_severity is None and len(groups) >= 2

    def fits_person(self, age: int | None, sex: str | None) -> bool:
        """Whether the person can be one this condition is about; a bound needs a known value."""
        if (self.min_age is not None or self.max_age is not None) and age is None:
            return False
        if self.min_age is not None and age is not None and age < self.min_age:
            return False
        if self.max_age is not None and age is not None and age > self.max_age:
            return False
        return self.sex is None or self.sex == sex


class _Flag:
    __slots__ = ("conditions", "flag")

    def __init__(self, flag: RedFlag, conditions: tuple[_Condition, ...]) -> None:
        self.flag = flag
        self.conditions = conditions


# Per term, the conditions (flag, condition: their places in `_flags`) that can only be
# met when it is present: each condition is listed under the terms of its narrowest
# group, so a case looks at the few conditions its own terms lead to, not all of them.
_Leads = dict[str, tuple[tuple[int, int], ...]]
_COMPILED: dict[int, tuple[Catalogue, tuple[_Flag, ...]]] = {}
_LEADS: dict[int, tuple[Catalogue, _Leads]] = {}


def _leads(catalogue: Catalogue) -> _Leads:
    """Which conditions each term can help meet, once per catalogue object (see _LEADS)."""
    cached = _LEADS.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        leads: dict[str, list[tuple[int, int]]] = {}
        for flag_at, compiled in enumerate(_flags(catalogue)):
            for condition_at, condition in enumerate(compiled.conditions):
                narrowest = min(condition.ordered, key=len)
                for term in dict.fromkeys(narrowest):
                    leads.setdefault(term, []).append((flag_at, condition_at))
        while len(_LEADS) >= 4:  # only the latest few catalogues
            del _LEADS[next(iter(_LEADS))]
        cached = _LEADS[id(catalogue)] = (
            catalogue,
            {term: tuple(found) for term, found in leads.items()},
        )
    return cached[1]


def _flags(catalogue: Catalogue) -> tuple[_Flag, ...]:
    """The catalogue's red flags compiled once per catalogue object, most urgent first."""
    cached = _COMPILED.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        ordered = sorted(catalogue.red_flags, key=lambda flag: -TRIAGE_ORDER.index(flag.level))
        compiled = tuple(
            _Flag(
                flag,
                tuple(
                    _Condition(
                        groups=tuple(_mask(group) for group in condition.all_of),
                        ordered=tuple(tuple(group) for group in condition.all_of),
                        min_severity=condition.min_severity,
                        min_age=condition.min_age,
                        max_age=condition.max_age,
                        sex=condition.sex,
                        ruled_out_by=_mask(condition.none_of),
                    )
                    for condition in flag.when
                ),
            )
            for flag in ordered
        )
        cached = (catalogue, compiled)
        while len(_COMPILED) >= 4:  # only the latest few catalogues (see engine.scorer_for)
            del _COMPILED[next(iter(_COMPILED))]
        _COMPILED[id(catalogue)] = cached
    return cached[1]


_ESCALATIONS: dict[int, tuple[Catalogue, dict[str, Escalation | None]]] = {}


def _escalations(catalogue: Catalogue) -> dict[str, Escalation | None]:
    """Each injury's own escalation by id, once per catalogue object (the first of a repeated id)."""
    cached = _ESCALATIONS.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        escalations: dict[str, Escalation | None] = {}
        for injury in catalogue.injuries:
            escalations.setdefault(injury.id, injury.escalation)
        while len(_ESCALATIONS) >= 4:  # only the latest few catalogues
            del _ESCALATIONS[next(iter(_ESCALATIONS))]
        cached = _ESCALATIONS[id(catalogue)] = (catalogue, escalations)
    return cached[1]


def _matched_terms(
    condition: _Condition, present: set[str], bits: int, symptoms: Symptoms
) -> list[str]:
    """The reported terms that satisfy `condition`, or [] when it is not met."""
    severity = symptoms.severity
    if not condition.fits_person(symptoms.age, symptoms.sex) or condition.ruled_out_by & bits:
        return []
    if condition.min_severity is not None and (
        severity is None or severity < condition.min_severity
    ):
        return []
    for mask in condition.groups:
        if not mask & bits:
            return []
    terms: list[str] = []
    for group in condition.ordered:
        terms += [term for term in group if term in present and term not in terms]
    return terms


def red_flags_found(
    symptoms: Symptoms, catalogue: Catalogue, present: Iterable[str] | None = None
) -> list[RedFlagFound]:
    """Every red flag of the catalogue that the symptoms raise, most urgent first.

    The terms checked are those reported, those they imply (pain that wakes you
    at night is pain at night) and the places they overlap (the back of the
    ankle is the Achilles tendon). `present`, when given, is what
    `known.present_terms` says of the symptoms, so it is not worked out twice.
    """
    terms = flag_terms(symptoms, present)
    bits = _mask(terms)
    leads = _leads(catalogue)
    candidates: set[tuple[int, int]] = set()
    for term in terms:
        candidates.update(leads.get(term, ()))
    if not candidates:
        return []
    flags = _flags(catalogue)
    found = []
    raised = -1  # the flag last raised: only its first condition met counts
    for flag_at, condition_at in sorted(candidates):
        if flag_at == raised:
            continue
        compiled = flags[flag_at]
        condition = compiled.conditions[condition_at]
        for mask in condition.groups:  # the cheapest test first, without a call
            if not mask & bits:
                break
        else:
            matched = _matched_terms(condition, terms, bits, symptoms)
            if not matched:
                continue
            flag = compiled.flag
            found.append(
                _red_flag_found(
                    {
                        "id": flag.id,
                        "name": flag.name,
                        "level": flag.level,
                        "message": flag.advice,
                        "terms": matched,
                    }
                )
            )
            raised = flag_at
    return found


def assess_triage(
    symptoms: Symptoms,
    catalogue: Catalogue,
    leading_id: str,
    leading_probability: float,
    present: Iterable[str] | None = None,
) -> Triage:
    """The most urgent red flag decides; else the leading injury's own escalation; else routine.

    `present`, when given, is `known.present_terms(symptoms)`, already worked out.
    """
    flags = red_flags_found(symptoms, catalogue, present)
    level: TriageLevel = "routine"
    advice = catalogue.routine_advice
    if flags:
        level, advice = flags[0].level, flags[0].message
    escalation = _escalations(catalogue).get(leading_id)
    if (
        escalation is not None
        and leading_probability >= escalation.min_probability
        and TRIAGE_ORDER.index(escalation.level) > TRIAGE_ORDER.index(level)
    ):
        level, advice = escalation.level, escalation.advice
    return _triage({"level": level, "red_flags": flags, "advice": advice})


# Asked instead of a term when a warning sign hinges on how bad the pain is.
SEVERITY = "severity"


class WarningQuestion:
    """What to ask next to rule a plausible warning sign in or out."""

    __slots__ = ("ask", "flag", "level")

    def __init__(self, ask: str, flag: str, level: str) -> None:
        self.ask = ask  # a term id, or SEVERITY
        self.flag = flag  # the red flag's name
        self.level = level

    def __repr__(self) -> str:
        return f"WarningQuestion({self.ask!r}, {self.flag!r}, {self.level!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WarningQuestion):
            return NotImplemented
        return (self.ask, self.flag, self.level) == (other.ask, other.flag, other.level)

    def __hash__(self) -> int:
        return hash((self.ask, self.flag, self.level))


def warning_questions(
    symptoms: Symptoms, catalogue: Catalogue, answered: set[str]
) -> list[WarningQuestion]:
    """What would complete a red flag the picture makes plausible, most urgent first.

    A condition of a red flag is plausible when it fits the person, none of its
    groups is ruled out (every term of the group answered without one being
    present, or a known pain score below its threshold), its place and part
    are met once the runner has said where and which part (shin pain that
    hurts to hop does not make a groin warning plausible), and either only one
    group is missing or a group other than the place is already met: numbness
    in the calf is enough to go on asking about constant pain and a sudden
    start. For each, the first
    unanswered term of its first missing group is asked, or the pain score when
    the threshold is what is missing. A condition of one group is the screen's
    to ask, unless it also needs a pain score (severe groin pain), which only
    the questions ask. `answered` holds every term not to be asked (`known.answered`).
    """
    present = flag_terms(symptoms)
    bits = _mask(present)
    # Where it hurts and which part are asked once, directly: a warning sign
    # about another place or another part is not plausible once they are told.
    settled = (_REGIONS if symptoms.where else 0) | (_PARTS if part_answered(symptoms) else 0)
    found: list[WarningQuestion] = []
    for compiled in _flags(catalogue):
        for condition in compiled.conditions:
            if (
                (len(condition.groups) < 2 and condition.min_severity is None)
                or not condition.fits_person(symptoms.age, symptoms.sex)
                or condition.ruled_out_by & bits
            ):
                continue
            ask = _missing_question(condition, bits, answered, symptoms.severity, settled)
            if ask is not None:
                found.append(WarningQuestion(ask, compiled.flag.name, compiled.flag.level))
                break
    return found


_ONSET_TERMS = frozenset(term.id for term in TERMS if term.dimension == "onset")


def _missing_question(
    condition: _Condition, bits: int, answered: set[str], severity: int | None, settled: int
) -> str | None:
    """What to ask to complete `condition`, or None when it is not plausible or nothing is left to ask."""
    met_other = False
    missing: list[str] = []
    how_it_started = 0  # missing groups that are only how it started
    # One part is chosen when "which part?" is asked; a condition that needs a second
    # (the top and the inner side of the midfoot) asks it as a yes/no once the first is met.
    part_met = any(mask & bits and mask & ~_PARTS == 0 for mask in condition.groups)
    for mask, terms in zip(condition.groups, condition.ordered, strict=True):
        if mask & bits:
            met_other = met_other or mask & ~_REGIONS != 0
            continue
        if mask & ~settled == 0 and not (part_met and mask & ~_PARTS == 0):
            return None
        askable = [term for term in terms if term not in answered]
        if not askable:
            return None
        missing.append(askable[0])
        how_it_started += all(term in _ONSET_TERMS for term in terms)
    if condition.min_severity is not None:
        if severity is None:
            missing.append(SEVERITY)
        elif severity < condition.min_severity:
            return None
    # How it started is what a clinician asks first anyway: a sudden start at the
    # Achilles is worth asking about before anything else completes the picture.
    if not missing or not (len(missing) - how_it_started <= 1 or met_other):
        return None
    return missing[0]


def plausible_red_flag_terms(symptoms: Symptoms, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(term to ask, red flag name) for every plausible red flag (see `warning_questions`)."""
    from needlematch.known import answered

    return [
        (question.ask, question.flag)
        for question in warning_questions(symptoms, catalogue, answered(symptoms))
        if question.ask != SEVERITY
    ]
