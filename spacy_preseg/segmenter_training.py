"""Learn a corpus's word segmentation: a pkuseg model for text that arrives unsegmented.

A slash-segmented corpus is its own training data. Every line is a sentence
whose words spacy-pkuseg learns to find in plain text, so that text without
delimiters is split the way the corpus splits it, not the way some other
corpus does (pkuseg's pretrained models cannot be downloaded anyway). The
model directory is what spacy_preseg.segmenter loads.

Training uses spacy-pkuseg's own parts (its feature set, model and ADF
optimizer) but not its ``train`` function, which goes through text files of
features (most of its time and memory) and says nothing within an
iteration: here the sentences' features are found in memory
(spacy_preseg.pkuseg_features) and the optimizer reads them through a
sequence that counts them, which gives progress and the time left. Scores
after each iteration are word-boundary scores on the held-out part.

The optimizer shuffles with the ``random`` module, seeded here and restored
afterwards, so :func:`train_segmenter` must not run in two threads of one
process at once.
"""

import os
import random
import shutil
import tempfile
import time
import uuid
from collections import abc
from contextlib import redirect_stdout
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import spacy_pkuseg
from spacy_pkuseg.config import Config as PkusegConfig
from spacy_pkuseg.data import Example as PkusegExample
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.model import Model as PkusegModel
from spacy_pkuseg.optimizer import ADF

from .corpus import CorpusError, input_files, read_records, segmented_words
from .scoring import Scores, boundary_scores, word_ends
from .segmenter import MODEL_FILES, USER_DICT_FILE, PkusegSegmenter, load_segmenter

# pkuseg's optimizer updates every len(train) // 10 sentences and divides by zero below 10.
MIN_TRAIN_SENTENCES = 10
# pkuseg's five tags: a one-character word, and a longer word's first, second, inner and last character.
SINGLE, FIRST, SECOND, INNER, LAST = "B_single", "B", "I_first", "I", "I_end"
REPORT_EVERY = 10.0  # seconds: the least time between two progress lines within an iteration

Sentence = List[str]
PathLike = Union[str, Path]
Progress = Callable[[str], None]


# Corpus ------------------------------------------------------------------


def read_corpus(paths: Iterable[PathLike], delimiter: str = "/", tagged: bool = False) -> List[Sentence]:
    """Read segmented corpus files or folders into sentences, a line each.

    Files are read as by every command (spacy_preseg.corpus.read_records:
    .txt, or gold .jsonl with segmented lines, each file once, and a .txt
    line that a gold file among the inputs holds read from the gold only);
    errors name the file, and the line where there is one. Lines without a
    delimiter are left out, and a file must hold some that have one: plain
    text would teach pkuseg that whole lines are words. A sentence that an
    earlier file already had is left out too (the same corpus under two
    names); repeats within one file are the corpus's own and stay. tagged
    reads .txt files in the word/TAG format (their words; the tags are not
    used).
    """
    return _read_sentences(paths, delimiter, tagged)[0]


def _read_sentences(
    paths: Iterable[PathLike], delimiter: str = "/", tagged: bool = False
) -> Tuple[List[Sentence], int]:
    """(sentences, how many sentences that an earlier file had were left out)."""
    files = input_files(list(paths))
    by_file: Dict[Path, List[Sentence]] = {file: [] for file in files}
    plain: Set[Path] = set()
    for record in read_records(files, delimiter=delimiter, tagged=tagged):
        if not record.segmented:  # plain text: whole lines are not words
            plain.add(record.path)
            continue
        words = [word for word in segmented_words(record)[0] if not word.isspace()]
        if words:
            by_file[record.path].append(words)
    for file in files:
        if file in plain and not by_file[file]:
            raise CorpusError(f"{file}: no {delimiter!r} between words anywhere: not a segmented corpus")
    sentences: List[Sentence] = []
    seen: Set[Tuple[str, ...]] = set()
    repeats = 0
    for file in files:
        own = by_file[file]
        kept = [words for words in own if tuple(words) not in seen]
        repeats += len(own) - len(kept)
        seen.update(tuple(words) for words in own)
        sentences.extend(kept)
    if not sentences:
        raise CorpusError(f"{', '.join(map(str, files))}: empty corpus, no words in it")
    return sentences, repeats


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


