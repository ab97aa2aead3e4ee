"""Progress of a command over a corpus, on a terminal only: lines done of the total, and the time left.

The total is counted first (the line breaks of every input file, read at
disk speed), so that tqdm can show an ETA; records are followed by the line
they start on.
"""

import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Optional, Sequence, TypeVar

T = TypeVar("T")


def count_lines(path: Path) -> int:
    """The lines of a file, a last line without a line break included."""
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def corpus_progress(
    records: Iterable[T], files: Sequence[Path], desc: str, enabled: Optional[bool] = None
) -> Iterator[T]:
    """records (with .path and .line) as they are read, with a progress bar on stderr when it is a terminal."""
    if not (sys.stderr.isatty() if enabled is None else enabled):
        yield from records
        return
    from tqdm import tqdm

    offsets: Dict[Any, int] = {}
    total = 0
    for file in files:
        offsets[file] = total
        total += count_lines(file)
    with tqdm(total=total, unit=" lines", unit_scale=True, desc=desc, file=sys.stderr, dynamic_ncols=True) as bar:
        for record in records:
            done = offsets.get(record.path, 0) + record.line  # type: ignore[attr-defined]
            if done > bar.n:
                bar.update(done - bar.n)
            yield record
        bar.update(bar.total - bar.n)
