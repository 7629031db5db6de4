"""Free text -> Symptoms: a runner's own words read as vocabulary terms, with negation and typos."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

from pydantic import BaseModel, ConfigDict

from needlematch.facts import read_facts
from needlematch.symptoms import Symptoms, symptoms_from_terms
from needlematch.vocabulary import IMPLIES, PLACE_OVERLAPS, REGION_PARTS, TERMS, TERMS_BY_ID


class Understanding(BaseModel):
    """What `understand` made of a description: the symptoms, and the words it could not use."""

    model_config = ConfigDict(frozen=True)

    symptoms: Symptoms
    unrecognised: list[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Word lists. Phrases are written as a runner would type them; they go through the same
# tokeniser as the text, so "can't", "cant" and "cannot" are one spelling.

# Words skipped inside a phrase, so "back of my left thigh" matches "back of the thigh".
_FILLERS = _words(
    "my the a an your his her their our this that these those left right whole entire one's own"
)

# Skipped inside a phrase too, so "one really sore spot" matches "one sore spot".
_INTENSIFIERS = _words("really very quite so super extremely particularly exquisitely rather")

# Words that carry no symptom of their own and are never reported as unrecognised.
_STOP_WORDS = _words(
    """
    i me myself we us you he she they them it its it's this that these those there here
    a an the my your his her our their mine some any all each every both either neither
    and or nor but so yet if then than as at by for from in into of off on onto out over
    to up down with within about around after before since until till while when whenever
    where which who whom whose what why how again also too very really quite rather pretty
    just only even still already almost nearly mostly mainly usually often sometimes always
    never ever now today yesterday tonight recently lately currently later soon once twice
    am is are was were be been being have has had having do does did doing done get gets
    got getting gotten go goes going gone went make makes made making take takes took taken
    can could would should might must may will shall cannot
    pain pains painful hurt hurts hurting hurted ache-y sore-ish agony ouch problem problems
    issue issues injury injured niggle niggles niggly discomfort uncomfortable feeling
    feel feels felt sensation thing things stuff kind sort bit lot lots little much more
    most less least few several many same other another such own
    leg legs area areas spot part side sides bone bones joint muscle muscles tendon tendons
    run runs ran running runner runners jog jogs jogging jogged race races racing raced
    training train trained workout session km kms k kilometre kilometres kilometer
    kilometers mile miles mi minute minutes min mins hour hours hr hrs second seconds
    day days week weeks month months year years time times ago last next first past
    worse worst better best bad badly good fine okay ok well severe mild moderate slight
    slightly terrible awful horrible intense extreme excruciating unbearable
    think thought guess maybe perhaps probably possibly definitely seems seemed seem like
    likely unlikely sure know knew notice noticed noticing started start starts starting
    began begin begins beginning stopped stop stops stopping keep keeps kept continue
    continues continued lasted lasts lasting came come comes coming use used using
    since because although though however whereas unless except besides otherwise whilst
    yes yeah no not nope none nothing never without
    help helps helped helping tried try trying advice please thanks thank hi hello hey
    doctor physio gp specialist appointment treatment rest rested ice iced stretch
    stretched stretching stretches exercise exercises massage
    new old recent recently today week's weekend morning's normal normally usual usually
    pace paces easy hard long short fast slow slower faster longer shorter distance
    around-ish approx approximately roughly exactly plus anything everything something
    hope hopes hoped hoping backed thanks cheers lol haha upper lower mid middle high low
    weekly daily getting anyway though basically literally whatever along lying lie lay
    control say said across near towards toward through throughout
    """
)

# A cue opens a negation scope over the terms that follow it, up to a clause boundary.
_NEGATION_CUES = _words(
    "no not never without none nor neither don't doesn't didn't isn't aren't wasn't weren't "
    "haven't hasn't hadn't won't wouldn't shouldn't ain't nothing zero"
)
# A cue read backwards: "swelling: none", "walking is fine".
_POST_CUES = _words("no none nope nil absent negative")
_FINE_WORDS = _words("fine ok okay alright painless normal unaffected")
_FINE_LINKS = _words(
    "is are was were be been being has have had feels feel felt seems seem seemed look looks "
    "totally perfectly completely absolutely entirely all both still actually generally usually "
    "mostly it that they them these those itself themselves normally around about function "
    "functions control habits working work bits parts"
)
# Phrases that say the thing just named is fine: "sitting is no problem".
_POST_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(phrase.split())
            for phrase in (
                "fine", "ok", "okay", "alright", "normal", "painless", "unaffected",
                "pain free", "no problem", "not a problem", "never a problem", "no issue",
                "not an issue", "no trouble", "no bother", "not bothered", "not affected",
                "doesn't bother me", "don't bother me", "didn't bother me", "doesn't hurt",
                "doesn't bother him", "doesn't bother her", "doesn't bother them",
                "doesn't bother it", "don't bother it", "didn't bother it", "doesn't bother",
                "don't bother", "didn't bother",
                "don't bother him", "don't bother her", "don't bother them",
                "didn't bother him", "didn't bother her", "didn't bother them",
                "don't hurt", "didn't hurt", "never hurts", "isn't painful", "aren't painful",
                "not painful", "isn't sore", "aren't sore", "not sore",
                "meant no pain", "means no pain", "was pain free", "is pain free",
                "was painless", "is painless", "gave no pain", "gives no pain",
            )
        ),
        key=lambda words: -len(words),
    )
)  # fmt: skip
_POST_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in _POST_PHRASES:
    _POST_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
_POST_FIRST = frozenset(_POST_BY_FIRST)
# What may follow "walking is fine" when a body region was what is fine: nothing, or a new clause.
_POST_ENDS = _words("but and now though either too anyway thankfully so otherwise really")
_LIST_GLUE = _words("and or nor my the both")
# Between "fine" and the timing it clears: "fine when sleeping", "ok while walking".
_FINE_BRIDGES = _words("when while whilst with for on i if just")
_NEGATION_PHRASES = (
    "free of",
    "absence of",
    "lack of",
    "no sign of",
    "no signs of",
    "no longer",
    "rather than",
    "instead of",
    "as opposed to",
    "cannot point to",
    "hard to point to",
    "can't remember",
    "cannot remember",
    "don't remember",
    "do not remember",
    "didn't notice",
)
# Look like negation but negate nothing: "not sure", "no idea", "doesn't help".
# These negate only what follows at once: "I swam instead of running, and the calf
# pain came back" leaves the calf pain present.
_SHORT_NEGATION_PHRASES = frozenset(("rather than", "instead of", "as opposed to"))
_SHORT_WINDOW = 2

_PSEUDO_NEGATIONS = (
    "not sure",
    "not certain",
    "no idea",
    "don't know",
    "not only",
    "not just",
    "no doubt",
    "not necessarily",
    "no matter",
    "no change",
    "no better",
    "no improvement",
    "not improving",
    "not getting better",
    "doesn't help",
    "didn't help",
    "doesn't improve",
    "no relief",
    "not really sure",
    "doesn't matter",
    "not that bad",
    "without trying",
    "without dieting",
    "without meaning to",
    "without warning",
    "not too bad",
    "not so bad",
)
# Words that end a negation scope: "no swelling but it clicks".
_SCOPE_ENDERS = _words(
    "but although though however except yet whereas while whilst because since so then "
    "unless apart aside besides otherwise instead rather still which who"
)
# After "and"/"or", these start a new clause: "no swelling and it clicks".
_CLAUSE_STARTERS = _words(
    "it it's its i i'm im i've there there's they he she this that is was are feels feel "
    "gets get has have hurts seems"
)
_WINDOW = 5  # tokens a negation reaches past its cue or its last negated term

# Consumed without a term: a region word inside them would mislead.
_STOP_PHRASES = (
    # A child "shooting up" is growing; "training has gone downhill" is a trend; a graze
    # from a fall is no rash on the skin of the leg.
    "shooting up",
    "back to back",
    "on back to back",
    "on back-to-back",
    "back-to-back",
    "weekend morning",
    "sunday morning",
    "saturday morning",
    "carried me round",
    "carried me around",
    "carried me through",
    "carry me through",
    "with my quads",
    "with my glutes",
    "with my hamstrings",
    "with my calves",
    "using my quads",
    "using my glutes",
    "using my hamstrings",
    "using my calves",
    "under control",
    "under way",
    "under pressure",
    "under my belt",
    "hot yoga",
    "bikram",
    "electric current",
    "electrical current",
    "electrical stimulation",
    "electric stimulation",
    "electro acupuncture",
    "electroacupuncture",
    "tens machine",
    "spikes off",
    "pike crunches",
    "ab crunches",
    "abdominal crunches",
    "bicycle crunches",
    "doing crunches",
    "did crunches",
    "shot up",
    "gone downhill",
    "going downhill fast",
    "road rash",
    "gravel rash",
    "nonstop running",
    "non stop running",
    # Idioms whose words name a trigger, a part or a time but mean none of them:
    # a story's "one sunny morning" is when it happened, not pain first thing.
    # Something that appears is no pop: "welts pop up on my shins" ("a pop up under my
    # buttock" is one).
    "pop up on",
    "pops up on",
    "popped up on",
    "popping up on",
    # An idiom: "I can't put my finger on what started it" is no tender spot ("I can put my
    # finger on it" is one).
    *(
        f"put {whose} finger on {what}"
        for whose in ("my", "a", "your")
        for what in ("what", "why", "how", "when", "the cause")
    ),
    # Turning the speed up is no bump, and feet under the body is running form.
    "bumping the speed",
    "bumped the speed",
    "bumping the pace",
    "bumped the pace",
    "bumping up the speed",
    "bumping up the pace",
    "bump up the pace",
    "feet under me",
    "feet underneath me",
    # Idioms: shoes "kicked to the curb" are thrown out, "catching up" is no catching knee.
    "kicked to the curb",
    "kick to the curb",
    "kicked to the kerb",
    "been kicked to the curb",
    "got kicked to the curb",
    "catch up on",
    "catching up on",
    "catch up with",
    "catching up with",
    # Running without a break is no constant pain: "did 3 miles nonstop".
    "miles nonstop",
    "mile nonstop",
    "km nonstop",
    "minutes nonstop",
    "mins nonstop",
    "ran nonstop",
    "run nonstop",
    "running nonstop",
    "jumped into",
    "jump into",
    "jumping into",
    "jumped straight into",
    "jumped back into",
    "jump back into",
    "jumped on",
    "was back",
    "is back",
    "back again",
    "there and back",
    "out and back",
    "came back",
    "comes back",
    "coming back",
    "come back",
    "get back",
    "got back",
    "getting back",
    "go back",
    "went back",
    "going back",
    "back to",
    "back into",
    "back home",
    "back then",
    "back up",
    "built back",
    "build back",
    "building back",
    "bounce back",
    "back off",
    "backed off",
    "back at it",
    "way back",
    "cut back",
    "cutting back",
    "ease back",
    "eased back",
    "easing back",
    "back in training",
    # Getting about is not a symptom: "driving back", "rolled out of bed", "climbing
    # out of the car" ("a drive back" is no place: _BACK_AS_RETURN); nor is a hot/cold
    # pack redness.
    "driving back",
    "rolled out of bed",
    "roll out of bed",
    "climbing out of",
    "climb out of",
    "climbed out of",
    "hot cold",
    "heat pack",
    "hot pack",
    "hot water bottle",
    # Looking back over the story is not the back of anything.
    "looking back",
    "look back",
    "thinking back",
    "think back",
    # A walk taken is not pain on walking: "I had to walk home", "on a walk I slipped".
    "walk home",
    "walked home",
    "walking home",
    "walked back",
    "walk back",
    "walked to the start",
    "went for a walk",
    "go for a walk",
    "going for a walk",
    "on a walk",
    "long walks",
    "run walk",
    "walk run",
    # "All day" about what the runner does, not about the pain (sitting all day is
    # read as sitting, in _EXTRA_PHRASES).
    "runs all day",
    "run all day",
    "running all day",
    "work all day",
    "working all day",
    "driving all day",
    "standing all day",
    # What the shoes or the feet are like is a reason offered, not a painful place.
    "soled",
    "flat feet",
    "flat footed",
    "feet are flat",
    "feet aren't flat",
    "feet are not flat",
    "high arches",
    "cold snap",
    "extra fluids",
    "plenty of fluids",
    "drank fluids",
    "fluids",
    "stuck for hours",
    "stuck in traffic",
    "stuck at a desk",
    "stuck at my desk",
    "cramped flight",
    "cramped seat",
    "cramped plane",
    "cramped car",
    "one morning",
    "this morning",
    "that morning",
    "race morning",
    "morning run",
    "morning runs",
    "morning jog",
    "sunny morning",
    "one sunny morning",
    "yesterday morning",
    "tomorrow morning",
    "early morning run",
    "morning of the race",
    "just under",
    "under an hour",
    "sub 3",
    "monday morning",
    "tuesday morning",
    "wednesday morning",
    "thursday morning",
    "friday morning",
    "saturday morning",
    "sunday morning",
    "monday night",
    "tuesday night",
    "wednesday night",
    "thursday night",
    "friday night",
    "saturday night",
    "sunday night",
    "walking on tiptoe",
    "walking on tiptoes",
    "walks on tiptoe",
    "walks on tiptoes",
    "walking on his toes",
    "walking on her toes",
    "on his tiptoes",
    "on her tiptoes",
    "on his toes",
    "on her toes",
    "going around on",
    "calf deep",
    "knee deep",
    "ankle deep",
    "waist deep",
    "thigh deep",
    "knee high",
    "ankle high",
    "track nights",
    "track night",
    "night run",
    "night runs",
    "the night before",
    "night before",
    "run club night",
    # Hopping to get about is avoiding the leg, not pain on hopping: "I hop to the bathroom".
    "hop to",
    "hopped to",
    "hopping to",
    "had to hop",
    "have to hop",
    "hop back",
    "hopped back",
    "hop home",
    "hopped home",
    "hop around",
    "hopped around",
    "hopping around",
    "hop and hobble",
    "hopped off",
    "hop off",
    "warm up",
    "warmed up",
    "warming up",
    "warms up",
    "warmup",
    "warmups",
    "cool down",
    "cooling down",
    "cooldown",
    "hot weather",
    "hot day",
    "hot days",
    "hot bath",
    "hot shower",
    "hot water",
    "hot spot",
    "hot spots",
    "hot and cold",
    "red flag",
    "red flags",
    "back to",
    "back into",
    "back in",
    "back on",
    "came back",
    "comes back",
    "come back",
    "coming back",
    "got back",
    "get back",
    "getting back",
    "go back",
    "going back",
    "went back",
    "back and forth",
    "bounce back",
    "way back",
    "on top of that",
    "on top of it",
    "on top of this",
    "on top of everything",
    "around the same time",
    "around the time",
    "side of the road",
    "sit ups",
    "sit-ups",
    "dry needling",
    "needling",
    "foam rolled",
    "foam roller",
    "foam rolling",
    "roll out",
    "during the day",
    "in the day",
    "in front of",
    "at the start of the week",
    "all out of",
    "top up",
    "no idea why",
    "go to sleep",
    "goes away",
    "go away",
    "went away",
    "gone away",
    "i run",
    "i'm a runner",
    # "pressing on it makes me jump" is a flinch, not hopping
    "makes me jump",
    "made me jump",
    "make me jump",
    # exercises and shoe parts, not where it hurts
    "heel raise",
    "heel raises",
    "calf raise",
    "calf raises",
    "heel drops",
    "heel counter",
    "heel strike",
    "heel striking",
    "heel striker",
    # which leg, not which side of it
    "on that side",
    "on this side",
    "that side",
    "this side",
    "other side",
    "on the other side",
    "same side",
    "on the same side",
    "one side",
    "on one side",
    "the sloped side",
)
# Injury names: they add only the body region they literally name; the rest is reported.
_INJURY_NAMES: dict[str, tuple[str, ...]] = {
    "shin splints": ("shin",),
    "shin splint": ("shin",),
    "runner's knee": ("knee",),
    "runners knee": ("knee",),
    "jumper's knee": ("knee",),
    "jumpers knee": ("knee",),
    "achilles tendinitis": ("achilles",),
    "achilles tendonitis": ("achilles",),
    "achilles tendinopathy": ("achilles",),
    "achilles tendinosis": ("achilles",),
    "achilles rupture": ("achilles",),
    "achilles tear": ("achilles",),
    "hamstring strain": ("thigh-back",),
    "hamstring tear": ("thigh-back",),
    "pulled hamstring": ("thigh-back",),
    "calf strain": ("calf",),
    "pulled calf": ("calf",),
    "plantar fasciitis": (),
    "plantar fascitis": (),
    "plantar fasciopathy": (),
    "plantar fasciosis": (),
    "it band": (),
    "it band syndrome": (),
    "itb": (),
    "itbs": (),
    "itb syndrome": (),
    "iliotibial band": (),
    "iliotibial band syndrome": (),
    "stress fracture": (),
    "stress fractures": (),
    "stress reaction": (),
    "sciatica": (),
    "patellofemoral pain": (),
    "patellofemoral pain syndrome": (),
    "pfps": (),
    "mtss": (),
    "medial tibial stress syndrome": (),
    "tendinitis": (),
    "tendonitis": (),
    "tendinopathy": (),
    "bursitis": (),
    "compartment syndrome": (),
    "slipped disc": (),
    "upper back": (),
    "meniscus tear": (),
    "torn meniscus": (),
    "acl": (),
    "dvt": (),
    "blood clot": (),
}
# Phrases whose words say more than one thing: the vocabulary maps each synonym to one term.
_ALSO: dict[str, tuple[str, ...]] = {
    "arch": ("under",),
    "arches": ("under",),
    "ball of my foot": ("under", "ball-of-foot"),
    "ball of the foot": ("under", "ball-of-foot"),
    "back of my ankle": ("back",),
    "back of the ankle": ("back",),
    "bottom of my foot": ("foot",),
    "top of my foot": ("foot",),
    "behind the kneecap": ("knee",),
    "under the kneecap": ("knee",),
    "around the kneecap": ("knee",),
    "kneecap": ("front",),
    "knee cap": ("front",),
    "kneecaps": ("front",),
    "knee caps": ("front",),
    "patella": ("front",),
    "patellar tendon": ("knee",),
    "patella tendon": ("knee",),
    "kneecap tendon": ("knee",),
    "knee tendon": ("knee",),
    "bottom of the kneecap": ("knee",),
    "bottom of my kneecap": ("knee",),
    "lower tip of the kneecap": ("knee",),
    "lower edge of the kneecap": ("knee",),
    "under the bottom of the kneecap": ("knee",),
    "tibial tubercle": ("knee",),
    "tibial tuberosity": ("knee",),
    "bump below my knee": ("knee",),
    "bump below the knee": ("knee",),
    "bump under my knee": ("knee",),
    "bump under the knee": ("knee",),
    "lump below my knee": ("knee",),
    "lump below the knee": ("knee",),
    "lump under my knee": ("knee",),
    "metatarsal heads": ("foot",),
    "forefoot pad": ("foot",),
    "balls of my feet": ("foot",),
    "balls of the feet": ("foot",),
    "ball of foot": ("foot",),
    "between my toes": ("foot",),
    "between the toes": ("foot",),
    "between two toes": ("foot",),
    "3rd and 4th toes": ("foot",),
    "third and fourth toes": ("foot",),
    "sitting bone": ("buttock",),
    "sit bone": ("buttock",),
    "sit bones": ("buttock",),
    "sitting bones": ("buttock",),
    "seat bone": ("buttock",),
    "ischial": ("buttock",),
    "ischial tuberosity": ("buttock",),
    "ischium": ("buttock",),
    "sits bone": ("buttock",),
    "sitz bone": ("buttock",),
    # A twist or a roll is a moment you can name.
    "twisted": ("sudden",),
    "rolled": ("sudden",),
    "sprained": ("sudden",),
    "rolled my ankle": ("sudden", "ankle"),
    "rolled it": ("sudden",),
    "went over on": ("sudden",),
    "went over on my ankle": ("sudden", "ankle"),
    "turned my ankle": ("sudden", "ankle"),
    "twisted my knee": ("sudden", "knee"),
    "twisted my ankle": ("sudden", "ankle"),
    "inversion injury": ("sudden",),
    "rolled over on": ("sudden",),
    "turned on my knee": ("sudden", "knee"),
    "twisting injury": ("sudden",),
    # A pain that travels down the leg often shoots, and "shooting down my leg" says both.
    "shoots down": ("radiating",),
    "shot down": ("radiating",),
    "toes tingle": ("foot",),
    "pins and needles in my toes": ("foot",),
    "numb toes": ("foot",),
    "tingling in my toes": ("foot",),
    "toes tingling": ("foot",),
    "tingly toes": ("foot",),
    "toes go numb": ("foot",),
    "toes feel numb": ("foot",),
    "numbness in my toes": ("foot",),
    "numbness in the toes": ("foot",),
    "burning toes": ("foot",),
    "toes burn": ("foot",),
    "tingling toes": ("foot",),
    "sole tingles": ("foot", "under"),
    "tingling in my sole": ("foot", "under"),
    "tingling in the sole": ("foot", "under"),
    "numb sole": ("foot", "under"),
    "sole goes numb": ("foot", "under"),
    "numbness on the sole": ("foot", "under"),
    "tingling in the ball of my foot": ("foot", "ball-of-foot"),
    "pump bump": ("heel",),
    "haglund": ("heel",),
    "tendon above my heel": ("back",),
    "tendon above the heel": ("back",),
    "down the back of my leg": ("back",),
    "rock hard": ("tightness",),
    "hard as a rock": ("tightness",),
    "hard as rock": ("tightness",),
    "tight as a drum": ("tightness",),
    "drum tight": ("tightness",),
    "rock solid": ("tightness",),
    "muscle is hard": ("tightness",),
    "muscle feels hard": ("tightness",),
}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Phrases that are not any one vocabulary synonym.
_EXTRA_PHRASES: dict[str, tuple[str, ...]] = {
    # Tendons named by runners who were told them: where each runs.
    "peroneal tendon": ("ankle", "outer"),
    "peroneal tendons": ("ankle", "outer"),
    "peroneals": ("ankle", "outer"),
    "peroneal": ("ankle", "outer"),
    "peroneus": ("ankle", "outer"),
    "posterior tibialis": ("ankle", "inner"),
    "posterior tibial tendon": ("ankle", "inner"),
    "tibialis posterior": ("ankle", "inner"),
    # Feet that "go to sleep" on the run are numb.
    "feet go to sleep": ("numbness", "foot"),
    "feet would go to sleep": ("numbness", "foot"),
    "foot goes to sleep": ("numbness", "foot"),
    "feet fall asleep": ("numbness", "foot"),
    "foot falls asleep": ("numbness", "foot"),
    "feet falling asleep": ("numbness", "foot"),
    "feet fell asleep": ("numbness", "foot"),
    "foot fell asleep": ("numbness", "foot"),
    # The bony point low in the buttock, said as what it is for.
    "bone i sit on": ("sitting-bone", "buttock"),
    "bones i sit on": ("sitting-bone", "buttock"),
    "bone you sit on": ("sitting-bone", "buttock"),
    "bones you sit on": ("sitting-bone", "buttock"),
    "where i sit": ("sitting-bone", "buttock"),
    "where you sit": ("sitting-bone", "buttock"),
    # The forefoot nerve's classic feeling: a fold in the sock that is not there.
    "sock is bunched": ("lump", "ball-of-foot", "foot"),
    "sock bunched": ("lump", "ball-of-foot", "foot"),
    "bunched up sock": ("lump", "ball-of-foot", "foot"),
    "bunched-up sock": ("lump", "ball-of-foot", "foot"),
    "sock bunched up": ("lump", "ball-of-foot", "foot"),
    "fold in my sock": ("lump", "ball-of-foot", "foot"),
    "wrinkle in my sock": ("lump", "ball-of-foot", "foot"),
    "sock is rolled up": ("lump", "ball-of-foot", "foot"),
    # A time, not night pain: "felt ok till last night", "Friday night took the dogs out".
    "last night": (),
    "the other night": (),
    "one night": (),
    "night out": (),
    **{f"{day} night": () for day in _DAY_NAMES},
    # A step up onto something is no painful hop: "hop up on the sidewalk".
    "hop up on": (),
    "hop up onto": (),
    "hop onto": (),
    "hopped onto": (),
    # The tendon below the kneecap, named: where it hurts (the name itself is no finding).
    "patellar tendon": ("knee", "below-kneecap"),
    "patellar tendonitis": ("knee", "below-kneecap"),
    "patellar tendinitis": ("knee", "below-kneecap"),
    "patellar tendinopathy": ("knee", "below-kneecap"),
    "patella tendon": ("knee", "below-kneecap"),
    # Getting out of bed: "the second my feet hit the floor".
    "feet hit the floor": ("morning",),
    "foot hit the floor": ("morning",),
    "feet hit the ground in the morning": ("morning",),
    "feet touch the floor": ("morning",),
    "foot touches the floor": ("morning",),
    # The ankle's bony bumps are the ankle bones, no lump.
    "bump on the inside of the ankle": ("ankle", "inner"),
    "bump on the inside of my ankle": ("ankle", "inner"),
    "bump on the outside of the ankle": ("ankle", "outer"),
    "bump on the outside of my ankle": ("ankle", "outer"),
    "bump on the inner ankle": ("ankle", "inner"),
    "bump on the outer ankle": ("ankle", "outer"),
    # A tendon or bone going, told as a bang: an explosion, a bomb, a crack.
    "an explosion": ("pop", "sudden"),
    "like an explosion": ("pop", "sudden"),
    "like a bomb": ("pop", "sudden"),
    "bomb going off": ("pop", "sudden"),
    "bomb went off": ("pop", "sudden"),
    "with a crack": ("pop", "sudden"),
    "heard a crack": ("pop", "sudden"),
    "felt a crack": ("pop", "sudden"),
    "a loud crack": ("pop", "sudden"),
    "heard it crack": ("pop", "sudden"),
    "heard something crack": ("pop", "sudden"),
    "flying through the air": ("sudden",),
    "went flying": ("sudden",),
    # Standing on it and falling straight back down is not bearing weight.
    "went straight back down": ("cannot-bear-weight",),
    "went straight down again": ("cannot-bear-weight",),
    "collapsed when i put weight": ("cannot-bear-weight",),
    "buckled when i put weight": ("cannot-bear-weight",),
    "gave way as soon as i put weight": ("cannot-bear-weight",),
    # Nerve pain told as heat: "like a hot wire" burns, it is no warm skin.
    "hot wire": ("burning",),
    "hot poker": ("burning",),
    "red hot poker": ("burning",),
    # Walking is how a runner takes the stairs or the hill, not what hurts.
    "walking down the stairs": ("stairs",),
    "walking up the stairs": ("stairs",),
    "walking down stairs": ("stairs",),
    "walking up stairs": ("stairs",),
    "walking downstairs": ("stairs",),
    "walking upstairs": ("stairs",),
    "walking downhill": ("downhill",),
    "walking uphill": ("uphill",),
    # The fold at the front of the hip, where the hip flexor runs.
    "hip crease": ("hip", "front"),
    "the crease of my hip": ("hip", "front"),
    "where it creases": ("hip", "front"),
    "in the crease": ("hip", "front"),
    # More days or runs a week is more running.
    "extra days a week": ("mileage-increase",),
    "extra day a week": ("mileage-increase",),
    "extra runs": ("mileage-increase",),
    "an extra run": ("mileage-increase",),
    "more runs a week": ("mileage-increase",),
    "more days a week": ("mileage-increase",),
    "desk all day": ("sitting-long",),
    "sat at a desk all day": ("sitting-long",),
    "sat all day": ("sitting-long",),
    "sit all day": ("sitting-long",),
    "sitting all day": ("sitting-long",),
    "on my feet all day": ("walking",),
    "walking all day": ("walking",),
    "sole": ("under", "foot"),
    "soles": ("under", "foot"),
    "sole of my foot": ("under", "foot"),
    "soles of my feet": ("under", "foot"),
    "plantar fascia": ("under", "foot"),
    "below the kneecap": ("below-kneecap", "knee"),
    "below my kneecap": ("below-kneecap", "knee"),
    "just below the kneecap": ("below-kneecap", "knee"),
    "just below my kneecap": ("below-kneecap", "knee"),
    "under my kneecap": ("knee", "front"),
    "above the kneecap": ("front", "knee"),
    "tip of the kneecap": ("below-kneecap", "knee"),
    "tip of my kneecap": ("below-kneecap", "knee"),
    "side of my knee": ("outer", "knee"),
    "morning stiffness": ("morning", "stiffness"),
    "both sides of": ("around",),
    "whole heel": ("heel", "around"),
    "whole knee": ("knee", "around"),
    "whole foot": ("foot", "around"),
    "whole shin": ("shin", "around"),
    "squeezed my heel": ("point-tenderness", "heel"),
    "squeezed the heel": ("point-tenderness", "heel"),
    "hard like a stone": ("swelling", "tightness"),
    "feels like wood": ("swelling", "tightness"),
    "hard as wood": ("swelling", "tightness"),
    "hard as a stone": ("swelling", "tightness"),
    "hard as a rock": ("swelling", "tightness"),
    "hard like a rock": ("swelling", "tightness"),
    "stone hard": ("swelling", "tightness"),
    # A clinician's shorthand for a side; only before a place or side (see _allowed).
    "lat": ("outer",),
    "med": ("inner",),
    "post": ("back",),
    "ant": ("front",),
    "am stiffness": ("morning", "stiffness"),
    "stiff in the morning": ("morning", "stiffness"),
    # The heel squeeze: pain when the heel is squeezed from both sides is bony tenderness.
    "squeezing the heel": ("point-tenderness", "heel"),
    "squeezing the sides of the heel": ("point-tenderness", "heel"),
    "squeezing my heel": ("point-tenderness", "heel"),
    "squeeze the heel": ("point-tenderness", "heel"),
    "squeezing the sides of my heel": ("point-tenderness", "heel"),
    "kicked in the back of": ("pop", "back"),
    "kicked in the": ("pop",),
    "kicked in my": ("pop",),
    "thigh": ("thigh",),
    "thighs": ("thigh",),
    "upper leg": ("thigh",),
    "upper legs": ("thigh",),
    "hot and swollen": ("redness-warmth", "swelling"),
    "red and swollen": ("redness-warmth", "swelling"),
    # From the held-out suites' first runs: lay ways to name a part, a moment, a shoe.
    "just under the kneecap": ("below-kneecap", "knee"),
    "just under my kneecap": ("below-kneecap", "knee"),
    "just under his kneecap": ("below-kneecap", "knee"),
    "just under her kneecap": ("below-kneecap", "knee"),
    "bottom tip of the kneecap": ("below-kneecap", "knee"),
    "bottom tip of my kneecap": ("below-kneecap", "knee"),
    "bottom tip of his kneecap": ("below-kneecap", "knee"),
    "bottom tip of her kneecap": ("below-kneecap", "knee"),
    "where the tendon starts": ("below-kneecap",),
    "bony bit under the kneecap": ("knee-bump", "knee"),
    "bony bit below the kneecap": ("knee-bump", "knee"),
    "bony bump on the shin": ("knee-bump", "knee"),
    "bony bump on his shin": ("knee-bump", "knee"),
    "bony bump on her shin": ("knee-bump", "knee"),
    "bony bump on my shin": ("knee-bump", "knee"),
    "bump on the shin below the knee": ("knee-bump", "knee"),
    "metatarsal head": ("ball-of-foot", "foot"),
    "metatarsal heads": ("ball-of-foot", "foot"),
    "pebble in my shoe": ("ball-of-foot", "foot"),
    "pebble under my foot": ("ball-of-foot", "foot"),
    "like a pebble": ("ball-of-foot",),
    "marble under my foot": ("ball-of-foot", "foot"),
    "stone in my shoe": ("ball-of-foot", "foot"),
    "sock bunching": ("between-toes", "foot"),
    "bruised ache": ("dull-ache",),
    "feels bruised": ("tenderness",),
    "bruised feeling": ("tenderness",),
    "heel squeeze": ("point-tenderness", "heel"),
    "squeeze test": ("point-tenderness",),
    "felt my groin go": ("sudden", "groin"),
    "felt my calf go": ("sudden", "calf"),
    "felt my hamstring go": ("sudden", "thigh-back"),
    "felt my hip go": ("sudden", "hip"),
    "out of the blocks": ("sudden", "sprinting"),
    "bottom of my buttock": ("sitting-bone", "buttock"),
    "bottom of the buttock": ("sitting-bone", "buttock"),
    "where the hamstring attaches": ("sitting-bone", "buttock"),
    "hamstring attachment": ("sitting-bone", "buttock"),
    "top of the hamstring": ("sitting-bone", "buttock"),
    "top of my hamstring": ("sitting-bone", "buttock"),
    "high hamstring": ("sitting-bone", "buttock"),
    "hamstring's anchor point": ("sitting-bone", "buttock"),
    "hamstring anchor": ("sitting-bone", "buttock"),
    "between my 2nd and 3rd": ("between-toes", "foot"),
    "between the 2nd and 3rd": ("between-toes", "foot"),
    "2nd and 3rd toes": ("between-toes", "foot"),
    "between my 3rd and 4th": ("between-toes", "foot"),
    "between the 3rd and 4th": ("between-toes", "foot"),
    "3rd and 4th toes": ("between-toes", "foot"),
    "between my second and third": ("between-toes", "foot"),
    "between the second and third": ("between-toes", "foot"),
    "second and third toes": ("between-toes", "foot"),
    "between my third and fourth": ("between-toes", "foot"),
    "between the third and fourth": ("between-toes", "foot"),
    "third and fourth toes": ("between-toes", "foot"),
    "between my 1st and 2nd": ("between-toes", "foot"),
    "between the 1st and 2nd": ("between-toes", "foot"),
    "1st and 2nd toes": ("between-toes", "foot"),
    "between my 4th and 5th": ("between-toes", "foot"),
    "between the 4th and 5th": ("between-toes", "foot"),
    "4th and 5th toes": ("between-toes", "foot"),
    # No term names the outer thigh: it is the thigh that is not the hamstring, on its outer side.
    "outer thigh": ("outer", "thigh"),
    # The top of the thigh is its upper end, not the top of a foot.
    "top of the thigh": ("thigh",),
    "top of my thigh": ("thigh",),
    "upper thigh": ("thigh",),
    "outer thighs": ("outer", "thigh"),
    "lateral thigh": ("outer", "thigh"),
}
# Not walking properly is a limp, not being unable to walk (nor walking denied).
_WALKING_BADLY = {
    f"{cannot} walk {how}": ("limping",)
    for cannot in ("couldn't", "can't", "cannot", "could not", "can not")
    for how in ("properly", "normally", "straight")  # not "right": a filler ("right knee")
}
_EXTRA_PHRASES.update(_WALKING_BADLY)
# Phrases that say a term is absent: "I can walk" rules out being unable to bear weight.
_ABSENT_PHRASES: dict[str, tuple[str, ...]] = {
    # It does not ease once warm: not constant pain, just no warming up out of it.
    "doesn't go away after the warm up": ("eases-when-warm",),
    "doesn't go away after the warmup": ("eases-when-warm",),
    "doesn't go away with the warm up": ("eases-when-warm",),
    "doesn't go away when i warm up": ("eases-when-warm",),
    "doesn't ease after the warm up": ("eases-when-warm",),
    "doesn't ease when i warm up": ("eases-when-warm",),
    "can walk": ("cannot-bear-weight",),
    "can still walk": ("cannot-bear-weight",),
    "able to walk": ("cannot-bear-weight",),
    "walked home": ("cannot-bear-weight",),
    "walked off": ("cannot-bear-weight",),
    "can put weight on it": ("cannot-bear-weight",),
    "can bear weight": ("cannot-bear-weight",),
    "can weight bear": ("cannot-bear-weight",),
    "can walk normally": ("cannot-bear-weight", "limping"),
    "walk normally": ("cannot-bear-weight", "limping"),
    "walking normally": ("cannot-bear-weight", "limping"),
    "can walk fine": ("cannot-bear-weight", "limping"),
    "walk without a limp": ("cannot-bear-weight", "limping"),
    "walking without a limp": ("cannot-bear-weight", "limping"),
}
# A term some words imply: pain that wakes you happens at night.
_IMPLIES = IMPLIES

_NUMBER_WORDS: dict[str, int] = dict(
    zero=0, one=1, two=2, three=3, four=4, five=5, six=6, seven=7, eight=8, nine=9, ten=10,
    eleven=11, twelve=12,
)  # fmt: skip


class _Lazy:
    """A regular expression compiled on first use, so importing the parser stays cheap."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


