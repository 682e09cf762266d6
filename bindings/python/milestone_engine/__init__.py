"""milestone-engine for Python: the same rules as the browser's wasm package,
through libmilestone.so's C API (bindings/c/milestone.h) and ctypes. No
compile step: the package is plain Python over the shared library.

    from milestone_engine import Engine
    engine = Engine(policy={"minimumAmount": 1000})
    engine.validate(contract, {"now": "2026-11-27"})   # {"ok": ..., "issues": [...]}
    engine.check(contract, changeset["actions"], {"actor": "client", "now": ...})
    engine.timers(contract, {"now": "2026-12-15"})      # [{"milestoneId", "kind", "due", ...}]

Inputs: a dict or list is written as JSON; a str or bytes is taken as JSON
text already (a request body). Answers are dicts (or a list, for
invert_changes and timers), shaped as the JS package's. Data never raises: what the
engine cannot read comes back as an INVALID_JSON or SCHEMA issue. What does
raise: MilestoneError for a policy the engine cannot use (code POLICY) and
LibraryNotFound when libmilestone.so cannot be found.

The library is looked up in this order: $MILESTONE_LIBRARY (a path to the
file), next to this package (libmilestone.so copied into it), then the
project's build folders (build/native, build/pkg) when run from a checkout.
"""

from __future__ import annotations

import ctypes
import datetime
import json
import math
import os
import re
import threading
from pathlib import Path
from typing import Any, Optional, Union

__all__ = ["Engine", "MilestoneError", "LibraryNotFound", "library_version", "load_library"]

Json = Union[dict, list, str, bytes, int, float, bool, None]


class MilestoneError(Exception):
    """A programming error with a code (POLICY), as the JS package throws."""

    def __init__(self, code: str, message: str, issues: Optional[list] = None):
        super().__init__(message)
        self.code = code
        self.issues = issues or []


class LibraryNotFound(MilestoneError):
    def __init__(self, message: str):
        super().__init__("LIBRARY_NOT_FOUND", message)


_lib = None
_lib_lock = threading.Lock()


def _candidates():
    env = os.environ.get("MILESTONE_LIBRARY")
    if env:
        yield Path(env)
        return
    here = Path(__file__).resolve().parent
    yield here / "libmilestone.so"
    root = here.parent.parent.parent  # bindings/python/milestone_engine -> checkout
    for build in ("build/native", "build/pkg"):
        yield root / build / "bindings/c/libmilestone.so"


def _declare(lib):
    c_char_p = ctypes.c_char_p
    size = ctypes.c_size_t
    answer = ctypes.c_void_p  # freed with milestone_free, so not c_char_p
    engine = ctypes.c_void_p
    lib.milestone_version.restype = c_char_p
    lib.milestone_version.argtypes = []
    lib.milestone_engine_new.restype = engine
    lib.milestone_engine_new.argtypes = [c_char_p, size, ctypes.POINTER(ctypes.c_void_p)]
    lib.milestone_engine_free.restype = None
    lib.milestone_engine_free.argtypes = [engine]
    lib.milestone_free.restype = None
    lib.milestone_free.argtypes = [ctypes.c_void_p]
    signatures = {
        "milestone_engine_policy": [engine],
        "milestone_validate": [engine, c_char_p, size, c_char_p, size],
        "milestone_check": [engine, c_char_p, size, c_char_p, size, c_char_p, size],
        "milestone_apply": [engine, c_char_p, size, c_char_p, size, c_char_p, size],
        "milestone_diff": [engine, c_char_p, size, c_char_p, size],
        "milestone_apply_changes": [engine, c_char_p, size, c_char_p, size],
        "milestone_invert_changes": [c_char_p, size],
        "milestone_preview_reorder": [engine, c_char_p, size, c_char_p, size, ctypes.c_double,
                                      c_char_p, size],
        "milestone_parse_money": [c_char_p, size],
        "milestone_describe": [engine, c_char_p, size, c_char_p, size],
        "milestone_timers": [engine, c_char_p, size, c_char_p, size],
    }
    for name, argtypes in signatures.items():
        function = getattr(lib, name)
        function.restype = answer
        function.argtypes = argtypes
    return lib


