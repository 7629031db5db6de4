"""The result of an assessment: ranked matches with evidence, triage and advice; `--json` prints this model."""

# No `from __future__ import annotations` here: pydantic would then compile and
# evaluate every field's annotation from its string as each model class is made,
# which cost every run of `match` start-up time (catalogue, assessment and symptoms:
# about 16 million instructions of some 930 million, measured with callgrind).

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from needlematch.catalogue import Source
from needlematch.symptoms import Symptoms

TriageLevel = Literal["routine", "soon", "urgent", "emergency"]


# Default factories are Python functions, not `list`: pydantic inspects a factory's
# signature when it builds the schema, and for a builtin that first compiles the
# tokenizer (about 2 ms, on the `--json` path whenever a next question is written).
def _empty_list() -> list[Any]:
    return []


class _Result(BaseModel):
    # Built from validated parts without validation (engine.py), and written as JSON
    # by resultjson.py: validators and serializers are made only when first needed.
    model_config = ConfigDict(frozen=True, populate_by_name=True, defer_build=True)


class Finding(_Result):
    """One reported finding as evidence for or against an injury."""

    term: str = Field(description="the term id")
    present: bool = Field(description="true if reported present, false if reported absent")
    weight: float = Field(description="log likelihood ratio: how far this finding moves the injury")
    text: str = Field(description="the same, as a sentence a person can read")


class Evidence(_Result):
    """The findings that count for an injury and those that count against it, strongest first."""

    for_: list[Finding] = Field(alias="for")
    against: list[Finding]


class Match(_Result):
    """One catalogue injury and how likely it is given the symptoms."""

    id: str
    name: str
    short_name: str
    probability: float
    evidence: Evidence


class RedFlagFound(_Result):
    """A warning sign found in the symptoms."""

    id: str
    name: str
    level: Literal["soon", "urgent", "emergency"]
    message: str = Field(description="what to do")
    terms: list[str] = Field(description="the reported terms that raised it")


class OutsideCondition(_Result):
    """A common running condition outside the catalogue that fits the picture best."""

    name: str
    probability: float = Field(description="its share of the overall probability")


class Triage(_Result):
    """How soon to get help, and why."""

    level: TriageLevel
    red_flags: list[RedFlagFound]
    advice: str


class Companion(_Result):
    """Something to pair dry needling with."""

    kind: str
    advice: str


class WhatHelps(_Result):
    """What dry needling and its companions do for the leading injury."""

    injury: str
    dry_needling: str
    evidence_strength: str
    evidence: str
    pair_with: list[Companion]


class AnswerOption(_Result):
    """One answer to the next question, with the `match` arguments that give it."""

    answer: str = Field(description="yes, no or unsure; a term id for a choice or a screen sign")
    label: str = Field(description="the answer in a runner's words")
    args: list[str] = Field(description="the arguments to add to `match` for this answer")


class NextQuestion(_Result):
    """The question whose answer would help most now, why it is asked, and how to answer it.

    `kind` is `yes-no` (one term: `term` is its id), `choice` (pick one option:
    `term` names the question, such as `part` or `severity`) or `screen` (the
    warning-sign screen: add the `args` of every sign that is present, then
    `then`).
    """

    kind: Literal["yes-no", "choice", "screen"] = "yes-no"
    term: str
    text: str
    hint: str
    reason: str
    options: list[AnswerOption] = Field(default_factory=_empty_list)
    then: list[str] = Field(
        default_factory=_empty_list,
        description="arguments to add once the chosen options' are added (the screen: --screened)",
    )


class PainMonitoring(_Result):
    """Whether running with this pain is inside the pain-monitoring limits, and where they come from."""

    during: int | None = Field(description="pain during the last run, 0 to 10")
    next_morning: int | None = Field(description="pain the morning after it, 0 to 10")
    morning_before: int | None = Field(
        description="the next-morning pain of the last earlier entry for this place, if any"
    )
    morning_before_saved_at: str | None = None
    during_ok: bool | None = Field(
        description="during the run at most the limit; null if not given"
    )
    morning_ok: bool | None = Field(
        description="the next morning no worse than before; null if there is nothing to compare"
    )
    inside_limits: bool | None = Field(
        description="false if either check fails, true if every check made passes, null if none could be made"
    )
    text: str = Field(description="the verdict as a sentence")
    advice: str
    sources: list[Source]


