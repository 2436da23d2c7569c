"""The model store: resolution order, import validation, offline behaviour, status."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from translator import Translator
from translator.errors import ModelBrokenError, ModelNotFoundError, NetworkError, UsageError
from translator.languages import MODELS
from translator.modelfolder import MANIFEST
from translator.store import ModelStore, check_hub_reachable, resolve_models_dir

ZH_EN = MODELS[("zh", "en")]


def copy_model(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHEN_MODELS_DIR", str(tmp_path / "env"))
    assert resolve_models_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_models_dir() == tmp_path / "env"
    monkeypatch.delenv("ZHEN_MODELS_DIR")
    checkout = Path(__file__).resolve().parents[1]
    assert resolve_models_dir() == checkout / "models"


def test_import_validates_copies_and_records_the_source(tmp_path: Path, tiny_model_dir: Path) -> None:
    source = copy_model(tiny_model_dir, tmp_path / "usb" / "opus-mt-zh-en")
    store = ModelStore(tmp_path / "store")
    assert store.import_model(source) == ZH_EN
    installed = store.model_dir(ZH_EN)
    assert (installed / "config.json").is_file()
    assert json.loads((installed / MANIFEST).read_text())["imported_from"] == str(source)
    assert store.has(ZH_EN)
    with pytest.raises(UsageError, match="--force"):
        store.import_model(source)
    store.import_model(source, force=True)
    assert not [p for p in store.root.iterdir() if p.name.startswith(".")], "temporary folders left behind"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: (p / "vocab.json").unlink(), "missing vocab.json"),
        (lambda p: (p / "model.safetensors").unlink(), "no weights"),
        (lambda p: (p / "config.json").write_text('{"model_type": "bert"}'), "not 'marian'"),
        (lambda p: (p / "vocab.json").write_text('{"</s>": 0}'), "vocab.json has 1 entries"),
        (lambda p: (p / "config.json").write_text("{not json"), "unreadable"),
    ],
)
def test_import_refuses_broken_models(tmp_path: Path, tiny_model_dir: Path, damage, message: str) -> None:
    source = copy_model(tiny_model_dir, tmp_path / "opus-mt-zh-en")
    damage(source)
    store = ModelStore(tmp_path / "store")
    with pytest.raises(ModelBrokenError, match=message) as caught:
        store.import_model(source)
    assert str(source) in str(caught.value)
    assert not store.model_dir(ZH_EN).exists()


def test_import_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        ModelStore(tmp_path).import_model(tmp_path / "nope")


def test_missing_model_message_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    translator = Translator(models_dir=tmp_path, cache=False)
    with pytest.raises(ModelNotFoundError) as caught:
        translator.translate("你好")
    message = str(caught.value)
    assert str(tmp_path) in message
    assert "zhen models download zh-en" in message
    assert "zhen models import" in message


def test_broken_installed_model_is_reported_in_status(tmp_path: Path, tiny_model_dir: Path) -> None:
    store = ModelStore(tmp_path)
    copy_model(tiny_model_dir, store.model_dir(ZH_EN))
    (store.model_dir(ZH_EN) / "source.spm").unlink()
    status = {s.spec.pair: s for s in store.status()}
    assert status["zh-en"].problem == "missing source.spm"
    assert status["zh-en"].backends == ()
    assert not status["en-zh"].present


def test_unreachable_hub_fails_fast_with_the_offline_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    started = time.monotonic()
    with pytest.raises(NetworkError, match="zhen models import PATH"):
        check_hub_reachable()
    assert time.monotonic() - started < 5


def test_offline_mode_is_respected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NetworkError, match="HF_HUB_OFFLINE"):
        ModelStore(tmp_path).download(ZH_EN)
    assert not (tmp_path / ZH_EN.name).exists()


def test_download_fetches_the_pinned_revision_and_prefers_safetensors(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The download code against a stand-in hub (the real one is unreachable from tests)."""
    import huggingface_hub

    import translator.store as store_module

    calls: dict[str, object] = {}

    def list_repo_files(api: huggingface_hub.HfApi, repo_id: str, revision: str) -> list[str]:
        calls["listed"] = (repo_id, revision, api.endpoint)
        return [*(p.name for p in tiny_model_dir.iterdir()), "pytorch_model.bin", "tf_model.h5"]

    def snapshot_download(
        repo_id: str, revision: str, local_dir: Path, allow_patterns: list[str], endpoint: str
    ) -> str:
        calls["patterns"] = allow_patterns
        shutil.copytree(tiny_model_dir, local_dir, dirs_exist_ok=True)
        return str(local_dir)

    monkeypatch.setattr(store_module, "check_hub_reachable", lambda: "https://hub.example")
    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files", list_repo_files)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    store = ModelStore(tmp_path)
    path = store.download(ZH_EN)
    assert calls["listed"] == (ZH_EN.repo_id, ZH_EN.revision, "https://hub.example")
    assert len(ZH_EN.revision) == 40  # a commit, not a branch that can move
    patterns = calls["patterns"]
    assert isinstance(patterns, list)
    assert "model.safetensors" in patterns and "pytorch_model.bin" not in patterns
    assert json.loads((path / MANIFEST).read_text())["revision"] == ZH_EN.revision
    assert store.revision(ZH_EN) == ZH_EN.revision


def test_a_swap_that_fails_puts_the_old_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from translator import store

    target, new = tmp_path / "opus-mt-zh-en", tmp_path / ".opus-mt-zh-en.new"
    for folder, text in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "config.json").write_text(text)
    rename = Path.rename

    def full_disk(self: Path, destination: Path) -> Path:
        if self == new:
            raise OSError(28, "No space left on device")
        return rename(self, destination)

    monkeypatch.setattr(Path, "rename", full_disk)
    with pytest.raises(OSError):
        store._swap_in(new, target)
    assert (target / "config.json").read_text() == "old"
    monkeypatch.setattr(Path, "rename", rename)
    store._swap_in(new, target)
    assert (target / "config.json").read_text() == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["opus-mt-zh-en"]
