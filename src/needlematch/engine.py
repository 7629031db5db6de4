"""Symptoms + catalogue -> Assessment: a Bayesian ranking of the injuries and "none of these", with evidence.

Each hypothesis (every injury, plus "none of these") has a prior and, for every
vocabulary term, the chance a runner with it reports that term, read from the
catalogue's typicality levels. A term reported present multiplies a hypothesis
by that chance, a term reported absent by its complement, and the products are
normalised, so the probabilities of the injuries and of "none of these" sum to
1. Because "typical" is the highest likelihood any hypothesis can have, adding
a finding an injury lists as typical can never lower that injury.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from needlematch.assessment import (
    Assessment,
    Companion,
    Evidence,
    Finding,
    Match,
    NextQuestion,
    WhatHelps,
)
from needlematch.catalogue import Catalogue, Injury
from needlematch.symptoms import Symptoms
from needlematch.triage import assess_triage, plausible_red_flag_terms
from needlematch.vocabulary import TERMS, TERMS_BY_ID

UNMATCHED_ID = "none-of-these"

_PRESENT_SENTENCE = {
    "typical": "{phrase} is typical of {injury}",
    "common": "{phrase} is common in {injury}",
    "occasional": "{phrase} is only sometimes seen in {injury}",
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
    id: str
    log_prior: float
    level: dict[str, str]
    chance: dict[str, float]


@dataclass(frozen=True, slots=True)
class Scorer:
    """A catalogue compiled for scoring: per hypothesis, the chance of every term."""

    hypotheses: tuple[_Hypothesis, ...]
    injuries: dict[str, Injury]
    mean_chance: dict[str, float]

    @classmethod
    def compile(cls, catalogue: Catalogue) -> Scorer:
        chance_of = catalogue.likelihoods.model_dump()
        raw = [(injury.id, injury.prior.value, injury.profile) for injury in catalogue.injuries]
        raw.append((UNMATCHED_ID, catalogue.unmatched.prior.value, catalogue.unmatched.profile))
        total_prior = sum(prior for _, prior, _ in raw)
        hypotheses = []
        for hypothesis_id, prior, profile in raw:
            level = {term.id: profile.get(term.id, "unlisted") for term in TERMS}
            hypotheses.append(
                _Hypothesis(
                    id=hypothesis_id,
                    log_prior=math.log(prior / total_prior),
                    level=level,
                    chance={term: chance_of[name] for term, name in level.items()},
                )
            )
        mean_chance = {
            term.id: sum(math.exp(h.log_prior) * h.chance[term.id] for h in hypotheses)
            for term in TERMS
        }
        return cls(
            hypotheses=tuple(hypotheses),
            injuries={injury.id: injury for injury in catalogue.injuries},
            mean_chance=mean_chance,
        )

    def posterior(self, present: list[str], absent: list[str]) -> dict[str, float]:
        """The probability of every hypothesis (injuries and "none of these") given the findings."""
        logs = {}
        for h in self.hypotheses:
            score = h.log_prior
            for term in present:
                score += math.log(h.chance[term])
            for term in absent:
                score += math.log1p(-h.chance[term])
            logs[h.id] = score
        top = max(logs.values())
        weights = {key: math.exp(value - top) for key, value in logs.items()}
        total = sum(weights.values())
        return {key: weight / total for key, weight in weights.items()}


_SCORERS: dict[int, tuple[Catalogue, Scorer]] = {}


def scorer_for(catalogue: Catalogue) -> Scorer:
    """The compiled scorer of a catalogue, built once per catalogue object."""
    cached = _SCORERS.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        cached = (catalogue, Scorer.compile(catalogue))
        _SCORERS[id(catalogue)] = cached
    return cached[1]


def _sentence(template: str, term: str, injury: Injury) -> str:
    text = template.format(phrase=TERMS_BY_ID[term].phrase, injury=injury.short_name)
    return text[0].upper() + text[1:]


def _evidence(scorer: Scorer, hypothesis: _Hypothesis, symptoms: Symptoms) -> Evidence:
    injury = scorer.injuries[hypothesis.id]
    findings: list[Finding] = []
    for term in symptoms.present():
        weight = math.log(hypothesis.chance[term] / scorer.mean_chance[term])
        template = _PRESENT_SENTENCE[hypothesis.level[term]]
        findings.append(
            Finding.model_construct(
                term=term,
                present=True,
                weight=round(weight, 3),
                text=_sentence(template, term, injury),
            )
        )
    for term in symptoms.absent:
        weight = math.log1p(-hypothesis.chance[term]) - math.log1p(-scorer.mean_chance[term])
        template = _ABSENT_SENTENCE[hypothesis.level[term]]
        findings.append(
            Finding.model_construct(
                term=term,
                present=False,
                weight=round(weight, 3),
                text=_sentence(template, term, injury),
            )
        )
    supporting = sorted((f for f in findings if f.weight > 0), key=lambda f: -f.weight)
    opposing = sorted((f for f in findings if f.weight < 0), key=lambda f: f.weight)
    return Evidence.model_construct(for_=supporting, against=opposing)


def _what_helps(injury: Injury) -> WhatHelps:
    needling = injury.dry_needling
    return WhatHelps.model_construct(
        injury=injury.id,
        dry_needling=needling.how_it_helps,
        evidence_strength=needling.evidence.strength,
        evidence=needling.evidence.summary,
        pair_with=[
            Companion.model_construct(kind=c.kind, advice=c.advice) for c in needling.pair_with
        ],
    )


def assess(
    symptoms: Symptoms,
    catalogue: Catalogue,
    *,
    top: int | None = None,
    with_next_question: bool = True,
) -> Assessment:
    """Rank every injury for these symptoms, explain each, triage, and pick the next question."""
    scorer = scorer_for(catalogue)
    present = symptoms.present()
    posterior = scorer.posterior(present, symptoms.absent)
    unmatched = posterior[UNMATCHED_ID]
    ranked = sorted(
        (h for h in scorer.hypotheses if h.id != UNMATCHED_ID),
        key=lambda h: (-posterior[h.id], h.id),
    )
    matches = [
        Match.model_construct(
            id=h.id,
            name=scorer.injuries[h.id].name,
            short_name=scorer.injuries[h.id].short_name,
            probability=posterior[h.id],
            evidence=_evidence(scorer, h, symptoms),
        )
        for h in ranked
    ]
    leading = matches[0] if matches and matches[0].probability > unmatched else None
    triage = assess_triage(symptoms, catalogue, matches)
    question = None
    if with_next_question:
        question = next_question(symptoms, catalogue, posterior=posterior)
    return Assessment.model_construct(
        symptoms=symptoms,
        matches=matches if top is None else matches[:top],
        unmatched_probability=unmatched,
        triage=triage,
        what_helps=_what_helps(scorer.injuries[leading.id]) if leading else None,
        next_question=question,
        disclaimer=catalogue.disclaimer,
    )


# When to stop asking, all in one place (see `next_question`):
# - the leading injury is clear: at least STOP_PROBABILITY, and ahead of the
#   runner-up (or "none of these") by at least STOP_MARGIN;
# - no question is worth asking: the best one is expected to remove less than
#   MIN_INFORMATION_GAIN bits of uncertainty;
# - MAX_QUESTIONS follow-up questions have been asked (the interview counts them).
STOP_PROBABILITY = 0.80
STOP_MARGIN = 0.60
MIN_INFORMATION_GAIN = 0.02
MAX_QUESTIONS = 12


def _entropy(probabilities: list[float]) -> float:
    return -sum(p * math.log2(p) for p in probabilities if p > 0)


def _after_answer(
    scorer: Scorer, posterior: dict[str, float], term: str, yes: bool
) -> tuple[float, list[float]]:
    joint = []
    for h in scorer.hypotheses:
        chance = h.chance[term] if yes else 1.0 - h.chance[term]
        joint.append(posterior[h.id] * chance)
    total = sum(joint)
    return total, [value / total for value in joint]


def _information_gain(scorer: Scorer, posterior: dict[str, float], term: str) -> float:
    before = _entropy(list(posterior.values()))
    p_yes, after_yes = _after_answer(scorer, posterior, term, True)
    p_no, after_no = _after_answer(scorer, posterior, term, False)
    return before - (p_yes * _entropy(after_yes) + p_no * _entropy(after_no))


def _name(scorer: Scorer, hypothesis_id: str) -> str:
    if hypothesis_id == UNMATCHED_ID:
        return "conditions outside the catalogue"
    return scorer.injuries[hypothesis_id].short_name


def _separation_reason(scorer: Scorer, posterior: dict[str, float], term: str) -> str:
    leaders = sorted(posterior, key=lambda key: -posterior[key])[:4]
    chance = {h.id: h.chance[term] for h in scorer.hypotheses}
    best = max(
        ((a, b) for i, a in enumerate(leaders) for b in leaders[i + 1 :]),
        key=lambda pair: (
            posterior[pair[0]] * posterior[pair[1]] * abs(chance[pair[0]] - chance[pair[1]])
        ),
    )
    return f"asked because it separates {_name(scorer, best[0])} from {_name(scorer, best[1])}"


def should_stop(posterior: dict[str, float]) -> bool:
    """The leading hypothesis is clear enough that more questions would not change the advice."""
    ordered = sorted(posterior.values(), reverse=True)
    runner_up = ordered[1] if len(ordered) > 1 else 0.0
    return ordered[0] >= STOP_PROBABILITY and ordered[0] - runner_up >= STOP_MARGIN


def next_question(
    symptoms: Symptoms,
    catalogue: Catalogue,
    *,
    posterior: dict[str, float] | None = None,
    asked: int = 0,
    skip: frozenset[str] = frozenset(),
) -> NextQuestion | None:
    """The yes/no question about one unanswered term that would help most, or None to stop.

    Warning signs the current picture makes plausible come first; then the term
    whose answer is expected to reduce uncertainty most. `skip` holds terms the
    runner was asked and answered "not sure".
    """
    if asked >= MAX_QUESTIONS:
        return None
    scorer = scorer_for(catalogue)
    present = symptoms.present()
    answered = set(present) | set(symptoms.absent) | skip
    if posterior is None:
        posterior = scorer.posterior(present, symptoms.absent)

    for term, flag_name in plausible_red_flag_terms(symptoms, catalogue):
        if term not in answered:
            wording = TERMS_BY_ID[term]
            return NextQuestion.model_construct(
                term=term,
                text=wording.question,
                hint=wording.hint,
                reason=f"asked to rule out a warning sign: {flag_name}",
            )

    if should_stop(posterior):
        return None
    onset_known = symptoms.onset is not None
    best_term: str | None = None
    best_gain = MIN_INFORMATION_GAIN
    for candidate in TERMS:
        if candidate.id in answered or (onset_known and candidate.dimension == "onset"):
            continue
        gain = _information_gain(scorer, posterior, candidate.id)
        if gain > best_gain:
            best_term, best_gain = candidate.id, gain
    if best_term is None:
        return None
    wording = TERMS_BY_ID[best_term]
    return NextQuestion.model_construct(
        term=best_term,
        text=wording.question,
        hint=wording.hint,
        reason=_separation_reason(scorer, posterior, best_term),
    )
