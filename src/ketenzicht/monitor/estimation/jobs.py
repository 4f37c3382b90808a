"""How many processes, and BLAS threads, the heavy computations may use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

__all__ = ["default_jobs", "one_blas_thread"]


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run NumPy's BLAS on one thread inside the block.

    The products here are many and small. BLAS threads then mostly wait for each other,
    and on a busy 2-core machine they made the exhaustive search 3 to 20 times slower
    than one thread.
    """
    with threadpool_limits(1, user_api="blas"):
        yield
