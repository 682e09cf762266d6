#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/view.h"

namespace milestone {

struct ContractFacts;

// What one Session::Apply (or Undo, Redo) did.
struct SessionEdit {
  bool ok = false;       // no error among `issues`
  bool applied = false;  // the draft changed
  // Rejected: why. Applied: the current issues of the touched milestones, so
  // a keystroke gets back what it touched and not the whole document.
  IssueList issues;
  std::vector<std::string> touched;  // ids of the milestones the action touched
  std::vector<std::string> removed;  // ids of the milestones it deleted
  bool order_changed = false;        // the order or the set of milestones changed
  // Applied: what a page redraws (docs/view-model.md): the rows of the
  // touched milestones, the draft's order when it changed, and the contract's
  // part of the view.
  std::vector<RowView> rows;
  std::vector<std::string> order;  // filled when order_changed
  std::optional<ContractView> contract;
};

// The draft as the fewest actions that rebuild it from the opened contract.
struct Changeset {
  bool ok = false;  // false while the draft has errors
  IssueList issues;
  std::string contract_id;
  int64_t base_version = 0;
  Actor actor = Actor::kClient;
  // The client's edits; a freelancer's are wrapped in one `propose`.
  std::vector<Action> actions;
  std::vector<std::string> summary;
};

// A contract being edited: the draft lives inside the engine so each
// keystroke ships only a small action in and what it touched out.
//
// An edit whose only new errors are about field values (IsFieldValueCode) is
// kept, so the field shows what the person typed beside its issue; any other
// new error rejects the action and leaves the draft as it was. Errors the
// opened contract already had never block an edit.
class Session {
 public:
  // When `contract_json` cannot be read exactly (INVALID_JSON, SCHEMA,
  // INVALID_AMOUNT), the session is not usable: every Apply answers with those
  // issues and there is no draft.
  Session(const Engine& engine, std::string_view contract_json, const ActOptions& options);
  // Options as JSON ({"actor", "now"}, read by ParseSessionOptions); options
  // that cannot be read make the session unusable with their issues.
  Session(const Engine& engine, std::string_view contract_json, std::string_view options_json);

  bool usable() const { return usable_; }
  const Engine& engine() const { return engine_; }

  // One action or a batch; only add, edit, delete and move edit a draft.
  SessionEdit Apply(std::string_view action_json);
  SessionEdit Apply(std::vector<Action> actions);
  SessionEdit Undo();
  SessionEdit Redo();

  const Contract& base() const { return base_; }
  const Contract& draft() const { return draft_; }
  // Every current issue of the draft, warnings included.
  const IssueList& Issues();
  DiffResult Changes() const;
  // The view model of the draft (docs/view-model.md), for the session's actor.
  View Describe();
  Changeset MakeChangeset();

 private:
  struct HistoryEntry {
    // An edit of one milestone's fields, kept small because every keystroke
    // makes one; otherwise whole drafts.
    bool fields_only = false;
    Milestone before_milestone;
    Milestone after_milestone;
    std::unique_ptr<Contract> before;
    std::unique_ptr<Contract> after;
  };

  void Open(std::string_view contract_json);
  SessionEdit Reject(IssueList issues) const;
  SessionEdit ApplyFieldEdit(const Action& action, int64_t index);
  SessionEdit ApplyStructural(std::vector<Action> actions);
  // Errors in `issues` that neither concern only a field's value nor were
  // already in the draft.
  IssueList BlockingErrors(const IssueList& issues) const;
  std::vector<Action> AsActor(std::vector<Action> actions) const;
  void SetFields(const Milestone& from, Milestone* to) const;
  void AfterStructuralChange();
  void RecheckList();
  SessionEdit Touched(std::vector<std::string> ids);
  void Remember(HistoryEntry entry);
  SessionEdit Step(std::deque<HistoryEntry>* from, std::deque<HistoryEntry>* to, bool forward);

  Engine engine_;
  ActOptions options_;
  bool usable_ = false;
  IssueList open_issues_;  // what reading the contract found
  Contract base_;
  Contract draft_;
  std::unordered_map<std::string, int64_t> index_of_;  // draft ids
  // Errors of the draft that are not field-value ones, keyed code + id: they
  // change only with structural actions.
  std::unordered_set<std::string> standing_errors_;
  IssueList list_issues_;  // CheckMilestoneList of the draft
  // The draft's issues that concern no one milestone; they change only with
  // structural actions (a field edit touches one milestone).
  IssueList contract_issues_;
  // Facts of the draft the guards read; they change only with structural
  // actions. Private to the engine, hence only declared here.
  std::shared_ptr<const ContractFacts> facts_;
  IssueList issues_;  // every issue; valid when issues_valid_
  bool issues_valid_ = false;
  std::deque<HistoryEntry> undo_;
  std::deque<HistoryEntry> redo_;
};

// Reads {"actor": "client"|"freelancer", "now": "YYYY-MM-DD"}; both are
// optional (the actor defaults to the client, no `now` means no clock).
// Problems are SCHEMA issues at /options/...
bool ParseSessionOptions(std::string_view json, ActOptions* out, IssueList* issues);

std::string SessionEditToJson(const SessionEdit& edit);
std::string ChangesetToJson(const Changeset& changeset);

}  // namespace milestone
