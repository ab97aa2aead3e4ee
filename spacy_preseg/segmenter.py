"""Learn a corpus's word segmentation: a pkuseg model for text that arrives unsegmented.

A slash-segmented corpus is its own training data. Every line is a sentence
whose words spacy-pkuseg learns to find in plain text, so that text without
delimiters is split the way the corpus splits it, not the way some other
corpus does (pkuseg's pretrained models cannot be downloaded anyway).

A model directory holds pkuseg's files (features.msgpack, weights.npz) and
user_dict.txt, the dictionary the model ships with: names that must stay
whole, one a line, as pkuseg reads user dictionaries. The file is always
written, empty when there are no names, and marks the directory as
corpus-trained.

Dictionaries: spaCy's default ``pkuseg_user_dict = "default"`` makes pkuseg
add its general-domain dictionary (dicts/default.pkl, 390,000 words): its
merges follow another corpus's conventions, and spaCy stores all of its words
in every pipeline (about 4 MB). A corpus-trained model therefore goes without
it and uses its own user_dict.txt instead; :func:`load_segmenter` loads a
model that way. spaCy's own ChineseTokenizer can still load the directory
(``initialize(pkuseg_model=DIR)``), with the general dictionary, or with
``pkuseg_user_dict=DIR/user_dict.txt`` for the names plus the general
dictionary.

spacy-pkuseg trains through module-level state (its global config, the
``random`` module, its scratch directory and stdout), so :func:`train_segmenter`
must not run in two threads of one process at once.
"""

import io
import os
import random
import re
import shutil
import sys
import tempfile
import uuid
import zipfile
from contextlib import redirect_stdout
from pathlib import Path
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple, Union

import spacy_pkuseg
from spacy_pkuseg.config import config as pkuseg_config

from .corpus import CorpusError, corpus_files, read_records, segmented_words
from .scoring import prf
from .tokenizer import PKUSEG_MODEL_HINT

USER_DICT_FILE = "user_dict.txt"
PKUSEG_MODEL_FILES = ("features.msgpack", "weights.npz")
MODEL_FILES = PKUSEG_MODEL_FILES + (USER_DICT_FILE,)
# pkuseg's optimizer updates every len(train) // 10 sentences and divides by zero below 10.
MIN_TRAIN_SENTENCES = 10

Sentence = List[str]
PathLike = Union[str, Path]


class Scores(NamedTuple):
    """Word-boundary precision, recall and F1, as fractions."""

    precision: float
    recall: float
    f1: float


# Corpus ------------------------------------------------------------------


def read_corpus(paths: Iterable[PathLike], tagged: bool = False) -> List[Sentence]:
    """Read segmented corpus files or folders into sentences, a line each.

    Files are read as everywhere in the package (spacy_preseg.corpus: .txt,
    or .jsonl with "source" lines); errors name the file, and the line where
    there is one. Lines without a delimiter are left out, and a file must
    hold some that have one: plain text would teach pkuseg that whole lines
    are words.
    """
    sentences: List[Sentence] = []
    for path in paths:
        for file in corpus_files(path):
            sentences.extend(_read_file(file, tagged))
    if not sentences:
        raise CorpusError("No corpus files given")
    return sentences


def _read_file(path: Path, tagged: bool) -> List[Sentence]:
    sentences = []
    plain = 0
    for record in read_records(path, tagged=tagged):
        if not record.segmented:  # plain text: whole lines are not words
            plain += 1
            continue
        words = [word for word in segmented_words(record)[0] if not word.isspace()]
        if words:
            sentences.append(words)
    if not sentences and plain:
        raise CorpusError(f"{path}: no '/' between words anywhere: not a segmented corpus")
    if not sentences:
        raise CorpusError(f"{path}: empty corpus, no words in it")
    return sentences


