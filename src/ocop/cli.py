"""The `ocop` console command: manage.py with the project's settings.

`ocop <command>` runs any Django management command (`ocop migrate`, `ocop load-units`,
`ocop audit verify`, `ocop worker` …). `ocop help` lists them.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "ocop"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
