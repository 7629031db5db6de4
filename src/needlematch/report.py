"""A Markdown summary to take to a practitioner, and a writer that never leaves a file half-written."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from needlematch import bodymap
from needlematch.assessment import Assessment, Finding, Match
from needlematch.catalogue import PRACTITIONER_LABELS, Catalogue
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


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename.

    Either the whole new file is there or the old one is untouched; raises OSError.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
