"""Byte-compile a side's own sources before its end-to-end runs are timed.

An installed package ships compiled modules (pip compiles what it installs); a source checkout
run with ``PYTHONDONTWRITEBYTECODE=1`` (as on these machines) would compile niangjia's — or the
OpenFisca country package's — modules again in every timed process. Both sides are compiled the
same way, each with its own interpreter.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def byte_compile(python: Path | str, *sources: Path) -> None:
    subprocess.run([str(python), "-m", "compileall", "-q", *map(str, sources)], check=True)
