"""The `niangjia` console command: Django's manage.py commands plus ours."""

import os
import sys


def main() -> None:
    """Run a management command with niangjia's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
