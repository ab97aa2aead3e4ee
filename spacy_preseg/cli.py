"""Command line: python -m spacy_preseg COMMAND. One command per job, spaCy-style."""

import os
import sys
from collections import Counter
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Iterator, List, Optional

import spacy
import srsly
import typer
from spacy.language import Language

from .annotate import annotate
from .annotation_formats import FORMATS
from .convert import convert
from .corpus import CorpusError, Record, check_length, entity_labels, input_files, process_record, read_records
from .entities import rule_pipeline
from .progress import corpus_progress
from .rendering import render_page
from .scoring import score
from .shards import atomic_text_file
from .storage import name as file_name
from .tokenizer import PresegTokenizer

app = typer.Typer(
    name="spacy_preseg",
    help="Tools for slash-segmented Chinese corpora in spaCy.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """Tools for slash-segmented Chinese corpora in spaCy."""
    # Without a callback, typer runs a lone command without its name.


GROUP_BY_HELP = "How lines make documents: line, paragraph (blank-line separated) or file"
TAGGED_HELP = "Read .txt lines as People's Daily word/TAG items (gold .jsonl keeps its format)"
INPUTS_HELP = "Corpus files or folders: .txt (slash-segmented), .jsonl (gold: the package's, Prodigy's or doccano's)"
DELIMITER_HELP = "Word delimiter of the corpus (default: the pipeline tokenizer's, '/' for the rule pipeline)"
MAX_LENGTH_HELP = "Longest document in characters, spaCy's nlp.max_length (default 1,000,000)"


@contextmanager
def reported_errors() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit code 1; a closed pipe ends it quietly."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (annotate | head): stop writing, as other tools do, without a message.
        # stdout is pointed at /dev/null so that Python's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1)
    except (OSError, ValueError) as err:  # CorpusError, ShardError and PatternError are ValueErrors
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1)


def load_pipeline(
    model: Optional[Path],
    split_tokens: bool = False,
    char: bool = False,
    delimiter: Optional[str] = None,
    max_length: Optional[int] = None,
) -> Language:
    """A saved pipeline, or the rule pipeline (preseg tokenizer + preseg_entities)."""
    if model is not None:
        if split_tokens or char:
            raise ValueError("--split-tokens and --char set up the rule pipeline; they do not apply to --model")
        nlp = spacy.load(model)
        own = getattr(nlp.tokenizer, "delimiter", None)
        if delimiter is not None and own is not None and delimiter != own:
            raise ValueError(f"--delimiter {delimiter!r}: the tokenizer of {model} reads {own!r}")
    else:
        nlp = rule_pipeline(split_tokens=split_tokens, char=char, delimiter=delimiter or "/")
    if max_length:
        nlp.max_length = max_length
    return nlp


def pipeline_records(
    nlp: Language, paths: List[Path], group_by: str, delimiter: Optional[str], desc: str, tagged: bool = False
) -> Iterator[Record]:
    """The records of a corpus as every command reads them: the pipeline's delimiter and labels,
    lines that gold holds read once, documents within nlp.max_length, progress on a terminal."""
    if delimiter is None:
        delimiter = nlp.tokenizer.delimiter if isinstance(nlp.tokenizer, PresegTokenizer) else "/"
    files = input_files(paths)
    records = read_records(files, group_by, delimiter, labels=entity_labels(nlp), tagged=tagged)
    return check_length(corpus_progress(records, files, desc), nlp.max_length)


ENGINE_HELP = "local (this machine, --n-process processes) or dask (a Dask cluster: pip install \"spacy-preseg[dask]\")"
SCHEDULER_HELP = "Address of a running Dask scheduler (tcp://HOST:8786); without it a local cluster"
WORKERS_HELP = "Worker processes of the local Dask cluster (default: one per core)"
BLOCK_HELP = "Megabytes of input per partition (the unit of work of the processes and Dask tasks)"
URL_INPUTS_HELP = INPUTS_HELP + "; fsspec URLs too with --engine dask"


@app.command("convert")
def convert_cli(
    # fmt: off
    inputs: List[str] = typer.Argument(..., help=URL_INPUTS_HELP),
    output_dir: str = typer.Argument(..., help="Folder for the .spacy files and their manifest (an fsspec URL too)"),
    group_by: str = typer.Option("line", "--group-by", "-g", help=GROUP_BY_HELP),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", "-d", help=DELIMITER_HELP),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to use instead of the rule pipeline"),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Processes of the local engine"),
    shard_size: int = typer.Option(10000, "--shard-size", help="At most this many documents per .spacy file"),
    max_length: Optional[int] = typer.Option(None, "--max-length", help=MAX_LENGTH_HELP),
    block_size: float = typer.Option(1.0, "--block-size", help=BLOCK_HELP),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
    tagged: bool = typer.Option(False, "--tagged", help=TAGGED_HELP + "; the tags are kept, the entities come from them"),
    # fmt: on
) -> None:
    """Convert a corpus to DocBin (.spacy) files for `spacy train` and `spacy evaluate`.

    Gold .jsonl keeps its spans; .txt lines get silver entities from
    preseg_entities. The corpus's words are kept (split only where an entity
    edge falls inside a word). The files are listed, in input order, in
    _manifest.json, written last: a folder without it is not complete.
    """
    with reported_errors():
        written = convert(
            inputs,
            output_dir,
            group_by=group_by,
            delimiter=delimiter,
            model=model,
            n_process=n_process,
            shard_size=shard_size,
            max_length=max_length,
            block_size=_megabytes(block_size),
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            progress=sys.stderr.isatty(),
            tagged=tagged,
        )
    names = ", ".join(file_name(p) for p in written[:3]) + (", …" if len(written) > 3 else "")
    typer.echo(f"Wrote {len(written)} file(s) to {output_dir}: {names}", err=True)


def _megabytes(size: float) -> int:
    if size <= 0:
        raise typer.BadParameter(f"--block-size must be positive, got {size}")
    return max(1, int(size * (1 << 20)))


@app.command("annotate")
def annotate_cli(
    # fmt: off
    inputs: List[str] = typer.Argument(..., help=URL_INPUTS_HELP),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="JSONL file to write (default: stdout; an fsspec URL too); with --engine dask, a folder of parts"),
    output_format: str = typer.Option("preseg", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}"),
    group_by: str = typer.Option("line", "--group-by", "-g", help=GROUP_BY_HELP),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", "-d", help=DELIMITER_HELP),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to use instead of the rule pipeline"),
    split_tokens: bool = typer.Option(False, "--split-tokens", help="Split tokens that hold several entities (中俄)"),
    max_length: Optional[int] = typer.Option(None, "--max-length", help=MAX_LENGTH_HELP),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Processes of the local engine"),
    block_size: float = typer.Option(1.0, "--block-size", help=BLOCK_HELP),
    engine: str = typer.Option("local", "--engine", help=ENGINE_HELP),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
    tagged: bool = typer.Option(False, "--tagged", help=TAGGED_HELP),
    # fmt: on
) -> None:
    """Print the entities of a corpus as JSONL (UTF-8): a line per document, in input order.

    preseg: file, line, text and entities (start, end, label, id, text, and
    source_start/source_end: offsets into the source line with its
    delimiters), plus subtoken_entities: entities inside a token. gold,
    prodigy (ner.manual tasks) and doccano write silver annotation to correct
    by hand; convert and the corpus reader read those files back as gold.
    """
    with reported_errors():
        docs, labels = annotate(
            inputs,
            output,
            output_format=output_format,
            group_by=group_by,
            delimiter=delimiter,
            model=model,
            split_tokens=split_tokens,
            max_length=max_length,
            n_process=n_process,
            block_size=_megabytes(block_size),
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            tagged=tagged,
            progress=output is not None and sys.stderr.isatty(),
        )
    summary = ", ".join(f"{label} {n}" for label, n in sorted(labels.items()))
    typer.echo(f"{docs} documents, {sum(labels.values())} entities ({summary})", err=True)


@app.command("render")
def render_cli(
    # fmt: off
    inputs: List[Path] = typer.Argument(..., help=INPUTS_HELP),
    output: Path = typer.Argument(..., help="HTML file to write"),
    group_by: str = typer.Option("paragraph", "--group-by", "-g", help=GROUP_BY_HELP),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", "-d", help=DELIMITER_HELP),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to use instead of the rule pipeline"),
    limit: int = typer.Option(0, "--limit", help="Render at most this many documents (0: all)"),
    max_length: Optional[int] = typer.Option(None, "--max-length", help=MAX_LENGTH_HELP),
    tagged: bool = typer.Option(False, "--tagged", help=TAGGED_HELP),
    # fmt: on
) -> None:
    """Render the entities of a corpus as an HTML page (displaCy), with a legend.

    Entities inside a corpus token (doc._.subtoken_ents) are drawn striped.
    The page needs Chinese fonts on the machine that shows it.
    """
    with reported_errors():
        nlp = load_pipeline(model, delimiter=delimiter, max_length=max_length)
        records = pipeline_records(nlp, inputs, group_by, delimiter, "rendering", tagged)
        docs = [(process_record(nlp, r), r.where) for r in islice(records, limit or None)]
        if not docs:
            raise CorpusError(f"{', '.join(map(str, inputs))}: no documents to render")
        html = render_page(docs, sorted(entity_labels(nlp) or ()))
        with atomic_text_file(output) as out:
            out.write(html)
    typer.echo(f"Rendered {len(docs)} documents to {output}", err=True)


@app.command("score")
def score_cli(
    # fmt: off
    gold: List[Path] = typer.Argument(..., help="Gold .jsonl files or folders (the package's format, Prodigy's or doccano's)"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to score instead of the rule pipeline"),
    char: bool = typer.Option(False, "--char", help="Rule pipeline behind spaCy's own 'char' tokenizer, on the text without delimiters"),
    split_tokens: bool = typer.Option(False, "--split-tokens", help="Rule pipeline with split_tokens = true"),
    gold_preproc: bool = typer.Option(False, "--gold-preproc", help="Predict on the gold words, as `spacy evaluate --gold-preproc`"),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", "-d", help=DELIMITER_HELP),
    max_length: Optional[int] = typer.Option(None, "--max-length", help=MAX_LENGTH_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the scores as JSON"),
    # fmt: on
) -> None:
    """Score doc.ents against gold spans: strict (exact span and label), micro and per label."""
    with reported_errors():
        nlp = load_pipeline(model, split_tokens, char, delimiter, max_length)
        counted = Counter()

        def gold_records() -> Iterator[Record]:
            for record in pipeline_records(nlp, gold, "line", delimiter, "scoring"):
                if record.spans is not None:
                    counted["gold"] += 1
                    yield record

        scores = score(nlp, gold_records(), gold_preproc)
        if not counted["gold"]:
            raise CorpusError(f"{', '.join(map(str, gold))}: no gold records (.jsonl with spans)")
        if output:
            with atomic_text_file(output) as out:
                out.write(srsly.json_dumps(scores, indent=2) + "\n")
        typer.echo(f"{'':<10}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}")
        rows = [("micro", scores["micro"]), *scores["per_label"].items()]
        for name, s in rows:
            typer.echo(f"{name:<10}{s['p']:>8.1%}{s['r']:>8.1%}{s['f']:>8.1%}{s['tp'] + s['fn']:>7}")


@app.command("split")
def split_cli(
    # fmt: off
    inputs: List[Path] = typer.Argument(..., help=INPUTS_HELP),
    output_dir: Path = typer.Argument(..., help="Folder for train, dev and test .jsonl (gold) and .txt (other lines)"),
    dev_share: float = typer.Option(0.1, "--dev-share", help="Share of the lines for development (model selection)"),
    test_share: float = typer.Option(0.1, "--test-share", help="Share of the lines held out for the final evaluation"),
    seed: int = typer.Option(0, "--seed", help="Seed of the split"),
    delimiter: str = typer.Option("/", "--delimiter", "-d", help="Word delimiter of the corpus"),
    # fmt: on
) -> None:
    """Split a corpus by line into train, dev and test parts that share no line.

    A line's part follows from a hash of its text and the seed, so identical
    lines stay together and the split streams; shares hold on average.
    """
    from .splitting import split_corpus

    with reported_errors():
        counts = split_corpus(inputs, output_dir, dev_share=dev_share, test_share=test_share, seed=seed, delimiter=delimiter)
    typer.echo(f"Split into {output_dir}: " + ", ".join(f"{part} {n} lines" for part, n in counts.items()), err=True)


@app.command("train-segmenter")
def train_segmenter_cli(
    # fmt: off
    corpus: List[Path] = typer.Argument(..., help="Slash-segmented corpus files (UTF-8, a sentence a line)"),
    output_dir: Path = typer.Argument(..., help="Directory to write the pkuseg model to (replaces an earlier model)"),
    dev_share: float = typer.Option(0.1, "--dev-share", help="Share of the sentences held out for scoring (0 trains on all)"),
    iterations: int = typer.Option(20, "--iterations", "-n", help="Training iterations over the corpus"),
    seed: int = typer.Option(0, "--seed", help="Seed for the held-out split and pkuseg's shuffling"),
    user_dict: bool = typer.Option(True, "--user-dict/--no-user-dict", help="Keep the entity gazetteer's names whole with a user dictionary"),
    delimiter: str = typer.Option("/", "--delimiter", "-d", help="Word delimiter of the corpus"),
    max_sentences: int = typer.Option(0, "--max-sentences", help="Train on a sample of this many sentences for a quick model (0: all)"),
    tagged: bool = typer.Option(False, "--tagged", help=TAGGED_HELP),
    # fmt: on
) -> None:
    """Train a pkuseg segmenter on a segmented corpus, for text that arrives unsegmented.

    Progress and the time left go to stderr, within each iteration too. Prints
    the held-out word-boundary precision, recall and F1 next to "char" (one
    character a word). Use the model with segmenter = "pkuseg" and
    pkuseg_model = OUTPUT_DIR under initialize.tokenizer, as in configs/segmenter.cfg.
    """
    from .segmenter_training import train_segmenter

    with reported_errors():
        scores = train_segmenter(
            corpus,
            output_dir,
            dev_share=dev_share,
            iterations=iterations,
            seed=seed,
            user_dict=user_dict,
            delimiter=delimiter,
            max_sentences=max_sentences,
            progress=lambda message: typer.echo(message, err=True),
            tagged=tagged,
        )
    if scores:
        typer.echo(f"{'held-out':<10}{'P':>8}{'R':>8}{'F1':>8}")
        for name, (p, r, f) in scores.items():
            typer.echo(f"{name:<10}{p:>8.1%}{r:>8.1%}{f:>8.1%}")
