#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "milestone/contract.h"
#include "milestone/money.h"

namespace milestone {

enum class ChangeOp { kAdd, kDelete, kEdit, kMove };
enum class EditField { kTitle, kDescription, kDueDate, kAmount };
const char* EditFieldName(EditField field);  // "title", "dueDate", ...

// The value of an editable field: null (a dueDate), text, or minor units.
using FieldValue = std::variant<std::nullptr_t, std::string, int64_t>;

// One step of a diff. Indices mean the list as it is at that step.
struct Change {
  ChangeOp op = ChangeOp::kEdit;
  std::string id;
  int64_t index = 0;                    // add, delete
  Milestone milestone;                  // add, delete: the whole milestone
  EditField field = EditField::kTitle;  // edit
  FieldValue from;                      // edit
  FieldValue to;                        // edit
  int64_t from_index = 0;               // move
  int64_t to_index = 0;                 // move
};

struct DiffResult {
  std::vector<Change> changes;
  std::string patch;  // RFC 6902 JSON Patch against `before`, as JSON text
  std::vector<std::string> summary;
};

struct ApplyChangesResult {
  bool ok = false;
  Contract contract;
  IssueList issues;  // CHANGE_CONFLICT naming /changes/N
};

struct ReorderPreview {
  bool ok = false;
  std::vector<std::string> order;
  std::vector<Change> changes;
  IssueList issues;
  // What the drop would do, as a sentence ("Moved “Testing” from position 4
  // to 2."); empty when refused or when it stays where it is.
  std::vector<std::string> summary;
  int64_t allowed_from = 0;  // inclusive; allowed_from > allowed_to: nowhere
  int64_t allowed_to = -1;
};

// Milestones matched by id; the fewest moves (n minus the longest increasing
// subsequence of the common milestones). The summary writes amounts in
// `money` (null: `before`'s currency with its ISO 4217 exponent).
DiffResult Diff(const Contract& before, const Contract& after, const Currency* money = nullptr);

ApplyChangesResult ApplyChanges(const Contract& contract, const std::vector<Change>& changes);
std::vector<Change> InvertChanges(const std::vector<Change>& changes);

std::string ChangeToJson(const Change& change);
std::string ChangesToJson(const std::vector<Change>& changes);
std::string DiffResultToJson(const DiffResult& result);
std::string ReorderPreviewToJson(const ReorderPreview& preview);
// Reads a JSON array of changes as ChangesToJson writes them.
bool ParseChanges(std::string_view json, std::vector<Change>* out, IssueList* issues);

}  // namespace milestone
