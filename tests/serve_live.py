"""A live `zhen serve` app on a free loopback port, for the serve tests (uvicorn in a thread)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from translator.serve import ServeSettings, create_app
from translator.translator import Translator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(
    translator: Translator, settings: ServeSettings | None = None, traditional: Translator | None = None
) -> Iterator[str]:
    """The base URL of a running server; stopped on exit."""
    app = create_app(translator, settings, traditional=traditional)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def call(
    url: str, body: Any = None, *, form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """(status, body (decoded when JSON), headers) of one request; JSON `body` or URL-encoded `form`."""
    from urllib.parse import urlencode

    data = None
    all_headers = dict(headers or {})
    if form is not None:
        data = urlencode(form).encode()
        all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    is_json = "json" in {key.lower(): value for key, value in got.items()}.get("content-type", "")
    return status, json.loads(raw) if raw and is_json else raw.decode(), got
