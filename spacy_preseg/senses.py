"""Names that are also ordinary words: does this occurrence name a mission or an organization?

北斗 is the navigation system and the Big Dipper, 风云 a satellite series and
"the situation", 嫦娥 a lunar programme and the moon goddess, 伽利略 a
navigation system and the astronomer. Which names have another sense is
data (gazetteer flags): ``ordinary_sense`` where the space sense is the usual
one in news (北斗, 风云, 嫦娥), ``ambiguous`` where the other sense is as
usual (伽利略, 猎户座, 阿波罗). What counts as context is data too (rule
words of the kinds ``space_context``, ``ordinary_context`` and
``sense_tail``). A window of tokens around the name decides, in this order:

1. a word right after the name that only a mission or system takes (北斗/系统,
   风云/卫星, 嫦娥/工程) makes it a mention;
2. else a word of the ordinary sense in the window (奔月, 传说, 七星, 变幻,
   天文学家, 古寺) makes it none;
3. else an ``ordinary_sense`` name is a mention, and an ``ambiguous`` one only
   where a word of the space field is in the window (发射, 卫星, 轨道, 航天).
"""

import re
from bisect import bisect_left
from typing import Iterable, Sequence

WINDOW = 8  # tokens on each side of the name


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, the longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class SenseContext:
    """Decides from the tokens around it whether an ambiguous name is a mention."""

    def __init__(
        self,
        space_words: Iterable[str],
        ordinary_words: Iterable[str],
        tails: Iterable[str],
        window: int = WINDOW,
    ) -> None:
        self._space = re.compile(alternation(space_words) or "(?!)")
        self._ordinary = re.compile(alternation(ordinary_words) or "(?!)")
        self._tail = re.compile(alternation(tails) or "(?!)")
        self.window = window

    def is_mention(self, text: str, edges: Sequence[int], start: int, end: int, needs_space: bool) -> bool:
        """True when text[start:end] names the mission or organization here.

        edges are the sorted character offsets of all token edges;
        needs_space asks for a word of the space field in the window.
        """
        if self._tail.match(text, end):
            return True
        first = bisect_left(edges, start)
        last = bisect_left(edges, end)
        low = edges[max(0, first - self.window)] if edges else 0
        high = edges[min(len(edges) - 1, last + self.window)] if edges else len(text)
        if self._ordinary.search(text, low, start) or self._ordinary.search(text, end, high):
            return False
        if not needs_space:
            return True
        return bool(self._space.search(text, low, start) or self._space.search(text, end, high))
