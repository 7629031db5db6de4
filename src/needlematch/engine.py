"""Symptoms + catalogue -> Assessment: a Bayesian ranking of the injuries and "none of these", with evidence.

Each hypothesis (every injury, plus "none of these") has a prior and, for every
vocabulary term, the chance a runner with it reports that term, read from the
catalogue's typicality levels. A term reported present multiplies a hypothesis
by that chance, a term reported absent by its complement, and the products are
normalised, so the probabilities of the injuries and of "none of these" sum to
1. "None of these" is a mixture: the catalogue profiles some common conditions
outside it (a meniscus tear, a bursitis...) and a generic background, each with
a share of its prior, and their probabilities add up. Because "typical" is the
highest likelihood any hypothesis can have, adding a finding an injury lists as
typical can never lower that injury.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from needlematch import known
from needlematch.assessment import (
    AnswerOption,
    Assessment,
    Companion,
    Evidence,
    Finding,
    Match,
    NextQuestion,
    OutsideCondition,
    Triage,
    WhatHelps,
)
from needlematch.catalogue import TYPICALITY_LEVELS, Catalogue, Injury, Likelihoods
from needlematch.symptoms import Symptoms
from needlematch.triage import SEVERITY, assess_triage, warning_questions
from needlematch.trusted import constructor
from needlematch.vocabulary import (
    DIMENSION_FLAGS,
    SCREEN,
    TERMS,
    TERMS_BY_ID,
    screen_terms,
)

UNMATCHED_ID = "none-of-these"

_finding_of = constructor(Finding)

# A "no" counts for less than a "yes": runners deny or forget features they
# have far more often than they report ones they lack, the warning screen turns
# every sign left unticked into a "no", and a run of "no" answers in the
# interview should not outweigh where it hurts. Measured on the eight vignette
# suites with the scripted interview (benchmarks/interview.py: a fact the
# vignette does not mention is answered "no"): at 0.7, top-1 at the stop was 9
# points under top-1 with every fact; at 0.35, 4.8 points, with one-shot top-1
# and top-3 (benchmarks/accuracy.py) unchanged.
ABSENT_EVIDENCE_WEIGHT = 0.35

_PRESENT_SENTENCE = {
    "typical": "{phrase} is typical of {injury}",
    "common": "{phrase} is common in {injury}",
    "occasional": "{phrase} is sometimes seen in {injury}",
    "rare": "{phrase} is unusual in {injury}",
    "unlisted": "{phrase} is not a feature of {injury}",
}
_ABSENT_SENTENCE = {
    "typical": "without {phrase}, which is typical of {injury}",
    "common": "without {phrase}, which is common in {injury}",
    "occasional": "without {phrase}, which is only sometimes seen in {injury}",
    "rare": "without {phrase}, as fits {injury}",
    "unlisted": "without {phrase}, as fits {injury}",
}


@dataclass(frozen=True, slots=True)
class _Hypothesis:
    """One scored component: an injury, or one part of the "none of these" mixture."""

    id: str
    group: str  # the injury id, or UNMATCHED_ID for every part of "none of these"
    log_prior: float
    level: dict[str, str]
    chance: dict[str, float]


@dataclass(frozen=True, slots=True)
class Scorer:
    """A catalogue compiled for scoring: per hypothesis, the chance of every term.

    Evidence sentences depend only on (injury, term, present or absent), so each
    is written once, the first time it is needed, and a batch of thousands of
    cases only looks them up.
    """

    hypotheses: tuple[_Hypothesis, ...]
    injuries: dict[str, Injury]
    # The injury ids in catalogue order (their components' order), and their places in id order.
    injury_ids: tuple[str, ...]
    by_id: tuple[int, ...]
    mean_chance: dict[str, float]
    findings: dict[tuple[str, str, bool], Finding]
    # The log totals after the first rows of a case, by those rows (see `weights`).
    partial_logs: dict[tuple[int, ...], Sequence[float]]
    what_helps: dict[str, WhatHelps]
    # Per term, in hypothesis order: the chance of "yes", and H(answer | hypothesis).
    chances: dict[str, tuple[float, ...]]
    noise: dict[str, tuple[float, ...]]
    # The chance of "yes" under each part of "none of these" alone, in order.
    unmatched_chances: dict[str, tuple[float, ...]]
    # The same in log space, for scoring: per term, log P(yes) and log P(no) of each component.
    log_priors: list[float]
    log_present: dict[str, tuple[float, ...]]
    log_absent: dict[str, tuple[float, ...]]
    # Who the runner is: per age band and per sex, the log factor of each component.
    log_age: dict[str, tuple[float, ...]]
    log_sex: dict[str, tuple[float, ...]]
    age_band: dict[int, str]
    # The part of "none of these" each component is, by name (None for the generic part).
    outside_names: tuple[str | None, ...]
    # The terms a follow-up question may be about, in vocabulary order: not where or
    # which part (asked first, directly), and not a term every hypothesis gives the
    # same chance (its answer would tell nothing: see `_most_informative`).
    askable: tuple[str, ...]

    @classmethod
    def compile(cls, catalogue: Catalogue) -> Scorer:
        # The levels read as attributes, not with model_dump: that would build the
        # Likelihoods serializer, which a catalogue read from its copy never needs.
        chance_of = _levels(catalogue.likelihoods)
        region_chance = _levels(catalogue.region_likelihoods or catalogue.likelihoods)
        unmatched = catalogue.unmatched
        # Injuries first, then the parts of "none of these": the information-gain
        # code splits the weights at len(injuries) and relies on this order.
        raw = [
            (injury.id, injury.id, injury.prior.value, injury.profile)
            for injury in catalogue.injuries
        ]
        demographics = [injury.demographics for injury in catalogue.injuries]
        demographics.append(None)  # the generic part of "none of these"
        demographics += [condition.demographics for condition in unmatched.conditions]
        generic_share = 1.0 - sum(condition.share for condition in unmatched.conditions)
        raw.append((UNMATCHED_ID, UNMATCHED_ID, unmatched.prior.value * generic_share,
                    unmatched.profile))  # fmt: skip
        # A condition outside the catalogue is profiled by what its sources
        # describe. A term they are silent on takes the generic chance, except
        # a place: a condition is where its sources put it, like an injury.
        generic = {
            term: level
            for term, level in unmatched.profile.items()
            if TERMS_BY_ID[term].dimension != "where"
        }
        raw += [
            (f"{UNMATCHED_ID}:{condition.id}", UNMATCHED_ID,
             unmatched.prior.value * condition.share, {**generic, **condition.profile})
            for condition in unmatched.conditions
        ]  # fmt: skip
        total_prior = sum(prior for _, _, prior, _ in raw)
        term_ids = [term.id for term in TERMS]
        # Built with C-level dict and zip operations: every number is the same one
        # (the same level, looked up on the same scale), only found faster.
        scales = [region_chance if term.dimension == "where" else chance_of for term in TERMS]
        hypotheses = []
        for hypothesis_id, group, prior, profile in raw:
            level = dict.fromkeys(term_ids, "unlisted")
            level.update(profile)  # every profile term is a vocabulary term: order unchanged
            hypotheses.append(
                _Hypothesis(
                    id=hypothesis_id,
                    group=group,
                    log_prior=math.log(prior / total_prior),
                    level=level,
                    chance=dict(
                        zip(term_ids, map(dict.__getitem__, scales, level.values()), strict=True)
                    ),
                )
            )
        # Per term, in hypothesis order. A chance takes one of a few values (a level on
        # one of two scales), so each function of it is worked out once per value: the
        # same numbers as working each out afresh, in a fraction of the time.
        chances = dict(
            zip(term_ids, zip(*(h.chance.values() for h in hypotheses), strict=True), strict=True)
        )
        values = {*chance_of.values(), *region_chance.values()}
        noise_of = {chance: _binary_entropy(chance) for chance in values}
        log_of = {chance: math.log(chance) for chance in values}
        log_not_of = {chance: ABSENT_EVIDENCE_WEIGHT * math.log1p(-chance) for chance in values}
        priors = [math.exp(h.log_prior) for h in hypotheses]
        unmatched_at = [i for i, h in enumerate(hypotheses) if h.group == UNMATCHED_ID]
        injuries = {injury.id: injury for injury in catalogue.injuries}
        bands = [band.id for band in catalogue.age_bands]
        return cls(
            hypotheses=tuple(hypotheses),
            injuries=injuries,
            injury_ids=tuple(injuries),
            by_id=tuple(sorted(range(len(injuries)), key=list(injuries).__getitem__)),
            mean_chance={t: sum(map(operator.mul, priors, chances[t])) for t in term_ids},
            findings={},
            partial_logs={},
            what_helps={injury_id: _what_helps(injury) for injury_id, injury in injuries.items()},
            chances=chances,
            noise={t: tuple(map(noise_of.__getitem__, row)) for t, row in chances.items()},
            unmatched_chances={
                t: tuple(map(row.__getitem__, unmatched_at)) for t, row in chances.items()
            },
            log_priors=[h.log_prior for h in hypotheses],
            log_present={t: tuple(map(log_of.__getitem__, row)) for t, row in chances.items()},
            log_absent={t: tuple(map(log_not_of.__getitem__, row)) for t, row in chances.items()},
            log_age={
                band: tuple(math.log(d.age.get(band, 1.0)) if d else 0.0 for d in demographics)
                for band in bands
            },
            log_sex={
                sex: tuple(math.log(d.sex.get(sex, 1.0)) if d else 0.0 for d in demographics)
                for sex in ("female", "male")
            },
            age_band=_age_bands(catalogue),
            outside_names=(
                *(None for _ in catalogue.injuries),
                None,
                *(condition.name for condition in unmatched.conditions),
            ),
            askable=tuple(
                term.id
                for term in TERMS
                if term.dimension not in {"where", "part"} and len(set(chances[term.id])) > 1
            ),
        )

    def finding(self, injury_id: str, term: str, present: bool) -> Finding:
        """How one reported finding bears on one injury, written once and then remembered."""
        key = (injury_id, term, present)
        found = self.findings.get(key)
        if found is None:
            hypothesis = next(h for h in self.hypotheses if h.id == injury_id)
            found = _finding(
                self.injuries[injury_id], hypothesis, term, present, self.mean_chance[term]
            )
            self.findings[key] = found
        return found

    def weights(
        self,
        present: list[str],
        absent: list[str],
        age: int | None = None,
        sex: str | None = None,
    ) -> list[float]:
        """The probability of every component, in `hypotheses` order, given the findings."""
        rows: list[Sequence[float]] = []
        band = self.age_band.get(age) if age is not None else None
        if band is not None:
            rows.append(self.log_age[band])
        if sex is not None:
            rows.append(self.log_sex[sex])
        rows += map(self.log_present.__getitem__, present)
        rows += map(self.log_absent.__getitem__, absent)
        # Each component's total, added from the left in the order above (the prior
        # first): one row at a time, every component at once (map, in C), which is
        # the same floating-point additions as adding each component's column from
        # the left (reduce, not sum, which compensates its rounding from Python 3.12).
        # The totals after the first few rows (where, which part...) are kept: a batch
        # meets the same beginnings again and again. The rows are the scorer's own
        # tuples, so their ids name them for as long as the scorer lives.
        head = min(len(rows), _KEPT_ROWS)
        key = tuple(map(id, rows[:head]))
        logs: Sequence[float] | None = self.partial_logs.get(key)
        if logs is None:
            logs = self.log_priors
            for row in rows[:head]:
                logs = list(map(operator.add, logs, row))
            if len(self.partial_logs) >= _MOST_PARTIAL_LOGS:
                self.partial_logs.clear()
            self.partial_logs[key] = logs
        if len(rows) > head + 1 and _PLAIN_SUM:
            # The other rows a component at a time: its column summed from its total so far.
            logs = list(map(sum, zip(*rows[head:], strict=True), logs))
        else:
            for row in rows[head:]:
                logs = list(map(operator.add, logs, row))
        top = max(logs)
        weights = list(map(math.exp, map(operator.sub, logs, itertools.repeat(top))))
        total = sum(weights)
        return list(map(operator.truediv, weights, itertools.repeat(total)))

    def grouped(self, weights: list[float]) -> dict[str, float]:
        """Component probabilities added up: every injury, and "none of these"."""
        # One component per injury, in order, then the parts of "none of these" (see
        # compile): the same sums as adding each component to its group.
        count = len(self.injuries)
        posterior = dict(zip(self.injuries, weights[:count], strict=True))
        posterior[UNMATCHED_ID] = functools.reduce(operator.add, weights[count:], 0.0)
        return posterior

    def posterior(
        self, present: list[str], absent: list[str], age: int | None = None, sex: str | None = None
    ) -> dict[str, float]:
        """The probability of every injury and of "none of these" given the findings."""
        return self.grouped(self.weights(present, absent, age, sex))

    def person_findings(self, injury_id: str, age: int | None, sex: str | None) -> list[Finding]:
        """How the runner's age band and sex bear on one injury, as findings (none when neutral)."""
        index = next(i for i, h in enumerate(self.hypotheses) if h.id == injury_id)
        name = self.injuries[injury_id].short_name
        found = []
        band = self.age_band.get(age) if age is not None else None
        if band is not None:
            found.append(("age", self.log_age[band][index], f"at {age}"))
        if sex is not None:
            found.append(
                ("sex", self.log_sex[sex][index], f"in {'women' if sex == 'female' else 'men'}")
            )
        return [
            _finding_of(
                {
                    "term": what,
                    "present": True,
                    "weight": round(weight, 3),
                    "text": _person_sentence(name, weight, when),
                }
            )
            for what, weight, when in found
            if abs(weight) >= 0.05
        ]

    def closest_outside(self, weights: list[float]) -> tuple[str, float] | None:
        """The condition outside the catalogue that best explains "none of these", if one stands out."""
        outside = [
            (weight, name)
            for weight, name in zip(weights, self.outside_names, strict=True)
            if name is not None
        ]
        # The parts of "none of these" come after the injuries (see compile): the same
        # additions, in the same order, as picking them out by group.
        unmatched = sum(weights[len(self.injuries) :])
        if not outside or unmatched <= 0:
            return None
        weight, name = max(outside)
        # It stands out when it carries most of "none of these" by itself.
        return (name, weight) if weight >= CLOSEST_OUTSIDE_SHARE * unmatched else None


