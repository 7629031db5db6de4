"""How long the free-text reader takes as a description grows: it should grow linearly.

Prints the median time of `understand` for descriptions of 10 KB, 100 KB and the
longest the command line accepts (limits.MAX_DESCRIPTION_CHARS), built by repeating
the vignette suites' own descriptions, and the time per KB of each, which stays
about the same when the reader is linear. Other kinds of text (numbers, "is fine"
phrases, filler words) are measured too: each once made the reader quadratic.

    python benchmarks/text_length.py [--runs N] [--sizes 10000,100000,...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from needlematch.limits import MAX_DESCRIPTION_CHARS
from needlematch.parse import understand

VIGNETTES = Path(__file__).resolve().parents[1] / "tests" / "vignettes"

KINDS = {
    "vignette descriptions": None,  # filled from the suites
    "numbers and scores": "pain 7/10 after 5 km, rated 6 out of 10, from 20 to 40 miles a week. ",
    "'is fine' phrases": "walking is fine, sitting is no problem, swelling: none, rest doesn't help. ",
    "filler words": "my the about ",
}


def _corpus() -> str:
    texts = [
        case["text"]
        for path in sorted(VIGNETTES.glob("*.json"))
        for case in json.loads(path.read_text(encoding="utf-8"))
        if case.get("text")
    ]
    return " ".join(texts)


def _text(base: str, size: int) -> str:
    return (base * (size // len(base) + 1))[:size]


def _median(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        understand(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per size (the median is shown)")
    parser.add_argument(
        "--sizes",
        default=f"10000,{MAX_DESCRIPTION_CHARS},100000",
        help="description lengths in characters, comma-separated",
    )
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    understand("warm up the lexicon and the regular expressions")
    KINDS["vignette descriptions"] = _corpus()
    print(f"understand(), median of {options.runs} runs (limit: {MAX_DESCRIPTION_CHARS:,} chars)")
    for kind, base in KINDS.items():
        assert base is not None
        print(f"\n{kind}:")
        for size in sizes:
            seconds = _median(_text(base, size), options.runs)
            label = " (the limit)" if size == MAX_DESCRIPTION_CHARS else ""
            print(
                f"  {size:>9,} chars{label:12} {seconds * 1000:9.1f} ms"
                f"   {seconds * 1000 / (size / 1000):6.2f} ms per 1,000 chars"
            )


if __name__ == "__main__":
    main()
