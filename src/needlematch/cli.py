"""The `needlematch` command line: parse flags, pick the output, map errors to exit codes.

This module holds no medical logic. rich is imported only where a table is drawn
and questionary only by the interview, so `match --json` loads typer, pydantic
and the core alone. Annotations are evaluated as the module loads (no `from
__future__ import annotations`): typer reads every command's parameters, and
evaluating them from strings instead cost every run several milliseconds.
"""

import gc
import io
import os
import signal
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, NoReturn, TextIO, cast

import typer

from needlematch import __version__
from needlematch.errors import NeedlematchError
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION

if TYPE_CHECKING:
    from needlematch.assessment import Assessment
    from needlematch.catalogue import Catalogue
    from needlematch.course import Entry
    from needlematch.engine import Ranking
    from needlematch.history import HistoryError
    from needlematch.symptoms import Symptoms


class ExitCode(IntEnum):
    """The documented exit codes (interface.md)."""

    OK = 0
    BAD_DATA = 1
    USAGE = 2
    INTERRUPTED = 130


app = typer.Typer(
    name="needlematch",
    help=(
        "A running-injury symptom checker: ranks the common running injuries that fit "
        "your symptoms, explains why, and escalates warning signs. Not a diagnosis: "
        "see a licensed practitioner."
    ),
    add_completion=True,  # --install-completion and --show-completion: bash, zsh, fish
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


class _Refused(NeedlematchError):
    """A problem the command line itself finds, with the exit code it ends with."""

    def __init__(self, code: ExitCode, message: str, *details: str) -> None:
        super().__init__(message, *details)
        self.exit_code = int(code)


def _fail(code: ExitCode, message: str, *details: str) -> NoReturn:
    """Stop with an error (and its details, one per line), printed on stderr by `_run`; exit `code`."""
    raise _Refused(code, message, *details)


def _refused(error: NeedlematchError) -> int:
    """Print a NeedlematchError as needlematch's error lines on stderr; its exit code."""
    from needlematch.printable import printable

    lines = [f"needlematch: error: {printable(error.message)}"]
    lines += [f"  {printable(detail)}" for detail in error.details]
    sys.stderr.write("\n".join(lines) + "\n")
    return error.exit_code


def _warn(message: str) -> None:
    from needlematch.printable import printable

    sys.stderr.write(f"needlematch: {printable(message)}\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"needlematch {__version__}\n")
        raise typer.Exit()


# `--version` works on every command, as the interface says, not only before one.
VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
]


@app.callback()
def _root(version: VersionOption = False) -> None:
    """needlematch: which common running injury might this be? Not a diagnosis."""


CatalogueOption = Annotated[
    str | None,
    typer.Option(
        "--catalogue",
        metavar="PATH",
        help="Read this catalogue instead of the bundled one (also: $NEEDLEMATCH_CATALOGUE).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour (also: NO_COLOR, TERM=dumb).")
]


def _load(path: str | None) -> "Catalogue":
    """The catalogue in use; a CatalogueError (exit 1) says why one cannot be used."""
    from needlematch.catalogue import load_catalogue

    if path == "":
        _fail(ExitCode.USAGE, "--catalogue was given an empty path: give a catalogue file")
    return load_catalogue(path)


def _write_json(payload: object) -> None:
    import json

    from needlematch.printable import json_safe

    sys.stdout.write(json_safe(json.dumps(payload, ensure_ascii=False)) + "\n")


# ---------------------------------------------------------------- shell completion

Completion = list[tuple[str, str]]


def _values(choices: dict[str, str]) -> Callable[[str], Completion]:
    """Shell completion of a flag's value from `choices` (value -> what it means).

    Values repeat after commas as the flags take them: `--when during-run,af<TAB>`
    offers `during-run,after-run`, and a value already in the list is not offered.
    """

    def complete(incomplete: str) -> Completion:
        given, comma, last = incomplete.rpartition(",")
        taken = set(given.lower().split(",")) if comma else set()
        start = last.strip().lower().replace("_", "-").replace(" ", "-")
        return [
            (given + comma + value, meaning)
            for value, meaning in choices.items()
            if value.startswith(start) and value not in taken
        ]

    return complete


def _term_values(dimension: str | None) -> Callable[[str], Completion]:
    """Completion of term ids: those of one dimension, or every term (None), with their labels."""
    from needlematch.vocabulary import TERMS

    return _values({term.id: term.label for term in TERMS if dimension in (None, term.dimension)})


def _injury_names(incomplete: str) -> Completion:
    """Completion of `show ID`: the ids of the catalogue in use, with their names."""
    from needlematch.catalogue import load_catalogue

    try:
        loaded = load_catalogue()
    except NeedlematchError:
        return []  # nothing to offer; `show` itself will say why
    return [
        (injury.id, injury.name)
        for injury in loaded.injuries
        if injury.id.startswith(incomplete.lower())
    ]


# ---------------------------------------------------------------- catalogue commands


@app.command()
def injuries(
    catalogue: CatalogueOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
    version: VersionOption = False,
) -> None:
    """List the injuries in the catalogue."""
    loaded = _load(catalogue)
    if as_json:
        _write_json(
            [
                {
                    "id": injury.id,
                    "name": injury.name,
                    "short_name": injury.short_name,
                    "aliases": injury.aliases,
                    "prior": injury.prior.value,
                    "dry_needling_evidence": injury.dry_needling.evidence.strength,
                }
                for injury in loaded.injuries
            ]
        )
        return
    from needlematch import render

    render.injury_list(loaded, no_color=no_color)


@app.command()
def show(
    injury_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="An injury id, name or alias (any case).",
            autocompletion=_injury_names,
        ),
    ],
    catalogue: CatalogueOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
    version: VersionOption = False,
) -> None:
    """Show one injury in full: how it feels, why, what dry needling does, evidence, sources."""
    loaded = _load(catalogue)
    injury = loaded.find(injury_id)
    if injury is None:
        closest = loaded.closest(injury_id)
        hint = f"; did you mean '{closest.name}' ({closest.id})?" if closest else ""
        _fail(
            ExitCode.USAGE,
            f"no injury called '{injury_id}' in the catalogue{hint}",
            "`needlematch injuries` lists them all.",
        )
    if as_json:
        from needlematch.printable import json_safe

        sys.stdout.write(json_safe(injury.model_dump_json()) + "\n")
        return
    from needlematch import render

    render.injury_card(injury, no_color=no_color)