def split_held_out(
    sentences: Sequence[Sentence], share: float = 0.1, seed: int = 0
) -> Tuple[List[Sentence], List[Sentence]]:
    """Set aside a share of the sentences to score on: the same ones for the same corpus and seed.

    Both parts keep the corpus order. Any share above 0 holds out at least one sentence.
    """
    if not 0 <= share < 1:
        raise ValueError(f"The held-out share must be at least 0 and below 1, got {share}")
    n_held = max(1, round(share * len(sentences))) if share else 0
    held = set(random.Random(seed).sample(range(len(sentences)), min(n_held, len(sentences))))
    train = [s for i, s in enumerate(sentences) if i not in held]
    held_out = [s for i, s in enumerate(sentences) if i in held]
    return train, held_out


# User dictionary ---------------------------------------------------------


def dictionary_words(names: Iterable[str], sentences: Sequence[Sentence]) -> List[str]:
    """The names a pkuseg user dictionary can keep whole without contradicting the corpus.

    pkuseg makes every leftmost longest match of a dictionary word a word of
    its own before its model sees the text. So single characters would split
    every word they occur in (中 in 中心), names with whitespace never match
    (pkuseg splits text at whitespace first), and a name that the corpus cuts
    across a word boundary (中国 in 发展/中/国家) would undo what the model
    learned there: all of these are left out. A name spanning several corpus
    words (嫦娥/六/号) stays in: keeping it whole is the point.

    The dictionary is also kept free of prefixes (北斗 goes, 北斗卫星导航系统
    stays): pkuseg's matcher, having passed a shorter word, returns the text
    up to where a longer one stops matching, a word of neither (北斗卫星 in
    北斗卫星发射).
    """
    candidates = {name.strip() for name in names}
    candidates = {w for w in candidates if len(w) > 1 and not any(ch.isspace() for ch in w)}
    while True:
        words = _without_prefixes(candidates)
        clashes = _clashing_words(spacy_pkuseg.Preprocesser(sorted(words)), sentences) & words
        if not clashes:
            return sorted(words)
        candidates -= clashes


def _without_prefixes(words: Set[str]) -> Set[str]:
    ordered = sorted(words)
    return {w for w, following in zip(ordered, ordered[1:] + [""]) if not following.startswith(w)}


def _clashing_words(preprocesser: "spacy_pkuseg.Preprocesser", sentences: Sequence[Sentence]) -> Set[str]:
    clashes = set()
    for words in sentences:
        bounds = word_ends(words) | {0}
        start = 0
        for piece, is_word, _ in zip(*preprocesser.solve("".join(words))):
            end = start + len(piece)
            if is_word and (start not in bounds or end not in bounds):
                clashes.add(piece)
            start = end
    return clashes


# Training ----------------------------------------------------------------


def train_segmenter(
    corpus: Iterable[PathLike],
    output_dir: PathLike,
    *,
    dev_share: float = 0.1,
    iterations: int = 20,
    seed: int = 0,
    user_dict: Union[bool, Iterable[str]] = True,
    progress: Callable[[str], None] = print,
    tagged: bool = False,
) -> Dict[str, Scores]:
    """Train a pkuseg model on the corpus into output_dir and score it on the held-out part.

    user_dict: True for the gazetteer's names, False for none, or the names
    themselves. Returns the held-out boundary scores of "char" (one character
    a word) and "pkuseg" (the model with its dictionary); none without a
    held-out part. The model appears at output_dir only when complete,
    replacing an earlier model there.
    """
    if iterations < 1:
        raise ValueError(f"The number of iterations must be at least 1, got {iterations}")
    output_dir = Path(output_dir)
    _check_output_dir(output_dir)
    sentences = read_corpus(corpus, tagged)
    train, held_out = split_held_out(sentences, dev_share, seed)
    if len(train) < MIN_TRAIN_SENTENCES:
        raise ValueError(
            f"pkuseg needs at least {MIN_TRAIN_SENTENCES} sentences to train on; the "
            f"corpus has {len(sentences)}, {len(held_out)} of them held out"
        )
    progress(
        f"{len(sentences)} sentences: training on {len(train)}, holding out "
        f"{len(held_out)} (share {dev_share}, seed {seed})."
    )
    if user_dict is True:
        from .gazetteer import gazetteer_names  # the entity side; only this option needs it

        names = list(gazetteer_names())
    elif user_dict is False:
        names = []
    else:
        names = list(user_dict)
    words = dictionary_words(names, train)
    if names:
        progress(
            f"User dictionary: {len(words)} of {len(set(names))} names (left out: single "
            "characters, prefixes of longer names, names the corpus splits differently)."
        )
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dir = output_dir.parent / f".{output_dir.name}.{uuid.uuid4().hex[:8]}.tmp"
    build_dir.mkdir()
    try:
        _train_pkuseg(train, held_out, build_dir, iterations, seed, progress)
        (build_dir / USER_DICT_FILE).write_text(
            "".join(word + "\n" for word in words), encoding="utf-8"
        )
        _publish(build_dir, output_dir)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
    progress(f"Saved the segmenter to {output_dir}.")
    if not held_out:
        return {}
    return {
        "char": boundary_scores(list, held_out),
        "pkuseg": boundary_scores(load_segmenter(output_dir).cut, held_out),
    }


