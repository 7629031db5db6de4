"""`injuries`, `show`, `--version` and help, as a user runs them."""

from __future__ import annotations

import json

from .conftest import ALL_CONDITIONS, run_cli


def test_injuries_json_lists_every_condition_id() -> None:
    result = run_cli("injuries", "--json")
    assert result.returncode == 0
    ids = [injury["id"] for injury in json.loads(result.stdout)]
    assert sorted(ids) == sorted(ALL_CONDITIONS)


def test_injuries_are_grouped_by_body_region() -> None:
    result = run_cli("injuries")
    assert result.returncode == 0
    regions = ["Knee", "Hip, groin, buttock and back", "Thigh", "Lower leg", "Ankle and foot"]
    positions = [result.stdout.index(region) for region in regions]
    assert positions == sorted(positions)
    assert result.stdout.index("sever-disease") > result.stdout.index("Ankle and foot")


def test_show_works_for_every_condition() -> None:
    for condition in ALL_CONDITIONS:
        result = run_cli("show", condition, "--json")
        assert result.returncode == 0, condition
        assert json.loads(result.stdout)["id"] == condition


def test_show_by_name_prints_the_full_card() -> None:
    result = run_cli("show", "runner's knee")
    assert result.returncode == 0
    for heading in (
        "What it feels like",
        "Why it happens",
        "How dry needling helps",
        "What the evidence says",
        "Pair it with",
        "Sources",
        "licensed practitioner",
    ):
        assert heading in result.stdout
    assert "http" in result.stdout


def test_show_accepts_id_alias_and_any_case() -> None:
    for query in ("RUNNERS-KNEE", "pfps", "ITBS", "mtss", "Plantar Fasciitis"):
        result = run_cli("show", query, "--json")
        assert result.returncode == 0, query
        assert json.loads(result.stdout)["id"]


def test_show_miss_suggests_the_closest_and_exits_2() -> None:
    result = run_cli("show", "plantar fascitis")
    assert result.returncode == 2
    assert "did you mean" in result.stderr and "Plantar" in result.stderr
    assert result.stdout == ""


def test_version_and_help_work_everywhere() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("needlematch ")
    assert run_cli("-h").returncode == 0
    for command in ("match", "check", "injuries", "show", "validate", "schema"):
        for flag in ("-h", "--help"):
            assert run_cli(command, flag).returncode == 0, (command, flag)
        on_command = run_cli(command, "--version")
        assert on_command.returncode == 0 and on_command.stdout == version.stdout, command


def test_schema_takes_json_too() -> None:
    result = run_cli("schema", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["type"] == "object"
