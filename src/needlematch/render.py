"""Draws results for people with rich: the red-flag panel, the ranked table, what helps, injury cards.

Every string that did not come from this module (catalogue text, the runner's
words) goes into a `Text` object, never into markup, so "[bold]" prints as written.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from typing import IO

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from needlematch import bodymap
from needlematch.assessment import Assessment, Finding, Match
from needlematch.catalogue import (
    BODY_AREA_LABELS,
    PRACTITIONER_LABELS,
    Catalogue,
    Injury,
    Source,
)
from needlematch.course import Entry, day_label, day_month, episode, trend
from needlematch.printable import percent, printable
from needlematch.vocabulary import TERMS_BY_ID

LEVEL_STYLE = {
    "routine": "green",
    "soon": "yellow",
    "urgent": "bold red",
    "emergency": "bold white on red",
}
LEVEL_HEADLINE = {
    "routine": "Routine: self-care is reasonable for now",
    "soon": "SEE A CLINICIAN WITHIN DAYS",
    "urgent": "URGENT: GET MEDICAL ASSESSMENT TODAY",
    "emergency": "EMERGENCY: CALL EMERGENCY SERVICES NOW",
}


# The narrowest the views are drawn, whatever COLUMNS or the terminal says: at 0
# columns rich prints nothing at all, and below about 45 it cuts the warning headline.
MIN_WIDTH = 60


def console(
    *, no_color: bool = False, stderr: bool = False, file: IO[str] | None = None
) -> Console:
    """A console that honours --no-color as well as NO_COLOR and TERM=dumb (rich reads those)."""
    drawn = Console(
        file=file or (sys.stderr if stderr else sys.stdout),
        no_color=no_color or None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    if drawn.width < MIN_WIDTH:
        drawn.width = MIN_WIDTH
    return drawn


def literal(value: str, style: str = "") -> Text:
    """Text from outside the code, shown as written: no markup, no emoji codes, no control characters."""
    return Text(printable(value), style=style)


# How many absent findings the "Understood:" line names before it counts the rest.
SHOWN_ABSENT = 5


def understood_line(assessment: Assessment, *, absent_shown: int = SHOWN_ABSENT) -> Text:
    """'Understood: knee; on the outer side; burning ... not: swelling', the terms as lay labels.

    Terms are separated by semicolons (a label may hold a comma); past
    `absent_shown` denied terms only their number is given.
    """
    symptoms = assessment.symptoms
    labels = [TERMS_BY_ID[term].label.lower() for term in symptoms.present()]
    line = Text("Understood: ", style="bold")
    line.append("; ".join(labels) if labels else "nothing specific")
    if symptoms.absent:
        absent = [TERMS_BY_ID[term].label.lower() for term in symptoms.absent]
        if absent_shown == 0:
            line.append(f"; no to {len(absent)} other question{'s' if len(absent) != 1 else ''}")
        else:
            line.append("; not: ", style="bold")
            if len(absent) > absent_shown:
                absent = [*absent[:absent_shown], f"and {len(absent) - absent_shown} more"]
            line.append("; ".join(absent))
    if symptoms.screened:
        line.append("; no other warning sign" if symptoms.signs else "; no warning sign")
    if symptoms.severity is not None:
        line.append(f"; pain {symptoms.severity}/10")
    person = person_words(symptoms.age, symptoms.sex, symptoms.duration)
    if person:
        line.append(f"; {person}")
    return line


DURATION_WORDS = {
    "days": "for days",
    "weeks": "for 1 to 6 weeks",
    "months": "for 6 weeks to 3 months",
    "longer": "for over 3 months",
}


def person_words(age: int | None, sex: str | None, duration: str | None) -> str:
    """'age 47, female, for 1 to 6 weeks': who the runner is and how long it has hurt."""
    words = []
    if age is not None:
        words.append(f"age {age}")
    if sex:
        words.append(sex)
    if duration:
        words.append(DURATION_WORDS[duration])
    return ", ".join(words)


MAP_STYLES = {
    bodymap.MARKED: "bold reverse red",
    bodymap.LABEL: "dim",
    bodymap.TITLE: "dim",
    bodymap.FIGURE_MARKED: "bold",
}


def body_map(marked: Iterable[str] = ()) -> Text:
    """The front and back of the legs and lower back, the places named, those in `marked` marked.

    Plain ASCII within 80 columns: a marked place is in capitals with an arrow
    (and coloured where colour is on), so it reads the same with NO_COLOR.
    """
    drawing = Text()
    for index, row in enumerate(bodymap.layout(marked)):
        if index:
            drawing.append("\n")
        for text, kind in row:
            drawing.append(text, style=MAP_STYLES.get(kind, ""))
    return drawing


def body_map_lines(marked: Iterable[str] = ()) -> list[str]:
    """The body map as plain lines: for the prompts."""
    return bodymap.lines(marked)


def red_flag_panel(assessment: Assessment) -> Panel | None:
    """The warning signs, unmissable: a heavy box with the level in capitals.

    Only the warning signs at the triage's level are in it: nothing inside an
    emergency panel says "today" or "within days". The others are in the
    report and the JSON.
    """
    triage = assessment.triage
    if not triage.red_flags and triage.level == "routine":
        return None
    shown = [flag for flag in triage.red_flags if flag.level == triage.level]
    body: list[Text | Table] = []
    if triage.advice not in {flag.message for flag in shown}:
        body.append(literal(triage.advice, "bold"))
    flags = Table.grid(padding=(0, 1))
    flags.add_column(no_wrap=True)
    flags.add_column()
    for flag in shown:
        line = Text(printable(flag.name), style="bold")
        line.append("\n" + printable(flag.message))
        flags.add_row(Text("!", style="bold red"), line)
    body.append(flags)
    style = LEVEL_STYLE[triage.level]
    return Panel(
        Group(*body),
        title=Text(f" {LEVEL_HEADLINE[triage.level]} ", style=style),
        title_align="left",
        border_style="red" if triage.level in ("urgent", "emergency") else "yellow",
        box=box.HEAVY,
    )


def warning_on_interrupt(result: Assessment, *, no_color: bool = False) -> None:
    """On Ctrl-C: a warning sign already found, on stderr, before the program exits."""
    panel = red_flag_panel(result)
    if panel is not None:
        console(no_color=no_color, stderr=True).print(panel)


def _who(labels: list[str], joint: str = "or") -> str:
    """'a, b or c' (or 'a, b and c')."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {joint} {labels[-1]}"


