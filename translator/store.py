"""The model store: where zhen finds, installs, imports and converts its OPUS-MT models.

Resolution order (first that applies): an explicit `models_dir`, `$ZHEN_MODELS_DIR`, `models/` of a
source checkout, the user data dir. Layout: `<store>/opus-mt-zh-en/` holds the Hugging Face files,
`<store>/opus-mt-zh-en.ct2-int8/` the CTranslate2 copy derived from it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .engines.marian_tokenizer import TOKENIZER_FILES
from .errors import ModelBrokenError, ModelNotFoundError, NetworkError, UsageError, first_line
from .languages import MODELS, ModelSpec

#: Written next to the model files: where the model came from and which revision it is.
MANIFEST = "zhen-model.json"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
#: Files `zhen models download` fetches besides one weights file; the hub repos also carry
#: TF/Flax/Rust copies of the weights that zhen never uses.
DOWNLOAD_PATTERNS = [
    "config.json", "generation_config.json", *TOKENIZER_FILES,
    "tokenizer_config.json", "metadata.json", "README.md", "LICENSE*",
]
#: The hub must answer within this many seconds before zhen calls it unreachable.
NETWORK_TIMEOUT = 4.0

_ISO3 = {"zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en"}


def resolve_models_dir(models_dir: str | os.PathLike[str] | None = None) -> Path:
    """The store folder (see the module docstring for the order)."""
    if models_dir is not None:
        return Path(models_dir).expanduser()
    if env := os.environ.get("ZHEN_MODELS_DIR"):
        return Path(env).expanduser()
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "models").is_dir():
        return checkout / "models"
    from platformdirs import user_data_dir

    return Path(user_data_dir("zhen")) / "models"


@dataclass(frozen=True)
class ModelStatus:
    """What `zhen models status` reports for one direction."""

    spec: ModelSpec
    path: Path
    present: bool
    size_bytes: int
    revision: str
    converted: bool
    converted_path: Path
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
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0


def check_model_folder(path: Path) -> None:
    """Raise ModelBrokenError unless `path` holds a loadable Marian model in Hugging Face layout."""
    if not path.is_dir():
        raise ModelBrokenError(path, "not a folder")
    missing = [name for name in ("config.json", *TOKENIZER_FILES) if not (path / name).is_file()]
    if missing:
        raise ModelBrokenError(path, "missing " + ", ".join(missing))
    if not any((path / name).is_file() for name in WEIGHT_FILES):
        raise ModelBrokenError(path, "no weights (model.safetensors or pytorch_model.bin)")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelBrokenError(path, f"unreadable config.json or vocab.json: {error}") from None
    if config.get("model_type") != "marian":
        raise ModelBrokenError(path, f"model_type is {config.get('model_type')!r}, not 'marian'")
    if config.get("vocab_size") != len(vocab):
        raise ModelBrokenError(
            path, f"vocab.json has {len(vocab)} entries but config.json says {config.get('vocab_size')}"
        )


def detect_direction(path: Path) -> ModelSpec | None:
    """Which supported direction a model folder translates, from its metadata or its name."""
    for name in ("metadata.json", "tokenizer_config.json"):
        try:
            data = json.loads((path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        source = data.get("src_alpha2") or _ISO3.get(str(data.get("source_lang", "")))
        target = data.get("tgt_alpha2") or _ISO3.get(str(data.get("target_lang", "")))
        if (source, target) in MODELS:
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
        try:
            manifest = json.loads((self.model_dir(spec) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "unknown"
        return str(manifest.get("revision", "unknown"))

    def has(self, spec: ModelSpec) -> bool:
        """Whether a usable copy of the model (original or converted) is in the store."""
        return (self.model_dir(spec) / "config.json").is_file() or (
            self.converted_dir(spec) / "model.bin"
        ).is_file()

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
            report.append(
                ModelStatus(
                    spec=spec,
                    path=path,
                    present=path.exists(),
                    size_bytes=_folder_size(path),
                    revision=self.revision(spec),
                    converted=(converted / "model.bin").is_file(),
                    converted_path=converted,
                    problem=problem,
                )
            )
        return report

    # -- installing -------------------------------------------------------------------------

    def import_model(self, source: Path, *, force: bool = False) -> ModelSpec:
        """Copy a model folder (say, from a USB stick) into the store after checking it."""
        source = source.expanduser().resolve()
        if not source.exists():
            raise UsageError(f"{source} does not exist: give the folder that holds config.json")
        check_model_folder(source)
        spec = detect_direction(source)
        if spec is None:
            raise ModelBrokenError(
                source, "cannot tell its direction: name the folder opus-mt-zh-en or opus-mt-en-zh"
            )
        destination = self.model_dir(spec)
        if destination.exists() and not force:
            raise UsageError(f"{destination} already exists: add --force to replace it")
        manifest = {
            "repo_id": spec.repo_id,
            "revision": _read_revision(source),
            "imported_from": str(source),
            "installed": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        self._install(destination, lambda tmp: shutil.copytree(source, tmp, dirs_exist_ok=True), manifest)
        return spec

    def download(self, spec: ModelSpec, *, force: bool = False) -> Path:
        """Fetch a model from the Hugging Face hub at its pinned revision."""
        destination = self.model_dir(spec)
        if destination.exists() and not force:
            check_model_folder(destination)
            return destination
        endpoint = check_hub_reachable()
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError

        def fetch(tmp: Path) -> None:
            from huggingface_hub import list_repo_files

            try:
                files = list_repo_files(spec.repo_id, revision=spec.revision)
                # Safetensors when the revision has them: nothing in them can execute code.
                weights = next((name for name in WEIGHT_FILES if name in files), WEIGHT_FILES[-1])
                snapshot_download(
                    spec.repo_id,
                    revision=spec.revision,
                    local_dir=tmp,
                    allow_patterns=[*DOWNLOAD_PATTERNS, weights],
                )
            except (HfHubHTTPError, OSError) as error:
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

    def convert(self, spec: ModelSpec, *, force: bool = False, quantization: str = "int8") -> Path:
        """Make the CTranslate2 copy of a model (a one-off that takes seconds to a minute)."""
        from .engines.convert import convert_to_ctranslate2

        return convert_to_ctranslate2(
            self.require(spec), self.converted_dir(spec, quantization), quantization, force=force
        )

    def _install(self, destination: Path, fill: Callable[[Path], object], manifest: dict[str, str]) -> None:
        """Fill a temporary sibling folder, check it, then swap it in: never a half-installed model."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=self.root))
        try:
            fill(tmp)
            check_model_folder(tmp)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            if destination.exists():
                shutil.rmtree(destination)
            tmp.rename(destination)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _read_revision(folder: Path) -> str:
    try:
        return str(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["revision"])
    except (OSError, ValueError, KeyError):
        return "imported"


def check_hub_reachable(timeout: float = NETWORK_TIMEOUT) -> str:
    """Return the hub endpoint, or raise NetworkError within `timeout` seconds if it is unreachable.

    DNS look-ups ignore socket timeouts, so the probe runs in a thread we stop waiting for.
    """
    import socket
    from urllib.parse import urlparse

    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false", "False"):
        raise NetworkError(_offline_message(endpoint, "HF_HUB_OFFLINE is set"))
    parsed = urlparse(endpoint)
    host, port = parsed.hostname or "huggingface.co", parsed.port or (443 if parsed.scheme == "https" else 80)
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
