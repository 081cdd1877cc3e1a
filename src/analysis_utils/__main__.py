import os
import sys

from analysis_utils.run.cli import main

code = main()
if code == 130:  # Ctrl-C, said and cleaned up: leave now; exiting normally joins the pools' threads, which a
    sys.stdout.flush()  # killed worker can leave waiting (a run under load once took more than 30 s to end)
    sys.stderr.flush()
    os._exit(130)
raise SystemExit(code)
