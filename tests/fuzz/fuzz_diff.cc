// json_api::Diff(before, after): input "before \0 after".
#include <set>

#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/json_api.h"

namespace {

// What a diff's changes carry: the order and the editable fields (anything
// else that differs is only in the patch, see docs/diff.md).
std::string MilestonesJson(const milestone::Contract& contract) {
  milestone::Contract only;
  for (const milestone::Milestone& m : contract.milestones) {
    milestone::Milestone editable;
    editable.id = m.id;
    editable.title = m.title;
    editable.description = m.description;
    editable.due_date = m.due_date;
    editable.amount = m.amount;
    only.milestones.push_back(editable);
  }
  return milestone::ContractToJson(only);
}

bool UniqueIds(const milestone::Contract& contract) {
  std::set<std::string> seen;
  for (const milestone::Milestone& m : contract.milestones) {
    if (!seen.insert(m.id).second) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 2);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::Diff(engine, args[0], args[1]);
  fuzz::Json v = fuzz::CheckEnvelope(answer);
  for (const char* key : {"changes", "patch", "summary"}) {
    fuzz::Require(v.contains(key) && v[key].is_array(), "diff lacks an array", answer);
  }

  milestone::Contract before;
  milestone::Contract after;
  milestone::IssueList issues;
  if (!milestone::ParseContract(args[0], &before, &issues) ||
      !milestone::ParseContract(args[1], &after, &issues)) {
    fuzz::Require(!v["ok"].get<bool>(), "diff of an unreadable contract is ok", answer);
    return 0;
  }
  fuzz::Require(v["ok"].get<bool>(), "diff of two readable contracts is not ok", answer);
  // Milestones are matched by id, so the round trip is promised for unique ids.
  if (!UniqueIds(before) || !UniqueIds(after)) return 0;
  milestone::DiffResult diff = milestone::Diff(before, after);
  fuzz::Require(diff.changes.empty() == diff.summary.empty(), "changes without a summary", answer);
  // The changes rebuild `after` from `before`, and their inverse `before` from `after`.
  milestone::ApplyChangesResult forward = milestone::ApplyChanges(before, diff.changes);
  fuzz::Require(forward.ok, "applyChanges(before, diff) is refused", answer);
  fuzz::Require(MilestonesJson(forward.contract) == MilestonesJson(after),
                "applyChanges(before, diff) is not after", answer);
  milestone::ApplyChangesResult back =
      milestone::ApplyChanges(after, milestone::InvertChanges(diff.changes));
  fuzz::Require(back.ok, "applyChanges(after, invert(diff)) is refused", answer);
  fuzz::Require(MilestonesJson(back.contract) == MilestonesJson(before),
                "applyChanges(after, invert(diff)) is not before", answer);
  return 0;
}
