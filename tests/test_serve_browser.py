"""A page from another origin calls `zhen serve` from headless Chromium, as an extension's
content script does: the CORS preflight (JSON body) must let the browser read the answer."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from tests.engines import TaggingEngine
from tests.serve_live import live_server
from translator.translator import Translator

CHROMIUM = Path("/usr/bin/chromium")

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body><div id="out">waiting</div><script>
fetch("API/translate", {method: "POST", headers: {"Content-Type": "application/json"},
  body: JSON.stringify({q: "你好。", source: "auto", target: "en"})})
  .then(r => r.json()).then(j => { document.getElementById("out").textContent = "got:" + j.translatedText; })
  .catch(e => { document.getElementById("out").textContent = "failed:" + e; });
</script></body></html>"""


@contextmanager
def page_server(folder: Path) -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package (/usr/bin/chromium)")
def test_a_page_from_another_origin_fetches_a_translation(tmp_path: Path) -> None:
    with live_server(Translator(engine=TaggingEngine(), cache=False)) as api:
        (tmp_path / "index.html").write_text(PAGE.replace("API", api), encoding="utf-8")
        with page_server(tmp_path) as page:
            assert page != api  # another port: another origin
            profile = tmp_path / "profile"
            completed = subprocess.run(
                [
                    str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom",
                    f"{page}/index.html",
                ],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            shutil.rmtree(profile, ignore_errors=True)
    assert '<div id="out">got:en(你好。)</div>' in completed.stdout, completed.stderr[-2000:]
