"""The history with a real SQLite file in a temporary folder: saving, reading, forgetting, and every way the file can be unusable."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from needlematch import history
from needlematch.catalogue import Catalogue
from needlematch.engine import assess
from needlematch.symptoms import Symptoms

from .conftest import REPO, cli_env, run_cli

ITBS = ["--where", "knee", "--part", "outer", "--feels", "burning", "--trigger", "downhill"]
ITBS_SYMPTOMS = Symptoms(where=["knee"], part=["outer"], feels=["burning"], triggers=["downhill"])


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NEEDLEMATCH_HOME for this test alone (not created), for the CLI and the API alike."""
    folder = tmp_path / "data" / "needlematch"
    monkeypatch.setenv("NEEDLEMATCH_HOME", str(folder))
    return folder


def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, input=input, env=cli_env())


def save_past(catalogue: Catalogue, days_ago: float, severity: int, **symptoms: object) -> int:
    """An entry saved `days_ago` days ago, through the same API `match --save` uses."""
    result = assess(ITBS_SYMPTOMS.model_copy(update={"severity": severity, **symptoms}), catalogue)
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    return history.save(result, catalogue, saved_at=when).entry


def count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])


def one_line_error(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("needlematch: error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


# ---------------------------------------------------------------- opt-in, and nothing else written


def test_nothing_is_written_without_save(home: Path) -> None:
    assert cli("match", *ITBS, "--json").returncode == 0
    assert cli("match", *ITBS, "--pain-during", "4").returncode == 0
    assert not home.exists()


def test_history_on_a_missing_database_says_so_and_creates_nothing(home: Path) -> None:
    shown = cli("history")
    assert shown.returncode == 0 and "Nothing saved yet" in shown.stdout
    as_json = cli("history", "--json")
    assert as_json.returncode == 0 and as_json.stdout == ""
    assert "nothing saved yet" in as_json.stderr
    assert cli("history", "forget", "--all").returncode == 0
    assert not home.exists()


def test_history_on_an_empty_file_says_nothing_saved_and_leaves_it(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "history.db").write_bytes(b"")
    shown = cli("history")
    assert shown.returncode == 0 and "Nothing saved yet" in shown.stdout
    assert (home / "history.db").read_bytes() == b""


def test_saving_creates_an_owner_only_file_in_wal_mode(home: Path) -> None:
    saved = cli("match", *ITBS, "--severity", "5", "--save")
    assert saved.returncode == 0, saved.stderr
    assert "saved to your history as entry 1" in saved.stderr
    path = home / "history.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700  # the folder needlematch made
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == history.schema_version()
        db.execute("SELECT count(*) FROM entries").fetchone()
        # The write-ahead log SQLite makes beside it is owner-only too.
        assert stat.S_IMODE((home / "history.db-wal").stat().st_mode) == 0o600


def test_history_json_is_what_match_printed_plus_saved_at_and_entry(home: Path) -> None:
    printed = cli("match", *ITBS, "--severity", "6", "--save", "--json")
    assert printed.returncode == 0, printed.stderr
    lines = cli("history", "--json").stdout.splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["entry"] == 1
    saved_at = dt.datetime.fromisoformat(line["saved_at"])
    assert saved_at.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - saved_at) < dt.timedelta(minutes=5)
    assert {k: v for k, v in line.items() if k not in ("entry", "saved_at")} == json.loads(
        printed.stdout
    )
    # Byte for byte, the line starts with what was printed.
    assert lines[0].startswith(printed.stdout.strip()[:-1])


def test_the_table_chart_and_trend(home: Path, catalogue: Catalogue) -> None:
    save_past(catalogue, 9, 6)
    save_past(catalogue, 4, 5)
    save_past(catalogue, 1, 3)
    shown = cli("history")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    for part in ("Entry", "Date", "Place", "Pain", "Leading", "Triage", "6/10", "IT band syndrome"):
        assert part in out
    assert "routine" in out and "Pain over time: knee" in out
    assert "pain   6  5  3" in out
    assert "Trend: better since" in out and "(pain 6 → 3)" in out
    assert "\x1b" not in out  # NO_COLOR: plain characters
    filtered = cli("history", "--place", "heel")
    assert filtered.returncode == 0 and "Nothing saved yet for the heel" in filtered.stdout
    assert cli("history", "--place", "kneee").returncode == 2


# ---------------------------------------------------------------- the course feeds the advice


def test_a_saved_match_is_compared_with_the_last_entry_for_the_place(
    home: Path, catalogue: Catalogue
) -> None:
    save_past(catalogue, 20, 6, where=["heel"], part=["under"])
    save_past(catalogue, 5, 6)
    printed = cli("match", *ITBS, "--severity", "3", "--save", "--json")
    assert printed.returncode == 0, printed.stderr
    course = json.loads(printed.stdout)["course"]
    day = (dt.datetime.now(dt.UTC) - dt.timedelta(days=5)).astimezone().date()
    assert course["summary"] == (
        f"since {day.day} {day.strftime('%b')}: pain 6 → 3, IT band syndrome still leading"
    )
    assert course["place"] == "knee" and course["previous_entry"] == 2
    assert course["trend"]["direction"] == "better" and course["alerts"] == []
    human = cli("match", *ITBS, "--severity", "3", "--save")
    assert "Since " in human.stdout and "IT band syndrome still leading" in human.stdout
    # Not saved: no course.
    assert json.loads(cli("match", *ITBS, "--json").stdout)["course"] is None


def test_pain_rising_over_a_week_raises_the_advice(home: Path, catalogue: Catalogue) -> None:
    save_past(catalogue, 10, 3)
    save_past(catalogue, 5, 4)
    human = cli("match", *ITBS, "--severity", "6", "--save")
    assert "SEE A CLINICIAN WITHIN DAYS" in human.stdout
    assert "Pain rising over a week or more" in human.stdout
    data = json.loads(cli("history", "--json").stdout.splitlines()[-1])
    assert [alert["id"] for alert in data["course"]["alerts"]] == ["pain-rising"]
    assert data["triage"]["level"] == "soon"
    # The next entry the same day: the last three span five days, not a week.
    again = json.loads(cli("match", *ITBS, "--severity", "7", "--save", "--json").stdout)
    assert again["course"]["alerts"] == [] and again["triage"]["level"] == "routine"


def test_pain_monitoring_compares_the_next_morning_with_the_last_one(
    home: Path, catalogue: Catalogue
) -> None:
    first = cli("match", *ITBS, "--severity", "3", "--save", "--json", "--pain-next-morning", "2")
    assert json.loads(first.stdout)["pain_monitoring"]["inside_limits"] is None
    second = cli(
        "match", *ITBS, "--save", "--json", "--pain-during", "4", "--pain-next-morning", "3"
    )
    monitoring = json.loads(second.stdout)["pain_monitoring"]
    assert (monitoring["during_ok"], monitoring["morning_ok"]) == (True, False)
    assert monitoring["inside_limits"] is False and monitoring["morning_before"] == 2
    assert monitoring["sources"][0]["url"] == "https://pubmed.ncbi.nlm.nih.gov/17307888/"
    assert cli("match", *ITBS, "--pain-during", "11").returncode == 2


def test_the_report_holds_the_course(home: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    save_past(catalogue, 8, 6)
    report = tmp_path / "for-my-physio.md"
    done = cli("match", *ITBS, "--severity", "4", "--save", "--report", str(report))
    assert done.returncode == 0, done.stderr
    text = report.read_text(encoding="utf-8")
    assert "## Course (saved entries for the knee)" in text
    assert "| Date | Pain | Leading | Triage |" in text
    assert "| 6/10 | IT band syndrome" in text and "(this report) | 4/10 |" in text
    assert "What changed: Since " in text and "pain 6 → 4" in text


def test_save_is_refused_with_a_batch(home: Path) -> None:
    done = cli("match", "--symptoms", "-", "--save", input='{"where": ["knee"]}\n')
    assert done.returncode == 2 and "--save" in done.stderr
    assert not home.exists()


# ---------------------------------------------------------------- the data belongs to the runner


def test_forget_one_entry_then_all_and_the_text_is_gone_from_the_file(home: Path) -> None:
    cli("match", "zebra-marker knee pain", "--save")
    cli("match", *ITBS, "--save")
    path = home / "history.db"
    assert cli("history", "forget", "5").returncode == 2
    assert count(path) == 2
    forgot = cli("history", "forget", "1")
    assert forgot.returncode == 0 and "forgot entry 1" in forgot.stdout
    assert [stored.entry for stored in history.entries()] == [2]
    every = cli("history", "forget", "--all", "--json")
    assert json.loads(every.stdout) == {"forgot": 1, "backups": 0}
    emptied = cli("history")
    assert emptied.returncode == 0 and "Nothing saved yet" in emptied.stdout
    for file in home.iterdir():
        assert b"zebra-marker" not in file.read_bytes(), file
    assert cli("history", "forget").returncode == 2  # neither ids nor --all
    # A new entry never takes a forgotten id.
    cli("match", *ITBS, "--save")
    assert [stored.entry for stored in history.entries()] == [3]


def test_export_writes_json_lines_whole_and_owner_only(home: Path, tmp_path: Path) -> None:
    cli("match", *ITBS, "--severity", "5", "--save")
    cli("match", "heel pain first thing in the morning", "--save")
    target = tmp_path / "mine.jsonl"
    done = cli("history", "export", str(target))
    assert done.returncode == 0 and "exported 2 entries" in done.stderr
    assert target.read_text(encoding="utf-8") == cli("history", "--json").stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    missing = tmp_path / "no-folder" / "mine.jsonl"
    failed = cli("history", "export", str(missing))
    assert failed.returncode == 1 and "could not write" in one_line_error(failed.stderr)
    assert not missing.parent.exists()


def test_history_path_says_where_the_file_is(home: Path) -> None:
    assert cli("history", "path").stdout.strip() == str(home / "history.db")
    assert json.loads(cli("history", "path", "--json").stdout) == {
        "path": str(home / "history.db"),
        "exists": False,
    }


# ---------------------------------------------------------------- reliability


def test_eight_processes_saving_at_once_lose_nothing(home: Path) -> None:
    """Eight `match --save` at once on a fresh folder: creating the file races too."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "needlematch", "match", *ITBS, "--severity", str(n), "--save"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=cli_env(),
            cwd=REPO,
            text=True,
        )
        for n in range(8)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, errors
    lines = [json.loads(line) for line in cli("history", "--json").stdout.splitlines()]
    assert sorted(line["entry"] for line in lines) == list(range(1, 9))
    assert sorted(line["symptoms"]["severity"] for line in lines) == list(range(8))


def test_eight_processes_saving_in_a_loop_lose_nothing(home: Path) -> None:
    """Heavier: eight processes each saving 15 times as fast as they can."""
    worker = (
        "import sys\n"
        "from needlematch import history\n"
        "from needlematch.catalogue import load_catalogue\n"
        "from needlematch.engine import assess\n"
        "from needlematch.symptoms import Symptoms\n"
        "catalogue = load_catalogue()\n"
        "for n in range(15):\n"
        "    result = assess(Symptoms(where=['knee'], severity=n % 11,"
        " text=f'worker {sys.argv[1]} save {n}'), catalogue)\n"
        "    history.save(result, catalogue)\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", worker, str(n)],
            stderr=subprocess.PIPE,
            env=cli_env(),
            cwd=REPO,
            text=True,
        )
        for n in range(8)
    ]
    errors = [process.communicate(timeout=300)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, errors
    texts = [json.loads(s.assessment)["symptoms"]["text"] for s in history.entries()]
    assert sorted(texts) == sorted(f"worker {w} save {n}" for w in range(8) for n in range(15))


def _corrupt_files(home: Path, catalogue: Catalogue) -> list[tuple[str, Path]]:
    home.mkdir(parents=True)
    garbage = home / "garbage.db"
    garbage.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    truncated = home / "truncated.db"
    damaged = home / "damaged.db"
    for path in (truncated, damaged):
        for days in (3, 2, 1):
            result = assess(ITBS_SYMPTOMS.model_copy(update={"severity": days}), catalogue)
            history.save(result, catalogue, path=path)
    truncated.write_bytes(truncated.read_bytes()[:50])
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[page : page * 2] = b"\xff" * page  # a whole page of the table overwritten
    damaged.write_bytes(bytes(data))
    return [("garbage", garbage), ("truncated", truncated), ("damaged", damaged)]


def test_a_corrupt_database_is_refused_and_never_overwritten(
    home: Path, catalogue: Catalogue
) -> None:
    for name, source in _corrupt_files(home, catalogue):
        path = home / "history.db"
        source.replace(path)
        before = path.read_bytes()
        saved = cli("match", *ITBS, "--save")
        assert saved.returncode == 1, (name, saved.stderr)
        assert "Iliotibial" in saved.stdout  # the result is still shown
        error = one_line_error(saved.stderr)
        assert str(path) in error and "move it aside" in error, error
        assert "not saved" in error
        for args in (("history",), ("history", "--json"), ("history", "forget", "--all")):
            refused = cli(*args)
            assert refused.returncode == 1, (name, args)
            assert str(path) in one_line_error(refused.stderr)
        assert path.read_bytes() == before, name
        assert sorted(p.name for p in home.iterdir() if p.name.startswith("history")) == [
            "history.db"
        ]
        path.unlink()


def test_a_locked_database_is_waited_for_briefly_then_refused(
    home: Path, catalogue: Catalogue
) -> None:
    save_past(catalogue, 1, 4)
    path = home / "history.db"
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO entries (saved_at, place, assessment) VALUES ('x', 'y', '{}')")
        started = time.monotonic()
        saved = cli("match", *ITBS, "--save")
        waited = time.monotonic() - started
        assert saved.returncode == 1 and "Iliotibial" in saved.stdout
        error = one_line_error(saved.stderr)
        assert "locked" in error and str(path) in error and "try again" in error
        assert waited >= history.BUSY_SECONDS
        # Reading does not wait for a writer.
        assert cli("history").returncode == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count(path) == 1
    assert cli("match", *ITBS, "--save").returncode == 0
    assert count(path) == 2


def test_an_unwritable_data_folder_still_shows_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("NEEDLEMATCH_HOME", str(blocker / "needlematch"))
    saved = cli("match", *ITBS, "--save", "--json")
    assert saved.returncode == 1
    assert json.loads(saved.stdout)["matches"][0]["id"] == "it-band-syndrome"
    error = one_line_error(saved.stderr)
    assert "cannot create the history folder" in error and "NEEDLEMATCH_HOME" in error
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    # Reading a history that cannot exist there is simply empty.
    assert cli("history").returncode == 0


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes through permissions"
)
def test_a_read_only_data_folder_still_shows_the_result(home: Path) -> None:
    home.mkdir(parents=True)
    home.chmod(0o500)
    try:
        saved = cli("match", *ITBS, "--save")
        assert saved.returncode == 1 and "Iliotibial" in saved.stdout
        assert "cannot create the history file" in one_line_error(saved.stderr)
    finally:
        home.chmod(0o700)


def test_a_database_from_a_future_version_is_refused_untouched(home: Path) -> None:
    home.mkdir(parents=True)
    path = home / "history.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, shape_of_the_future BLOB)")
        db.execute(f"PRAGMA user_version = {history.schema_version() + 1}")
    db.close()
    before = path.read_bytes()
    for args in (
        ("match", *ITBS, "--save"),
        ("history",),
        ("history", "--json"),
        ("history", "forget", "--all"),
        ("history", "export", str(home / "out.jsonl")),
    ):
        refused = cli(*args)
        assert refused.returncode == 1, args
        error = one_line_error(refused.stderr)
        assert "newer needlematch" in error and str(path) in error and "upgrade" in error
    assert path.read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == ["history.db"]


def test_a_database_that_is_not_a_history_is_refused(home: Path) -> None:
    home.mkdir(parents=True)
    path = home / "history.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    db.close()
    before = path.read_bytes()
    refused = cli("match", *ITBS, "--save")
    assert refused.returncode == 1 and "not a needlematch history" in refused.stderr
    assert path.read_bytes() == before


def test_a_migration_backs_the_file_up_first(
    home: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = save_past(catalogue, 1, 5)
    path = home / "history.db"

    def add_a_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE entries ADD COLUMN note TEXT")

    monkeypatch.setattr(history, "MIGRATIONS", [*history.MIGRATIONS, add_a_column])
    assert [stored.entry for stored in history.entries()] == [entry]
    copies = history.backups()
    assert len(copies) == 1 and copies[0].name.startswith("history-v1-backup-")
    assert stat.S_IMODE(copies[0].stat().st_mode) == 0o600
    with sqlite3.connect(copies[0]) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("SELECT id FROM entries").fetchall() == [(entry,)]
    db.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "note" in [row[1] for row in db.execute("PRAGMA table_info(entries)")]
    db.close()
    # Migrated once: no second copy; and forgetting everything removes the copy too.
    history.entries()
    assert len(history.backups()) == 1
    assert history.forget_all() == (1, 1)
    assert history.backups() == []


def test_match_imports_sqlite_only_to_save_and_never_rich(home: Path) -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['needlematch', 'match', '--where', 'knee', '--json'] + sys.argv[1:]\n"
        "from needlematch.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'rich', 'questionary', 'prompt_toolkit', 'sqlite3', '_sqlite3'})\n"
        "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n"
    )

    def loaded(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            env=cli_env(),
            cwd=REPO,
            timeout=60,
        )
        assert json.loads(done.stdout)["matches"], done.stderr
        return done.stderr.strip().rsplit("LOADED=", 1)[1]

    assert loaded() == ""
    assert loaded("--pain-during", "3") == ""
    assert loaded("--save") == "_sqlite3,sqlite3"
