"""Reading text and JSONL files line by line, with errors that name the file and line."""

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Tuple, Type, Union

import srsly

from .segments import BOM


class CorpusError(ValueError):
    """Bad corpus input; the message starts with file:line."""


def read_lines(path: Path, error: Type[ValueError]) -> Iterator[Tuple[int, str]]:
    """(line number, line without its line break), decoding line by line so errors have a line."""
    with path.open("rb") as f:
        yield from decode_lines(path, f, error)


def decode_lines(
    path: Union[Path, str], raw_lines: Iterable[bytes], error: Type[ValueError], first_line: int = 1
) -> Iterator[Tuple[int, str]]:
    """read_lines() for raw lines of a file (all of them, or a part that starts at first_line)."""
    for line_no, raw in enumerate(raw_lines, start=first_line):
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
    return parse_jsonl(path, read_lines(path, error), error)


def parse_jsonl(
    path: Union[Path, str], lines: Iterable[Tuple[int, str]], error: Type[ValueError]
) -> Iterator[Tuple[int, Any]]:
    """read_jsonl() for lines already read, as (line number, line)."""
    for line_no, line in lines:
        if not line.strip():
            continue
        try:
            obj = srsly.json_loads(line)
        except ValueError as err:
            raise error(f"{path}:{line_no}: not valid JSON ({err})") from None
        yield line_no, obj


# One encoder for every line: json.dumps with settings of its own makes a new one each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_line(obj: Any) -> str:
    """One line of JSONL, with the text as UTF-8 characters (srsly writes \\uXXXX escapes)."""
    return _ENCODER.encode(obj) + "\n"