def _levels(likelihoods: Likelihoods) -> dict[str, float]:
    """The chance of a term at each typicality level, most typical first."""
    return {level: getattr(likelihoods, level) for level in TYPICALITY_LEVELS}


def _age_bands(catalogue: Catalogue) -> dict[int, str]:
    """The band of every age from 0 to 120 that has one: the first band it falls in,
    as Catalogue.age_band says."""
    bands: dict[int, str] = {}
    for band in catalogue.age_bands:
        for age in range(max(band.min_age, 0), min(band.max_age, 120) + 1):
            bands.setdefault(age, band.id)
    return dict(sorted(bands.items()))


# How many rows of a case's log totals are kept, and for how many beginnings at most.
_KEPT_ROWS = 4
_MOST_PARTIAL_LOGS = 4096

# Before Python 3.12, sum() adds floats one after another from its start, in C: the
# same additions as adding row after row (`Scorer.weights`), without a float object
# for each. From 3.12 it compensates its rounding, which would change the numbers.
_PLAIN_SUM = sys.version_info < (3, 12)

_SCORERS: dict[int, tuple[Catalogue, Scorer]] = {}
KEPT_COMPILED = 4


def scorer_for(catalogue: Catalogue) -> Scorer:
    """The compiled scorer of a catalogue, built once per catalogue object."""
    cached = _SCORERS.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        cached = (catalogue, Scorer.compile(catalogue))
        # A program that loads catalogue after catalogue (the API, a test runner)
        # keeps only the latest few compiled, not every one it ever saw.
        while len(_SCORERS) >= KEPT_COMPILED:
            del _SCORERS[next(iter(_SCORERS))]
        _SCORERS[id(catalogue)] = cached
    return cached[1]


