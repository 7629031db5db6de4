"""A Markdown summary to take to a practitioner, and a writer that never leaves a file half-written."""

from __future__ import annotations

import datetime
import os
import stat
import tempfile
from pathlib import Path

from needlematch import bodymap
from needlematch.assessment import Assessment, Finding, Match
from needlematch.catalogue import PRACTITIONER_LABELS, Catalogue, Source
from needlematch.known import places, screen_absent
from needlematch.printable import percent, printable
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import DIMENSION_LABELS, SCREEN_TERMS, TERMS_BY_ID, screen_terms


def _escape(value: str) -> str:
    """Text safe inside Markdown: controls made visible, markup characters escaped."""
    cleaned = printable(value)
    for character in "\\`*_[]<>#|":
        cleaned = cleaned.replace(character, "\\" + character)
    return cleaned


# How many conditions the report names, most likely first, and how many findings each.
REPORTED_CONDITIONS = 3
REPORTED_FINDINGS = 3

DURATION_WORDS = {
    "days": "days (under a week)",
    "weeks": "1 to 6 weeks",
    "months": "6 weeks to 3 months",
    "longer": "more than 3 months",
}


def _labels(terms: list[str]) -> str:
    return "; ".join(TERMS_BY_ID[term].label.lower() for term in terms)


def _person(symptoms: Symptoms) -> list[str]:
    age = f"{symptoms.age}" if symptoms.age is not None else "not given"
    sex = symptoms.sex or "not given"
    lines = [f"- Age: {age}; sex: {sex}"]
    duration = DURATION_WORDS.get(symptoms.duration or "", "not given")
    lines.append(f"- Going on for: {duration}")
    if symptoms.severity is not None:
        lines.append(f"- Pain now: {symptoms.severity}/10")
    return lines


def _screen(symptoms: Symptoms) -> list[str]:
    """The warning-sign screen: whether it was answered, what was ticked, what was denied."""
    if not symptoms.screened:
        ticked = [term for term in symptoms.signs if term in SCREEN_TERMS]
        lines = ["- Not screened: the warning-sign list was not answered as a whole."]
        if ticked:
            lines.append(f"- Reported: {_labels(ticked)}")
        return lines
    shown = screen_terms(symptoms.age, symptoms.sex)
    ticked = [term for term in shown if term in symptoms.present()]
    denied = screen_absent(symptoms)
    lines = [f"- Present: {_labels(ticked) if ticked else 'none'}"]
    if denied:
        lines.append(f"- Absent: {_labels(denied)}")
    unsure = [term for term in shown if term in symptoms.unsure]
    if unsure:
        lines.append(f"- Not sure: {_labels(unsure)}")
    return lines


def _findings(match: Match) -> tuple[str, str]:
    def words(findings: list[Finding]) -> str:
        return "; ".join(_escape(f.text) for f in findings[:REPORTED_FINDINGS]) or "-"

    return words(match.evidence.for_), words(match.evidence.against)


def markdown_report(
    assessment: Assessment, catalogue: Catalogue, today: datetime.date | None = None
) -> str:
    """The report a practitioner reads: who, where, what was reported and denied, the warning
    screen, the triage, and the leading conditions with the findings for and against each."""
    day = (today or datetime.date.today()).isoformat()
    symptoms = assessment.symptoms
    lines = [
        "# needlematch symptom summary",
        "",
        f"Date: {day}",
        "",
        "> " + _escape(assessment.disclaimer),
        "",
        "## The person",
        "",
        *_person(symptoms),
        "",
        "## What was reported",
        "",
    ]
    heading_end = len(lines)
    screened = set(SCREEN_TERMS) if symptoms.screened else set()
    by_dimension: dict[str, list[str]] = {}
    for term in symptoms.present():
        if term in screened:
            continue  # under "Warning signs"
        dimension = TERMS_BY_ID[term].dimension
        by_dimension.setdefault(dimension, []).append(TERMS_BY_ID[term].label.lower())
    for dimension, labels in by_dimension.items():
        lines.append(f"- {DIMENSION_LABELS[dimension].capitalize()}: {'; '.join(labels)}")
    if symptoms.absent:
        lines.append(f"- Reported absent: {_labels(list(symptoms.absent))}")
    if symptoms.unsure:
        lines.append(f"- Not sure: {_labels(list(symptoms.unsure))}")
    if len(lines) == heading_end:
        lines.append("- Nothing specific was understood")
    if symptoms.where:
        lines += ["", "```text", *bodymap.lines(places(symptoms)), "```"]
    if symptoms.text:
        lines += ["", "In the runner's own words:", ""]
        lines += ["> " + _escape(line) for line in symptoms.text.splitlines() or [""]]
    lines += ["", "## Warning signs screened", "", *_screen(symptoms)]
    triage = assessment.triage
    lines += ["", "## Triage", "", f"Level: **{triage.level}**", "", _escape(triage.advice)]
    if triage.red_flags:
        lines += ["", "Warning signs found:", ""]
        for flag in triage.red_flags:
            lines.append(
                f"- **{_escape(flag.name)}** ({flag.level}): {_escape(flag.message)} "
                f"(from: {', '.join(flag.terms)})"
            )
    lines += _course_section(assessment, day)
    lines += ["", "## Leading conditions (not a diagnosis)", ""]
    lines += ["| # | Condition | Likelihood | For | Against |", "|---|---|---|---|---|"]
    for rank, match in enumerate(assessment.matches[:REPORTED_CONDITIONS], start=1):
        for_, against = _findings(match)
        lines.append(
            f"| {rank} | {_escape(match.name)} | {percent(match.probability)} | {for_} | {against} |"
        )
    outside = "None of these (outside the catalogue)"
    if assessment.closest_outside is not None:
        outside += f"; closest: {_escape(assessment.closest_outside.name)}"
    lines.append(f"| - | {outside} | {percent(assessment.unmatched_probability)} | | |")
    rest = len(assessment.matches) - REPORTED_CONDITIONS
    if rest > 0:
        lines += ["", f"{rest} other conditions of the catalogue are less likely."]
    leading = catalogue.find(assessment.what_helps.injury) if assessment.what_helps else None
    if leading is not None:
        who = ", then ".join(PRACTITIONER_LABELS[p] for p in leading.who_treats.who)
        lines += [
            "",
            f"Who treats {_escape(leading.short_name)}: {_escape(who)}. "
            f"{_escape(leading.who_treats.when)}",
        ]
    lines += [
        "",
        "---",
        "",
        _escape(assessment.disclaimer),
        "",
        f"Generated by needlematch from a catalogue of {len(catalogue.injuries)} running injuries.",
        "",
    ]
    return "\n".join(lines)


