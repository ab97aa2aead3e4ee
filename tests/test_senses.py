"""SenseContext: whether a name that has another sense is a mention where it stands."""

import pytest

from spacy_preseg.senses import SenseContext

SENSES = SenseContext(space_words=["卫星", "发射"], ordinary_words=["传说", "七星"], tails=["系统", "工程"], window=3)


def decide(source, name, needs_space):
    tokens = [t for t in source.split("/") if t]
    text = "".join(tokens)
    edges, pos = [0], 0
    for token in tokens:
        pos += len(token)
        edges.append(pos)
    start = text.index(name)
    return SENSES.is_mention(text, edges, start, start + len(name), needs_space)


@pytest.mark.parametrize(
    "source,needs_space,expected",
    [
        ("嫦娥/工程/进展/顺利/", True, True),  # a tail word makes it a mention, whatever else
        ("传说/中/的/嫦娥/工程/", True, True),
        ("关于/嫦娥/的/传说/", False, False),  # a word of the ordinary sense in the window: none
        ("嫦娥/卫星/发射/", True, True),  # a word of the space field: a mention
        ("今天/嫦娥/来/了/", True, False),  # no context at all: none where it needs space context
        ("今天/嫦娥/来/了/", False, True),  # a mention where the space sense is the usual one
    ],
)
def test_the_window_decides(source, needs_space, expected):
    assert decide(source, "嫦娥", needs_space) is expected


def test_the_window_is_bounded():
    far = "发射/" + "很/" * 5 + "嫦娥/来/了/"
    assert decide(far, "嫦娥", True) is False
    near = "发射/很/嫦娥/来/了/"
    assert decide(near, "嫦娥", True) is True


def test_the_rest_of_the_name_s_token_counts_as_context():
    assert decide("看/北斗七星/", "北斗", False) is False