# ---------------------------------------------------------------------------------------------
# Regular expressions over the normalised text (numbers need the characters, not the tokens).

_NUM = r"(\d{1,3}(?:[.,]\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_QUANT = (
    r"(?:\d{1,3}(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|a\s+few|a\s+couple(?:\s+of)?|few|couple(?:\s+of)?|several|"
    r"half\s+an?|an?)"
)
_UNIT = (
    r"(?:km|kms|k|kilomet(?:er|re)s?|k's|mi|miles?|minutes?|mins?|hours?|hrs?|hr|"
    r"blocks?|laps?|yards?|yds|met(?:er|re)s?)"
)
# Runs of filler words are bounded ({0,4}, not *): with an open-ended run, a text of
# nothing but "my my my ..." is rescanned from every word, quadratic in its length.
_HEDGE = (
    r"(?:(?:about|around|roughly|approximately|approx|maybe|like|only|just|say|the|my|a|exactly|"
    r"precisely|almost|nearly|over|some|probably|usually|always|generally)\s+){0,4}"
)
# "Went from 20 to 50 km a week", "jumped from 3 to 5 runs a week": more training, not hopping.
_VOLUME_UNIT = (
    r"(?:km|kms|k|kilomet(?:er|re)s?|mi|miles?|mpw|kpw|runs?|days?|sessions?|times|x|hours?|hrs?)"
)
_INCREASE_VERB = (
    r"(?:jump(?:ed|ing|s)?|went|gone|going|go|increas(?:ed|ing|e)|upp(?:ed|ing)|up|bump(?:ed|ing)|"
    r"ramp(?:ed|ing)|buil[dt](?:ing)?|mov(?:ed|ing)|stepp?(?:ed|ing)|doubl(?:ed|ing)|climb(?:ed|ing)|"
    r"rais(?:ed|ing)|add(?:ed|ing)|progress(?:ed|ing)|push(?:ed|ing)|took|taken|taking|shot)"
)
_PER_WEEK = r"(?:(?:a|per|each|every|/)\s*(?:week|wk|month))"
_VOLUME_RE = _Lazy(
    rf"\b{_INCREASE_VERB}\s+(?:up\s+)?(?:(?:my|his|her|their|the|our|it|weekly|mileage|long|run|runs|running|"
    rf"training|distance|volume)\s+){{0,4}}from\s+{_QUANT}\s*(?:{_VOLUME_UNIT}\s*)?(?:{_PER_WEEK}\s*)?"
    rf"(?:to|up\s+to|->|-|–)\s*{_QUANT}\s*{_VOLUME_UNIT}\b"
    rf"|\bfrom\s+{_QUANT}\s*(?:{_VOLUME_UNIT}\s*)?(?:{_PER_WEEK}\s*)?(?:to|up\s+to|->)\s*"
    rf"{_QUANT}\s*{_VOLUME_UNIT}\s*{_PER_WEEK}"
    rf"|\b{_INCREASE_VERB}\s+(?:up\s+)?(?:my\s+\w+\s+)?to\s+{_HEDGE}{_QUANT}\s*{_VOLUME_UNIT}\s*"
    rf"{_PER_WEEK}"
)
# "At the same point in every run", "always at the same distance": it comes on during the run.
_SAME_POINT_RE = _Lazy(
    r"\bsame\s+(?:point|distance|mileage|stage|place|time|minute|mark|km|mile|kilomet(?:er|re)|"
    r"part)\s+(?:(?:in|of|on|into|during|each|every|through|the|my|a)\s+){1,3}(?:\w+\s+)?"
    r"(?:run|runs|time|session|sessions|lap|jog)\b"
    r"|\bsame\s+(?:distance|mileage|stage|km|mile|kilomet(?:er|re))\b"
    r"|\b(?:always|every\s+time|each\s+time|predictably|reliably)\s+(?:at|around|about)\s+"
    r"(?:the\s+)?same\s+(?:point|time|place)\b"
)
# "It eases after a mile": the pain was there at the start, and warms off.
_EASES_BEFORE_RE = _Lazy(
    r"(?:eases?|eased|easing|settles?|settled|settling|goes(?:\s+away)?|went(?:\s+away)?|"
    r"disappears?|fades?|subsides?|loosens?(?:\s+up)?|warms?\s+up|wears?\s+off|improves?|"
    # "it stops after a mile", not "I have to stop at 10 minutes" (the runner stops).
    r"better|calms?(?:\s+down)?|gone|(?<!to\s)(?<!i\s)stops?)\s+(?:\w+\s+){0,2}$"
)
# "If I press where the 1st and 2nd metatarsals meet it hurts": one spot tender to press,
# however far apart the press and the pain are told.
_PRESSED_SPOT_RE = _Lazy(
    r"\b(?:if|when)\s+(?:i|you)\s+(press|push|poke)(?:\s+on)?\b[^.;!?]{0,70}?"
    r"\b(?:it\s+)?(?:hurts|is\s+(?:sore|tender|painful)|kills)\b"
)
# A pain that has no number but a clear superlative: "unbearable", "worst pain of my life".
_SEVERE_RE = _Lazy(
    r"\b(?:unbearabl[ey]|excruciating(?:ly)?|worst\s+pain\s+(?:of\s+my\s+life|i(?:'ve|\s+have)?"
    r"\s+ever|ever)|most\s+painful\s+thing"
    r"|(?:the\s+)?worst\s+(?:pain\s+)?i(?:'ve|\s+have)?\s+ever\s+(?:had|felt|known)"
    r"|makes?\s+(?:me|him|her)\s+scream|screaming\s+(?:in|with)\s+pain"
    # "way more than any soreness I've ever had"
    r"|(?:worse|more)\s+than\s+any(?:thing)?\s+(?:\w+\s+)?i(?:'ve|ve|\s+have)?\s+(?:ever\s+)?"
    r"(?:had|felt))\b"
)
_NOT_BEFORE_RE = _Lazy(r"(?:\bnot|n't|\bno|\bnever)\s+(?:\w+\s+)?$")
_SEVERE_SCORE = 9  # "unbearable" with no number: high, below a stated 10/10
# "Severe groin pain", "the pain was severe", "crippling": severe on the usual pain scale's
# bands (7 to 10), so the lowest of them.
_BAD_RE = _Lazy(
    r"\bsevere(?:ly)?\s+(?:\w+\s+){0,2}?(?:pain|ache|aching|hurt\w*|painful|sore\w*)\b"
    r"|\b(?:pain|ache)\s+(?:is|was|got|gets|became|has\s+been|had\s+become)\s+(?:\w+\s+)?"
    r"severe\b|\bin\s+(?:absolute\s+|complete\s+|total\s+)?agony\b|\bcrippling\b"
    r"|\bdebilitating\b"
)
_BAD_SCORE = 7
# Saddle numbness said in other words: "the area between my legs feels numb".
_SADDLE_RE = _Lazy(
    r"\b(?:numb\w*|tingl\w*|no\s+feeling|pins\s+and\s+needles|lost\s+feeling)\b[^.;!?]{0,40}?"
    r"\bbetween\s+(?:my|the)\s+legs\b"
    r"|\bbetween\s+(?:my|the)\s+legs\b[^.;!?]{0,30}?\b(?:numb\w*|tingl\w*|no\s+feeling|"
    r"pins\s+and\s+needles|lost\s+feeling)"
)
# "Lost 4 kg", "dropped half a stone without trying": weight lost, a warning sign.
_WEIGHT_LOST_RE = _Lazy(
    rf"\b(?:lost|losing|dropped|dropping|down)\s+{_HEDGE}{_QUANT}\s*"
    r"(?:kg|kgs|kilos?|kilograms?|lbs?|pounds?|stone|st)\b"
    r"|\b(?:lost|losing|dropped)\s+(?:(?:a|lots|loads|lot|bit|of|some|so|much|too|heaps|tons|"
    r"quite|real|serious)\s+){0,4}weight\b"
)
# "eating maybe 1200-1500 calories a day": too little for a runner in training
# (1000 to 1999 a day; a higher figure says nothing).
_FEW_CALORIES_RE = _Lazy(
    r"\b(?:eating|ate|eat|eats|on|only|just|maybe|about|around)\s+(?:only\s+|maybe\s+|about\s+|"
    r"around\s+|just\s+|under\s+|less\s+than\s+)?1[,.]?\d{3}(?:\s*(?:-|–|to)\s*1[,.]?\d{3})?\s*"
    r"(?:calories|kcal|cals)\b"
)
_FIRST_UNIT_RE = _Lazy(rf"\bfirst\s+(?:{_QUANT}\s*)?{_UNIT}\b")
# "6-7 km", "3 to 4 miles": a range reads like one distance.
_RANGE = rf"{_QUANT}(?:\s*(?:-|–|to)\s*{_QUANT})?"
_DISTANCE_RE = _Lazy(
    rf"\b(?:after|at|by|past|beyond|into|until|till|once\s+i(?:'ve|\s+have)?(?:\s+(?:done|hit|"
    rf"reach|reached|run|get\s+to|got\s+to))?)\s+(?:(?:running|jogging)\s+(?:for\s+)?)?"
    rf"{_HEDGE}{_RANGE}\s*{_UNIT}\b"
    rf"|\b{_HEDGE}{_RANGE}\s*{_UNIT}\s+in(?:to)?\b"
    rf"|\b(?:at|by|around|past|after|near|nearing|approaching)\s+{_HEDGE}(?:mile|km|kilomet(?:er|re))\s+\d+"
    rf"|\b(?:longer|further|farther|more)\s+than\s+{_HEDGE}{_RANGE}\s*{_UNIT}\b"
)
_HOURS_RE = _Lazy(r"\b(?:hours?|hrs?)\b")
# "about 30 km a week" is volume, "after 20 minutes of sitting" is not running.
_NOT_DISTANCE_AFTER_RE = _Lazy(
    r"\s*(?:a|per|each|every|/)\s*(?:week|wk|month|day)"
    r"|\s+of\s+(?!running|jogging|run\b|a\s+run|my\s+run|the\s+run)"
    r"|\s+(?:sitting|standing|walking|driving|rest|resting|later|after|ago|before|off)\b"
    r"|\s+(?:a|the|my)\s+(?:chair|car|seat|bed|bath|desk|sofa|couch)\b"
)
_SEVERITY_OUT_OF_RE = _Lazy(
    rf"\b(?:{_NUM}\s*(?:-|to|–)\s*)?{_NUM}\s*(?:/|out\s+of|outta)\s*(?:10|ten)\b"
    # "10 of 10" as a score, but not "5 of 10 intervals"
    rf"|\b{_NUM}\s+of\s+(?:10|ten)\b(?!\s*[a-z])"
)
_SEVERITY_WORD_RE = _Lazy(
    r"\b(?:pain|severity|score|level|rating|rated|rate|intensity|vas|nrs)\b"
    r"(?:\s*[:=\-]\s*|\s+)"
    r"(?:(?:is|it's|its|it|was|of|at|about|around|roughly|approximately|maybe|like|level|score|"
    r"a|an|as|currently|now|usually|typically|probably|normally|sits|sitting|i'd|i|would|say|"
    r"right|today|rating|generally|mostly|solid|high|low|consistent|consistently)\s+){0,6}"
    rf"{_NUM}\b"
    r"(?!\s*(?:km|k\b|kms|kilomet|mi\b|miles?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|"
    r"months?|years?|yrs?|%|x\b|times|am\b|pm\b|[.,]\d|steps|runs|out|/|(?:-|–|to)\s*\d|"
    r"spots?\b|places?\b|points?\b|areas?\b|sides?\b|legs?\b|foot\b|feet\b|knees?\b|"
    r"shins?\b|heels?\b|toes?\b|of\b))"
)

