// Shared by every libFuzzer target in tests/fuzz: how an input is cut into the
// arguments of one call, and the invariants every JSON answer must keep.
//
// An input is its arguments separated by NUL bytes (JSON text never holds a raw
// NUL, so the separator cannot be confused with a document). Missing trailing
// arguments are empty strings.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/codes.h"
#include "milestone/issue.h"

namespace fuzz {

using Json = nlohmann::json;

// Reports a broken invariant and aborts, which libFuzzer records as a crash
// with the input that caused it.
[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "\nINVARIANT BROKEN: %s\n", what);
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size() > 4000 ? 4000 : detail.size()),
                 detail.data());
  }
  std::abort();
}

inline void Require(bool condition, const char* what, std::string_view detail = {}) {
  if (!condition) Fail(what, detail);
}

// The first `count` NUL-separated arguments of the input.
inline std::vector<std::string_view> Split(const uint8_t* data, size_t size, size_t count) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) break;
    out.push_back(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
  }
  out.push_back(rest);
  while (out.size() < count) out.push_back(std::string_view());
  return out;
}

// The answer made what nlohmann reads, where RFC 8259's grammar allows what
// nlohmann refuses:
// - the engine writes the bytes of a lone surrogate as a \uD8xx escape, as
//   JavaScript's JSON.stringify does: every surrogate escape becomes \uFFFD;
// - the engine keeps a number it has no field for as it was spelled (json.h),
//   "1e400" too, which no double holds: such a number becomes 0.
inline std::string AsNlohmannReads(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '"') in_string = false;
      if (c != '\\' || i + 1 >= text.size()) {
        out.push_back(c);
        continue;
      }
      if (text[i + 1] == 'u' && i + 5 < text.size() && (text[i + 2] == 'd' || text[i + 2] == 'D') &&
          std::strchr("89abcdefABCDEF", text[i + 3]) != nullptr && text[i + 3] != '\0') {
        out += "\\ufffd";
        i += 5;
        continue;
      }
      out.push_back(c);
      out.push_back(text[i + 1]);
      ++i;
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '-' && (c < '0' || c > '9')) {
      out.push_back(c);
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != '\0' &&
           std::strchr("+-.0123456789eE", text[end]) != nullptr) {
      ++end;
    }
    const std::string number = text.substr(i, end - i);
    out += std::isinf(std::strtod(number.c_str(), nullptr)) ? "0" : number;
    i = end - 1;
  }
  return out;
}

// Parses an answer as strict JSON (nlohmann rejects ill-formed UTF-8 too).
inline Json ParseAnswer(const std::string& text) {
  Json v = Json::parse(AsNlohmannReads(text), nullptr, /*allow_exceptions=*/false);
  Require(!v.is_discarded(), "the answer is not valid JSON", text);
  return v;
}

inline bool KnownCode(const std::string& code) {
  for (const auto& entry : milestone::codes::kCatalogue) {
    if (code == entry.code) return true;
  }
  return false;
}

// Every issue is {code, severity, path, message, hint?, milestoneId?} with a
// catalogued code, and `ok` says exactly "no error among the issues".
inline void CheckIssues(const Json& issues, const std::string& text, bool* any_error) {
  Require(issues.is_array(), "issues is not an array", text);
  *any_error = false;
  for (const Json& issue : issues) {
    Require(issue.is_object(), "an issue is not an object", text);
    Require(issue.contains("code") && issue["code"].is_string(), "an issue has no code", text);
    Require(KnownCode(issue["code"].get<std::string>()), "an issue code is not in codes.h", text);
    Require(issue.contains("severity") && issue["severity"].is_string(), "no severity", text);
    const std::string severity = issue["severity"].get<std::string>();
    Require(severity == "error" || severity == "warning", "severity is not error|warning", text);
    if (severity == "error") *any_error = true;
    Require(issue.contains("path") && issue["path"].is_string(), "an issue has no path", text);
    const std::string path = issue["path"].get<std::string>();
    Require(path.empty() || path[0] == '/', "an issue path is not a JSON Pointer", text);
    Require(issue.contains("message") && issue["message"].is_string() &&
                !issue["message"].get<std::string>().empty(),
            "an issue has no message", text);
    if (issue.contains("hint")) Require(issue["hint"].is_string(), "hint is not a string", text);
  }
}

// {ok: boolean, issues: [...], ...} with ok == no error issue. Returns the value.
inline Json CheckEnvelope(const std::string& text) {
  Json v = ParseAnswer(text);
  Require(v.is_object(), "the answer is not an object", text);
  Require(v.contains("ok") && v["ok"].is_boolean(), "the answer has no boolean ok", text);
  Require(v.contains("issues"), "the answer has no issues", text);
  bool any_error = false;
  CheckIssues(v["issues"], text, &any_error);
  if (v["ok"].get<bool>()) Require(!any_error, "ok is true beside an error issue", text);
  if (!v["ok"].get<bool>()) Require(any_error, "ok is false with no error issue", text);
  return v;
}

inline void CheckIssueList(const milestone::IssueList& issues, bool ok, const char* where) {
  Require(ok == milestone::NoErrors(issues), where);
}

}  // namespace fuzz
