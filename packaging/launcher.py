"""Entry script of the bundle: the same ``chokepoint`` command as the console script."""

import sys

from app.main import main

sys.exit(main())
