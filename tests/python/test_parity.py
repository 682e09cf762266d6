"""A Python back end re-checks exactly as the browser did: every fixture's
full answer (messages, hints, contracts, events, patches) from libmilestone
through Python equals the wasm package's answer for the same input, as do
timers and the escrow actions of every role (SPEC 3.1), and a
changeset a browser session produced is re-checked and applied by Python
with the browser's own verdict."""

import copy
import unittest

from common import cases, document_of, engine_for, options_of, wasm_answers

NOW = "2026-11-27"


def sample_contract():
    return {
        "id": "ctr-1001", "version": 4, "currency": "USD", "status": "open",
        "initiationFee": 299, "initiationFeeCharged": True, "carryOver": 0,
        "milestones": [
            {"id": "m-1", "title": "Wireframes", "description": "", "dueDate": "2026-12-15",
             "amount": 50000, "state": "released", "funded": 50000, "released": 50000},
            {"id": "m-2", "title": "Build", "description": "API and UI", "dueDate": "2027-01-10",
             "amount": 120000, "state": "active", "funded": 120000, "released": 0},
            {"id": "m-3", "title": "Launch", "description": "", "dueDate": None, "amount": 30000,
             "state": "not_funded", "funded": 0, "released": 0},
            {"id": "m-4", "title": "Support", "description": "", "dueDate": None, "amount": 20000,
             "state": "not_funded", "funded": 0, "released": 0},
        ],
        "changeRequest": None,
    }


# (JS method, Python method, args) for every fixture the browser can express.
def requests():
    out = []
    for file, data in cases("validate"):
        doc = document_of(data, raw_ok=False)
        if doc is not None:
            out.append((f"validate/{file}", data.get("policy"), "validate", "validate",
                        [doc, options_of(data)]))
    for file, data in cases("actions"):
        doc = document_of(data, raw_ok=False)
        if doc is None:
            continue
        for js, py in (("apply", "apply"), ("check", "check")):
            out.append((f"actions/{file} {js}", data.get("policy"), js, py,
                        [doc, data["action"], options_of(data)]))
    for file, data in cases("diff"):
        kind = (data.get("action") or {}).get("type", "diff")
        if kind == "diff":
            args = [data["input"]["before"], data["input"]["after"]]
            out.append((f"diff/{file}", data.get("policy"), "diff", "diff", args))
        elif kind == "applyChanges":
            out.append((f"diff/{file}", data.get("policy"), "applyChanges", "apply_changes",
                        [data["input"], data["action"]["changes"]]))
        elif kind == "previewReorder":
            out.append((f"diff/{file}", data.get("policy"), "previewReorder", "preview_reorder",
                        [data["input"], data["action"]["id"], data["action"]["toIndex"],
                         options_of(data)]))
    for text in ("12.50", "$1,234.56", "12.345", "", "abc"):
        out.append((f"parseMoney {text!r}", None, "parseMoney", "parse_money", [text]))
    return out


class FixtureParity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = requests()
        cls.browser = wasm_answers([{"policy": p, "method": js, "args": a}
                                    for _, p, js, _, a in cls.cases])

    def test_every_fixture_answers_alike(self):
        self.assertGreater(len(self.cases), 150)
        for (name, policy, _, py, args), browser in zip(self.cases, self.browser):
            with self.subTest(name):
                python = getattr(engine_for(policy), py)(*copy.deepcopy(args))
                self.assertEqual(python, browser)


class DescribeParity(unittest.TestCase):
    """The view model from Python is the browser's."""

    def test_describe_answers_alike(self):
        requests = []
        for file, data in cases("validate"):
            doc = document_of(data, raw_ok=False)
            if doc is None:
                continue
            for actor in ("client", "freelancer", "marketplace"):
                requests.append((file, data.get("policy"), [doc, {"actor": actor, "now": None}]))
        browser = wasm_answers([{"policy": p, "method": "describe", "args": a} for _, p, a in requests])
        for (file, policy, args), expected in zip(requests, browser):
            with self.subTest(file, actor=args[1]["actor"]):
                self.assertEqual(engine_for(policy).describe(*copy.deepcopy(args)), expected)


def escrow_contracts():
    """The sample contract at each step of escrow over time (SPEC 3.1)."""
    submitted = sample_contract()
    submitted["milestones"][1].update(state="submitted", submittedOn="2026-12-01")
    asked = copy.deepcopy(submitted)
    asked["milestones"][1]["refundRequest"] = {"requestedOn": "2026-12-03", "message": "Stop."}
    disputed = copy.deepcopy(submitted)
    disputed["milestones"][1]["dispute"] = {"by": "freelancer", "openedOn": "2026-12-04",
                                            "reason": "Delivered."}
    return {"active": sample_contract(), "submitted": submitted, "asked": asked,
            "disputed": disputed}


ESCROW_ACTIONS = [
    {"type": "submit", "id": "m-2"},
    {"type": "release", "id": "m-2"},
    {"type": "requestRefund", "id": "m-2", "message": "We cancelled."},
    {"type": "approveRefund", "id": "m-2"},
    {"type": "declineRefund", "id": "m-2", "reason": "The work was delivered."},
    {"type": "dispute", "id": "m-2", "reason": "Half is missing."},
    {"type": "withdrawDispute", "id": "m-2"},
    {"type": "resolveDispute", "id": "m-2", "release": 84000, "refund": 36000},
    {"type": "resolveDispute", "id": "m-2", "release": 84000, "refund": 1},
    {"type": "resolveDispute", "id": "m-2", "release": -1, "refund": 0},
    {"type": "end"},
    [{"type": "dispute", "id": "m-2", "reason": "x"}, {"type": "withdrawDispute", "id": "m-2"}],
]


