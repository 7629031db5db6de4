"""Saved assessments in a local SQLite file: opt-in, owner-only, WAL, versioned with forward migrations; the only module that writes files besides the report.

The file lives in the platform's user data folder for "needlematch" (or in
$NEEDLEMATCH_HOME). Nothing here is called unless the runner asked to save or
to see their history, and reading never creates the file. A file this
version cannot use (damaged, not a history, or written by a newer version)
is refused and left exactly as it is: never repaired, replaced or emptied.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models load only where a course is followed, not for `history --json`
    from needlematch.assessment import Assessment
    from needlematch.catalogue import Catalogue
    from needlematch.course import Entry

HOME_ENV = "NEEDLEMATCH_HOME"
FILE_NAME = "history.db"

# How long to wait for another program's write to finish before giving up.
BUSY_SECONDS = 3.0

# How many earlier entries for one place are read to follow the course.
COURSE_WINDOW = 400

# How often a save works its course out again outside the write lock when another
# process saved the same place meanwhile, before doing it under the lock.
OPTIMISTIC_TRIES = 3

_MAGIC = b"SQLite format 3\x00"


class HistoryError(Exception):
    """The history cannot be used: `problem` says what and where, `remedy` what to do about it."""

    def __init__(self, path: Path, problem: str, remedy: str) -> None:
        self.path = path
        self.problem = problem
        self.remedy = remedy
        super().__init__(f"{problem}: {remedy}")


def history_home() -> Path:
    """$NEEDLEMATCH_HOME, or the platform's user data folder for needlematch."""
    chosen = os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("needlematch", appauthor=False))


def history_path() -> Path:
    """Where the history file is (it may not exist yet)."""
    return history_home() / FILE_NAME


# ---------------------------------------------------------------- schema and migrations


def _create_entries(db: sqlite3.Connection) -> None:
    # `assessment` is the JSON exactly as `match --json` printed it; the other
    # columns are what the history is searched and ordered by.
    db.execute(
        "CREATE TABLE entries ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " saved_at TEXT NOT NULL,"
        " place TEXT,"
        " assessment TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX entries_by_place ON entries (place, saved_at)")


# Applied in order, each once: a file at version N has had the first N. Only
# ever append: a released migration is never edited or removed.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_entries]


def schema_version() -> int:
    """The version this needlematch writes: the number of migrations."""
    return len(MIGRATIONS)


# ---------------------------------------------------------------- errors a person can act on


def _damaged(path: Path, detail: str) -> HistoryError:
    return HistoryError(
        path,
        f"the history file {path} is damaged or is not a needlematch history ({detail}); "
        "it was left as it is",
        "move it aside (or restore a copy of it) and needlematch starts a new one",
    )


def _explain(error: sqlite3.Error, path: Path) -> HistoryError:
    """An sqlite3 error as what happened to the file and what to do."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    lowered = text.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered:
        return HistoryError(
            path,
            f"the history file {path} is locked by another program (waited {BUSY_SECONDS:g} s)",
            "try again when it has finished",
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        word in lowered for word in ("malformed", "not a database", "corrupt")
    ):
        return _damaged(path, text)
    if name.startswith("SQLITE_READONLY") or "readonly" in lowered:
        return HistoryError(
            path,
            f"the history file {path} cannot be written ({text})",
            "check that you own it and can write to it and to its folder",
        )
    if name.startswith("SQLITE_FULL") or "full" in lowered:
        return HistoryError(path, f"the disk holding {path} is full", "free some space")
    return HistoryError(
        path,
        f"the history file {path} could not be used ({text})",
        "check the file and its folder, or set NEEDLEMATCH_HOME to another folder",
    )


# ---------------------------------------------------------------- opening


def _create_file(path: Path) -> None:
    """The folder and an empty file readable by its owner only, unless they are there already."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as failed:
        reason = "a file is in the way" if isinstance(failed, FileExistsError) else failed.strerror
        raise HistoryError(
            path,
            f"cannot create the history folder {folder} ({reason or failed})",
            f"set {HOME_ENV} to a folder you can write to",
        ) from None
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as failed:
        raise HistoryError(
            path,
            f"cannot create the history file {path} ({failed.strerror or failed})",
            f"check that you can write to {folder}, or set {HOME_ENV} to another folder",
        ) from None
    os.close(handle)


