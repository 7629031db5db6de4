"""`needlematch match` through the real command line: JSON contract, exit codes, batch, reports."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, cli_env, run_cli

ITBS_FLAGS = ["--where", "knee", "--part", "outer", "--feels", "burning", "--trigger", "downhill"]


def _json(*args: str, input: str | None = None) -> dict[str, object]:
    result = run_cli("match", *args, "--json", input=input)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_flags_give_the_contract_json() -> None:
    data = _json(*ITBS_FLAGS, "--when", "during-run,after-run", "--not", "swelling")
    matches = data["matches"]
    assert isinstance(matches, list) and matches[0]["id"] == "it-band-syndrome"
    total = math.fsum([m["probability"] for m in matches] + [data["unmatched_probability"]])
    assert abs(total - 1) < 1e-9
    symptoms = data["symptoms"]
    assert isinstance(symptoms, dict)
    assert symptoms["when"] == ["during-run", "after-run"] and symptoms["absent"] == ["swelling"]
    assert "licensed practitioner" in str(data["disclaimer"])


def test_terms_are_case_insensitive_and_repeatable() -> None:
    data = _json("--where", "KNEE", "--feels", "Burning", "--feels", "sharp")
    symptoms = data["symptoms"]
    assert isinstance(symptoms, dict) and symptoms["feels"] == ["burning", "sharp"]


def test_unknown_term_is_exit_2_with_the_closest() -> None:
    result = run_cli("match", "--where", "kneee", "--json")
    assert result.returncode == 2
    assert "'knee'" in result.stderr and result.stdout == ""
    assert "Traceback" not in result.stderr


def test_term_in_the_wrong_dimension_is_exit_2() -> None:
    result = run_cli("match", "--where", "burning")
    assert result.returncode == 2 and "--where" in result.stderr


def test_nothing_given_is_exit_2_saying_what_to_give() -> None:
    result = run_cli("match")
    assert result.returncode == 2
    assert "describe where and how it hurts" in result.stderr and "--where" in result.stderr


def test_contradiction_is_exit_2_naming_the_term() -> None:
    result = run_cli("match", "--where", "knee", "--sign", "swelling", "--not", "swelling")
    assert result.returncode == 2 and "swelling" in result.stderr


def test_severity_out_of_range_is_exit_2() -> None:
    assert run_cli("match", "--where", "knee", "--severity", "11").returncode == 2


def test_top_limits_matches() -> None:
    data = _json(*ITBS_FLAGS, "--top", "2")
    assert isinstance(data["matches"], list) and len(data["matches"]) == 2


def test_red_flag_comes_first_in_the_table() -> None:
    result = run_cli("match", "--where", "calf", "--sign", "swelling,redness-warmth")
    assert result.returncode == 0
    assert result.stdout.index("URGENT") < result.stdout.index("Understood:")
    assert "DVT" in result.stdout


def test_table_fits_80_columns_without_colour() -> None:
    result = run_cli("match", *ITBS_FLAGS, env=cli_env(COLUMNS="80"))
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "licensed practitioner" in result.stdout


def test_batch_json_lines_keeps_going_after_a_bad_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"where": ["knee"], "part": ["outer"], "feels": ["burning"]}\n'
        "{not json\n"
        '{"where": ["kneee"]}\n'
        "\n"
        '{"where": ["heel"], "part": ["under"], "when": ["morning"]}\n',
        encoding="utf-8",
    )
    result = run_cli("match", "--symptoms", str(cases), "--json")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["matches"][0]["id"] == "it-band-syndrome"
    assert lines[1] == {"line": 2, "error": lines[1]["error"]}
    assert lines[2]["line"] == 3 and "knee" in lines[2]["error"]
    assert lines[3]["matches"][0]["id"] == "plantar-fasciitis"
    assert "line 2" in result.stderr and "line 3" in result.stderr


def test_batch_from_stdin_and_a_single_pretty_object() -> None:
    pretty = json.dumps({"where": ["heel"], "part": ["under"], "when": ["morning"]}, indent=2)
    result = run_cli("match", "--symptoms", "-", "--json", input=pretty)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1


def test_batch_and_flags_do_not_mix() -> None:
    result = run_cli("match", "--symptoms", "-", "--where", "knee", input="{}")
    assert result.returncode == 2


def test_missing_symptoms_file_is_exit_1(tmp_path: Path) -> None:
    result = run_cli("match", "--symptoms", str(tmp_path / "none.jsonl"))
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_report_is_written_whole(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = run_cli("match", *ITBS_FLAGS, "--report", str(report))
    assert result.returncode == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# needlematch symptom summary")
    for part in ("Date:", "What was reported", "Triage", "Iliotibial", "licensed practitioner"):
        assert part in text
    assert not list(tmp_path.glob(".report.md.*"))


def test_report_to_an_unwritable_place_is_exit_1_after_the_result(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "report.md"
    result = run_cli("match", *ITBS_FLAGS, "--report", str(target))
    assert result.returncode == 1
    assert "Iliotibial" in result.stdout and "could not write the report" in result.stderr


def test_json_path_loads_neither_rich_nor_questionary() -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['needlematch', 'match', '--where', 'knee', '--json']\n"
        "from needlematch.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'rich', 'questionary', 'prompt_toolkit'})\n"
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=60,
    )
    assert "HEAVY=\n" in result.stderr or result.stderr.rstrip().endswith("HEAVY=")
    assert json.loads(result.stdout)["matches"]


def test_json_flags_path_loads_only_the_modules_it_needs() -> None:
    # `match --json` with flags alone reads no free text, writes no table, keeps no
    # history: the parser, the renderer and the rest are loaded only where used.
    probe = (
        "import sys\n"
        "sys.argv = ['needlematch', 'match', '--where', 'knee', '--part', 'outer', '--json']\n"
        "from needlematch.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "ours = sorted(m for m in sys.modules if m.startswith('needlematch.'))\n"
        "print('LOADED=' + ','.join(ours), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=60,
    )
    assert json.loads(result.stdout)["matches"]
    loaded = set(result.stderr.rpartition("LOADED=")[2].strip().split(","))
    not_needed = {
        "api", "batch", "bodymap", "course", "facts", "history", "interview",
        "parse", "questions", "render", "report",
    }  # fmt: skip
    assert not loaded & {f"needlematch.{name}" for name in not_needed}


def test_the_garbage_collector_is_left_as_it_was() -> None:
    # `main` pauses the collector while a command runs (cli.py); a program or a test
    # that loads the command line, or runs `main`, finds the collector as it was.
    import gc

    import needlematch.cli  # noqa: F401

    assert gc.isenabled()
    probe = (
        "import gc, sys\n"
        "sys.argv = ['needlematch', 'match', '--where', 'knee', '--json']\n"
        "from needlematch.cli import main\n"
        "loaded = gc.isenabled()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(f'GC={loaded},{gc.isenabled()}', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=60,
    )
    assert "GC=True,True" in result.stderr
    assert json.loads(result.stdout)["matches"]


def test_batch_line_with_text_is_parsed_and_a_contradiction_stays_on_its_line() -> None:
    lines = (
        '{"text": "burning pain on the outside of my knee, worse downhill"}\n'
        '{"text": "knee pain, no swelling", "signs": ["swelling"]}\n'
    )
    result = run_cli("match", "--symptoms", "-", "--json", input=lines)
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["matches"][0]["id"] == "it-band-syndrome"
    assert first["symptoms"]["text"].startswith("burning pain")
    assert second["line"] == 2 and "swelling" in second["error"]


def test_text_and_flags_that_contradict_are_exit_2_without_a_traceback() -> None:
    result = run_cli("match", "knee pain, no swelling", "--sign", "swelling")
    assert result.returncode == 2
    assert "swelling" in result.stderr and "Traceback" not in result.stderr


def test_text_and_flags_combine() -> None:
    data = _json("burning pain on the outside of my knee", "--trigger", "downhill")
    symptoms = data["symptoms"]
    assert isinstance(symptoms, dict)
    assert symptoms["triggers"] == ["downhill"] and "outer" in symptoms["part"]


def test_description_from_stdin() -> None:
    data = _json("-", input="heel pain with my first steps in the morning\n")
    symptoms = data["symptoms"]
    assert isinstance(symptoms, dict) and symptoms["where"] == ["heel"]
    assert "morning" in symptoms["when"]


def test_ctrl_c_while_reading_a_batch_exits_130() -> None:
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "needlematch", "match", "--symptoms", "-", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write('{"where": ["knee"]}\n')
    process.stdin.flush()
    time.sleep(1.5)  # the first case is answered; the batch waits for more
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "interrupted" in stderr
    # What was answered before the interrupt is there whole.
    assert [json.loads(line)["symptoms"]["where"] for line in stdout.splitlines()] == [["knee"]]


def test_a_description_that_only_names_an_injury_points_to_show() -> None:
    result = run_cli("match", "-", input="I think I have plantar fasciitis\n")
    assert result.returncode == 2
    assert "needlematch show plantar-fasciitis" in result.stderr


def test_did_you_mean_knows_lay_words() -> None:
    for flag, value, closest in (
        ("--onset", "slow", "gradual"),
        ("--where", "kneecap", "knee"),
        ("--sign", "cant-walk", "cannot-bear-weight"),
    ):
        result = run_cli("match", flag, value)
        assert result.returncode == 2
        assert f"did you mean '{closest}'" in result.stderr, result.stderr


def test_batch_accepts_a_json_array_of_cases() -> None:
    cases = json.dumps([{"where": ["knee"], "part": ["outer"]}, {"where": ["heel"]}, 5])
    result = run_cli("match", "--symptoms", "-", "--json", input=cases)
    assert result.returncode == 1
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert first["symptoms"]["part"] == ["outer"] and second["symptoms"]["where"] == ["heel"]
    assert third == {"line": 3, "error": "expected a JSON object of symptoms"}


@pytest.mark.parametrize("age", ["4", "101", "abc", "-3", "12.5", ""])
def test_an_age_outside_the_range_is_a_usage_error(age: str) -> None:
    result = run_cli("match", "--where", "knee", "--age", age)
    assert result.returncode == 2
    assert "5 to 100" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_sex_is_a_usage_error_with_the_choices() -> None:
    result = run_cli("match", "--where", "knee", "--sex", "other")
    assert result.returncode == 2
    assert "female or male" in result.stderr


def test_an_unknown_duration_is_a_usage_error_with_the_choices() -> None:
    result = run_cli("match", "--where", "knee", "--duration", "forever")
    assert result.returncode == 2
    assert "days, weeks, months, longer" in result.stderr


def test_age_and_sex_are_evidence_and_echoed_in_the_json() -> None:
    heels = ("match", "--where", "heel", "--part", "back", "--both-sides", "--json")
    child = json.loads(run_cli(*heels, "--age", "11", "--sex", "male").stdout)
    adult = json.loads(run_cli(*heels, "--age", "45", "--sex", "male").stdout)
    assert child["symptoms"]["age"] == 11 and child["symptoms"]["sex"] == "male"
    assert child["matches"][0]["id"] == "sever-disease"
    assert adult["matches"][0]["id"] != "sever-disease"
    sever = next(m for m in child["matches"] if m["id"] == "sever-disease")
    assert any(finding["term"] == "age" for finding in sever["evidence"]["for"])


def test_a_child_who_limps_with_knee_pain_is_urgent() -> None:
    result = run_cli("match", "--where", "knee", "--sign", "limping", "--age", "13", "--json")
    triage = json.loads(result.stdout)["triage"]
    assert triage["level"] == "urgent"
    assert "slipped-epiphysis" in {flag["id"] for flag in triage["red_flags"]}
    adult = json.loads(
        run_cli("match", "--where", "knee", "--sign", "limping", "--age", "30", "--json").stdout
    )
    assert "slipped-epiphysis" not in {flag["id"] for flag in adult["triage"]["red_flags"]}


def test_only_age_and_sex_is_nothing_to_match() -> None:
    result = run_cli("match", "--age", "40", "--sex", "female")
    assert result.returncode == 2
    assert "nothing to match" in result.stderr
