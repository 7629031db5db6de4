"""Startup and batch speed of needlematch, against `python -c "import typer, pydantic"` in the same run.

Prints the median wall time of each command over several runs, the ratios the
issues set targets for, and the time to the first prompt of `needlematch check`.

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
from pathlib import Path

PYTHON = sys.executable
REGIONS = ["knee", "shin", "heel", "achilles", "calf", "thigh-back", "foot", "hip"]
PARTS = ["front", "back", "inner", "outer", "under", "top", "around"]
WHEN = ["morning", "start-of-run", "during-run", "after-run", "next-day", "at-rest"]
FEELS = ["dull-ache", "sharp", "burning", "stabbing", "pulling", "tightness", "stiffness"]
TRIGGERS = ["downhill", "uphill", "stairs", "squatting", "walking", "hopping", "sprinting"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_COLOR="1", COLUMNS="100")
    env.pop("NEEDLEMATCH_CATALOGUE", None)
    return env


def _time(command: list[str], stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        input=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        check=False,
    )
    return time.perf_counter() - start


def _median(command: list[str], runs: int, stdin: bytes | None = None) -> float:
    _time(command, stdin)  # warm the file cache
    return statistics.median(_time(command, stdin) for _ in range(runs))


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


def minimal_typer_app_source() -> str:
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
        "app = typer.Typer()\n"
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median)")
    parser.add_argument("--cases", type=int, default=10_000, help="cases in the batch")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    baseline = _median([PYTHON, "-c", "import typer, pydantic"], args.runs)
    single_cmd = [PYTHON, "-m", "needlematch", "match", "--where", "knee", "--part", "outer"]
    single = _median([*single_cmd, "--json"], args.runs)
    with tempfile.TemporaryDirectory() as folder:
        minimal_app = Path(folder) / "minimal.py"
        minimal_app.write_text(minimal_typer_app_source())
        minimal = _median([PYTHON, str(minimal_app), "match", "--where", "knee"], args.runs)
    cases = _cases(args.cases)
    batch_runs = max(3, args.runs // 5)
    batch = _median(
        [PYTHON, "-m", "needlematch", "match", "--symptoms", "-", "--json"], batch_runs, cases
    )
    first_prompt = time_to_first_prompt()

    figures = {
        "baseline_import_typer_pydantic_s": round(baseline, 4),
        "minimal_typer_app_s": round(minimal, 4),
        "match_json_s": round(single, 4),
        "match_vs_baseline": round(single / baseline, 2),
        "match_vs_minimal_typer_app": round(single / minimal, 2),
        "batch_cases": args.cases,
        "batch_s": round(batch, 4),
        "batch_vs_single": round(batch / single, 2),
        "marginal_case_us": round((batch - single) / args.cases * 1e6, 1),
        "time_to_first_prompt_s": None if first_prompt is None else round(first_prompt, 3),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"python -c 'import typer, pydantic'   {baseline * 1000:7.1f} ms  (baseline)")
    print(f"a typer app with match's options     {minimal * 1000:7.1f} ms  (the floor)")
    print(
        f"needlematch match ... --json         {single * 1000:7.1f} ms  "
        f"= {single / minimal:.2f}x the floor (targets: <= 1.3x, then <= 1.15x), "
        f"{single / baseline:.2f}x the bare import"
    )
    print(
        f"batch of {args.cases} cases (JSON Lines) {batch * 1000:7.1f} ms  "
        f"= {batch / single:.2f}x a single case (target <= 4x); "
        f"{figures['marginal_case_us']} us per extra case"
    )
    if first_prompt is None:
        print("time to first prompt of `check`: not measured (pexpect missing or no prompt)")
    else:
        print(
            f"time to first prompt of `check`      {first_prompt * 1000:7.1f} ms  (target < 500 ms)"
        )


if __name__ == "__main__":
    main()
