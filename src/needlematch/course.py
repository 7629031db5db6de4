"""The course of an injury over saved entries: the comparison with the last one, the trend, pain monitoring and the catalogue's rules that raise the advice.

Pure: every function takes the entries, the new assessment and the rules as
plain values and returns a verdict. Nothing here reads a database, a clock or
a terminal; `history.py` supplies the entries and the time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from needlematch.assessment import (
    Assessment,
    Course,
    CourseAlert,
    CourseEntry,
    PainMonitoring,
    Trend,
    Triage,
)
from needlematch.catalogue import TRIAGE_ORDER, CourseRules
from needlematch.vocabulary import TERMS_BY_ID

# How many earlier entries of the episode the course carries (the JSON and the report stay short).
SHOWN_ENTRIES = 30

Direction = Literal["better", "same", "worse"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Entry:
    """One assessment on the course: a saved entry, or the one being made now (`entry` None)."""

    entry: int | None
    saved_at: dt.datetime
    place: str | None
    severity: int | None
    leading: str | None = None
    leading_name: str | None = None
    probability: float | None = None
    triage: str | None = None
    red_flags: tuple[tuple[str, str], ...] = ()
    signs: frozenset[str] = frozenset()
    pain_during: int | None = None
    pain_next_morning: int | None = None


def place_of(where: Sequence[str]) -> str | None:
    """The place an entry is filed under: the first region reported (where it hurts most)."""
    return where[0] if where else None


def _pain(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return value
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_time(value: str) -> dt.datetime:
    """An ISO 8601 time; one without a zone is read as UTC. Raises ValueError."""
    when = dt.datetime.fromisoformat(value)
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def entry_from_json(entry: int, saved_at: dt.datetime, data: Mapping[str, Any]) -> Entry:
    """A saved assessment's JSON as an Entry; fields it lacks (an older or edited file) are left empty."""
    symptoms = _mapping(data.get("symptoms"))
    where = [term for term in symptoms.get("where") or [] if isinstance(term, str)]
    matches = data.get("matches")
    first = _mapping(matches[0]) if isinstance(matches, list) and matches else {}
    probability = first.get("probability")
    triage = _mapping(data.get("triage"))
    flags = triage.get("red_flags")
    red_flags = tuple(
        (str(flag.get("id")), str(flag.get("name") or flag.get("id")))
        for flag in (flags if isinstance(flags, list) else [])
        if isinstance(flag, Mapping) and isinstance(flag.get("id"), str)
    )
    signs = symptoms.get("signs")
    monitoring = _mapping(data.get("pain_monitoring"))
    return Entry(
        entry=entry,
        saved_at=saved_at,
        place=place_of(where),
        severity=_pain(symptoms.get("severity")),
        leading=_text(first.get("id")),
        leading_name=_text(first.get("short_name")) or _text(first.get("name")),
        probability=float(probability) if isinstance(probability, int | float) else None,
        triage=_text(triage.get("level")),
        red_flags=red_flags,
        signs=frozenset(sign for sign in (signs or []) if isinstance(sign, str)),
        pain_during=_pain(monitoring.get("during")),
        pain_next_morning=_pain(monitoring.get("next_morning")),
    )


def entry_from_assessment(
    result: Assessment,
    saved_at: dt.datetime,
    *,
    pain_during: int | None = None,
    pain_next_morning: int | None = None,
) -> Entry:
    """The assessment being made now, as the course compares it."""
    leading = result.matches[0] if result.matches else None
    return Entry(
        entry=None,
        saved_at=saved_at,
        place=place_of(result.symptoms.where),
        severity=result.symptoms.severity,
        leading=leading.id if leading else None,
        leading_name=leading.short_name if leading else None,
        probability=leading.probability if leading else None,
        triage=result.triage.level,
        red_flags=tuple((flag.id, flag.name) for flag in result.triage.red_flags),
        signs=frozenset(result.symptoms.signs),
        pain_during=pain_during,
        pain_next_morning=pain_next_morning,
    )


