#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/money.h"

namespace milestone {

// Whether the actor may take one action now and, when not, the issue Check
// would give for it (docs/view-model.md).
struct Can {
  bool ok = false;
  std::string label;           // the button: "Fund"
  const char* action = "";     // its type ("fund"): the catalog's `label` words
  std::optional<Issue> issue;  // when !ok
};

struct IndexRange {
  int64_t from = 0;  // inclusive; from > to: nowhere
  int64_t to = -1;
};

// What funding a milestone would charge the client now.
struct Charge {
  int64_t amount = 0;  // held in escrow
  int64_t from_carry_over = 0;
  int64_t fee = 0;    // the initiation fee, when not charged yet
  int64_t total = 0;  // amount - from_carry_over + fee
};

struct RowView {
  int64_t index = 0;
  Milestone milestone;
  int64_t refunded = 0;  // escrow returned to the client
  int64_t escrow = 0;    // held now
  IssueList issues;      // the current issues of this milestone
  Can edit, remove, move, fund, submit, request_changes, release;  // remove: "delete"
  Can request_refund, approve_refund, decline_refund, dispute, withdraw_dispute, resolve_dispute;
  IndexRange move_range;
  Charge charge;  // fund's
  int64_t release_maximum = 0;
  bool release_needs_decision = false;
  std::optional<Timer> timer;  // the marketplace's window running on it
};

struct Totals {
  int64_t amount = 0, funded = 0, released = 0, refunded = 0, escrow = 0, carry_over = 0;
};

struct ContractView {
  std::string id;
  int64_t version = 0;
  ContractStatus status = ContractStatus::kOpen;
  std::string currency;
  Currency money;  // the contract's currency as the policy has it, for amounts
  Totals totals;
  Can add, end, propose, withdraw, accept, decline;
  IndexRange add_range;
  IssueList issues;  // the current issues that concern no one milestone
};

struct RequestView {
  std::string id, by, message;
  std::vector<Change> changes;  // what accepting would change
  std::vector<std::string> summary;
  IssueList issues;  // what accept would answer now
};

// Everything a page needs to draw a contract without knowing a rule.
struct View {
  bool ok = false;  // false: the contract could not be read (see issues)
  IssueList issues;
  Actor actor = Actor::kClient;
  std::string now;
  ContractView contract;
  std::optional<RequestView> request;
  std::vector<RowView> milestones;
};

// The view of `contract` for `options.actor` at `options.now`.
View Describe(const Engine& engine, const Contract& contract, const ActOptions& options);

std::string ViewToJson(const View& view);
std::string RowViewToJson(const RowView& row, const Currency& money);
std::string ContractViewToJson(const ContractView& view);

}  // namespace milestone
