#!/usr/bin/env python
"""Django's command-line utility; `ocop` (installed into the venv) is the same thing."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from ocop.cli import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv)
