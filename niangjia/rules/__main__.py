"""``python -m niangjia.rules`` — the standalone command line (:mod:`niangjia.rules.cli`)."""

import sys

from niangjia.rules.cli import main

sys.exit(main())
