"""The facts a runner states in passing: their age, their sex and how long it has hurt.

"I'm 52", "my 11-year-old son", "47F", "M, 34", "in my sixties", "for about three
weeks". Each reader returns what it found and the spans it used, so the
symptom reader does not take "47" for a pain score or "3 weeks" for a distance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a few": 3, "a couple of": 2, "couple of": 2, "few": 3, "several": 4,
}  # fmt: skip
_DECADES = {
    "teens": 15, "twenties": 25, "thirties": 35, "forties": 45, "fifties": 55,
    "sixties": 65, "seventies": 75, "eighties": 85, "nineties": 95,
}  # fmt: skip
_DECADE_WORDS = "|".join(_DECADES)
_FEMALE_WORDS = "woman|female|girl|lady|daughter|mum|mom|mother|wife|sister|f"
_MALE_WORDS = "man|male|boy|guy|son|dad|father|husband|brother|m"

# "52 years old", "52-year-old", "52yo", "52 y/o", "aged 52", "age: 52".
_AGE_YEARS = re.compile(
    r"\b(\d{1,3})\s*(?:-|\s)?\s*(?:years?|yrs?|yr)\s*(?:-|\s)?\s*old\b"
    r"|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?|yr\s*old)(?![a-z])"
    r"|\baged?\s*:?\s*(\d{1,3})\b"
)
# "I'm 52", "I am 52,", "he's 10": a bare number after "I'm", unless a unit follows it.
_AGE_IM = re.compile(
    r"\b(?:i'm|i am|im|he's|hes|he is|she's|shes|she is)\s+(?:now\s+|only\s+|just\s+)?(\d{1,3})\b"
    r"(?!\s*(?:%|/|km|k\b|kms|mi\b|miles?|minutes?|mins?|weeks?|days?|months?|hours?|"
    r"hrs?|times|runs?|out of|of\b|percent|kg|lbs?|pounds?|stone|steps?|cm|m\b|meters?|"
    r"metres?|feet|foot|ft|inches|in\b|laps?|x\b|th\b|st\b|nd\b|rd\b|sessions?|:\d))"
)
# "Jo's 11, mad about rugby": a name, then an age that ends the phrase (not "it's 11
# miles", "that's 5 weeks").
_AGE_NAMED = re.compile(
    r"(?:^|[.!?]\s+)(?!(?:it|that|there|what|here|who|how|where|today|everything|he|she)'s)"
    r"[a-z]+'s\s+(\d{1,2})(?=\s*(?:,|\.|!|\band\b|\bnow\b|\bthis\b|$))"
)
# "I turned 60 earlier this year", "54 here, been running 35 years".
_AGE_TURNED = re.compile(
    r"\b(?:i|i've|i have|i just|i recently|just)\s+(?:just\s+)?turned\s+(\d{2})\b"
    r"(?!\s*(?:%|km|k\b|mi\b|miles?|minutes?|mins?|weeks?|days?|months?))"
    r"|^\W*(\d{2})\s+here\b"
)
# "When I was fourteen, my knee...": the age a story told later happened at, taken only
# when no other age is said.
_WHEN_I_WAS = re.compile(
    r"\bwhen\s+i\s+was\s+(?:about\s+|around\s+|only\s+|just\s+)?(\d{1,2}|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen)\b(?!\s*(?:%|km|k\b|mi\b|miles?|minutes?|mins?|weeks?|days?|"
    r"months?|hours?|kg|lbs?|pounds?|stone))"
)
_TEEN_WORDS = {
    **{word: value for word, value in _NUMBER_WORDS.items() if " " not in word},
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
# "47F", "19 F,", "F47", "M, 34", "34/m", "female, 28", "28 year old male".
_AGE_SEX = re.compile(
    # "47F" only where a person writes it about themselves (at the start, after a
    # bracket or punctuation, or after "I'm"): "the 60m dash" is a distance.
    # "19 F, shin pain": a space before the letter only where the letter ends the note.
    r"(?:^\s*|[(\[,;:.]\s*|\bi'?m\s+|\bi am\s+)(\d{1,3})"
    r"(?:(?:[/,]?|\s(?=[fm]\s*(?:[,.;:)!]|$)))([fm])(?![\w'])|"
    r"\s*[/,]?\s*(female|male|woman|man)(?![\w']))"
    r"|(?<![\w'])(?<!\d )([fm]|female|male|woman|man)\s*(?:/|,)?\s*(\d{1,3})(?![\w/%]|\.\d)"
)
_DECADE = re.compile(
    rf"\bin\s+(?:my|his|her|their)\s+(early|mid|late)?[\s-]*({_DECADE_WORDS}|\d0s|\d0's)\b"
)
# What a decade is followed by when it is the past: "in my twenties, after my babies, I was".
_PAST_DECADE = re.compile(
    r"(?!\s*,?\s*now\b)[^.;!?]{0,40}?\b(?:i|we)\s+(?:was|were|started|took|began|got|had|ran|did|used|"
    r"kept|fell|broke|tore)\b"
)
# "Mid 50s, been running most of my life", "late 40s female runner": a decade said
# without "in my", only where a person says it of themselves (at the start, after "I'm"
# or "aged", or before who they are): "it was mid 50s at the start" is the weather.
_DECADE_BARE = re.compile(
    r"(?:^\W*|\b(?:i'm|im|i am|aged?)\s+)(early|mid|late)[\s-]*(\d0)'?s\b"
    r"|\b(early|mid|late)[\s-]*(\d0)'?s\s+(?=(?:female|male|woman|man|runner|guy|lady|mum|mom"
    r"|dad|f|m)\b)"
)
# The speaker's sex: "I'm a woman", "as a female runner", "female, 28", "(F)".
_SEX_SELF = re.compile(
    rf"\b(?:i'm|i am|im|as)\s+(?:a|an)\s+(?:\d{{1,3}}[\s-]*(?:years?|yrs?)?[\s-]*(?:old)?\s+)?"
    rf"(?:(?:[a-z]+\s+){{0,2}}?)({_FEMALE_WORDS}|{_MALE_WORDS})\b"
    rf"|^\s*({_FEMALE_WORDS}|{_MALE_WORDS})\s*[,(:]"
    rf"|\b(\d{{1,3}})[\s-]*(?:years?|yrs?|yo|y/o)?[\s-]*(?:old)?\s+(female|male|woman|man|girl|boy|lady|guy)\b"
    rf"|\((female|male|f|m)\)"
    rf"|\b(?:early|mid|late)[\s-]*\d0'?s\s+({_FEMALE_WORDS}|{_MALE_WORDS})\b"
)
_GIRL_WORDS = {"daughter", "girl", "niece", "granddaughter", "stepdaughter", "lass", "dd"}
_BOY_WORDS = {"son", "boy", "nephew", "grandson", "stepson", "lad", "ds"}
# A parent writing about a child: "my 11-year-old son", "my daughter (12)".
_CHILD = re.compile(
    r"\bmy\s+(?:(\d{1,2})[\s-]*(?:years?|yrs?|yo|y/o)?[\s-]*(?:old)?\s+)?"
    r"(son|daughter|boy|girl|kid|child|nephew|niece|grandson|granddaughter|stepson|stepdaughter"
    r"|lad|lass|teen|teenager|dd|ds)\b"
    # "my nephew Leo (13, soccer mad)": a name may come before the age.
    r"(?:(?:\s+[a-z]+)?\s*(?:\(|,|who\s+is|is|aged?)\s*(\d{1,2})\b(?!\s*(?:%|km|k\b|mi\b|miles?|"
    r"minutes?|mins?|weeks?|days?|months?|hours?|times|laps?)))?"
    # "Son, 12, started running club": a parent's note that starts with the child.
    r"|^\W*()(son|daughter|boy|girl)\s*(?:\(|,|aged?)\s*(\d{1,2})\b"
)

# How long: "for 3 weeks", "for about two months", "the past few days", "since last year".
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_DURATION = re.compile(
    r"\b(?:for|past|last|over|about|almost|nearly|around|since|now)\s+(?:the\s+)?(?:past\s+|last\s+)?"
    r"(?:about\s+|around\s+|almost\s+|nearly\s+|over\s+|roughly\s+|maybe\s+)?"
    r"(\d{1,3}|a couple of|couple of|a few|few|several|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve)\s*(?:\+\s*)?(day|week|month|year)s?\b(?!\s+(?:ago|after|later|or\s+two\s+after))"
    r"|\b(\d{1,3}|a couple of|a few|several|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\s+(day|week|month|year)s?\s+(?:now|already|and counting)\b"
    # "It started three weeks ago", not "five years ago I fell".
    r"|\b(?:started|began|begun|came on|come on|kicked in|appeared|first noticed)\s+(?:about\s+|around\s+)?"
    r"(\d{1,3}|a couple of|a few|several|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\s+(day|week|month|year)s?\s+ago\b"
)
# "For months", "for weeks now": a band without a number (not "trained for months").
_FOR_VAGUE = re.compile(
    r"(?<!train )(?<!trained )(?<!training )(?<!planned )(?<!prepared )(?<!preparing )"
    r"\bfor\s+(?:many\s+|some\s+)?(week|month)s\b(?!\s+(?:ago|before|after|beforehand|later))"
)
_SINCE_LAST_YEAR = re.compile(
    r"\bsince\s+last\s+(?:year|summer|winter|spring|autumn|fall)\b"
    r"|\bfor\s+(?:ages|years|a\s+long\s+time|a\s+long\s+while|over\s+a\s+year)\b"
)
# An age-group team is an age: "he plays U11 football" (under-11s are mostly 10).
_AGE_GROUP = re.compile(
    r"\b(?:plays|play|playing|in|for|with)\s+(?:the\s+|an?\s+|his\s+|her\s+|their\s+)?"
    r"u-?(\d{1,2})s?\b"
    r"|\bu-?(\d{1,2})s?\b(?=(?:\s+\w+){0,2}\s+(?:team|teams|football|soccer|squad|side|rugby"
    r"|netball|hockey|club|level|league|cross|athletics|running|basketball))"
)
# A school grade is an age: "in sixth or seventh grade" (a US grade is about the age minus 6).
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_GRADE = re.compile(
    r"\b(?:in\s+)?(" + "|".join(_ORDINALS) + r"|\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s+or\s+(?:" + "|".join(_ORDINALS) + r"|\d{1,2})(?:st|nd|rd|th)?)?\s+grade\b"
)

# "I'm a senior in high school", "a high school sophomore": the US school years' usual ages.
_HIGH_SCHOOL_AGES = {"freshman": 14, "sophomore": 15, "junior": 16, "senior": 17}
_HIGH_SCHOOL_YEAR = re.compile(
    r"\b(?:i'm|i am|im|she's|he's|she is|he is|is|was|as)\s+(?:a|an)\s+"
    r"(freshman|sophomore|junior|senior)(?:\s+(?:in|at)\s+(?:high\s+school|hs))?\b"
    r"(?!\s+(?:in|at)\s+(?:college|uni|university)|\s+year\s+of\s+college|\s+citizen)"
    r"|\b(?:high\s+school|hs)\s+(freshman|sophomore|junior|senior)s?\b"
)


@dataclass
class Facts:
    """Age, sex and duration as read from a description, with the spans only age and sex used."""

    age: int | None = None
    sex: str | None = None
    duration: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def _sex(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower()
    if re.fullmatch(_FEMALE_WORDS, word):
        return "female"
    if re.fullmatch(_MALE_WORDS, word):
        return "male"
    return None


def _age(raw: str | None) -> int | None:
    if raw is None or not raw.isdigit():
        return None
    value = int(raw)
    return value if 5 <= value <= 100 else None


def _decade(modifier: str | None, decade: str) -> int:
    base = _DECADES[decade] - 5 if decade in _DECADES else int(decade[:2].rstrip("'s")) // 10 * 10
    return base + {"early": 2, "mid": 5, "late": 8}.get(modifier or "", 5)


def duration_band(days: int) -> str:
    """The interface's duration words for a number of days."""
    if days < 7:
        return "days"
    if days <= 42:
        return "weeks"
    if days <= 92:
        return "months"
    return "longer"


