"""The bundled catalogue is complete and valid, and every kind of broken catalogue is rejected with its place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from needlematch.catalogue import (
    Catalogue,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)
from needlematch.vocabulary import TERMS_BY_ID

from .conftest import ALL_CONDITIONS, SEVEN_INJURIES, run_cli

SEVEN = set(SEVEN_INJURIES)
CLINICAL_RED_FLAGS = {
    "dvt",
    "dvt-with-breathlessness",
    "acute-compartment-syndrome",
    "exertional-compartment-syndrome",
    "achilles-rupture",
    "femoral-neck-stress-fracture",
    "ankle-fracture",
    "knee-ligament-tear",
    "hamstring-avulsion",
    "bone-tumour-or-infection",
    "septic-arthritis",
    "cauda-equina",
    "popliteal-artery-entrapment",
    "high-risk-stress-fracture",
}

Writer = Callable[[Callable[[dict[str, Any]], None]], Path]


def test_bundled_catalogue_holds_the_twenty_seven_conditions(catalogue: Catalogue) -> None:
    assert {injury.id for injury in catalogue.injuries} >= set(ALL_CONDITIONS)


def test_every_condition_says_who_treats_it_and_who_gets_it(catalogue: Catalogue) -> None:
    for injury in catalogue.injuries:
        assert injury.who_treats.who and injury.who_treats.when
        assert injury.demographics is not None, injury.id
        assert injury.demographics.sources, injury.id


def test_no_text_points_to_an_article_nobody_can_open(catalogue: Catalogue) -> None:
    for injury in catalogue.injuries:
        for text in (injury.feels_like, injury.why_it_happens, injury.dry_needling.how_it_helps):
            assert "source article" not in text.lower(), injury.id


def test_children_conditions_are_weighed_by_age(catalogue: Catalogue) -> None:
    for condition_id in ("sever-disease", "osgood-schlatter"):
        injury = catalogue.find(condition_id)
        assert injury is not None and injury.demographics is not None
        assert injury.demographics.age["child"] > 1 or injury.demographics.age["adolescent"] > 1
        assert injury.demographics.age["adult"] < 0.1


def test_every_red_flag_of_the_clinical_notes_is_covered(catalogue: Catalogue) -> None:
    assert {flag.id for flag in catalogue.red_flags} >= CLINICAL_RED_FLAGS


def test_every_injury_is_sourced_and_paired(catalogue: Catalogue) -> None:
    for injury in catalogue.injuries:
        assert injury.sources and injury.prior.sources and injury.dry_needling.evidence.sources
        assert {c.kind for c in injury.dry_needling.pair_with} == {
            "strength",
            "mobility",
            "technique",
        }
        dimensions = {TERMS_BY_ID[term].dimension for term in injury.profile}
        assert {"where", "part", "when", "feels", "triggers", "onset", "signs"} <= dimensions


def test_unverified_article_claim_is_not_repeated(raw_catalogue: dict[str, Any]) -> None:
    # The seed article's "2023 JOSPT study" could not be found, so it must not be cited.
    assert "2023 study in the Journal of Orthopaedic" not in json.dumps(raw_catalogue)


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return caught.value.problems


def test_unknown_field_is_named(write_catalogue: Writer) -> None:
    path = write_catalogue(lambda data: data["injuries"][1].update(colour="red"))
    problems = _problems(path)
    assert any("injuries[1] (shin-splints).colour" in p and "unknown field" in p for p in problems)


def test_unknown_term_is_named_with_the_closest(write_catalogue: Writer) -> None:
    path = write_catalogue(lambda data: data["injuries"][0]["profile"].update(kneee="typical"))
    problems = _problems(path)
    assert any("runners-knee" in p and "kneee" in p and "'knee'" in p for p in problems)


def test_duplicate_injury_ids_are_rejected(write_catalogue: Writer) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["injuries"][2]["id"] = data["injuries"][0]["id"]

    problems = _problems(write_catalogue(duplicate))
    assert any("duplicate injury id: runners-knee" in p for p in problems)


def test_probability_out_of_range_is_rejected(write_catalogue: Writer) -> None:
    path = write_catalogue(lambda data: data["injuries"][3]["prior"].update(value=1.7))
    problems = _problems(path)
    assert any("injuries[3]" in p and "prior.value" in p for p in problems)


def test_empty_text_is_rejected(write_catalogue: Writer) -> None:
    path = write_catalogue(lambda data: data["injuries"][4].update(feels_like="   "))
    problems = _problems(path)
    assert any("injuries[4] (plantar-fasciitis).feels_like" in p for p in problems)


def test_every_problem_is_reported_at_once(write_catalogue: Writer) -> None:
    def break_three(data: dict[str, Any]) -> None:
        data["injuries"][0]["feels_like"] = ""
        data["injuries"][1]["profile"]["nee"] = "typical"
        data["red_flags"][0]["level"] = "whenever"

    problems = _problems(write_catalogue(break_three))
    assert len(problems) >= 3
    assert any(p.startswith("red_flags[0]") for p in problems)


def test_broken_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "schema_version": 1,\n  "injuries": [,]\n}\n', encoding="utf-8")
    problems = _problems(path)
    assert problems == [problems[0]] and problems[0].startswith("line 3, column 16")


def test_duplicate_keys_are_rejected() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue('{"schema_version": 1, "schema_version": 1}')
    assert "duplicate key 'schema_version'" in caught.value.problems[0]


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope.json") == ["file not found"]
    assert "folder" in _problems(tmp_path)[0]
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert "UTF-8" in _problems(binary)[0]


def test_cli_rejects_a_bad_catalogue_with_exit_1_and_no_traceback(write_catalogue: Writer) -> None:
    path = write_catalogue(lambda data: data["injuries"][0]["profile"].update(kneee="typical"))
    for args in (
        ["validate", str(path)],
        ["injuries", "--catalogue", str(path)],
        ["match", "--where", "knee", "--catalogue", str(path)],
    ):
        result = run_cli(*args)
        assert result.returncode == 1, args
        assert "kneee" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == "" or args[0] == "validate"


def test_environment_variable_replaces_the_bundled_catalogue(write_catalogue: Writer) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["injuries"][0]["name"] = "Renamed [bold]knee[/] pain"

    path = write_catalogue(rename)
    from .conftest import cli_env

    result = run_cli("injuries", "--json", env=cli_env(NEEDLEMATCH_CATALOGUE=str(path)))
    assert result.returncode == 0
    assert json.loads(result.stdout)[0]["name"] == "Renamed [bold]knee[/] pain"
    # Markup in catalogue text prints as written in the table too.
    table = run_cli("injuries", env=cli_env(NEEDLEMATCH_CATALOGUE=str(path)))
    assert "[bold]knee[/]" in table.stdout


def test_validate_reports_success_and_schema_is_json_schema(tmp_path: Path) -> None:
    ok = run_cli("validate")
    assert ok.returncode == 0 and "valid (27 injuries" in ok.stdout
    schema = json.loads(run_cli("schema").stdout)
    assert schema["type"] == "object" and "injuries" in schema["properties"]
    report = json.loads(run_cli("validate", "--json").stdout)
    assert report["valid"] is True and report["problems"] == []


def test_a_generated_catalogue_of_200_conditions_validates_and_runs(
    write_catalogue: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    def two_hundred(data: dict[str, Any]) -> None:
        base = data["injuries"]
        generated = []
        for n in range(200):
            entry = json.loads(json.dumps(base[n % len(base)]))
            entry["id"] = f"condition-{n}"
            entry["name"] = f"Generated condition {n}"
            entry["short_name"] = f"generated condition {n}"
            entry["aliases"] = [f"gen {n}"]
            generated.append(entry)
        data["injuries"] = generated

    path = write_catalogue(two_hundred)
    checked = run_cli("validate", str(path))
    assert checked.returncode == 0, checked.stderr
    assert "200 injuries" in checked.stdout
    result = run_cli(
        "match", "--catalogue", str(path), "--where", "knee", "--part", "outer", "--json"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["matches"]) == 200
    total = sum(m["probability"] for m in payload["matches"]) + payload["unmatched_probability"]
    assert abs(total - 1.0) < 1e-9


def test_an_implied_finding_is_at_least_as_typical_as_what_implies_it(
    catalogue: Catalogue,
) -> None:
    # Pain that wakes you at night is pain at night: a profile that makes the first
    # typical must not make the second rarer, or adding a typical finding (which
    # brings its implications) could lower the condition.
    from needlematch.vocabulary import IMPLIES

    order = ["typical", "common", "occasional", "rare"]
    profiles = [(i.id, i.profile) for i in catalogue.injuries]
    profiles += [(c.id, c.profile) for c in catalogue.unmatched.conditions]
    for owner, profile in profiles:
        for term, implied_terms in IMPLIES.items():
            if term not in profile:
                continue
            for implied in implied_terms:
                level = profile.get(implied)
                assert level is not None and order.index(level) <= order.index(profile[term]), (
                    owner,
                    term,
                    implied,
                )