def next_step_lines(result: Assessment, catalogue: Catalogue) -> Text | None:
    """What to do next and who to see, for a person: first on the screen when nothing is urgent.

    At `urgent` and `emergency` the warning panel says what to do, and nothing
    else is added.
    """
    level = result.triage.level
    if level in ("urgent", "emergency"):
        return None
    helps = result.what_helps
    injury = catalogue.find(helps.injury) if helps is not None else None
    if injury is None:
        who = _who([PRACTITIONER_LABELS["physiotherapist"], PRACTITIONER_LABELS["sports-doctor"]])
        lines = Text("What to do next: ", style="bold")
        if level == "soon":
            lines.append("see a clinician within days, as the warning above says.")
        else:
            lines.append(
                f"look after it yourself for now (below); to find out what it is, see {who}."
            )
        return lines
    first = PRACTITIONER_LABELS[injury.who_treats.who[0]]
    lines = Text("What to do next: ", style="bold")
    if level == "soon":
        lines.append("see a clinician within days, as the warning above says.")
        if result.triage.red_flags:
            # The warning names who to see; the leading injury's usual route would contradict it.
            return lines
    else:
        lines.append(
            f"look after it yourself for now (below), and see {first} if it is not clearly "
            "getting better or gets worse."
        )
    lines.append(" Who to see: ", style="bold")
    lines.append(literal(injury.who_treats.when))
    return lines


# Findings that barely move an injury are left out of the table (they stay in --json).
SHOWN_WEIGHT = 0.15


def _place_last(finding: Finding) -> bool:
    # The runner said where it hurts; what else fits is the more telling reason.
    term = TERMS_BY_ID.get(finding.term)  # age and sex are findings too, but not terms
    return term is not None and term.dimension == "where"


