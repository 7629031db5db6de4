"""Fuzzing (seeded, so every run is the same): batch lines, free text and catalogue mutations never crash needlematch.

Each suite asserts what issue 12 asks of any input: no internal error or
traceback, one output line per input line, every good line answered, and the
probabilities of every result summing to 1.
"""

from __future__ import annotations

import copy
import io
import json
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlematch import render
from needlematch.assessment import Assessment
from needlematch.catalogue import Catalogue, CatalogueError, bundled_catalogue_path, parse_catalogue
from needlematch.engine import assess
from needlematch.parse import understand
from needlematch.report import markdown_report
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION, TERMS

from .conftest import REPO, cli_env

SEED = 20261201
COMMAND = [sys.executable, "-m", "needlematch"]
VIGNETTES = REPO / "tests" / "vignettes"
WORDS = [
    word
    for path in sorted(VIGNETTES.glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
    for word in (case.get("text") or "").split()
]
ODD_TEXT = ["\x1b[31m", "\u202e", "\u2028", "\x85", "[bold]", "7/10", "🦵", "\t", "\\", '"', "\x00"]
# Bytes that break JSON, UTF-8 or both when dropped into a line.
JUNK = [b"{", b"}", b"[", b"]", b'"', b"\\", b",", b":", b"\xff", b"\xc3", b"\xed\xa0\x80",
        b"\\ud800", b"\\u0000", b"\x00", b"\r", b"9" * 60, b"NaN", b"-", b"1e999", b"\xef\xbb\xbf",
        b'"severity": "5"', b'"where": [', b"[" * 50, b"null", b"true"]  # fmt: skip


def _assert_sums_to_one(result: dict[str, Any] | Assessment) -> None:
    if isinstance(result, Assessment):
        probabilities = [m.probability for m in result.matches] + [result.unmatched_probability]
    else:
        probabilities = [m["probability"] for m in result["matches"]]
        probabilities.append(result["unmatched_probability"])
    assert all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in probabilities)
    assert math.isclose(sum(probabilities), 1.0, abs_tol=1e-9)


def _assert_no_crash(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]


# ---------------------------------------------------------------- batch lines, through the command


def _good_case(pick: random.Random) -> dict[str, Any]:
    """A case that must be answered: terms only, or a description only."""
    if pick.random() < 0.3:
        words = pick.sample(WORDS, pick.randint(1, 40)) + pick.sample(ODD_TEXT, pick.randint(0, 3))
        pick.shuffle(words)
        return {"text": " ".join(words)}
    case: dict[str, Any] = {"where": [pick.choice(TERM_IDS_BY_DIMENSION["where"])]}
    taken = set(case["where"])
    for field, dimension in (("part", "part"), ("when", "when"), ("feels", "feels"),
                             ("triggers", "triggers"), ("signs", "signs")):  # fmt: skip
        terms = pick.sample(TERM_IDS_BY_DIMENSION[dimension], pick.randint(0, 2))
        case[field] = terms
        taken.update(terms)
    if pick.random() < 0.5:
        case["onset"] = pick.choice(TERM_IDS_BY_DIMENSION["onset"])
        taken.add(case["onset"])
    unused = [term.id for term in TERMS if term.id not in taken and term.dimension != "sides"]
    case["absent"] = pick.sample(unused, pick.randint(0, 3))
    if pick.random() < 0.5:
        case["severity"] = pick.randint(0, 10)
    case["both_sides"] = pick.random() < 0.2
    return case


def _mutated(line: bytes, pick: random.Random) -> bytes:
    data = bytearray(line)
    for _ in range(pick.randint(1, 3)):
        where = pick.randint(0, len(data))
        choice = pick.random()
        if choice < 0.4:
            data[where:where] = pick.choice(JUNK)
        elif choice < 0.6 and data:
            del data[where : where + pick.randint(1, 4)]
        elif choice < 0.8 and data:
            data[min(where, len(data) - 1)] = pick.randint(1, 255)
        else:
            del data[where:]
    return bytes(data).replace(b"\n", b" ")


