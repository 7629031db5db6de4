"""Start-up and batch speed of needlematch, against the typer floor timed in the same run.

Prints the median wall time of each command over several runs and the ratios the
issues set targets for: `match --json` against a typer app with the same options
(the floor typer sets), the cost of one more case in a batch, what shell
completion costs, and the time to the first prompt of `needlematch check`.

Commands that are compared run in interleaved turns (floor, needlematch, floor,
...), so a change in the machine's load weighs on both alike. Every command runs
as installed: with its bytecode compiled once (pip compiles it at install) into a
temporary folder, even when PYTHONDONTWRITEBYTECODE is set, so the figures do not
count Python compiling needlematch's source on every run.

    python benchmarks/startup.py [--runs N] [--cases N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PYTHON = sys.executable
REGIONS = ["knee", "shin", "heel", "achilles", "calf", "thigh-back", "foot", "hip"]
PARTS = ["front", "back", "inner", "outer", "under", "top", "around"]
WHEN = ["morning", "start-of-run", "during-run", "after-run", "next-day", "at-rest"]
FEELS = ["dull-ache", "sharp", "burning", "stabbing", "pulling", "tightness", "stiffness"]
TRIGGERS = ["downhill", "uphill", "stairs", "squatting", "walking", "hopping", "sprinting"]

# Set by main(): where every command's bytecode is kept for this run.
_PYCACHE: str | None = None


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_COLOR="1", COLUMNS="100")
    env.pop("NEEDLEMATCH_CATALOGUE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if _PYCACHE is not None:
        env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    env.update(extra)
    return env


def _time(
    command: Sequence[str], stdin: bytes | None = None, env: dict[str, str] | None = None
) -> float:
    start = time.perf_counter()
    subprocess.run(
        list(command),
        input=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env or _env(),
        check=False,
    )
    return time.perf_counter() - start


def _medians(
    commands: Sequence[Sequence[str]],
    runs: int,
    stdin: bytes | None = None,
    envs: Sequence[dict[str, str] | None] | None = None,
) -> list[float]:
    """The median time of each command, run in interleaved turns after one warm-up each."""
    envs = envs or [None] * len(commands)
    for command, env in zip(commands, envs, strict=True):
        _time(command, stdin, env)  # compile the bytecode, warm the file cache
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, (command, env) in enumerate(zip(commands, envs, strict=True)):
            times[index].append(_time(command, stdin, env))
    return [statistics.median(each) for each in times]


def _cases(count: int) -> bytes:
    """`count` varied Symptoms objects as JSON Lines (fixed seed: the same every run)."""
    pick = random.Random(20261125)
    lines = []
    for _ in range(count):
        lines.append(
            json.dumps(
                {
                    "where": [pick.choice(REGIONS)],
                    "part": [pick.choice(PARTS)],
                    "when": pick.sample(WHEN, 2),
                    "feels": [pick.choice(FEELS)],
                    "triggers": [pick.choice(TRIGGERS)],
                    "onset": pick.choice(["sudden", "gradual", None]),
                    "absent": ["swelling"],
                }
            )
        )
    return ("\n".join(lines) + "\n").encode()


def minimal_typer_app_source(add_completion: bool = True) -> str:
    """A typer app whose `match` takes the same options, of the same kinds, as needlematch's.

    It does nothing with them: its time is the floor that typer itself sets for
    parsing that command line (typer builds a converter for every option).
    """
    import typer.main

    from needlematch.cli import app

    command = typer.main.get_command(app)
    match = command.commands["match"]  # type: ignore[attr-defined]
    params = []
    for number, param in enumerate(match.params):
        if param.param_type_name != "option" or param.name in {"help"}:
            if param.param_type_name == "argument":
                params.append(f"    arg{number}: str | None = typer.Argument(None),")
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            kind, default = "bool", "False"
        elif param.multiple:
            kind, default = "list[str] | None", "None"
        elif getattr(param, "bare_type", str) is int:
            kind, default = "int | None", "None"
        else:
            kind, default = "str | None", "None"
        bounds = "".join(
            f", {name}={value!r}"
            for name in ("min", "max")
            if (value := getattr(param, name, None)) is not None
        )
        params.append(f"    opt{number}: {kind} = typer.Option({default}, {flag!r}{bounds}),")
    return (
        "import typer\n"
        f"app = typer.Typer(add_completion={add_completion!r})\n"
        "@app.command()\n"
        "def match(\n" + "\n".join(params) + "\n) -> None:\n"
        "    print('ok')\n"
        "@app.command()\n"
        "def other() -> None: ...\n"
        "app()\n"
    )


def time_to_first_prompt() -> float | None:
    """Seconds from starting `needlematch check` in a pseudo-terminal to its first question."""
    try:
        import pexpect
    except ImportError:
        return None
    start = time.perf_counter()
    child = pexpect.spawn(
        PYTHON,
        ["-m", "needlematch", "check"],
        env={**_env(), "TERM": "xterm"},
        dimensions=(40, 100),
        timeout=20,
    )
    try:
        child.expect(r"\?")
        return time.perf_counter() - start
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    finally:
        child.terminate(force=True)


def main() -> None:
    global _PYCACHE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median)")
    parser.add_argument("--cases", type=int, default=10_000, help="cases in the batch")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        _PYCACHE = str(Path(folder) / "pycache")
        minimal_app = Path(folder) / "minimal.py"
        minimal_app.write_text(minimal_typer_app_source())
        bare_app = Path(folder) / "minimal_without_completion.py"
        bare_app.write_text(minimal_typer_app_source(add_completion=False))
        single_cmd = [PYTHON, "-m", "needlematch", "match", "--where", "knee", "--part", "outer"]
        baseline, minimal, single, bare = _medians(
            [
                [PYTHON, "-c", "import typer, pydantic"],
                [PYTHON, str(minimal_app), "match", "--where", "knee"],
                [*single_cmd, "--json"],
                [PYTHON, str(bare_app), "match", "--where", "knee"],
            ],
            args.runs,
        )
        # One TAB press: `needlematch match --where kn<TAB>` as bash asks for it.
        complete_env = _env(
            _NEEDLEMATCH_COMPLETE="complete_bash",
            COMP_WORDS="needlematch match --where kn",
            COMP_CWORD="3",
        )
        (completion,) = _medians([[PYTHON, "-m", "needlematch"]], args.runs, envs=[complete_env])
        cases = _cases(args.cases)
        (batch,) = _medians(
            [[PYTHON, "-m", "needlematch", "match", "--symptoms", "-", "--json"]],
            max(3, args.runs // 5),
            cases,
        )
        first_prompt = time_to_first_prompt()

    per_case = (batch - single) / args.cases
    figures = {
        "baseline_import_typer_pydantic_s": round(baseline, 4),
        "minimal_typer_app_s": round(minimal, 4),
        "minimal_typer_app_without_completion_s": round(bare, 4),
        "match_json_s": round(single, 4),
        "match_vs_baseline": round(single / baseline, 2),
        "match_vs_minimal_typer_app": round(single / minimal, 2),
        "completion_request_s": round(completion, 4),
        "batch_cases": args.cases,
        "batch_s": round(batch, 4),
        "batch_vs_single": round(batch / single, 2),
        "marginal_case_us": round(per_case * 1e6, 1),
        "time_to_first_prompt_s": None if first_prompt is None else round(first_prompt, 3),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"python -c 'import typer, pydantic'   {baseline * 1000:7.1f} ms  (baseline)")
    print(f"a typer app with match's options     {minimal * 1000:7.1f} ms  (the floor)")
    print(
        f"  the same without shell completion  {bare * 1000:7.1f} ms  "
        f"(completion costs typer {(minimal - bare) * 1000:+.1f} ms at start-up)"
    )
    print(
        f"needlematch match ... --json         {single * 1000:7.1f} ms  "
        f"= {single / minimal:.2f}x the floor (target <= 1.15x), "
        f"{single / baseline:.2f}x the bare import"
    )
    print(
        f"one TAB: match --where kn<TAB>       {completion * 1000:7.1f} ms  "
        "(bash completion of a term)"
    )
    print(
        f"batch of {args.cases} cases (JSON Lines) {batch * 1000:7.1f} ms  "
        f"= {batch / single:.2f}x a single case; "
        f"{figures['marginal_case_us']} us per extra case (target <= 60 us)"
    )
    if first_prompt is None:
        print("time to first prompt of `check`: not measured (pexpect missing or no prompt)")
    else:
        print(
            f"time to first prompt of `check`      {first_prompt * 1000:7.1f} ms  (target < 500 ms)"
        )


if __name__ == "__main__":
    main()
