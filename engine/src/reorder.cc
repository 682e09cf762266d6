// What a drag would do, before the drop (SPEC 4.2). Called on every pointer
// move of a drag, so it is O(n): one pass for the range, one rotation, and the
// list rules (not the per-field ones, which a reorder cannot change).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "action_spec.h"
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

}  // namespace

ReorderPreview Engine::PreviewReorder(const Contract& contract, std::string_view id,
                                      int64_t to_index, const ValidateOptions& options) const {
  ActOptions act;
  act.now = options.now;
  return PreviewReorderAs(contract, id, to_index, act);
}

ReorderPreview Engine::PreviewReorderAs(const Contract& contract, std::string_view id,
                                        int64_t to_index, const ActOptions& options) const {
  ReorderPreview preview;  // allowed range starts empty: from 0 to -1
  OrderOf(contract, &preview);
  const int64_t n = static_cast<int64_t>(contract.milestones.size());
  const ContractFacts facts = FactsOf(contract, policy_);
  // The move's own guard decides, as Check would for the drop.
  Action move;
  move.type = ActionType::kMove;
  move.id = std::string(id);
  move.to_index = to_index;
  IssueList refused;
  const int64_t from = FindMilestone(contract, id);
  if (from >= 0) {
    Action stay = move;
    stay.to_index = from;
    // Where a drop is allowed: anywhere from the first open position, if the
    // milestone may move at all.
    if (Admit(policy_, options, contract, facts, stay, options.actor, &refused)) {
      preview.allowed_from = facts.first_open;
      preview.allowed_to = n - 1;
    }
  }
  refused.clear();
  if (!Admit(policy_, options, contract, facts, move, options.actor, &refused)) {
    preview.issues = std::move(refused);
    return preview;
  }
  const Milestone& moving = contract.milestones[static_cast<size_t>(from)];

  Contract moved = contract;
  std::vector<Milestone>& list = moved.milestones;
  if (from < to_index) {
    std::rotate(list.begin() + from, list.begin() + from + 1, list.begin() + to_index + 1);
  } else if (to_index < from) {
    std::rotate(list.begin() + to_index, list.begin() + from, list.begin() + from + 1);
  }
  if (from != to_index) {
    Change change;
    change.op = ChangeOp::kMove;
    change.id = moving.id;
    change.from_index = from;
    change.to_index = to_index;
    preview.changes.push_back(std::move(change));
    preview.summary.push_back(Written(MovedSentence(moving, from, to_index)));
  }
  OrderOf(moved, &preview);
  // The order's consequences (due dates out of order, sequence) as the
  // document rules see them; the same list rules Validate runs.
  ValidateOptions validate;
  validate.now = options.now;
  CheckMilestoneList(moved, policy_, validate, nullptr, &preview.issues);
  preview.ok = NoErrors(preview.issues);
  if (!preview.ok) {
    // Refused by an error of the list (one the contract already had, such as
    // a duplicate id): as every refusal, the current order and no change.
    OrderOf(contract, &preview);
    preview.changes.clear();
    preview.summary.clear();
  }
  return preview;
}

}  // namespace milestone
