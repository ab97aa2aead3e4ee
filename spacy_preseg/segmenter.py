"""Loading a pkuseg model for text that arrives unsegmented, and cutting text with it fast.

A model directory, as ``python -m spacy_preseg train-segmenter`` writes it
(spacy_preseg.segmenter_training), holds pkuseg's files (features.msgpack,
weights.npz) and user_dict.txt, the dictionary the model ships with: names
that must stay whole, one a line, as pkuseg reads user dictionaries. The file
is always written, empty when there are no names, and marks the directory as
corpus-trained.

Dictionaries: spaCy's default ``pkuseg_user_dict = "default"`` makes pkuseg
add its general-domain dictionary (dicts/default.pkl, 390,000 words): its
merges follow another corpus's conventions, and spaCy stores all of its words
in every pipeline (about 4 MB). A corpus-trained model therefore goes without
it and uses its own user_dict.txt instead; :func:`load_segmenter` loads a
model that way. spaCy's own ChineseTokenizer can still load the directory
(``initialize(pkuseg_model=DIR)``), with the general dictionary, or with
``pkuseg_user_dict=DIR/user_dict.txt`` for the names plus the general
dictionary.

Speed: :class:`PkusegSegmenter` is spacy-pkuseg's segmenter with the
features of each character found by spacy_preseg.pkuseg_features, the same
features and so the same words, several times faster; spaCy keeps using it as
a pkuseg segmenter (``cut``, serialization).
"""

import zipfile
from pathlib import Path
from typing import List, Optional, Union

import spacy_pkuseg
from spacy_pkuseg import inference
from spacy_pkuseg.config import config as pkuseg_config

from .pkuseg_features import feature_tables, node_features

USER_DICT_FILE = "user_dict.txt"
PKUSEG_MODEL_FILES = ("features.msgpack", "weights.npz")
MODEL_FILES = PKUSEG_MODEL_FILES + (USER_DICT_FILE,)
PKUSEG_MODEL_HINT = (
    "Train one from a segmented corpus with `python -m spacy_preseg train-segmenter "
    "CORPUS DIR`, then pass DIR as pkuseg_model (nlp.tokenizer.initialize(pkuseg_model=DIR) "
    "or [initialize.tokenizer] pkuseg_model in a config)."
)

PathLike = Union[str, Path]


class PkusegSegmenter(spacy_pkuseg.pkuseg):
    """A spacy-pkuseg segmenter whose features come from spacy_preseg.pkuseg_features.

    Built from the parts of a loaded model (pkuseg's own constructor reads
    them from disk): ``cut`` and everything else are pkuseg's, only the
    per-character feature look-up of ``_cut`` is replaced.
    """

    def __init__(
        self,
        feature_extractor: "spacy_pkuseg.FeatureExtractor",
        model: "spacy_pkuseg.Model",
        preprocesser: "spacy_pkuseg.Preprocesser",
        postprocesser: "spacy_pkuseg.Postprocesser",
    ) -> None:
        self.postag = False
        self.feature_extractor = feature_extractor
        self.model = model
        self.preprocesser = preprocesser
        self.postprocesser = postprocesser
        self.idx_to_tag = {idx: tag for tag, idx in feature_extractor.tag_to_idx.items()}
        self.n_feature = len(feature_extractor.feature_to_idx)
        self.n_tag = len(feature_extractor.tag_to_idx)
        self._starts_word = [("B" in self.idx_to_tag[i]) for i in range(self.n_tag)]
        self._units, self._pairs = feature_tables(feature_extractor.feature_to_idx)

    @classmethod
    def of(cls, segmenter: "spacy_pkuseg.pkuseg") -> "PkusegSegmenter":
        """The same model, dictionaries and settings as a loaded pkuseg segmenter."""
        if isinstance(segmenter, cls):
            return segmenter
        return cls(
            segmenter.feature_extractor, segmenter.model, segmenter.preprocesser, segmenter.postprocesser
        )

    def features(self, text: str) -> List[List[int]]:
        """The model's feature ids at each character of text."""
        extractor = self.feature_extractor
        return node_features(
            list(extractor.normalize_text(text)),
            self._units,
            self._pairs,
            extractor.feature_to_idx,
            extractor.unigram,
            pkuseg_config.wordMin,
            pkuseg_config.wordMax,
            pkuseg_config.wordFeature,
        )

    def _cut(self, text: str) -> List[str]:
        if not text:
            return []
        _, tags = inference.decodeViterbi_fast(self.features(text), self.model)
        words: List[str] = []
        start = 0
        for i in range(1, len(text)):
            if self._starts_word[tags[i]]:
                words.append(text[start:i])
                start = i
        words.append(text[start:])
        return words


def check_pkuseg_model(model_dir: Optional[PathLike]) -> Path:
    """Fail early, and say what to do, when a pkuseg model directory is unusable."""
    hint = PKUSEG_MODEL_HINT
    if model_dir is None:
        raise ValueError(
            "segmenter = 'pkuseg' needs a pkuseg model; pretrained models are "
            f"not downloaded. {hint}"
        )
    path = Path(model_dir)
    if not path.is_dir():
        raise FileNotFoundError(f"No pkuseg model directory at {path}. {hint}")
    missing = [name for name in PKUSEG_MODEL_FILES if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{path} is not a pkuseg model directory: {', '.join(missing)} missing. {hint}"
        )
    return path


def load_segmenter(model_dir: PathLike, user_dict: Optional[PathLike] = "default") -> PkusegSegmenter:
    """Load a pkuseg model directory with the right dictionary.

    user_dict "default" takes the dictionary the model ships with: its
    user_dict.txt if it has one, else (any other pkuseg model) pkuseg's
    general dictionary, as spaCy does. None means no dictionary, a path that
    file alone.
    """
    model_dir = check_pkuseg_model(model_dir)
    if user_dict == "default":
        own = model_dir / USER_DICT_FILE
        if not own.is_file():
            return PkusegSegmenter.of(_load_pkuseg(model_dir, "default"))
        user_dict = own
    segmenter = _load_pkuseg(model_dir, None)
    if user_dict is not None:
        if not Path(user_dict).is_file():
            raise FileNotFoundError(f"{user_dict}: no such pkuseg user dictionary")
        segmenter.preprocesser = spacy_pkuseg.Preprocesser(str(user_dict))
    # pkuseg leaves out the word sets when it has no general dictionary, but
    # spaCy's ChineseTokenizer serializes them: empty sets, switched off.
    segmenter.postprocesser = spacy_pkuseg.Postprocesser(None, [])
    segmenter.postprocesser.do_process = False
    return PkusegSegmenter.of(segmenter)


def _load_pkuseg(model_dir: Path, user_dict: Optional[str]) -> "spacy_pkuseg.pkuseg":
    try:
        return spacy_pkuseg.pkuseg(str(model_dir), user_dict=user_dict)
    except (OSError, ValueError, KeyError, EOFError, AssertionError, zipfile.BadZipFile) as err:
        raise ValueError(
            f"Could not load the pkuseg model in {model_dir}: {str(err) or type(err).__name__}. "
            "Train a new one with `python -m spacy_preseg train-segmenter CORPUS DIR`"
        ) from err