def _person_sentence(name: str, weight: float, when: str) -> str:
    factor = math.exp(weight)
    if factor >= 1:
        how = "much more common" if factor >= 3 else "more common"
    else:
        how = "rare" if factor <= 0.1 else "less common"
    return f"{when[0].upper()}{when[1:]}, {name} is {how} than in runners overall"


# "None of these" names its closest outside condition when that one condition
# carries at least this share of the "none of these" probability.
CLOSEST_OUTSIDE_SHARE = 0.5


def _finding(
    injury: Injury, hypothesis: _Hypothesis, term: str, present: bool, mean_chance: float
) -> Finding:
    """How far one finding moves one injury (against the prior-weighted average), in words."""
    chance = hypothesis.chance[term]
    if present:
        weight = math.log(chance / mean_chance)
        template = _PRESENT_SENTENCE[hypothesis.level[term]]
        if weight < 0 and hypothesis.level[term] == "occasional":
            template = "{phrase} is only sometimes seen in {injury}"
    else:
        weight = ABSENT_EVIDENCE_WEIGHT * (math.log1p(-chance) - math.log1p(-mean_chance))
        template = _ABSENT_SENTENCE[hypothesis.level[term]]
    text = template.format(phrase=TERMS_BY_ID[term].phrase, injury=injury.short_name)
    return _finding_of(
        {
            "term": term,
            "present": present,
            "weight": round(weight, 3),
            "text": text[0].upper() + text[1:],
        }
    )


