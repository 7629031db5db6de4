"""Red flags -> triage level and advice: checked on every assessment, whatever the ranking says."""

from __future__ import annotations

from collections.abc import Iterable

from needlematch.assessment import RedFlagFound, Triage, TriageLevel
from needlematch.catalogue import TRIAGE_ORDER, Catalogue, Escalation, RedFlag
from needlematch.symptoms import Symptoms
from needlematch.trusted import constructor
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION, TERMS, TERMS_BY_ID

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

# Dimensions a runner reports one value of (Symptoms.onset is one term, not a list):
# once one is given, the others are answered too. "Sudden" rules out "gradual".
SINGLE_VALUED = frozenset({"onset"})


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


_COMPILED: dict[int, tuple[Catalogue, tuple[_Flag, ...]]] = {}


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


def red_flags_found(symptoms: Symptoms, catalogue: Catalogue) -> list[RedFlagFound]:
    """Every red flag of the catalogue that the symptoms raise, most urgent first."""
    present = set(symptoms.present())
    bits = _mask(present)
    found = []
    for compiled in _flags(catalogue):
        for condition in compiled.conditions:
            for mask in condition.groups:  # the cheapest test first, without a call
                if not mask & bits:
                    break
            else:
                terms = _matched_terms(condition, present, bits, symptoms)
                if not terms:
                    continue
                flag = compiled.flag
                found.append(
                    _red_flag_found(
                        {
                            "id": flag.id,
                            "name": flag.name,
                            "level": flag.level,
                            "message": flag.advice,
                            "terms": terms,
                        }
                    )
                )
                break
    return found


def assess_triage(
    symptoms: Symptoms, catalogue: Catalogue, leading_id: str, leading_probability: float
) -> Triage:
    """The most urgent red flag decides; else the leading injury's own escalation; else routine."""
    flags = red_flags_found(symptoms, catalogue)
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


def plausible_red_flag_terms(symptoms: Symptoms, catalogue: Catalogue) -> list[tuple[str, str]]:
    """Unanswered terms that would complete a red flag the picture makes plausible, most urgent first.

    A red flag is plausible when every group of one of its conditions but one is
    already met by the reported terms (the region, say), and that last group is
    not ruled out: not all of its terms were reported absent or, for a
    single-valued dimension such as how it started, answered with another
    value ("sudden" answers "gradual?"). A missing place
    does not count once the runner has said where it hurts: shin pain that hurts
    to hop does not make a groin warning plausible. Returns (term to ask about,
    red flag name) pairs.
    """
    bits = _mask(symptoms.present())
    # Reported absent, or answered already by another value of a single-valued dimension.
    absent = set(symptoms.absent)
    for dimension in SINGLE_VALUED.intersection(
        TERMS_BY_ID[t].dimension for t in symptoms.present()
    ):
        absent.update(TERM_IDS_BY_DIMENSION[dimension])
    places = _REGIONS if symptoms.where else 0
    asked: list[tuple[str, str]] = []
    for compiled in _flags(catalogue):
        for condition in compiled.conditions:
            if not condition.askable:
                continue
            # The one group not met, if exactly one is not (the cheapest test first).
            missing = -1
            for index, group in enumerate(condition.groups):
                if not group & bits:
                    if missing >= 0:
                        missing = -2
                        break
                    missing = index
            if missing < 0 or condition.groups[missing] & ~places == 0:
                continue
            if (
                not condition.fits_person(symptoms.age, symptoms.sex)
                or condition.ruled_out_by & bits
            ):
                continue
            for term in condition.ordered[missing]:
                if term not in absent:
                    asked.append((term, compiled.flag.name))
                    break
    return asked
