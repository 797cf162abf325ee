"""``python -m toolkit ...`` runs the command line (see :mod:`toolkit.cli`)."""
import sys

from toolkit.cli import main

sys.exit(main())
