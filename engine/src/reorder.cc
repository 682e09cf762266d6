// What a drag would do, before the drop (SPEC 4.2). Called on every pointer
// move of a drag, so it is O(n): one pass for the range, one rotation, and the
// list rules (not the per-field ones, which a reorder cannot change).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "milestone/codes.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "rules.h"

namespace milestone {
namespace {

void OrderOf(const Contract& contract, ReorderPreview* preview) {
  preview->order.clear();
  preview->order.reserve(contract.milestones.size());
  for (const Milestone& m : contract.milestones) preview->order.push_back(m.id);
}

std::string Position(int64_t index) { return std::to_string(index + 1); }

}  // namespace

ReorderPreview Engine::PreviewReorder(const Contract& contract,
                                      std::string_view id, int64_t to_index,
                                      const ValidateOptions& options) const {
  ReorderPreview preview;  // allowed range starts empty: from 0 to -1
  OrderOf(contract, &preview);
  const int64_t n = static_cast<int64_t>(contract.milestones.size());
  const int64_t from = FindMilestone(contract, id);
  if (from < 0) {
    preview.issues.push_back(MakeError(
        codes::kUnknownMilestone, "/id", std::string(id),
        "There is no milestone \"" + std::string(id) + "\" in this contract.",
        "Reload the contract; the milestone may have been deleted."));
    return preview;
  }
  const Milestone& moving = contract.milestones[from];
  if (contract.status == ContractStatus::kEnded) {
    preview.issues.push_back(MakeError(
        codes::kContractEnded, "/id", moving.id,
        "The contract has ended, so its milestones cannot be reordered.", ""));
    return preview;
  }
  if (moving.state != MilestoneState::kNotFunded) {
    // A locked milestone may be dropped nowhere: the range stays empty.
    preview.issues.push_back(MakeError(
        codes::kMilestoneLocked, "/id", moving.id,
        QuotedTitle(moving) + " is " + StateName(moving.state) +
            ", so it cannot be moved.",
        "Only milestones that are not funded yet can be reordered."));
    return preview;
  }

  // Nothing moves above a closed or in-flight milestone. Indices count the
  // list without the one being dragged, as a move's toIndex does.
  int64_t last_locked = -1;
  for (int64_t i = 0; i < n; ++i) {
    if (i == from) continue;
    if (contract.milestones[i].state != MilestoneState::kNotFunded) {
      last_locked = i < from ? i : i - 1;
    }
  }
  preview.allowed_from = last_locked + 1;
  preview.allowed_to = n - 1;

  if (to_index < 0 || to_index >= n) {
    preview.issues.push_back(MakeError(
        codes::kSchema, "/toIndex", moving.id,
        "Position " + Position(to_index) + " is outside the list of " +
            std::to_string(n) + " milestones.",
        "Move it to a position from " + Position(preview.allowed_from) +
            " to " + Position(preview.allowed_to) + "."));
    return preview;
  }
  if (to_index < preview.allowed_from) {
    const Milestone& locked =
        contract.milestones[last_locked < from ? last_locked : last_locked + 1];
    preview.issues.push_back(MakeError(
        codes::kMoveIntoLockedRange, "/toIndex", moving.id,
        QuotedTitle(moving) + " cannot move above " + QuotedTitle(locked) +
            ", which is " + StateName(locked.state) + ".",
        "Move it to a position from " + Position(preview.allowed_from) +
            " to " + Position(preview.allowed_to) + "."));
    return preview;
  }

  Contract moved = contract;
  std::vector<Milestone>& list = moved.milestones;
  if (from < to_index) {
    std::rotate(list.begin() + from, list.begin() + from + 1,
                list.begin() + to_index + 1);
  } else if (to_index < from) {
    std::rotate(list.begin() + to_index, list.begin() + from,
                list.begin() + from + 1);
  }
  if (from != to_index) {
    Change change;
    change.op = ChangeOp::kMove;
    change.id = moving.id;
    change.from_index = from;
    change.to_index = to_index;
    preview.changes.push_back(std::move(change));
  }
  OrderOf(moved, &preview);
  // The order's consequences (due dates out of order, sequence) as the
  // document rules see them; the same list rules Validate runs.
  CheckMilestoneList(moved, policy_, options, nullptr, &preview.issues);
  preview.ok = NoErrors(preview.issues);
  return preview;
}

}  // namespace milestone
