"""Writes src/needlematch/real_words.py: English words the reader must not "correct" into a term.

The reader corrects a misspelt word to the vocabulary word it is closest to
("achillies" -> "achilles", "swolen" -> "swollen"). A real English word can be
just as close to a vocabulary word ("seeing" -> "sneezing", "medical" ->
"medial", "unable" -> "unstable", "decent" -> "descent"), and correcting it
invents a symptom. This script takes pyspellchecker's English word-frequency
list (its words seen at least MIN_COUNT times), keeps the words the reader
would otherwise correct, and writes them out as a frozenset, so that the reader
needs neither the 650 KB list nor the library at run time. Run it again after
changing the vocabulary; tests/test_parse.py checks the file is up to date.

    pip install "pyspellchecker==0.9.1" && python tools/real_words.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "needlematch" / "real_words.py"
MIN_COUNT = 50  # a word seen fewer times in the frequency list is left correctable


def real_words() -> list[str]:
    """The common English words the reader's spelling correction would change."""
    from spellchecker import SpellChecker

    sys.path.insert(0, str(ROOT / "src"))
    from needlematch.parse import correction_of

    frequency = SpellChecker().word_frequency
    kept = []
    for word, count in frequency.items():
        if count < MIN_COUNT or not word.isalpha() or not word.isascii():
            continue
        if correction_of(word) != word:
            kept.append(word)
    return sorted(kept)


def module_text(words: list[str]) -> str:
    lines = [
        '"""English words the reader never corrects into a vocabulary term (written by tools/real_words.py)."""',
        "",
        "# Generated: edit tools/real_words.py, not this file.",
        "# fmt: off",
        "REAL_WORDS: frozenset[str] = frozenset((",
    ]
    line = "   "
    for word in words:
        item = f' "{word}",'
        if len(line) + len(item) > 99:
            lines.append(line)
            line = "   "
        line += item
    if line.strip():
        lines.append(line)
    lines += ["))", "# fmt: on", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = module_text(real_words())
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} is out of date: run python tools/real_words.py")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