@app.command()
def validate(
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help="The catalogue file to check (default: --catalogue, "
            "$NEEDLEMATCH_CATALOGUE or the bundled one).",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    as_json: JsonOption = False,
    version: VersionOption = False,
) -> None:
    """Check a catalogue file and report every problem at once, with where it is."""
    from needlematch.catalogue import CatalogueError, catalogue_path, load_catalogue
    from needlematch.printable import printable

    if path == "" or (path is None and catalogue == ""):
        _fail(
            ExitCode.USAGE,
            "validate was given an empty path: give a catalogue file, or none to check "
            "the one in use",
        )
    target = catalogue_path(path or catalogue)
    try:
        loaded = load_catalogue(target)
    except CatalogueError as bad:
        if as_json:
            _write_json({"path": bad.path, "valid": False, "problems": bad.problems})
            raise typer.Exit(int(ExitCode.BAD_DATA)) from None
        _fail(
            ExitCode.BAD_DATA,
            f"{bad.path}: {len(bad.problems)} problem{'s' if len(bad.problems) != 1 else ''}:",
            *bad.problems,
        )
    summary = {
        "path": str(target),
        "valid": True,
        "injuries": len(loaded.injuries),
        "red_flags": len(loaded.red_flags),
        "problems": [],
    }
    if as_json:
        _write_json(summary)
    else:
        sys.stdout.write(
            f"{printable(str(target))}: valid ({len(loaded.injuries)} injuries, "
            f"{len(loaded.red_flags)} red flags)\n"
        )


@app.command()
def schema(
    result: Annotated[
        bool,
        typer.Option("--result", help="The schema of a `match --json` result instead."),
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="The schema of a `history --json` line (a result, saved_at and entry) instead.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (the schema is JSON already).")
    ] = False,
    version: VersionOption = False,
) -> None:
    """Print the JSON Schema of the catalogue file (or of a result, or of a history line)."""
    import json

    from needlematch.printable import json_safe

    if result and history:
        _fail(ExitCode.USAGE, "give --result or --history, not both")
    if result or history:
        from needlematch.assessment import history_line_json_schema, result_json_schema

        document = history_line_json_schema() if history else result_json_schema()
    else:
        from needlematch.catalogue import catalogue_json_schema

        document = catalogue_json_schema()
    sys.stdout.write(json_safe(json.dumps(document, indent=2)) + "\n")


# ---------------------------------------------------------------- matching


def _split(values: list[str] | None) -> list[str]:
    """Repeated flags, each of which may hold comma-separated values."""
    found: list[str] = []
    for value in values or []:
        found += [piece for piece in value.split(",") if piece.strip()]
    return found


def _symptoms_from_flags(
    where: list[str] | None,
    part: list[str] | None,
    when: list[str] | None,
    feels: list[str] | None,
    trigger: list[str] | None,
    onset: str | None,
    sign: list[str] | None,
    absent: list[str] | None,
    both_sides: bool,
    severity: int | None,
    person: dict[str, object] | None = None,
) -> "Symptoms":
    """The flags as Symptoms; an unknown term or a contradiction is a usage error (exit 2)."""
    from pydantic import ValidationError

    from needlematch.symptoms import Symptoms, UnknownTermError, normalise_term

    try:
        terms = {
            "where": [normalise_term(v, "where") for v in _split(where)],
            "part": [normalise_term(v, "part") for v in _split(part)],
            "when": [normalise_term(v, "when") for v in _split(when)],
            "feels": [normalise_term(v, "feels") for v in _split(feels)],
            "triggers": [normalise_term(v, "triggers") for v in _split(trigger)],
            "onset": normalise_term(onset, "onset") if onset else None,
            "signs": [normalise_term(v, "signs") for v in _split(sign)],
            "absent": [normalise_term(v) for v in _split(absent)],
        }
        if person and person.get("unsure"):
            person = {**person, "unsure": [normalise_term(v) for v in person["unsure"]]}  # type: ignore[attr-defined]
    except UnknownTermError as unknown:
        _fail(ExitCode.USAGE, str(unknown))
    try:
        return Symptoms.model_validate(
            {**terms, "both_sides": both_sides, "severity": severity, **(person or {})}
        )
    except ValidationError as invalid:
        _fail(ExitCode.USAGE, _first_message(invalid))


