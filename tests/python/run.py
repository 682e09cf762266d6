"""Runs the Python tests (stdlib unittest) and ends with TAP-style counts
("# pass N", "# fail N") that tools/test adds up. Exit status 1 on failure."""

import sys
import unittest
from pathlib import Path


class Counting(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self.failed_subtests = set()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addSubTest(self, test, subtest, outcome):
        super().addSubTest(test, subtest, outcome)
        if outcome is not None:
            self.failed_subtests.add(test.id())


def main():
    here = Path(__file__).resolve().parent
    suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
    runner = unittest.TextTestRunner(verbosity=1, resultclass=Counting, stream=sys.stdout)
    result = runner.run(suite)
    # A failed subtest counts its test once, as a failure.
    failing = {getattr(t, "test_case", t).id() for t, _ in result.failures + result.errors}
    failing |= result.failed_subtests
    failed = len(failing) + len(result.unexpectedSuccesses)
    print(f"# tests {result.passed + failed}")
    print(f"# pass {result.passed}")
    print(f"# fail {failed}")
    print(f"# skip {len(result.skipped)}")
    return 0 if failed == 0 and result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