_SEVERITY_ITS_RE = _Lazy(
    r"\b(?:it's|it\s+is|its|i'd\s+(?:say|call\s+it|rate\s+it)|i\s+would\s+(?:say|rate\s+it))\s+"
    r"(?:(?:about|around|like|maybe|probably|roughly|honestly)\s+){0,4}(?:a|an)\s+"
    rf"{_NUM}\b(?!\s*(?:km|k\b|kms|mi\b|miles?|minutes?|mins?|hours?|days?|weeks?|months?|years?|"
    r"%|x\b|times|[.,]\d|/|out|on\b|of\b|in\b))"
)

_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|,|[.;:!?()\[\]{}|•\n—–]|(?<=\s)-(?=\s)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_CANNOT_FORMS = frozenset(["can't", "cant", "couldn't", "couldnt"])
_BARE_CONTRACTIONS = {
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "aint": "ain't",
    "im": "i",
    "ive": "i",
}
_MAX_UNRECOGNISED = 20


# ---------------------------------------------------------------------------------------------
# Tokens


@dataclass(slots=True)
class _Token:
    text: str  # normalised spelling used for matching
    original: str  # as written (lower-cased), for the unrecognised list
    kind: str  # "word", "comma" or "boundary"
    start: int
    end: int
    used: bool = False


