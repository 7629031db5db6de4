"""The vignette suite through the public interface: every red flag is caught, and top-3 holds a floor.

The figures themselves are printed by benchmarks/accuracy.py; these are the
lines that must not be crossed, for the flags and for the free-text form.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import REPO

TOP3_FLOOR = 0.95


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accuracy", REPO / "benchmarks" / "accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(Path(REPO, "benchmarks", "accuracy.py")), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("form", ["flags", "text"])
def test_every_red_flag_vignette_is_escalated(figures: dict[str, Any], form: str) -> None:
    recall = figures[form]["red_flag_recall"]
    assert recall["total"] >= 16
    assert recall["hits"] == recall["total"], figures[form]


@pytest.mark.parametrize("form", ["flags", "text"])
def test_top3_floor(figures: dict[str, Any], form: str) -> None:
    assert figures[form]["top3"]["rate"] >= TOP3_FLOOR
    assert figures[form]["errors"] == 0


def test_benchmark_can_be_imported_and_scores_its_cases() -> None:
    accuracy = _benchmark()
    cases = accuracy.load_cases()
    assert len(cases) >= 60