class ReportRefused(Exception):
    """The report's path is one needlematch will not write through; the message says why."""


def save_report(path: Path, text: str) -> None:
    """Write the report to `path` without destroying what is there.

    A new path or a regular file is written atomically (a temporary file and a
    rename), keeping an existing file's permissions. A FIFO or a character device
    (/dev/stdout, /dev/null) is written straight through: replacing it with a file
    would destroy it. A symbolic link, a file with other hard links, a read-only
    file and anything else (a folder, a socket, a block device) are refused with
    ReportRefused. Raises OSError when the write itself fails.
    """
    try:
        found = path.lstat()
    except FileNotFoundError:
        write_atomically(path, text)
        return
    kind = found.st_mode
    if stat.S_ISLNK(kind):
        raise ReportRefused(
            f"{path} is a symbolic link: a report is not written through a link; "
            "give the path of the file itself, or a new path"
        )
    if stat.S_ISFIFO(kind) or stat.S_ISCHR(kind):
        with path.open("w", encoding="utf-8") as stream:  # no O_CREAT race: it exists
            stream.write(text)
        return
    if stat.S_ISDIR(kind):
        raise ReportRefused(f"{path} is a folder: give a file name for the report")
    if not stat.S_ISREG(kind):
        raise ReportRefused(f"{path} is not a regular file: give a new path for the report")
    if found.st_nlink > 1:
        raise ReportRefused(
            f"{path} has {found.st_nlink - 1} other hard link"
            f"{'s' if found.st_nlink > 2 else ''}: replacing it would split them; "
            "give a new path for the report"
        )
    # No write bit at all is a file kept read-only on purpose, even from root.
    if not os.access(path, os.W_OK) or not kind & 0o222:
        raise ReportRefused(f"{path} is read-only: give a new path, or make it writable first")
    write_atomically(path, text, mode=stat.S_IMODE(kind))


def _sources(sources: list[Source]) -> str:
    return "; ".join(f"{_escape(source.title)} <{source.url}>" for source in sources)


def _saved_day(saved_at: str) -> str:
    try:
        return datetime.datetime.fromisoformat(saved_at).astimezone().date().isoformat()
    except ValueError:
        return _escape(saved_at)


def _course_section(assessment: Assessment, day: str) -> list[str]:
    """The course: a table of the earlier entries and today's, what changed, and any rule met."""
    course = assessment.course
    monitoring = assessment.pain_monitoring
    lines: list[str] = []
    if course is not None:
        place = (
            TERMS_BY_ID[course.place].label.lower() if course.place in TERMS_BY_ID else course.place
        )
        lines += ["", f"## Course (saved entries for the {_escape(place)})", ""]
        lines += ["| Date | Pain | Leading | Triage |", "|---|---|---|---|"]

        def pain(value: int | None) -> str:
            return "-" if value is None else f"{value}/10"

        for entry in course.entries:
            leading = _escape(entry.leading_name or "-")
            if entry.probability is not None:
                leading += f" ({percent(entry.probability)})"
            lines.append(
                f"| {_saved_day(entry.saved_at)} | {pain(entry.severity)} | {leading} | "
                f"{entry.triage or '-'} |"
            )
        now = assessment.matches[0] if assessment.matches else None
        leading_now = f"{_escape(now.short_name)} ({percent(now.probability)})" if now else "-"
        lines.append(
            f"| {day} (this report) | {pain(assessment.symptoms.severity)} | {leading_now} | "
            f"{assessment.triage.level} |"
        )
        summary = _escape(course.summary)
        lines += ["", f"What changed: {summary[0].upper()}{summary[1:]}."]
        if course.trend is not None:
            lines += ["", f"Trend: {_escape(course.trend.text)}."]
        for alert in course.alerts:
            lines += [
                "",
                f"- **{_escape(alert.name)}** ({alert.level}): {_escape(alert.why)}. "
                f"{_escape(alert.advice)} (Sources: {_sources(alert.sources)})",
            ]
    if monitoring is not None:
        lines += ["", "## Pain monitoring", "", _escape(monitoring.text)]
        if monitoring.advice:
            lines += ["", _escape(monitoring.advice)]
        if monitoring.sources:
            lines += ["", f"Source: {_sources(monitoring.sources)}"]
    return lines


def write_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename.

    Either the whole new file is there or the old one is untouched; raises OSError.
    The new file has `mode` (the old file's permissions), or owner-only for a new
    path: the report holds health details.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