def load_library(path: Union[str, Path, None] = None):
    """The ctypes handle of libmilestone.so (loaded once per process)."""
    global _lib
    with _lib_lock:
        if path is not None:
            return _declare(ctypes.CDLL(str(path)))
        if _lib is None:
            tried = []
            for candidate in _candidates():
                tried.append(str(candidate))
                if candidate.is_file():
                    _lib = _declare(ctypes.CDLL(str(candidate)))
                    break
            else:
                raise LibraryNotFound(
                    "libmilestone.so was not found (tried: " + ", ".join(tried) + "). "
                    "Build it (cmake --build <dir> --target milestone_c) and set "
                    "MILESTONE_LIBRARY to its path, or copy it next to milestone_engine/__init__.py.")
        return _lib


def library_version() -> str:
    """libmilestone's semver version, the npm package's and the CLI's."""
    return load_library().milestone_version().decode("utf-8")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Json, what: str) -> Union[bytes, dict]:
    """JSON text as UTF-8 bytes, or {"issue": ...} when the value cannot be JSON.

    Written as the browser writes it, so both ends hand the engine the same
    bytes: a str is JSON text already and, as TextEncoder does, a lone
    surrogate in it becomes U+FFFD; a value is dumped as JSON.stringify
    does, a lone surrogate escaped as \\uXXXX. bytes pass unchanged.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value).encode("utf-8")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = _LONE_SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), text)
        return text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        return {"issue": {"code": "INVALID_JSON", "severity": "error", "path": "",
                          "message": f"The {what} cannot be written as JSON ({error}).",
                          "hint": f"Pass a plain {what}: dicts, lists, str, int, float, bool, None."}}


def _utc_today() -> str:
    # The UTC date, as the JS package, the CLI and the server take "today"
    # (docs/errors.md): a draft is judged on the day the server re-checks it.
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _options(options: Optional[dict]) -> Union[bytes, dict]:
    """As the JS package: absent `now` is today's UTC date; None or '' is no clock."""
    if options is None:
        return _text({"now": _utc_today()}, "options")
    if isinstance(options, dict):
        shaped = dict(options)
        if "now" not in shaped:
            shaped["now"] = _utc_today()
        elif shaped["now"] == "":
            shaped["now"] = None
        return _text(shaped, "options")
    return _text(options, "options")


def _failed(issue: dict, **extra) -> dict:
    out = {"ok": False}
    out.update(extra)
    out["issues"] = [issue]
    return out