def day_month(day: dt.date) -> str:
    """'12 Nov', in English whatever the locale."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def day_label(when: dt.datetime, today: dt.date, tz: dt.tzinfo | None = None) -> str:
    """'12 Nov' (with the year when it is not this year's), or 'earlier today'."""
    day = when.astimezone(tz).date()
    if day == today:
        return "earlier today"
    label = day_month(day)
    return label if day.year == today.year else f"{label} {day.year}"


def _on(label: str) -> str:
    """'on 12 Nov', or 'earlier today' as it is."""
    return label if label == "earlier today" else f"on {label}"


def _date(entry: Entry, tz: dt.tzinfo | None) -> dt.date:
    return entry.saved_at.astimezone(tz).date()


def _chronological(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.saved_at, e.entry if e.entry is not None else 1 << 62))


def episode(entries: Sequence[Entry]) -> list[Entry]:
    """The entries since the last pain-free one (included), oldest first: one spell of the injury."""
    ordered = _chronological(entries)
    start = 0
    for index, entry in enumerate(ordered):
        if entry.severity == 0:
            start = index
    return ordered[start:]


def trend(entries: Sequence[Entry], clear_change: int, tz: dt.tzinfo | None = None) -> Trend | None:
    """Better, the same or worse, and since when, from the entries' pain scores (oldest first).

    The latest pain is compared with the lowest and the highest before it: a
    rise of at least `clear_change` from the lowest is worse, a drop of at least
    that from the highest is better (when both, the more recent turning point
    wins); otherwise it is the same since the first of the latest run of scores
    within `clear_change` of it. None until two entries carry a pain score.
    """
    scored = [entry for entry in _chronological(entries) if entry.severity is not None]
    if len(scored) < 2:
        return None
    latest = scored[-1]
    now = latest.severity
    assert now is not None
    earlier = scored[:-1]
    # The latest occurrence of the lowest and of the highest score before now.
    low = max(range(len(earlier)), key=lambda i: (-(earlier[i].severity or 0), i))
    high = max(range(len(earlier)), key=lambda i: (earlier[i].severity or 0, i))
    rise = now - (earlier[low].severity or 0)
    drop = (earlier[high].severity or 0) - now
    today = _date(latest, tz)
    candidates: list[tuple[int, Direction]] = []
    if rise >= clear_change:
        candidates.append((low, "worse"))
    if drop >= clear_change:
        candidates.append((high, "better"))
    if candidates:
        index, direction = max(candidates)
        reference = earlier[index]
        word: str = direction
    else:
        index = len(scored) - 1
        while index > 0 and abs((scored[index - 1].severity or 0) - now) < clear_change:
            index -= 1
        reference = scored[index]
        direction, word = "same", "about the same"
    then = reference.severity or 0
    since = day_label(reference.saved_at, today, tz)
    return Trend(
        direction=direction,
        since=reference.saved_at.isoformat(),
        pain_then=then,
        pain_now=now,
        text=f"{word} since {since} (pain {then} → {now})",
    )


def _pain_change(before: int | None, now: int | None) -> str | None:
    if before is not None and now is not None:
        return f"pain {before} → {now}"
    if before is not None:
        return f"pain was {before} (not given now)"
    if now is not None:
        return f"pain now {now} (not given then)"
    return None


def _leading_change(before: Entry, now: Entry) -> str | None:
    if now.leading_name is None:
        return None
    if before.leading is not None and before.leading == now.leading:
        return f"{now.leading_name} still leading"
    if before.leading_name is not None:
        return f"{now.leading_name} now leading (was {before.leading_name})"
    return f"{now.leading_name} leading"


def _pain_rising(
    spell: Sequence[Entry], now: Entry, rules: CourseRules, tz: dt.tzinfo | None
) -> CourseAlert | None:
    rule = rules.pain_rising
    scored = [entry for entry in [*spell, now] if entry.severity is not None][-rule.entries :]
    if len(scored) < rule.entries or now.severity is None:
        return None
    if not all((a.severity or 0) < (b.severity or 0) for a, b in itertools.pairwise(scored)):
        return None
    days = (_date(scored[-1], tz) - _date(scored[0], tz)).days
    if days < rule.min_days:
        return None
    today = _date(now, tz)
    steps = " → ".join(str(entry.severity) for entry in scored)
    return CourseAlert(
        id=rule.id,
        name=rule.name,
        level=rule.level,
        why=f"pain {steps} over {len(scored)} entries since {day_label(scored[0].saved_at, today, tz)} ({days} days)",
        advice=rule.advice,
        sources=rule.sources,
    )


