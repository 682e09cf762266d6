"""milestone.h is C: a C99 program (c_api_smoke.c), compiled with -pedantic
-Werror against the header and linked to libmilestone.so, runs every call.
Skipped when there is no C compiler."""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from common import ROOT

import milestone_engine


class CHeader(unittest.TestCase):
    def test_a_c99_program_uses_every_call(self):
        cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
        if cc is None:
            self.skipTest("no C compiler")
        library = Path(milestone_engine.load_library()._name).resolve()
        with tempfile.TemporaryDirectory() as work:
            program = Path(work) / "smoke"
            built = subprocess.run(
                [cc, "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                 "-I", str(ROOT / "bindings" / "c"), str(Path(__file__).parent / "c_api_smoke.c"),
                 str(library), f"-Wl,-rpath,{library.parent}", "-o", str(program)],
                capture_output=True, text=True, timeout=120, check=False)
            self.assertEqual(built.returncode, 0, built.stderr)
            ran = subprocess.run([str(program)], capture_output=True, text=True, timeout=60, check=False)
            self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
            self.assertIn("0 failed", ran.stdout)
            self.assertIn(f"version {milestone_engine.library_version()}", ran.stdout)


if __name__ == "__main__":
    unittest.main()
