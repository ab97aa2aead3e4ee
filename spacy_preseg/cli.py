"""Command line: python -m spacy_preseg COMMAND. One command per job, spaCy-style."""

import os
import sys
from collections import Counter
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, TextIO, Tuple

import spacy
import srsly
import typer
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from .convert import convert
from .corpus import CorpusError, Record, process_record, read_records
from .entities import rule_pipeline
from .scoring import score
from .segments import span_in_source
from .tokenizer import doc_source_offsets

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


@contextmanager
def reported_errors() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit code 1."""
    try:
        yield
    except (OSError, ValueError) as err:  # CorpusError and PatternError are ValueErrors
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1)


@contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A text file that appears at path only once it is complete."""
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with partial.open("w", encoding="utf8") as f:
            yield f
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def load_pipeline(model: Optional[Path], split_tokens: bool = False, char: bool = False) -> Language:
    """A saved pipeline, or the rule pipeline (preseg tokenizer + preseg_entities)."""
    if model is not None:
        if split_tokens or char:
            raise ValueError("--split-tokens and --char set up the rule pipeline; they do not apply to --model")
        return spacy.load(model)
    return rule_pipeline(split_tokens=split_tokens, char=char)


def pipeline_records(nlp: Language, path: Path, group_by: str) -> Iterator[Record]:
    """The records of a corpus, read with the delimiter of the pipeline's tokenizer."""
    return read_records(path, group_by, getattr(nlp.tokenizer, "delimiter", "/"))


@app.command("convert")
def convert_cli(
    # fmt: off
    input_path: Path = typer.Argument(..., help="A .txt (slash-segmented) or .jsonl (gold) file, or a folder of them"),
    output_dir: Path = typer.Argument(..., help="Folder for the .spacy files"),
    group_by: str = typer.Option("line", "--group-by", "-g", help=GROUP_BY_HELP),
    delimiter: str = typer.Option("/", "--delimiter", "-d", help="Word delimiter of the .txt files"),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Processes annotating text without gold"),
    shard_size: int = typer.Option(10000, "--shard-size", help="Documents per .spacy file"),
    # fmt: on
) -> None:
    """Convert a corpus to DocBin (.spacy) files for `spacy train` and `spacy evaluate`.

    Gold .jsonl keeps its spans; .txt lines get silver entities from
    preseg_entities. The corpus's words are kept (split only where an entity
    edge falls inside a word).
    """
    with reported_errors():
        written = convert(
            input_path,
            output_dir,
            group_by=group_by,
            delimiter=delimiter,
            n_process=n_process,
            shard_size=shard_size,
            progress=sys.stderr.isatty(),
        )
    typer.echo(f"Wrote {len(written)} file(s) to {output_dir}: {', '.join(p.name for p in written)}", err=True)


