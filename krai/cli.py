"""The ``krai`` console script: Django's manage.py under the project's name.

Every Django command works (``krai migrate``, ``krai createsuperuser``); Krai's own commands
(``krai serve``, ``krai demo``) are ordinary management commands in ``krai.core``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["krai", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