_CLOSING_TAG_RE = re.compile(r"\[/([^\]\[\n]{0,40})\]")


def _strip_markup(text: str) -> str:
    """Drop console markup ("[bold]knee[/bold]") so "[red]" is not read as redness."""
    if "[/" not in text:
        return text
    names = {name.split("=")[0].strip() for name in _CLOSING_TAG_RE.findall(text)}
    text = _CLOSING_TAG_RE.sub(" ", text)
    if "" in names or len(names) > 20:  # "[/]" closes any tag
        return re.sub(r"\[[^\]\[\n]{1,40}\]", " ", text)
    for name in names:
        text = re.sub(rf"\[{re.escape(name)}(?:[ =][^\]\[\n]{{0,40}})?\]", " ", text)
    return text


def _normalise_text(text: str) -> str:
    text = _strip_markup(unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES))
    return text.replace("w/o", " without ").replace("w/", " with ").replace("&", " and ")


def _word(raw: str) -> str:
    if raw in _CANNOT_FORMS:
        return "cannot"
    if raw in _BARE_CONTRACTIONS:
        return _BARE_CONTRACTIONS[raw]
    if "'" in raw and not raw.endswith("n't"):
        return raw.split("'", 1)[0]
    return raw


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for found in _TOKEN_RE.finditer(text):
        raw = found.group()
        if raw == ",":
            kind = "comma"
        elif raw[0].isalnum():
            kind = "word"
        else:
            kind = "boundary"
        tokens.append(_Token(_word(raw), raw, kind, found.start(), found.end()))
    return _merge_negated_abilities(tokens)


def _merge_negated_abilities(tokens: list[_Token]) -> list[_Token]:
    """ "can not", "could not", "unable to", "not able to" all read as "cannot": an inability, not
    a negation ("can't put weight on it" is a sign that is present)."""
    merged: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        pair = (token.text, tokens[i + 1].text if i + 1 < len(tokens) else "")
        if pair in {("can", "not"), ("could", "not"), ("unable", "to")}:
            end = tokens[i + 1]
            merged.append(_Token("cannot", f"{token.original} {end.original}", "word",
                                 token.start, end.end))  # fmt: skip
            i += 2
            continue
        if (
            token.text == "not"
            and i + 2 < len(tokens)
            and tokens[i + 1].text == "able"
            and tokens[i + 2].text == "to"
        ):
            merged.append(_Token("cannot", "not able to", "word", token.start, tokens[i + 2].end))
            i += 3
            continue
        merged.append(token)
        i += 1
    return merged


def _phrase_tokens(phrase: str, keep_fillers: bool = False) -> tuple[str, ...]:
    words = [t.text for t in _tokenise(_normalise_text(phrase)) if t.kind == "word"]
    if keep_fillers:  # "on top of that" must not become "on top of (my foot)"
        return tuple(words)
    # Fillers are skipped in the text, so they are dropped from the phrase too (not a leading
    # one: "my back" is the lower back, "back" alone is a part).
    return tuple(w for i, w in enumerate(words) if i == 0 or w not in _FILLERS)