def read_facts(text: str) -> Facts:
    """Age, sex and duration from lower-cased text; the first clear statement of each wins."""
    facts = Facts()

    def take(found: re.Match[str]) -> None:
        facts.spans.append(found.span())

    child = _CHILD.search(text)
    if child:
        who = child.group(2) or child.group(5)
        facts.sex = "female" if who in _GIRL_WORDS else None
        facts.sex = "male" if who in _BOY_WORDS else facts.sex
        facts.age = _age(child.group(1) or child.group(3) or child.group(6))
        take(child)
    for pair in _AGE_SEX.finditer(text):
        age = _age(pair.group(1) or pair.group(5))
        if age is not None:
            facts.age = facts.age or age
            facts.sex = facts.sex or _sex(pair.group(2) or pair.group(3) or pair.group(4))
            take(pair)
            break
    if facts.age is None:
        for pattern in (_AGE_YEARS, _AGE_IM, _AGE_NAMED, _AGE_TURNED):
            stated = pattern.search(text)
            if stated:
                age = _age(next((g for g in stated.groups() if g), None))
                if age is not None:
                    facts.age = age
                    take(stated)
                    break
    decade = _DECADE.search(text) if facts.age is None else None
    # (The last character before it: none, or a sentence's end; "" is in any string.)
    opens_sentence = decade is not None and text[: decade.start()].rstrip()[-1:] in ".!?"
    if decade and opens_sentence and _PAST_DECADE.match(text, decade.end()):
        decade = None  # "In my early twenties I took up running": then, not now
    if decade:
        facts.age = _decade(decade.group(1), decade.group(2))
        take(decade)
    bare = _DECADE_BARE.search(text) if facts.age is None else None
    if bare:
        facts.age = _decade(bare.group(1) or bare.group(3), (bare.group(2) or bare.group(4)) + "s")
        take(bare)
    team = _AGE_GROUP.search(text) if facts.age is None else None
    if team:
        facts.age = _age(str(int(team.group(1) or team.group(2)) - 1))
        take(team)
    grade = _GRADE.search(text) if facts.age is None else None
    if grade:
        number = grade.group(1)
        school_year = int(number) if number.isdigit() else _ORDINALS[number]
        facts.age = _age(str(school_year + 6)) if 1 <= school_year <= 12 else None
        take(grade)
    school = _HIGH_SCHOOL_YEAR.search(text) if facts.age is None else None
    back_then = _WHEN_I_WAS.search(text) if facts.age is None and not school else None
    if back_then:
        word = back_then.group(1)
        facts.age = _age(word if word.isdigit() else str(_TEEN_WORDS.get(word, 0)))
        take(back_then)
    if school:
        facts.age = _HIGH_SCHOOL_AGES[(school.group(1) or school.group(2)).rstrip("s")]
        take(school)
    said = _SEX_SELF.search(text) if facts.sex is None else None
    if said:
        facts.sex = _sex(
            said.group(1) or said.group(2) or said.group(4) or said.group(5) or said.group(6)
        )
        if said.group(3) and facts.age is None:
            facts.age = _age(said.group(3))
        take(said)
    found = _DURATION.search(text)
    if found:
        amount = (found.group(1) or found.group(3) or found.group(5) or "").strip()
        unit = found.group(2) or found.group(4) or found.group(6)
        count = int(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount, 1)
        # Not taken: "over a few weeks" also says it came on gradually.
        facts.duration = duration_band(count * _UNIT_DAYS[unit])
    elif _SINCE_LAST_YEAR.search(text):
        facts.duration = "longer"
    elif vague := _FOR_VAGUE.search(text):
        facts.duration = "weeks" if vague.group(1) == "week" else "months"
    return facts
