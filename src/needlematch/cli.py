"""The `needlematch` command line: parse flags, pick the output, map errors to exit codes.

This module holds no medical logic. rich is imported only where a table is drawn
and questionary only by the interview, so `match --json` loads typer, pydantic
and the core alone.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from needlematch import __version__
from needlematch.vocabulary import TERM_IDS_BY_DIMENSION

if TYPE_CHECKING:
    from needlematch.assessment import Assessment
    from needlematch.catalogue import Catalogue
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
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _fail(code: ExitCode, message: str, *details: str) -> NoReturn:
    """Print an error (and its details, one per line) on stderr and exit with `code`."""
    from needlematch.printable import printable

    lines = [f"needlematch: error: {printable(message)}"]
    lines += [f"  {printable(detail)}" for detail in details]
    sys.stderr.write("\n".join(lines) + "\n")
    raise typer.Exit(int(code))


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


def _load(path: str | None) -> Catalogue:
    from needlematch.catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue(path)
    except CatalogueError as bad:
        _fail(
            ExitCode.BAD_DATA,
            f"the catalogue {bad.path} is not usable ({len(bad.problems)} problem"
            f"{'s' if len(bad.problems) != 1 else ''}); fix it, or check it with "
            "`needlematch validate PATH`:",
            *bad.problems,
        )


def _write_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")


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
        str, typer.Argument(metavar="ID", help="An injury id, name or alias (any case).")
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
        sys.stdout.write(injury.model_dump_json() + "\n")
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
            f"{target}: valid ({len(loaded.injuries)} injuries, "
            f"{len(loaded.red_flags)} red flags)\n"
        )


@app.command()
def schema(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (the schema is JSON already).")
    ] = False,
    version: VersionOption = False,
) -> None:
    """Print the JSON Schema of the catalogue file."""
    from needlematch.catalogue import catalogue_json_schema

    sys.stdout.write(json.dumps(catalogue_json_schema(), indent=2) + "\n")


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
) -> Symptoms:
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


def _understand(text: str) -> Symptoms:
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
    try:
        return sys.stdin.read()
    except UnicodeDecodeError as undecodable:
        _fail(
            ExitCode.BAD_DATA,
            f"standard input is not UTF-8 text (byte {undecodable.start}); "
            "pipe in the description as plain text",
        )


def _show(
    assessment: Assessment,
    catalogue: Catalogue,
    *,
    as_json: bool,
    no_color: bool,
    top: int | None,
    interviewed: bool = False,
) -> None:
    if as_json:
        sys.stdout.write(assessment.to_json() + "\n")
        return
    from needlematch import render

    render.assessment(assessment, catalogue, no_color=no_color, top=top, interviewed=interviewed)


def _write_report(path: Path, assessment: Assessment, catalogue: Catalogue) -> None:
    """Write the practitioner report atomically; exit 1 with the reason if it cannot be written."""
    from needlematch.report import markdown_report, write_atomically

    try:
        write_atomically(path, markdown_report(assessment, catalogue))
    except OSError as failed:
        _fail(
            ExitCode.BAD_DATA,
            f"could not write the report to {path}: {failed.strerror or failed}",
            "The result above is complete; choose a folder you can write to.",
        )
    _warn(f"report written to {path}")


def _batch_lines(source: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each case: JSON Lines, read as they come; one pretty-printed object; or a JSON array (numbered by element)."""
    if source == "-":
        if sys.stdin is None or sys.stdin.isatty():
            _fail(
                ExitCode.USAGE,
                "--symptoms - reads JSON from standard input, but nothing was piped in",
            )
        stream = sys.stdin
    else:
        try:
            stream = open(source, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as failed:
            _fail(ExitCode.BAD_DATA, f"cannot read {source}: {failed.strerror or failed}")
    try:
        lines = enumerate(stream, start=1)
        for number, line in lines:
            if not line.strip():
                continue
            if line.strip() == "{":
                # A pretty-printed object rather than JSON Lines: it is the whole input.
                rest = "".join(text for _, text in lines)
                yield number, line + rest
                return
            if line.lstrip().startswith("["):
                # A JSON array of cases: each element is one case, numbered from 1.
                whole = line + "".join(text for _, text in lines)
                try:
                    cases = json.loads(whole)
                except json.JSONDecodeError as broken:
                    _fail(
                        ExitCode.BAD_DATA,
                        f"{source}: invalid JSON array: {broken.msg} "
                        f"(line {broken.lineno}, column {broken.colno})",
                    )
                for index, case in enumerate(cases, start=1):
                    yield index, json.dumps(case)
                return
            yield number, line
    except UnicodeDecodeError as undecodable:
        _fail(ExitCode.BAD_DATA, f"{source}: not UTF-8 text (byte {undecodable.start})")
    finally:
        if stream is not sys.stdin:
            stream.close()


def _run_batch(
    source: str,
    catalogue: Catalogue,
    *,
    as_json: bool,
    no_color: bool,
    top: int | None,
) -> None:
    """Assess one Symptoms JSON object per line; a bad line is reported and the rest go on."""
    from pydantic import ValidationError

    from needlematch.engine import assess
    from needlematch.symptoms import Symptoms

    problems = 0
    cases = 0
    write = sys.stdout.write
    for number, line in _batch_lines(source):
        cases += 1
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("expected a JSON object of symptoms")
            symptoms = Symptoms.model_validate(raw)
            if symptoms.text:
                from needlematch.parse import understand

                # The line's own terms come first and its onset and severity win, so
                # replaying a result's `symptoms` (text included) changes nothing.
                symptoms = symptoms.merged(understand(symptoms.text).symptoms, own_values_win=True)
            result = assess(symptoms, catalogue, top=top)
        except (json.JSONDecodeError, ValidationError, ValueError) as bad:
            problems += 1
            message = (
                f"invalid JSON: {bad.msg} (column {bad.colno})"
                if isinstance(bad, json.JSONDecodeError)
                else _first_message(bad)
            )
            _warn(f"{source}: line {number}: {message}")
            if as_json:
                write(json.dumps({"line": number, "error": message}) + "\n")
            continue
        _show(result, catalogue, as_json=as_json, no_color=no_color, top=top)
    if cases == 0:
        _fail(ExitCode.USAGE, f"{source} holds no symptoms: give one JSON object per line")
    if problems:
        _warn(f"{problems} of {cases} input lines could not be used; the rest were assessed")
        raise typer.Exit(int(ExitCode.BAD_DATA))


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
        TermList, typer.Option("--where", metavar="REGION", help=_terms("Where it hurts", "where"))
    ] = None,
    part: Annotated[
        TermList,
        typer.Option("--part", metavar="PART", help=_terms("Which part of that region", "part")),
    ] = None,
    when: Annotated[
        TermList, typer.Option("--when", metavar="TIMING", help=_terms("When it hurts", "when"))
    ] = None,
    feels: Annotated[
        TermList,
        typer.Option("--feels", metavar="QUALITY", help=_terms("What it feels like", "feels")),
    ] = None,
    trigger: Annotated[
        TermList,
        typer.Option(
            "--trigger", metavar="TRIGGER", help=_terms("What makes it worse", "triggers")
        ),
    ] = None,
    onset: Annotated[
        str | None,
        typer.Option("--onset", metavar="ONSET", help="How it started: sudden or gradual."),
    ] = None,
    sign: Annotated[
        TermList,
        typer.Option("--sign", metavar="SIGN", help=_terms("Anything else you notice", "signs")),
    ] = None,
    absent: Annotated[
        TermList,
        typer.Option("--not", metavar="TERM", help="A term that is absent ('no swelling')."),
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
    sex: Annotated[str | None, typer.Option("--sex", metavar="SEX", help="female or male.")] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            metavar="HOW-LONG",
            help="How long it has been going on: days, weeks (1 to 6), "
            "months (6 weeks to 3 months) or longer.",
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
            "--unsure", metavar="TERM", help="You were asked about TERM and are not sure."
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
        _run_batch(symptoms_file, _load(catalogue), as_json=as_json, no_color=no_color, top=top)
        return
    symptoms = flagged
    description = None
    if text is not None:
        from pydantic import ValidationError

        description = _read_stdin_text() if text == "-" else text
        try:
            symptoms = _understand(description).merged(symptoms)
        except ValidationError as clash:
            _fail(
                ExitCode.USAGE, _first_message(clash) + " (between the description and the flags)"
            )
    if not symptoms.describes_pain():
        regions = ", ".join(TERM_IDS_BY_DIMENSION["where"])
        named = _load(catalogue).named_in(description) if description else []
        _fail(
            ExitCode.USAGE,
            "nothing to match: describe where and how it hurts",
            'Example: needlematch match "dull ache around my kneecap, worse on stairs"',
            f"or with flags: needlematch match --where knee --part around (regions: {regions})",
            *(f"To read about {injury.name}: needlematch show {injury.id}" for injury in named),
        )
    loaded = _load(catalogue)
    from needlematch.engine import assess

    result = assess(symptoms, loaded, top=top)
    _show(result, loaded, as_json=as_json, no_color=no_color, top=top)
    if report is not None:
        _write_report(report, result, loaded)


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

    result = assess(symptoms, loaded)
    _show(result, loaded, as_json=as_json, no_color=no_color, top=None, interviewed=True)
    if report is not None:
        _write_report(report, result, loaded)


def _interrupted(signum: int, frame: object) -> None:
    # click would turn Ctrl-C into "Aborted!" and exit 1; the interface says 130.
    sys.stderr.write("\nneedlematch: interrupted.\n")
    raise SystemExit(int(ExitCode.INTERRUPTED))


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("TERM") == "dumb" and "NO_COLOR" not in os.environ:
        os.environ["NO_COLOR"] = "1"
    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\nneedlematch: interrupted.\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as unexpected:  # the last line of defence: never a traceback
        sys.stderr.write(
            f"needlematch: internal error: {type(unexpected).__name__}: {unexpected}\n"
            "  This is a bug in needlematch, not in your input; please report it with the "
            "command you ran.\n"
        )
        sys.exit(int(ExitCode.BAD_DATA))
