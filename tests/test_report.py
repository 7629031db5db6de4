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
    assert report.count("| ") >= len(catalogue.injuries)
    assert result.disclaimer in report


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