def _check_output_dir(output_dir: Path) -> None:
    """Refuse, before any training, to replace anything but an earlier model."""
    if output_dir.exists() and not output_dir.is_dir():
        raise ValueError(f"{output_dir}: exists and is not a directory")
    if output_dir.is_dir():
        others = sorted(p.name for p in output_dir.iterdir() if p.name not in MODEL_FILES)
        if others:
            raise ValueError(
                f"{output_dir}: holds other files than a segmenter ({', '.join(others[:3])}); "
                "not replacing it"
            )


def _train_pkuseg(
    train: Sequence[Sentence],
    test: Sequence[Sentence],
    model_dir: Path,
    iterations: int,
    seed: int,
    progress: Callable[[str], None],
) -> None:
    """Run spacy_pkuseg.train on files of space-separated words, leaving no scratch files behind.

    pkuseg insists on a test file and reports its word F1 after every
    iteration: the held-out part, or the training part when there is none.
    """
    state = random.getstate()
    try:
        with tempfile.TemporaryDirectory(prefix="spacy_preseg-") as tmp:
            train_file = _write_sentences(Path(tmp) / "train.txt", train)
            test_file = _write_sentences(Path(tmp) / "test.txt", test or train)
            part = "held-out" if test else "training"
            random.seed(seed)  # pkuseg shuffles with the random module
            with redirect_stdout(_IterationReport(progress, iterations, part)):
                spacy_pkuseg.train(train_file, test_file, str(model_dir), train_iter=iterations)
    finally:
        random.setstate(state)
        # pkuseg keeps its feature files and logs there until the process exits.
        shutil.rmtree(pkuseg_config.tempFile, ignore_errors=True)


def _write_sentences(path: Path, sentences: Iterable[Sentence]) -> str:
    path.write_text("".join(" ".join(words) + "\n" for words in sentences), encoding="utf-8")
    return str(path)


class _IterationReport(io.TextIOBase):
    """Stands in for stdout during training: turns pkuseg's per-iteration lines into progress."""

    _LINE = re.compile(r"iter(\d+)\s.*?f-score=([\d.]+)%")

    def __init__(self, progress: Callable[[str], None], iterations: int, part: str) -> None:
        self.progress = progress
        self.iterations = iterations
        self.part = part
        self.pending = ""
        self.stdout = sys.stdout

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            match = self._LINE.match(line)
            if match:
                with redirect_stdout(self.stdout):  # progress may print
                    self.progress(
                        f"Iteration {int(match.group(1)) + 1}/{self.iterations}: "
                        f"word F1 {float(match.group(2)):.1f}% on the {self.part} part"
                    )
        return len(text)


