"""The wheel carries data/injuries.json: built, installed into a fresh venv, and run from outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ALL_CONDITIONS, REPO, cli_env


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheels = list(dist.glob("needlematch-*.whl"))
    assert len(wheels) == 1

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(bin_dir / "needlematch"), "injuries", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=cli_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == len(ALL_CONDITIONS)
    located = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "from needlematch.catalogue import bundled_catalogue_path as p; print(p())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    )
    assert str(environment) in located.stdout and str(REPO) not in located.stdout
