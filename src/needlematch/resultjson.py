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
import sys
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pydantic_core

from needlematch.assessment import Assessment, Finding, NextQuestion, Triage
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

# What the JSON holds around a shown injury's two lists of findings.
_EVIDENCE = ',"evidence":{"for":['
_BETWEEN = '],"against":['
_END = "]}}"

# Where each list stands once sorted is counted, not searched for: each table holds
# how many findings it adds to every list, one 16-bit field per list in one integer,
# so a case adds its tables' integers, and one multiplication by a field of ones in
# each place sums every field below each place (the lists' starts). A count never
# carries into the next field while a case sorts fewer than 2**16 texts.
_FIELD_BITS = 16
_MOST_SORTED = 1 << _FIELD_BITS

_FOR_KEYS = operator.attrgetter("for_keys")
_FOR_TEXTS = operator.attrgetter("for_texts")
_AGAINST_KEYS = operator.attrgetter("against_keys")
_AGAINST_TEXTS = operator.attrgetter("against_texts")
_COUNTS = operator.attrgetter("counts")

# The Assessment's fields after `matches`, as `write` puts them together; were the
# model to change, `write` dumps the model instead (see `_Pieces.fits`).
_TAIL_FIELDS = (
    "unmatched_probability",
    "closest_outside",
    "triage",
    "what_helps",
    "next_question",
    "course",
    "pain_monitoring",
    "disclaimer",
)


def assessment_json(symptoms: Symptoms, catalogue: Catalogue, *, top: int | None = None) -> str:
    """The JSON line `match --json` prints for these symptoms (without its newline)."""
    from needlematch.engine import rank

    return write(rank(symptoms, catalogue, top=top))


def write(ranking: Ranking) -> str:
    """`json_safe(assessment_of(ranking).to_json())`, made from prewritten pieces."""
    pieces = _pieces_for(ranking.scorer)
    symptoms = ranking.symptoms
    present, absent = ranking.present, ranking.absent
    count = pieces.count
    if not pieces.fits or count > _MOST_INJURIES:
        return json_safe(_assessment(ranking).to_json())  # more than the sort key holds
    tables = pieces.tables(present, absent, symptoms.age, symptoms.sex)
    if tables is None or count * (len(tables) + 2) >= _MOST_SORTED:
        return json_safe(_assessment(ranking).to_json())  # a weight beyond the sort key

    # engine._evidence sorts the case's findings by weight, stably, and reverses the
    # list for "for": among equal weights a later finding comes first in "for" and
    # an earlier one in "against". list.sort is stable too, so adding the "for" parts
    # last finding first and the "against" parts first finding first gives that order.
    backwards = tables[::-1]
    keys = [
        *itertools.chain.from_iterable(map(_FOR_KEYS, backwards)),
        *itertools.chain.from_iterable(map(_AGAINST_KEYS, tables)),
    ]
    texts = [
        *itertools.chain.from_iterable(map(_FOR_TEXTS, backwards)),
        *itertools.chain.from_iterable(map(_AGAINST_TEXTS, tables)),
    ]
    # Sorted by the keys, which list.sort reads one per text, in order: next(keys, text).
    texts.sort(key=functools.partial(next, iter(keys)))
    # Where each list starts once sorted, and where the last one ends.
    counts = sum(map(_COUNTS, tables)) << _FIELD_BITS
    starts = list(
        memoryview(
            ((counts * pieces.ones) & pieces.mask).to_bytes(pieces.width, sys.byteorder)
        ).cast("H")
    )

    shown = ranking.shown
    at = list(map(pieces.index.__getitem__, shown))
    twice = list(map(operator.add, at, at))
    middles = list(map(starts.__getitem__, map(operator.add, twice, itertools.repeat(1))))
    # Each shown injury's two lists of findings, each joined with commas.
    fors = map(
        ",".join,
        map(texts.__getitem__, map(slice, map(starts.__getitem__, twice), middles)),
    )
    againsts = map(
        ",".join,
        map(
            texts.__getitem__,
            map(
                slice,
                middles,
                map(starts.__getitem__, map(operator.add, twice, itertools.repeat(2))),
            ),
        ),
    )
    closest = ranking.closest_outside
    numbers = [ranking.posterior[injury_id] for injury_id in shown]
    numbers.append(ranking.unmatched)
    if closest is not None:
        numbers.append(closest.probability)
    # The model's own number formatting, one call for every number of the case.
    written = pydantic_core.to_json(numbers).decode()[1:-1].split(",")
    outside = "null"
    if closest is not None:
        outside = f'{{"name":{pieces.string(closest.name)},"probability":{written[-1]}}}'
    question = ranking.question
    parts = [
        '{"symptoms":',
        json_safe(pydantic_core.to_json(symptoms, by_alias=True).decode()),
        ',"matches":[',
        *itertools.chain.from_iterable(
            zip(
                itertools.chain(("",), itertools.repeat(",")),
                map(pieces.prefixes.__getitem__, at),
                written,
                itertools.repeat(_EVIDENCE),
                fors,
                itertools.repeat(_BETWEEN),
                againsts,
                itertools.repeat(_END, len(shown)),
                strict=False,  # up to the last shown injury: `written` goes on past it
            )
        ),
        '],"unmatched_probability":',
        written[len(shown)],
        ',"closest_outside":',
        outside,
        ',"triage":',
        pieces.triage(ranking.triage),
        ',"what_helps":',
        "null" if ranking.leading is None else pieces.what_helps[ranking.leading],
        ',"next_question":',
        "null" if question is None else pieces.question(question),
        ',"course":null,"pain_monitoring":null,"disclaimer":',
        pieces.string(ranking.catalogue.disclaimer),
        "}",
    ]
    return "".join(parts)


