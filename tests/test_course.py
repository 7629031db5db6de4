"""The course over saved entries, as pure functions: no database, no clock, no terminal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from needlematch.assessment import CourseAlert, Triage
from needlematch.catalogue import Catalogue, CatalogueError, CourseRules, load_catalogue
from needlematch.course import (
    Entry,
    day_label,
    entry_from_json,
    episode,
    follow,
    pain_monitoring,
    raised,
    track,
    trend,
)
from needlematch.engine import assess
from needlematch.render import pain_chart
from needlematch.symptoms import Symptoms

UTC = dt.UTC
START = dt.datetime(2025, 11, 12, 8, 0, tzinfo=UTC)
SILBERNAGEL = "https://pubmed.ncbi.nlm.nih.gov/17307888/"
ITBS = Symptoms(where=["knee"], part=["outer"], feels=["burning"], triggers=["downhill"])


@pytest.fixture(scope="module")
def rules(catalogue: Catalogue) -> CourseRules:
    assert catalogue.course_rules is not None
    return catalogue.course_rules


def entry(
    day: float,
    severity: int | None,
    *,
    number: int | None = None,
    place: str = "knee",
    leading: str = "it-band-syndrome",
    leading_name: str = "IT band syndrome",
    triage: str = "routine",
    signs: tuple[str, ...] = (),
    red_flags: tuple[tuple[str, str], ...] = (),
    morning: int | None = None,
) -> Entry:
    return Entry(
        entry=number if number is not None else int(day * 10) + 1,
        saved_at=START + dt.timedelta(days=day),
        place=place,
        severity=severity,
        leading=leading,
        leading_name=leading_name,
        probability=0.8,
        triage=triage,
        red_flags=red_flags,
        signs=frozenset(signs),
        pain_next_morning=morning,
    )


def now(day: float, severity: int | None, **kwargs: object) -> Entry:
    made = entry(day, severity, **kwargs)  # type: ignore[arg-type]
    return Entry(**{**{f: getattr(made, f) for f in Entry.__slots__}, "entry": None})


# ---------------------------------------------------------------- the comparison


def test_the_summary_compares_with_the_last_entry_for_the_place(rules: CourseRules) -> None:
    course = follow([entry(0, 6), entry(-3, 7, place="heel")], now(4, 3), rules, UTC)
    assert course is not None
    assert course.summary == "since 12 Nov: pain 6 → 3, IT band syndrome still leading"
    assert course.place == "knee" and course.pain_before == 6 and course.pain_now == 3
    assert [e.severity for e in course.entries] == [6]  # the heel is another place
    assert course.alerts == []


def test_a_new_leader_and_a_missing_pain_score_are_said(rules: CourseRules) -> None:
    course = follow(
        [entry(0, 5)],
        now(2, None, leading="runners-knee", leading_name="runner's knee"),
        rules,
        UTC,
    )
    assert course is not None
    assert course.summary == (
        "since 12 Nov: pain was 5 (not given now), runner's knee now leading (was IT band syndrome)"
    )


def test_no_course_without_an_earlier_entry_for_the_place_or_without_a_place(
    rules: CourseRules,
) -> None:
    assert follow([], now(1, 3), rules, UTC) is None
    assert follow([entry(0, 4, place="heel")], now(1, 3), rules, UTC) is None
    assert follow([entry(0, 4)], Entry(None, START, None, 3), rules, UTC) is None


def test_day_labels() -> None:
    today = dt.date(2025, 11, 20)
    assert day_label(START, today, UTC) == "12 Nov"
    assert day_label(START, dt.date(2026, 1, 3), UTC) == "12 Nov 2025"
    assert day_label(START, START.date(), UTC) == "earlier today"


# ---------------------------------------------------------------- the rules


def test_pain_rising_over_three_entries_spanning_a_week_raises_the_advice(
    rules: CourseRules,
) -> None:
    course = follow([entry(0, 3), entry(4, 4)], now(7, 6), rules, UTC)
    assert course is not None
    assert [alert.id for alert in course.alerts] == ["pain-rising"]
    alert = course.alerts[0]
    assert alert.level == "soon" and "3 → 4 → 6" in alert.why and "7 days" in alert.why
    assert SILBERNAGEL in {source.url for source in alert.sources}


@pytest.mark.parametrize(
    ("past", "latest"),
    [
        ([(0, 3), (3, 4)], (6, 6)),  # six days: not yet a week
        ([(0, 3), (4, 4)], (8, 4)),  # level at the end: not rising
        ([(0, 3), (4, 5)], (8, 4)),  # fell back
        ([(4, 4)], (8, 6)),  # only two entries
    ],
)
def test_pain_rising_needs_three_rising_entries_over_a_week(
    rules: CourseRules, past: list[tuple[int, int]], latest: tuple[int, int]
) -> None:
    course = follow([entry(d, p) for d, p in past], now(*latest), rules, UTC)
    assert course is not None
    assert "pain-rising" not in {alert.id for alert in course.alerts}


def test_no_clear_improvement_after_two_weeks_of_routine_advice(rules: CourseRules) -> None:
    course = follow([entry(0, 5), entry(7, 5)], now(15, 4), rules, UTC)
    assert course is not None
    assert [alert.id for alert in course.alerts] == ["no-clear-improvement"]
    assert "pain 5 on 12 Nov" in course.alerts[0].why and "15 days" in course.alerts[0].why
    urls = {source.url for source in course.alerts[0].sources}
    assert "https://www.nhs.uk/conditions/plantar-fasciitis/" in urls


@pytest.mark.parametrize(
    ("first", "latest", "triage"),
    [
        ((0, 5), (15, 3), "routine"),  # a clear drop of 2 points
        ((0, 5), (13, 5), "routine"),  # not two weeks yet
        ((0, 1), (15, 0), "routine"),  # pain-free now
        ((0, 5), (15, 5), "soon"),  # the advice then was not routine self-care
    ],
)
def test_no_improvement_needs_two_weeks_of_routine_advice_without_a_clear_drop(
    rules: CourseRules, first: tuple[int, int], latest: tuple[int, int], triage: str
) -> None:
    course = follow([entry(*first, triage=triage)], now(*latest), rules, UTC)
    assert course is not None
    assert "no-clear-improvement" not in {alert.id for alert in course.alerts}


def test_a_pain_free_entry_starts_a_new_spell(rules: CourseRules) -> None:
    past = [entry(0, 4), entry(5, 0), entry(12, 3)]
    assert [e.severity for e in episode(past)] == [0, 3]
    course = follow(past, now(16, 3), rules, UTC)
    assert course is not None
    # Sixteen days since 4/10 without a clear drop, but only eleven since the pain went away.
    assert course.alerts == []
    assert [e.severity for e in course.entries] == [0, 3]


def test_a_new_warning_sign_or_red_flag_since_the_last_entry(rules: CourseRules) -> None:
    course = follow([entry(0, 4)], now(2, 4, signs=("swelling", "clicking")), rules, UTC)
    assert course is not None
    assert [alert.id for alert in course.alerts] == ["new-warning-sign"]
    assert course.alerts[0].why == "new since 12 Nov: swelling"
    flagged = now(2, 4, red_flags=(("dvt", "Possible blood clot in the leg (DVT)"),))
    course = follow([entry(0, 4)], flagged, rules, UTC)
    assert course is not None and "DVT" in course.alerts[0].why
    # A sign already there last time is not new.
    course = follow([entry(0, 4, signs=("swelling",))], now(2, 4, signs=("swelling",)), rules, UTC)
    assert course is not None and course.alerts == []


def test_the_rules_raise_the_triage_and_never_lower_it() -> None:
    routine = Triage(level="routine", red_flags=[], advice="self-care")
    alert = CourseAlert(id="x", name="x", level="soon", why="w", advice="see someone", sources=[])
    assert raised(routine, [alert]) == Triage(level="soon", red_flags=[], advice="see someone")
    urgent = Triage(level="urgent", red_flags=[], advice="today")
    assert raised(urgent, [alert]) is urgent


def test_without_rules_the_course_is_compared_but_raises_nothing() -> None:
    course = follow([entry(0, 3), entry(4, 4)], now(8, 6), None, UTC)
    assert course is not None and course.alerts == []
    assert course.trend is not None and course.trend.direction == "worse"


# ---------------------------------------------------------------- the trend


@pytest.mark.parametrize(
    ("scores", "direction", "since_day", "text"),
    [
        ([6, 5, 3], "better", 0, "better since 12 Nov (pain 6 → 3)"),
        ([6, 2, 5], "worse", 1, "worse since 13 Nov (pain 2 → 5)"),
        ([4, 4, 5], "same", 0, "about the same since 12 Nov (pain 4 → 5)"),
        ([7, 4, 4, 5], "better", 0, "better since 12 Nov (pain 7 → 5)"),
        ([1, 8, 6], "better", 1, "better since 13 Nov (pain 8 → 6)"),
    ],
)
def test_trend_says_better_same_or_worse_and_since_when(
    scores: list[int], direction: str, since_day: int, text: str
) -> None:
    found = trend([entry(day, pain) for day, pain in enumerate(scores)], 2, UTC)
    assert found is not None
    assert (found.direction, found.text) == (direction, text)
    assert found.since == (START + dt.timedelta(days=since_day)).isoformat()


def test_no_trend_from_a_single_score() -> None:
    assert trend([entry(0, 5), entry(1, None)], 2, UTC) is None


# ---------------------------------------------------------------- pain monitoring


def test_inside_the_pain_monitoring_limits(rules: CourseRules) -> None:
    found = pain_monitoring(4, 2, [entry(0, 5, morning=3)], rules, START.date(), UTC)
    assert found is not None
    assert (found.during_ok, found.morning_ok, found.inside_limits) == (True, True, True)
    assert found.text.startswith("Inside the pain-monitoring limits")
    assert found.morning_before == 3
    assert [source.url for source in found.sources] == [SILBERNAGEL]


@pytest.mark.parametrize(("during", "morning"), [(6, 2), (4, 4)])
def test_outside_the_limits_during_or_the_next_morning(
    rules: CourseRules, during: int, morning: int
) -> None:
    found = pain_monitoring(during, morning, [entry(0, 5, morning=3)], rules, START.date(), UTC)
    assert found is not None and found.inside_limits is False
    assert found.text.startswith("Outside the pain-monitoring limits")
    assert found.advice == rules.pain_monitoring.outside_advice


def test_pain_monitoring_without_anything_to_compare(rules: CourseRules) -> None:
    assert pain_monitoring(None, None, [], rules, START.date(), UTC) is None
    only_morning = pain_monitoring(None, 3, [entry(0, 5)], rules, START.date(), UTC)
    assert only_morning is not None and only_morning.inside_limits is None
    assert "no earlier next-morning score" in only_morning.text
    only_during = pain_monitoring(5, None, [], rules, START.date(), UTC)
    assert only_during is not None and only_during.inside_limits is True


# ---------------------------------------------------------------- the whole assessment


def test_track_adds_the_course_raises_the_triage_and_keeps_the_json_shape(
    catalogue: Catalogue, rules: CourseRules
) -> None:
    result = assess(ITBS.model_copy(update={"severity": 6}), catalogue)
    assert result.triage.level == "routine" and result.course is None
    past = [entry(0, 3), entry(4, 4)]
    when = START + dt.timedelta(days=8)
    kept = track(result, rules, past, when=when, pain_during=4, tz=UTC)
    assert kept.course is not None and kept.course.alerts[0].id == "pain-rising"
    assert kept.triage.level == "soon" and kept.triage.advice == rules.pain_rising.advice
    assert kept.pain_monitoring is not None and kept.pain_monitoring.during == 4
    data = json.loads(kept.to_json())
    assert data["course"]["summary"].startswith("since 16 Nov: pain 4 → 6")
    assert data["pain_monitoring"]["inside_limits"] is True
    # Not being saved: no comparison, but pain monitoring still answers.
    unsaved = track(result, rules, past, when=when, pain_during=7, compare=False, tz=UTC)
    assert unsaved.course is None and unsaved.triage == result.triage
    assert unsaved.pain_monitoring is not None and unsaved.pain_monitoring.inside_limits is False


def test_a_saved_json_reads_back_as_an_entry(catalogue: Catalogue, rules: CourseRules) -> None:
    result = assess(ITBS.model_copy(update={"severity": 5, "signs": ["swelling"]}), catalogue)
    kept = track(result, rules, [], when=START, pain_next_morning=2, tz=UTC)
    read = entry_from_json(7, START, json.loads(kept.to_json()))
    assert (read.entry, read.place, read.severity, read.leading) == (
        7,
        "knee",
        5,
        "it-band-syndrome",
    )
    assert read.signs == {"swelling"} and read.pain_next_morning == 2
    assert read.triage == kept.triage.level


def test_a_damaged_json_reads_as_an_empty_entry() -> None:
    read = entry_from_json(3, START, {"symptoms": {"where": [5], "severity": "x"}, "matches": [1]})
    assert (read.place, read.severity, read.leading, read.triage) == (None, None, None, None)


def test_the_pain_chart_is_plain_characters() -> None:
    days = [START.date() + dt.timedelta(days=n) for n in (0, 3, 5)]
    lines = pain_chart(list(zip(days, [6, 10, 0], strict=True)))
    assert all(line.isascii() for line in lines)
    assert lines[0] == " 10 |     #"
    assert lines[-2].split() == ["pain", "6", "10", "0"]
    assert lines[-1].split() == ["12", "Nov", "17", "Nov"]


# ---------------------------------------------------------------- the rules are catalogue data


def test_the_course_rules_are_sourced_catalogue_data(
    catalogue: Catalogue, rules: CourseRules, raw_catalogue: dict[str, object]
) -> None:
    assert list(raw_catalogue)[-1] == "course_rules"
    assert (rules.pain_rising.entries, rules.pain_rising.min_days) == (3, 7)
    assert rules.no_improvement.days == 14 and "two weeks" in catalogue.routine_advice
    assert (rules.pain_monitoring.max_during, rules.pain_monitoring.max_morning_rise) == (5, 0)
    for rule in (rules.pain_rising, rules.no_improvement, rules.new_warning_sign):
        assert rule.sources and rule.level == "soon"
    assert SILBERNAGEL in {source.url for source in rules.pain_monitoring.sources}
    assert SILBERNAGEL in {source.url for source in rules.pain_rising.sources}


def test_a_catalogue_without_rules_loads_and_a_broken_rule_is_placed(
    write_catalogue: Callable[[Callable[[dict[str, Any]], None]], Path],
) -> None:
    without = write_catalogue(lambda data: data.pop("course_rules"))
    assert load_catalogue(without).course_rules is None

    def one_entry(data: dict[str, Any]) -> None:
        data["course_rules"]["pain_rising"]["entries"] = 1

    with pytest.raises(CatalogueError) as broken:
        load_catalogue(write_catalogue(one_entry))
    assert any(p.startswith("course_rules.pain_rising.entries:") for p in broken.value.problems)
