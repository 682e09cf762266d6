#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/action.h"
#include "milestone/catalog.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/issue.h"
#include "milestone/policy.h"

namespace milestone {

struct ValidateOptions {
  // "YYYY-MM-DD". Empty: no clock, so DUE_DATE_IN_PAST is not checked.
  std::string now;
};

struct ActOptions {
  Actor actor = Actor::kClient;
  std::string now;
};

struct ValidateResult {
  bool ok = false;
  IssueList issues;
};

struct ApplyResult {
  bool ok = false;
  Contract contract;  // the result when ok; the input unchanged otherwise
  IssueList issues;
  std::vector<Event> events;
};

// A window the marketplace runs on a milestone (SPEC 3.1): what it would
// apply, as the marketplace, once `due` has come.
struct Timer {
  std::string milestone_id;
  std::string kind;       // "autoRelease" or "autoRefund"
  std::string due;        // "YYYY-MM-DD"
  int64_t days_left = 0;  // max(0, due - now)
  Action action;          // exactly what the marketplace applies when due
  std::string message;    // "Releases automatically on Dec 15, 2026 unless you act."
};

// The rules under one policy. Pure: nothing is kept between calls, the clock is
// an argument, and inputs are never modified.
class Engine {
 public:
  explicit Engine(Policy policy = Policy::Upwork()) : policy_(std::move(policy)) {}
  // Sentences in `catalog`'s language (docs/languages.md); null: the English
  // the engine writes itself, which is what the shipped en catalog says too.
  Engine(Policy policy, std::shared_ptr<const Catalog> catalog)
      : policy_(std::move(policy)), catalog_(std::move(catalog)) {}

  const Policy& policy() const { return policy_; }
  const Catalog* catalog() const { return catalog_.get(); }

  // Every finding of the document rules, in document order.
  ValidateResult Validate(std::string_view contract_json, const ValidateOptions& options) const;
  ValidateResult Validate(const Contract& contract, const ValidateOptions& options) const;

  // Whether `actions` (applied in order, all or nothing) may be done now.
  ValidateResult Check(const Contract& contract, const std::vector<Action>& actions,
                       const ActOptions& options) const;
  ApplyResult Apply(const Contract& contract, const std::vector<Action>& actions,
                    const ActOptions& options) const;

  // Every window running on `contract` at `options.now`, in milestone order.
  std::vector<Timer> Timers(const Contract& contract, const ValidateOptions& options) const;

  // What dragging `id` to `to_index` would do, before the drop.
  ReorderPreview PreviewReorder(const Contract& contract, std::string_view id, int64_t to_index,
                                const ValidateOptions& options) const;
  // The same for an actor: a freelancer's drag is checked as the proposal
  // it becomes.
  ReorderPreview PreviewReorderAs(const Contract& contract, std::string_view id, int64_t to_index,
                                  const ActOptions& options) const;

 private:
  Policy policy_;
  std::shared_ptr<const Catalog> catalog_;
};

std::string ValidateResultToJson(const ValidateResult& result);
std::string ApplyResultToJson(const ApplyResult& result);
std::string IssuesToJson(const IssueList& issues);
std::string TimersToJson(const std::vector<Timer>& timers);

}  // namespace milestone
