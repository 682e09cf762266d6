"""Shared by the Python tests: the checkout, the fixtures, the library."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "bindings" / "python"))

from milestone_engine import Engine  # noqa: E402

# Mirrors tests/engine/fixture_loader.cc's generators (and tests/js/fixtures.test.mjs).
GENERATED_BASE = ('{"id":"ctr-gen","version":1,"currency":"USD","status":"open",'
                  '"initiationFeeCharged":false,"carryOver":0,"milestones":[{"id":"m-1",'
                  '"title":"Only","amount":1000,"state":"not_funded","funded":0,"released":0}],'
                  '"changeRequest":null')


def cases(folder):
    directory = FIXTURES / folder
    for path in sorted(directory.glob("*.json")):
        with open(path, encoding="utf-8") as f:
            yield path.name, json.load(f)


def document_of(fixture, raw_ok=True):
    """The document a case describes: a dict, JSON text (str), or bytes for
    rawBytes cases (which Python, unlike JS, can send). None: not expressible."""
    if "input" in fixture:
        return fixture["input"]
    if "inputText" in fixture:
        text = fixture["inputText"]
        raw = fixture.get("rawBytes")
        if raw:
            if not raw_ok:
                return None
            return text.encode("utf-8").replace(raw["placeholder"].encode("utf-8"),
                                                bytes.fromhex(raw["hex"]))
        return text
    generate = fixture["generate"]
    doc = GENERATED_BASE
    if generate["kind"] == "deep":
        depth = generate["depth"]
        doc += ',"deep":' + "[" * (depth - 1) + "]" * (depth - 1)
    elif generate["kind"] == "size":
        doc += ',"padding":"'
        if generate["bytes"] > len(doc) + 2:
            doc += "x" * (generate["bytes"] - len(doc) - 2)
        doc += '"'
    return doc + "}"


def options_of(fixture, **extra):
    """Options as a case gives them; absent means no clock."""
    out = {"now": None}
    out.update(extra)
    out.update(fixture.get("options") or {})
    return out


def brief(issues):
    return [{"code": i["code"], "path": i["path"], "severity": i["severity"]} for i in issues]


_engines = {}


def engine_for(policy):
    key = json.dumps(policy, sort_keys=True)
    if key not in _engines:
        _engines[key] = Engine(policy=policy)
    return _engines[key]


def wasm_answers(requests):
    """The wasm package's answers (run by node) for [{policy, method, args}]."""
    node = os.environ.get("NODE", "node")
    done = subprocess.run([node, str(Path(__file__).parent / "wasm_answers.mjs")],
                          input=json.dumps(requests).encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError("node wasm_answers.mjs failed: " + done.stderr.decode("utf-8", "replace"))
    return json.loads(done.stdout)
