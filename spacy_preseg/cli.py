"""Command line: python -m spacy_preseg COMMAND. One command per job, spaCy-style."""

from pathlib import Path
from typing import List

import typer

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


@app.command("train-segmenter")
def train_segmenter_cli(
    # fmt: off
    corpus: List[Path] = typer.Argument(..., help="Slash-segmented corpus files (UTF-8, a sentence a line)"),
    output_dir: Path = typer.Argument(..., help="Directory to write the pkuseg model to (replaces an earlier model)"),
    dev_share: float = typer.Option(0.1, "--dev-share", help="Share of the sentences held out for scoring (0 trains on all)"),
    iterations: int = typer.Option(20, "--iterations", "-n", help="Training iterations over the corpus"),
    seed: int = typer.Option(0, "--seed", help="Seed for the held-out split and pkuseg's shuffling"),
    user_dict: bool = typer.Option(True, "--user-dict/--no-user-dict", help="Keep the entity gazetteer's names whole with a user dictionary"),
    # fmt: on
) -> None:
    """Train a pkuseg segmenter on a segmented corpus, for text that arrives unsegmented.

    Prints the held-out word-boundary precision, recall and F1 next to "char"
    (one character a word). Use the model with segmenter = "pkuseg" and
    [initialize.tokenizer] pkuseg_model = OUTPUT_DIR, as in configs/segmenter.cfg.
    """
    from .segmenter import train_segmenter

    try:
        scores = train_segmenter(
            corpus,
            output_dir,
            dev_share=dev_share,
            iterations=iterations,
            seed=seed,
            user_dict=user_dict,
            progress=lambda message: typer.echo(message, err=True),
        )
    except (OSError, ValueError) as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1)
    if scores:
        typer.echo(f"{'held-out':<10}{'P':>8}{'R':>8}{'F1':>8}")
        for name, (p, r, f) in scores.items():
            typer.echo(f"{name:<10}{p:>8.1%}{r:>8.1%}{f:>8.1%}")