DURATIONS = ("days", "weeks", "months", "longer")
SEXES = ("female", "male")


def _person_flags(
    age: str | None,
    sex: str | None,
    duration: str | None,
    screened: bool,
    unsure: list[str] | None,
) -> dict[str, object]:
    """--age, --sex, --duration, --screened and --unsure, checked with messages that say what to give."""
    from needlematch.symptoms import MAX_AGE, MIN_AGE

    person: dict[str, object] = {}
    if age is not None:
        text = age.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 3) or not (
            MIN_AGE <= int(text) <= MAX_AGE
        ):
            _fail(
                ExitCode.USAGE,
                f"--age takes a whole number of years from {MIN_AGE} to {MAX_AGE}, "
                f"not '{age[:20]}'",
            )
        person["age"] = int(text)
    if sex is not None:
        value = sex.strip().lower()
        value = {"f": "female", "m": "male", "woman": "female", "man": "male"}.get(value, value)
        if value not in SEXES:
            _fail(ExitCode.USAGE, f"--sex takes female or male, not '{sex[:20]}'")
        person["sex"] = value
    if duration is not None:
        value = duration.strip().lower()
        if value not in DURATIONS:
            _fail(
                ExitCode.USAGE,
                f"--duration takes one of {', '.join(DURATIONS)}, not '{duration[:20]}' "
                "(weeks: 1 to 6; months: 6 weeks to 3 months)",
            )
        person["duration"] = value
    if screened:
        person["screened"] = True
    if unsure:
        person["unsure"] = _split(unsure)
    return person