def _junk_line(pick: random.Random) -> bytes:
    kind = pick.randint(0, 5)
    if kind == 0:
        return pick.choice([b"[", b"{", b'"']) * pick.randint(1, 20_000)
    if kind == 1:
        return json.dumps(pick.choice([[1, 2, 3], 5, "text", None, True, [], {"x": 1}])).encode()
    if kind == 2:
        return bytes(pick.randint(1, 255) for _ in range(pick.randint(1, 200))).replace(b"\n", b"")
    if kind == 3:
        return b'{"severity": ' + b"7" * pick.randint(20, 6000) + b"}"
    if kind == 4:
        return json.dumps({"text": "knee " * pick.randint(3000, 5000)}).encode()
    return b'{"where": ["knee"], "where": ["heel"]}'


def test_fuzzed_batch_lines_through_the_command() -> None:
    pick = random.Random(SEED)
    lines: list[bytes] = []
    good: set[int] = set()
    for number in range(1, 401):
        roll = pick.random()
        if number == 1 or roll < 0.45:  # line 1 is good, so the input reads as JSON Lines
            lines.append(json.dumps(_good_case(pick), ensure_ascii=pick.random() < 0.5).encode())
            good.add(number)
        elif roll < 0.85:
            lines.append(_mutated(json.dumps(_good_case(pick)).encode(), pick))
        elif roll < 0.95:
            lines.append(_junk_line(pick))
        else:
            lines.append(b"")
    result = subprocess.run(
        [*COMMAND, "match", "--symptoms", "-", "--json"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        env=cli_env(),
        cwd=REPO,
        timeout=300,
    )
    _assert_no_crash(result.stderr.decode("utf-8", "replace"))
    assert result.returncode in (0, 1)
    expected = [number for number, line in enumerate(lines, start=1) if line.strip()]
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(expected)  # one output line per non-blank input line
    for number, record in zip(expected, out, strict=True):
        if "error" in record:
            assert number not in good, (number, record["error"], lines[number - 1][:200])
            assert record["line"] == number and isinstance(record["error"], str)
        else:
            _assert_sums_to_one(record)
    assert result.returncode == (1 if any("error" in record for record in out) else 0)


# ---------------------------------------------------------------- free text, in the library

description = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS + ODD_TEXT), max_size=80).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(lambda w: " ".join(w) * 200),
)
CATALOGUE = parse_catalogue(bundled_catalogue_path().read_text(encoding="utf-8"))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description)
def test_any_description_is_read_assessed_and_drawn(text: str) -> None:
    symptoms = understand(text).symptoms
    result = assess(symptoms, CATALOGUE)
    _assert_sums_to_one(result)
    screen = io.StringIO()
    out = render.console(no_color=True, file=screen)
    out.print(render.understood_line(result))
    out.print(render.ranking_table(result))
    assert "\x1b" not in screen.getvalue() and "\u202e" not in screen.getvalue()
    assert json.loads(result.to_json())["symptoms"]["text"] == text


# ---------------------------------------------------------------- catalogue mutations

RAW: dict[str, Any] = json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))
ODD_NUMBERS: list[Any] = [0, -1, 1, 2, 10, 0.5, 1e-7, 1e-6, 5e-324, 1e308, 10**40, 0.999999999]
ODD_STRINGS: list[Any] = ["", " ", "0.5", "5", "\x1b[2J", "\u202e", "none-of-these", "knee",
                          "typical", "rare", "urgent", "a" * 5000]  # fmt: skip
ODD_VALUES: list[Any] = [*ODD_NUMBERS, *ODD_STRINGS, True, None, [], [""], {}, {"x": 1}, ["knee"],
                         ["swelling", "knee"]]  # fmt: skip
PROBES = [
    Symptoms(where=["knee"], part=["outer"], feels=["burning"], triggers=["downhill"]),
    Symptoms(where=["calf"], signs=["swelling", "redness-warmth"], severity=7),
    Symptoms(where=["shin"], onset="sudden", signs=["night-pain", "swelling"]),
    Symptoms(where=["heel"], part=["under"], when=["morning"], absent=["swelling"]),
    Symptoms(where=["thigh-back"], feels=["pulling"], onset="sudden", both_sides=True),
    Symptoms(absent=["swelling"], severity=0),
]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