def entity_rows(doc: Doc) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """doc.ents and doc._.subtoken_ents with ids and offsets into the source line."""
    offsets = doc_source_offsets(doc)
    text = doc.text

    def row(start: int, end: int, label: str, ent_id: str) -> Dict[str, Any]:
        source_start, source_end = span_in_source(offsets, start, end)
        return {
            "start": start,
            "end": end,
            "label": label,
            "id": ent_id,
            "text": text[start:end],
            "source_start": source_start,
            "source_end": source_end,
        }

    ents = [row(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]
    inside = [row(*entry) for entry in (doc._.subtoken_ents or [])]
    return ents, inside


@app.command("annotate")
def annotate_cli(
    # fmt: off
    input_path: Path = typer.Argument(..., help="A .txt (slash-segmented) or .jsonl file, or a folder of them"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="JSONL file to write (default: stdout)"),
    group_by: str = typer.Option("line", "--group-by", "-g", help=GROUP_BY_HELP),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to use instead of the rule pipeline"),
    split_tokens: bool = typer.Option(False, "--split-tokens", help="Split tokens that hold several entities (中俄)"),
    # fmt: on
) -> None:
    """Print the entities of a corpus as JSONL: a line per document.

    Each line has file, line, text and entities (start, end, label, id,
    text, and source_start/source_end: offsets into the source line with its
    delimiters), plus subtoken_entities: entities inside a token.
    """
    with reported_errors():
        nlp = load_pipeline(model, split_tokens)
        labels: Counter = Counter()
        docs = 0
        with ExitStack() as stack:
            out = stack.enter_context(atomic_output(output)) if output else sys.stdout
            for record in pipeline_records(nlp, input_path, group_by):
                doc = process_record(nlp, record)
                ents, inside = entity_rows(doc)
                labels.update(e["label"] for e in ents)
                docs += 1
                row = {"file": str(record.path), "line": record.line, "text": doc.text,
                       "entities": ents, "subtoken_entities": inside}
                out.write(srsly.json_dumps(row) + "\n")
            if not docs:
                raise CorpusError(f"{input_path}: no documents to annotate")
    summary = ", ".join(f"{label} {n}" for label, n in sorted(labels.items()))
    typer.echo(f"{docs} documents, {sum(labels.values())} entities ({summary})", err=True)


@app.command("render")
def render_cli(
    # fmt: off
    input_path: Path = typer.Argument(..., help="A .txt (slash-segmented) or .jsonl file, or a folder of them"),
    output: Path = typer.Argument(..., help="HTML file to write"),
    group_by: str = typer.Option("paragraph", "--group-by", "-g", help=GROUP_BY_HELP),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to use instead of the rule pipeline"),
    limit: int = typer.Option(0, "--limit", help="Render at most this many documents (0: all)"),
    # fmt: on
) -> None:
    """Render the entities of a corpus as a displaCy HTML page."""
    with reported_errors():
        nlp = load_pipeline(model)
        records = pipeline_records(nlp, input_path, group_by)
        docs = [process_record(nlp, r) for r in islice(records, limit or None)]
        if not docs:
            raise CorpusError(f"{input_path}: no documents to render")
        html = displacy.render(docs, style="ent", page=True, jupyter=False)
        with atomic_output(output) as out:
            out.write(html)
    typer.echo(f"Rendered {len(docs)} documents to {output}", err=True)


@app.command("score")
def score_cli(
    # fmt: off
    gold: Path = typer.Argument(..., help="Gold .jsonl file (or folder), as in seeds/"),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A saved pipeline to score instead of the rule pipeline"),
    char: bool = typer.Option(False, "--char", help="Rule pipeline behind spaCy's own 'char' tokenizer, on the text without delimiters"),
    split_tokens: bool = typer.Option(False, "--split-tokens", help="Rule pipeline with split_tokens = true"),
    gold_preproc: bool = typer.Option(False, "--gold-preproc", help="Predict on the gold words, as `spacy evaluate --gold-preproc`"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the scores as JSON"),
    # fmt: on
) -> None:
    """Score doc.ents against gold spans: strict (exact span and label), micro and per label."""
    with reported_errors():
        nlp = load_pipeline(model, split_tokens, char)
        records = [r for r in pipeline_records(nlp, gold, "line") if r.spans is not None]
        if not records:
            raise CorpusError(f"{gold}: no gold records (.jsonl with spans)")
        scores = score(nlp, records, gold_preproc)
        if output:
            with atomic_output(output) as out:
                out.write(srsly.json_dumps(scores, indent=2) + "\n")
    typer.echo(f"{'':<10}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}")
    rows = [("micro", scores["micro"]), *scores["per_label"].items()]
    for name, s in rows:
        typer.echo(f"{name:<10}{s['p']:>8.1%}{s['r']:>8.1%}{s['f']:>8.1%}{s['tp'] + s['fn']:>7}")


@app.command("train-segmenter")
def train_segmenter_cli(
    # fmt: off
    corpus: List[Path] = typer.Argument(..., help="Slash-segmented corpus files (UTF-8, a sentence a line)"),
    output_dir: Path = typer.Argument(..., help="Directory to write the pkuseg model to (replaces an earlier model)"),
    dev_share: float = typer.Option(0.1, "--dev-share", help="Share of the sentences held out for scoring (0 trains on all)"),
    iterations: int = typer.Option(20, "--iterations", "-n", help="Training iterations over the corpus"),
    seed: int = typer.Option(0, "--seed", help="Seed for the held-out split and pkuseg's shuffling"),
    user_dict: bool = typer.Option(True, "--user-dict/--no-user-dict", help="Keep the entity gazetteer's names whole with a user dictionary"),
    max_sentences: int = typer.Option(0, "--max-sentences", help="Train on a sample of this many sentences for a quick model (0: all)"),
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
            max_sentences=max_sentences,
            progress=lambda message: typer.echo(message, err=True),
        )
    if scores:
        typer.echo(f"{'held-out':<10}{'P':>8}{'R':>8}{'F1':>8}")
        for name, (p, r, f) in scores.items():
            typer.echo(f"{name:<10}{p:>8.1%}{r:>8.1%}{f:>8.1%}")
