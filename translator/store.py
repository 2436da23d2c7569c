"""The model store: where zhen finds, installs, imports and converts its OPUS-MT models.

Resolution order (first that applies): an explicit `models_dir`, `$ZHEN_MODELS_DIR`, `models/` of a
source checkout, the user data dir. Layout: `<store>/opus-mt-zh-en/` holds the Hugging Face files,
`<store>/opus-mt-zh-en.ct2-int8/` the CTranslate2 copy derived from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import settings
from .errors import ModelBrokenError, ModelNotFoundError, NetworkError, UsageError, ZhenError, first_line
from .languages import MODELS, ModelSpec
from .modelfolder import (
    MANIFEST,
    MODEL_FILES,
    TOKENIZER_CONFIG,
    WEIGHT_FILES,
    check_model_folder,
    conversion_complete,
    model_files,
    read_json_object,
    read_revision,
)

#: Files `zhen models download` fetches besides one weights file; the hub repos also carry
#: TF/Flax/Rust copies of the weights that zhen never uses.
DOWNLOAD_PATTERNS = [name for name in MODEL_FILES if name not in (*WEIGHT_FILES, MANIFEST)]
#: The hub must answer within this many seconds before zhen calls it unreachable.
NETWORK_TIMEOUT = 4.0
#: A download that writes nothing for this many seconds has stalled.
STALL_TIMEOUT = 30.0
#: Temporary install folders older than this are left over from a killed run.
STALE_AFTER_SECONDS = 3600

_ISO3 = {"zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en"}


def resolve_models_dir(models_dir: str | os.PathLike[str] | None = None) -> Path:
    """The store folder (see the module docstring for the order)."""
    if models_dir is not None:
        return _store_folder(Path(models_dir).expanduser(), "--models-dir")
    if (from_environment := settings.models_dir()) is not None:
        return from_environment
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "models").is_dir():
        return checkout / "models"
    from .locations import default_models_dir

    return default_models_dir()


def _store_folder(path: Path, named_by: str) -> Path:
    if path.exists() and not path.is_dir():
        raise UsageError(f"{named_by} {path} is a file, not a folder: give the folder that holds the models")
    return path


@dataclass(frozen=True)
class ModelStatus:
    """What `zhen models status` reports for one direction."""

    spec: ModelSpec
    path: Path
    present: bool
    size_bytes: int
    revision: str
    converted: bool
    problem: str = ""

    @property
    def backends(self) -> tuple[str, ...]:
        from .engines.convert import ctranslate2_available

        ready: list[str] = []
        if self.converted and ctranslate2_available():
            ready.append("ctranslate2")
        if self.present and not self.problem:
            ready.append("transformers")
        return tuple(ready)


def _folder_size(path: Path) -> int:
    try:
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file()) if path.is_dir() else 0
    except OSError:
        return 0


def detect_direction(path: Path) -> ModelSpec | None:
    """Which supported direction a model folder translates, from its metadata or its name."""
    for name in ("metadata.json", TOKENIZER_CONFIG):
        data = read_json_object(path / name)
        if data is None:
            continue
        source = data.get("src_alpha2") or _ISO3.get(str(data.get("source_lang", "")))
        target = data.get("tgt_alpha2") or _ISO3.get(str(data.get("target_lang", "")))
        if isinstance(source, str) and isinstance(target, str) and (source, target) in MODELS:
            return MODELS[(source, target)]
    for spec in MODELS.values():
        if spec.name in path.name or path.name.endswith(spec.pair):
            return spec
    return None


class ModelStore:
    """One store folder and the operations on it."""

    def __init__(self, models_dir: str | os.PathLike[str] | None = None) -> None:
        self.root = resolve_models_dir(models_dir)

    def model_dir(self, spec: ModelSpec) -> Path:
        return self.root / spec.name

    def converted_dir(self, spec: ModelSpec, quantization: str = "int8") -> Path:
        from .engines.convert import converted_dir_name

        return self.root / converted_dir_name(spec, quantization)

    def revision(self, spec: ModelSpec) -> str:
        """The revision recorded when the model was downloaded or imported."""
        return read_revision(self.model_dir(spec))

    def has(self, spec: ModelSpec) -> bool:
        """Whether a copy of the model (original or converted) is in the store."""
        return (self.model_dir(spec) / "config.json").is_file() or conversion_complete(self.converted_dir(spec))

    def require(self, spec: ModelSpec) -> Path:
        """The model's Hugging Face folder, checked; raises a message naming the fix."""
        path = self.model_dir(spec)
        if not path.exists():
            raise ModelNotFoundError(spec.name, self.root)
        check_model_folder(path)
        return path

    def status(self) -> list[ModelStatus]:
        report = []
        for spec in MODELS.values():
            path = self.model_dir(spec)
            problem = ""
            if path.exists():
                try:
                    check_model_folder(path)
                except ModelBrokenError as error:
                    problem = error.problem
            converted = self.converted_dir(spec)
            if not problem and converted.exists() and not conversion_complete(converted):
                problem = f"the CTranslate2 copy in {converted} is incomplete"
            report.append(
                ModelStatus(
                    spec=spec,
                    path=path,
                    present=path.exists(),
                    size_bytes=_folder_size(path),
                    revision=self.revision(spec),
                    converted=conversion_complete(converted),
                    problem=problem,
                )
            )
        return report

    # -- installing -------------------------------------------------------------------------

    def import_model(self, source: Path, *, force: bool = False, convert: bool = True) -> ModelSpec:
        """Copy a model folder (say, from a USB stick) into the store after checking it.

        Only the files a model needs are copied, as regular files from inside `source`. The copy
        is proven in a temporary folder inside the store by converting it to CTranslate2 (or, with
        `convert=False` or without CTranslate2, by loading it with transformers) and swapped in
        only when that worked: a broken folder leaves the store exactly as it was. A broken
        installed model is replaced without --force; a working one needs it.
        """
        try:
            source = source.expanduser().resolve()
            if not source.is_dir():
                problem = "does not exist" if not source.exists() else "is not a folder"
                raise UsageError(f"{source} {problem}: give the folder that holds config.json")
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop on Python < 3.13
            raise UsageError(f"cannot read {source}: {first_line(error)}") from None
        files = model_files(source)
        _check_with_import_fix(source, check_model_folder)
        spec = detect_direction(source)
        if spec is None:
            raise ModelBrokenError(
                source,
                "cannot tell its direction",
                "name the folder opus-mt-zh-en or opus-mt-en-zh and import it again",
            )
        destination = self.model_dir(spec)
        if destination.exists() and not force and self._works(destination):
            raise UsageError(f"{destination} already exists: add --force to replace it")
        manifest = {
            "repo_id": spec.repo_id,
            "revision": read_revision(source, default="imported"),
            "imported_from": str(source),
            "installed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        from .engines.convert import ctranslate2_available

        staged = None
        if convert and ctranslate2_available():
            staged = destination.with_name(f".{destination.name}.import-ct2")

        def fill(tmp: Path) -> None:
            for path in files:
                shutil.copyfile(path, tmp / path.name, follow_symlinks=False)
            _check_with_import_fix(tmp, lambda folder: _prove(folder, spec, staged), shown_as=source)

        try:
            self._install(destination, fill, manifest)
            if staged is not None:
                _swap_in(staged, self.converted_dir(spec))
            else:
                shutil.rmtree(self.converted_dir(spec), ignore_errors=True)  # it was made from the old model
        except OSError as error:
            raise StoreError(self.root, error) from None
        finally:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
        return spec

    @staticmethod
    def _works(folder: Path) -> bool:
        try:
            check_model_folder(folder)
        except ModelBrokenError:
            return False
        return True

    def download(self, spec: ModelSpec, *, force: bool = False) -> Path:
        """Fetch a model from the Hugging Face hub at its pinned revision."""
        destination = self.model_dir(spec)
        if destination.exists() and not force:
            check_model_folder(destination)
            return destination
        endpoint = check_hub_reachable()
        _set_hub_timeouts()

        def fetch(tmp: Path) -> None:
            _watch_for_stall(tmp, lambda: fetch_now(tmp), f"{spec.repo_id} from {endpoint}")

        def fetch_now(tmp: Path) -> None:
            from huggingface_hub import HfApi, snapshot_download

            try:
                # The endpoint that was checked, explicitly: huggingface_hub reads HF_ENDPOINT only
                # once, when it is first imported.
                files = HfApi(endpoint=endpoint).list_repo_files(spec.repo_id, revision=spec.revision)
                # Safetensors when the revision has them: nothing in them can execute code.
                weights = next((name for name in WEIGHT_FILES if name in files), WEIGHT_FILES[-1])
                snapshot_download(
                    spec.repo_id,
                    revision=spec.revision,
                    local_dir=tmp,
                    allow_patterns=[*DOWNLOAD_PATTERNS, weights],
                    endpoint=endpoint,
                )
            except Exception as error:  # the hub client raises HTTP, OS and its own errors alike
                raise NetworkError(
                    f"downloading {spec.repo_id} from {endpoint} failed ({first_line(error)}): "
                    "try again, or copy the model folder from another machine and run "
                    "`zhen models import PATH`"
                ) from None

        manifest = {
            "repo_id": spec.repo_id,
            "revision": spec.revision,
            "installed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        self._install(destination, fetch, manifest)
        return destination

    def converted(self, spec: ModelSpec, quantization: str = "int8") -> bool:
        """Whether the model's CTranslate2 copy is finished."""
        return conversion_complete(self.converted_dir(spec, quantization))

    def convert(self, spec: ModelSpec, *, force: bool = False, quantization: str = "int8") -> Path:
        """Make the CTranslate2 copy of a model (a one-off that takes seconds to a minute)."""
        from .engines.convert import convert_to_ctranslate2

        return convert_to_ctranslate2(
            self.require(spec), self.converted_dir(spec, quantization), quantization, force=force
        )

    def _install(self, destination: Path, fill: Callable[[Path], object], manifest: dict[str, str]) -> None:
        """Fill a temporary sibling folder, check it, then swap it in: never a half-installed model.

        The old folder is renamed out of the way before the new one is renamed in and deleted only
        after, so an interruption leaves either model in place, never none.
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._remove_stale_temporaries(destination.name)
            tmp = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".tmp", dir=self.root))
        except OSError as error:
            raise StoreError(self.root, error) from None
        try:
            fill(tmp)
            _check_with_import_fix(tmp, check_model_folder)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            _swap_in(tmp, destination, aside=tmp.with_name(tmp.name.removesuffix(".tmp") + ".old"))
        except OSError as error:
            raise StoreError(self.root, error) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _remove_stale_temporaries(self, name: str) -> None:
        """Temporary folders of installs that were killed (they never finished, nobody owns them)."""
        now = time.time()
        for path in self.root.glob(f".{name}.*"):
            with contextlib.suppress(OSError):
                if path.is_dir() and now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)


def _prove(folder: Path, spec: ModelSpec, converted: Path | None) -> None:
    """Show that a model folder works: convert it into `converted`, or load it with transformers."""
    if converted is not None:
        from .engines.convert import convert_to_ctranslate2

        convert_to_ctranslate2(folder, converted, force=True)
    else:
        from .engines.transformers_engine import TransformersEngine

        TransformersEngine(folder, spec)


def _swap_in(new: Path, target: Path, aside: Path | None = None) -> None:
    """Rename `new` to `target`, moving an old `target` aside first and deleting it only after:
    an interruption leaves either folder in place, never none (a failed rename puts the old back).
    `aside`: where the old one waits (default `.NAME.old` next to it)."""
    old = aside or target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


class StoreError(ZhenError):
    """The store folder cannot be written (read-only, full disk)."""

    def __init__(self, root: Path, error: OSError) -> None:
        reason = error.strerror or first_line(error)
        super().__init__(
            f"cannot write to the model store {root} ({reason}): free some space, "
            "or choose a writable folder with --models-dir"
        )


def _check_with_import_fix(folder: Path, check: Callable[[Path], object], shown_as: Path | None = None) -> None:
    """Run a check on a folder being imported; its failure names `shown_as` (the user's folder,
    not the temporary copy) and says that nothing was installed."""
    try:
        check(folder)
    except ModelBrokenError as error:
        raise ModelBrokenError(shown_as or error.folder, error.problem, ModelBrokenError.IMPORT_FIX) from None


def _set_hub_timeouts() -> None:
    """Read timeouts for huggingface_hub (read from the environment when it is first imported)."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "20")


def _watch_for_stall(folder: Path, work: Callable[[], None], what: str) -> None:
    """Run `work` (a download into `folder`) in a thread; give up once nothing has been written for
    STALL_TIMEOUT seconds: a server that accepts the connection but never answers would otherwise
    hang zhen forever."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as error:  # handed to the caller's thread below
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    last_size, last_change = -1, time.monotonic()
    while thread.is_alive():
        thread.join(1.0)
        size = _tree_size(folder)
        if size != last_size:
            last_size, last_change = size, time.monotonic()
        elif time.monotonic() - last_change > STALL_TIMEOUT:
            endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
            raise NetworkError(_offline_message(endpoint, f"downloading {what} stalled for {STALL_TIMEOUT:.0f} s"))
    if outcome and outcome[0] is not None:
        raise outcome[0]


def _tree_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


def check_hub_reachable(timeout: float = NETWORK_TIMEOUT) -> str:
    """Return the hub endpoint, or raise NetworkError within `timeout` seconds if it is unreachable.

    DNS look-ups ignore socket timeouts, so the probe runs in a thread we stop waiting for.
    """
    import socket
    from urllib.parse import urlparse

    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false", "False"):
        raise NetworkError(_offline_message(endpoint, "HF_HUB_OFFLINE is set"))
    try:
        parsed = urlparse(endpoint)
        host, port = parsed.hostname or "huggingface.co", parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError as error:
        raise UsageError(f"HF_ENDPOINT {endpoint!r} is not a valid URL ({error})") from None
    if parsed.scheme not in ("http", "https"):
        raise UsageError(f"HF_ENDPOINT {endpoint!r} is not an http(s) URL")
    outcome: list[BaseException | None] = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append(None)
        except OSError as error:
            outcome.append(error)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise NetworkError(_offline_message(endpoint, f"no answer in {timeout:.0f} s"))
    if outcome[0] is not None:
        raise NetworkError(_offline_message(endpoint, first_line(outcome[0])))
    return endpoint


def _offline_message(endpoint: str, reason: str) -> str:
    return (
        f"cannot reach {endpoint} ({reason}): on a machine with internet run `zhen models download`, "
        "copy the model folder over, then run `zhen models import PATH`"
    )
