"""Builds made once per test session: ``shared_build`` runs a build the first time a test asks for it, also across
pytest-xdist's processes, and hands every later asker the same folder."""
from __future__ import annotations

import fcntl
import os
import pickle


def shared_build(tmp_path_factory, name: str, make):
    """``make(folder)``'s result for the whole test session, computed once even across pytest-xdist's
    processes: the first test to ask runs ``make`` into ``<session temp>/shared/<name>/`` under an
    exclusive lock (fcntl) and pickles the result; the others wait for the lock and read it. Users
    must only read the folder (a run that is a cache hit writes nothing). A ``make`` that raises is
    not cached: the next user tries again and fails the same way."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own basetemp; the session's is above it
        base = base.parent
    folder = base / "shared" / name
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "result.pickle"
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            result = make(folder / "build")
            record.write_bytes(pickle.dumps(result))
        return pickle.loads(record.read_bytes())
