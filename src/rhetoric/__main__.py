"""``python -m rhetoric``: the ``rhetoric`` command without the console script.

Useful where the script directory is not on ``PATH`` (Windows, a user install) or
where ``make`` is missing: ``python -m rhetoric report --out my_report``.
"""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