PATHS = _paths(RAW)[1:]


def _mutate(pick: random.Random) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    for _ in range(pick.randint(1, 3)):
        path = pick.choice(PATHS)
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            roll = pick.random()
            kind = type(parent[last])
            if roll < 0.35 and kind in (int, float, str):
                # The same kind of value, so more mutations get past validation to the engine.
                parent[last] = pick.choice(ODD_STRINGS if kind is str else ODD_NUMBERS)
            elif roll < 0.55:
                parent[last] = pick.choice(ODD_VALUES)
            elif roll < 0.7 and isinstance(parent, dict):
                del parent[last]
            elif roll < 0.85 and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[last]))  # a repeat: same id, same names
            else:
                other = pick.choice(PATHS)
                source: Any = RAW
                for step in other:
                    source = source[step]
                parent[last] = copy.deepcopy(source)  # a value from elsewhere in the file
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    return data


def _exercise(catalogue: Catalogue) -> None:
    """Everything `match`, `injuries` and `show` do with a catalogue, in memory."""
    screen = io.StringIO()
    out = render.console(no_color=True, file=screen)
    for probe in PROBES:
        result = assess(probe, catalogue)
        _assert_sums_to_one(result)
        json.loads(result.to_json())
        markdown_report(result, catalogue)
        out.print(render.red_flag_panel(result) or "")
        out.print(render.ranking_table(result))
        out.print(render.what_helps_panel(result) or "")
        out.print(render.next_question_line(result) or "")
    for injury in catalogue.injuries:
        assert catalogue.find(injury.id) is injury
        assert catalogue.find(injury.short_name) is injury
    assert "\x1b" not in screen.getvalue()


def test_fuzzed_catalogues_are_refused_with_reasons_or_work_everywhere(tmp_path: Path) -> None:
    pick = random.Random(SEED)
    accepted: list[dict[str, Any]] = []
    for _ in range(150):
        data = _mutate(pick)
        try:
            catalogue = parse_catalogue(json.dumps(data))
        except CatalogueError as refused:
            assert refused.problems and all(isinstance(p, str) and p for p in refused.problems)
            continue
        _exercise(catalogue)
        accepted.append(data)
    assert accepted, "no mutation was accepted: the fuzzing tests nothing past validation"
    # What validate accepts, the command runs: a few accepted catalogues end to end.
    batch = b"\n".join(json.dumps(p.model_dump(exclude={"text"})).encode() for p in PROBES)
    for number, data in enumerate(accepted[:4]):
        path = tmp_path / f"mutated{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        checked = subprocess.run(
            [*COMMAND, "validate", str(path)], capture_output=True, text=True, env=cli_env(),
            cwd=REPO, timeout=120,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
        used = subprocess.run(
            [*COMMAND, "match", "--symptoms", "-", "--json", "--catalogue", str(path)],
            input=batch, capture_output=True, env=cli_env(), cwd=REPO, timeout=120,
        )  # fmt: skip
        _assert_no_crash(used.stderr.decode("utf-8", "replace"))
        assert used.returncode == 0
        out = [json.loads(line) for line in used.stdout.splitlines()]
        assert len(out) == len(PROBES)
        for record in out:
            _assert_sums_to_one(record)


@pytest.mark.parametrize("field", ["prior", "share", "likelihood"])
def test_the_smallest_probabilities_the_catalogue_allows_still_sum_to_one(field: str) -> None:
    data = copy.deepcopy(RAW)
    if field == "prior":
        for injury in data["injuries"]:
            injury["prior"]["value"] = 1e-6
    elif field == "share" and data["unmatched"]["conditions"]:
        data["unmatched"]["conditions"][0]["share"] = 1e-6
    else:
        data["likelihoods"]["unlisted"] = 1e-6
        data["region_likelihoods"] = data["likelihoods"]
    _exercise(parse_catalogue(json.dumps(data)))
