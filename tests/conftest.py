"""Shared test helpers: run the real CLI in a subprocess, and copies of the bundled catalogue to break."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from needlematch.catalogue import Catalogue, bundled_catalogue_path, load_catalogue

REPO = Path(__file__).resolve().parents[1]

# The validated copy of the bundled catalogue goes to a folder of the tests' own,
# not to the user's cache folder (catalogue_cache.py).
os.environ.setdefault("NEEDLEMATCH_CACHE", tempfile.mkdtemp(prefix="needlematch-cache-"))

# The seven injuries of the seed article, with the ids issue 2 fixes.
SEVEN_INJURIES = (
    "runners-knee",
    "shin-splints",
    "achilles-tendinitis",
    "it-band-syndrome",
    "plantar-fasciitis",
    "stress-fracture",
    "hamstring-injury",
)

# The twenty conditions interface.md adds, with exactly these ids.
TWENTY_CONDITIONS = (
    "patellar-tendinopathy", "meniscus-tear", "knee-osteoarthritis", "osgood-schlatter",
    "greater-trochanteric-pain", "hip-flexor-strain", "adductor-strain",
    "proximal-hamstring-tendinopathy", "hip-labral-tear", "lumbar-radiculopathy",
    "calf-strain", "chronic-exertional-compartment-syndrome",
    "tibialis-posterior-tendinopathy", "peroneal-tendinopathy", "ankle-sprain",
    "mortons-neuroma", "metatarsalgia", "retrocalcaneal-bursitis", "sever-disease",
    "tarsal-tunnel-syndrome",
)  # fmt: skip
ALL_CONDITIONS = SEVEN_INJURIES + TWENTY_CONDITIONS


def cli_env(**extra: str) -> dict[str, str]:
    """An environment without colour or terminal tricks, so output is plain text."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "NEEDLEMATCH_CATALOGUE"}
    }
    env.update(NO_COLOR="1", _TYPER_FORCE_DISABLE_TERMINAL="1", COLUMNS="100", TERM="xterm")
    env.update(extra)
    return env


def run_cli(
    *args: str, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m needlematch ARGS` as a user would run it; stdout and stderr kept apart."""
    return subprocess.run(
        [sys.executable, "-m", "needlematch", *args],
        input=input,
        capture_output=True,
        text=True,
        env=env or cli_env(),
        cwd=cwd or REPO,
        timeout=60,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


@pytest.fixture(autouse=True, scope="session")
def _history_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads or writes the real history: NEEDLEMATCH_HOME is an empty folder of the session's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEEDLEMATCH_HOME", str(tmp_path_factory.mktemp("home") / "needlematch"))
        yield


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(bundled_catalogue_path())


@pytest.fixture(scope="session")
def raw_catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture
def write_catalogue(
    tmp_path: Path, raw_catalogue: dict[str, Any]
) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Write a copy of the bundled catalogue after `change` has edited it; returns its path."""

    def write(change: Callable[[dict[str, Any]], None]) -> Path:
        data = copy.deepcopy(raw_catalogue)
        change(data)
        path = tmp_path / "catalogue.json"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path

    return write
