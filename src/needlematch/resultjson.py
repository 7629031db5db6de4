"""The result as `--json` prints it, written from pieces made once per catalogue: the same text as the Assessment model dumped, without building the model.

A result holds every injury, each with its findings for and against: about 30 KB
of JSON for the 27 conditions, nearly all of it the same sentences case after
case. Each finding of each injury is written once, the first time it is needed,
by pydantic itself (so numbers and escapes are exactly the model's), and made
safe for line-based readers (printable.json_safe) at the same time. A case then
only orders and joins them: one sort of plain float keys, each naming one text,
puts every injury's findings in the order `engine._evidence` gives them,
strongest first, ties in the same order. The rest of the result (symptoms, triage, advice, the next
question) is dumped by pydantic as it is. tests/test_resultjson.py checks the
text against `json_safe(assessment.to_json())` case by case.
"""

from __future__ import annotations

import itertools
import operator
import sys
import typing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pydantic_core
from pydantic_core import core_schema

from needlematch.assessment import Assessment, Finding, NextQuestion, Triage
from needlematch.printable import json_safe
from needlematch.symptoms import Symptoms

if TYPE_CHECKING:
    from needlematch.catalogue import Catalogue
    from needlematch.engine import Ranking, Scorer

# The sort key of one finding of one injury in one case, from the most significant
# bits: the injury (catalogue order), the list ("for" or "against"), the weight in
# thousandths (strongest first), where the finding stands among the case's findings
# (how engine._evidence orders equal weights: see `_Table.keys_at`), and the
# finding's own number, so that every key names one text (`_Pieces.texts`).
_WEIGHT_BITS = 16
_WEIGHT_OFFSET = 1 << (_WEIGHT_BITS - 1)
_PLACE_BITS = 7
_MOST_PLACES = 1 << _PLACE_BITS  # findings in one case, at most
_SERIAL_BITS = 12
_MOST_TABLES = 1 << _SERIAL_BITS  # findings met (tables made) before the pieces start again
# The lowest bits repeat the injury's: a dict of the keys (`_Pieces.texts`) then finds
# a finding's keys in different slots, not all in one (ints and floats hash to themselves).
_SPREAD_BITS = 5
FOR, AGAINST = 0, 1
# Keys made for every place of every finding met, at most, before they are made again.
_MOST_KEYS = 1 << 18
# Keys are floats, which sort as fast as small ints and hold 53 bits exactly: beyond
# this many injuries the result is written by the model (see `write`).
_MOST_INJURIES = 1 << (53 - 1 - _WEIGHT_BITS - _PLACE_BITS - _SERIAL_BITS - _SPREAD_BITS)

# How many findings each list gets is counted, not searched for: each table holds
# how many it adds to every list, one 16-bit field per list in one integer, so a
# case adds its tables' integers and reads the fields as an array. A count never
# carries into the next field: a case has at most _MOST_PLACES findings.
_FIELD_BITS = 16

# What the JSON holds around a shown injury's two lists of findings.
_EVIDENCE = ',"evidence":{"for":['
_BETWEEN = '],"against":['
_END = "]}}"

