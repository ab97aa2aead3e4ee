import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_548318905ead5a0d.txt"
SEED_GOLD = ROOT / "seeds" / "000_548318905ead5a0d.gold.jsonl"
PRESEG = "spacy_preseg.PresegTokenizer.v1"


def blank_preseg(**settings):
    """spacy.blank("zh") with the preseg tokenizer, as a user writes it."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": PRESEG, **settings}}})


def run_python(code: str, *args: str, cwd=None) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter, which has imported nothing of ours."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def run_cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """python -m spacy_preseg ARGS in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "spacy_preseg", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture(scope="session")
def seed_lines():
    return SEED.read_text(encoding="utf8").splitlines()


@pytest.fixture(scope="session")
def seed_gold():
    return [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf8").splitlines()]


@pytest.fixture
def nlp():
    return blank_preseg()


SEGMENTER_NAMES = ["嫦娥六号", "天问一号", "欧洲空间局", "中国", "中", "北斗", "北斗卫星导航系统", "亚太 空间"]
SEGMENTER_ITERATIONS = 5


@pytest.fixture(scope="session")
def trained_segmenter(tmp_path_factory):
    """One small segmenter trained on the seed: (model dir, held-out scores, progress messages)."""
    from spacy_preseg.segmenter_training import train_segmenter

    messages = []
    model_dir = tmp_path_factory.mktemp("segmenter") / "model"
    scores = train_segmenter(
        [SEED], model_dir, iterations=SEGMENTER_ITERATIONS, user_dict=SEGMENTER_NAMES, progress=messages.append
    )
    return model_dir, scores, messages
