"""zhen's TUI, headless, from process start to its first translation; for `bench/run.py` only.

    python -m bench.tui_first MODELS_DIR RATIO TEXT

Starts the real app as `zhen tui` does (its translator from `zhen tui`'s flags, then
`tui.start.head_start` sets the likely model loading, then `ZhenApp` is imported and run), and as
soon as its first frame is up pastes TEXT and presses ctrl+t, as a user who pastes a post at once
would. Prints one line when the app is interactive and one when the translation is painted; the
runner times both from the moment it started this process. Outputs are forced to RATIO x the
input tokens like everywhere in the benchmark (a random-weight model never stops by itself).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bench.zhen_forced import force_lengths

#: Give up after this many seconds: something is broken, and the runner reports it.
TIMEOUT = 120.0


async def drive(models_dir: Path, text: str) -> None:
    from translator.cli.main import build_parser
    from translator.cli.tui_cmd import app_translator
    from tui.start import head_start

    translator = app_translator(build_parser("tui").parse_args(["tui", "--models-dir", str(models_dir)]))
    started = head_start(translator)
    from tui.app import ZhenApp
    from tui.screens.base import EditorScreen

    app = ZhenApp(translator, started=started)
    async with app.run_test(headless=True, size=(120, 36)) as pilot:
        print("interactive", flush=True)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        screen.editor.text = text
        painted = asyncio.Event()
        # The screen's own hook, called once the refresh that paints the translation is done:
        # polling from here instead would add the pilot's own waits to the figure.
        done = screen.translation_done

        def translation_done() -> None:
            painted.set()
            done()

        screen.translation_done = translation_done  # type: ignore[method-assign]
        # Pressed without waiting for it: `Pilot.press` returns only once the app is idle, which
        # a busy start-up (loading, then warming up the dictionary) puts off well after the
        # translation is on screen.
        pressing = asyncio.create_task(pilot.press("ctrl+t"))
        try:
            await asyncio.wait_for(painted.wait(), TIMEOUT)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no translation after {TIMEOUT:.0f} s (status: {app.status!r})") from None
        if screen.outcome is None or getattr(screen.outcome, "translation", None) is None:
            raise RuntimeError(f"no translation on screen (status: {app.status!r})")
        print("translated", flush=True)
        await pressing


if __name__ == "__main__":
    force_lengths(float(sys.argv[2]))
    asyncio.run(drive(Path(sys.argv[1]), sys.argv[3]))
