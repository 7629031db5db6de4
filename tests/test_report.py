"""The practitioner report: what it says, that user text cannot break it, and that it is written whole."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from needlematch.catalogue import Catalogue
from needlematch.engine import assess
from needlematch.report import markdown_report, write_atomically
from needlematch.symptoms import Symptoms


def test_report_holds_date_symptoms_triage_ranking_and_disclaimer(catalogue: Catalogue) -> None:
    result = assess(
        Symptoms(where=["calf"], signs=["swelling"], absent=["fever"], severity=6), catalogue
    )
    report = markdown_report(result, catalogue, today=datetime.date(2026, 1, 2))
    assert "Date: 2026-01-02" in report
    assert "- Where it hurts: calf" in report and "- Reported absent: fever" in report
    assert "Pain now: 6/10" in report
    assert "Level: **urgent**" in report and "DVT" in report
    assert result.disclaimer in report


def test_report_is_what_a_clinician_reads(catalogue: Catalogue) -> None:
    symptoms = Symptoms(
        where=["knee"],
        part=["outer"],
        triggers=["downhill"],
        absent=["stairs"],
        unsure=["clicking"],
        signs=["swelling"],
        screened=True,
        age=47,
        sex="female",
        duration="months",
        severity=4,
    )
    result = assess(symptoms, catalogue)
    report = markdown_report(result, catalogue)
    # The person, and how long.
    assert "- Age: 47; sex: female" in report
    assert "- Going on for: 6 weeks to 3 months" in report
    # Positives, negatives and what the runner was unsure of.
    assert "- What makes it worse: running downhill" in report
    assert "- Reported absent: stairs" in report and "- Not sure: clicking or grinding" in report
    # The warning screen: what was ticked and every sign denied (only those that apply to her).
    screen = report[report.index("## Warning signs screened") : report.index("## Triage")]
    assert "- Present: swelling" in screen
    assert "short of breath or chest pain" in screen and "periods missed" in screen
    # The place, marked on the map.
    assert "KNEE >>" in report
    # The leading conditions only, with the findings for and against: no padding.
    table = [line for line in report.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + 3 + 1  # header, three conditions, none of these
    assert result.matches[0].name in table[1]
    assert "24 other conditions" in report
    leading = catalogue.find(result.matches[0].id)
    assert leading is not None and leading.who_treats.when in report


def test_user_text_is_escaped_and_an_empty_report_says_so(catalogue: Catalogue) -> None:
    report = markdown_report(assess(Symptoms(text="[bold]x|y\x1b[31m"), catalogue), catalogue)
    assert "- Nothing specific was understood" in report
    assert "> \\[bold\\]x\\|y" in report
    assert "\x1b" not in report


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"

    def refuse(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("needlematch.report.os.replace", refuse)
    with pytest.raises(OSError):
        write_atomically(target, "newer")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
