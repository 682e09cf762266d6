#pragma once

#include <string>
#include <vector>

namespace milestone {

enum class Severity { kError, kWarning };

// One finding about a document or an action. `code` is stable public API (see
// docs/rules.md); `path` is a JSON Pointer into the document or the action.
struct Issue {
  std::string code;
  Severity severity = Severity::kError;
  std::string path;
  std::string milestone_id;  // empty when the issue concerns no milestone
  std::string message;       // one plain English sentence
  std::string hint;          // how to fix it; empty when there is nothing to suggest
};

using IssueList = std::vector<Issue>;

// True when no issue has severity error.
bool NoErrors(const IssueList& issues);

// Appends `source` to `target`.
void Append(IssueList* target, const IssueList& source);

// Escapes one JSON Pointer reference token ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& token);

}  // namespace milestone