def _reasons(match: Match, limit: int = 2, against: int = 1) -> Text:
    reasons = Text()
    supporting = sorted(
        (f for f in match.evidence.for_ if f.weight >= SHOWN_WEIGHT), key=_place_last
    )
    opposing = [f for f in match.evidence.against if -f.weight >= SHOWN_WEIGHT]
    for finding in supporting[:limit]:
        reasons.append("+ ", style="green")
        reasons.append(printable(_without_name(finding.text, match)) + "\n")
    for finding in opposing[:against]:
        reasons.append("- ", style="red")
        reasons.append(printable(_without_name(finding.text, match)) + "\n")
    reasons.rstrip()
    return reasons


def _without_name(text: str, match: Match) -> str:
    """A reason shown under its injury's name need not repeat it: '... is typical of X' -> '... is typical'."""
    for joint in (" of ", " in "):
        if text.endswith(joint + match.short_name):
            return text.removesuffix(joint + match.short_name)
    return text


# A person reads the leading few in detail; the rest are named on one line.
DETAILED_ROWS = 3


def _none_row(table: Table, assessment: Assessment, explain: bool) -> None:
    cell = Text("None of these (something outside the catalogue)", style="italic")
    if explain:
        cell.append("\nYour description fits none of the listed conditions well.", style="dim")
        closest = assessment.closest_outside
        if closest is not None:
            cell.append(
                f"\nClosest known condition outside the list: {printable(closest.name)}.",
                style="dim",
            )
    table.add_row("", cell, percent(assessment.unmatched_probability))


def ranking_table(assessment: Assessment, top: int | None = None) -> Table:
    """Rank, injury with the strongest reasons for and against under it, likelihood; "none of these" in its place."""
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Injury, and why (+ for, - against)", ratio=1)
    table.add_column("Likely", justify="right", no_wrap=True)
    unmatched = assessment.unmatched_probability
    unmatched_shown = False
    for rank, match in enumerate(assessment.matches[: top or DETAILED_ROWS], start=1):
        if not unmatched_shown and unmatched > match.probability:
            _none_row(table, assessment, explain=rank == 1)
            unmatched_shown = True
        cell = literal(match.name, "bold")
        reasons = _reasons(match, limit=2 if rank == 1 else 1)
        if reasons.plain:
            cell.append("\n")
            cell.append_text(reasons)
        table.add_row(str(rank), cell, percent(match.probability))
    if not unmatched_shown:
        _none_row(table, assessment, explain=False)
    return table


def others_line(assessment: Assessment, top: int | None = None, *, named: int = 2) -> Text | None:
    """The injuries below the detailed rows: the next few with their likelihoods, then how many more."""
    rest = assessment.matches[top or DETAILED_ROWS :]
    if not rest:
        return None
    line = Text("Less likely: ", style="dim")
    shown = ", ".join(f"{printable(m.short_name)} {percent(m.probability)}" for m in rest[:named])
    more = len(rest) - named
    if more > 0:
        shown += f" and {more} more"
    line.append(shown + ".", style="dim")
    return line


def what_helps_panel(assessment: Assessment, *, compact: bool = False) -> Panel | Text | None:
    """Dry needling and its companions for the leading injury; `compact` (after `check`): two lines, unboxed."""
    helps = assessment.what_helps
    if helps is None:
        return None
    leading = next(match for match in assessment.matches if match.id == helps.injury)
    body = Text()
    if compact:
        kinds = _who([companion.kind for companion in helps.pair_with], "and")
        body.append(f"What helps {printable(leading.short_name)}: ", style="bold")
        body.append(
            f"dry needling (the evidence for it: {helps.evidence_strength}), paired with "
            f"{kinds} work. `needlematch show {helps.injury}` says how."
        )
        return body
    body.append("Dry needling: ", style="bold")
    body.append(printable(helps.dry_needling) + "\n")
    body.append(f"Evidence: {helps.evidence_strength}", style="bold")
    body.append(": " + printable(helps.evidence) + "\n")
    body.append("Pair it with:", style="bold")
    for companion in helps.pair_with:
        body.append(f"\n  - {companion.kind}: ", style="bold")
        body.append(printable(companion.advice))
    return Panel(body, title=literal(f"What helps: {leading.short_name}"), title_align="left")


