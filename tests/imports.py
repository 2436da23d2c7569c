"""What a fresh interpreter imports: start-up paths are checked in a process of their own, since
the test process has imported everything already."""

from __future__ import annotations

import subprocess
import sys


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported once it has run `code`."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(finished.stdout.split())
