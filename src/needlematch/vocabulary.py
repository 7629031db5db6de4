"""The controlled terms a runner can report, by dimension, with the lay words for each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Term:
    """One thing a runner can report, such as "knee", "burning" or "swelling".

    `label` is the lay wording shown in menus and in the "Understood:" line;
    `phrase` reads inside an evidence sentence ("burning pain is typical of ...");
    `question` and `hint` are the yes/no follow-up asked about it;
    `synonyms` are lay words and phrases the free-text parser maps to it.
    """

    id: str
    dimension: str
    label: str
    phrase: str
    question: str
    hint: str
    synonyms: tuple[str, ...] = field(default=())


# The Symptoms field each dimension fills, in the order a person reads them.
DIMENSIONS: tuple[str, ...] = (
    "where",
    "part",
    "when",
    "feels",
    "triggers",
    "onset",
    "signs",
    "sides",
)

DIMENSION_LABELS: dict[str, str] = {
    "where": "where it hurts",
    "part": "which part",
    "when": "when it hurts",
    "feels": "what it feels like",
    "triggers": "what makes it worse",
    "onset": "how it started",
    "signs": "other signs",
    "sides": "both legs",
}

# The CLI flag that takes each dimension's terms.
DIMENSION_FLAGS: dict[str, str] = {
    "where": "--where",
    "part": "--part",
    "when": "--when",
    "feels": "--feels",
    "triggers": "--trigger",
    "onset": "--onset",
    "signs": "--sign",
    "sides": "--both-sides",
}


def _t(
    id: str,
    dimension: str,
    label: str,
    phrase: str,
    question: str,
    hint: str,
    *synonyms: str,
) -> Term:
    return Term(id, dimension, label, phrase, question, hint, tuple(synonyms))


# fmt: off
TERMS: tuple[Term, ...] = (
    # where: body region
    _t("foot", "where", "Foot (arch, top or ball of the foot)", "pain in the foot",
       "Is the pain in your foot (the arch, the top or the ball of the foot)?",
       "Not the heel itself: the rest of the foot.",
       "foot", "feet", "arch", "arches", "midfoot", "forefoot", "ball of the foot",
       "ball of my foot", "instep", "metatarsal", "metatarsals", "toes", "toe"),
    _t("heel", "where", "Heel (underneath or at the back)", "heel pain",
       "Is the pain in your heel?",
       "Underneath the heel or at the back of it.",
       "heel", "heels", "heel bone", "calcaneus"),
    _t("ankle", "where", "Ankle", "ankle pain",
       "Is the pain in your ankle?",
       "Around the ankle joint or the bony bumps on either side.",
       "ankle", "ankles", "ankle bone"),
    _t("achilles", "where", "Achilles tendon (the cord above the heel)", "pain in the Achilles tendon",
       "Is the pain in the cord at the back of the ankle, just above the heel?",
       "That cord is the Achilles tendon.",
       "achilles", "achilles tendon", "heel cord", "tendon above my heel",
       "back of my ankle", "back of the ankle"),
    _t("shin", "where", "Shin (front or inner edge of the lower leg)", "shin pain",
       "Is the pain along your shin?",
       "The front or inner edge of the lower leg, along the bone.",
       "shin", "shins", "shinbone", "shin bone", "tibia", "lower leg"),
    _t("calf", "where", "Calf (back of the lower leg)", "calf pain",
       "Is the pain in your calf?",
       "The muscle at the back of the lower leg.",
       "calf", "calves", "calf muscle", "back of my lower leg", "back of the lower leg"),
    _t("knee", "where", "Knee", "knee pain",
       "Is the pain in or around your knee?",
       "Including the kneecap and the sides of the knee.",
       "knee", "knees", "kneecap", "knee cap", "patella"),
    _t("thigh-front", "where", "Front of the thigh", "pain at the front of the thigh",
       "Is the pain at the front of your thigh?",
       "The quadriceps area, between hip and knee.",
       "front of my thigh", "front of the thigh", "quad", "quads", "quadriceps"),
    _t("thigh-back", "where", "Back of the thigh", "pain at the back of the thigh",
       "Is the pain at the back of your thigh?",
       "The hamstring area, between buttock and knee.",
       "back of my thigh", "back of the thigh", "hamstring", "hamstrings", "hammy"),
    _t("hip", "where", "Hip", "hip pain",
       "Is the pain in your hip?",
       "The side or front of the hip joint.",
       "hip", "hips", "hip joint"),
    _t("groin", "where", "Groin", "groin pain",
       "Is the pain in your groin?",
       "Where the front of the thigh meets the body.",
       "groin", "inner hip"),
    _t("buttock", "where", "Buttock (including the sitting bone)", "buttock pain",
       "Is the pain in your buttock or at the bone you sit on?",
       "The sitting bone is the bony point under the buttock.",
       "buttock", "buttocks", "bum", "butt", "glute", "glutes", "sitting bone",
       "sit bone", "sit bones", "ischial"),
    _t("lower-back", "where", "Lower back", "lower back pain",
       "Do you also have pain in your lower back?",
       "Pain in the back that may spread into the leg.",
       "lower back", "low back", "lumbar", "back pain", "my back"),
    # part: which part of that region
    _t("front", "part", "At the front", "pain at the front",
       "Is the pain at the front?", "Facing forward when you stand.",
       "front", "in front", "anterior"),
    _t("back", "part", "At the back", "pain at the back",
       "Is the pain at the back?", "Facing behind you when you stand.",
       "back of", "behind", "posterior"),
    _t("inner", "part", "On the inner side", "pain on the inner side",
       "Is the pain on the inner side, facing the other leg?", "The side that faces your other leg.",
       "inner", "inside", "medial", "inner side", "inside edge"),
    _t("outer", "part", "On the outer side", "pain on the outer side",
       "Is the pain on the outer side, away from the other leg?", "The side facing away from your other leg.",
       "outer", "outside", "lateral", "outer side", "side of my knee"),
    _t("under", "part", "Underneath", "pain underneath",
       "Is the pain underneath, on the sole side?", "For the foot or heel: the part that touches the ground.",
       "under", "underneath", "bottom", "sole", "bottom of my foot"),
    _t("top", "part", "On top", "pain on top",
       "Is the pain on the top?", "For the foot: where the laces sit.",
       "top", "on top", "top of my foot"),
    _t("around", "part", "All around or hard to pin down", "pain all around",
       "Is the pain spread all around rather than in one spot?", "Hard to point to one spot.",
       "around", "all around", "behind the kneecap", "under the kneecap", "diffuse"),
    # when: timing
    _t("morning", "when", "First thing in the morning", "pain first thing in the morning",
       "Is it worst with the first steps in the morning?", "Getting out of bed, before you have warmed up.",
       "morning", "mornings", "first thing in the morning", "first steps", "getting out of bed",
       "when i wake up"),
    _t("start-of-run", "when", "At the start of a run", "pain at the start of a run",
       "Does it hurt at the start of a run?", "In the first minutes, before you have warmed up.",
       "start of a run", "start of my run", "start of the run", "first few minutes", "beginning of a run"),
    _t("during-run", "when", "During the run", "pain during the run",
       "Does it come on during a run?", "Partway through, at a time or distance.",
       "during", "during a run", "during runs", "while running", "when i run", "when running",
       "mid-run", "after a few miles", "after a few km"),
    _t("after-run", "when", "After the run", "pain after running",
       "Does it hurt after you finish running?", "In the hours after a run.",
       "after a run", "after runs", "after running", "after my run", "post-run"),
    _t("next-day", "when", "The next day", "pain the day after a run",
       "Is it worse the day after a run?", "Stiff or sore the following day.",
       "next day", "the day after", "following day"),
    _t("at-rest", "when", "At rest", "pain at rest",
       "Does it hurt even when you are resting?", "Sitting or lying still, not running.",
       "at rest", "resting", "when resting", "even when resting", "sitting still"),
    _t("at-night", "when", "At night", "pain at night",
       "Does it hurt at night?", "In bed, including pain that wakes you.",
       "at night", "night", "nights", "in bed", "nighttime"),
    _t("all-the-time", "when", "All the time", "constant pain",
       "Does it hurt all the time?", "Whatever you are doing.",
       "all the time", "constant", "constantly", "always hurts", "nonstop"),
    # feels: pain quality
    _t("dull-ache", "feels", "A dull ache", "a dull ache",
       "Is it a dull ache?", "A deep, steady soreness rather than a sharp pain.",
       "dull", "ache", "aching", "achy", "dull ache", "sore", "soreness"),
    _t("sharp", "feels", "Sharp", "sharp pain",
       "Is the pain sharp?", "A clear, sudden, well-defined pain.",
       "sharp"),
    _t("burning", "feels", "Burning", "burning pain",
       "Does it burn?", "A hot, burning feeling.",
       "burning", "burns", "burn"),
    _t("stabbing", "feels", "Stabbing", "stabbing pain",
       "Does it stab?", "Like being poked with something sharp.",
       "stabbing", "stab", "stabs", "knife-like"),
    _t("shooting", "feels", "Shooting down the leg", "shooting pain",
       "Does the pain shoot or travel along the leg?", "Like an electric line running down the leg.",
       "shooting", "shoots", "radiating", "electric", "travels down"),
    _t("pulling", "feels", "Pulling", "a pulling pain",
       "Is it a pulling feeling?", "As if the muscle is being stretched or tugged.",
       "pulling", "pull", "pulled", "tugging", "strain"),
    _t("tightness", "feels", "Tight", "tightness",
       "Does it feel tight?", "A tight band or a muscle that will not let go.",
       "tight", "tightness", "tension", "cramp", "cramping"),
    _t("stiffness", "feels", "Stiff", "stiffness",
       "Does it feel stiff?", "Hard to move until it loosens up.",
       "stiff", "stiffness", "creaky"),
    _t("throbbing", "feels", "Throbbing", "throbbing pain",
       "Does it throb?", "A pulsing pain.",
       "throbbing", "throbs", "pulsing", "pounding"),
    _t("tenderness", "feels", "Tender to touch", "tenderness to touch",
       "Is it tender when you press on it?", "It hurts when pressed.",
       "tender", "tenderness", "sore to touch", "hurts to touch", "bruised feeling"),
    # triggers: what makes it worse
    _t("downhill", "triggers", "Running downhill", "pain running downhill",
       "Is it worse running downhill?", "Descents, not climbs.",
       "downhill", "downhills", "descent", "descents", "running down hills"),
    _t("uphill", "triggers", "Running uphill", "pain running uphill",
       "Is it worse running uphill?", "Climbs and hill repeats.",
       "uphill", "uphills", "hills", "hill", "climbing", "hill repeats"),
    _t("stairs", "triggers", "Stairs", "pain on stairs",
       "Do stairs make it worse?", "Especially going down.",
       "stairs", "steps", "staircase", "downstairs", "upstairs", "going downstairs"),
    _t("squatting", "triggers", "Squatting or kneeling", "pain when squatting",
       "Does squatting or kneeling make it worse?", "Bending the knee deeply under load.",
       "squat", "squats", "squatting", "kneeling", "lunges", "crouching"),
    _t("sitting-long", "triggers", "Sitting for a long time", "pain after sitting a long time",
       "Does it hurt after sitting for a long time?", "In the car, at a desk or at the cinema.",
       "sitting", "sitting for a long time", "long drives", "at my desk", "cinema", "movie"),
    _t("walking", "triggers", "Walking", "pain when walking",
       "Does walking make it worse?", "Ordinary walking, not running.",
       "walking", "walk", "walks", "standing", "on my feet"),
    _t("hopping", "triggers", "Hopping on that leg", "pain when hopping",
       "Does it hurt to hop on that leg?", "Only try this if you can do so safely.",
       "hop", "hopping", "jumping", "jump", "single leg hop"),
    _t("sprinting", "triggers", "Sprinting", "pain when sprinting",
       "Is it worse when you sprint?", "Flat-out efforts.",
       "sprint", "sprinting", "sprints", "kick", "finishing kick"),
    _t("speed-work", "triggers", "Speed work or intervals", "pain during speed work",
       "Is it worse with speed work or intervals?", "Track sessions, tempo or fast repeats.",
       "speed work", "speedwork", "intervals", "interval", "tempo", "track session", "fast running"),
    _t("long-runs", "triggers", "Long runs", "pain on long runs",
       "Is it worse on long runs?", "It comes on with distance.",
       "long run", "long runs", "long distance", "marathon training"),
    _t("mileage-increase", "triggers", "A recent jump in training", "a recent jump in training",
       "Did you recently increase your mileage or intensity?", "More distance, more days or faster runs.",
       "increased my mileage", "more miles", "upped my mileage", "increased mileage",
       "increased training", "training increase", "ramped up"),
    _t("new-shoes", "triggers", "New or worn-out shoes", "a change of shoes",
       "Did it start after a change of shoes?", "New shoes, a different model, or worn-out ones.",
       "new shoes", "new trainers", "worn out shoes", "old shoes", "minimalist shoes"),
    _t("hard-surface", "triggers", "Hard surfaces", "running on hard surfaces",
       "Is it worse on hard surfaces?", "Road or concrete rather than trail or grass.",
       "concrete", "pavement", "tarmac", "asphalt", "road", "roads", "hard surface", "hard surfaces"),
    # onset
    _t("sudden", "onset", "Suddenly, at one moment", "a sudden start",
       "Did it start suddenly, at one moment you can name?", "For example mid-sprint or on a slip.",
       "sudden", "suddenly", "all of a sudden", "out of nowhere", "in one moment"),
    _t("gradual", "onset", "Gradually, over days or weeks", "a gradual start",
       "Did it come on gradually, over days or weeks?", "It crept up on you.",
       "gradual", "gradually", "slowly", "crept up", "over weeks", "over time", "built up"),
    # signs: what else the runner notices
    _t("swelling", "signs", "Swelling", "swelling",
       "Is there any swelling?", "Puffiness you can see or feel.",
       "swelling", "swollen", "swell", "puffy", "puffiness"),
    _t("bruising", "signs", "Bruising", "bruising",
       "Is there any bruising?", "Blue, purple or yellow marks.",
       "bruise", "bruised", "bruising", "black and blue"),
    _t("pop", "signs", "A pop or snap when it started", "a pop when it started",
       "Did you feel or hear a pop or snap when it started?", "Some people say it felt like being kicked.",
       "pop", "popped", "popping", "snap", "snapped", "felt like being kicked"),
    _t("point-tenderness", "signs", "One spot on the bone hurts to press", "one tender spot on the bone",
       "Is there one spot on the bone that hurts when you press it?",
       "A fingertip-sized spot, rather than a wide sore area.",
       "one spot", "pinpoint", "point tenderness", "tender spot on the bone", "specific spot"),
    _t("clicking", "signs", "Clicking, grinding or catching", "clicking or grinding",
       "Does it click, grind or catch?", "A noise or catch when it moves.",
       "click", "clicking", "clicks", "grinding", "crunching", "crepitus", "catching"),
    _t("locking", "signs", "The joint locks", "the joint locking",
       "Does the joint lock or get stuck?", "It will not straighten until you wiggle it.",
       "locking", "locks", "locked", "gets stuck", "stuck"),
    _t("giving-way", "signs", "Gives way", "the leg giving way",
       "Does it give way under you?", "Buckling or feeling unstable.",
       "giving way", "gives way", "gave way", "buckles", "buckling", "unstable", "instability"),
    _t("numbness", "signs", "Numbness or tingling", "numbness or tingling",
       "Do you feel numbness, tingling or pins and needles?", "Anywhere in the leg or foot.",
       "numb", "numbness", "tingling", "tingle", "pins and needles"),
    _t("weakness", "signs", "Weakness", "weakness",
       "Does the leg or foot feel weak?", "Such as being unable to push off or lift the foot.",
       "weak", "weakness", "can't push off", "cannot push off", "foot drop", "foot slap"),
    _t("limping", "signs", "Limping", "a limp",
       "Are you limping?", "Walking unevenly to protect the leg.",
       "limp", "limping", "limps", "hobbling"),
    _t("cannot-bear-weight", "signs", "Can't put weight on it", "being unable to bear weight",
       "Are you unable to put weight on it or take four steps?", "Even walking a few steps is too painful.",
       "can't put weight", "cannot put weight", "can't bear weight", "cannot bear weight",
       "can't walk", "cannot walk", "unable to walk", "unable to bear weight"),
    _t("redness-warmth", "signs", "Red, hot or warm to the touch", "redness or warmth",
       "Is the area red, hot or warm to the touch?", "Warmer than the same spot on the other leg.",
       "red", "redness", "warm", "warmth", "hot", "inflamed"),
    _t("fever", "signs", "Fever or feeling unwell", "a fever",
       "Do you have a fever or feel generally unwell?", "A temperature, chills or sweats.",
       "fever", "feverish", "temperature", "chills", "unwell", "sweats"),
    _t("night-pain", "signs", "Pain that wakes you at night", "pain that wakes you at night",
       "Does the pain wake you at night?", "Pain that rest does not ease.",
       "wakes me up", "wakes me", "woke me up", "night pain", "keeps me awake"),
    _t("weight-loss", "signs", "Losing weight without trying", "unexplained weight loss",
       "Have you lost weight without trying?", "Or missed periods, or been eating much less than you need.",
       "weight loss", "lost weight", "losing weight", "missed periods", "no periods"),
    _t("bladder-bowel", "signs", "Bladder or bowel changes, or numbness in the saddle area",
       "bladder or bowel changes",
       "Any change in bladder or bowel control, or numbness between the legs?",
       "Trouble passing urine, leaking, or numbness in the saddle area.",
       "bladder", "bowel", "incontinence", "saddle numbness", "can't pee"),
    _t("breathless", "signs", "Short of breath or chest pain", "shortness of breath or chest pain",
       "Are you short of breath or do you have chest pain?", "New, unexplained breathlessness.",
       "breathless", "short of breath", "shortness of breath", "chest pain", "can't breathe",
       "out of breath"),
    _t("cold-foot", "signs", "A cold, pale or tingling foot when running", "a cold or pale foot",
       "Does the foot go cold, pale or tingly when you run?", "It returns to normal after you stop.",
       "cold foot", "foot goes cold", "pale foot", "cold toes", "foot turns white"),
    # sides
    _t("both-sides", "sides", "Both legs", "pain in both legs",
       "Do both legs hurt?", "The same pain on the left and the right.",
       "both legs", "both knees", "both shins", "both feet", "both heels", "both sides",
       "both calves", "both"),
)
# fmt: on

TERMS_BY_ID: dict[str, Term] = {term.id: term for term in TERMS}

TERM_IDS_BY_DIMENSION: dict[str, tuple[str, ...]] = {
    dimension: tuple(term.id for term in TERMS if term.dimension == dimension)
    for dimension in DIMENSIONS
}

# One id means one thing: the flags and the catalogue rely on it.
assert len(TERMS_BY_ID) == len(TERMS), "duplicate term id in the vocabulary"


def closest_terms(word: str, dimension: str | None = None, limit: int = 1) -> list[str]:
    """The valid term ids nearest to `word`, best first, for "did you mean" messages."""
    import difflib

    candidates = TERM_IDS_BY_DIMENSION[dimension] if dimension else tuple(TERMS_BY_ID)
    found = difflib.get_close_matches(word.lower(), candidates, n=limit, cutoff=0.0)
    return found
