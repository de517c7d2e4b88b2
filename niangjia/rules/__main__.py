"""``python -m niangjia.rules`` — the standalone command line."""

import gc
import sys

from niangjia.rules.cli import main

# A command runs once and exits. What is imported by now lives until the end, so the cyclic
# collector is told not to walk it again at every collection; and what the command made is
# frozen too before exit, so the interpreter's final collection does not walk millions of
# objects only to free them at exit. About 45 ms of a 1M-person screening (docs/policies.md).
gc.freeze()
status = main()
gc.freeze()
sys.exit(status)