def next_question_line(assessment: Assessment) -> Text | None:
    """The next question and the `match` arguments that answer it (after `match`, for scripts)."""
    question = assessment.next_question
    if question is None:
        return None
    line = Text("To narrow it down: ", style="bold")
    line.append(printable(question.text))
    if question.kind == "yes-no":
        yes, no, unsure = (" ".join(option.args) for option in question.options)
        how = f"yes: add {yes}   no: add {no}   not sure: add {unsure}"
    elif question.kind == "screen":
        how = f"add --sign SIGN for each one present, then {' '.join(question.then)}"
    elif question.term == "severity":
        how = "add --severity N (0 to 10)"
    else:
        how = "add one of: " + ", ".join(" ".join(option.args) for option in question.options)
    line.append(f"\n  {how}   ({printable(question.reason)})", style="dim")
    return line


FOOTER = {
    "urgent": "Not a diagnosis: get a medical assessment today from a licensed practitioner.",
    "emergency": "Not a diagnosis; see a licensed practitioner: call emergency services now.",
}


def assessment(
    result: Assessment,
    catalogue: Catalogue,
    *,
    no_color: bool = False,
    top: int | None = None,
    interviewed: bool = False,
) -> None:
    """The result for a person: the warning first, what to do next and who to see, what was
    understood with the body map, the leading three with reasons, what helps, the note.

    At an emergency the running injuries are not ranked; at `urgent` they come
    after the warning as what else it could be. `interviewed` (after `check`)
    leaves out how to answer the next question with flags.
    """
    out = console(no_color=no_color)
    level = result.triage.level
    flags = red_flag_panel(result)
    if flags is not None:
        out.print(flags)
    next_step = next_step_lines(result, catalogue)
    if next_step is not None:
        out.print(next_step)
    out.print(understood_line(result, absent_shown=0 if interviewed else SHOWN_ABSENT))
    if result.symptoms.where:
        out.print(body_map(result.symptoms.where))
    course = course_panel(result)
    if course is not None:
        out.print(course)
    if level == "emergency":
        out.print(
            Text(
                "Running injuries are not ranked while an emergency is possible: get help first.",
                style="dim",
            )
        )
    else:
        if level == "urgent":
            out.print(Text("Once you have been seen, what else it could be:", style="dim"))
        out.print(ranking_table(result, top))
        others = others_line(result, top)
        if others is not None:
            out.print(others)
        if level in ("routine", "soon"):
            helps = what_helps_panel(result, compact=interviewed)
            if helps is not None:
                out.print(helps)
    if not interviewed:
        question = next_question_line(result)
        if question is not None:
            out.print(question)
    if level == "routine":
        out.print(literal(result.triage.advice))
    out.print(Text(FOOTER.get(level) or printable(result.disclaimer), style="italic"))


# The list shows a few aliases; `show` has them all.
LISTED_ALIASES = 2


def injury_list(catalogue: Catalogue, *, no_color: bool = False) -> None:
    """The catalogue as one table, grouped by body region."""
    out = console(no_color=no_color)
    table = Table(box=box.SIMPLE_HEAD, title="The injury catalogue")
    table.add_column("id", no_wrap=True)
    table.add_column("Injury (also called)")
    table.add_column("Prior", justify="right", no_wrap=True)
    table.add_column("Needling evidence", no_wrap=True)
    for area, label in BODY_AREA_LABELS.items():
        in_area = [injury for injury in catalogue.injuries if injury.body_area == area]
        if not in_area:
            continue
        table.add_row(Text(label, style="bold underline"), end_section=False)
        _injury_rows(table, in_area)
        table.add_section()
    out.print(table)
    out.print(Text("`needlematch show ID` prints one in full.", style="dim"))


def _injury_rows(table: Table, injuries: list[Injury]) -> None:
    for injury in injuries:
        aliases = injury.aliases[:LISTED_ALIASES]
        more = len(injury.aliases) - len(aliases)
        name = literal(injury.name, "bold")
        if aliases:
            name.append("\n" + printable(", ".join(aliases)), style="dim")
            if more > 0:
                name.append(f" (+{more})", style="dim")
        table.add_row(
            literal(injury.id),
            name,
            percent(injury.prior.value),
            literal(injury.dry_needling.evidence.strength),
        )


