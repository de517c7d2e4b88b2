#!/usr/bin/env python
"""Django's command-line utility; the same as the `niangjia` console command."""

from niangjia.__main__ import main

if __name__ == "__main__":
    main()
