"""Red flags -> triage level and advice: checked on every assessment, whatever the ranking says."""

from __future__ import annotations

from needlematch.assessment import RedFlagFound, Triage
from needlematch.catalogue import TRIAGE_ORDER, Catalogue, Condition, RedFlag
from needlematch.symptoms import Symptoms


def _matched_terms(condition: Condition, present: set[str], severity: int | None) -> list[str]:
    """The terms that satisfy `condition`, or [] when it is not met."""
    if condition.min_severity is not None and (
        severity is None or severity < condition.min_severity
    ):
        return []
    terms: list[str] = []
    for group in condition.all_of:
        hits = [term for term in group if term in present]
        if not hits:
            return []
        terms += [term for term in hits if term not in terms]
    return terms


def red_flags_found(symptoms: Symptoms, catalogue: Catalogue) -> list[RedFlagFound]:
    """Every red flag of the catalogue that the symptoms raise, most urgent first."""
    present = set(symptoms.present())
    found = []
    for flag in catalogue.red_flags:
        for condition in flag.when:
            terms = _matched_terms(condition, present, symptoms.severity)
            if terms:
                found.append(
                    RedFlagFound.model_construct(
                        id=flag.id,
                        name=flag.name,
                        level=flag.level,
                        message=flag.advice,
                        terms=terms,
                    )
                )
                break
    found.sort(key=lambda flag: -TRIAGE_ORDER.index(flag.level))
    return found


def assess_triage(
    symptoms: Symptoms, catalogue: Catalogue, leading_id: str, leading_probability: float
) -> Triage:
    """The triage level: the most urgent red flag, else the leading injury's own escalation, else routine."""
    flags = red_flags_found(symptoms, catalogue)
    level, advice = "routine", catalogue.routine_advice
    if flags:
        level, advice = flags[0].level, flags[0].message
    escalations = {injury.id: injury.escalation for injury in catalogue.injuries}
    escalation = escalations.get(leading_id)
    if (
        escalation is not None
        and leading_probability >= escalation.min_probability
        and TRIAGE_ORDER.index(escalation.level) > TRIAGE_ORDER.index(level)
    ):
        level, advice = escalation.level, escalation.advice
    return Triage.model_construct(level=level, red_flags=flags, advice=advice)


def _level_rank(flag: RedFlag) -> int:
    return -TRIAGE_ORDER.index(flag.level)


def plausible_red_flag_terms(symptoms: Symptoms, catalogue: Catalogue) -> list[tuple[str, str]]:
    """Unanswered terms that would complete a red flag the picture makes plausible, most urgent first.

    A red flag is plausible when every group of one of its conditions but one is
    already met by the reported terms (the region, say), and that last group is
    not ruled out: none of its terms was reported absent. Returns (term, red flag name).
    """
    present = set(symptoms.present())
    absent = set(symptoms.absent)
    asked: list[tuple[str, str]] = []
    for flag in sorted(catalogue.red_flags, key=_level_rank):
        for condition in flag.when:
            if condition.min_severity is not None:
                continue
            missing = [group for group in condition.all_of if not present.intersection(group)]
            if len(missing) != 1 or len(condition.all_of) < 2:
                continue
            group = missing[0]
            if all(term in absent for term in group):
                continue
            for term in group:
                if term not in present and term not in absent:
                    asked.append((term, flag.name))
                    break
    return asked