def _variants(word: str) -> list[str]:
    """Other spellings of an inflected word: "swells" -> "swell", "hopped" -> "hop"."""
    found: list[str] = []
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ing", ""),
                                ("ly", ""), ("y", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + replacement
            if suffix in {"ed", "ing"} and _short_open_stem(stem):
                # "hoping" is "hope", not "hop" (that would be "hopping").
                found.append(stem + "e")
                continue
            found += [stem, stem + "e"]
            if stem[-1] == stem[-2]:
                found.append(stem[:-1])
    return found


def _short_open_stem(stem: str) -> bool:
    """A three-letter consonant-vowel-consonant stem ("hop" of "hoping"), which English
    doubles before -ing and -ed ("hopping"): left undoubled, the word's stem ends in e."""
    vowels = "aeiou"
    return (
        len(stem) == 3
        and stem[0] not in vowels
        and stem[1] in vowels
        and stem[2] not in vowels + "wxy"
    )


def _plural_of(word: str, phrase_word: str) -> bool:
    return word == phrase_word or word in (phrase_word + "s", phrase_word + "es")


# ---------------------------------------------------------------------------------------------
# The lexicon: every phrase, indexed by its first word.


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    terms: tuple[str, ...]
    kind: str  # "term", "name", "stop", "cue", "short-cue", "pseudo", "absent"
    label: str


@dataclass(slots=True)
class _Lexicon:
    by_first: dict[str, list[_Entry]] = field(default_factory=dict)
    starts_phrase: set[str] = field(default_factory=set)  # first words of longer phrases
    single: dict[str, _Entry] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    by_initial: dict[str, list[str]] = field(default_factory=dict)
    region_words: frozenset[str] = frozenset()


def _add(
    lexicon: dict[tuple[str, ...], _Entry], phrase: str, terms: Iterable[str], kind: str
) -> None:
    words = _phrase_tokens(phrase, keep_fillers=kind in {"stop", "pseudo", "cue", "short-cue"})
    if not words:
        return
    old = lexicon.get(words)
    if old is not None and old.kind == kind:
        merged = tuple(dict.fromkeys((*old.terms, *terms)))
        lexicon[words] = _Entry(words, merged, kind, old.label)
    elif old is None or kind == "term":
        lexicon[words] = _Entry(words, tuple(dict.fromkeys(terms)), kind, phrase)


@cache
def _lexicon() -> _Lexicon:
    entries: dict[tuple[str, ...], _Entry] = {}
    for phrase in _STOP_PHRASES:
        _add(entries, phrase, (), "stop")
    for phrase in _PSEUDO_NEGATIONS:
        _add(entries, phrase, (), "pseudo")
    for phrase in _NEGATION_PHRASES:
        _add(entries, phrase, (), "short-cue" if phrase in _SHORT_NEGATION_PHRASES else "cue")
    for term in TERMS:
        for synonym in term.synonyms:
            _add(entries, synonym, (term.id, *_ALSO.get(synonym, ())), "term")
    for phrase, terms in _EXTRA_PHRASES.items():
        _add(entries, phrase, terms, "term")
    for phrase, terms in _INJURY_NAMES.items():
        _add(entries, phrase, terms, "name")
    for phrase, terms in _ABSENT_PHRASES.items():
        _add(entries, phrase, terms, "absent")

    lexicon = _Lexicon()
    for entry in sorted(entries.values(), key=lambda e: -len(e.words)):
        lexicon.by_first.setdefault(entry.words[0], []).append(entry)
        if len(entry.words) > 1:
            lexicon.starts_phrase.add(entry.words[0])
        if len(entry.words) == 1:
            lexicon.single[entry.words[0]] = entry
        lexicon.known.update(entry.words)
    lexicon.known.update(_STOP_WORDS, _FILLERS, _NEGATION_CUES, _SCOPE_ENDERS)
    for word in sorted(lexicon.known - _STOP_WORDS - _FILLERS):
        if len(word) >= 4 and word.isalpha():
            lexicon.by_initial.setdefault(word[0], []).append(word)
    lexicon.region_words = frozenset(
        word
        for term in TERMS
        if term.dimension == "where"
        for synonym in term.synonyms
        for word in _phrase_tokens(synonym)
        if word not in _FILLERS
    ) | {"leg", "legs", "side", "sides", "thigh", "thighs", "feet"}
    return lexicon


@lru_cache(maxsize=8192)
def _correct(word: str) -> str:
    """A likely misspelling of a vocabulary word ("achillies", "swolen"), else the word.

    A common English word is never corrected, however close it is to a term:
    "seeing" is not "sneezing", nor "medical" "medial" (`real_words`).
    """
    from needlematch.real_words import REAL_WORDS

    return word if word in REAL_WORDS else correction_of(word)


def correction_of(word: str) -> str:
    """The vocabulary word `word` is closest to, if it is not one already (English or not)."""
    lexicon = _lexicon()
    if (
        len(word) < 5
        or not word.isalpha()
        or word in lexicon.known
        or any(v in lexicon.known for v in _variants(word))
    ):
        return word
    candidates = [c for c in lexicon.by_initial.get(word[0], ()) if abs(len(c) - len(word)) <= 2]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.85)
    return close[0] if close else word


# Some words mean a term only in some company.
def _next_word(tokens: list[_Token], index: int) -> str | None:
    # Indexes, not a slice: a slice copies the rest of the text at every phrase.
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.kind != "word":
            return None
        if token.text not in _FILLERS:
            return token.text
    return None


def _words_before(tokens: list[_Token], index: int, count: int) -> set[str]:
    """Up to `count` words before `index` in the same clause."""
    found: set[str] = set()
    while len(found) < count:
        word = _previous_word(tokens, index)
        if word is None:
            break
        found.add(word)
        index = next(i for i in range(index - 1, -1, -1) if tokens[i].text == word)
    return found


def _previous_word(tokens: list[_Token], index: int) -> str | None:
    for position in range(index - 1, -1, -1):
        token = tokens[position]
        if token.kind != "word":
            return None
        if token.text not in _FILLERS:
            return token.text
    return None


_WARM_PREFIXES = _words(
    "once when i get gets getting got until till properly fully am been stay keep nice"
)


def _allowed(entry: _Entry, tokens: list[_Token], start: int, end: int) -> bool:
    words = entry.words
    after = _next_word(tokens, end)
    if _previous_word(tokens, start) in _NEAR_MISS and {"sudden", "twist", "pop"} & set(
        entry.terms
    ):
        return False  # "nearly got hit by a car", "almost tripped": it did not happen
    if words in {("my", "back"), ("my", "bottom")}:
        return after != "of"
    if words == ("around",):
        # "around the knee" is a part; "around 4 km" or "around the same time" is not,
        # nor is "walking around" or "moving around".
        if _previous_word(tokens, start) in _AROUND_AS_MOVING:
            return False
        return after is None or after in _lexicon().region_words or after in {"it", "there"}
    if words in {("warm",), ("warmth",)}:
        before = _previous_word(tokens, start)
        if before == "and" and start >= 2 and tokens[start - 2].text in {"nice", "lovely", "good"}:
            return False  # "nice and warm" is comfort, not inflammation
        return before not in _WARM_PREFIXES
    if words == ("back",):
        before = _previous_word(tokens, start)
        if before in {"it", "its", "is", "was"}:
            # "...within minutes it's back.", "it's back the next day": the pain returning;
            # "it's back pain", "it's back of the knee": a place.
            return after in _BACK_AS_PLACE_AFTER
        if before in _BACK_AS_RETURN:
            return False  # "a 6 hour drive back from Bend" is a journey home
        return before not in {"lower", "upper", "low", "mid"}
    if words == ("behind",):
        # "behind my knee", "behind the ankle bone" is a place; "months behind", "fell
        # behind on my plan", "behind schedule" is not.
        if after is None:  # "it hurts behind." but not "(months behind)"
            return _previous_word(tokens, start) not in _BEHIND_AS_LATE
        return after in _lexicon().region_words or after in _BEHIND_A_PLACE_NEXT
    if words == ("in", "front", "of"):
        # "in front of the TV" is no place on the body; "in the front of my knee" is.
        if any(token.text in {"the", "my"} for token in tokens[start:end]):
            return False
        return after not in _lexicon().region_words
    if words == ("rolled",) and after in _ROLLED_MUSCLES:
        return False  # "rolled my calf" is foam rolling, not a turned ankle
    if words == ("outside",):
        # "treadmill or outside", "running outside": where the runner runs.
        return not (_previous_word(tokens, start) in _OUTSIDE_AS_OUTDOORS and after != "of")
    if words == ("under",) and after in _UNDER_AS_LESS_THAN:
        return False  # "under a quarter mile", "under 10 minutes": less than
    if words in _GIVES_OUT and "back" in _words_before(tokens, start, 2):
        return False  # "my back completely gave out" is no knee or ankle giving way
    if words == ("turns",) and after in _TURNS_POSTURE:
        return False  # "the foot turns in", "it turns out": no turning on the leg
    if words == ("pounding",) and after in _POUNDING_IMPACT:
        return False  # "pounding on your feet", "pounding the pavement": impact, not a throb
    if words in {("sticking",), ("sticks",), ("stuck",)} and after == "out":
        return False  # "a rock sticking out of the road" is no catching joint
    if words == ("just", "went"):
        # "something at the top of the hamstring just went." is a pop; "I just went for
        # a run" is not.
        return after is None
    if words == ("instant",):
        # "an instant sharp pain" is a sudden start; "instant relief" is not.
        return after is None or after in _INSTANT_PAIN
    if words == ("cutting",):
        # "cutting mileage", "cutting back", "cutting my runs short" is training, not a turn.
        return after not in _CUTTING_TRAINING
    if words in {("suddenly",), ("sudden",)}:
        # "it suddenly got worse" is a change in a pain that was already there.
        return after not in _WORSENING
    if words in {("constant",), ("persistent",), ("continuous",)}:
        # "constant imbalance", "persistent worry": not the pain itself.
        return after not in _CONSTANT_NOT_PAIN
    if words == ("slowly",):
        # "It came on slowly" is the onset; "I ran slowly another 2 miles", "build up
        # very slowly" is a pace.
        at = start
        before = _previous_word(tokens, at)
        while before in _PACE_HEDGES and at > 1 and start - at < 3:
            at -= 1
            before = _previous_word(tokens, at)
        if before in _PACE_STARTS and _previous_word(tokens, at - 1) in {"i", "we", "you"}:
            return False  # "better if I start slowly", unlike "it started slowly"
        return before not in _PACE_VERBS
    if words in _CLINICAL_SIDES:
        # "lat knee", "post-medial shin": a clinician's abbreviation before a place or
        # side; "I'll post an update" is no side at all.
        return after is not None and (
            after in _lexicon().region_words or after in _SIDE_WORDS or after in _CLINICAL_WORDS
        )
    if words == ("sat",):
        # "15 mins sat, 20 today" is Saturday; "I sat at my desk" is sitting.
        return _previous_word(tokens, start) not in _RUN_AMOUNT_WORDS
    if words in {("getting", "up"), ("get", "up")}:
        # "getting up in the morning" is; "getting up from a chair" is not.
        return after not in {"from", "off", "after", "out"}
    if words[0] == "side":
        # "the inner side of my knee" names its side before this word: let that win.
        return _previous_word(tokens, start) not in _SIDE_WORDS
    return True


_AROUND_AS_MOVING = _words(
    "walk walks walking walked run runs running ran jog jogging jogged move moves moving moved "
    "get gets getting got hobble hobbling hobbled limp limping limped shuffle shuffling "
    "potter pottering puttering wander wandering stand standing stood turn turned turning "
    "look looked looking mess messing play playing sit sitting sat lie lying lay"
)
_NEAR_MISS = _words("nearly almost narrowly")
_GIVES_OUT = {("gave", "out"), ("gives", "out"), ("giving", "out"), ("give", "out")}
_TURNS_POSTURE = _words("in out inward inwards outward outwards")
_POUNDING_IMPACT = _words("on the pavement pavements road roads streets ground away out")
_ROLLED_MUSCLES = _words("calf calves quad quads hamstring hamstrings glute glutes it legs")
_OUTSIDE_AS_OUTDOORS = _words(
    "run runs ran running jog jogs jogged jogging walk walks walked walking train training "
    "trained or and go went going get got be being play playing exercise exercising ride riding"
)
_UNDER_AS_LESS_THAN = _words(
    "a an one two three four five six seven eight nine ten quarter half 1 2 3 4 5 6 7 8 9 10 "
    "15 20 30 45 60 100 an hour minute minutes mile miles km"
)
_INSTANT_PAIN = _words("sharp pain stabbing agony searing shooting burning pop snap stab")
_CUTTING_TRAINING = _words(
    "mileage miles distance back down out my the runs run training volume calories weight "
    "it short corners"
)
_WORSENING = _words("got get gets getting became become worse worsened worsening flared")
_CONSTANT_NOT_PAIN = _words(
    "imbalance worry worrying fear stress fatigue tiredness travel travelling traveling "
    "reminder battle struggle training state need stream flow companion"
)
_PACE_STARTS = _words("start starts started starting begin began")
_PACE_HEDGES = _words("very really so quite more up back it things")
_PACE_VERBS = _words(
    "ran run runs running jog jogs jogged jogging walk walks walked walking go went going "
    "build builds built building ease eased easing increase increased increasing return "
    "returned returning progress progressed progressing cycle cycled cycling take took taking "
    "move moved moving get got getting"
)
_SIDE_WORDS = _words("inner inside medial outer outside lateral left right either one other")
# Before "sat" (Saturday), the amount run that day: "15 mins sat", "10k sat".
_RUN_AMOUNT_WORDS = _words("mins min minutes k km kms miles mi mile")
_BACK_AS_PLACE_AFTER = _words("pain pains ache aches of muscle muscles spasm spasms")
# Before "back", words that make it a way home ("drive back", "the flight back"), not a place.
_BACK_AS_RETURN = _words(
    "drive drove driving flight flew flying ride rode trip journey way "
    "days weeks months years while "  # "a few months back" is a time, not a place
    "limped limp limping hobbled hobble hobbling walked walking jogged jogging ran running "
    "came come went go going got get"  # "I limped back", "went back to running"
    " start started starting ride mile miles way head headed heading bounce bounced build"
    " built building ease eased easing"  # "when we went to start back", "the mile back"
)
_CLINICAL_WORDS = _words("lat med post ant")
# After "behind", words that lead to where it hurts ("behind my knee", "behind it").
_BEHIND_A_PLACE_NEXT = _words("the my his her your it that this there both each one left right")
# Before a "behind" that ends its clause, words that make it late, not a place.
_BEHIND_AS_LATE = _words(
    "days weeks months years way far bit little lot fell fall falling fallen get got getting "
    "left leave lag lagging lagged running stay stayed"
)
_CLINICAL_SIDES = {(word,) for word in _CLINICAL_WORDS}


