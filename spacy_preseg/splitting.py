"""Splitting a corpus into training, development and test parts by line, without leaks.

A line's part is decided by a hash of its text and the seed, not by its
position: the split streams in constant memory, is the same for the same
lines whatever their order, and identical lines always land in the same part,
so no held-out line is also trained on. Shares are therefore met on average,
not exactly (a part of 10 expected lines may get 7 or 13).

Each part is written as PART.jsonl (gold records, in the package's gold
format with the file and line they came from) and PART.txt (lines without
gold, as written), both always present, empty when the corpus has no lines
of that kind; the folder is published with a manifest written last
(:mod:`spacy_preseg.shards`).
"""

import hashlib
import shutil
from pathlib import Path
from typing import Dict, Sequence, Union

from .corpus import CorpusError, Record, input_files, read_records
from .progress import corpus_progress
from .shards import partial_folder, publish, shard_file
from .textfiles import json_line

PARTS = ("train", "dev", "test")
PathLike = Union[str, Path]


def part_of(text: str, dev_share: float, test_share: float, seed: int = 0) -> str:
    """The part of a line's text: "test" below test_share, then "dev", else "train"."""
    digest = hashlib.blake2b(f"{seed}\0{text}".encode("utf8"), digest_size=8).digest()
    position = int.from_bytes(digest, "big") / 2**64
    if position < test_share:
        return "test"
    if position < test_share + dev_share:
        return "dev"
    return "train"


def gold_record(record: Record) -> Dict[str, object]:
    row: Dict[str, object] = {"file": str(record.path), "line": record.line}
    if record.segmented:
        row["source"] = record.source
    row["text"] = record.text
    row["spans"] = [{"start": s, "end": e, "label": label, "text": record.text[s:e]} for s, e, label in record.spans or []]
    return row


def split_corpus(
    inputs: Sequence[PathLike],
    output_dir: PathLike,
    *,
    dev_share: float = 0.1,
    test_share: float = 0.1,
    seed: int = 0,
    delimiter: str = "/",
) -> Dict[str, int]:
    """Write the lines of inputs into train/dev/test files in output_dir; returns the lines of each part."""
    if dev_share < 0 or test_share < 0 or dev_share + test_share >= 1:
        raise ValueError(f"--dev-share and --test-share must be at least 0 and add up to less than 1, got {dev_share} and {test_share}")
    output_dir = Path(output_dir)
    partial = partial_folder(output_dir)
    try:
        names = [f"{part}{suffix}" for part in PARTS for suffix in (".jsonl", ".txt")]
        handles = {name: (partial / name).open("w", encoding="utf8") for name in names}
        counts = dict.fromkeys(names, 0)
        try:
            files = input_files(inputs)
            for record in corpus_progress(read_records(files, "line", delimiter), files, "splitting"):
                part = part_of(record.text.strip(), dev_share, test_share, seed)
                if record.spans is not None:
                    name = f"{part}.jsonl"
                    handles[name].write(json_line(gold_record(record)))
                else:
                    name = f"{part}.txt"
                    handles[name].write(record.source + "\n")
                counts[name] += 1
        finally:
            for handle in handles.values():
                handle.close()
        per_part = {part: counts[f"{part}.jsonl"] + counts[f"{part}.txt"] for part in PARTS}
        if not sum(per_part.values()):
            raise CorpusError(f"{', '.join(map(str, inputs))}: no lines to split")
        shares = {"dev": dev_share, "test": test_share}
        for part, share in shares.items():
            if share and not per_part[part]:
                raise CorpusError(f"no line fell into the {part} part: give more lines or a larger --{part}-share")
        publish([shard_file(partial / name, counts[name]) for name in names], output_dir, names,
                {"input": [str(p) for p in inputs], "dev_share": dev_share, "test_share": test_share, "seed": seed})
        return per_part
    finally:
        shutil.rmtree(partial, ignore_errors=True)