class Engine:
    """The rules under one policy. Immutable; safe to share between threads."""

    def __init__(self, policy: Optional[Json] = None, library: Union[str, Path, None] = None):
        self._lib = load_library(library) if library is not None else load_library()
        self._handle = None
        text = b"" if policy is None else _text(policy, "policy")
        if isinstance(text, dict):
            raise MilestoneError("POLICY", text["issue"]["message"], [text["issue"]])
        error = ctypes.c_void_p()
        handle = self._lib.milestone_engine_new(text, len(text), ctypes.byref(error))
        if not handle:
            answer = self._take(error.value) if error.value else {"ok": False, "issues": []}
            issues = answer.get("issues", [])
            message = issues[0]["message"] if issues else "The policy cannot be used."
            raise MilestoneError("POLICY", message, issues)
        self._handle = ctypes.c_void_p(handle)
        self.policy = self._take(self._lib.milestone_engine_policy(self._handle))

    # -- plumbing --

    def _take(self, pointer: Optional[int]) -> Any:
        if not pointer:
            raise MemoryError("libmilestone could not allocate its answer")
        try:
            return json.loads(ctypes.string_at(pointer).decode("utf-8"))
        finally:
            self._lib.milestone_free(pointer)

    def _call(self, name: str, *args) -> Any:
        if self._handle is None:
            raise MilestoneError("ENGINE_CLOSED", "This engine was closed; create a new one.")
        flat = []
        for arg in args:
            if isinstance(arg, bytes):
                flat += [arg, len(arg)]
            else:
                flat.append(arg)
        return self._take(getattr(self._lib, name)(self._handle, *flat))

    def close(self) -> None:
        if self._handle is not None:
            self._lib.milestone_engine_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    # -- the engine --

    def validate(self, contract: Json, options: Optional[dict] = None) -> dict:
        c, o = _text(contract, "contract"), _options(options)
        for t in (c, o):
            if isinstance(t, dict):
                return _failed(t["issue"])
        return self._call("milestone_validate", c, o)

    def check(self, contract: Json, action: Json, options: Optional[dict] = None) -> dict:
        c, a, o = _text(contract, "contract"), _text(action, "action"), _options(options)
        for t in (c, a, o):
            if isinstance(t, dict):
                return _failed(t["issue"])
        return self._call("milestone_check", c, a, o)

    def apply(self, contract: Json, action: Json, options: Optional[dict] = None) -> dict:
        c, a, o = _text(contract, "contract"), _text(action, "action"), _options(options)
        for t in (c, a, o):
            if isinstance(t, dict):
                return _failed(t["issue"], contract=None, events=[])
        return self._call("milestone_apply", c, a, o)

    def diff(self, before: Json, after: Json) -> dict:
        b, a = _text(before, "contract"), _text(after, "contract")
        for t in (b, a):
            if isinstance(t, dict):
                return _failed(t["issue"], changes=[], patch=[], summary=[])
        return self._call("milestone_diff", b, a)

    def apply_changes(self, contract: Json, changes: Json) -> dict:
        c, ch = _text(contract, "contract"), _text(changes, "list of changes")
        for t in (c, ch):
            if isinstance(t, dict):
                return _failed(t["issue"], contract=None)
        return self._call("milestone_apply_changes", c, ch)

    def invert_changes(self, changes: Json) -> Any:
        ch = _text(changes, "list of changes")
        if isinstance(ch, dict):
            return _failed(ch["issue"])
        return self._take(self._lib.milestone_invert_changes(ch, len(ch)))

    def preview_reorder(self, contract: Json, id: str, to_index: float,
                        options: Optional[dict] = None) -> dict:
        c, o = _text(contract, "contract"), _options(options)
        for t in (c, o):
            if isinstance(t, dict):
                return _failed(t["issue"], order=[], changes=[], allowedRange={"from": 0, "to": -1})
        if not isinstance(id, str):
            return _failed({"code": "SCHEMA", "severity": "error", "path": "/id",
                            "message": "The milestone to move must be named by its id, a string.",
                            "hint": "Pass the id of the milestone being dragged."},
                           order=[], changes=[], allowedRange={"from": 0, "to": -1})
        index = float(to_index) if isinstance(to_index, (int, float)) and not isinstance(to_index, bool) else math.nan
        i = id.encode("utf-8", "surrogatepass")
        return self._call("milestone_preview_reorder", c, i, index, o)

    def parse_money(self, text: str) -> dict:
        if not isinstance(text, str):
            return _failed({"code": "INVALID_AMOUNT", "severity": "error", "path": "",
                            "message": "An amount to read must be text, such as \"12.50\".",
                            "hint": "Pass what the person typed, as a string."})
        t = text.encode("utf-8", "surrogatepass")
        return self._take(self._lib.milestone_parse_money(t, len(t)))

    def describe(self, contract: Json, options: Optional[dict] = None) -> dict:
        """The view model (docs/view-model.md)."""
        c, o = _text(contract, "contract"), _options(options)
        for t in (c, o):
            if isinstance(t, dict):
                return _failed(t["issue"])
        return self._call("milestone_describe", c, o)

    def timers(self, contract: Json, options: Optional[dict] = None) -> Union[list, dict]:
        """The marketplace's running windows (SPEC 3.1): a list of
        {milestoneId, kind, due, daysLeft, action, message}, each `action`
        what the marketplace applies when due; {ok: False, issues} when the
        contract cannot be read exactly or `now` is None."""
        c, o = _text(contract, "contract"), _options(options)
        for t in (c, o):
            if isinstance(t, dict):
                return _failed(t["issue"])
        return self._call("milestone_timers", c, o)