def _header_version(path: Path) -> int | None:
    """The schema version in the file's header, read without SQLite; None for an empty file.

    A file that is not SQLite, or was written by a newer needlematch, is
    refused here, before SQLite could touch it.
    """
    try:
        with open(path, "rb") as stream:
            header = stream.read(100)
    except OSError as failed:
        raise HistoryError(
            path,
            f"cannot read the history file {path} ({failed.strerror or failed})",
            "check that you own it and can read it",
        ) from None
    if not header:
        return None
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise _damaged(path, "it is not an SQLite database")
    version = int.from_bytes(header[60:64], "big", signed=True)
    _refuse_future(path, version)
    return version


def _refuse_future(path: Path, version: int) -> None:
    if version > schema_version():
        raise HistoryError(
            path,
            f"the history file {path} was written by a newer needlematch (schema version "
            f"{version}; this one reads up to {schema_version()}); it was left as it is",
            "upgrade needlematch to use it",
        )
    if version < 0:
        raise _damaged(path, f"schema version {version}")


def _version(db: sqlite3.Connection) -> int:
    row = db.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _use_wal(db: sqlite3.Connection) -> None:
    """Write-ahead logging, so readers never wait for a writer; set once, kept by the file."""
    if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as busy:
            if "locked" not in str(busy).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextlib.contextmanager
def _writing(db: sqlite3.Connection) -> Iterator[None]:
    """One short write transaction, taken at once (BEGIN IMMEDIATE) so it never deadlocks on upgrade."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def backup_path(path: Path, version: int, when: dt.datetime) -> Path:
    """Where the copy taken before upgrading from `version` goes: beside the file."""
    stamp = when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}-v{version}-backup-{stamp}{path.suffix}")


def backups(path: Path | None = None) -> list[Path]:
    """The copies taken before migrations, oldest first."""
    path = path or history_path()
    if not path.parent.is_dir():
        return []
    return sorted(path.parent.glob(f"{path.stem}-v*-backup-*{path.suffix}"))


def _back_up(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """A whole copy of the file (SQLite's backup API), owner-only, before it is migrated."""
    target = backup_path(path, version, dt.datetime.now(dt.UTC))
    suffix = 1
    while True:
        try:
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            suffix += 1
            target = target.with_name(f"{target.stem.rsplit('.', 1)[0]}.{suffix}{path.suffix}")
        except OSError as failed:
            raise HistoryError(
                path,
                f"cannot back up the history file {path} before upgrading it "
                f"({failed.strerror or failed}); it was left as it is",
                f"make room in {path.parent}, or check that you can write to it",
            ) from None
    os.close(handle)
    copy = sqlite3.connect(target)
    try:
        db.backup(copy)
    except sqlite3.Error as failed:
        copy.close()
        target.unlink(missing_ok=True)
        raise HistoryError(
            path,
            f"cannot back up the history file {path} before upgrading it ({failed}); "
            "it was left as it is",
            "free some space and try again",
        ) from None
    copy.close()
    return target


def _migrate(db: sqlite3.Connection, path: Path, seen: int) -> None:
    """Apply the migrations the file lacks, in one transaction, after a backup of any data."""
    if seen > 0:
        _back_up(db, path, seen)
    with _writing(db):
        # Another process may have migrated it since `seen` was read.
        current = _version(db)
        _refuse_future(path, current)
        for migration in MIGRATIONS[current:]:
            migration(db)
        db.execute(f"PRAGMA user_version = {schema_version()}")


def _connect(path: Path, *, write: bool) -> sqlite3.Connection | None:
    """An open, current history; None when there is nothing saved and `write` is False.

    With `write` the folder and file are created as needed. Raises HistoryError.
    """
    if write:
        _create_file(path)
    elif not path.exists():
        return None
    elif not path.is_file():
        raise _damaged(path, "it is not a file")
    if _header_version(path) is None and not write:
        return None
    try:
        db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_SECONDS,
            isolation_level=None,
        )
    except sqlite3.Error as failed:
        raise _explain(failed, path) from None
    try:
        # One statement, so one snapshot: another process may be creating the tables and
        # setting the version (in one transaction) between two separate reads.
        version, tables = db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        _refuse_future(path, version)
        if version == 0 and tables:
            raise _damaged(path, "it holds tables but no needlematch schema version")
        if version == 0 and not write:
            db.close()
            return None
        # Forgotten entries are overwritten on disk, not merely unlinked.
        db.execute("PRAGMA secure_delete = ON")
        if write or version < schema_version():
            _use_wal(db)
        # A damaged file is refused before anything reads from or writes to it.
        check = db.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise _damaged(path, f"integrity check: {check[0] if check else 'no answer'}")
        if version < schema_version():
            _migrate(db, path, version)
    except sqlite3.Error as failed:
        db.close()
        raise _explain(failed, path) from None
    except BaseException:
        db.close()
        raise
    return db