def _first_message(invalid: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(invalid, ValidationError):
        messages = []
        for detail in invalid.errors(include_url=False):
            message = detail["msg"].removeprefix("Value error, ")
            place = ".".join(str(step) for step in detail["loc"])
            messages.append(f"{place}: {message}" if place else message)
        return "; ".join(messages)
    return str(invalid)


def _check_description(text: str) -> str:
    """The description as given, or a usage error when it is too long or not text."""
    from needlematch.api import check_description

    return check_description(text)  # the API's rule and message, exit 2 at the boundary


def _understand(text: str) -> "Symptoms":
    from needlematch.parse import understand

    understood = understand(text)
    if understood.unrecognised:
        _warn("words not understood (ignored): " + ", ".join(understood.unrecognised))
    return understood.symptoms


def _read_stdin_text() -> str:
    if sys.stdin is None or sys.stdin.isatty():
        _fail(
            ExitCode.USAGE,
            "'-' reads the description from standard input, but nothing was piped in",
            'Example: echo "sharp pain on the outside of my knee" | needlematch match -',
        )
    from needlematch.limits import MAX_DESCRIPTION_CHARS
    from needlematch.strictjson import JsonProblem, decode_utf8

    # UTF-8 takes at most 4 bytes a character: reading stops at the first byte that
    # proves the description too long, so `match - < /dev/zero` ends at once.
    most = 4 * MAX_DESCRIPTION_CHARS + 3
    data = sys.stdin.buffer.read(most + 1)
    if len(data) > most:
        _fail(
            ExitCode.USAGE,
            f"the description on standard input is longer than {MAX_DESCRIPTION_CHARS:,} "
            "characters, the most needlematch reads: shorten it to what matters most",
        )
    try:
        return decode_utf8(data)
    except JsonProblem as undecodable:
        _fail(
            ExitCode.BAD_DATA,
            f"standard input: {undecodable.where()}{undecodable.message}",
        )


def _show(
    result: "Ranking | Assessment",
    catalogue: "Catalogue",
    *,
    as_json: bool,
    no_color: bool,
    top: int | None,
    interviewed: bool = False,
) -> None:
    from needlematch.assessment import Assessment

    if as_json:
        if isinstance(result, Assessment):  # after `check`, or with its course added
            from needlematch.printable import json_safe

            sys.stdout.write(json_safe(result.to_json()) + "\n")
            return
        from needlematch.resultjson import write

        sys.stdout.write(write(result) + "\n")  # the Assessment's JSON, from prewritten pieces
        return
    from needlematch import render
    from needlematch.engine import assessment_of

    shown = result if isinstance(result, Assessment) else assessment_of(result)
    render.assessment(shown, catalogue, no_color=no_color, top=top, interviewed=interviewed)


def _write_report(path: Path, assessment: "Assessment", catalogue: "Catalogue") -> None:
    """Write the practitioner report atomically; exit 1 with the reason if it cannot be written."""
    from needlematch.report import ReportRefused, markdown_report, save_report

    try:
        save_report(path, markdown_report(assessment, catalogue))
    except ReportRefused as refused:
        _fail(
            ExitCode.BAD_DATA,
            f"the report was not written: {refused}",
            "The result above is complete.",
        )
    except OSError as failed:
        _fail(
            ExitCode.BAD_DATA,
            f"could not write the report to {path}: {failed.strerror or failed}",
            "The result above is complete; choose a folder you can write to.",
        )
    _warn(f"report written to {path}")


def _batch_input(source: str) -> BinaryIO:
    """The batch's bytes: standard input for '-', else the file; exits when there are none."""
    if source == "":
        _fail(ExitCode.USAGE, "--symptoms was given an empty path: give a file, or '-'")
    if source == "-":
        if sys.stdin is None or sys.stdin.isatty():
            _fail(
                ExitCode.USAGE,
                "--symptoms - reads JSON from standard input, but nothing was piped in",
            )
        return sys.stdin.buffer
    try:
        return open(source, "rb")
    except OSError as failed:
        _fail(ExitCode.BAD_DATA, f"cannot read {source}: {failed.strerror or failed}")


def _run_batch(
    source: str,
    catalogue: "Catalogue",
    *,
    as_json: bool,
    no_color: bool,
    top: int | None,
) -> None:
    """Assess one Symptoms JSON object per line, each line on its own, answering as lines arrive.

    A bad line (not UTF-8, not JSON, not symptoms, too long) gets its own error,
    on stderr and, with --json, as `{"line": N, "error": ...}` on stdout; every
    other line is still assessed. Exit 1 at the end if any line was bad.
    """
    from needlematch.batch import BadCase, case_symptoms, raw_cases
    from needlematch.engine import rank

    _collect_again()  # a batch may run for long
    problems = 0
    cases = 0
    where = "standard input" if source == "-" else source
    stream = _batch_input(source)
    try:
        read = getattr(stream, "read1", stream.read)
        for case in raw_cases(read):
            cases += 1
            try:
                result = rank(case_symptoms(case), catalogue, top=top)
            except BadCase as bad:
                problems += 1
                column = f", column {bad.column}" if bad.column else ""
                _warn(f"{where}: line {case.number}{column}: {bad.message}")
                if as_json:
                    _write_json({"line": case.number, "error": bad.located()})
                    sys.stdout.flush()
                continue
            _show(result, catalogue, as_json=as_json, no_color=no_color, top=top)
            sys.stdout.flush()  # answered as it arrives, even into a pipe
    except OSError as failed:
        _fail(ExitCode.BAD_DATA, f"cannot read {source}: {failed.strerror or failed}")
    finally:
        if source != "-":
            stream.close()
    if cases == 0:
        _fail(ExitCode.USAGE, f"{source} holds no symptoms: give one JSON object per line")
    if problems:
        _warn(f"{problems} of {cases} input lines could not be used; the rest were assessed")
        raise typer.Exit(int(ExitCode.BAD_DATA))


def _keep(
    result: "Assessment",
    catalogue: "Catalogue",
    *,
    save: bool,
    pain_during: int | None,
    pain_next_morning: int | None,
    past: "list[Entry] | None" = None,
) -> "tuple[Assessment, str | None, HistoryError | None]":
    """The result with its course and pain monitoring, saved if asked: (result, note, failure).

    sqlite3 is imported only when saving. When the history cannot be used the
    result is still returned whole (without a course) with the failure.
    """
    failure = None
    if save:
        from needlematch.history import HistoryError
        from needlematch.history import save as save_entry

        try:
            saved = save_entry(
                result, catalogue, pain_during=pain_during, pain_next_morning=pain_next_morning
            )
        except HistoryError as problem:
            failure = problem
        else:
            note = (
                f"saved to your history as entry {saved.entry} (`needlematch history` shows "
                f"the course; `needlematch history forget {saved.entry}` removes it)"
            )
            return saved.assessment, note, None
    if pain_during is None and pain_next_morning is None:
        return result, None, failure
    import datetime

    from needlematch.course import track

    kept = track(
        result,
        catalogue.course_rules,
        past or [],
        when=datetime.datetime.now(datetime.UTC),
        pain_during=pain_during,
        pain_next_morning=pain_next_morning,
        compare=False,
    )
    return kept, None, failure


def _not_saved(failure: "HistoryError") -> None:
    """The one-line error for a save that failed after the result was shown (the caller exits 1)."""
    from needlematch.printable import printable

    sys.stderr.write(
        f"needlematch: error: {printable(failure.problem)}; the result above was not saved: "
        f"{printable(failure.remedy)}\n"
    )


TermList = list[str] | None


def _terms(what: str, dimension: str) -> str:
    """Option help that lists the valid terms, so `match --help` is the whole vocabulary."""
    return f"{what}: {', '.join(TERM_IDS_BY_DIMENSION[dimension])}."


@app.command()
def match(
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[TEXT]",
            help="Your symptoms in your own words ('-' reads them from standard input).",
            show_default=False,
        ),
    ] = None,
    where: Annotated[
        TermList,
        typer.Option(
            "--where",
            metavar="REGION",
            help=_terms("Where it hurts", "where"),
            autocompletion=_term_values("where"),
        ),
    ] = None,
    part: Annotated[
        TermList,
        typer.Option(
            "--part",
            metavar="PART",
            help=_terms("Which part of that region", "part"),
            autocompletion=_term_values("part"),
        ),
    ] = None,
    when: Annotated[
        TermList,
        typer.Option(
            "--when",
            metavar="TIMING",
            help=_terms("When it hurts", "when"),
            autocompletion=_term_values("when"),
        ),
    ] = None,
    feels: Annotated[
        TermList,
        typer.Option(
            "--feels",
            metavar="QUALITY",
            help=_terms("What it feels like", "feels"),
            autocompletion=_term_values("feels"),
        ),
    ] = None,
    trigger: Annotated[
        TermList,
        typer.Option(
            "--trigger",
            metavar="TRIGGER",
            help=_terms("What makes it worse", "triggers"),
            autocompletion=_term_values("triggers"),
        ),
    ] = None,
    onset: Annotated[
        str | None,
        typer.Option(
            "--onset",
            metavar="ONSET",
            help="How it started: sudden or gradual.",
            autocompletion=_term_values("onset"),
        ),
    ] = None,
    sign: Annotated[
        TermList,
        typer.Option(
            "--sign",
            metavar="SIGN",
            help=_terms("Anything else you notice", "signs"),
            autocompletion=_term_values("signs"),
        ),
    ] = None,
    absent: Annotated[
        TermList,
        typer.Option(
            "--not",
            metavar="TERM",
            help="A term that is absent ('no swelling').",
            autocompletion=_term_values(None),
        ),
    ] = None,
    both_sides: Annotated[
        bool, typer.Option("--both-sides", help="Both legs are affected.")
    ] = False,
    severity: Annotated[
        int | None,
        typer.Option("--severity", min=0, max=10, metavar="N", help="Pain now, 0 to 10."),
    ] = None,
    age: Annotated[
        str | None, typer.Option("--age", metavar="N", help="Your age in years, 5 to 100.")
    ] = None,
    sex: Annotated[
        str | None,
        typer.Option(
            "--sex",
            metavar="SEX",
            help="female or male.",
            autocompletion=_values({"female": "female", "male": "male"}),
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            metavar="HOW-LONG",
            help="How long it has been going on: days, weeks (1 to 6), "
            "months (6 weeks to 3 months) or longer.",
            autocompletion=_values(
                {
                    "days": "days",
                    "weeks": "1 to 6 weeks",
                    "months": "6 weeks to 3 months",
                    "longer": "longer than 3 months",
                }
            ),
        ),
    ] = None,
    screened: Annotated[
        bool,
        typer.Option(
            "--screened",
            help="The warning-sign screen was answered: every screen sign not given "
            "with --sign is absent.",
        ),
    ] = False,
    unsure: Annotated[
        TermList,
        typer.Option(
            "--unsure",
            metavar="TERM",
            help="You were asked about TERM and are not sure.",
            autocompletion=_term_values(None),
        ),
    ] = None,
    symptoms_file: Annotated[
        str | None,
        typer.Option(
            "--symptoms",
            metavar="FILE",
            help="Read Symptoms JSON (one object, or JSON Lines; '-' for stdin); "
            "one result per line.",
        ),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, metavar="N", help="Show only the top N.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Also write a Markdown report to FILE."),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Also save this assessment to your local history and compare it."
        ),
    ] = False,
    pain_during: Annotated[
        int | None,
        typer.Option(
            "--pain-during", min=0, max=10, metavar="N", help="Pain during your last run, 0 to 10."
        ),
    ] = None,
    pain_next_morning: Annotated[
        int | None,
        typer.Option(
            "--pain-next-morning",
            min=0,
            max=10,
            metavar="N",
            help="Pain the morning after that run, 0 to 10.",
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
    version: VersionOption = False,
) -> None:
    """Match symptoms given as flags and/or free text to the likely injuries.

    Example: needlematch match "burning pain on the outside of my knee, worse downhill"
    """
    flagged = _symptoms_from_flags(
        where,
        part,
        when,
        feels,
        trigger,
        onset,
        sign,
        absent,
        both_sides,
        severity,
        _person_flags(age, sex, duration, screened, unsure),
    )
    if symptoms_file is not None:
        if text is not None or not flagged.is_empty() or both_sides:
            _fail(
                ExitCode.USAGE,
                "--symptoms reads every case from the file: give either --symptoms "
                "or a description and flags, not both",
            )
        if report is not None:
            _fail(ExitCode.USAGE, "--report writes one case: it cannot be used with --symptoms")
        if save or pain_during is not None or pain_next_morning is not None:
            _fail(
                ExitCode.USAGE,
                "--save, --pain-during and --pain-next-morning keep one case: "
                "they cannot be used with --symptoms",
            )
        _run_batch(symptoms_file, _load(catalogue), as_json=as_json, no_color=no_color, top=top)
        return
    symptoms = flagged
    description = None
    if text is not None:
        from pydantic import ValidationError

        description = _check_description(_read_stdin_text() if text == "-" else text)
        try:
            symptoms = _understand(description).merged(symptoms)
        except ValidationError as clash:
            _fail(
                ExitCode.USAGE, _first_message(clash) + " (between the description and the flags)"
            )
    if not symptoms.describes_pain():
        from needlematch.api import nothing_to_match

        raise nothing_to_match(description, _load(catalogue) if description else None)
    loaded = _load(catalogue)
    from needlematch.engine import assessment_of, rank

    ranking = rank(symptoms, loaded, top=top)
    kept = None
    note = failure = None
    if save or pain_during is not None or pain_next_morning is not None:
        # The history works on the Assessment and adds the course to it.
        kept, note, failure = _keep(
            assessment_of(ranking),
            loaded,
            save=save,
            pain_during=pain_during,
            pain_next_morning=pain_next_morning,
        )
    _show(
        kept if kept is not None else ranking, loaded, as_json=as_json, no_color=no_color, top=top
    )
    if note:
        _warn(note)
    if failure is not None:
        _not_saved(failure)
    if report is not None:
        _write_report(report, kept if kept is not None else assessment_of(ranking), loaded)
    if failure is not None:
        raise typer.Exit(int(ExitCode.BAD_DATA))


@app.command()
def check(
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Also write a Markdown report to FILE."),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Ask the complete fixed questionnaire.")
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; exit 2 and say which flags to use.")
    ] = False,
    catalogue: CatalogueOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
    version: VersionOption = False,
) -> None:
    """The guided interview: where and when it hurts, how it feels, warning signs, then the result."""
    _collect_again()  # the interview waits for the runner, and its prompts make garbage
    interactive = (
        not no_input
        and sys.stdin is not None
        and sys.stdin.isatty()
        and sys.stderr is not None
        and sys.stderr.isatty()
    )
    if not interactive:
        _fail(
            ExitCode.USAGE,
            "`needlematch check` asks questions and needs a terminal on stdin and stderr"
            + (" (--no-input was given)" if no_input else ""),
            "Give the same answers as flags instead, for example:",
            "needlematch match --where knee --part outer --when during-run "
            "--feels burning --trigger downhill --onset gradual --severity 4",
            'or in your own words: needlematch match "burning pain outside my knee on long runs"',
        )
    loaded = _load(catalogue)
    from needlematch.engine import assess
    from needlematch.interview import run_interview

    # Ctrl-C while the next question is being worked out (between prompts) must
    # reach the interview as it does at a prompt, so that a warning sign already
    # found is still shown: not the program-wide handler, which exits at once.
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        symptoms = run_interview(loaded, full=full, no_color=no_color)
    except KeyboardInterrupt as stop:
        partial = getattr(stop, "symptoms", None)
        if partial is not None:
            # A warning sign already found is shown even when the runner quits.
            from needlematch import render

            render.warning_on_interrupt(assess(partial, loaded), no_color=no_color)
        sys.stderr.write("\nneedlematch: interrupted; nothing was saved.\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    finally:
        signal.signal(signal.SIGINT, previous_handler)

    result = assess(symptoms, loaded)
    save, pain_during, pain_next_morning, past = _ask_to_keep(result, no_color=no_color)
    result, note, failure = _keep(
        result,
        loaded,
        save=save,
        pain_during=pain_during,
        pain_next_morning=pain_next_morning,
        past=past,
    )
    _show(result, loaded, as_json=as_json, no_color=no_color, top=None, interviewed=True)
    if note:
        _warn(note)
    if failure is not None:
        _not_saved(failure)
    if report is not None:
        _write_report(report, result, loaded)
    if failure is not None:
        raise typer.Exit(int(ExitCode.BAD_DATA))


def _ask_to_keep(
    result: "Assessment", *, no_color: bool
) -> "tuple[bool, int | None, int | None, list[Entry]]":
    """After the interview: the pain-monitoring questions (when the history has this place) and
    "Save this to your history?"; none of them after an emergency, which must not wait."""
    if result.triage.level == "emergency":
        return False, None, None, []
    from needlematch.course import place_of
    from needlematch.history import HistoryError, earlier_entries, history_path
    from needlematch.interview import ask_pain_monitoring, ask_to_save

    place = place_of(result.symptoms.where)
    past: list[Entry] = []
    try:
        past = earlier_entries(place)
    except HistoryError as problem:
        _warn(f"your history cannot be read: {problem}")
    pain_during = pain_next_morning = None
    try:
        if past and place is not None:
            pain_during, pain_next_morning = ask_pain_monitoring(place, no_color=no_color)
        save = ask_to_save(history_path(), no_color=no_color)
    except KeyboardInterrupt:
        sys.stderr.write("\nneedlematch: interrupted; nothing was saved.\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    return save, pain_during, pain_next_morning, past


# ---------------------------------------------------------------- history

history_app = typer.Typer(
    help=(
        "Your saved assessments, the pain over time and the trend. Saving is opt-in: "
        "`match --save`, or yes at the end of `check`."
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(history_app, name="history")


def _history_failed(problem: "HistoryError") -> NoReturn:
    _fail(ExitCode.BAD_DATA, f"{problem.problem}: {problem.remedy}")


@history_app.callback(invoke_without_command=True)
def history(
    context: typer.Context,
    place: Annotated[
        str | None,
        typer.Option("--place", metavar="REGION", help="Only the entries for this region."),
    ] = None,
    catalogue: CatalogueOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON Lines: each saved result plus saved_at and entry.")
    ] = False,
    no_color: NoColorOption = False,
    version: VersionOption = False,
) -> None:
    """Your saved assessments: a table, the pain over time and the trend."""
    _collect_again()  # the history (and its subcommands) read a file of any length
    if context.invoked_subcommand is not None:
        return
    from needlematch.history import HistoryError, entries

    region = None
    if place is not None:
        from needlematch.symptoms import UnknownTermError, normalise_term

        try:
            region = normalise_term(place, "where")
        except UnknownTermError as unknown:
            _fail(ExitCode.USAGE, str(unknown))
    try:
        saved = entries(place=region)
    except HistoryError as problem:
        _history_failed(problem)
    nothing = "nothing saved yet" + (f" for the {region}" if region else "")
    if as_json:
        for stored in saved:
            sys.stdout.write(stored.json_line() + "\n")
        if not saved:
            _warn(nothing)
        return
    if not saved:
        sys.stdout.write(
            f"{nothing[0].upper()}{nothing[1:]}: add --save to `needlematch match`, "
            "or answer yes at the end of `needlematch check`.\n"
        )
        return
    loaded = _load(catalogue)
    clear_change = loaded.course_rules.no_improvement.min_drop if loaded.course_rules else 1
    from needlematch import render

    render.history_view(
        [stored.course_entry() for stored in saved], clear_change=clear_change, no_color=no_color
    )


@history_app.command("forget")
def history_forget(
    ids: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="ID",
            help="The entries to delete (`needlematch history`).",
            show_default=False,
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Delete every entry, and the copies kept before upgrades.")
    ] = False,
    as_json: JsonOption = False,
    version: VersionOption = False,
) -> None:
    """Delete saved entries, by id or --all."""
    from needlematch.history import HistoryError, forget, forget_all

    if every == bool(ids):
        _fail(
            ExitCode.USAGE,
            "give the ids of the entries to forget (`needlematch history` lists them), or --all",
        )
    try:
        if every:
            deleted, copies = forget_all()
            message = f"forgot {deleted} entr{'y' if deleted == 1 else 'ies'}"
            if copies:
                message += f" and {copies} backup cop{'y' if copies == 1 else 'ies'}"
            summary: dict[str, object] = {"forgot": deleted, "backups": copies}
        else:
            wanted = list(ids or [])
            missing = forget(wanted)
            if missing:
                _fail(
                    ExitCode.USAGE,
                    f"no entr{'y' if len(missing) == 1 else 'ies'} "
                    f"{', '.join(map(str, missing))} in your history; nothing was deleted "
                    "(`needlematch history` lists them)",
                )
            message = (
                f"forgot entr{'y' if len(wanted) == 1 else 'ies'} {', '.join(map(str, wanted))}"
            )
            summary = {"forgot": wanted}
    except HistoryError as problem:
        _history_failed(problem)
    if as_json:
        _write_json(summary)
    else:
        sys.stdout.write(message + "\n")


@history_app.command("export")
def history_export(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="Where to write the JSON Lines ('-': stdout).")
    ],
    as_json: JsonOption = False,
    version: VersionOption = False,
) -> None:
    """Write every saved entry to FILE as JSON Lines (as `history --json` prints them)."""
    from needlematch.history import HistoryError, entries, export
    from needlematch.report import ReportRefused

    try:
        if file == "-":
            for stored in entries():
                sys.stdout.write(stored.json_line() + "\n")
            return
        count = export(Path(file))
    except HistoryError as problem:
        _history_failed(problem)
    except ReportRefused as refused:
        _fail(ExitCode.BAD_DATA, f"will not write the export: {refused}")
    except OSError as failed:
        _fail(ExitCode.BAD_DATA, f"could not write {file}: {failed.strerror or failed}")
    if as_json:
        _write_json({"path": file, "entries": count})
    else:
        _warn(f"exported {count} entr{'y' if count == 1 else 'ies'} to {file}")


