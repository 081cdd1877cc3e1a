import os
import sys

from analysis_utils.run.cli import main

try:
    code = main()
except BrokenPipeError:  # `... --list | head`: the reader left; as the signal module's "Note on SIGPIPE" does
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
    raise SystemExit(1) from None
if code == 130:  # Ctrl-C, said and cleaned up: leave now; exiting normally joins the pools' threads, which a
    sys.stdout.flush()  # killed worker can leave waiting (a run under load once took more than 30 s to end)
    sys.stderr.flush()
    os._exit(130)
raise SystemExit(code)