def _evidence(
    scorer: Scorer,
    injury_id: str,
    present: list[str],
    absent: list[str],
    age: int | None = None,
    sex: str | None = None,
) -> dict[str, list[Finding]]:
    known = scorer.findings  # looked up directly first: this runs for every case of a batch
    found = scorer.person_findings(injury_id, age, sex) if age is not None or sex else []
    found += [
        known.get((injury_id, term, True)) or scorer.finding(injury_id, term, True)
        for term in present
    ]
    found += [
        known.get((injury_id, term, False)) or scorer.finding(injury_id, term, False)
        for term in absent
    ]
    found.sort(key=_by_weight)
    return {
        "for": [f for f in reversed(found) if f.weight > 0],
        "against": [f for f in found if f.weight < 0],
    }


def _by_weight(finding: Finding) -> float:
    return finding.weight


def _what_helps(injury: Injury) -> WhatHelps:
    needling = injury.dry_needling
    companion = constructor(Companion)
    return constructor(WhatHelps)(
        {
            "injury": injury.id,
            "dry_needling": needling.how_it_helps,
            "evidence_strength": needling.evidence.strength,
            "evidence": needling.evidence.summary,
            "pair_with": [
                companion({"kind": c.kind, "advice": c.advice}) for c in needling.pair_with
            ],
        }
    )


class Ranking:
    """What one assessment concludes, before it is built as models (`assess`) or written as
    JSON (`resultjson.write`): both read it, so both say the same.

    A plain class with slots, not a frozen dataclass: building one of those costs
    every run about half a millisecond at start-up.
    """

    __slots__ = (
        "absent",
        "catalogue",
        "closest_outside",
        "leading",
        "posterior",
        "present",
        "question",
        "scorer",
        "shown",
        "shown_at",
        "symptoms",
        "triage",
        "weights",
    )

    def __init__(
        self,
        *,
        symptoms: Symptoms,
        catalogue: Catalogue,
        scorer: Scorer,
        present: list[str],
        absent: list[str],
        weights: list[float],
        posterior: dict[str, float],
        shown: list[str],
        shown_at: list[int],
        leading: str | None,
        triage: Triage,
        closest_outside: OutsideCondition | None,
        question: NextQuestion | None,
    ) -> None:
        self.symptoms = symptoms
        self.catalogue = catalogue
        self.scorer = scorer
        self.present = present
        self.absent = absent  # reported absent, and what the screen and implications rule out
        self.weights = weights
        self.posterior = posterior
        self.shown = shown  # injury ids, most likely first, as many as asked for
        self.shown_at = shown_at  # where each is in catalogue (and component) order
        self.leading = leading
        self.triage = triage
        self.closest_outside = closest_outside
        self.question = question

    @property
    def unmatched(self) -> float:
        return self.posterior[UNMATCHED_ID]

    def parts(self) -> dict[str, object]:
        """Every field of the Assessment but `matches`, by name, in the model's order."""
        return {
            "symptoms": self.symptoms,
            "unmatched_probability": self.unmatched,
            "closest_outside": self.closest_outside,
            "triage": self.triage,
            "what_helps": self.scorer.what_helps[self.leading] if self.leading else None,
            "next_question": self.question,
            "course": None,  # set by the history when a result is saved
            "pain_monitoring": None,
            "disclaimer": self.catalogue.disclaimer,
        }

    def evidence(self, injury_id: str) -> dict[str, list[Finding]]:
        """The findings for and against one injury, strongest first."""
        symptoms = self.symptoms
        return _evidence(
            self.scorer, injury_id, self.present, self.absent, symptoms.age, symptoms.sex
        )