_KEYS_AT = operator.attrgetter("keys_at")
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
    if not pieces.fits or pieces.count > _MOST_INJURIES:
        return json_safe(_assessment(ranking).to_json())
    tables = pieces.tables(present, absent, symptoms.age, symptoms.sex)
    if tables is None or len(tables) > _MOST_PLACES:
        return json_safe(_assessment(ranking).to_json())  # beyond what the sort key holds

    # Every finding of every injury, each key made for where its finding stands in
    # this case, sorted: each injury's "for" list, then its "against" list, in the
    # order engine._evidence gives them, injury after injury in catalogue order.
    keys = [
        *itertools.chain.from_iterable(
            map(operator.getitem, map(_KEYS_AT, tables), range(len(tables)))
        ),
    ]
    keys.sort()
    texts = pieces.texts_of(keys)
    # Every list joined with commas, in catalogue order ("for", "against", next injury):
    # where each starts and ends among the sorted texts is counted, not searched for
    # (see _FIELD_BITS).
    counts = sum(map(_COUNTS, tables)).to_bytes(pieces.width, "little")
    bounds = [*itertools.accumulate(memoryview(counts).cast("H"), initial=0)]
    lists = list(map(",".join, map(texts.__getitem__, map(slice, bounds, bounds[1:]))))

    shown = ranking.shown
    at = ranking.shown_at  # each shown injury's place in catalogue order
    firsts = list(map(operator.add, at, at))  # where each shown injury's "for" list is
    fors = map(lists.__getitem__, firsts)
    againsts = map(lists.__getitem__, map(operator.add, firsts, itertools.repeat(1)))
    closest = ranking.closest_outside
    # An injury's probability is its component's weight (engine.Scorer.grouped).
    numbers = list(map(ranking.weights.__getitem__, at))
    numbers.append(ranking.unmatched)
    if closest is not None:
        numbers.append(closest.probability)
    # The model's own number formatting, one call for every number of the case.
    written = pieces.numbers(numbers).decode()[1:-1].split(",")
    outside = "null"
    if closest is not None:
        outside = f'{{"name":{pieces.string(closest.name)},"probability":{written[-1]}}}'
    question = ranking.question
    # Each shown injury as six pieces: what comes before its probability (the end of
    # the injury before it, then its id and names), the probability, and its lists.
    heads: Iterator[str] = map(pieces.heads.__getitem__, at)
    if shown:
        heads = itertools.chain((pieces.prefixes[at[0]],), itertools.islice(heads, 1, None))
    parts = [
        '{"symptoms":',
        json_safe(pieces.symptoms(symptoms, by_alias=True).decode()),
        ',"matches":[',
        *itertools.chain.from_iterable(
            zip(
                heads,
                written,
                itertools.repeat(_EVIDENCE),
                fors,
                itertools.repeat(_BETWEEN),
                againsts,
                strict=False,  # up to the last shown injury: `written` goes on past it
            )
        ),
        _END if shown else "",
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
    its sort keys and JSON texts, and how many texts it adds to each list."""

    __slots__ = ("counts", "keys_at")

    def __init__(self, pieces: _Pieces, serial: int) -> None:
        self.counts = 0  # how many texts it adds to each list, a field per list (see write)
        self.keys_at = _KeysAt(pieces, serial)


class _KeysAt(dict[int, list[float]]):
    """A finding's sort keys by where it stands among a case's findings, made when first met.

    engine._evidence sorts a case's findings by weight, stably, and reverses the list
    for "for": among equal weights a later finding comes first in "for" and an earlier
    one in "against". The place in the key says just that, and the serial (the
    finding's own number) makes each key name one text.
    """

    __slots__ = ("moved", "pieces", "serial")

    def __init__(self, pieces: _Pieces, serial: int) -> None:
        super().__init__()
        self.pieces = pieces
        self.serial = serial
        # (injury, list, weight field, text) for every injury the finding moves.
        self.moved: list[tuple[int, int, int, str]] = []

    def __missing__(self, place: int) -> list[float]:
        texts = self.pieces.texts
        keys = self[place] = []
        for injury, kind, weight, text in self.moved:
            order = place if kind == AGAINST else _MOST_PLACES - 1 - place
            key = float(
                (
                    (
                        (((injury << 1 | kind) << _WEIGHT_BITS | weight) << _PLACE_BITS | order)
                        << _SERIAL_BITS
                        | self.serial
                    )
                    << _SPREAD_BITS
                )
                | injury & (1 << _SPREAD_BITS) - 1
            )
            texts[key] = text
            keys.append(key)
        return keys


class _Pieces:
    """The prewritten JSON of one compiled catalogue."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        ids = list(scorer.injuries)
        self.count = count = len(ids)
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
        # The same after another injury: its end, a comma, then the injury's own.
        self.heads = [_END + "," + prefix for prefix in self.prefixes]
        # Numbers and symptoms written by the serializers the model's fields use.
        self.numbers = pydantic_core.SchemaSerializer(
            core_schema.list_schema(core_schema.float_schema())
        ).to_json
        self.symptoms = Symptoms.__pydantic_serializer__.to_json
        self.width = (_FIELD_BITS // 8) * 2 * count  # bytes: a field per list (see write)
        fields = list(Assessment.model_fields.items())
        self.fits = sys.byteorder == "little" and [
            (name, field.alias or name) for name, field in fields
        ] == [
            ("symptoms", "symptoms"),
            ("matches", "matches"),
            *((name, name) for name in _TAIL_FIELDS),
        ]
        # The text of every sort key made (see _KeysAt).
        self.texts: dict[float, str] = {}
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
        if (
            len(self._tables) + len(present) + len(absent) + 2 > _MOST_TABLES
            or len(self.texts) > _MOST_KEYS
        ):
            self._start_again()
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

    def _start_again(self) -> None:
        """Forget every table and key, so that serials and keys stay within their bounds."""
        self._tables.clear()
        self._present.clear()
        self._absent.clear()
        self.texts.clear()

    def texts_of(self, keys: list[float]) -> tuple[str, ...]:
        """The texts of these sort keys, in order."""
        if len(keys) < 2:  # itemgetter of one key gives the text itself, not a tuple
            return tuple(map(self.texts.__getitem__, keys))
        found: tuple[str, ...] = operator.itemgetter(*keys)(self.texts)
        return found

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
        table = _Table(self, len(self._tables))
        moved = table.keys_at.moved
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
            kind = FOR if weight > 0 else AGAINST
            # Strongest first: the largest weight in "for", the most negative in "against".
            moved.append(
                (number, kind, _WEIGHT_OFFSET + (-weight if kind == FOR else weight), text)
            )
            table.counts += 1 << (_FIELD_BITS * (2 * number + kind))
        return table


# How many strings, triages and questions a catalogue's pieces keep written at most.
_MOST_KEPT = 4096


def _dumped(value: Any) -> str:
    """A value as the model dumps it, made safe for line-based readers."""
    return json_safe(pydantic_core.to_json(value, by_alias=True).decode())


_PIECES: dict[int, _Pieces] = {}


def _pieces_for(scorer: Scorer) -> _Pieces:
    found = _PIECES.get(id(scorer))
    if found is None or found.scorer is not scorer:
        while len(_PIECES) >= 4:  # only the latest few catalogues (see engine.scorer_for)
            del _PIECES[next(iter(_PIECES))]
        found = _PIECES[id(scorer)] = _Pieces(scorer)
    return found