@history_app.command("path")
def history_path_command(as_json: JsonOption = False, version: VersionOption = False) -> None:
    """Print where the history file is (or would be)."""
    from needlematch.history import history_path

    path = history_path()
    if as_json:
        _write_json({"path": str(path), "exists": path.is_file()})
    else:
        sys.stdout.write(f"{path}\n")


def _interrupted(signum: int, frame: object) -> None:
    # click would turn Ctrl-C into "Aborted!" and exit 1; the interface says 130.
    sys.stderr.write("\nneedlematch: interrupted.\n")
    raise SystemExit(int(ExitCode.INTERRUPTED))


# ---------------------------------------------------------------- writing the result

# The exit status of a process that wrote into a pipe whose reader had gone, as the
# shell reports one killed by SIGPIPE (128 + 13): `needlematch ... | head -1` is no failure.
BROKEN_PIPE = 141


class _OutputFailed(Exception):
    """Writing to standard output failed. Not an OSError on purpose: typer turns a
    broken pipe (EPIPE) raised inside a command into exit 1, which means bad data."""

    def __init__(self, error: OSError | None) -> None:
        self.error = error
        super().__init__(str(error) if error else "standard output is closed")


class _GuardedOutput:
    """Standard output that reports a failed write (full disk, closed pipe or descriptor)
    as _OutputFailed, so the run ends with the reason instead of a false success."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"
        self.errors: str | None = getattr(stream, "errors", None)

    def write(self, text: str, /) -> int:
        if self._stream is None:
            raise _OutputFailed(None)
        try:
            return self._stream.write(text)
        except OSError as failed:
            raise _OutputFailed(failed) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as failed:
            raise _OutputFailed(failed) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def _discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so what is still buffered can be flushed
    (at exit) without a second failure and an "Exception ignored" trace."""
    stream = sys.__stdout__
    if stream is None:
        return
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, stream.fileno())
        os.close(quiet)
    except OSError:
        pass


