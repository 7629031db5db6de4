"""`needlematch schema --result` and `--history` describe what `match --json` and `history --json` print."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from .conftest import run_cli


def _schema(*flags: str) -> dict[str, Any]:
    result = run_cli("schema", *flags)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


@pytest.fixture(scope="module")
def result_schema() -> dict[str, Any]:
    return _schema("--result")


@pytest.fixture(scope="module")
def history_schema() -> dict[str, Any]:
    return _schema("--history")


def _results(*args: str, input: str | None = None) -> list[Any]:
    printed = run_cli("match", *args, "--json", input=input)
    assert printed.returncode == 0, printed.stderr
    return [json.loads(line) for line in printed.stdout.splitlines()]


CASES = {
    "flags": ("--where", "knee", "--part", "outer", "--trigger", "downhill"),
    "text": ("sharp pain on the outside of my knee after 4 km, worse downhill",),
    "red flags": ("--where", "calf", "--sign", "swelling,redness-warmth", "--when", "at-rest"),
    "age and sex": ("--where", "knee", "--part", "front", "--age", "14", "--sex", "male"),
    "outside the catalogue": ("--where", "knee", "--part", "inner", "--sign", "locking"),
    "top": ("--where", "shin", "--top", "2"),
}


@pytest.mark.parametrize("case", CASES)
def test_every_kind_of_result_is_valid(result_schema: dict[str, Any], case: str) -> None:
    (result,) = _results(*CASES[case])
    jsonschema.validate(result, result_schema, cls=jsonschema.Draft202012Validator)


def test_a_batch_is_valid_line_by_line(result_schema: dict[str, Any]) -> None:
    lines = [
        {"where": ["heel"], "when": ["morning"], "severity": 6},
        {"text": "my calf is swollen, red and hot, even at rest"},
        {"where": ["hip"], "age": 70, "sex": "female", "signs": ["night-pain"]},
        {},
    ]
    results = _results("--symptoms", "-", input="".join(json.dumps(x) + "\n" for x in lines))
    assert len(results) == len(lines)
    validator = jsonschema.Draft202012Validator(result_schema)
    for result in results:
        validator.validate(result)


def test_the_schema_says_what_is_always_there(result_schema: dict[str, Any]) -> None:
    assert set(result_schema["required"]) >= {
        "symptoms",
        "matches",
        "unmatched_probability",
        "triage",
        "next_question",
        "disclaimer",
    }
    (result,) = _results(*CASES["flags"])
    broken = copy.deepcopy(result)
    del broken["triage"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, result_schema)
    broken = copy.deepcopy(result)
    broken["triage"]["level"] = "whenever"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, result_schema)


def test_a_history_line_is_a_result_with_when_and_which_entry(
    result_schema: dict[str, Any], history_schema: dict[str, Any]
) -> None:
    (result,) = _results(*CASES["age and sex"])
    # As history --json writes a line: the result's JSON, then saved_at and entry.
    line = {**result, "saved_at": "2026-11-25T08:30:00+00:00", "entry": 3}
    validator = jsonschema.Draft202012Validator(
        history_schema, format_checker=jsonschema.FormatChecker()
    )
    validator.validate(line)
    for missing in ("saved_at", "entry"):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({k: v for k, v in line.items() if k != missing})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**line, "entry": "3"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, history_schema)  # a plain result is not a history line
    assert history_schema["$defs"] == result_schema["$defs"]


def test_result_and_history_together_is_a_usage_error() -> None:
    both = run_cli("schema", "--result", "--history")
    assert both.returncode == 2 and "not both" in both.stderr
    catalogue = json.loads(run_cli("schema").stdout)
    assert catalogue["title"] == "needlematch injury catalogue"
