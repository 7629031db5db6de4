"""Shell completion through typer's own --install-completion and --show-completion, values included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, cli_env, run_cli

NO_DETECTION = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


def _bash(words: str) -> list[str]:
    """What bash is offered for the last of `words` (as bash's completion function asks)."""
    split = words.split(" ")
    env = cli_env(
        _NEEDLEMATCH_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(split) - 1)
    )
    result = run_cli(env=env)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("needlematch match --where kn", ["knee"]),
        ("needlematch match --trigger down", ["downhill"]),
        ("needlematch match --sign swe", ["swelling"]),
        ("needlematch match --not swe", ["swelling"]),
        ("needlematch match --unsure night", ["night-pain"]),
        ("needlematch match --onset s", ["sudden"]),
        ("needlematch match --sex f", ["female"]),
        ("needlematch match --duration w", ["weeks"]),
        ("needlematch show plantar", ["plantar-fasciitis"]),
        ("needlematch ma", ["match"]),
    ],
)
def test_values_complete(words: str, offered: list[str]) -> None:
    assert _bash(words) == offered


def test_every_value_of_a_dimension_is_offered_and_a_list_continues_after_a_comma() -> None:
    from needlematch.vocabulary import TERM_IDS_BY_DIMENSION

    assert _bash("needlematch match --part ") == list(TERM_IDS_BY_DIMENSION["part"])
    after = _bash("needlematch match --when during-run,a")
    assert after and all(value.startswith("during-run,a") for value in after)
    assert "during-run,after-run" in after and "during-run,during-run" not in after
    assert _bash("needlematch match --where xyz") == []
    assert {"--where", "--when"} <= set(_bash("needlematch match --wh"))


def test_zsh_and_fish_are_offered_the_value_with_its_meaning() -> None:
    zsh = run_cli(
        env=cli_env(
            _NEEDLEMATCH_COMPLETE="complete_zsh",
            _TYPER_COMPLETE_ARGS="needlematch match --where kn",
        )
    )
    assert zsh.returncode == 0 and '"knee":"Knee' in zsh.stdout
    fish = run_cli(
        env=cli_env(
            _NEEDLEMATCH_COMPLETE="complete_fish",
            _TYPER_COMPLETE_FISH_ACTION="get-args",
            _TYPER_COMPLETE_ARGS="needlematch match --where kn",
        )
    )
    assert fish.returncode == 0 and fish.stdout.startswith("knee\tKnee")


@pytest.mark.parametrize(
    ("shell", "says"),
    [
        ("bash", "complete -o default -F _needlematch_completion needlematch"),
        ("zsh", "#compdef needlematch"),
        ("fish", "complete --command needlematch"),
    ],
)
def test_show_completion_prints_the_script_for_each_shell(shell: str, says: str) -> None:
    shown = run_cli("--show-completion", shell, env=cli_env(**NO_DETECTION))
    assert shown.returncode == 0, shown.stderr
    assert says in shown.stdout and "_NEEDLEMATCH_COMPLETE=complete_" in shown.stdout


@pytest.mark.parametrize(
    ("shell", "written"),
    [
        ("bash", ".bash_completions/needlematch.sh"),
        ("zsh", ".zfunc/_needlematch"),
        ("fish", ".config/fish/completions/needlematch.fish"),
    ],
)
def test_install_completion_writes_the_script_where_the_shell_reads_it(
    tmp_path: Path, shell: str, written: str
) -> None:
    env = cli_env(HOME=str(tmp_path), **NO_DETECTION)
    installed = run_cli("--install-completion", shell, env=env)
    assert installed.returncode == 0, installed.stderr
    assert f"{shell} completion installed" in installed.stdout
    assert "_NEEDLEMATCH_COMPLETE" in (tmp_path / written).read_text(encoding="utf-8")


def test_the_options_are_in_the_help() -> None:
    shown = run_cli("--help")
    assert "--install-completion" in shown.stdout and "--show-completion" in shown.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_itself_completes_a_term_with_the_shown_script(tmp_path: Path) -> None:
    # The console script as pip installs it, on PATH for the completion function.
    script = tmp_path / "needlematch"
    script.write_text(f"#!{sys.executable}\nfrom needlematch.cli import main\nmain()\n")
    script.chmod(0o755)
    env = cli_env(**NO_DETECTION)
    env["PATH"] = f"{tmp_path}{os.pathsep}{env.get('PATH', '')}"
    shown = subprocess.run(
        [str(script), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    session = (
        shown.stdout
        + "\nCOMP_WORDS=(needlematch match --where kn); COMP_CWORD=3\n"
        + "_needlematch_completion needlematch\n"
        + 'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    completed = subprocess.run(
        ["bash", "--norc", "--noprofile"],
        input=session,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["knee"]