def _output_failed(failed: _OutputFailed) -> int:
    _discard_stdout()
    if isinstance(failed.error, BrokenPipeError):
        return BROKEN_PIPE  # the reader has all it wanted: say nothing
    reason = failed.error.strerror or str(failed.error) if failed.error else None
    sys.stderr.write(
        f"needlematch: error: cannot write the result: {reason or 'standard output is closed'}\n"
    )
    return int(ExitCode.BAD_DATA)


# ---------------------------------------------------------------- usage errors


def _usage_error(problem: BaseException) -> int | None:
    """Show a click usage error (unknown option, out-of-range value...) in needlematch's
    one-line form instead of typer's box; its exit code, or None if it is none.

    Matched by shape, not class: typer 0.29 carries its own copy of click.
    """
    show = getattr(problem, "format_message", None)
    code = getattr(problem, "exit_code", None)
    if not callable(show) or not isinstance(code, int):
        return None
    context = getattr(problem, "ctx", None)
    if type(problem).__name__ == "NoArgsIsHelpError":
        # Bare `needlematch`: the help is the message (typer's rich help has printed itself).
        help_text = str(show())
        if help_text.strip():
            sys.stdout.write(help_text.rstrip("\n") + "\n")
        return code
    from needlematch.printable import printable

    lines = [f"needlematch: error: {printable(str(show()))}"]
    if context is not None:
        lines.append(f"  Try '{context.command_path} -h' for help.")
    sys.stderr.write("\n".join(lines) + "\n")
    return code


