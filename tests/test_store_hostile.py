"""The model store under bad input: every case ends in one line, exit 1, and an unchanged store."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import translator.store as store_module
from translator.errors import ModelBrokenError, NetworkError, UsageError, ZhenError
from translator.languages import MODELS
from translator.modelfolder import CONVERSION_INFO
from translator.store import ModelStore

ZH_EN = MODELS[("zh", "en")]


def zhen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "translator.cli.main", *args], capture_output=True, text=True, timeout=300
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: 'nothing changed' means this is equal."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_line_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("zhen: "), result.stderr
    assert "Traceback" not in result.stderr
    assert all(needle in lines[-1] for needle in needles), lines[-1]


@pytest.fixture
def source(tmp_path: Path, tiny_model_dir: Path) -> Path:
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "usb" / "opus-mt-zh-en"))


@pytest.fixture
def installed(tmp_path: Path, tiny_model_dir: Path) -> Path:
    """A store holding a working zh-en model (not converted)."""
    store = tmp_path / "store"
    shutil.copytree(tiny_model_dir, store / ZH_EN.name)
    return store


BROKEN_SOURCES: dict[str, Callable[[Path], object]] = {
    "truncated weights": lambda p: (p / "model.safetensors").write_bytes((p / "model.safetensors").read_bytes()[:5000]),
    "garbage weights": lambda p: (p / "model.safetensors").write_bytes(os.urandom(4096)),
    "config.json is a list": lambda p: (p / "config.json").write_text("[1, 2, 3]"),
    "vocab.json is a number": lambda p: (p / "vocab.json").write_text("42"),
    "config nested deep": lambda p: (p / "config.json").write_text("[" * 100_000 + "]" * 100_000),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", list(BROKEN_SOURCES), ids=list(BROKEN_SOURCES))
def test_a_broken_import_is_refused_and_the_store_is_unchanged(installed: Path, source: Path, damage: str) -> None:
    BROKEN_SOURCES[damage](source)
    before = snapshot(installed)
    result = zhen("models", "import", str(source), "--force", "--models-dir", str(installed))
    one_line_failure(result, str(source), "nothing was installed")
    assert "delete" not in result.stderr.splitlines()[-1]  # never: delete your own folder
    assert snapshot(installed) == before
    assert not [p.name for p in installed.iterdir() if p.name.startswith(".")], "temporary folders left"


@pytest.mark.slow
def test_a_good_copy_replaces_a_broken_model_without_force(installed: Path, source: Path) -> None:
    (installed / ZH_EN.name / "vocab.json").write_text("42")
    result = zhen("models", "import", str(source), "--models-dir", str(installed))
    assert result.returncode == 0, result.stderr
    assert json.loads((installed / ZH_EN.name / "vocab.json").read_text()) == json.loads(
        (source / "vocab.json").read_text()
    )
    assert (installed / f"{ZH_EN.name}.ct2-int8" / "model.bin").is_file()


def test_status_marks_a_broken_model_with_the_fix(installed: Path) -> None:
    (installed / ZH_EN.name / "config.json").write_text("[]")
    result = zhen("models", "status", "--models-dir", str(installed))
    assert result.returncode == 0
    assert "BROKEN" in result.stdout and "0 MB" not in result.stdout
    assert "zhen models import PATH --force" in result.stdout


def test_a_damaged_conversion_record_is_not_a_conversion(installed: Path) -> None:
    converted = installed / f"{ZH_EN.name}.ct2-int8"
    converted.mkdir()
    (converted / "model.bin").write_bytes(b"\0")
    (converted / CONVERSION_INFO).write_text('{"quantization": "int8", "max_position_embeddings": "lots"}')
    store = ModelStore(installed)
    assert not store.converted(ZH_EN)
    status = {s.spec.pair: s for s in store.status()}["zh-en"]
    assert "incomplete" in status.problem


def test_links_out_of_the_folder_are_never_copied(tmp_path: Path, source: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    (source / "README.md").symlink_to(secret)
    store = tmp_path / "store"
    with pytest.raises(ModelBrokenError, match=r"README\.md is a link"):
        ModelStore(store).import_model(source, convert=False)
    assert "password" not in str(snapshot(store))


def test_a_link_to_a_device_is_refused(tmp_path: Path, source: Path) -> None:
    (source / "LICENSE").symlink_to("/dev/zero")
    with pytest.raises(ModelBrokenError, match="LICENSE is a link"):
        ModelStore(tmp_path / "store").import_model(source, convert=False)


def test_only_model_files_are_copied_and_huge_ones_refused(tmp_path: Path, source: Path) -> None:
    with (source / "extra.bin").open("wb") as extra:  # sparse: 1 GiB on paper, nothing on disk
        extra.truncate(1024**3)
    store = ModelStore(tmp_path / "store")
    store.import_model(source, convert=False)
    assert not (store.model_dir(ZH_EN) / "extra.bin").exists()
    with (source / "model.safetensors").open("r+b") as weights:
        weights.truncate(2 * 1024**3)
    with pytest.raises(ModelBrokenError, match="more than a model file can be"):
        store.import_model(source, force=True, convert=False)


def test_a_weights_file_that_is_a_folder_is_refused(tmp_path: Path, source: Path) -> None:
    (source / "model.safetensors").unlink()
    (source / "model.safetensors").mkdir()
    with pytest.raises(ModelBrokenError, match="not a regular file"):
        ModelStore(tmp_path / "store").import_model(source, convert=False)


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = zhen("models", "import", str(loop), "--models-dir", str(tmp_path / "store"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("zhen:")] == [
        f"zhen: cannot read {loop}: Symlink loop from '{loop}'"
    ]


def test_a_full_disk_during_import_is_one_line_and_leaves_nothing(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", no_space)
    store = ModelStore(tmp_path / "store")
    with pytest.raises(ZhenError, match="No space left on device"):
        store.import_model(source, convert=False)
    assert list(store.root.iterdir()) == []


def test_a_read_only_store_is_one_line(tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod cannot make a folder read-only: refuse like the OS would.
    def read_only(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(store_module.tempfile, "mkdtemp", read_only)
    with pytest.raises(ZhenError, match="cannot write to the model store"):
        ModelStore(tmp_path / "store").import_model(source, convert=False)


def test_models_dir_is_accepted_after_the_action(tmp_path: Path) -> None:
    result = zhen("models", "status", "--models-dir", str(tmp_path))
    assert result.returncode == 0 and str(tmp_path) in result.stdout


def test_models_dir_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    file = tmp_path / "models.txt"
    file.write_text("")
    result = zhen("models", "status", "--models-dir", str(file))
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr


def test_an_invalid_endpoint_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:99999999")
    with pytest.raises(UsageError, match="HF_ENDPOINT"):
        ModelStore(tmp_path).download(ZH_EN)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server on loopback that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    server.close()


def test_a_stalled_endpoint_fails_with_the_offline_hint_and_cleans_up(
    silent_server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent_server}")
    monkeypatch.setattr(store_module, "STALL_TIMEOUT", 2.0)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="zhen models import PATH"):
        ModelStore(tmp_path).download(ZH_EN)
    assert time.monotonic() - started < 30
    assert list(tmp_path.iterdir()) == []


def test_converting_a_converted_model_says_so(memorised_store: Path, tmp_path: Path) -> None:
    store = Path(shutil.copytree(memorised_store, tmp_path / "store"))
    ModelStore(store).convert(ZH_EN)
    result = zhen("models", "convert", "zh-en", "--models-dir", str(store))
    assert result.returncode == 0 and "already converted" in result.stdout


@pytest.mark.slow
def test_a_store_that_cannot_take_the_conversion_falls_back_to_transformers(
    memorised_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import translator.engines.convert as convert_module
    from tests.modelkit import ZH_EN_PAIRS
    from translator import Translator

    store = tmp_path / "store"
    shutil.copytree(memorised_store / ZH_EN.name, store / ZH_EN.name)  # no CTranslate2 copy

    def read_only(*args: object, **kwargs: object) -> str:  # root ignores chmod: refuse as the OS would
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(convert_module.tempfile, "mkdtemp", read_only)
    statuses: list[str] = []
    translator = Translator(models_dir=store, cache=False, on_status=statuses.append)
    source, expected = ZH_EN_PAIRS[0]
    assert translator.translate(source, target="en").text == expected
    assert translator.backend_for("zh", "en") == "transformers"
    assert any("Conversion failed" in status and "cannot write" in status for status in statuses)