def _no_improvement(
    spell: Sequence[Entry], now: Entry, rules: CourseRules, tz: dt.tzinfo | None
) -> CourseAlert | None:
    rule = rules.no_improvement
    if now.severity is None:
        return None
    baseline = next((e for e in spell if e.triage == "routine" and e.severity is not None), None)
    if baseline is None or baseline.severity is None:
        return None
    days = (_date(now, tz) - _date(baseline, tz)).days
    if days < rule.days:
        return None
    if now.severity == 0 or baseline.severity - now.severity >= rule.min_drop:
        return None
    today = _date(now, tz)
    return CourseAlert(
        id=rule.id,
        name=rule.name,
        level=rule.level,
        why=(
            f"pain {baseline.severity} {_on(day_label(baseline.saved_at, today, tz))} with the "
            f"self-care advice, {now.severity} now, {days} days later: not the drop of "
            f"{rule.min_drop} points that counts as clearly better"
        ),
        advice=rule.advice,
        sources=rule.sources,
    )


def _new_warning_sign(
    previous: Entry, now: Entry, rules: CourseRules, tz: dt.tzinfo | None
) -> CourseAlert | None:
    rule = rules.new_warning_sign
    had = {flag_id for flag_id, _ in previous.red_flags}
    flags = [name for flag_id, name in now.red_flags if flag_id not in had]
    signs = [
        TERMS_BY_ID[sign].label.lower()
        for sign in rule.signs
        if sign in now.signs and sign not in previous.signs
    ]
    if not flags and not signs:
        return None
    since = day_label(previous.saved_at, _date(now, tz), tz)
    return CourseAlert(
        id=rule.id,
        name=rule.name,
        level=rule.level,
        why=f"new since {since}: " + "; ".join([*signs, *flags]),
        advice=rule.advice,
        sources=rule.sources,
    )


def follow(
    past: Sequence[Entry],
    now: Entry,
    rules: CourseRules | None,
    tz: dt.tzinfo | None = None,
) -> Course | None:
    """`now` against the earlier entries for its place; None when it has no place or none came before.

    `past` may hold entries for any place and in any order. Without `rules`
    the comparison and the trend are still made (any change of a point counts)
    but no rule raises the advice.
    """
    if now.place is None:
        return None
    earlier = _chronological([e for e in past if e.place == now.place])
    if not earlier:
        return None
    previous = earlier[-1]
    spell = episode(earlier)
    today = _date(now, tz)
    parts = [
        part
        for part in (
            _pain_change(previous.severity, now.severity),
            _leading_change(previous, now),
        )
        if part
    ]
    summary = f"since {day_label(previous.saved_at, today, tz)}"
    if parts:
        summary += ": " + ", ".join(parts)
    alerts: list[CourseAlert] = []
    if rules is not None:
        found = (
            _pain_rising(spell, now, rules, tz),
            _no_improvement(spell, now, rules, tz),
            _new_warning_sign(previous, now, rules, tz),
        )
        alerts = [alert for alert in found if alert is not None]
    clear_change = rules.no_improvement.min_drop if rules is not None else 1
    return Course(
        place=now.place,
        previous_entry=previous.entry if previous.entry is not None else 0,
        since=previous.saved_at.isoformat(),
        pain_before=previous.severity,
        pain_now=now.severity,
        leading_before=previous.leading,
        leading_now=now.leading,
        summary=summary,
        trend=trend([*spell, now], clear_change, tz),
        entries=[
            CourseEntry(
                entry=entry.entry if entry.entry is not None else 0,
                saved_at=entry.saved_at.isoformat(),
                severity=entry.severity,
                leading=entry.leading,
                leading_name=entry.leading_name,
                probability=entry.probability,
                triage=entry.triage,
            )
            for entry in spell[-SHOWN_ENTRIES:]
        ],
        alerts=alerts,
    )