def sample(sentences: Sequence[Sentence], max_sentences: int, seed: int = 0) -> List[Sentence]:
    """At most max_sentences of the sentences (0: all), drawn with the seed, in corpus order."""
    if max_sentences < 0:
        raise ValueError(f"The number of sentences must be at least 0, got {max_sentences}")
    if not max_sentences or max_sentences >= len(sentences):
        return list(sentences)
    chosen = sorted(random.Random(seed).sample(range(len(sentences)), max_sentences))
    return [sentences[i] for i in chosen]


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


def _names(user_dict: Union[bool, Iterable[str]]) -> List[str]:
    if user_dict is True:
        from .gazetteer import gazetteer_names  # the entity side; only this option needs it

        return list(gazetteer_names())
    if user_dict is False:
        return []
    return list(user_dict)


# Training ----------------------------------------------------------------


def train_segmenter(
    corpus: Iterable[PathLike],
    output_dir: PathLike,
    *,
    dev_share: float = 0.1,
    iterations: int = 20,
    seed: int = 0,
    user_dict: Union[bool, Iterable[str]] = True,
    delimiter: str = "/",
    max_sentences: int = 0,
    progress: Progress = print,
    tagged: bool = False,
) -> Dict[str, Scores]:
    """Train a pkuseg model on the corpus files into output_dir and score it on the held-out part.

    delimiter is the corpus's word delimiter; max_sentences trains on a sample of the training part (0: all of it),
    for a quick model; the held-out part stays the same. See train_model for
    the rest.
    """
    _check_settings(iterations, output_dir)
    sentences, repeats = _read_sentences(corpus, delimiter, tagged)
    train, held_out = split_held_out(sentences, dev_share, seed)
    sampled = sample(train, max_sentences, seed)
    repeated = f"; {repeats} that an earlier file had left out" if repeats else ""
    on_sample = f" (a sample of {len(sampled)})" if len(sampled) < len(train) else ""
    progress(
        f"{len(sentences)} sentences{repeated}: training on {len(train)}{on_sample}, holding out "
        f"{len(held_out)} (share {dev_share}, seed {seed})."
    )
    return train_model(
        sampled, held_out, output_dir, iterations=iterations, seed=seed, user_dict=user_dict, progress=progress
    )


def train_model(
    train: Sequence[Sentence],
    held_out: Sequence[Sentence],
    output_dir: PathLike,
    *,
    iterations: int = 20,
    seed: int = 0,
    user_dict: Union[bool, Iterable[str]] = True,
    progress: Progress = print,
    report_every: float = REPORT_EVERY,
) -> Dict[str, Scores]:
    """Train a pkuseg model on the sentences into output_dir and score it on the held-out ones.

    user_dict: True for the gazetteer's names, False for none, or the names
    themselves. Returns the held-out boundary scores of "char" (one character
    a word) and "pkuseg" (the model with its dictionary); none without
    held-out sentences. progress gets a line after each iteration and,
    within one, at most every report_every seconds, with the time left. The
    model appears at output_dir only when complete, replacing an earlier
    model there.
    """
    output_dir = Path(output_dir)
    _check_settings(iterations, output_dir)
    if len(train) < MIN_TRAIN_SENTENCES:
        raise ValueError(
            f"pkuseg needs at least {MIN_TRAIN_SENTENCES} sentences to train on, got {len(train)}"
        )
    names = _names(user_dict)
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
        _train_pkuseg(train, held_out, build_dir, iterations, seed, progress, report_every)
        (build_dir / USER_DICT_FILE).write_text("".join(word + "\n" for word in words), encoding="utf-8")
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