def _run() -> int:
    """Run the command; its exit code. Every way out of the command line ends here."""
    try:
        # Named as installed, so `python -m needlematch` answers the same completion
        # requests ($_NEEDLEMATCH_COMPLETE) and shows the same usage lines.
        code = app(standalone_mode=False, prog_name="needlematch")
        sys.stdout.flush()  # a result still in the buffer is not written yet
    except _OutputFailed as failed:
        return _output_failed(failed)
    except NeedlematchError as error:  # bad input or data, from the library or from here
        return _refused(error)
    except typer.Abort:
        sys.stderr.write("\nneedlematch: interrupted.\n")
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        sys.stderr.write("\nneedlematch: interrupted.\n")
        return int(ExitCode.INTERRUPTED)
    except Exception as unexpected:  # the last line of defence: never a traceback
        usage = _usage_error(unexpected)
        if usage is not None:
            return usage
        sys.stderr.write(
            f"needlematch: internal error: {type(unexpected).__name__}: {unexpected}\n"
            "  This is a bug in needlematch, not in your input; please report it with the "
            "command you ran.\n"
        )
        return int(ExitCode.BAD_DATA)
    return code if isinstance(code, int) else int(ExitCode.OK)


def main() -> None:
    """Console-script entry point."""
    global _PAUSED
    if os.environ.get("TERM") == "dumb" and "NO_COLOR" not in os.environ:
        os.environ["NO_COLOR"] = "1"
    # As typer does while it builds its converters: the command line uses no pydantic
    # plugin, and looking for them reads every installed package's metadata (about 8 ms).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    signal.signal(signal.SIGINT, _interrupted)
    sys.stdout = cast(TextIO, _GuardedOutput(sys.stdout))
    # A command starts by making some 30,000 objects the cyclic garbage collector
    # tracks (typer's commands and converters, pydantic's models, the catalogue),
    # nearly all of which live until it ends: the collector would go through them,
    # and the 17,000 loading this module made, again and again, and once more at
    # exit, and find next to nothing to free (about 8% of the instructions of
    # `match --json`, more of its time). It is paused while the command runs; a
    # command that goes on working (a batch, the interview, the history) resumes it
    # at once, with what start-up made set aside (`_collect_again`). Freeing by
    # reference counting is never paused.
    _PAUSED = gc.isenabled()
    gc.disable()
    try:
        code = _run()
        try:
            sys.stdout.flush()
        except _OutputFailed as failed:
            code = _output_failed(failed) if code == 0 else code
    finally:
        _collect_again()
    sys.exit(code)


# The collector was paused by `main` (not by a test or a program that imports this module).
_PAUSED = False


def _collect_again() -> None:
    """Resume the garbage collector paused by `main`, for a command that goes on working.

    What start-up made is frozen first (gc.freeze): it lives until the end, so the
    collector leaves it out from now on.
    """
    global _PAUSED
    if _PAUSED:
        _PAUSED = False
        gc.freeze()
        gc.enable()