def rank(
    symptoms: Symptoms,
    catalogue: Catalogue,
    *,
    top: int | None = None,
    with_next_question: bool = True,
) -> Ranking:
    """Rank every injury for these symptoms, triage, and pick the next question.

    What is scored is what was reported, the terms it implies (pain that wakes
    you at night is pain at night) and, once the warning screen is answered,
    every screen sign left unticked as absent.
    """
    scorer = scorer_for(catalogue)
    present = known.present_terms(symptoms)
    absent = known.absent_terms(symptoms)
    weights = scorer.weights(present, absent, symptoms.age, symptoms.sex)
    posterior = scorer.grouped(weights)
    unmatched = posterior[UNMATCHED_ID]
    # Most likely first, ties by id: the injuries in id order, sorted by weight (stably).
    order = sorted(scorer.by_id, key=weights.__getitem__, reverse=True)
    ranked = list(map(scorer.injury_ids.__getitem__, order))
    leading = ranked[0] if posterior[ranked[0]] > unmatched else None
    shown = ranked if top is None else ranked[:top]
    triage = assess_triage(symptoms, catalogue, ranked[0], posterior[ranked[0]], present)
    question = None
    if with_next_question:
        question = _next_question(symptoms, catalogue, scorer, weights, triage, 0, frozenset())
    return Ranking(
        symptoms=symptoms,
        catalogue=catalogue,
        scorer=scorer,
        present=present,
        absent=absent,
        weights=weights,
        posterior=posterior,
        shown=shown,
        shown_at=order if top is None else order[:top],
        leading=leading,
        triage=triage,
        closest_outside=_closest_outside(scorer, weights, unmatched, leading),
        question=question,
    )


def assess(
    symptoms: Symptoms,
    catalogue: Catalogue,
    *,
    top: int | None = None,
    with_next_question: bool = True,
) -> Assessment:
    """Rank every injury for these symptoms, explain each, triage, and pick the next question."""
    return assessment_of(rank(symptoms, catalogue, top=top, with_next_question=with_next_question))


def assessment_of(ranking: Ranking) -> Assessment:
    """The Assessment model of a ranking.

    Every part is built from validated symptoms and a validated catalogue, so it
    is put together without validating it again (trusted.py): the same model
    `model_validate` would make of the same data, several times faster.
    """
    scorer = ranking.scorer
    match, evidence = constructor(Match), constructor(Evidence)
    matches = []
    for injury_id in ranking.shown:
        injury = scorer.injuries[injury_id]
        found = ranking.evidence(injury_id)
        matches.append(
            match(
                {
                    "id": injury_id,
                    "name": injury.name,
                    "short_name": injury.short_name,
                    "probability": ranking.posterior[injury_id],
                    "evidence": evidence({"for_": found["for"], "against": found["against"]}),
                }
            )
        )
    parts = {**ranking.parts(), "matches": matches}
    return constructor(Assessment)({name: parts[name] for name in Assessment.model_fields})


def _closest_outside(
    scorer: Scorer, weights: list[float], unmatched: float, leading: str | None
) -> OutsideCondition | None:
    """Named only when "none of these" leads: the outside condition that fits best, if one stands out."""
    if leading is not None:
        return None
    found = scorer.closest_outside(weights)
    if found is None:
        return None
    name, probability = found
    return constructor(OutsideCondition)({"name": name, "probability": probability})


# When to stop asking, all in one place (see `next_question`):
# - the leading injury is clear: at least STOP_PROBABILITY, and ahead of the
#   runner-up (or "none of these") by at least STOP_MARGIN, and neither answer
#   to the most useful remaining question would put another hypothesis first;
# - the leader is settled: at least SETTLED_PROBABILITY, and no single answer to
#   any question still open (every unanswered term that tells anything) would put
#   another hypothesis first (benchmarks/interview.py, a fact a vignette does not
#   mention answered "not sure": without this stop the follow-ups' median was
#   8.5; with it, 5; at 0.5 instead of 0.7 it stopped after a median of 3, 3.6
#   points of top-1 under every fact);
# - no question is worth asking: the best one is expected to remove less than
#   MIN_INFORMATION_GAIN bits of uncertainty;
# - MAX_QUESTIONS follow-up questions have been asked (the interview counts them).
# Warning-sign questions are exempt from the first three: a plausible red flag
# is always asked about (up to MAX_QUESTIONS).
STOP_PROBABILITY = 0.80
STOP_MARGIN = 0.60
SETTLED_PROBABILITY = 0.70
MIN_INFORMATION_GAIN = 0.02
MAX_QUESTIONS = 12