def _publish(build_dir: Path, output_dir: Path) -> None:
    """Move the finished model to output_dir, replacing an earlier one only now."""
    if not output_dir.exists():
        os.replace(build_dir, output_dir)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    try:
        os.replace(output_dir, trash / output_dir.name)
        os.replace(build_dir, output_dir)
    finally:
        shutil.rmtree(trash, ignore_errors=True)


# Loading -----------------------------------------------------------------


def check_pkuseg_model(model_dir: Optional[Union[str, Path]]) -> Path:
    """Fail early, and say what to do, when a pkuseg model directory is unusable."""
    hint = PKUSEG_MODEL_HINT
    if model_dir is None:
        raise ValueError(
            "segmenter = 'pkuseg' needs a pkuseg model; pretrained models are "
            f"not downloaded. {hint}"
        )
    path = Path(model_dir)
    if not path.is_dir():
        raise FileNotFoundError(f"No pkuseg model directory at {path}. {hint}")
    missing = [name for name in PKUSEG_MODEL_FILES if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{path} is not a pkuseg model directory: {', '.join(missing)} missing. {hint}"
        )
    return path


def load_segmenter(
    model_dir: PathLike, user_dict: Optional[PathLike] = "default"
) -> "spacy_pkuseg.pkuseg":
    """Load a pkuseg model directory with the right dictionary.

    user_dict "default" takes the dictionary the model ships with: its
    user_dict.txt if it has one, else (any other pkuseg model) pkuseg's
    general dictionary, as spaCy does. None means no dictionary, a path that
    file alone.
    """
    model_dir = check_pkuseg_model(model_dir)
    if user_dict == "default":
        own = model_dir / USER_DICT_FILE
        if not own.is_file():
            return _load_pkuseg(model_dir, "default")
        user_dict = own
    segmenter = _load_pkuseg(model_dir, None)
    if user_dict is not None:
        if not Path(user_dict).is_file():
            raise FileNotFoundError(f"{user_dict}: no such pkuseg user dictionary")
        segmenter.preprocesser = spacy_pkuseg.Preprocesser(str(user_dict))
    # pkuseg leaves out the word sets when it has no general dictionary, but
    # spaCy's ChineseTokenizer serializes them: empty sets, switched off.
    segmenter.postprocesser = spacy_pkuseg.Postprocesser(None, [])
    segmenter.postprocesser.do_process = False
    return segmenter


def _load_pkuseg(model_dir: Path, user_dict: Optional[str]) -> "spacy_pkuseg.pkuseg":
    try:
        return spacy_pkuseg.pkuseg(str(model_dir), user_dict=user_dict)
    except (OSError, ValueError, KeyError, EOFError, AssertionError, zipfile.BadZipFile) as err:
        raise ValueError(
            f"Could not load the pkuseg model in {model_dir}: {str(err) or type(err).__name__}. "
            "Train a new one with `python -m spacy_preseg train-segmenter CORPUS DIR`"
        ) from err


# Scoring -----------------------------------------------------------------


def word_ends(words: Sequence[str]) -> Set[int]:
    """The character offsets at which the words end, the text's end included."""
    ends, offset = set(), 0
    for word in words:
        offset += len(word)
        ends.add(offset)
    return ends


def boundary_scores(
    segment: Callable[[str], Sequence[str]], sentences: Iterable[Sentence]
) -> Scores:
    """Score a segmenter's word ends against the gold sentences' (micro-averaged)."""
    correct = predicted = gold = 0
    for words in sentences:
        text = "".join(words)
        found = segment(text)
        if "".join(found) != text:
            raise ValueError(f"The segmenter changed the text {text!r} into {found!r}")
        gold_ends, found_ends = word_ends(words), word_ends(found)
        correct += len(gold_ends & found_ends)
        predicted += len(found_ends)
        gold += len(gold_ends)
    scores = prf(correct, predicted - correct, gold - correct)
    return Scores(scores["p"], scores["r"], scores["f"])