class EscrowParity(unittest.TestCase):
    """Timers, the escrow actions and the marketplace actor answer in Python
    exactly as in the browser: every action x actor x day x contract state."""

    def test_escrow_actions_timers_and_views_answer_alike(self):
        requests = []
        for state, contract in escrow_contracts().items():
            for now in ("2026-12-05", "2026-12-15", None):
                requests.append((f"{state} timers {now}", "timers", "timers",
                                 [contract, {"now": now}]))
                for actor in ("client", "freelancer", "marketplace"):
                    options = {"actor": actor, "now": now}
                    requests.append((f"{state} describe {actor} {now}", "describe", "describe",
                                     [contract, options]))
                    for action in ESCROW_ACTIONS:
                        for js, py in (("apply", "apply"), ("check", "check")):
                            requests.append((f"{state} {js} {actor} {now} {action}", js, py,
                                             [contract, action, options]))
        self.assertGreater(len(requests), 800)
        browser = wasm_answers([{"policy": None, "method": js, "args": a}
                                for _, js, _, a in requests])
        engine = engine_for(None)
        accepted = set()
        for (name, _, py, args), expected in zip(requests, browser):
            with self.subTest(name):
                answer = getattr(engine, py)(*copy.deepcopy(args))
                self.assertEqual(answer, expected)
                if py == "apply" and answer["ok"]:
                    accepted.add(args[1]["type"] if isinstance(args[1], dict) else "batch")
        # Not a parity of refusals only: every escrow action passed somewhere.
        self.assertTrue({"submit", "release", "requestRefund", "approveRefund", "declineRefund",
                         "dispute", "withdrawDispute", "resolveDispute", "end", "batch"} <= accepted,
                        accepted)

    def test_timers_of_every_fixture_answer_alike(self):
        requests = []
        for file, data in [*cases("validate"), *cases("actions")]:
            doc = document_of(data, raw_ok=False)
            if doc is not None:
                requests.append((file, data.get("policy"),
                                 [doc, {"now": (data.get("options") or {}).get("now") or NOW}]))
        browser = wasm_answers([{"policy": p, "method": "timers", "args": a}
                                for _, p, a in requests])
        for (file, policy, args), expected in zip(requests, browser):
            with self.subTest(file):
                self.assertEqual(engine_for(policy).timers(*copy.deepcopy(args)), expected)


class ChangesetRecheck(unittest.TestCase):
    """The page's session builds a changeset; the Python server re-checks it."""

    EDITS = [
        {"type": "edit", "id": "m-3", "set": {"amount": 45000, "title": "Launch v1"}},
        {"type": "add", "index": 4, "milestone": {"title": "Handover", "amount": 15000,
                                                  "dueDate": "2027-03-01"}},
        {"type": "move", "id": "m-4", "toIndex": 2},
    ]

    def setUp(self):
        self.engine = engine_for(None)

    def browser_changeset(self, actor, edits):
        [answer] = wasm_answers([{"policy": None, "method": "changeset",
                                  "args": [sample_contract(), {"actor": actor, "now": NOW}, edits]}])
        return answer

    def recheck_both(self, changeset, options):
        browser_check, browser_apply = wasm_answers([
            {"policy": None, "method": "check",
             "args": [sample_contract(), changeset["actions"], options]},
            {"policy": None, "method": "apply",
             "args": [sample_contract(), changeset["actions"], options]},
        ])
        python_check = self.engine.check(sample_contract(), changeset["actions"], options)
        python_apply = self.engine.apply(sample_contract(), changeset["actions"], options)
        self.assertEqual(python_check, browser_check)
        self.assertEqual(python_apply, browser_apply)
        return python_check, python_apply

    def test_client_changeset_is_accepted_as_the_browser_did(self):
        answer = self.browser_changeset("client", self.EDITS)
        self.assertEqual(answer["applied"], [True, True, True])
        changeset = answer["changeset"]
        self.assertTrue(changeset["ok"], changeset["issues"])
        self.assertEqual(changeset["contractId"], "ctr-1001")
        options = {"actor": changeset["actor"], "now": NOW}
        checked, applied = self.recheck_both(changeset, options)
        self.assertTrue(checked["ok"], checked["issues"])
        self.assertTrue(applied["ok"])
        titles = [m["title"] for m in applied["contract"]["milestones"]]
        self.assertEqual(titles, ["Wireframes", "Build", "Support", "Launch v1", "Handover"])

    def test_freelancer_changeset_becomes_a_proposal(self):
        answer = self.browser_changeset("freelancer", self.EDITS[:1])
        changeset = answer["changeset"]
        self.assertTrue(changeset["ok"], changeset["issues"])
        _, applied = self.recheck_both(changeset, {"actor": "freelancer", "now": NOW})
        self.assertTrue(applied["ok"], applied["issues"])
        self.assertIsNotNone(applied["contract"].get("changeRequest"))

    def test_a_tampered_changeset_is_refused_by_both_with_the_same_issues(self):
        changeset = self.browser_changeset("client", self.EDITS)["changeset"]
        tampered = copy.deepcopy(changeset)
        # What a hand-edited request could carry: an amount under the minimum
        # and an edit of a released milestone.
        tampered["actions"].append({"type": "edit", "id": "m-3", "set": {"amount": 100}})
        tampered["actions"].append({"type": "edit", "id": "m-1", "set": {"title": "Changed"}})
        checked, applied = self.recheck_both(tampered, {"actor": "client", "now": NOW})
        self.assertFalse(checked["ok"])
        self.assertFalse(applied["ok"])
        codes = {i["code"] for i in checked["issues"]}
        self.assertTrue({"AMOUNT_BELOW_MINIMUM", "MILESTONE_LOCKED"} & codes, codes)


if __name__ == "__main__":
    unittest.main()
