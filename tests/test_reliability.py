"""Issue 12 through the real command line: no input stalls, silences or aborts needlematch, and nothing it writes destroys what was there."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from needlematch.catalogue import bundled_catalogue_path
from needlematch.engine import UNMATCHED_ID
from needlematch.limits import MAX_DESCRIPTION_CHARS
from needlematch.questions import NONE_OF_THESE

from .conftest import REPO, cli_env, run_cli

COMMAND = [sys.executable, "-m", "needlematch"]
GOOD = b'{"where": ["knee"], "part": ["outer"], "feels": ["burning"]}'
CLOT = ["match", "--where", "calf", "--sign", "swelling,redness-warmth"]
URGENT = "URGENT: GET MEDICAL ASSESSMENT TODAY"
# Python's own words when it refuses a long number: never to be shown to a person.
INT_LIMIT_HINT = "set_int_max_str_digits"


def run_bytes(
    *args: str, input: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command with raw bytes on stdin and raw bytes back."""
    return subprocess.run(
        [*COMMAND, *args],
        input=input,
        capture_output=True,
        env=env or cli_env(),
        cwd=REPO,
        timeout=120,
    )


def run_shell(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A shell line with NM standing for the command, for redirections Python cannot make."""
    return subprocess.run(
        ["sh", "-c", script],
        capture_output=True,
        text=True,
        env={**(env or cli_env()), "NM": f"{sys.executable} -m needlematch"},
        cwd=REPO,
        timeout=120,
    )


def assert_no_crash(stderr: str | bytes) -> None:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text and "internal error" not in text, text
    assert INT_LIMIT_HINT not in text and "utf-8-sig" not in text, text


def records(stdout: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


# ---------------------------------------------------------------- batch: one bad line spoils only itself

BAD_LINES: dict[str, bytes] = {
    "array": b"[1, 2, 3]",
    "lone brace": b"{",
    "lone surrogate": b'{"where": ["knee"], "text": "\\ud800"}',
    "deep nesting": b"[" * 100_000,
    "not UTF-8": b'{"where": ["kn\xffee"]}',
    "duplicate key": b'{"where": ["knee"], "where": ["heel"]}',
    "severity as a string": b'{"where": ["knee"], "severity": "5"}',
    "both sides as a string": b'{"where": ["knee"], "both_sides": "true"}',
    "5000 digits": b'{"where": ["knee"], "severity": ' + b"9" * 5000 + b"}",
    "NaN": b'{"where": ["knee"], "severity": NaN}',
    "long text": b'{"text": "' + b"knee " * (MAX_DESCRIPTION_CHARS // 5 + 1) + b'"}',
    "unknown term": b'{"where": ["kneee"]}',
}


def _mixed_batch() -> tuple[bytes, dict[int, str]]:
    """Good and bad lines alternating; the line number of each bad line."""
    lines = [GOOD]
    bad_at: dict[int, str] = {}
    for name, line in BAD_LINES.items():
        lines.append(line)
        bad_at[len(lines)] = name
        lines.append(GOOD)
    return b"\n".join(lines) + b"\n", bad_at


@pytest.mark.parametrize("from_stdin", [False, True], ids=["file", "stdin"])
def test_every_bad_line_gets_its_own_error_and_every_good_line_is_answered(
    tmp_path: Path, from_stdin: bool
) -> None:
    data, bad_at = _mixed_batch()
    if from_stdin:
        result = run_bytes("match", "--symptoms", "-", "--json", input=data)
    else:
        cases = tmp_path / "cases.jsonl"
        cases.write_bytes(data)
        result = run_bytes("match", "--symptoms", str(cases), "--json")
    assert result.returncode == 1
    assert_no_crash(result.stderr)
    out = records(result.stdout)
    assert len(out) == data.count(b"\n")  # one output line per input line
    stderr = result.stderr.decode()
    for number, record in enumerate(out, start=1):
        if number in bad_at:
            assert set(record) == {"line", "error"}, bad_at[number]
            assert record["line"] == number and record["error"], bad_at[number]
            assert f"line {number}" in stderr, bad_at[number]
        else:
            assert record["matches"][0]["id"] == "it-band-syndrome", number
    assert f"{len(bad_at)} of {len(out)} input lines could not be used" in stderr


def test_each_bad_line_says_what_is_wrong_with_it() -> None:
    data, bad_at = _mixed_batch()
    out = records(run_bytes("match", "--symptoms", "-", "--json", input=data).stdout)
    error = {bad_at[record["line"]]: record["error"] for record in out if "error" in record}
    assert "only as the whole input" in error["array"]
    assert "invalid JSON" in error["lone brace"]
    assert "surrogate" in error["lone surrogate"]
    assert "nested more than" in error["deep nesting"]
    assert "not UTF-8" in error["not UTF-8"] and "column" in error["not UTF-8"]
    assert "duplicate key 'where'" in error["duplicate key"]
    assert "severity" in error["severity as a string"]
    assert "without quotes" in error["severity as a string"]
    assert "both_sides" in error["both sides as a string"]
    assert "5,000 digits" in error["5000 digits"]
    assert "NaN" in error["NaN"]
    assert f"{MAX_DESCRIPTION_CHARS:,}" in error["long text"]
    assert "did you mean 'knee'" in error["unknown term"]


def test_a_bom_on_line_one_is_tolerated() -> None:
    result = run_bytes("match", "--symptoms", "-", "--json", input=b"\xef\xbb\xbf" + GOOD + b"\n")
    assert result.returncode == 0, result.stderr
    assert_no_crash(result.stderr)
    assert records(result.stdout)[0]["matches"][0]["id"] == "it-band-syndrome"


def test_a_json_array_is_read_only_as_the_whole_input() -> None:
    whole = b'[{"where": ["knee"], "part": ["outer"]},\n {"where": ["heel"]}]\n'
    out = records(run_bytes("match", "--symptoms", "-", "--json", input=whole).stdout)
    assert [record["symptoms"]["where"] for record in out] == [["knee"], ["heel"]]
    # An array as one line among others is that line's error; the others are answered.
    mixed = GOOD + b"\n" + b'[{"where": ["heel"]}]\n' + GOOD + b"\n"
    result = run_bytes("match", "--symptoms", "-", "--json", input=mixed)
    out = records(result.stdout)
    assert result.returncode == 1 and len(out) == 3
    assert out[1] == {"line": 2, "error": out[1]["error"]} and "whole input" in out[1]["error"]
    assert "matches" in out[0] and "matches" in out[2]


def test_a_lone_brace_on_line_one_is_its_own_error_when_the_rest_is_json_lines() -> None:
    result = run_bytes("match", "--symptoms", "-", "--json", input=b"{\n" + GOOD + b"\n")
    out = records(result.stdout)
    assert result.returncode == 1 and len(out) == 2
    assert out[0]["line"] == 1 and "matches" in out[1]


def test_an_over_long_line_is_skipped_and_the_next_is_answered() -> None:
    huge = b'{"text": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    result = run_bytes("match", "--symptoms", "-", "--json", input=huge + b"\n" + GOOD + b"\n")
    out = records(result.stdout)
    assert result.returncode == 1 and len(out) == 2
    assert out[0]["line"] == 1 and "longer than 1 MiB" in out[0]["error"]
    assert out[1]["matches"][0]["id"] == "it-band-syndrome"


def test_batch_answers_each_line_as_it_arrives_through_a_pipe() -> None:
    process = subprocess.Popen(
        [*COMMAND, "match", "--symptoms", "-", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(GOOD + b"\n")
        process.stdin.flush()
        answered: list[bytes] = []
        reader = threading.Thread(target=lambda: answered.append(process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=60)
        # The first answer came while the input was still open (no PYTHONUNBUFFERED).
        assert answered and json.loads(answered[0])["matches"]
        rest, _ = process.communicate(input=b"{oops\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert json.loads(rest)["line"] == 2 and process.returncode == 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_as_a_symptoms_file_ends_with_an_error() -> None:
    result = run_bytes("match", "--symptoms", "/dev/zero", "--json")
    assert result.returncode == 1
    assert_no_crash(result.stderr)
    (record,) = records(result.stdout)
    assert record["line"] == 1 and "the rest of the input was not read" in record["error"]


# ---------------------------------------------------------------- limits, checked before any work


def test_a_description_over_the_limit_is_a_usage_error_saying_so() -> None:
    at_limit = ("knee " * (MAX_DESCRIPTION_CHARS // 5))[:MAX_DESCRIPTION_CHARS]
    assert run_cli("match", at_limit, "--json").returncode == 0
    result = run_cli("match", at_limit + "x")
    assert result.returncode == 2
    assert "20,001 characters" in result.stderr and "20,000" in result.stderr
    piped = run_cli("match", "-", input=at_limit + "knee pain")
    assert piped.returncode == 2 and "20,000" in piped.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_at_once_as_a_description_and_as_a_catalogue() -> None:
    description = run_shell("$NM match - < /dev/zero")
    assert description.returncode == 2 and "20,000" in description.stderr
    for args in (
        ["match", "--where", "knee", "--catalogue", "/dev/zero"],
        ["validate", "/dev/zero"],
    ):
        result = run_cli(*args)
        assert result.returncode == 1 and "larger than 8 MiB" in result.stderr
        assert_no_crash(result.stderr)


def test_a_catalogue_nested_too_deep_or_with_a_huge_number_is_bad_data(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    result = run_cli("validate", str(deep))
    assert result.returncode == 1 and "nested more than" in result.stderr
    huge = tmp_path / "huge.json"
    huge.write_text('{"schema_version": ' + "1" * 5000 + "}", encoding="utf-8")
    result = run_cli("validate", str(huge))
    assert result.returncode == 1 and "5,000 digits" in result.stderr
    assert_no_crash(result.stderr)


def test_a_5000_digit_flag_value_is_a_plain_usage_error() -> None:
    for flag in ("--severity", "--top"):
        result = run_cli("match", "--where", "knee", flag, "9" * 5000)
        assert result.returncode == 2
        assert result.stderr.startswith("needlematch: error:")
        assert_no_crash(result.stderr)


def test_a_description_that_is_not_utf8_is_refused_plainly() -> None:
    argument = run_shell("$NM match \"$(printf 'knee \\377 pain')\"")
    assert argument.returncode == 2 and "not UTF-8" in argument.stderr
    piped = run_bytes("match", "-", input=b"sharp knee pain \xff")
    assert piped.returncode == 1 and b"not UTF-8" in piped.stderr
    assert_no_crash(argument.stderr + piped.stderr.decode())


# ---------------------------------------------------------------- writing the result


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command",
    ["match --where knee --json", "match --where knee", "injuries", "match --symptoms - --json"],
)
def test_a_full_disk_is_exit_1_with_the_reason(command: str) -> None:
    result = run_shell(f"echo '{GOOD.decode()}' | $NM {command} > /dev/full")
    assert result.returncode == 1
    assert "needlematch: error: cannot write the result: No space left on device" in result.stderr
    assert_no_crash(result.stderr)


@pytest.mark.parametrize("command", ["match --where knee --json", "match --where knee"])
def test_a_closed_stdout_is_exit_1_with_the_reason(command: str) -> None:
    result = run_shell(f"$NM {command} >&-")
    assert result.returncode == 1
    assert "needlematch: error: cannot write the result:" in result.stderr
    assert_no_crash(result.stderr)


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_a_broken_pipe_is_quiet_and_never_exit_1(tmp_path: Path, as_json: bool) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes((GOOD + b"\n") * 400)
    process = subprocess.Popen(
        [*COMMAND, "match", "--symptoms", str(cases), *(["--json"] if as_json else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    stderr = process.stderr.read()
    assert process.wait(timeout=120) in (141, 0)
    assert stderr == b""


@pytest.mark.parametrize("columns", ["0", "20", "44"])
def test_a_warning_is_printed_whole_whatever_columns_says(columns: str) -> None:
    result = run_cli(*CLOT, env=cli_env(COLUMNS=columns))
    assert result.returncode == 0
    assert URGENT in result.stdout
    assert "DVT" in result.stdout and "licensed practitioner" in result.stdout


# ---------------------------------------------------------------- --report never destroys what was there


def _report(path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("match", "--where", "knee", "--json", "--report", str(path))


def test_report_replaces_a_regular_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    result = _report(target)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# needlematch")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "new.md"
    assert _report(fresh).returncode == 0 and fresh.read_text(encoding="utf-8").startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "report.md"]


def test_report_refuses_a_symlink_and_leaves_both_alone(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = _report(link)
    assert result.returncode == 1 and "symbolic link" in result.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep"
    assert json.loads(result.stdout)["matches"]  # the result itself was printed


def test_report_refuses_a_hard_linked_file(tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_text("keep", encoding="utf-8")
    os.link(first, tmp_path / "second.md")
    result = _report(first)
    assert result.returncode == 1 and "hard link" in result.stderr
    assert first.read_text(encoding="utf-8") == "keep" and first.stat().st_nlink == 2


def test_report_refuses_a_read_only_file_and_a_folder(tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("keep", encoding="utf-8")
    kept.chmod(0o444)
    result = _report(kept)
    assert result.returncode == 1 and "read-only" in result.stderr
    assert kept.read_text(encoding="utf-8") == "keep"
    assert _report(tmp_path).returncode == 1


def test_report_writes_straight_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = _report(fifo)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not a file in its place
    assert received and received[0].startswith("# needlematch")


def test_report_writes_straight_through_a_character_device() -> None:
    result = _report(Path(os.devnull))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# ---------------------------------------------------------------- what reaches a terminal or a JSON reader

HOSTILE = "\x1b[31mred\x1b]0;title\x07 \u202eevil\u202c \x9b2J \u2028sep"


def test_json_escapes_separators_and_controls() -> None:
    line = json.dumps({"where": ["knee"], "text": f"knee pain {HOSTILE} \u2029 \x85"})
    result = run_bytes("match", "--symptoms", "-", "--json", input=line.encode() + b"\n")
    assert result.returncode == 0, result.stderr
    raw = result.stdout.decode("utf-8")
    for character in ("\u2028", "\u2029", "\x85", "\x9b", "\x1b", "\x07", "\u202e"):
        assert character not in raw
    assert json.loads(raw)["symptoms"]["text"].endswith("\u2029 \x85")  # escaped, not lost


@pytest.fixture
def hostile_catalogue(tmp_path: Path) -> Path:
    data: dict[str, Any] = json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))
    for number, injury in enumerate(data["injuries"]):
        injury["name"] = f"{HOSTILE} name {number}"
        injury["short_name"] = f"{HOSTILE} short {number}"
        injury["dry_needling"]["how_it_helps"] = HOSTILE
        injury["feels_like"] = HOSTILE
    for flag in data["red_flags"]:
        flag["name"] = HOSTILE
        flag["advice"] = HOSTILE
    data["disclaimer"] = HOSTILE
    data["routine_advice"] = HOSTILE
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["match", "--where", "knee", "--part", "outer"],  # with a next question and its reason
        CLOT,
        ["injuries"],
        ["show", "it-band-syndrome"],
    ],
)
def test_catalogue_text_reaches_the_terminal_only_made_safe(
    hostile_catalogue: Path, args: list[str]
) -> None:
    result = run_bytes(*args, "--catalogue", str(hostile_catalogue))
    assert result.returncode == 0, result.stderr
    shown = (result.stdout + result.stderr).decode("utf-8")
    for character in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2028"):
        assert character not in shown, (args, repr(character))
    if args[0] == "match":
        assert "\\x1b[31mred" in shown  # visible, not obeyed


# ---------------------------------------------------------------- one set of catalogue rules


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data: dict[str, Any] = json.loads(bundled_catalogue_path().read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _set(*steps: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for step in steps[:-2]:
            node = node[step]
        node[steps[-2]] = steps[-1](data) if callable(steps[-1]) else steps[-1]

    return change


REFUSED: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "reserved id": (_set("injuries", 0, "id", UNMATCHED_ID), "reserved"),
    "subnormal prior": (_set("injuries", 0, "prior", "value", 5e-324), "greater than or equal"),
    "zero likelihood": (_set("likelihoods", "unlisted", 0.0), "greater than or equal"),
    "shared short name": (
        _set("injuries", 0, "short_name", lambda data: data["injuries"][1]["short_name"]),
        "shared by two injuries",
    ),
    "alias of another's short name": (
        _set("injuries", 0, "aliases", lambda data: [data["injuries"][1]["short_name"].upper()]),
        "shared by two injuries",
    ),
    "probability as a string": (_set("likelihoods", "typical", "0.9"), "without quotes"),
    "severity as a string": (
        _set("red_flags", 0, "when", 0, "min_severity", "5"),
        "without quotes",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_validate_and_match_refuse_the_same_catalogues(tmp_path: Path, case: str) -> None:
    change, reason = REFUSED[case]
    path = _edit(tmp_path / "catalogue.json", change)
    checked = run_cli("validate", str(path))
    assert checked.returncode == 1 and reason in checked.stderr, checked.stderr
    used = run_cli("match", "--where", "knee", "--catalogue", str(path))
    assert used.returncode == 1 and reason in used.stderr
    assert_no_crash(checked.stderr + used.stderr)


def test_what_validate_accepts_match_runs(tmp_path: Path) -> None:
    def smallest(data: dict[str, Any]) -> None:
        data["injuries"][0]["prior"]["value"] = 1e-6
        data["unmatched"]["prior"]["value"] = 1e-6

    path = _edit(tmp_path / "catalogue.json", smallest)
    assert run_cli("validate", str(path)).returncode == 0
    result = run_cli("match", "--where", "knee", "--json", "--catalogue", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    total = sum(match["probability"] for match in data["matches"])
    assert total + data["unmatched_probability"] == pytest.approx(1.0)


def test_a_reserved_id_is_the_engine_s_and_the_warning_screen_s() -> None:
    from needlematch.catalogue import RESERVED_IDS

    assert UNMATCHED_ID in RESERVED_IDS and NONE_OF_THESE in RESERVED_IDS


def test_an_empty_path_is_a_usage_error() -> None:
    for args in (
        ["validate", ""],
        ["validate", "--catalogue", ""],
        ["match", "--where", "knee", "--catalogue", ""],
        ["match", "--symptoms", ""],
    ):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("needlematch: error:") and "empty path" in result.stderr


# ---------------------------------------------------------------- usage errors: one line, never a box


@pytest.mark.parametrize(
    "args",
    [
        ["match", "--where", "knee", "--severity", "11"],
        ["match", "--where", "knee", "--top", "0"],
        ["match", "--bogus"],
        ["match", "--where"],
        ["nosuch"],
        ["show"],
    ],
)
def test_usage_errors_are_one_needlematch_line_and_exit_2(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("needlematch: error: "), result.stderr
    for box in ("╭", "│", "╰", "Usage:"):
        assert box not in result.stderr
    assert result.stdout == ""


def test_bare_needlematch_still_shows_its_help() -> None:
    result = run_cli()
    assert result.returncode == 2 and "match" in result.stdout + result.stderr


# ---------------------------------------------------------------- one onset


def test_a_sudden_onset_is_never_asked_whether_it_came_on_gradually() -> None:
    # Night pain and swelling make the bone-tumour screen (night pain, swelling,
    # gradual onset) plausible; a sudden onset has already answered it.
    result = run_cli(
        "match",
        "--onset",
        "sudden",
        "--where",
        "heel",
        "--sign",
        "night-pain,swelling",
        "--not",
        "breathless,fever,pop,weight-loss,all-the-time",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    question = json.loads(result.stdout)["next_question"]
    assert question is None or question["term"] not in {"gradual", "sudden"}
