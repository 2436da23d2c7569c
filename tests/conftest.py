"""Fixtures every test module can use: tiny MarianMT models, the shared data, isolated user dirs.

Model fixtures are session-scoped and shared. zhen itself may add the `.ct2-int8` copies it
converts on first use to `memorised_store` (deterministic, so harmless); for anything else, copy the
folder (`shutil.copytree`) and change the copy.
"""

from __future__ import annotations

import os

# torch and ctranslate2 share the test process; busy-waiting OpenMP threads would slow both down.
# Set before anything imports torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from pathlib import Path

import pytest

from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS, build_tiny_model, train_memorised_model
from translator.languages import MODELS

REPO_ROOT = Path(__file__).resolve().parents[1]
FLORES = ("data", "flores")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send platformdirs (cache, history, user glossary, config) to temporary folders, and forget
    a `ZHEN_MODELS_DIR` from the developer's shell: tests pass `models_dir` explicitly.

    A separate folder rather than `tmp_path`, so tests that list their `tmp_path` see only
    what they made.
    """
    root = tmp_path_factory.mktemp("user-dirs")
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(variable, str(root / variable.lower()))
    monkeypatch.delenv("ZHEN_MODELS_DIR", raising=False)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight tiny zh->en model folder (never stops by itself: cap the output length)."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / MODELS[("zh", "en")].name)


@pytest.fixture(scope="session")
def memorised_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model store whose zh->en model knows ZH_EN_PAIRS and whose en->zh model knows
    EN_ZH_PAIRS (behind `>>cmn_Hans<<`), both exactly, on transformers and CTranslate2."""
    store = tmp_path_factory.mktemp("memorised-store")
    zh_en, en_zh = MODELS[("zh", "en")], MODELS[("en", "zh")]
    train_memorised_model(store / zh_en.name, ZH_EN_PAIRS, source_lang="zho", target_lang="eng")
    train_memorised_model(
        store / en_zh.name,
        EN_ZH_PAIRS,
        target_token=en_zh.target_token("Hans"),
        source_lang="eng",
        target_lang="zho",
    )
    return store


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` next to the repository (real tokenizer, FLORES); absent on a fresh clone."""
    shared = REPO_ROOT.parent / "shared"
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent")
    return shared


@pytest.fixture(scope="session")
def real_tokenizer_dir(shared_dir: Path) -> Path:
    """The real opus-mt-zh-en tokenizer and config (no weights)."""
    return _present(shared_dir / "opus-mt-zh-en")


@pytest.fixture(scope="session")
def flores_zh(shared_dir: Path) -> list[str]:
    """The 997 Chinese lines of FLORES-101 dev."""
    return _lines(_present(shared_dir.joinpath(*FLORES, "zh-en.flores-dev.zh")))


@pytest.fixture(scope="session")
def flores_en(shared_dir: Path) -> list[str]:
    """The 997 English lines of FLORES-101 dev, aligned with `flores_zh`."""
    return _lines(_present(shared_dir.joinpath(*FLORES, "zh-en.flores-dev.en")))


def _present(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()