def _check_settings(iterations: int, output_dir: PathLike) -> None:
    """Refuse, before any reading or training, settings that cannot work."""
    if iterations < 1:
        raise ValueError(f"The number of iterations must be at least 1, got {iterations}")
    output_dir = Path(output_dir)
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
    held_out: Sequence[Sentence],
    model_dir: Path,
    iterations: int,
    seed: int,
    progress: Progress,
    report_every: float,
) -> None:
    """Train with pkuseg's feature set, model and optimizer; save its two files to model_dir."""
    progress(f"Finding the features of {len(train):,} sentences.")
    extractor = FeatureExtractor()
    with tempfile.TemporaryDirectory(prefix="spacy_preseg-") as tmp:
        train_file = Path(tmp) / "train.txt"
        train_file.write_text("".join(" ".join(words) + "\n" for words in train), encoding="utf-8")
        with open(os.devnull, "w") as devnull, redirect_stdout(devnull):  # word length counts
            extractor.build(str(train_file))
    model = PkusegModel(len(extractor.feature_to_idx), len(extractor.tag_to_idx))
    segmenter = PkusegSegmenter(
        extractor, model, spacy_pkuseg.Preprocesser(None), spacy_pkuseg.Postprocesser(None, None)
    )
    clock = _TrainingClock(len(train), iterations, progress, report_every)
    examples = _CountedSentences(
        [_example(segmenter, words, extractor.tag_to_idx) for words in train], clock.sentence_done
    )
    progress(f"{len(extractor.feature_to_idx):,} features; training for {iterations} iterations.")
    optimizer = ADF(PkusegConfig(), examples, model)
    state = random.getstate()
    random.seed(seed)  # the optimizer shuffles with the random module
    try:
        for iteration in range(iterations):
            clock.start_iteration(iteration)
            optimizer.optimize()
            clock.training_done()
            scores = boundary_scores(segmenter.cut, held_out) if held_out else None
            clock.iteration_done(scores)
    finally:
        random.setstate(state)
    extractor.save(str(model_dir))
    model.save(str(model_dir))


def _example(segmenter: PkusegSegmenter, words: Sentence, tag_to_idx: Dict[str, int]) -> PkusegExample:
    """A sentence as pkuseg trains on it: the features and the tag of each character."""
    tags = []
    for word in words:
        if len(word) == 1:
            tags.append(SINGLE)
        else:
            tags.extend([FIRST, *[SECOND if i == 1 else INNER for i in range(1, len(word) - 1)], LAST])
    return PkusegExample(segmenter.features("".join(words)), [tag_to_idx[tag] for tag in tags])


class _CountedSentences(abc.Sequence):
    """The training examples as pkuseg's optimizer reads them (by index), counting each read."""

    def __init__(self, examples: List[PkusegExample], on_read: Callable[[], None]) -> None:
        self.examples = examples
        self.on_read = on_read

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index):
        self.on_read()
        return self.examples[index]


class _TrainingClock:
    """Progress within and after each iteration, with the time left from the time taken so far."""

    def __init__(self, n_sentences: int, iterations: int, progress: Progress, report_every: float) -> None:
        self.n = n_sentences
        self.iterations = iterations
        self.progress = progress
        self.report_every = report_every
        self.step = max(1, n_sentences // 10)  # look at the clock every tenth of an iteration
        self.iteration = 0
        self.done = 0  # sentences read, all iterations together
        self.train_seconds = 0.0  # of the finished iterations
        self.score_seconds = 0.0  # of the finished scorings
        self.scorings = 0
        self.started = self.last_report = time.perf_counter()

    def start_iteration(self, iteration: int) -> None:
        self.iteration = iteration
        self.started = self.last_report = time.perf_counter()

    def sentence_done(self) -> None:
        self.done += 1
        in_iteration = self.done - self.iteration * self.n
        if in_iteration % self.step or in_iteration >= self.n:
            return
        now = time.perf_counter()
        if now - self.last_report < self.report_every:
            return
        self.last_report = now
        left = self._seconds_left(self.train_seconds + now - self.started)
        self.progress(
            f"Iteration {self.iteration + 1}/{self.iterations}: {in_iteration:,} of {self.n:,} "
            f"sentences, {_duration(left)} left"
        )

    def training_done(self) -> None:
        now = time.perf_counter()
        self.train_seconds += now - self.started
        self.started = now

    def iteration_done(self, scores: Optional[Scores]) -> None:
        self.score_seconds += time.perf_counter() - self.started
        self.scorings += 1
        score = f", word-boundary F1 {scores.f1:.1%} on the held-out part" if scores else ""
        left = self._seconds_left(self.train_seconds)
        more = f", {_duration(left)} left" if self.iteration + 1 < self.iterations else ""
        self.progress(f"Iteration {self.iteration + 1}/{self.iterations}{score}{more}")

    def _seconds_left(self, train_seconds: float) -> float:
        """The training time per sentence and the scoring time per iteration so far, for what is left."""
        sentences_left = self.iterations * self.n - self.done
        per_scoring = self.score_seconds / self.scorings if self.scorings else 0.0
        return train_seconds / max(1, self.done) * sentences_left + per_scoring * (self.iterations - self.scorings)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


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
