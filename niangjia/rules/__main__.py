"""``python -m niangjia.rules`` — the standalone command line."""

import sys

from niangjia.rules.cli import main

sys.exit(main())