# Per catalogue's chance table: how far behind the leader a hypothesis can be and
# still overtake it with one answer (see _overtake_ratio).
_OVERTAKE_RATIOS: dict[int, tuple[object, float]] = {}


def _overtake_ratio(scorer: Scorer) -> float:
    """The smallest factor by which one answer can move two hypotheses apart, inverted.

    No answer moves a hypothesis by more than the largest ratio of two chances
    ("yes": highest / lowest; "no": the same of one minus them), so one further
    behind the leader than this ratio can never overtake it with one answer.
    """
    table = scorer.chances
    known = _OVERTAKE_RATIOS.get(id(table))
    if known is not None and known[0] is table:
        return known[1]
    lowest = min(min(row) for row in table.values())
    highest = max(max(row) for row in table.values())
    ratio = min(lowest / highest, (1.0 - highest) / (1.0 - lowest))
    if len(_OVERTAKE_RATIOS) >= 4:
        _OVERTAKE_RATIOS.clear()
    _OVERTAKE_RATIOS[id(table)] = (table, ratio)
    return ratio


def _binary_entropy(p: float) -> float:
    """Bits of uncertainty in a yes/no answer that is "yes" with probability p."""
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))


def _most_informative(scorer: Scorer, weights: list[float], answered: set[str]) -> str | None:
    """The unanswered term whose answer is expected to tell most, if more than
    MIN_INFORMATION_GAIN bits; the first in vocabulary order among equals.

    The expected information gain I(G;A) = H(A) - H(A|G) of each term, where
    H(A|G) is each injury's own uncertainty about the answer (precompiled) and,
    for "none of these", that of its parts mixed by their current weights;
    worked out inline, with two shortcuts that never change the answer: only `scorer.askable` terms are
    looked at (the others are where and which part, asked directly, or terms
    every hypothesis gives the same chance, which tell nothing), and a term whose
    answer is itself no more uncertain than the best gain so far is passed over
    before its noise is added up (a gain is that uncertainty less two sums that
    are never negative).
    """
    count = len(scorer.injuries)
    injury_weights, unmatched_weights = weights[:count], weights[count:]
    chances, noise, unmatched_chances = scorer.chances, scorer.noise, scorer.unmatched_chances
    unmatched_weight = sum(unmatched_weights)
    mul = operator.mul
    best_term: str | None = None
    best_gain = MIN_INFORMATION_GAIN
    for term in scorer.askable:
        if term in answered:
            continue
        unmatched_yes: float = sum(map(mul, unmatched_weights, unmatched_chances[term]))
        uncertainty = _binary_entropy(sum(map(mul, injury_weights, chances[term])) + unmatched_yes)
        if uncertainty <= best_gain:
            continue
        injury_noise: float = sum(map(mul, injury_weights, noise[term]))
        unmatched_noise = 0.0
        if unmatched_weight > 0:
            unmatched_noise = unmatched_weight * _binary_entropy(unmatched_yes / unmatched_weight)
        gain = uncertainty - injury_noise - unmatched_noise
        if gain > best_gain:
            best_term, best_gain = term, gain
    return best_term


def _name(scorer: Scorer, hypothesis_id: str) -> str:
    if hypothesis_id == UNMATCHED_ID:
        return "conditions outside the catalogue"
    return scorer.injuries[hypothesis_id].short_name


def _separation_reason(
    scorer: Scorer, posterior: dict[str, float], weights: list[float], term: str
) -> str:
    leaders = sorted(posterior, key=lambda key: -posterior[key])[:4]
    chance = dict(zip(scorer.injuries, scorer.chances[term], strict=False))
    unmatched_weights = weights[len(scorer.injuries) :]
    unmatched_weight = sum(unmatched_weights)
    chance[UNMATCHED_ID] = (
        sum(map(operator.mul, unmatched_weights, scorer.unmatched_chances[term])) / unmatched_weight
        if unmatched_weight > 0
        else scorer.unmatched_chances[term][0]
    )
    best = max(
        ((a, b) for i, a in enumerate(leaders) for b in leaders[i + 1 :]),
        key=lambda pair: (
            posterior[pair[0]] * posterior[pair[1]] * abs(chance[pair[0]] - chance[pair[1]])
        ),
    )
    return f"asked because it separates {_name(scorer, best[0])} from {_name(scorer, best[1])}"


def _leader_settled(scorer: Scorer, weights: list[float], terms: list[str]) -> bool:
    """No "yes" or "no" to any of `terms` would put another injury (or none) first.

    Only the hypotheses close enough to the leader to overtake it are looked at
    (see `_overtake_ratio`).
    """
    count = len(scorer.injuries)
    unmatched_weights = weights[count:]
    unmatched_weight = sum(unmatched_weights)
    scores = [*weights[:count], unmatched_weight]
    lead = max(range(len(scores)), key=scores.__getitem__)
    floor = scores[lead] * _overtake_ratio(scorer)
    rivals = [i for i in range(count) if i != lead and scores[i] >= floor]
    unmatched_rival = lead != count and unmatched_weight >= floor
    for term in terms:
        chances = scorer.chances[term]
        if lead == count:
            lead_yes = sum(map(operator.mul, unmatched_weights, chances[count:]))
        else:
            lead_yes = scores[lead] * chances[lead]
        lead_no = scores[lead] - lead_yes
        for i in rivals:
            yes = scores[i] * chances[i]
            if yes > lead_yes or scores[i] - yes > lead_no:
                return False
        if unmatched_rival:
            yes = sum(map(operator.mul, unmatched_weights, chances[count:]))
            if yes > lead_yes or unmatched_weight - yes > lead_no:
                return False
    return True