def _match_at(tokens: list[_Token], i: int, lexicon: _Lexicon) -> tuple[_Entry, int] | None:
    first = tokens[i].text
    keys = [first]
    if first.endswith("es"):
        keys.append(first[:-2])
    if first.endswith("s"):
        keys.append(first[:-1])
    best: tuple[_Entry, int] | None = None
    # A phrase's second word is within reach (fillers skipped) or the phrase cannot match.
    near: set[str] = set()
    for token in tokens[i + 1 : i + 4]:
        near.add(token.text)
        if token.text.endswith("s"):
            near.update((token.text[:-1], token.text[:-2]))
    for key in keys:
        for entry in lexicon.by_first.get(key, ()):
            if best is not None and len(entry.words) <= len(best[0].words):
                break
            if len(entry.words) > 1 and entry.words[1] not in near:
                continue
            end = _match_rest(tokens, i, entry.words)
            if end is not None and _allowed(entry, tokens, i, end):
                best = (entry, end)
                break
    if best is None:
        for variant in _variants(first):
            single = lexicon.single.get(variant)
            if single is not None and _allowed(single, tokens, i, i + 1):
                return single, i + 1
    return best


def _match_rest(tokens: list[_Token], i: int, words: tuple[str, ...]) -> int | None:
    k = i + 1
    for word in words[1:]:
        skipped = 0
        while (
            k < len(tokens)
            and tokens[k].kind == "word"
            and tokens[k].text != word
            and (tokens[k].text in _FILLERS or tokens[k].text in _INTENSIFIERS)
            and skipped < 2
        ):
            k += 1
            skipped += 1
        if k >= len(tokens) or tokens[k].kind != "word" or not _plural_of(tokens[k].text, word):
            return None
        k += 1
    return k


# ---------------------------------------------------------------------------------------------
# Hits: a term found at a place in the text, later affirmed or negated.


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    terms: tuple[str, ...]
    negated: bool = False
    # Read from a phrase whose own negation is its meaning ("rest doesn't help"):
    # the negation pass must leave it present.
    affirmed: bool = False

    def dimensions(self) -> set[str]:
        return {TERMS_BY_ID[t].dimension if t in TERMS_BY_ID else t for t in self.terms}


@dataclass(slots=True)
class _Reading:
    tokens: list[_Token]
    hits: list[_Hit] = field(default_factory=list)
    cues: dict[int, str] = field(default_factory=dict)  # token index -> "cue"
    unusable: list[str] = field(default_factory=list)
    severities: list[int] = field(default_factory=list)
    # Token spans after a "treated" cue (see _set_aside_context), settled after negation.
    treated: list[tuple[int, int]] = field(default_factory=list)


def _read_numbers(text: str, reading: _Reading, regex: _Lazy, term: str | None) -> str:
    """Mark the spans a number pattern finds; return the text with them blanked out."""
    spans: list[tuple[int, int]] = []
    for found in regex.compiled.finditer(text):
        said = term
        if term == "during-run":
            if _NOT_DISTANCE_AFTER_RE.compiled.match(text, found.end()):
                continue
            if _EASES_BEFORE_RE.compiled.search(text[max(0, found.start() - 40) : found.start()]):
                if _HOURS_RE.compiled.search(found.group()):
                    # "eased off after an hour or so": the morning's pain wearing off
                    # through the day, not pain at the start of a run.
                    spans.append(found.span())
                    continue
                said = "start-of-run"  # "it eases after a mile": it hurt at the start
        spans.append(found.span())
        reading.hits.append(_Hit(found.start(), found.end(), (said,) if said else ()))
        if term is None:
            values = [n for g in found.groups() if g is not None and (n := _number(g)) is not None]
            value = max(values) if values else None
            if value is not None and 0 <= value <= 10:
                reading.severities.append(value)
            else:
                reading.unusable.append(found.group().strip())
    return _blank(text, spans)


def _severe_words(text: str) -> list[int]:
    """ "Unbearable", "excruciating", "the worst pain of my life" (9), "severe pain" (7), when no
    number was given."""
    for pattern, score in ((_SEVERE_RE, _SEVERE_SCORE), (_BAD_RE, _BAD_SCORE)):
        for found in pattern.compiled.finditer(text):
            before = text[max(0, found.start() - 20) : found.start()]
            if not _NOT_BEFORE_RE.compiled.search(before):
                return [score]
    return []


def _number(raw: str) -> int | None:
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    try:
        return int(float(raw.replace(",", ".")) + 0.5)
    except ValueError:
        return None


# Co-occurrence rules for what a runner says in many ways: (first words, second words, reach,
# either order, term).
# (first words, second words, how far apart, either order, the terms they say)
_Rule = tuple[frozenset[str], frozenset[str], int, bool, tuple[str, ...]]

# How far into a run a pain eases: "settles after the first mile", "fades after a few minutes".
_WARMING_TIMES = _words("minutes mins minute mile miles km kilometre kilometres")
_LATE_WORDS = _words("last end final later")


_RULES: tuple[_Rule, ...] = (
    (
        _words(
            "upped upping increased increase raised raising bumped bumping ramped ramping "
            "doubled doubling added adding boosted stepped build building built more higher "
            "extra spike spiked big jump jumped"
        ),
        _words(
            "mileage miles kilometres kilometers km kms volume training distance load weekly "
            "running frequency intensity"
        ),
        3,
        False,
        ("mileage-increase",),
    ),
    (
        _words("mileage volume training distance load"),
        _words("increased increase jumped doubled spiked up"),
        2,
        False,
        ("mileage-increase",),
    ),
    (
        _words(
            "new changed changing change switched switching switch swapped different worn old "
            "minimalist barefoot bought replaced carbon cheap"
        ),
        _words("shoes shoe trainers trainer sneakers runners footwear insoles orthotics spikes"),
        3,
        False,
        ("new-shoes",),
    ),
    (
        _words("shoes shoe trainers sneakers"),
        _words("new worn old changed different"),
        3,
        False,
        ("new-shoes",),
    ),
    (
        _words(
            "eases ease easing eased settles settle settled disappears disappear fades fade "
            "subsides subside improves improve better goes loosens loosen loosened wears"
        ),
        _words("warm warmed warming warms warmup going"),
        5,
        True,
        ("start-of-run", "eases-when-warm"),
    ),
    (
        # "It eases after a few minutes", "settles after the first mile": not on stopping
        # ("goes away a few minutes after I stop" is pain during the run: see _apply_rules).
        _words(
            "eases ease easing eased settles settle settled disappears fades subsides improves "
            "loosens loosened"
        ),
        _WARMING_TIMES,
        5,
        True,  # "sore for the first mile, then it fades"
        ("start-of-run", "eases-when-warm"),
    ),
    (
        _words("press pressed pressing presses push pushing poke poking touch touching tap finger"),
        _words("bone bones shinbone bony"),
        4,
        True,
        ("point-tenderness",),
    ),
    (
        _words(
            "press pressed pressing presses poke poking touch touching massage squeeze "
            "squeezing pressure rub rubbing prod prodding"
        ),
        _words("hurts hurt painful sore tender ouch agony sensitive kills pain"),
        4,
        True,
        ("tenderness",),
    ),
    (
        _words("after"),
        _words(
            "run runs running jog jogs jogging race races racing workout workouts session "
            "sessions parkrun exercise exercising"
        ),
        3,
        False,
        ("after-run",),
    ),
    (
        _words(
            "worse came come comes built developed crept progressed increasing worsened "
            "worsening grew growing building started appeared"
        ),
        _words("weeks months"),
        5,
        False,
        ("gradual",),
    ),
)
_NOT_AFTER_RUN = _words("started start began begin took taking stopped stopping quit since")
# "Couldn't take more than a couple of steps", "unable to take four steps".
_STEP_WORDS = _words("step steps")
_NOT_WEIGHT_BEARING = _words("run running jog jogging sprint up down climb climbing stairs")
# "Can't do a single-leg heel raise", "can't stand on tiptoe on that side".
_TOE_WORDS = _words("tiptoe tiptoes tip-toe toes raise raises")
_NOT_WEAK = _words("feel feeling see")
# "It eases when I stop", "goes away after I finish": relief on stopping, so not after the run.
_RELIEF_WORDS = _words(
    "eases ease eased easing settles settle settled disappears disappear disappeared fades "
    "fade faded subsides subside subsided goes went gone away vanishes stops stop stopped calms "
    "improves better fine off"
)
_STOPPING_WORDS = _words("stop stopping stopped finish finishing finished")
# Easing on these is easing on stopping the run ("if I walk for a few minutes it settles").
_RESTING_WORDS = _STOPPING_WORDS | _words(
    "rest resting sitting lying sit lie done off walk walking walked"
)
_JUMP_WORDS = _words("jump jumped jumping jumps")


def _apply_rules(reading: _Reading) -> None:
    tokens = reading.tokens
    words = [t.text if t.kind == "word" else "" for t in tokens]
    not_hopping: set[int] = set()
    for first, second, reach, either, term in _RULES:
        for i, word in enumerate(words):
            if word not in first:
                continue
            found = _near(words, i, second, reach, either)
            if found is None:
                continue
            if "after-run" in term and any(w in _NOT_AFTER_RUN for w in words[i : found + 1]):
                continue
            if "eases-when-warm" in term and second is _WARMING_TIMES:
                start, end = min(i, found), max(i, found)
                around = _same_clause(words[max(0, start - 4) : start], keep="end")
                around += _same_clause(words[start : end + 4], keep="start")
                if _RESTING_WORDS & set(around) or _LATE_WORDS & set(words[start:end]):
                    continue  # "eases a few minutes after I stop", "the last few miles"
            if (
                "mileage-increase" in term
                and words[i] == "more"
                and words[i + 1 : i + 2] == ["than"]
            ):
                continue
            for k in range(max(0, i - reach), min(len(words), i + reach + 1)):
                if words[k] in first or words[k] in second:
                    tokens[k].used = True
            if "mileage-increase" in term and word in _JUMP_WORDS:  # "jumped my mileage"
                not_hopping.add(i)
            reading.hits.append(_Hit(min(i, found), max(i, found) + 1, term))
    if not_hopping:
        reading.hits = [
            h
            for h in reading.hits
            if h.start not in not_hopping or h.terms not in {("hopping",), ("jumping",)}
        ]
    _inabilities(reading, words)
    _relief_on_stopping(reading, words)
    _relieving_activities(reading, words)
    _rest_does_not_help(reading, words)
    for i, word in enumerate(words):
        if word == "both":
            nxt = i + 1
            while nxt < len(words) and words[nxt] in _FILLERS | {"of", "lower", "upper"}:
                nxt += 1
            following = words[nxt] if nxt < len(words) else ""
            if following in {"side", "sides"} and words[nxt + 1 : nxt + 2] == ["of"]:
                continue  # "both sides of the heel" is all around one heel, not both legs
            if (
                following in _lexicon().region_words
                or following.rstrip("s") in _lexicon().region_words
            ):
                tokens[i].used = True
                reading.hits.append(_Hit(i, i + 1, ("both-sides",)))


def _inabilities(reading: _Reading, words: list[str]) -> None:
    """ "Can't take more than a couple of steps" and "can't stand on tiptoe", in any wording."""
    for i, word in enumerate(words):
        if word not in {"cannot", "barely", "hardly"}:
            continue
        for j in range(i + 1, min(len(words), i + 8)):
            if words[j] == "":
                break
            between = set(words[i + 1 : j])
            if words[j] in _STEP_WORDS and not between & _NOT_WEIGHT_BEARING:
                reading.hits.append(_Hit(i, j + 1, ("cannot-bear-weight",)))
                break
            if word == "cannot" and words[j] in _TOE_WORDS and not between & _NOT_WEAK:
                reading.hits.append(_Hit(i, j + 1, ("weakness",)))
                break


def _relief_on_stopping(reading: _Reading, words: list[str]) -> None:
    """ "It settles when I stop": the pain is during the run, and not after it."""
    for hit in reading.hits:
        if "after-run" not in hit.terms or hit.negated:
            continue
        if not _STOPPING_WORDS & set(words[hit.start : hit.end]):
            continue
        before = words[max(0, hit.start - 4) : hit.start]
        if "" in before:
            before = before[len(before) - before[::-1].index("") :]
        if _RELIEF_WORDS & set(before):
            hit.negated = True
            reading.hits.append(_Hit(hit.start, hit.start + 1, ("during-run",)))


_EASING_WORDS = _words(
    "eases ease eased easing better improves improved loosens loosen loosened settles settle helps "
    "warms disappears disappeared fades faded subsides subsided"
)
_GOING_WORDS = _words("goes go went gone going")
_WORSENING_WORDS = _words("worse worsens worst aggravates aggravated hurts painful sore")
_TRIGGER_TERMS = frozenset(term.id for term in TERMS if term.dimension == "triggers")


def _relieving_activities(reading: _Reading, words: list[str]) -> None:
    """ "It eases after walking a bit", "walking makes it better": that activity is no trigger."""
    kept = []
    for hit in reading.hits:
        if hit.negated or not set(hit.terms) <= _TRIGGER_TERMS:
            kept.append(hit)
            continue
        before = _same_clause(words[max(0, hit.start - 8) : hit.start], keep="end")
        after = _same_clause(words[hit.end : hit.end + 4], keep="start")
        near = set(before) | set(after)
        gone = "away" in near and bool(_GOING_WORDS & near)  # "goes away after walking a bit"
        eased = (_EASING_WORDS & near or gone) and not (
            _WORSENING_WORDS & set(before + after) or _NEGATION_CUES & set(before + after)
        )
        if not eased:
            kept.append(hit)
    reading.hits = kept


