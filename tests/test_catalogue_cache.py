"""The bundled catalogue is validated once and read back from its cached copy, which an edit invalidates."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from needlematch import catalogue as catalogue_module
from needlematch import catalogue_cache
from needlematch.catalogue import (
    CATALOGUE_ENV,
    Catalogue,
    CatalogueError,
    bundled_catalogue_path,
    load_catalogue,
)

from .conftest import cli_env, run_cli


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled catalogue standing in for it, with a cache folder of its own."""
    copy = tmp_path / "data" / "injuries.json"
    copy.parent.mkdir()
    shutil.copyfile(bundled_catalogue_path(), copy)
    monkeypatch.setattr(catalogue_module, "bundled_catalogue_path", lambda: copy)
    monkeypatch.setenv(catalogue_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(CATALOGUE_ENV, raising=False)
    return copy


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full validation of a catalogue, by path, from here on."""
    seen: list[str] = []
    validate = catalogue_module.parse_catalogue

    def counted(text: str, path: Path | str = "<catalogue>") -> Catalogue:
        seen.append(str(path))
        return validate(text, path)

    monkeypatch.setattr(catalogue_module, "parse_catalogue", counted)
    return seen


def _same(left: Any, right: Any, where: str = "catalogue") -> None:
    """Equal all the way down: types, values, and which fields were given."""
    assert type(left) is type(right), where
    if isinstance(left, BaseModel):
        assert left.model_fields_set == right.model_fields_set, where
        for name in type(left).model_fields:
            _same(getattr(left, name), getattr(right, name), f"{where}.{name}")
    elif isinstance(left, list):
        assert len(left) == len(right), where
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            _same(a, b, f"{where}[{index}]")
    elif isinstance(left, dict):
        assert list(left) == list(right), where
        for key in left:
            _same(left[key], right[key], f"{where}.{key}")
    else:
        assert left == right, where


def test_validated_once_then_read_back_without_validation(
    bundled: Path, validations: list[str]
) -> None:
    first = load_catalogue()
    assert validations == [str(bundled)]
    assert (catalogue_cache.cache_folder() or Path()).joinpath(catalogue_cache.FILE_NAME).is_file()
    again = load_catalogue()
    assert validations == [str(bundled)], "the cached copy was validated again"
    _same(again, first)


def test_an_edited_catalogue_is_validated_again(bundled: Path, validations: list[str]) -> None:
    load_catalogue()
    data = json.loads(bundled.read_text(encoding="utf-8"))
    data["disclaimer"] = "An edited disclaimer."
    bundled.write_text(json.dumps(data), encoding="utf-8")
    assert load_catalogue().disclaimer == "An edited disclaimer."
    assert len(validations) == 2

    data["injuries"][0]["prior"]["value"] = 1.5  # no longer a valid catalogue
    bundled.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as refused:
        load_catalogue()
    assert any("prior.value" in problem for problem in refused.value.problems)
    assert len(validations) == 3


def test_one_changed_byte_is_a_miss(bundled: Path, validations: list[str]) -> None:
    load_catalogue()
    bundled.write_bytes(bundled.read_bytes() + b"\n")
    load_catalogue()
    assert len(validations) == 2


def test_a_catalogue_given_by_path_or_environment_is_always_validated(
    bundled: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalogue()
    load_catalogue(bundled)
    monkeypatch.setenv(CATALOGUE_ENV, str(bundled))
    load_catalogue()
    assert len(validations) == 3


def test_the_copy_read_back_equals_the_validated_catalogue(bundled: Path) -> None:
    validated = load_catalogue()
    _same(load_catalogue(), validated)
    _same(load_catalogue(), load_catalogue(bundled))


@pytest.mark.parametrize("damage", ["garbage", "other key", "truncated", "empty"])
def test_a_damaged_or_foreign_copy_is_ignored(
    bundled: Path, validations: list[str], damage: str
) -> None:
    load_catalogue()
    cached = (catalogue_cache.cache_folder() or Path()) / catalogue_cache.FILE_NAME
    data = cached.read_bytes()
    cached.write_bytes(
        {
            "garbage": b"\x00garbage",
            "other key": data.replace(data.split(b"\n")[1], b"0" * 64, 1),
            "truncated": data[: len(data) // 2],
            "empty": b"",
        }[damage]
    )
    assert load_catalogue() == load_catalogue(bundled)
    assert str(bundled) in validations[1:]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_copy_others_may_write_is_not_trusted(bundled: Path, validations: list[str]) -> None:
    load_catalogue()
    cached = (catalogue_cache.cache_folder() or Path()) / catalogue_cache.FILE_NAME
    cached.chmod(0o666)
    load_catalogue()
    assert len(validations) == 2
    assert cached.stat().st_mode & 0o777 == 0o600, "the copy was not written again"


def test_an_empty_cache_setting_keeps_no_copy(
    bundled: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(catalogue_cache.CACHE_ENV, "")
    load_catalogue()
    load_catalogue()
    assert len(validations) == 2
    assert not (tmp_path / "cache").exists()


def test_a_folder_that_cannot_be_written_only_costs_time(
    bundled: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(catalogue_cache.CACHE_ENV, str(blocker / "cache"))
    assert load_catalogue() == load_catalogue()
    assert len(validations) == 2


def test_the_command_answers_the_same_from_the_copy(tmp_path: Path) -> None:
    env = cli_env(NEEDLEMATCH_CACHE=str(tmp_path / "cache"))
    args = ("match", "--where", "knee", "--part", "outer", "--json")
    first = run_cli(*args, env=env)
    assert (tmp_path / "cache" / catalogue_cache.FILE_NAME).is_file()
    second = run_cli(*args, env=env)
    uncached = run_cli(*args, env=cli_env(NEEDLEMATCH_CACHE=""))
    assert first.returncode == second.returncode == uncached.returncode == 0
    assert first.stdout == second.stdout == uncached.stdout


def test_the_default_age_bands_made_without_validation_are_valid() -> None:
    from needlematch.catalogue import DEFAULT_AGE_BANDS, AgeBand

    for band in DEFAULT_AGE_BANDS:
        assert AgeBand.model_validate(band.model_dump(), strict=True) == band
