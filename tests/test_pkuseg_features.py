import spacy_pkuseg
from spacy_pkuseg.config import config as pkuseg_config

from spacy_preseg.pkuseg_features import feature_tables, node_features


TEXTS = ["中国与欧洲空间局开展了工程技术合作", "2024年5月3日，嫦娥六号在文昌发射。", "ＡＢＣ卫星/载荷-1*的数据：3.5km/s", "号", "合作合作合作"]


def pkusegs_features(extractor, text):
    nodes = list(extractor.normalize_text(text))
    return [extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]


def our_features(extractor, text):
    units, pairs = feature_tables(extractor.feature_to_idx)
    return node_features(
        list(extractor.normalize_text(text)), units, pairs, extractor.feature_to_idx, extractor.unigram,
        pkuseg_config.wordMin, pkuseg_config.wordMax, pkuseg_config.wordFeature,
    )


def test_same_ids_in_the_same_order_as_pkuseg(trained_segmenter, seed_lines):
    extractor = spacy_pkuseg.pkuseg(str(trained_segmenter[0]), user_dict=None).feature_extractor
    texts = TEXTS + [line.replace("/", "") for line in seed_lines if line.strip()]
    for text in texts:
        assert our_features(extractor, text) == pkusegs_features(extractor, text), text


def test_tables_of_the_character_and_pair_templates():
    ids = {"$$": 0, "c.中": 1, "c-1.中": 2, "c2.国": 3, "c-1c.中.国": 4, "c-2c-1.中.国": 5, "w1.中国": 6, "ww.l.中国*合作": 7}
    units, pairs = feature_tables(ids)
    assert units == {"中": [1, 2, -1, -1, -1], "国": [-1, -1, -1, -1, 3]}
    assert pairs == {"中.国": [4, -1, 5]}


def test_word_features_of_the_training_words():
    """Words of the corpus (2-6 characters) that start, end or meet at a character."""
    ids = {"$$": 0, "w1.中国": 1, "w-1.中国": 2, "ww.l.中国*合作": 3, "ww.r.中国*合作": 4, "w1.合作": 5}
    units, pairs = feature_tables(ids)
    words = {"中国", "合作"}
    nodes = list("中国合作")
    assert node_features(nodes, units, pairs, ids, words) == [[0, 1], [0, 2, 4], [0, 5, 3], [0]]
    assert node_features(nodes, units, pairs, ids, words, word_features=False) == [[0], [0], [0], [0]]
    # A normalized node ("**Num" for 1) is in no word, as in pkuseg.
    assert node_features(["中", "**Num"], units, pairs, {"w1.中1": 9}, {"中1"}) == [[0], [0]]
    assert node_features([], units, pairs, ids, words) == []
