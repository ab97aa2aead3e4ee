"""Reading text and JSONL files line by line, with errors that name the file and line."""

import json
from pathlib import Path
from typing import Any, Iterator, Tuple, Type

import srsly

from .segments import BOM


class CorpusError(ValueError):
    """Bad corpus input; the message starts with file:line."""


def read_lines(path: Path, error: Type[ValueError]) -> Iterator[Tuple[int, str]]:
    """(line number, line without its line break), decoding line by line so errors have a line."""
    with path.open("rb") as f:
        for line_no, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf8")
            except UnicodeDecodeError as err:
                raise error(
                    f"{path}:{line_no}: not UTF-8 text ({err.reason} at byte {err.start} of the line)"
                ) from None
            if line_no == 1:
                line = line.lstrip(BOM)
            yield line_no, line.rstrip("\r\n")


def read_jsonl(path: Path, error: Type[ValueError]) -> Iterator[Tuple[int, Any]]:
    """(line number, object) for every non-empty line of a JSONL file."""
    for line_no, line in read_lines(path, error):
        if not line.strip():
            continue
        try:
            obj = srsly.json_loads(line)
        except ValueError as err:
            raise error(f"{path}:{line_no}: not valid JSON ({err})") from None
        yield line_no, obj


def json_line(obj: Any) -> str:
    """One line of JSONL, with the text as UTF-8 characters (srsly writes \\uXXXX escapes)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