def injury_card(injury: Injury, *, no_color: bool = False) -> None:
    out = console(no_color=no_color)
    needling = injury.dry_needling
    body = Text()

    def section(title: str, value: str) -> None:
        body.append(f"{title}\n", style="bold")
        body.append(printable(value) + "\n\n")

    if injury.aliases:
        section("Also called", ", ".join(injury.aliases))
    section("What it feels like", injury.feels_like)
    section("Why it happens", injury.why_it_happens)
    section("How dry needling helps", needling.how_it_helps)
    section(f"What the evidence says ({needling.evidence.strength})", needling.evidence.summary)
    body.append("Pair it with\n", style="bold")
    for companion in needling.pair_with:
        body.append(f"  - {companion.kind}: ", style="bold")
        body.append(printable(companion.advice) + "\n")
    body.append("\n")
    section(
        "How common",
        f"about {percent(injury.prior.value)} of injured runners: {injury.prior.basis}",
    )
    if injury.demographics is not None:
        section("Who gets it", injury.demographics.basis)
    who = ", then ".join(PRACTITIONER_LABELS[p] for p in injury.who_treats.who)
    section("Who to see", f"{who[0].upper()}{who[1:]}. {injury.who_treats.when}")
    if injury.escalation is not None:
        section(f"When to get help ({injury.escalation.level})", injury.escalation.advice)
    body.append("Sources\n", style="bold")
    seen: set[str] = set()
    demographic_sources = injury.demographics.sources if injury.demographics else []
    for source in [
        *injury.sources,
        *needling.evidence.sources,
        *injury.prior.sources,
        *demographic_sources,
    ]:
        if source.url in seen:
            continue
        seen.add(source.url)
        body.append("  - " + printable(source.title) + " ")
        body.append(printable(source.url), style="cyan")
        body.append("\n")
    body.rstrip()
    out.print(Panel(body, title=literal(f"{injury.name}  [{injury.id}]"), title_align="left"))
    out.print(
        Text(
            "Not a diagnosis: see a licensed practitioner to find out what it really is.",
            style="italic",
        )
    )


# ---------------------------------------------------------------- the course (history)


def _sources_line(sources: Sequence[Source], indent: str = "") -> Text:
    """The sources in short ('Silbernagel et al. 2007 https://...'): the report has their full titles."""
    line = Text(indent + ("Source: " if len(sources) == 1 else "Sources: "), style="dim")
    short = [source.title.split(" (")[0].split(", ")[0] for source in sources]
    line.append(
        "; ".join(
            f"{printable(title)} {printable(source.url)}"
            for title, source in zip(short, sources, strict=True)
        ),
        style="dim",
    )
    return line


def course_panel(result: Assessment) -> Panel | None:
    """Since the last saved entry for this place: what changed, the trend, any rule met; and pain monitoring."""
    course = result.course
    monitoring = result.pain_monitoring
    if course is None and monitoring is None:
        return None
    body: list[Text] = []
    if course is not None:
        summary = printable(course.summary)
        body.append(Text(summary[0].upper() + summary[1:], style="bold"))
        if course.trend is not None:
            body.append(Text(f"Trend: {course.trend.text}"))
        for alert in course.alerts:
            line = Text("! ", style="bold red")
            line.append(f"{printable(alert.name)}: ", style="bold")
            line.append(printable(alert.why))
            if alert.advice != result.triage.advice:  # the panel above says it already
                line.append("\n  " + printable(alert.advice))
            body.append(line)
            body.append(_sources_line(alert.sources, "  "))
    if monitoring is not None:
        line = Text(
            printable(monitoring.text), style="bold" if monitoring.inside_limits is False else ""
        )
        if monitoring.advice:
            line.append("\n" + printable(monitoring.advice))
        body.append(line)
        if monitoring.sources:
            body.append(_sources_line(monitoring.sources))
    title = "Your course" if course is not None else "Pain monitoring"
    alarming = bool(course and course.alerts) or (
        monitoring is not None and monitoring.inside_limits is False
    )
    return Panel(
        Group(*body),
        title=Text(title),
        title_align="left",
        border_style="yellow" if alarming else "",
    )


