"""The shared rule cases of tests/fixtures/ through libmilestone's C API:
Python must answer them as the native and wasm suites do. One test a case;
rawBytes cases run too (bytes cross the C API as they are)."""

import re
import unittest

from common import brief, cases, document_of, engine_for, options_of


def assert_subset(test, actual, expected, where):
    if isinstance(expected, list):
        test.assertIsInstance(actual, list, where)
        test.assertEqual(len(actual), len(expected), where + ": length")
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_subset(test, a, e, f"{where}/{i}")
    elif isinstance(expected, dict):
        test.assertIsInstance(actual, dict, where)
        for key, value in expected.items():
            test.assertIn(key, actual, where)
            assert_subset(test, actual[key], value, f"{where}/{key}")
    else:
        test.assertEqual(actual, expected, where)


def strip_volatile(contract):
    return contract["milestones"]


class ValidateFixtures(unittest.TestCase):
    pass


class ActionFixtures(unittest.TestCase):
    pass


class DiffFixtures(unittest.TestCase):
    pass


def validate_case(data):
    def run(self):
        engine = engine_for(data.get("policy"))
        result = engine.validate(document_of(data), options_of(data))
        self.assertEqual(result["ok"], data["expect"]["ok"], result["issues"])
        self.assertEqual(brief(result["issues"]), brief(data["expect"]["issues"]))
    return run


def action_case(data):
    def run(self):
        engine = engine_for(data.get("policy"))
        doc, expect = document_of(data), data["expect"]
        result = engine.apply(doc, data["action"], options_of(data))
        self.assertEqual(result["ok"], expect["ok"], result["issues"])
        if "issues" in expect:
            self.assertEqual(brief(result["issues"]), brief(expect["issues"]))
        if "events" in expect:
            self.assertEqual([e["type"] for e in result["events"]], expect["events"])
        if "contract" in expect:
            assert_subset(self, result["contract"], expect["contract"], "contract")
        checked = engine.check(doc, data["action"], options_of(data))
        self.assertEqual(checked["ok"], result["ok"])
    return run


def diff_case(data):
    def run(self):
        engine = engine_for(data.get("policy"))
        expect = data["expect"]
        kind = (data.get("action") or {}).get("type", "diff")
        if kind == "diff":
            before, after = data["input"]["before"], data["input"]["after"]
            result = engine.diff(before, after)
            for key in ("changes", "patch", "summary"):
                if key in expect:
                    self.assertEqual(result[key], expect[key], key)
            if "moveCount" in expect:
                self.assertEqual(sum(1 for c in result["changes"] if c["op"] == "move"),
                                 expect["moveCount"])
            forward = engine.apply_changes(before, result["changes"])
            self.assertTrue(forward["ok"], forward["issues"])
            self.assertEqual(forward["contract"]["milestones"],
                             engine.apply_changes(after, [])["contract"]["milestones"])
            back = engine.apply_changes(after, engine.invert_changes(result["changes"]))
            self.assertTrue(back["ok"], back["issues"])
            self.assertEqual(back["contract"]["milestones"],
                             engine.apply_changes(before, [])["contract"]["milestones"])
        elif kind == "applyChanges":
            result = engine.apply_changes(data["input"], data["action"]["changes"])
            self.assertEqual(result["ok"], expect["ok"])
            if "issues" in expect:
                self.assertEqual(brief(result["issues"]), brief(expect["issues"]))
            if "order" in expect:
                self.assertEqual([m["id"] for m in result["contract"]["milestones"]], expect["order"])
        elif kind == "previewReorder":
            result = engine.preview_reorder(data["input"], data["action"]["id"],
                                            data["action"]["toIndex"], options_of(data))
            self.assertEqual(result["ok"], expect["ok"])
            for key in ("order", "changes", "allowedRange"):
                if key in expect:
                    self.assertEqual(result[key], expect[key], key)
            if "issues" in expect:
                self.assertEqual(brief(result["issues"]), brief(expect["issues"]))
        else:
            self.fail(f"unknown fixture action {kind}")
    return run


def method_name(file):
    return "test_" + re.sub(r"\W", "_", file[:-len(".json")])


for cls, folder, make in ((ValidateFixtures, "validate", validate_case),
                          (ActionFixtures, "actions", action_case),
                          (DiffFixtures, "diff", diff_case)):
    for file, data in cases(folder):
        setattr(cls, method_name(file), make(data))


if __name__ == "__main__":
    unittest.main()
