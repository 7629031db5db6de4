"""The batch reader in memory: lines split the same however the bytes arrive, and each case checked alone."""

from __future__ import annotations

import io
import json

import pytest

from needlematch.batch import BadCase, RawCase, raw_cases, symptoms_of
from needlematch.catalogue import Catalogue
from needlematch.engine import assess
from needlematch.known import SINGLE_VALUED
from needlematch.limits import MAX_CASE_BYTES
from needlematch.symptoms import Symptoms
from needlematch.triage import plausible_red_flag_terms
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION, TERMS_BY_ID


def _read_in(data: bytes, chunk: int) -> list[tuple[int, str]]:
    """(line number, where or error) of every case, the input arriving `chunk` bytes at a time."""
    stream = io.BytesIO(data)
    found: list[tuple[int, str]] = []
    for case in raw_cases(lambda size: stream.read(min(size, chunk))):
        try:
            found.append((case.number, ",".join(symptoms_of(case).where)))
        except BadCase as bad:
            found.append((case.number, "error: " + bad.located()))
    return found


INPUT = (
    b"\xef\xbb\xbf"
    + b'{"where": ["knee"]}\r\n'
    + b"\n   \n"
    + b'{"where": ["heel"]}\n'
    + b"[1]\n"
    + b'{"where": ["shin"]}'  # no final newline
)


@pytest.mark.parametrize("chunk", [1, 2, 7, 4096, 1 << 20])
def test_lines_are_the_same_however_the_bytes_arrive(chunk: int) -> None:
    assert _read_in(INPUT, chunk) == [
        (1, "knee"),
        (4, "heel"),
        (
            5,
            "error: a JSON array is read only as the whole input; give one object of symptoms per line",
        ),
        (6, "shin"),
    ]


@pytest.mark.parametrize("chunk", [3, 65536])
def test_a_whole_array_and_a_pretty_object_are_read_whole(chunk: int) -> None:
    array = json.dumps([{"where": ["knee"]}, {"where": ["heel"]}], indent=2).encode()
    assert _read_in(array, chunk) == [(1, "knee"), (2, "heel")]
    pretty = b"\n" + json.dumps({"where": ["calf"]}, indent=2).encode()
    assert _read_in(pretty, chunk) == [(2, "calf")]


@pytest.mark.parametrize("chunk", [1, 2, 4096])
def test_a_bom_before_a_whole_array_is_tolerated_however_it_arrives(chunk: int) -> None:
    assert _read_in(b'\xef\xbb\xbf[{"where": ["knee"]}]', chunk) == [(1, "knee")]


def test_an_over_long_line_is_reported_once_and_the_reader_goes_on() -> None:
    data = b"{" + b" " * (MAX_CASE_BYTES + 10) + b"}\n" + b'{"where": ["knee"]}\n'
    found = _read_in(data, 65536)
    assert found[0][0] == 1 and "longer than 1 MiB" in found[0][1]
    assert found[1:] == [(2, "knee")]


def test_a_case_s_numbers_and_flags_are_strict() -> None:
    for line, field in (
        (b'{"severity": "5"}', "severity"),
        (b'{"severity": 5.5}', "severity"),
        (b'{"both_sides": 1}', "both_sides"),
        (b'{"where": "knee"}', "where"),
    ):
        with pytest.raises(BadCase, match=field):
            symptoms_of(RawCase(1, line))
    assert symptoms_of(RawCase(1, b'{"severity": 5, "both_sides": true}')).severity == 5


def test_a_single_valued_dimension_once_given_is_never_asked_about(catalogue: Catalogue) -> None:
    assert all(not isinstance(getattr(Symptoms(), dimension), list) for dimension in SINGLE_VALUED)
    for where in TERM_IDS_BY_DIMENSION["where"]:
        for signs in ([], ["night-pain", "swelling"], ["swelling"], ["pop"], ["numbness"]):
            for onset in TERM_IDS_BY_DIMENSION["onset"]:
                symptoms = Symptoms(where=[where], onset=onset, signs=signs)
                asked = [term for term, _ in plausible_red_flag_terms(symptoms, catalogue)]
                question = assess(symptoms, catalogue).next_question
                # The screen and the pain score are questions too, but not about a term.
                asked += [question.term] if question and question.term in TERMS_BY_ID else []
                assert not any(TERMS_BY_ID[term].dimension == "onset" for term in asked), (
                    where,
                    signs,
                    onset,
                    asked,
                )
