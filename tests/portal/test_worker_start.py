"""What a web worker does once at start (``smartedu/wsgi.py``, ``smartedu/asgi.py``)."""

import gc
import importlib

import pytest


@pytest.mark.parametrize("module", ["smartedu.wsgi", "smartedu.asgi"])
def test_a_worker_keeps_what_it_loaded_out_of_full_collections(module):
    gc.unfreeze()
    try:
        importlib.reload(importlib.import_module(module))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