def pain_monitoring(
    during: int | None,
    next_morning: int | None,
    past: Sequence[Entry],
    rules: CourseRules | None,
    today: dt.date,
    tz: dt.tzinfo | None = None,
) -> PainMonitoring | None:
    """Whether running with this pain is inside the limits; None when neither score is given.

    `past` are the earlier entries for the same place: the last one with a
    next-morning score is what "no worse than before" compares with.
    """
    if during is None and next_morning is None:
        return None
    before = next(
        (e for e in reversed(_chronological(past)) if e.pain_next_morning is not None), None
    )
    morning_before = before.pain_next_morning if before is not None else None
    if rules is None:
        return PainMonitoring(
            during=during,
            next_morning=next_morning,
            morning_before=morning_before,
            morning_before_saved_at=before.saved_at.isoformat() if before else None,
            during_ok=None,
            morning_ok=None,
            inside_limits=None,
            text="This catalogue has no pain-monitoring rule to compare with.",
            advice="",
            sources=[],
        )
    rule = rules.pain_monitoring
    during_ok = None if during is None else during <= rule.max_during
    morning_ok = None
    if next_morning is not None and morning_before is not None:
        morning_ok = next_morning <= morning_before + rule.max_morning_rise
    checks = [check for check in (during_ok, morning_ok) if check is not None]
    inside = all(checks) if checks else None
    parts = []
    if during is not None:
        parts.append(
            f"pain during the run {during}/10 "
            f"({'within' if during_ok else 'above'} the limit of {rule.max_during}/10)"
        )
    if next_morning is not None:
        if before is not None and morning_before is not None:
            compared = "no worse than" if morning_ok else "worse than"
            parts.append(
                f"the next morning {next_morning}/10 ({compared} {morning_before}/10 "
                f"{_on(day_label(before.saved_at, today, tz))})"
            )
        else:
            parts.append(
                f"the next morning {next_morning}/10 (no earlier next-morning score "
                "for this place to compare with)"
            )
    opening = {
        True: "Inside the pain-monitoring limits",
        False: "Outside the pain-monitoring limits",
        None: "Pain monitoring",
    }[inside]
    advice = {True: rule.inside_advice, False: rule.outside_advice, None: ""}[inside]
    return PainMonitoring(
        during=during,
        next_morning=next_morning,
        morning_before=morning_before,
        morning_before_saved_at=before.saved_at.isoformat() if before else None,
        during_ok=during_ok,
        morning_ok=morning_ok,
        inside_limits=inside,
        text=f"{opening}: " + "; ".join(parts) + ".",
        advice=advice,
        sources=rule.sources,
    )


def raised(triage: Triage, alerts: Sequence[CourseAlert]) -> Triage:
    """The triage, raised to the most urgent alert's level (with its advice) if that is higher; never lowered."""
    level = triage.level
    advice = triage.advice
    for alert in alerts:
        if TRIAGE_ORDER.index(alert.level) > TRIAGE_ORDER.index(level):
            level, advice = alert.level, alert.advice
    if level == triage.level:
        return triage
    return Triage(level=level, red_flags=triage.red_flags, advice=advice)


def track(
    result: Assessment,
    rules: CourseRules | None,
    past: Sequence[Entry],
    *,
    when: dt.datetime,
    pain_during: int | None = None,
    pain_next_morning: int | None = None,
    compare: bool = True,
    tz: dt.tzinfo | None = None,
) -> Assessment:
    """The assessment with its course (when `compare`: it is being saved), pain monitoring and raised advice.

    `past` are the earlier saved entries (any place); `when` is the time of this one.
    """
    now = entry_from_assessment(
        result, when, pain_during=pain_during, pain_next_morning=pain_next_morning
    )
    same_place = [entry for entry in past if now.place is not None and entry.place == now.place]
    monitoring = pain_monitoring(
        pain_during, pain_next_morning, same_place, rules, _date(now, tz), tz
    )
    course = follow(same_place, now, rules, tz) if compare else None
    update: dict[str, object] = {"course": course, "pain_monitoring": monitoring}
    if course is not None and course.alerts:
        update["triage"] = raised(result.triage, course.alerts)
    return result.model_copy(update=update)
