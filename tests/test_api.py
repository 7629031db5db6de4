"""The Python API: `needlematch.assess` says what `match --json` prints, raises one error type, and loads no terminal code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import needlematch
from needlematch import (
    Assessment,
    CatalogueError,
    NeedlematchError,
    Symptoms,
    SymptomsError,
    assess,
    load_catalogue,
    understand,
)

from .conftest import REPO, cli_env, run_cli

TEXT = "sharp pain on the outside of my knee after 4 km, worse downhill"


def _printed(*args: str, input: str | None = None) -> Any:
    result = run_cli("match", *args, "--json", input=input)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _error(*args: str, input: str | None = None) -> str:
    """What the command line prints after 'needlematch: error: ' (details included)."""
    result = run_cli(*args, input=input)
    assert result.returncode in (1, 2), result.stdout
    return result.stderr.split("needlematch: error: ", 1)[1].rstrip("\n")


def _dumped(result: Assessment) -> Any:
    return result.model_dump(mode="json", by_alias=True)


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert example is not None, "the Python API section has no python example"
    ran = subprocess.run(
        [sys.executable, "-c", example.group(1)],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=tmp_path,  # as a user's own script would: from anywhere
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    # Every "# -> " comment in the example is what the line above it prints.
    expected = re.findall(r"# -> (.*)", example.group(1))
    assert expected and ran.stdout.splitlines() == expected


def test_flags_as_a_dict_give_what_match_json_prints() -> None:
    printed = _printed("--where", "knee", "--part", "outer", "--trigger", "downhill")
    result = assess({"where": ["knee"], "part": ["outer"], "triggers": ["downhill"]})
    assert _dumped(result) == printed


def test_a_description_gives_what_match_json_prints() -> None:
    assert _dumped(assess(TEXT)) == _printed(TEXT)


def test_red_flags_give_what_match_json_prints() -> None:
    printed = _printed("--where", "calf", "--sign", "swelling,redness-warmth", "--when", "at-rest")
    result = assess(
        {"where": ["calf"], "signs": ["swelling", "redness-warmth"], "when": ["at-rest"]}
    )
    assert _dumped(result) == printed
    assert result.triage.red_flags and result.triage.level in ("urgent", "emergency")
    words = "my calf is swollen, red and hot, and it hurts even at rest"
    assert _dumped(assess(words)) == _printed(words)


def test_age_and_sex_give_what_match_json_prints() -> None:
    printed = _printed("--where", "knee", "--part", "front", "--age", "46", "--sex", "female")
    result = assess({"where": ["knee"], "part": ["front"], "age": 46, "sex": "female"})
    assert _dumped(result) == printed
    assert any(
        f.term == "age" for m in result.matches for f in m.evidence.for_ + m.evidence.against
    )


def test_symptoms_give_what_a_batch_line_prints() -> None:
    symptoms = Symptoms(where=["heel"], when=["morning"], absent=["swelling"], text="6/10 pain")
    printed = _printed("--symptoms", "-", input=symptoms.model_dump_json() + "\n")
    assert _dumped(assess(symptoms)) == printed
    understood = understand(TEXT)
    assert _dumped(assess(understood)) == _printed(TEXT)


def test_a_catalogue_object_a_path_and_the_default_agree(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    path = tmp_path / "copy.json"
    path.write_bytes((REPO / "data" / "injuries.json").read_bytes())
    results = [assess(TEXT, catalogue=choice) for choice in (None, catalogue, path, str(path))]
    assert all(_dumped(result) == _dumped(results[0]) for result in results)


@pytest.mark.parametrize(
    "given",
    [
        {"where": ["kne"]},
        {"where": ["knee"], "signs": ["swelling"], "absent": ["swelling"]},
        {"where": ["knee"], "severity": "5"},
        {"where": ["knee"], "colour": "red"},
        {"text": "x" * 20_001},
    ],
)
def test_a_bad_dict_raises_the_message_a_batch_line_gets(given: dict[str, Any]) -> None:
    result = run_cli("match", "--symptoms", "-", "--json", input=json.dumps(given) + "\n")
    assert result.returncode == 1
    line_error = json.loads(result.stdout)["error"]
    with pytest.raises(SymptomsError) as raised:
        assess(given)
    assert str(raised.value) == line_error
    assert f"line 1: {line_error}" in result.stderr


def test_a_bad_description_raises_the_message_match_prints() -> None:
    for words in ("hello there", "x" * 20_001, "knee pain \udcff"):
        with pytest.raises(SymptomsError) as raised:
            assess(words)
        assert str(raised.value) == _error("match", words)
        assert raised.value.exit_code == 2
    with pytest.raises(SymptomsError) as too_long:
        understand("x" * 20_001)
    assert "20,000" in str(too_long.value)


def test_naming_an_injury_points_to_it_as_the_command_does() -> None:
    with pytest.raises(NeedlematchError) as raised:
        assess("I think I have plantar fasciitis")
    assert str(raised.value) == _error("match", "I think I have plantar fasciitis")
    assert "needlematch show plantar-fasciitis" in str(raised.value)


def test_a_bad_catalogue_raises_what_the_command_prints(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1}', encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        assess(TEXT, catalogue=broken)
    assert isinstance(raised.value, NeedlematchError) and raised.value.exit_code == 1
    assert str(raised.value) == _error("match", TEXT, "--catalogue", str(broken))
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "missing.json")


def test_unknown_terms_and_contradictions_are_needlematch_errors() -> None:
    from needlematch.symptoms import ContradictionError, UnknownTermError, normalise_term

    with pytest.raises(NeedlematchError):
        normalise_term("kne", "where")
    assert issubclass(UnknownTermError, SymptomsError)
    assert issubclass(ContradictionError, SymptomsError)


def test_anything_else_is_refused_with_the_same_error_type() -> None:
    with pytest.raises(SymptomsError, match="not int"):
        assess(42)  # type: ignore[arg-type]
    with pytest.raises(NeedlematchError, match="empty path"):
        assess(TEXT, catalogue="")


def test_importing_needlematch_loads_nothing_and_assess_no_terminal_code() -> None:
    probe = (
        "import sys\n"
        "import needlematch\n"
        "bare = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'typer'))\n"
        f"needlematch.assess({TEXT!r})\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'rich', 'questionary', 'prompt_toolkit', 'typer', 'click'})\n"
        "print('BARE=' + ','.join(bare))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["BARE=", "HEAVY="]


def test_the_public_names_are_listed_and_typed() -> None:
    assert set(needlematch.__all__) >= {
        "assess",
        "understand",
        "load_catalogue",
        "Symptoms",
        "Assessment",
        "NeedlematchError",
    }
    for name in needlematch.__all__:
        assert getattr(needlematch, name) is not None
    assert (Path(needlematch.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError):
        needlematch.nothing_here  # type: ignore[attr-defined]  # noqa: B018
