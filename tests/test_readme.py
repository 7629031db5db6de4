"""The README's quick start is what CI runs, its first command a match of a description."""

from __future__ import annotations

import re

from .conftest import REPO


def test_the_quick_start_commands_are_the_ones_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in re.findall(r"```sh\n(.*?)```", quick, re.DOTALL)]
    assert commands[0] == (
        'pip install . && needlematch match "sharp pain on the outside of my knee '
        'after 4 km, worse downhill"'
    )
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    run = [line for line in ci if line.strip() and not line.lstrip().startswith("#")]
    assert [line for line in run if line in commands] == commands
