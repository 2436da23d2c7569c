"""`zhen serve`: a local translation server that speaks LibreTranslate, DeepLX and DeepL v2.

    from translator.serve import ServeSettings, create_app
    app = create_app(Translator(), ServeSettings(api_keys=frozenset({"secret"})))

Needs the `serve` extra (`pip install "zhen[serve]"`): Starlette and uvicorn.
"""

from __future__ import annotations

from ._app import create_app
from ._batching import BATCH_MODES, PER_REQUEST_THREADS, BatchMode
from ._settings import ServeSettings
from ._thread import running_server

__all__ = ["BATCH_MODES", "PER_REQUEST_THREADS", "BatchMode", "ServeSettings", "create_app", "running_server"]
