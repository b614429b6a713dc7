"""``python -m python_architect`` runs the CLI."""

import sys

from .cli import main

sys.exit(main())