# ---------------------------------------------------------------- what is saved


@dataclass(frozen=True, slots=True)
class Stored:
    """One saved entry as it is in the file: its id, when, where, and the JSON that was printed."""

    entry: int
    saved_at: str
    place: str | None
    assessment: str

    def json_line(self) -> str:
        """The assessment's JSON with `saved_at` and `entry` added: one line of `history --json`."""
        from needlematch.printable import json_safe

        text = self.assessment.strip()
        extra = f'"saved_at":{json.dumps(self.saved_at)},"entry":{self.entry}'
        body = text[:-1].rstrip()
        # The same escaping as `match --json`: no raw separators or controls in a line.
        return json_safe(body + ("," if body != "{" else "") + extra + "}")

    def course_entry(self) -> Entry:
        from needlematch.course import entry_from_json, parse_time

        return entry_from_json(self.entry, parse_time(self.saved_at), json.loads(self.assessment))


def _stored(row: tuple[object, ...], path: Path) -> Stored:
    entry, saved_at, place, assessment = row
    if (
        not isinstance(entry, int)
        or not isinstance(saved_at, str)
        or not isinstance(assessment, str)
    ):
        raise _damaged(path, f"entry {entry} is not a saved assessment")
    try:
        dt.datetime.fromisoformat(saved_at)
        if not isinstance(json.loads(assessment), dict):
            raise ValueError("not an object")
    except ValueError:
        raise _damaged(path, f"entry {entry} is not a saved assessment") from None
    return Stored(entry, saved_at, place if isinstance(place, str) else None, assessment)


def entries(path: Path | None = None, place: str | None = None) -> list[Stored]:
    """Every saved entry (or those for one place), oldest first; [] when nothing was ever saved.

    Never creates the file. Raises HistoryError.
    """
    path = path or history_path()
    db = _connect(path, write=False)
    if db is None:
        return []
    try:
        query = "SELECT id, saved_at, place, assessment FROM entries"
        arguments: tuple[object, ...] = ()
        if place is not None:
            query += " WHERE place = ?"
            arguments = (place,)
        rows = db.execute(query + " ORDER BY saved_at, id", arguments).fetchall()
        return [_stored(tuple(row), path) for row in rows]
    except sqlite3.Error as failed:
        raise _explain(failed, path) from None
    finally:
        db.close()


def _recent(db: sqlite3.Connection, place: str, path: Path) -> tuple[int | None, list[Entry]]:
    """(The newest entry id for `place`, its latest entries oldest first), as one snapshot."""
    from needlematch.course import entry_from_json, parse_time

    began = not db.in_transaction
    if began:
        db.execute("BEGIN")  # a read snapshot: it blocks no writer
    try:
        newest = db.execute("SELECT max(id) FROM entries WHERE place = ?", (place,)).fetchone()[0]
        rows = db.execute(
            "SELECT id, saved_at, place, assessment FROM entries WHERE place = ? "
            "ORDER BY saved_at DESC, id DESC LIMIT ?",
            (place, COURSE_WINDOW),
        ).fetchall()
    finally:
        if began:
            db.execute("COMMIT")
    found = []
    for entry, saved_at, _, assessment in reversed(rows):
        try:
            data = json.loads(assessment)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            found.append(entry_from_json(entry, parse_time(saved_at), data))
        except (TypeError, ValueError):
            raise _damaged(path, f"entry {entry} is not a saved assessment") from None
    return newest, found


def earlier_entries(place: str | None, path: Path | None = None) -> list[Entry]:
    """The saved entries for one place, oldest first ([] for no place or no file); never creates it."""
    if place is None:
        return []
    path = path or history_path()
    db = _connect(path, write=False)
    if db is None:
        return []
    try:
        return _recent(db, place, path)[1]
    except sqlite3.Error as failed:
        raise _explain(failed, path) from None
    finally:
        db.close()