def should_stop(posterior: dict[str, float]) -> bool:
    """The leading hypothesis is clear enough that more questions would not change the advice."""
    ordered = sorted(posterior.values(), reverse=True)
    runner_up = ordered[1] if len(ordered) > 1 else 0.0
    return ordered[0] >= STOP_PROBABILITY and ordered[0] - runner_up >= STOP_MARGIN


def triage_of(symptoms: Symptoms, catalogue: Catalogue) -> Triage:
    """The triage of these symptoms alone (what `assess` would say), for the interview's stop."""
    scorer = scorer_for(catalogue)
    weights = scorer.weights(
        known.present_terms(symptoms), known.absent_terms(symptoms), symptoms.age, symptoms.sex
    )
    posterior = scorer.grouped(weights)
    leader = max(scorer.injuries, key=lambda injury_id: (posterior[injury_id], injury_id))
    return assess_triage(symptoms, catalogue, leader, posterior[leader])


def next_question(
    symptoms: Symptoms,
    catalogue: Catalogue,
    *,
    asked: int = 0,
    skip: frozenset[str] = frozenset(),
) -> NextQuestion | None:
    """The question that would help most now, or None to stop.

    In order: nothing after an emergency; where it hurts, if not known; the
    warning-sign screen until it is answered; which part of the place; at
    `urgent`, only what could still make it an emergency; otherwise, up to
    MAX_QUESTIONS follow-ups (counted from the symptoms by
    `known.follow_ups_answered`, or `asked` if higher), the warning signs the
    picture makes plausible, most urgent first, and lastly the yes/no question
    whose answer is expected to reduce uncertainty most. `skip` holds terms
    the runner was asked and is not sure of (as `--unsure` does).
    """
    scorer = scorer_for(catalogue)
    weights = scorer.weights(
        known.present_terms(symptoms), known.absent_terms(symptoms), symptoms.age, symptoms.sex
    )
    posterior = scorer.grouped(weights)
    leader = max(scorer.injuries, key=lambda injury_id: (posterior[injury_id], injury_id))
    triage = assess_triage(symptoms, catalogue, leader, posterior[leader])
    return _next_question(symptoms, catalogue, scorer, weights, triage, asked, skip)


@functools.lru_cache(maxsize=16)
def said_in(text: str) -> Symptoms:
    """What a runner's own words say (`parse.understand`), remembered for the last few texts:
    a batch reads a case's words once to score them and again to count what was told."""
    from needlematch.parse import understand

    return understand(text).symptoms


def follow_ups_asked(symptoms: Symptoms) -> int:
    """The follow-up questions these symptoms have answered: what counts toward MAX_QUESTIONS.

    See `known.follow_ups_answered`; what the runner's own words (`text`) say,
    and the symptoms still hold the same way, was told, not asked, so it does
    not count.
    """
    told: set[str] = set()
    if symptoms.text:
        said = said_in(symptoms.text)
        told = set(said.present()) & set(symptoms.present())
        told |= set(said.absent) & set(symptoms.absent)
    return known.follow_ups_answered(symptoms, told)


def _next_question(
    symptoms: Symptoms,
    catalogue: Catalogue,
    scorer: Scorer,
    weights: list[float],
    triage: Triage,
    asked: int,
    skip: frozenset[str],
) -> NextQuestion | None:
    if triage.level == "emergency":
        return None
    if not symptoms.where:
        return _where_question()
    if not symptoms.screened:
        return _screen_question(symptoms)
    if not known.part_answered(symptoms):
        return _part_question(symptoms)
    urgent = triage.level == "urgent"
    answered = known.answered(symptoms, skip)
    warnings = warning_questions(symptoms, catalogue, answered)
    if urgent:
        # The advice is already to be seen today: only what could make it an emergency is asked.
        warnings = [warning for warning in warnings if warning.level == "emergency"]
    if max(asked, follow_ups_asked(symptoms)) >= MAX_QUESTIONS:
        return None
    for warning in warnings:
        reason = f"asked to rule out a warning sign: {warning.flag}"
        if warning.ask == SEVERITY:
            return _severity_question(reason)
        return _yes_no(warning.ask, reason)
    if urgent:
        return None

    best_term = _most_informative(scorer, weights, answered)
    if best_term is None:
        return None
    posterior = scorer.grouped(weights)
    if should_stop(posterior) and _leader_settled(scorer, weights, [best_term]):
        return None
    if max(posterior.values()) >= SETTLED_PROBABILITY and _leader_settled(
        scorer, weights, [term for term in scorer.askable if term not in answered]
    ):
        return None
    return _yes_no(best_term, _separation_reason(scorer, posterior, weights, best_term))


# ---------------------------------------------------------------- the questions as a script sees them

NOT_SURE_LABEL = "Not sure"
SCREEN_ID = "warning-signs"


