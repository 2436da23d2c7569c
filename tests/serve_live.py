"""A live `zhen serve` app on a free loopback port for the serve tests, and a small HTTP client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from translator.serve import ServeSettings, create_app, running_server
from translator.translator import Translator


@contextmanager
def live_server(
    translator: Translator, settings: ServeSettings | None = None, traditional: Translator | None = None
) -> Iterator[str]:
    """The base URL of a running server on a free loopback port; stopped on exit."""
    with running_server(create_app(translator, settings, traditional=traditional)) as base:
        yield base


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