class CourseEntry(_Result):
    """One earlier saved entry for the same place, as the course shows it."""

    entry: int
    saved_at: str = Field(description="ISO 8601")
    severity: int | None
    leading: str | None = Field(description="the id of the injury that led then")
    leading_name: str | None
    probability: float | None
    triage: str | None


class Trend(_Result):
    """Better, the same or worse, and since when."""

    direction: Literal["better", "same", "worse"]
    since: str = Field(description="ISO 8601 time of the entry the change is measured from")
    pain_then: int
    pain_now: int
    text: str


class CourseAlert(_Result):
    """A course rule of the catalogue that the saved entries meet: it raises the advice."""

    id: str
    name: str
    level: Literal["soon", "urgent", "emergency"]
    why: str = Field(description="what in the entries met the rule")
    advice: str
    sources: list[Source]


class Course(_Result):
    """This assessment against the earlier saved entries for the same place (only on a saved result)."""

    place: str = Field(description="the region compared (the first one reported)")
    previous_entry: int
    since: str = Field(description="ISO 8601 time of the last earlier entry for this place")
    pain_before: int | None
    pain_now: int | None
    leading_before: str | None
    leading_now: str | None
    summary: str = Field(description="'since 12 Nov: pain 6 → 3, IT band syndrome still leading'")
    trend: Trend | None = Field(description="null until two entries carry a pain score")
    entries: list[CourseEntry] = Field(
        description="the earlier entries of this episode, oldest first"
    )
    alerts: list[CourseAlert]


class Assessment(_Result):
    """Everything needlematch concludes from one set of symptoms."""

    symptoms: Symptoms
    matches: list[Match]
    unmatched_probability: float = Field(
        description="the chance that none of the catalogue's injuries explains the symptoms"
    )
    closest_outside: OutsideCondition | None = Field(
        default=None,
        description="when 'none of these' leads and one outside condition stands out, that condition",
    )
    triage: Triage
    what_helps: WhatHelps | None = Field(
        default=None, description="for the leading injury, when one leads"
    )
    next_question: NextQuestion | None = None
    course: Course | None = Field(
        default=None,
        description="the comparison with earlier saved entries for this place; null when not saved or none",
    )
    pain_monitoring: PainMonitoring | None = Field(
        default=None, description="given --pain-during or --pain-next-morning"
    )
    disclaimer: str

    def to_json(self) -> str:
        """The single JSON object `--json` prints."""
        return self.model_dump_json(by_alias=True)


def result_json_schema() -> dict[str, Any]:
    """The JSON Schema of a result as `match --json` prints it (one line of a batch).

    Made from the Assessment model as it is dumped (serialisation mode, by alias).
    Every property is required, null where there is nothing to say: the dump
    always writes every field.
    """
    schema = Assessment.model_json_schema(by_alias=True, mode="serialization")
    for each in [schema, *schema.get("$defs", {}).values()]:
        if each.get("type") == "object" and "properties" in each:
            each["required"] = list(each["properties"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "needlematch result",
        "description": "What `needlematch match --json` prints: one object per line.",
    }


def history_line_json_schema() -> dict[str, Any]:
    """The JSON Schema of one line of `history --json`: a result plus when it was saved and its entry."""
    schema = result_json_schema()
    schema["title"] = "needlematch history line"
    schema["description"] = (
        "One line of `needlematch history --json`: the result as `match --json` "
        "printed it, with when it was saved and its entry number."
    )
    schema["properties"] = {
        **schema["properties"],
        "saved_at": {
            "title": "Saved At",
            "description": "when the assessment was saved (ISO 8601, UTC)",
            "type": "string",
            "format": "date-time",
        },
        "entry": {
            "title": "Entry",
            "description": "the saved entry's number (`history forget ENTRY` deletes it)",
            "type": "integer",
            "minimum": 1,
        },
    }
    schema["required"] = [*schema["required"], "saved_at", "entry"]
    return schema