_REST_WORDS = _words("rest resting lying lie laying")
_RELIEF_VERBS = _words(
    "help helps helped ease eases eased easing relieve relieves relieved settle settles settling "
    "improve improves improving"
)


def _rest_does_not_help(reading: _Reading, words: list[str]) -> None:
    """ "Rest doesn't help", "it doesn't ease with rest", "not relieved by rest": pain at rest."""
    unrelieved: list[int] = []
    for i, word in enumerate(words):
        if word not in _REST_WORDS:
            continue
        window = _same_clause(words[max(0, i - 4) : i], keep="end") + _same_clause(
            words[i + 1 : i + 4], keep="start"
        )
        if _NEGATION_CUES & set(window) and _RELIEF_VERBS & set(window):
            unrelieved.append(i)
    if not unrelieved:
        return
    # The hits over those words give way, all in one pass over the hits.
    before = [0] * (len(words) + 1)  # how many of those words lie before each index
    for i in unrelieved:
        before[i + 1] = 1
    for k in range(len(words)):
        before[k + 1] += before[k]
    reading.hits = [
        h
        for h in reading.hits
        if before[min(h.end, len(words))] == before[min(h.start, len(words))]
    ]
    reading.hits += [_Hit(i, i + 1, ("at-rest",), affirmed=True) for i in unrelieved]


def _same_clause(window: list[str], keep: str) -> list[str]:
    """The part of a word window on this side of a clause boundary (punctuation is "")."""
    if "" not in window:
        return window
    if keep == "end":
        return window[len(window) - window[::-1].index("") :]
    return window[: window.index("")]


def _near(
    words: list[str], i: int, targets: frozenset[str], reach: int, either: bool
) -> int | None:
    lo = max(0, i - reach) if either else i + 1
    for j in range(lo, min(len(words), i + reach + 1)):
        if j == i:
            continue
        between = words[min(i, j) + 1 : max(i, j)]
        if "" in between:  # punctuation in between: another clause
            continue
        if words[j] in targets:
            return j
    return None


# ---------------------------------------------------------------------------------------------
# Negation (NegEx-style): a cue negates the terms after it until the clause ends.


# Cues that say a clause is not about the pain now (after medspaCy's ConText):
# the past ("knee trouble ruined last year's marathon") or a reason that
# explains a finding away ("I lost weight since I started running"). Each is a
# phrase, what it sets aside ("all": every finding in its clause; "guess": every
# finding from the cue to the clause's end; "treated": the places just after it;
# a term id: only that term), as data so that a new cue needs no code.
_CONTEXT_CUES: dict[str, str] = {
    "last year's": "all",
    "last years": "all",
    "years ago": "all",
    "year ago": "all",
    "in the past": "all",
    "used to": "all",
    "back in the day": "all",
    "as a kid": "all",
    "as a teenager": "all",
    "when i was younger": "all",
    "in high school": "all",
    "in college": "all",
    "old injury": "all",
    "previous injury": "all",
    "years back": "all",
    "ruined last": "all",
    # A guess at what it is names no symptom ("we thought sprain", "figured I'd strained it");
    # a guess reaches forward only: "it's below the kneecap so we thought..." keeps the place.
    "we thought": "guess",
    "i thought it was": "guess",
    "thought that was": "guess",
    "first guess": "guess",
    "my guess": "guess",
    "thought i'd": "guess",
    "thought i had": "guess",
    "figured it was": "guess",
    "figured i'd": "guess",
    "assumed it was": "guess",
    "is it just": "guess",
    "hoping it's": "guess",
    "convinced myself": "guess",
    "thinking it": "guess",
    "thinking he": "guess",
    "thinking she": "guess",
    "thinking i": "guess",
    "once said": "all",
    "once told": "all",
    "apparently": "guess",
    "everything points to": "guess",
    "it all points to": "guess",
    "all signs point to": "guess",
    "symptoms point to": "guess",
    "to rule out": "guess",
    "ruled out": "guess",
    "rule out": "guess",
    # What a runner stretches, rolls or strengthens is not where it hurts, when the
    # story names the painful place elsewhere ("my knee hurts... stretching the front
    # of my thigh takes the edge off"): "treated" sets aside places and parts just after.
    "stretch": "treated",
    "stretches": "treated",
    "stretched": "treated",
    "stretching": "treated",
    "foam roll": "treated",
    "foam rolled": "treated",
    "foam rolling": "treated",
    "roll out": "treated",
    "golf ball": "treated",
    "lacrosse ball": "treated",
    "tennis ball": "treated",
    "massage ball": "treated",
    "rolling out": "treated",
    "massage": "treated",
    "massaging": "treated",
    "strengthen": "treated",
    "strengthening": "treated",
    "wrapped": "treated",
    "rolled my calf": "treated",
    "rolled my calves": "treated",
    "rolled my quads": "treated",
    "rolled my hamstrings": "treated",
    "rolled my glutes": "treated",
    "rolled my it band": "treated",
    "rolled out my": "treated",
    "taped": "treated",
    "strapped": "treated",
    "bandaged": "treated",
    "bandage": "treated",
    "compression sleeve": "treated",
    # The same said after the place, as the exercise's name: "glute/hamstring work",
    # "calf raises", "hip thrusts" ("exercised": the places just before it).
    "work": "exercised",
    "strength work": "exercised",
    "exercises": "exercised",
    "raises": "exercised",
    "curls": "exercised",
    "bridges": "exercised",
    "thrusts": "exercised",
    "drills": "exercised",
    "since i started running": "weight-loss",
    "took up running": "weight-loss",
    "taking up running": "weight-loss",
    "since starting running": "weight-loss",
    "since i took up running": "weight-loss",
    "from running": "weight-loss",
    "on purpose": "weight-loss",
    "by dieting": "weight-loss",
    "trying to lose": "weight-loss",
    "intentionally": "weight-loss",
    "which i wanted": "weight-loss",
}
# A clause ends at a sentence boundary or where the story turns back to now.
_CONTEXT_ENDS = _words("but now currently today lately recently these this however")
# "About a year ago, when the back of my knee started hurting": when this pain began, not
# an old injury set aside.
_PAIN_BEGAN = (
    ("started", "hurting"), ("started", "to", "hurt"), ("started", "aching"),
    ("started", "to", "ache"), ("started", "bothering"), ("started", "bugging"),
    ("began", "hurting"), ("began", "to", "hurt"), ("began", "aching"), ("came", "on"),
    ("first", "noticed"),
)  # fmt: skip
_TIME_AGO_CUES = frozenset(("years ago", "year ago", "years back"))
# Cues that reach forward only, and how many words a "treated" cue reaches.
_FORWARD_CUES = frozenset(("guess", "treated"))
_TREATED_REACH = 6
_EXERCISED_REACH = 3  # "glute / hamstring work": the exercise names the places just before it


_PAIN_WORDS = _words("hurts hurt hurting pain painful ache aches aching sore")


def _pain_told_after(tokens: list[_Token], words: list[str], at: int) -> bool:
    """A comma after which the story says where it hurts now ("we thought a sprain, pain
    under the heel"), not one that goes on listing the guess ("not piriformis, my sciatic
    nerve or the hip joint")."""
    if tokens[at].kind != "comma":
        return False
    for k in range(at + 1, len(tokens)):
        if tokens[k].kind != "word":
            return False
        if words[k] in _PAIN_WORDS:
            return True
    return False


def _says_pain_began(words: list[str]) -> bool:
    return any(
        tuple(words[i : i + len(began)]) == began
        for began in _PAIN_BEGAN
        for i in range(len(words))
    )


@cache
def _time_ago_cues() -> frozenset[tuple[str, ...]]:
    return frozenset(_phrase_tokens(cue, keep_fillers=True) for cue in _TIME_AGO_CUES)


# Treatment nouns that name the place before them as well as after: "calf stretches".
_TREATED_BOTH_WAYS = {("stretches",)}


@cache
def _context_cues() -> dict[tuple[str, ...], str]:
    return {_phrase_tokens(cue, keep_fillers=True): what for cue, what in _CONTEXT_CUES.items()}


def _set_aside_context(reading: _Reading) -> None:
    """Drop findings a history or reason cue sets aside, within the cue's clause."""
    cues = _context_cues()
    tokens = reading.tokens
    words = [t.text if t.kind == "word" else "" for t in tokens]
    firsts = {phrase[0] for phrase in cues}
    spans: list[tuple[int, int, str]] = []
    for i, word in enumerate(words):
        if word not in firsts:
            continue
        for phrase, what in cues.items():
            if tuple(words[i : i + len(phrase)]) != phrase:
                continue
            if what == "exercised" or (what == "treated" and phrase in _TREATED_BOTH_WAYS):
                # "hip flexor stretches": the place named just before the exercise
                start = i
                while start > max(0, i - _EXERCISED_REACH) and tokens[start - 1].kind != "boundary":
                    start -= 1
                spans.append((start, i, "treated"))
                if what == "exercised":
                    continue
            start = i
            while (
                what not in _FORWARD_CUES
                and start > 0
                and tokens[start - 1].kind != "boundary"
                and (words[start - 1] not in _CONTEXT_ENDS)
            ):
                start -= 1
            end = i + len(phrase)
            limit = end + _TREATED_REACH if what == "treated" else len(tokens)
            while (
                end < min(limit, len(tokens))
                and tokens[end].kind != "boundary"
                and not (what == "guess" and _pain_told_after(tokens, words, end))
                and (words[end] not in _CONTEXT_ENDS)
            ):
                end += 1
            if phrase in _time_ago_cues() and _says_pain_began(words[start:end]):
                continue
            spans.append((start, end, "all" if what == "guess" else what))
    if not spans:
        return
    reading.treated = [(start, end) for start, end, what in spans if what == "treated"]
    kept = []
    for hit in reading.hits:
        inside = [what for start, end, what in spans if start <= hit.start < end]
        if "all" in inside or any(what in hit.terms for what in inside):
            continue
        kept.append(hit)
    reading.hits = kept


def _set_aside_treated_places(reading: _Reading) -> None:
    """Drop the places a runner stretches, rolls or strengthens, when a painful place is named
    elsewhere (not negated: "no knee pain, it hurts when I stretch my calf" keeps the calf)."""
    if not reading.treated:
        return

    def is_treated_place(hit: _Hit) -> bool:
        # Only a place: "stretching, numb toes at times" still tells of numb toes.
        dimensions = hit.dimensions()
        return (
            bool(dimensions)
            and dimensions <= {"where", "part"}
            and any(start <= hit.start < end for start, end in reading.treated)
        )

    elsewhere = any(
        "where" in hit.dimensions() and not hit.negated and not is_treated_place(hit)
        for hit in reading.hits
    )
    if elsewhere:
        reading.hits = [hit for hit in reading.hits if not is_treated_place(hit)]


def _negate(reading: _Reading) -> None:
    tokens = reading.tokens
    _drop_negated_pain_words(reading)
    hits_at: dict[int, list[_Hit]] = {}
    for hit in reading.hits:
        hits_at.setdefault(hit.start, []).append(hit)
    _post_negation(reading, hits_at)

    active = False
    last = 0
    window = _WINDOW
    dimensions: set[str] = set()
    after_comma = False
    linked = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        here = hits_at.get(i, [])
        if here:
            end = max(h.end for h in here)
            dims = set().union(*(h.dimensions() for h in here))
            if active and i - last <= window and not (after_comma and not dims & dimensions):
                if dimensions and not linked and not dims & dimensions and i - last > 1:
                    active = False
                else:
                    for hit in here:
                        hit.negated = True
                    dimensions |= dims
                    last = end
                    after_comma = linked = False
                    if window == _SHORT_WINDOW:
                        active = False
            else:
                active = False
            i = max(end, i + 1)
            continue
        if token.kind == "boundary":
            active = False
        elif token.kind == "comma":
            # A comma continues a negation only into a list: "no swelling, bruising or redness".
            nxt = i + 1
            while nxt < len(tokens) and tokens[nxt].text in _FILLERS | {"and", "or", "nor"}:
                nxt += 1
            if active and (not dimensions or nxt not in hits_at):
                active = False
            after_comma = True
        elif reading.cues.get(i) in {"cue", "short-cue"}:
            active, last, dimensions, after_comma, linked = True, i + 1, set(), False, False
            window = _SHORT_WINDOW if reading.cues[i] == "short-cue" else _WINDOW
        elif token.text in _SCOPE_ENDERS:
            active = False
        elif token.text in {"and", "or", "nor"}:
            ahead = {t.text for t in tokens[i + 1 : i + 3]}
            if ahead & _CLAUSE_STARTERS or window == _SHORT_WINDOW:
                active = False
            linked = token.text in {"or", "nor"}
            last = i + 1 if active else last
        i += 1


_WHEN_BRIDGES = _words("when while whilst i at during on after before if it in")


def _drop_negated_pain_words(reading: _Reading) -> None:
    """ "Not sore when I'm resting": the rest is what is negated, not the soreness."""
    tokens = reading.tokens
    starts = {h.start: h for h in reading.hits}
    dropped: list[_Hit] = []
    for hit in reading.hits:
        if hit.terms != ("dull-ache",) or reading.cues.get(hit.start - 1) != "cue":
            continue
        k = hit.end
        while (
            k < len(tokens)
            and k - hit.end < 3
            and k not in starts
            and tokens[k].text in _WHEN_BRIDGES
        ):
            k += 1
        following = starts.get(k)
        if following is not None and following.dimensions() & {"when", "triggers"}:
            dropped.append(hit)
    if dropped:
        gone = {id(h) for h in dropped}
        reading.hits = [h for h in reading.hits if id(h) not in gone]


