"""The command line as a user runs it: ``python -m analysis_utils ARGS`` in a separate process."""
from __future__ import annotations

import os
import subprocess
import sys

from analysis_utils import paths


def run_cli(*args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """``python -m analysis_utils ARGS`` (from the repository root by default), output captured."""
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or paths.REPO_ROOT, env={**os.environ, **(env or {})})
