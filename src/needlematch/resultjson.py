"""The result as `--json` prints it, written from pieces made once per catalogue: the same text as the Assessment model dumped, without building the model.

A result holds every injury, each with its findings for and against: about 30 KB
of JSON for the 27 conditions, nearly all of it the same sentences case after
case. Each finding of each injury is written once, the first time it is needed,
by pydantic itself (so numbers and escapes are exactly the model's), and made
safe for line-based readers (printable.json_safe) at the same time. A case then
only orders and joins them: one sort of small integers puts every injury's
findings in the order `engine._evidence` gives them, strongest first, ties in
the same order. The rest of the result (symptoms, triage, advice, the next
question) is dumped by pydantic as it is. tests/test_resultjson.py checks the
text against `json_safe(assessment.to_json())` case by case.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pydantic_core

from needlematch.assessment import Assessment, Finding
from needlematch.printable import json_safe

if TYPE_CHECKING:
    from needlematch.catalogue import Catalogue
    from needlematch.engine import Ranking, Scorer
    from needlematch.symptoms import Symptoms

# The sort key of one finding of one injury, from the most significant bits: the
# injury (catalogue order), the list ("for" or "against"), the weight in thousandths
# (strongest first), and the finding's place in the case (ties keep engine._evidence's
# order). Under 2**30, so list.sort compares keys as machine integers.
_INJURY_BITS = 7
_WEIGHT_BITS = 15
_TIE_BITS = 7
_MOST_INJURIES = 1 << _INJURY_BITS
_MOST_FINDINGS = (1 << _TIE_BITS) - 1
_WEIGHT_OFFSET = 1 << (_WEIGHT_BITS - 1)
FOR, AGAINST = 0, 1

# Each list of findings begins with this marker: it never occurs in JSON text, where
# a control character is always escaped.
_LIST = "\x01"
_AFTER_COMMA = operator.itemgetter(slice(1, None))
_MATCH = '{}{},"evidence":{{"for":[{}],"against":[{}]}}}}'.format


def assessment_json(symptoms: Symptoms, catalogue: Catalogue, *, top: int | None = None) -> str:
    """The JSON line `match --json` prints for these symptoms (without its newline)."""
    from needlematch.engine import rank

    return write(rank(symptoms, catalogue, top=top))


def write(ranking: Ranking) -> str:
    """`json_safe(assessment_of(ranking).to_json())`, made from prewritten pieces."""
    pieces = _pieces_for(ranking.scorer)
    symptoms = ranking.symptoms
    findings: list[tuple[Any, ...]] = []
    if symptoms.age is not None:
        findings.append(("age", symptoms.age))
    if symptoms.sex is not None:
        findings.append(("sex", symptoms.sex))
    findings += [(term, True) for term in ranking.present]
    findings += [(term, False) for term in symptoms.absent]
    if pieces.count > _MOST_INJURIES or len(findings) > _MOST_FINDINGS:
        return json_safe(_assessment(ranking).to_json())  # more than the sort key holds

    keys: list[int] = list(pieces.list_keys)
    texts: list[str] = list(pieces.list_texts)
    add = operator.add
    for place, finding in enumerate(findings):
        table = pieces.table(finding)
        if table is None:
            return json_safe(_assessment(ranking).to_json())
        # Among equal weights a later finding comes first in "for" and an earlier one in
        # "against": the order of engine._evidence's stable sort and its reversal.
        keys += map(add, table.keys, map((-place, place).__getitem__, table.lists))
        texts += table.texts
    # Sorted by the keys, which list.sort reads one per text, in order: next(keys, text).
    texts.sort(key=functools.partial(next, iter(keys)))
    # ["", for-list of injury 0, against-list of injury 0, for-list of injury 1, ...],
    # each finding with a comma in front.
    lists = list(map(_AFTER_COMMA, "".join(texts).split(_LIST)))

    shown = ranking.shown
    posterior = ranking.posterior
    numbers = pydantic_core.to_json([posterior[injury_id] for injury_id in shown]).decode()
    at = list(map(pieces.index.__getitem__, shown))
    twice = list(map(add, at, at))
    matches = ",".join(
        map(
            _MATCH,
            map(pieces.prefixes.__getitem__, at),
            numbers[1:-1].split(","),
            map(lists.__getitem__, map(add, twice, itertools.repeat(1))),
            map(lists.__getitem__, map(add, twice, itertools.repeat(2))),
        )
    )
    parts = ranking.parts()
    head = pydantic_core.to_json({key: parts[name] for name, key in pieces.before}, by_alias=True)
    tail = pydantic_core.to_json({key: parts[name] for name, key in pieces.after}, by_alias=True)
    return "".join(
        (
            json_safe(head[:-1].decode()),
            ',"matches":[',
            matches,
            "],",
            json_safe(tail[1:].decode()),
        )
    )


def _assessment(ranking: Ranking) -> Assessment:
    from needlematch.engine import assessment_of

    return assessment_of(ranking)


class _Table:
    """One finding (a term present or absent, an age, a sex) for every injury it moves: its
    sort key before its place in the case is added, its list (0: "for", 1: "against"), and
    its JSON with a comma in front."""

    __slots__ = ("keys", "lists", "texts")

    def __init__(self, keys: Sequence[int], lists: Sequence[int], texts: Sequence[str]):
        self.keys = tuple(keys)
        self.lists = tuple(lists)
        self.texts = tuple(texts)


class _Pieces:
    """The prewritten JSON of one compiled catalogue."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        ids = list(scorer.injuries)
        self.count = count = len(ids)
        self.index = {injury_id: number for number, injury_id in enumerate(ids)}
        dumps: Callable[[Any], bytes] = pydantic_core.to_json
        self.prefixes = [
            json_safe(
                '{"id":'
                + dumps(injury_id).decode()
                + ',"name":'
                + dumps(scorer.injuries[injury_id].name).decode()
                + ',"short_name":'
                + dumps(scorer.injuries[injury_id].short_name).decode()
                + ',"probability":'
            )
            for injury_id in ids
        ]
        # Each list's marker sorts before the list's findings (weight part 0).
        self.list_keys = [
            _key(number, kind, 0) for number in range(count) for kind in (FOR, AGAINST)
        ]
        self.list_texts = [_LIST] * (2 * count)
        fields = list(Assessment.model_fields.items())
        split = [name for name, _ in fields].index("matches")
        self.before = [(name, field.alias or name) for name, field in fields[:split]]
        self.after = [(name, field.alias or name) for name, field in fields[split + 1 :]]
        self._tables: dict[tuple[Any, ...], _Table | None] = {}

    def table(self, finding: tuple[Any, ...]) -> _Table | None:
        """The finding's table; None when a weight does not fit the sort key."""
        try:
            return self._tables[finding]
        except KeyError:
            made = self._tables[finding] = self._make(finding)
            return made

    def _make(self, finding: tuple[Any, ...]) -> _Table | None:
        scorer = self.scorer
        what, value = finding
        keys, lists, texts = [], [], []
        for number, injury_id in enumerate(scorer.injuries):
            if what in ("age", "sex"):
                age, sex = (value, None) if what == "age" else (None, value)
                made = scorer.person_findings(injury_id, age, sex)
                found: Finding | None = made[0] if made else None
            else:
                found = scorer.findings.get((injury_id, what, value)) or scorer.finding(
                    injury_id, what, value
                )
            weight = round(found.weight * 1000) if found is not None else 0
            if found is None or weight == 0:
                continue  # neither for nor against this injury
            if abs(weight) >= _WEIGHT_OFFSET:
                return None
            if weight > 0:
                keys.append(_key(number, FOR, _WEIGHT_OFFSET - weight) | _MOST_FINDINGS)
                lists.append(0)
            else:
                keys.append(_key(number, AGAINST, _WEIGHT_OFFSET + weight))
                lists.append(1)
            texts.append("," + json_safe(pydantic_core.to_json(found, by_alias=True).decode()))
        return _Table(keys, lists, texts)


def _key(injury: int, kind: int, weight: int) -> int:
    return (((injury << 1) | kind) << _WEIGHT_BITS | weight) << _TIE_BITS


_PIECES: dict[int, _Pieces] = {}


def _pieces_for(scorer: Scorer) -> _Pieces:
    found = _PIECES.get(id(scorer))
    if found is None or found.scorer is not scorer:
        found = _PIECES[id(scorer)] = _Pieces(scorer)
    return found
