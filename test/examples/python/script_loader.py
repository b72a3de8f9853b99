"""Loads the repository's Python scripts as modules for the unit tests (run by jest through /usr/bin/python3).

Each example has its own ``train.py``/``evaluate.py``: loading them by file under distinct module names keeps them
apart in one test process.
"""
import importlib.util
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def load(relative_path, name):
    """Import ``ROOT/relative_path`` as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