# The pain chart shows at most this many entries (the latest), three columns each.
CHART_ENTRIES = 24


def pain_chart(points: Sequence[tuple[dt.date, int]], limit: int = CHART_ENTRIES) -> list[str]:
    """Pain (0 to 10) over the entries as plain text: a bar of '#' per entry, oldest on the left.

    Plain characters only, so it reads the same without colour or in a log;
    each bar's score is written under the axis and the first and last dates under that.
    """
    shown = list(points)[-limit:]
    if not shown:
        return []
    lines = []
    for level in range(10, 0, -1):
        label = f"{level:>3} |" if level % 2 == 0 else "    |"
        lines.append((label + "".join("  #" if p >= level else "   " for _, p in shown)).rstrip())
    lines.append("  0 +" + "---" * len(shown))
    lines.append("pain " + "".join(f"{p:>3}" for _, p in shown))
    first, last = day_month(shown[0][0]), day_month(shown[-1][0])
    axis = "      " + first
    if len(shown) > 1:
        axis += " " * max(1, 5 + 3 * len(shown) - len(axis) - len(last)) + last
    lines.append(axis)
    if len(points) > len(shown):
        lines.append(f"     (the last {len(shown)} of {len(points)} entries with a pain score)")
    return lines


def _when(entry: Entry, today: dt.date) -> str:
    local = entry.saved_at.astimezone()
    if local.year != today.year:
        return f"{day_month(local.date())} {local.year}"
    return f"{day_month(local.date())} {local:%H:%M}"


def _place_label(place: str | None) -> str:
    """'Heel' for heel, 'Back of the thigh' for thigh-back: the lay label without its explanation."""
    if place is None:
        return "(no place)"
    term = TERMS_BY_ID.get(place)
    return term.label.split(" (")[0] if term is not None else place


def history_view(entries: Sequence[Entry], *, clear_change: int, no_color: bool = False) -> None:
    """The saved entries: a table, then for each place the pain over time and the trend."""
    out = console(no_color=no_color)
    table = Table(box=box.SIMPLE_HEAD, title="Your saved assessments", title_justify="left")
    table.add_column("Entry", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Place")
    table.add_column("Pain", justify="right", no_wrap=True)
    table.add_column("Leading")
    table.add_column("Triage", no_wrap=True)
    today = dt.datetime.now().astimezone().date()
    for entry in entries:
        pain = "-" if entry.severity is None else f"{entry.severity}/10"
        leading = Text("-")
        if entry.leading_name is not None:
            leading = literal(entry.leading_name)
            if entry.probability is not None:
                leading.append(f" {percent(entry.probability)}")
        level = entry.triage or "-"
        table.add_row(
            str(entry.entry),
            _when(entry, today),
            literal(_place_label(entry.place)),
            pain,
            leading,
            Text(level, style=LEVEL_STYLE.get(level, "")),
        )
    out.print(table)
    places = list(dict.fromkeys(entry.place for entry in entries if entry.place is not None))
    for place in places:
        mine = [entry for entry in entries if entry.place == place]
        scored = [
            (entry.saved_at.astimezone().date(), entry.severity)
            for entry in mine
            if entry.severity is not None
        ]
        name = _place_label(place)
        out.print(Text(f"Pain over time: {name.lower()}", style="bold"))
        if scored:
            out.print(Text("\n".join(pain_chart(scored))))
        found = trend(episode(mine), clear_change)
        if found is not None:
            out.print(Text(f"Trend: {found.text}"))
        elif scored:
            out.print(Text("Trend: one entry with a pain score so far; it shows from the second."))
        else:
            out.print(Text("Trend: no entry for it has a pain score (give --severity N)."))
        latest = mine[-1]
        out.print(Text(f"Last saved {day_label(latest.saved_at, today)}.", style="dim"))
    out.print(
        Text(
            "`needlematch history forget ID` deletes an entry; `history export FILE` copies them all.",
            style="dim",
        )
    )