def _post_negation(reading: _Reading, hits_at: dict[int, list[_Hit]]) -> None:
    """ "Swelling: none", "bruising? no": the cue follows the term and ends the clause."""
    tokens = reading.tokens
    # The hits by where they end, found once: looking through every hit at every cue is
    # quadratic in a long description.
    ends_at: dict[int, list[_Hit]] = {}
    for hit in reading.hits:
        ends_at.setdefault(hit.end, []).append(hit)
    for i, token in enumerate(tokens):
        if reading.cues.get(i) != "cue" or token.text not in _POST_CUES:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.kind == "word":
            continue
        j = i - 1
        if j >= 0 and tokens[j].kind != "word" and tokens[j].original in {":", "-", "?", "=", ","}:
            j -= 1
        for hit in ends_at.get(j + 1, ()):
            hit.negated = True
            reading.cues[i] = "used"
    covered = {k for h in reading.hits for k in range(h.start, h.end)}
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text not in _POST_FIRST or i in covered:
            continue
        phrase_end = _post_phrase_at(tokens, i)
        if phrase_end is None:
            continue
        _negate_before(reading, ends_at, covered, i, phrase_end)
        _negate_after(reading, hits_at, i, phrase_end)


def _post_phrase_at(tokens: list[_Token], i: int) -> int | None:
    """The end of a "this is fine" phrase ("no problem", "doesn't bother me") starting at i."""
    for phrase in _POST_BY_FIRST.get(tokens[i].text, ()):
        end = i + len(phrase)
        if end <= len(tokens) and all(
            tokens[i + k].kind == "word" and tokens[i + k].text == word
            for k, word in enumerate(phrase)
        ):
            return end
    return None


def _negate_before(
    reading: _Reading, ends_at: dict[int, list[_Hit]], covered: set[int], i: int, phrase_end: int
) -> None:
    """ "Bladder and bowels are normal", "sitting is no problem": the terms just before."""
    tokens = reading.tokens
    nxt = tokens[phrase_end] if phrase_end < len(tokens) else None
    clause_ends = nxt is None or nxt.kind != "word" or nxt.text in _POST_ENDS
    j = i - 1
    while j >= 0 and tokens[j].kind == "word" and tokens[j].text in _FINE_LINKS:
        j -= 1
    # "Walking around the office is fine": a few words that name nothing may
    # stand between the finding and the phrase that says it is fine.
    skipped = 0
    while (
        skipped < 3
        and j >= 0
        and tokens[j].kind == "word"
        and j + 1 not in ends_at
        and j not in covered
    ):
        j -= 1
        skipped += 1
    while j >= 0:
        hits = ends_at.get(j + 1, [])
        if not hits:
            return
        for hit in hits:
            if clause_ends or not hit.dimensions() & {"where", "part"}:
                hit.negated = True
        # A list before it: "bladder, bowels and legs are fine".
        start = min(h.start for h in hits)
        k = start - 1
        while k >= 0 and (tokens[k].kind == "comma" or tokens[k].text in _LIST_GLUE):
            k -= 1
        if k + 1 not in ends_at:
            return
        if k == start - 1:  # side by side, a list only within one dimension: "bladder bowel"
            before = ends_at.get(k + 1, [])
            if not any(h.dimensions() & hit.dimensions() for h in before for hit in hits):
                return
        j = k


def _negate_after(
    reading: _Reading, hits_at: dict[int, list[_Hit]], i: int, phrase_end: int
) -> None:
    """ "Fine at rest and when sleeping", "ok walking": a timing or trigger right after."""
    tokens = reading.tokens
    k = phrase_end
    while k < len(tokens) and k - phrase_end < 2 and tokens[k].text in _FINE_BRIDGES:
        k += 1
    here = hits_at.get(k, [])
    if not here or any(h.dimensions() & {"where", "part"} for h in here):
        return
    if tokens[i].text not in _FINE_WORDS:
        return
    reading.cues[phrase_end - 1] = "cue"


# ---------------------------------------------------------------------------------------------


def _scan(reading: _Reading) -> None:
    lexicon = _lexicon()
    tokens = reading.tokens
    for token in tokens:
        if token.kind == "word":
            token.text = _correct(token.text)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "word" or token.used:
            i += 1
            continue
        if token.text in _NEGATION_CUES:
            found = _match_at(tokens, i, lexicon)
            if found is None or found[0].kind not in {"pseudo", "term", "cue", "short-cue"}:
                reading.cues[i] = "cue"
                token.used = True
                i += 1
                continue
        found = _match_at(tokens, i, lexicon)
        if found is None or (
            found[0].kind not in {"cue", "short-cue", "pseudo"}
            and _overtaken(tokens, i, found[1], lexicon)
        ):
            i += 1
            continue
        entry, end = found
        for used in tokens[i:end]:
            used.used = True
        if entry.kind == "cue":
            reading.cues[i] = "cue"
        elif entry.kind == "short-cue":
            reading.cues[i] = "short-cue"
        elif entry.kind in {"term", "name"} and entry.terms:
            # "Wasn't breathing right" says something is present; a cue before it
            # ("running didn't feel right and my breathing wasn't great") must not undo it.
            own_negation = any(word in _NEGATION_CUES or word == "cannot" for word in entry.words)
            reading.hits.append(_Hit(i, end, entry.terms, affirmed=own_negation))
        elif entry.kind == "absent":
            reading.hits.append(_Hit(i, end, entry.terms, negated=True))
        elif entry.kind == "name":
            reading.unusable.append(entry.label)
        i = end


def _overtaken(tokens: list[_Token], i: int, end: int, lexicon: _Lexicon) -> bool:
    """A phrase starting inside this one reaches further: "at the back | of my lower leg" is
    better read as "at the | back of my lower leg"."""
    for k in range(i + 1, end):
        if tokens[k].kind != "word":
            return False
        text = tokens[k].text
        if not {text, text[:-1], text[:-2]} & lexicon.starts_phrase:
            continue
        later = _match_at(tokens, k, lexicon)
        # Only a phrase as long wins: "bringing my knee to my chest | hurts" stays a knee lift.
        if (
            later is not None
            and later[1] > end
            and later[1] - k >= end - i
            and later[0].kind in {"term", "absent"}
        ):
            return True
    return False


# A hit's mark for "the outside of the thigh" (not a vocabulary term: see _symptoms).
_OUTER_THIGH = "outer-thigh"


def _resolve_thigh(reading: _Reading) -> None:
    """ "Thigh" alone is the front of the thigh unless the same clause says the back.

    The buttock in the same clause counts as the back too: "where the buttock
    meets the thigh" is the top of the hamstrings.
    """
    clause_of: list[int] = []
    clause = 0
    for token in reading.tokens:
        clause += token.kind == "boundary"
        clause_of.append(clause)
    backs = {
        clause_of[h.start]
        for h in reading.hits
        if {"back", "thigh-back", "buttock"} & set(h.terms) and h.start < len(clause_of)
    }
    words = [token.text for token in reading.tokens]
    for hit in reading.hits:
        if "thigh" in hit.terms:
            before = set(words[max(0, hit.start - 4) : hit.end])
            if before & {"side", "outside", "outer", "lateral"}:
                # The outer thigh is neither front nor back: keep the side alone, unless
                # no other place is told (see _symptoms).
                hit.terms = (*(t for t in hit.terms if t != "thigh"), _OUTER_THIGH)
                continue
            side = "thigh-back" if clause_of[hit.start] in backs else "thigh-front"
            hit.terms = tuple(side if t == "thigh" else t for t in hit.terms)


def _hits_from_spans(reading: _Reading, spans: list[_Hit]) -> None:
    """Number patterns were found on characters: place them on tokens."""
    starts = [t.start for t in reading.tokens]
    for span in spans:
        first = bisect.bisect_left(starts, span.start)
        last = first
        while last < len(starts) and starts[last] < span.end:
            reading.tokens[last].used = True
            last += 1
        if span.terms:
            reading.hits.append(_Hit(first, max(last, first + 1), span.terms))


def understand(text: str) -> Understanding:
    """Read a free-text description into Symptoms; report the content words that were not used."""
    normalised = _normalise_text(text)
    numbers = _Reading(tokens=[])
    facts = read_facts(normalised)
    blanked = _blank(normalised, facts.spans)
    if " to " in blanked or "from" in blanked:  # cheap guards: most texts have none
        blanked = _read_numbers(blanked, numbers, _VOLUME_RE, "mileage-increase")
    if "between" in blanked:
        blanked = _read_numbers(blanked, numbers, _SADDLE_RE, "bladder-bowel")
    if "press" in blanked or "push" in blanked or "poke" in blanked:
        # Only "if I press" is taken: the place pressed is told after it.
        numbers.hits += [
            _Hit(found.start(), found.end(1), ("point-tenderness",))
            for found in _PRESSED_SPOT_RE.compiled.finditer(blanked)
        ]
    if "same" in blanked:
        blanked = _read_numbers(blanked, numbers, _SAME_POINT_RE, "during-run")
    blanked = _read_numbers(blanked, numbers, _WEIGHT_LOST_RE, "weight-loss")
    if "cal" in blanked:
        blanked = _read_numbers(blanked, numbers, _FEW_CALORIES_RE, "weight-loss")
    blanked = _read_numbers(blanked, numbers, _FIRST_UNIT_RE, "start-of-run")
    blanked = _read_numbers(blanked, numbers, _DISTANCE_RE, "during-run")
    blanked = _read_numbers(blanked, numbers, _SEVERITY_OUT_OF_RE, None)
    blanked = _read_numbers(blanked, numbers, _SEVERITY_WORD_RE, None)
    _read_numbers(blanked, numbers, _SEVERITY_ITS_RE, None)

    if not numbers.severities:
        numbers.severities = _severe_words(normalised)
    reading = _Reading(tokens=_tokenise(_blank(normalised, facts.spans)))
    reading.severities = numbers.severities
    reading.unusable = list(numbers.unusable)
    _hits_from_spans(reading, numbers.hits)
    _scan(reading)
    _apply_rules(reading)
    _resolve_thigh(reading)
    _set_aside_context(reading)
    _negate(reading)
    _set_aside_treated_places(reading)
    for hit in reading.hits:
        if hit.affirmed:
            hit.negated = False
    symptoms = _symptoms(reading, text)
    if facts.age is not None or facts.sex or facts.duration:
        symptoms = symptoms.model_copy(
            update={"age": facts.age, "sex": facts.sex, "duration": facts.duration}
        )
    return Understanding(symptoms=symptoms, unrecognised=_unrecognised(reading))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans replaced by spaces, so nothing else reads them.

    One pass over the text (rebuilding it per span is quadratic in a long
    description); spans may come in any order and overlap.
    """
    if not spans:
        return text
    pieces: list[str] = []
    done = 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end <= start:
            continue
        pieces += [text[done:start], " " * (end - start)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _drop_parts_of_no_place(present: dict[str, None]) -> list[str]:
    """A part that fits none of the places told is a word of the story, not where it hurts:
    "right under my butt", "the top of the back of the thigh". Returns the parts dropped."""
    places = [term for term in present if TERMS_BY_ID[term].dimension == "where"]
    if not places:
        return []
    fitting = {part for place in places for part in REGION_PARTS.get(place, ())}
    # "The back of my ankle" is the Achilles: a part that makes a told place keeps.
    fitting.update(
        part for (_, part), overlaps in PLACE_OVERLAPS.items() if set(overlaps) & set(places)
    )
    dropped = [t for t in present if TERMS_BY_ID[t].dimension == "part" and t not in fitting]
    for term in dropped:
        del present[term]
    if "top" in dropped and "thigh-back" in places:
        # "right at the top of my hamstring, where it attaches": by the sitting bone.
        present["sitting-bone"] = None
    return dropped


def _symptoms(reading: _Reading, text: str) -> Symptoms:
    present: dict[str, None] = {}
    absent: dict[str, None] = {}
    for hit in sorted(reading.hits, key=lambda h: h.start):
        for term in hit.terms:
            if term not in TERMS_BY_ID:
                continue
            if hit.negated:
                absent[term] = None
            else:
                present[term] = None
                for implied in _IMPLIES.get(term, ()):
                    present[implied] = None
    if any(_OUTER_THIGH in hit.terms and not hit.negated for hit in reading.hits) and not any(
        TERMS_BY_ID[t].dimension == "where" for t in present
    ):
        # "It's my IT band, on the outside of my thigh" and nowhere else: the thigh, on
        # its outer side (a hip or knee told as well says where the outer thigh pain is).
        present["thigh-front"] = None
        present["outer"] = None
    onsets = [t for t in present if TERMS_BY_ID[t].dimension == "onset"]
    for extra in onsets[1:]:  # one onset: the first one told
        del present[extra]
    for dropped in _drop_parts_of_no_place(present):
        absent.pop(dropped, None)  # nor is it one the runner denies
    kept_absent = [t for t in absent if t not in present]
    severity = max(reading.severities) if reading.severities else None
    return symptoms_from_terms(list(present), kept_absent, severity, text)


def _unrecognised(reading: _Reading) -> list[str]:
    found: dict[str, None] = dict.fromkeys(reading.unusable)
    for token in reading.tokens:
        if token.kind != "word" or token.used or token.text in _STOP_WORDS:
            continue
        word = token.original
        if token.text in _FILLERS or word in _STOP_WORDS or any(c.isdigit() for c in word):
            continue
        if not any(c.isalpha() for c in word):
            continue
        if len(word) < 3 and word.isascii():
            continue
        found[word] = None
        if len(found) >= _MAX_UNRECOGNISED:
            break
    return list(found)[:_MAX_UNRECOGNISED]


__all__ = ["Understanding", "understand"]
