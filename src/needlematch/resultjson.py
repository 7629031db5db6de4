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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pydantic_core

from needlematch.assessment import Assessment, Finding
from needlematch.printable import json_safe

if TYPE_CHECKING:
    from needlematch.catalogue import Catalogue
    from needlematch.engine import Ranking, Scorer
    from needlematch.symptoms import Symptoms

# The sort key of one finding of one injury, from the most significant bits: the
# injury (catalogue order), the list ("for" or "against") and the weight in
# thousandths (strongest first). Under 2**30, so list.sort compares machine integers.
# Equal keys keep the order the findings are added in: see `write`.
_WEIGHT_BITS = 15
_MOST_INJURIES = 1 << (30 - 1 - _WEIGHT_BITS)
_WEIGHT_OFFSET = 1 << (_WEIGHT_BITS - 1)
FOR, AGAINST = 0, 1

# Each list of findings begins with this marker (its key's weight part is 0, below any
# finding's): it never occurs in JSON text, where a control character is escaped.
_LIST = "\x01"
_AFTER_COMMA = operator.itemgetter(slice(1, None))
_EVIDENCE = ',"evidence":{"for":['
_BETWEEN = '],"against":['
_END = "]}},"


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
    findings += [(term, False) for term in ranking.absent]
    if pieces.count > _MOST_INJURIES:
        return json_safe(_assessment(ranking).to_json())  # more than the sort key holds
    tables: list[_Table] = []
    for finding in findings:
        table = pieces.table(finding)
        if table is None:
            return json_safe(_assessment(ranking).to_json())  # a weight beyond the sort key
        tables.append(table)

    keys: list[int] = list(pieces.list_keys)
    texts: list[str] = list(pieces.list_texts)
    # engine._evidence sorts the case's findings by weight, stably, and reverses the
    # list for "for": among equal weights a later finding comes first in "for" and
    # an earlier one in "against". list.sort is stable too, so adding the "for" parts
    # last finding first and the "against" parts first finding first gives that order.
    for table in reversed(tables):
        keys += table.for_keys
        texts += table.for_texts
    for table in tables:
        keys += table.against_keys
        texts += table.against_texts
    # Sorted by the keys, which list.sort reads one per text, in order: next(keys, text).
    texts.sort(key=functools.partial(next, iter(keys)))
    # ["", for-list of injury 0, against-list of injury 0, for-list of injury 1, ...],
    # each with the comma in front of its first finding taken off.
    lists = list(map(_AFTER_COMMA, "".join(texts).split(_LIST)))

    shown = ranking.shown
    posterior = ranking.posterior
    numbers = pydantic_core.to_json([posterior[injury_id] for injury_id in shown]).decode()
    at = list(map(pieces.index.__getitem__, shown))
    twice = list(map(operator.add, at, at))
    count = len(shown)
    # Every match with a comma after it; the last comma is dropped below.
    matches = "".join(
        itertools.chain.from_iterable(
            zip(
                map(pieces.prefixes.__getitem__, at),
                numbers[1:-1].split(","),
                itertools.repeat(_EVIDENCE, count),
                map(lists.__getitem__, map(operator.add, twice, itertools.repeat(1))),
                itertools.repeat(_BETWEEN, count),
                map(lists.__getitem__, map(operator.add, twice, itertools.repeat(2))),
                itertools.repeat(_END, count),
                strict=True,
            )
        )
    )[:-1]
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
    """One finding (a term present or absent, an age, a sex) for every injury it moves:
    the sort keys and JSON texts (each with a comma in front) of the injuries it counts
    for, and of those it counts against."""

    __slots__ = ("against_keys", "against_texts", "for_keys", "for_texts")

    def __init__(self) -> None:
        self.for_keys: list[int] = []
        self.for_texts: list[str] = []
        self.against_keys: list[int] = []
        self.against_texts: list[str] = []


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
        table = _Table()
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
            text = "," + json_safe(pydantic_core.to_json(found, by_alias=True).decode())
            if weight > 0:
                table.for_keys.append(_key(number, FOR, _WEIGHT_OFFSET - weight))
                table.for_texts.append(text)
            else:
                table.against_keys.append(_key(number, AGAINST, _WEIGHT_OFFSET + weight))
                table.against_texts.append(text)
        return table


def _key(injury: int, kind: int, weight: int) -> int:
    return ((injury << 1) | kind) << _WEIGHT_BITS | weight


_PIECES: dict[int, _Pieces] = {}


def _pieces_for(scorer: Scorer) -> _Pieces:
    found = _PIECES.get(id(scorer))
    if found is None or found.scorer is not scorer:
        while len(_PIECES) >= 4:  # only the latest few catalogues (see engine.scorer_for)
            del _PIECES[next(iter(_PIECES))]
        found = _PIECES[id(scorer)] = _Pieces(scorer)
    return found
