"""Shared helpers of the benchmark scripts: corpus, timing, tables."""

import argparse
import gc
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_548318905ead5a0d.txt"
PRESEG_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "spacy_preseg.PresegTokenizer.v1"}}}


def parse_args(doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--min-tokens", type=int, default=100_000,
                        help="repeat the seed lines until they hold this many words (default 100000)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="time each variant this many times, keep the best (default 3)")
    return parser.parse_args()


def count_segments(line: str) -> int:
    """Corpus words of a slash-segmented line: its non-empty "/" parts."""
    return sum(1 for part in line.split("/") if part)


def seed_lines() -> List[str]:
    return [line for line in SEED.read_text(encoding="utf8").splitlines() if line.strip()]


def load_lines(min_tokens: int) -> Tuple[List[str], int]:
    """The seed's lines, repeated until they hold >= min_tokens words; (lines, words)."""
    seed = seed_lines()
    per_pass = sum(count_segments(line) for line in seed)
    passes = max(1, -(-min_tokens // per_pass))
    return seed * passes, per_pass * passes


def as_files(lines: List[str]) -> List[str]:
    """The repeated seed as whole files: each copy's lines joined by line breaks."""
    size = len(seed_lines())
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]


def time_variants(
    variants: Dict[str, Callable[[], Any]], repeats: int, measure: Callable[[Any], int]
) -> Dict[str, Tuple[float, int]]:
    """{name: (best wall seconds, measure(output))} for each variant.

    The repeats take turns across the variants (a, b, a, b, ...) so that a
    slow spell of the machine hits all of them alike. The garbage collector
    stays on, as in real use, but each run starts after a collection and
    only measure()'s number of a run's output is kept.
    """
    best = {name: float("inf") for name in variants}
    counts: Dict[str, int] = {}
    for _ in range(max(1, repeats)):
        for name, fn in variants.items():
            gc.collect()
            start = time.perf_counter()
            output = fn()
            best[name] = min(best[name], time.perf_counter() - start)
            counts[name] = measure(output)
            del output
    return {name: (best[name], counts[name]) for name in variants}


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Left-align the first column, right-align the others."""
    cells = [[_format(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  ".join([first, *rest]).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def check(name: str, value: float, target: float, higher_is_better: bool = True, unit: str = "x") -> bool:
    """Print one target line with PASS/MISS; return whether it passed."""
    passed = value >= target if higher_is_better else value < target
    op = ">=" if higher_is_better else "<"
    print(f"{'PASS' if passed else 'MISS'}  {name}: {value:.2f}{unit} (target {op} {target:g}{unit})")
    return passed


def _format(cell: Any) -> str:
    if isinstance(cell, float):
        return f"{cell:,.0f}" if cell >= 100 else f"{cell:.3f}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return str(cell)