@dataclass(frozen=True, slots=True)
class Saved:
    """A saved assessment: as it was printed (with its course) and the entry it became."""

    assessment: Assessment
    entry: int
    path: Path


def save(
    result: Assessment,
    catalogue: Catalogue,
    *,
    pain_during: int | None = None,
    pain_next_morning: int | None = None,
    saved_at: dt.datetime | None = None,
    path: Path | None = None,
) -> Saved:
    """Follow the course against the earlier entries for this place, and save the result with it.

    The course is worked out from a read snapshot, outside the write lock, so
    that a save holds the lock only to insert; if another process saved an
    entry for the same place meanwhile, it is worked out again under the lock,
    so the entry compared with is always the last one. Raises HistoryError
    (nothing is saved then).
    """
    from needlematch.course import place_of, track

    path = path or history_path()
    when = (saved_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    place = place_of(result.symptoms.where)

    def followed(db: sqlite3.Connection) -> tuple[int | None, str, Assessment]:
        newest, past = _recent(db, place, path) if place is not None else (None, [])
        final = track(
            result,
            catalogue.course_rules,
            past,
            when=when,
            pain_during=pain_during,
            pain_next_morning=pain_next_morning,
        )
        return newest, final.to_json(), final

    db = _connect(path, write=True)
    assert db is not None
    entry = None
    try:
        for attempt in range(OPTIMISTIC_TRIES + 1):
            newest, text, final = followed(db)
            with _writing(db):
                if place is not None:
                    now_newest = db.execute(
                        "SELECT max(id) FROM entries WHERE place = ?", (place,)
                    ).fetchone()[0]
                    if now_newest != newest:
                        if attempt < OPTIMISTIC_TRIES:
                            continue  # release the lock and work it out again
                        newest, text, final = followed(db)  # under the lock, at last
                cursor = db.execute(
                    "INSERT INTO entries (saved_at, place, assessment) VALUES (?, ?, ?)",
                    (when.isoformat(), place, text),
                )
                entry = cursor.lastrowid
            break
    except sqlite3.Error as failed:
        raise _explain(failed, path) from None
    finally:
        db.close()
    assert entry is not None
    return Saved(final, entry, path)


def _tidy(db: sqlite3.Connection) -> None:
    # Deleted pages may still sit in the write-ahead log: fold it in and empty it.
    # (Another reader may hold the log: it is folded in when that one ends.)
    with contextlib.suppress(sqlite3.Error):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def forget(ids: Sequence[int], path: Path | None = None) -> list[int]:
    """Delete these entries, all or none: returns the ids that are not saved (nothing deleted then)."""
    path = path or history_path()
    wanted = list(dict.fromkeys(ids))
    db = _connect(path, write=False)
    if db is None:
        return wanted
    try:
        with _writing(db):
            marks = ",".join("?" * len(wanted))
            found = {
                row[0]
                for row in db.execute(f"SELECT id FROM entries WHERE id IN ({marks})", wanted)
            }
            missing = [entry for entry in wanted if entry not in found]
            if not missing:
                db.execute(f"DELETE FROM entries WHERE id IN ({marks})", wanted)
        if not missing:
            _tidy(db)
        return missing
    except sqlite3.Error as failed:
        raise _explain(failed, path) from None
    finally:
        db.close()


def forget_all(path: Path | None = None) -> tuple[int, int]:
    """Delete every entry and the copies taken before migrations: (entries, copies) deleted."""
    path = path or history_path()
    db = _connect(path, write=False)
    deleted = 0
    if db is not None:
        try:
            with _writing(db):
                deleted = db.execute("DELETE FROM entries").rowcount
            _tidy(db)
        except sqlite3.Error as failed:
            raise _explain(failed, path) from None
        finally:
            db.close()
    copies = backups(path)
    for copy in copies:
        copy.unlink(missing_ok=True)
    return deleted, len(copies)


def export(target: Path, path: Path | None = None) -> int:
    """Write every entry to `target` as JSON Lines, whole or not at all; returns how many.

    The same rules as a report: never through a link, a FIFO or device written
    straight through, an existing file replaced whole (raises ReportRefused or OSError).
    """
    from needlematch.report import save_report

    saved = entries(path)
    save_report(target, "".join(stored.json_line() + "\n" for stored in saved))
    return len(saved)
