"""The C allocator keeps what decoding frees (translator.engines.allocator)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from translator.engines import allocator

glibc_only = pytest.mark.skipif(not allocator._is_glibc(), reason="tunes glibc's malloc only")

#: Allocates, fills and frees a buffer the size of a decoding step's scores four times, and
#: prints the page faults of the last three: memory handed back to the kernel faults in again.
_REUSE = textwrap.dedent(
    """
    import ctypes, resource, sys
    from translator.engines.allocator import keep_freed_memory
    if sys.argv[1] == "tuned":
        assert keep_freed_memory()
    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    size = 24 << 20
    def step():
        buffer = libc.malloc(size)
        ctypes.memset(buffer, 1, size)
        libc.free(buffer)
    step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(3):
        step()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    """
)


def _faults_after_first_step(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    done = subprocess.run(
        [sys.executable, "-c", _REUSE, mode], capture_output=True, text=True, check=True, env=env, timeout=60
    )
    return int(done.stdout)


@glibc_only
def test_freed_buffers_are_reused_instead_of_faulted_in_again() -> None:
    pages = (24 << 20) // os.sysconf("SC_PAGE_SIZE")
    # glibc's defaults give the first free back to the kernel, so a later step faults it all in.
    assert _faults_after_first_step("default") > pages // 2
    assert _faults_after_first_step("tuned") < pages // 20


@pytest.mark.parametrize(
    "environ",
    [
        {"MALLOC_TRIM_THRESHOLD_": "0"},
        {"MALLOC_MMAP_THRESHOLD_": "65536"},
        {"GLIBC_TUNABLES": "glibc.malloc.top_pad=0"},
    ],
)
def test_a_users_own_malloc_tuning_wins(environ: dict[str, str]) -> None:
    assert allocator._tune(environ) is False


def test_nothing_is_tuned_off_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_glibc(name: str) -> str:
        raise ValueError(name)

    monkeypatch.setattr(os, "confstr", not_glibc)
    assert allocator._tune({}) is False
    monkeypatch.delattr(os, "confstr")  # as on Windows
    assert allocator._is_glibc() is False
    monkeypatch.undo()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert allocator._tune({}) is False


@glibc_only
@pytest.mark.parametrize("tunables", ["glibc.cpu.hwcaps=-AVX512F", "glibc.malloc.hugetlb=1"])
def test_unrelated_tunables_do_not_stop_it(tunables: str) -> None:
    assert allocator._tune({"GLIBC_TUNABLES": tunables}) is True
