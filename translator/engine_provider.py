"""The engine of each direction: from the model store, on the backend chosen, loaded once.

Choosing the backend (CTranslate2 when it is installed), converting a model to CTranslate2 on
first use, telling the user what is happening (`on_status`) and keeping one engine per direction
live all happen here, so the pipeline never loads anything itself. Segmentation counts tokens with
the model's tokenizer files alone (`token_counter`): a long sentence never loads or converts a model.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from .engines import Engine, TokenCountingEngine
from .engines.backends import BACKENDS, engine_factory
from .engines.options import DecodingOptions
from .errors import BackendUnavailableError, ModelBrokenError, ModelNotFoundError, UsageError, ZhenError
from .languages import MODELS, ModelSpec, model_for
from .modelfolder import TOKENIZER_FILES
from .store import ModelStore

StatusCallback = Callable[[str], None]
TokenCounter = Callable[[str], int]


class EngineProvider:
    """One engine per direction, built on first use. `engine=` serves every direction with one
    engine of the caller's; the store is then never read."""

    def __init__(
        self,
        models_dir: str | Path | None = None,
        backend: str = "auto",
        engine: Engine | None = None,
        on_status: StatusCallback | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
        if engine is not None and not isinstance(engine, Engine):
            raise UsageError("engine= needs an object with translate(segments, source, target)")
        self.store = ModelStore(models_dir)
        self.backend = backend
        self.on_status = on_status
        self.custom_engine = engine
        self._engines: dict[tuple[str, str], Engine] = {}
        self._counters: dict[tuple[str, str], TokenCounter] = {}
        #: Held while a direction's token counter is made: workers plan texts at once.
        self._counter_lock = threading.Lock()
        #: Held while a direction's engine loads, so that it loads once and other directions
        #: (and token counts) need not wait for it.
        self._loading = {direction: threading.Lock() for direction in MODELS}
        #: Why a load begun by `preload` failed, raised by the next `engine` call.
        self._preload_failures: dict[tuple[str, str], Exception] = {}

    def installed_directions(self) -> list[tuple[str, str]]:
        """Directions whose model is in the store (or all, with a custom engine). Loads nothing."""
        if self.custom_engine is not None:
            return list(MODELS)
        return [pair for pair, spec in MODELS.items() if self.store.has(spec)]

    def engine(self, source: str, target: str, options: DecodingOptions) -> Engine:
        """The engine of a direction, loaded now if it is not yet (`options`: its defaults)."""
        if self.custom_engine is not None:
            return self.custom_engine
        spec = model_for(source, target)
        with self._loading[(source, target)]:
            engine = self._engines.get((source, target))
            if engine is None:
                failure = self._preload_failures.pop((source, target), None)
                if failure is not None:
                    raise failure
                engine = self._engines[(source, target)] = self._load(spec, options)
            return engine

    def preload(self, source: str, target: str, options: DecodingOptions) -> None:
        """Start loading a direction's engine in a thread, unless it is loaded or loading, so
        that the caller's other work (planning the rest of a batch) overlaps with it. The next
        `engine` call waits for this load instead of starting another, and raises its failure."""
        if self.custom_engine is not None or (source, target) in self._engines:
            return
        spec = model_for(source, target)
        loading = self._loading[(source, target)]
        if not loading.acquire(blocking=False):
            return  # loading already

        def load() -> None:
            try:
                if (source, target) not in self._engines:
                    self._engines[(source, target)] = self._load(spec, options)
            except Exception as error:  # the caller's next `engine` call raises it
                self._preload_failures[(source, target)] = error
            finally:
                loading.release()

        self._import_ctranslate2_here()
        threading.Thread(target=load, name=f"zhen-load-{source}-{target}", daemon=True).start()

    def _import_ctranslate2_here(self) -> None:
        """Import ctranslate2 here, before the loading thread starts. The import is 0.1 s of
        Python holding the GIL; in the thread, beside the caller's planning, it stretched to 0.25 s
        before the weights could start loading. Imported here, the weights load in native code
        while the caller plans (`zhen file` on FLORES: decoding began at 0.53 s instead of 0.68 s,
        medians of 8 interleaved runs). transformers stays in the thread: overlapping its seconds
        of importing is what the thread is for. Any problem is left for the thread to report."""
        with contextlib.suppress(ZhenError, ImportError):
            if self._choose_backend() == "ctranslate2":
                import ctranslate2  # noqa: F401

    def backend_for(self, source: str, target: str) -> str:
        """The backend that serves (or would serve) a direction."""
        engine = self._engines.get((source, target)) or self.custom_engine
        if engine is not None:
            return getattr(engine, "backend", type(engine).__name__)
        model_for(source, target)  # an unsupported direction raises here
        return self._choose_backend()

    def model_name(self, source: str, target: str) -> str:
        """The model of a direction; "" for a custom engine, which names none."""
        return "" if self.custom_engine is not None else model_for(source, target).name

    def token_counter(self, source: str, target: str) -> TokenCounter:
        """Counts a text's model tokens for the direction, as its engine would, without loading it.

        The tokenizer files are read on the first count (a long sentence), not before. A custom
        engine counts for itself when it can; otherwise, and within one language, characters are
        the count.
        """
        if source == target:
            return len
        if self.custom_engine is not None:
            engine = self.custom_engine
            if isinstance(engine, TokenCountingEngine):
                return lambda text: engine.count_tokens(text, source, target)
            return len
        with self._counter_lock:
            counter = self._counters.get((source, target))
            if counter is None:
                counter = self._counters[(source, target)] = _LazyCounter(self, source, target)
            return counter

    def _status(self, message: str) -> None:
        if self.on_status is not None:
            self.on_status(message)

    def _choose_backend(self) -> str:
        from .engines.convert import ctranslate2_available

        if self.backend == "transformers":
            return "transformers"
        if ctranslate2_available():
            # A missing model is reported by _load; a missing conversion is made there.
            return "ctranslate2"
        if self.backend == "ctranslate2":
            raise BackendUnavailableError(
                "the ctranslate2 backend needs the `ctranslate2` package: `pip install ctranslate2`, "
                "or use --backend transformers"
            )
        return "transformers"

    def _load(self, spec: ModelSpec, options: DecodingOptions) -> Engine:
        if not self.store.has(spec):
            raise ModelNotFoundError(spec.name, self.store.root)
        backend = self._choose_backend()
        revision = self.store.revision(spec)
        if backend == "ctranslate2" and not self.store.converted(spec):
            self._status(f"Converting {spec.name} to CTranslate2 int8 (one-off, up to a minute)...")
            try:
                self.store.convert(spec)
            except ZhenError as error:
                if self.backend == "ctranslate2":
                    raise
                self._status(f"Conversion failed ({error}); using transformers")
                backend = "transformers"
        self._status(f"Loading {spec.name} ({backend})...")
        folder = self.store.converted_dir(spec) if backend == "ctranslate2" else self.store.require(spec)
        engine = engine_factory(backend)(folder, spec, options, revision)
        self._status(f"Ready: {spec.name} ({backend})")
        return engine


class _LazyCounter:
    """A direction's token count from its tokenizer files, read on the first call.

    Counts what the engines feed the model: the target-language token (en->zh), the pieces, and
    `</s>`. A store whose folders lack the tokenizer files (a broken model) falls back to the
    engine, which reports what is wrong as it always did.
    """

    def __init__(self, provider: EngineProvider, source: str, target: str) -> None:
        self._provider, self._source, self._target = provider, source, target
        self._count: TokenCounter | None = None

    def __call__(self, text: str) -> int:
        if self._count is None:
            self._count = self._make()
        return self._count(text)

    def _make(self) -> TokenCounter:
        from .engines.marian_tokenizer import shared_tokenizer

        provider, source, target = self._provider, self._source, self._target
        spec = model_for(source, target)
        store = provider.store
        target_token = spec.target_token(DecodingOptions().script)  # either script: one token
        # The converted folder first: the CTranslate2 engine reads its tokenizer from there, and
        # both then share one.
        for folder in (store.converted_dir(spec), store.model_dir(spec)):
            if all((folder / name).is_file() for name in TOKENIZER_FILES):
                try:
                    tokenizer = shared_tokenizer(folder)
                except ModelBrokenError:
                    continue
                return lambda text: len(tokenizer.encode_pieces(text, target_token, unknown_as_unk=False))
        engine = provider.engine(source, target, DecodingOptions())
        if isinstance(engine, TokenCountingEngine):
            return lambda text: engine.count_tokens(text, source, target)
        return len


__all__ = ["EngineProvider", "StatusCallback", "TokenCounter"]