def _yes_args(term: str) -> list[str]:
    dimension = TERMS_BY_ID[term].dimension
    flag = DIMENSION_FLAGS[dimension]
    return [flag] if dimension == "sides" else [flag, term]


# The answer options are made the first time they are needed, not at import: a
# result that asks no question (or asks another kind) never builds them.
@functools.cache
def _yes_no_options(term: str) -> list[AnswerOption]:
    return [
        AnswerOption(answer="yes", label="Yes", args=_yes_args(term)),
        AnswerOption(answer="no", label="No", args=["--not", term]),
        AnswerOption(answer="unsure", label=NOT_SURE_LABEL, args=["--unsure", term]),
    ]


# The questions already made, by what they are made from: a batch asks the same few
# thousand questions case after case, and a shared question also lets resultjson
# reuse its JSON. Cleared when full, so a long-running program cannot grow it without bound.
_QUESTIONS: dict[tuple[object, ...], NextQuestion] = {}
_MOST_QUESTIONS_KEPT = 4096


def _kept(key: tuple[object, ...], question: NextQuestion) -> NextQuestion:
    if len(_QUESTIONS) >= _MOST_QUESTIONS_KEPT:
        _QUESTIONS.clear()
    _QUESTIONS[key] = question
    return question


def _yes_no(term: str, reason: str) -> NextQuestion:
    found = _QUESTIONS.get(("yes-no", term, reason))
    if found is not None:
        return found
    wording = TERMS_BY_ID[term]
    return _kept(
        ("yes-no", term, reason),
        NextQuestion.model_construct(
            kind="yes-no",
            term=term,
            text=wording.question,
            hint=wording.hint,
            reason=reason,
            options=_yes_no_options(term),
            then=[],
        ),
    )


@functools.cache
def _where_options() -> list[AnswerOption]:
    return [
        AnswerOption(answer=term.id, label=term.label, args=["--where", term.id])
        for term in TERMS
        if term.dimension == "where"
    ]


def _where_question() -> NextQuestion:
    found = _QUESTIONS.get(("where",))
    if found is not None:
        return found
    return _kept(
        ("where",),
        NextQuestion.model_construct(
            kind="choice",
            term="where",
            text="Where does it hurt most?",
            hint="Pick the one place that bothers you most.",
            reason="asked first: everything else depends on where it hurts",
            options=_where_options(),
            then=[],
        ),
    )


SCREEN_LABELS = dict(SCREEN)


def _screen_question(symptoms: Symptoms) -> NextQuestion:
    found = _QUESTIONS.get(("screen", symptoms.age, symptoms.sex))
    if found is not None:
        return found
    signs = screen_terms(symptoms.age, symptoms.sex)
    options = [
        AnswerOption(answer=term, label=SCREEN_LABELS[term], args=["--sign", term])
        for term in signs
    ]
    options.append(AnswerOption(answer="none", label="None of these", args=[]))
    return _kept(
        ("screen", symptoms.age, symptoms.sex),
        NextQuestion.model_construct(
            kind="screen",
            term=SCREEN_ID,
            text="Do you have any of these?",
            hint="Tick each one you have, or 'None of these'. Any left unticked counts as a no.",
            reason="asked before anything else: these warning signs can need a doctor soon",
            options=options,
            then=["--screened"],
        ),
    )


def _part_question(symptoms: Symptoms) -> NextQuestion:
    found = _QUESTIONS.get(("part", symptoms.where[0]))
    if found is not None:
        return found
    parts = known.region_parts(symptoms)
    place = TERMS_BY_ID[symptoms.where[0]].label.split(" (")[0].lower()
    options = [
        AnswerOption(answer=part, label=TERMS_BY_ID[part].label, args=["--part", part])
        for part in parts
    ]
    options.append(
        AnswerOption(answer="unsure", label=NOT_SURE_LABEL, args=["--unsure", ",".join(parts)])
    )
    return _kept(
        ("part", symptoms.where[0]),
        NextQuestion.model_construct(
            kind="choice",
            term="part",
            text="Which part of it hurts?",
            hint="Inner is the side facing your other leg; outer faces away from it.",
            reason=f"asked because where in the {place} it hurts separates what it could be",
            options=options,
            then=[],
        ),
    )


SEVERITY_WORDS = {0: "no pain", 3: "mild", 5: "moderate", 7: "bad", 10: "the worst imaginable"}


@functools.cache
def _severity_options() -> list[AnswerOption]:
    return [
        AnswerOption(
            answer=str(n),
            label=f"{n:>2}  {SEVERITY_WORDS[n]}" if n in SEVERITY_WORDS else f"{n:>2}",
            args=["--severity", str(n)],
        )
        for n in range(11)
    ]


def _severity_question(reason: str) -> NextQuestion:
    found = _QUESTIONS.get((SEVERITY, reason))
    if found is not None:
        return found
    return _kept(
        (SEVERITY, reason),
        NextQuestion.model_construct(
            kind="choice",
            term=SEVERITY,
            text="How bad is it right now, from 0 to 10?",
            hint="0 is no pain at all; 10 is the worst pain you can imagine.",
            reason=reason,
            options=_severity_options(),
            then=[],
        ),
    )
