"""The collector is relaxed while files are imported and restored when the last import ends."""

from __future__ import annotations

import gc

from niangjia.registry.importing.runner import GC_THRESHOLD, fewer_collections


def test_nested_imports_restore_the_threshold_once_the_last_ends() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == (GC_THRESHOLD, *before[1:])
        assert gc.get_threshold() == (GC_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
