"""The Python binding and the C API under it: errors are answers, never
crashes; the version is the package's; describe and timers answer."""

import ctypes
import json
import threading
import unittest

from common import ROOT, Engine

import milestone_engine
from milestone_engine import MilestoneError, library_version, load_library


class Api(unittest.TestCase):
    def setUp(self):
        self.engine = Engine()

    def test_version_is_the_projects_one_version(self):
        version = library_version()
        self.assertRegex(version, r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
        cmake = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
        self.assertIn(f"VERSION {version} ", cmake)
        dist = ROOT / "dist" / "milestone-engine" / "package.json"
        if dist.is_file():
            self.assertEqual(json.loads(dist.read_text(encoding="utf-8"))["version"], version)

    def test_default_policy_and_overrides(self):
        usd = self.engine.policy["currencies"]["USD"]
        self.assertEqual((usd["exponent"], usd["minimumAmount"]), (2, 500))
        # The one-currency shorthand is written back as the currencies table.
        strict = Engine(policy={"minimumAmount": 1000}).policy
        self.assertEqual(strict["currencies"]["USD"]["minimumAmount"], 1000)
        self.assertNotIn("minimumAmount", strict)
        self.assertEqual(Engine(policy='{"maxMilestones": 3}').policy["maxMilestones"], 3)

    def test_a_policy_it_cannot_use_raises_with_issues(self):
        for policy in ({"minimumAmount": "x"}, {"nope": 1}, "{", [1]):
            with self.subTest(policy=policy):
                with self.assertRaises(MilestoneError) as caught:
                    Engine(policy=policy)
                self.assertEqual(caught.exception.code, "POLICY")
                self.assertTrue(caught.exception.issues)
                self.assertTrue(all(i["code"] for i in caught.exception.issues))

    def test_unreadable_input_is_an_issue_not_an_exception(self):
        for text in ("", "{", "[1,", "nul", "\ufeff{}", b"\xff\xfe", b"{\"a\":\"\xed\xa0\x80\"}"):
            with self.subTest(text=text):
                answer = self.engine.validate(text, {"now": None})
                self.assertFalse(answer["ok"])
                self.assertIn(answer["issues"][0]["code"], {"INVALID_JSON", "INVALID_TEXT", "SCHEMA"})
        answer = self.engine.validate(float("nan"), {"now": None})
        self.assertEqual(answer["issues"][0]["code"], "INVALID_JSON")
        answer = self.engine.validate({"x": object()}, {"now": None})
        self.assertEqual(answer["issues"][0]["code"], "INVALID_JSON")
        cyclic = []
        cyclic.append(cyclic)
        self.assertEqual(self.engine.validate(cyclic)["issues"][0]["code"], "INVALID_JSON")

    def test_every_call_answers_json_for_garbage(self):
        garbage = "{\"milestones\": 7}"
        self.assertFalse(self.engine.check(garbage, "[", {"actor": "client"})["ok"])
        self.assertFalse(self.engine.apply(garbage, {"type": "fund"}, {"actor": "nobody"})["ok"])
        self.assertFalse(self.engine.diff(garbage, "")["ok"])
        self.assertFalse(self.engine.apply_changes(garbage, "{}")["ok"])
        self.assertFalse(self.engine.invert_changes("{")["ok"])
        self.assertFalse(self.engine.preview_reorder(garbage, "m-1", float("inf"))["ok"])
        self.assertFalse(self.engine.preview_reorder(garbage, 7, 0)["ok"])
        self.assertFalse(self.engine.parse_money(12)["ok"])
        self.assertEqual(self.engine.parse_money("12.50"), {"ok": True, "amount": 1250})

    def test_c_api_null_engine_and_null_text_are_answered(self):
        lib = load_library()
        pointer = lib.milestone_validate(None, None, 0, None, 0)
        try:
            answer = json.loads(ctypes.string_at(pointer))
        finally:
            lib.milestone_free(pointer)
        self.assertEqual(answer["issues"][0]["code"], "NO_ENGINE")
        lib.milestone_free(None)
        lib.milestone_engine_free(None)
        error = ctypes.c_void_p()
        self.assertFalse(lib.milestone_engine_new(b"{", 1, ctypes.byref(error)))
        self.assertTrue(error.value)
        answer = json.loads(ctypes.string_at(error.value))
        lib.milestone_free(error.value)
        self.assertEqual(answer["ok"], False)
        self.assertFalse(lib.milestone_engine_new(b"{", 1, None))  # no out-pointer: still safe

    def test_describe_and_timers_answer(self):
        contract = {"id": "c", "version": 1, "currency": "USD", "status": "open",
                    "initiationFeeCharged": True, "carryOver": 0,
                    "milestones": [{"id": "m-1", "title": "Build", "amount": 50000,
                                    "state": "submitted", "funded": 50000, "released": 0,
                                    "submittedOn": "2026-12-01"}]}
        view = self.engine.describe(contract, {"actor": "marketplace", "now": "2026-12-05"})
        self.assertTrue(view["ok"], view.get("issues"))
        row = view["milestones"][0]
        self.assertEqual(row["timer"]["due"], "2026-12-15")
        self.assertEqual(row["can"]["release"]["issue"]["code"], "NOT_DUE")
        timers = self.engine.timers(contract, {"now": "2026-12-05"})
        self.assertEqual(timers, [row["timer"]])
        self.assertEqual(timers[0]["action"], {"type": "release", "id": "m-1"})
        self.assertEqual(timers[0]["daysLeft"], 10)
        applied = self.engine.apply(contract, timers[0]["action"],
                                    {"actor": "marketplace", "now": timers[0]["due"]})
        self.assertTrue(applied["ok"], applied["issues"])
        self.assertEqual(applied["contract"]["milestones"][0]["state"], "released")

    def test_timers_refuse_what_they_cannot_read(self):
        for contract, options, code in (
                ("{", {"now": "2026-12-05"}, "INVALID_JSON"),
                ({"id": 1}, {"now": "2026-12-05"}, "SCHEMA"),
                ({"id": "c"}, {"now": None}, "SCHEMA"),
                ({"x": object()}, {"now": "2026-12-05"}, "INVALID_JSON"),
                ({}, "not options", "SCHEMA"),
                ({}, {"now": "2026-02-30"}, "SCHEMA")):
            with self.subTest(contract=contract, options=options):
                answer = self.engine.timers(contract, options)
                self.assertIsInstance(answer, dict)
                self.assertFalse(answer["ok"])
                self.assertIn(code, [i["code"] for i in answer["issues"]])
        # Absent `now` is today (UTC): a list, like every call's default.
        self.assertEqual(self.engine.timers({"id": "c", "version": 1, "currency": "USD",
                                             "status": "open", "initiationFeeCharged": False,
                                             "carryOver": 0, "milestones": []}), [])

    def test_a_closed_engine_raises(self):
        engine = Engine()
        with engine:
            self.assertTrue(engine.validate("{}", {"now": None}) is not None)
        with self.assertRaises(MilestoneError) as caught:
            engine.validate({})
        self.assertEqual(caught.exception.code, "ENGINE_CLOSED")

    def test_one_engine_from_many_threads(self):
        contract = {"id": "c", "version": 1, "currency": "USD", "status": "open",
                    "initiationFeeCharged": False, "carryOver": 0, "milestones": []}
        results = []

        def work():
            for _ in range(200):
                results.append(self.engine.validate(contract, {"now": None})["ok"])

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(results, [True] * 800)

    def test_library_not_found_is_explained(self):
        saved = milestone_engine._lib
        try:
            milestone_engine._lib = None
            import os
            old = os.environ.get("MILESTONE_LIBRARY")
            os.environ["MILESTONE_LIBRARY"] = "/nonexistent/libmilestone.so"
            with self.assertRaises(milestone_engine.LibraryNotFound) as caught:
                load_library()
            self.assertIn("MILESTONE_LIBRARY", str(caught.exception))
        finally:
            milestone_engine._lib = saved
            if old is None:
                os.environ.pop("MILESTONE_LIBRARY", None)
            else:
                os.environ["MILESTONE_LIBRARY"] = old


if __name__ == "__main__":
    unittest.main()