def _assessment(ranking: Ranking) -> Assessment:
    from needlematch.engine import assessment_of

    return assessment_of(ranking)


class _Table:
    """One finding (a term present or absent, an age, a sex) for every injury it moves:
    the sort keys and JSON texts of the injuries it counts
    for, and of those it counts against, and how many it adds to each list."""

    __slots__ = ("against_keys", "against_texts", "counts", "for_keys", "for_texts")

    def __init__(self) -> None:
        self.for_keys: list[int] = []
        self.for_texts: list[str] = []
        self.against_keys: list[int] = []
        self.against_texts: list[str] = []
        self.counts = 0  # how many texts it adds to each list, a field per list (see write)


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
        lists = 2 * count
        self.ones = sum(1 << (_FIELD_BITS * place) for place in range(lists + 1))
        self.mask = (1 << (_FIELD_BITS * (lists + 1))) - 1
        self.width = (_FIELD_BITS // 8) * (lists + 1)
        fields = list(Assessment.model_fields.items())
        self.fits = [(name, field.alias or name) for name, field in fields] == [
            ("symptoms", "symptoms"),
            ("matches", "matches"),
            *((name, name) for name in _TAIL_FIELDS),
        ]
        self.what_helps = {
            injury_id: _dumped(helps) for injury_id, helps in scorer.what_helps.items()
        }
        self._tables: dict[tuple[Any, ...], _Table | None] = {}
        self._present: dict[str, _Table | None] = {}
        self._absent: dict[str, _Table | None] = {}
        self._strings: dict[str, str] = {}
        self._triages: dict[tuple[str, str], str] = {}
        # Questions by identity (engine keeps the questions it made): each kept with its text.
        self._questions: dict[int, tuple[NextQuestion, str]] = {}

    def tables(
        self, present: list[str], absent: list[str], age: int | None, sex: str | None
    ) -> list[_Table] | None:
        """The tables of a case's findings in the order engine._evidence takes them (age,
        sex, present, absent); None when a weight does not fit the sort key."""
        try:
            found = [
                *map(self._present.__getitem__, present),
                *map(self._absent.__getitem__, absent),
            ]
        except KeyError:  # a finding not met before: its table made once
            for term in present:
                if term not in self._present:
                    self._present[term] = self.table((term, True))
            for term in absent:
                if term not in self._absent:
                    self._absent[term] = self.table((term, False))
            return self.tables(present, absent, age, sex)
        if age is not None or sex is not None:
            person = []
            if age is not None:
                person.append(self.table(("age", age)))
            if sex is not None:
                person.append(self.table(("sex", sex)))
            found[:0] = person
        if None in found:
            return None
        return typing.cast("list[_Table]", found)

    def string(self, text: str) -> str:
        """A string as JSON (the disclaimer, a name), written once."""
        found = self._strings.get(text)
        if found is None:
            if len(self._strings) >= _MOST_KEPT:
                self._strings.clear()
            found = self._strings[text] = _dumped(text)
        return found

    def triage(self, triage: Triage) -> str:
        """A triage as JSON; one without red flags (nearly all) written once per level and advice."""
        if triage.red_flags:
            return _dumped(triage)
        key = (triage.level, triage.advice)
        found = self._triages.get(key)
        if found is None:
            if len(self._triages) >= _MOST_KEPT:
                self._triages.clear()
            found = self._triages[key] = _dumped(triage)
        return found

    def question(self, question: NextQuestion) -> str:
        """A next question as JSON, written once for each question object."""
        found = self._questions.get(id(question))
        if found is not None and found[0] is question:
            return found[1]
        if len(self._questions) >= _MOST_KEPT:
            self._questions.clear()
        text = _dumped(question)
        self._questions[id(question)] = (question, text)
        return text

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
            text = json_safe(pydantic_core.to_json(found, by_alias=True).decode())
            if weight > 0:
                table.for_keys.append(_key(number, FOR, _WEIGHT_OFFSET - weight))
                table.for_texts.append(text)
                table.counts += 1 << (_FIELD_BITS * (2 * number + FOR))
            else:
                table.against_keys.append(_key(number, AGAINST, _WEIGHT_OFFSET + weight))
                table.against_texts.append(text)
                table.counts += 1 << (_FIELD_BITS * (2 * number + AGAINST))
        return table


# How many strings, triages and questions a catalogue's pieces keep written at most.
_MOST_KEPT = 4096


def _dumped(value: Any) -> str:
    """A value as the model dumps it, made safe for line-based readers."""
    return json_safe(pydantic_core.to_json(value, by_alias=True).decode())


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
