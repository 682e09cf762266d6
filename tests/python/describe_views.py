"""Views from libmilestone's describe, for tests/schemas while the JS package
has none: reads [[contract, options], ...] as JSON on stdin, prints the
answers as a JSON array. MILESTONE_LIBRARY names the library."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "bindings" / "python"))

from milestone_engine import Engine  # noqa: E402

engine = Engine()
requests = json.load(sys.stdin)
json.dump([engine.describe(contract, options) for contract, options in requests], sys.stdout)
