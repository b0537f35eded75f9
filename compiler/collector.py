"""The cyclic garbage collector paused around work that makes many objects and few cycles.

A parse, the checks of a document and the loading of a command's modules each make tens of
thousands of objects that reference counting frees (or that live as long as the process);
the collector, run every 700 allocations, would go over them again and again for next to
nothing (issue 10). What garbage the work leaves is collected once it is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off. With `freeze`, what survives the block
    is moved out of the collector's sight for good (`gc.freeze()`, for objects that live as
    long as the process, such as loaded modules)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
