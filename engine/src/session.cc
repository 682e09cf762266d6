#include "milestone/session.h"

#include <algorithm>
#include <utility>

#include "action_spec.h"
#include "json.h"
#include "milestone/codes.h"
#include "milestone/date.h"
#include "rules.h"
#include "view_build.h"

namespace milestone {
namespace {

// Undo reaches this far back; each structural step keeps two drafts.
constexpr size_t kMaxHistory = 500;

std::string ErrorKey(const Issue& issue) { return issue.code + '\x1f' + issue.milestone_id; }

// The probe holds the edited milestone at index 0; the draft has it at
// `index`.
void RepathProbeIssues(int64_t index, IssueList* issues) {
  const std::string probe = "/milestones/0";
  const std::string real = MilestonePath(static_cast<size_t>(index));
  for (Issue& issue : *issues) {
    if (issue.path.compare(0, probe.size(), probe) == 0 &&
        (issue.path.size() == probe.size() || issue.path[probe.size()] == '/')) {
      issue.path = real + issue.path.substr(probe.size());
    }
  }
}

void SetChangeField(const Change& change, MilestoneFields* fields) {
  switch (change.field) {
    case EditField::kTitle:
      if (auto* s = std::get_if<std::string>(&change.to)) fields->title = *s;
      break;
    case EditField::kDescription:
      if (auto* s = std::get_if<std::string>(&change.to)) fields->description = *s;
      break;
    case EditField::kDueDate:
      if (auto* s = std::get_if<std::string>(&change.to)) {
        fields->due_date = std::optional<std::string>(*s);
      } else {
        fields->due_date = std::optional<std::string>();
      }
      break;
    case EditField::kAmount:
      if (auto* n = std::get_if<int64_t>(&change.to)) fields->amount = *n;
      break;
  }
}

void AppendStringArray(const std::vector<std::string>& items, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    json::WriteString(items[i], out);
  }
  out->push_back(']');
}

}  // namespace

bool ParseSessionOptions(std::string_view text, ActOptions* out, IssueList* issues) {
  return ReadActOptions(text, ActorRule::kOptional, out, issues);
}

Session::Session(const Engine& engine, std::string_view contract_json, const ActOptions& options)
    : engine_(engine), options_(options) {
  Open(contract_json);
}

Session::Session(const Engine& engine, std::string_view contract_json,
                 std::string_view options_json)
    : engine_(engine) {
  if (!ParseSessionOptions(options_json, &options_, &open_issues_)) return;
  Open(contract_json);
}

void Session::Open(std::string_view contract_json) {
  IssueList read;
  const bool read_ok = ParseContract(contract_json, &base_, &read);
  // Writing back a document that was not read exactly would change what it
  // says, so a session edits only what the engine could read.
  if (!read_ok || !NoErrors(read)) {
    // A contract that could not be read has an error saying why.
    for (const Issue& issue : read) {
      if (issue.severity == Severity::kError) open_issues_.push_back(issue);
    }
    base_ = Contract();
    return;
  }
  usable_ = true;
  draft_ = base_;
  AfterStructuralChange();
}

SessionEdit Session::Reject(IssueList issues) const {
  SessionEdit edit;
  edit.issues = std::move(issues);
  edit.ok = NoErrors(edit.issues);
  return edit;
}

SessionEdit Session::Apply(std::string_view action_json) {
  if (!usable_) return Reject(open_issues_);
  std::vector<Action> actions;
  IssueList issues;
  if (!ParseActions(action_json, &actions, &issues)) return Reject(issues);
  return Apply(std::move(actions));
}

SessionEdit Session::Apply(std::vector<Action> actions) {
  if (!usable_) return Reject(open_issues_);
  for (size_t i = 0; i < actions.size(); ++i) {
    if (SpecOf(actions[i].type).plan_edit) continue;
    const std::string path = actions.size() == 1 ? "/type" : "/" + std::to_string(i) + "/type";
    const char* type = ActionTypeName(actions[i].type);
    return Reject({MakeError(codes::kSchema, path, actions[i].id,
                             std::string("A draft holds milestone edits, not \"") + type + "\".",
                             "Use add, edit, delete or move here; send other actions with the "
                             "engine's apply.",
                             "SCHEMA.draftAction", {TextParam("action", type)})});
  }
  if (actions.size() == 1 && actions[0].type == ActionType::kEdit) {
    auto found = index_of_.find(actions[0].id);
    if (found != index_of_.end()) return ApplyFieldEdit(actions[0], found->second);
  }
  return ApplyStructural(std::move(actions));
}

std::vector<Action> Session::AsActor(std::vector<Action> actions) const {
  // A freelancer edits milestones only by proposing the edits.
  if (options_.actor != Actor::kFreelancer) return actions;
  Action propose;
  propose.type = ActionType::kPropose;
  propose.actions = std::move(actions);
  return {std::move(propose)};
}

IssueList Session::BlockingErrors(const IssueList& issues) const {
  IssueList blocking;
  for (const Issue& issue : issues) {
    if (issue.severity != Severity::kError) continue;
    if (IsFieldValueCode(issue.code)) continue;
    if (standing_errors_.count(ErrorKey(issue)) > 0) continue;
    blocking.push_back(issue);
  }
  return blocking;
}

SessionEdit Session::ApplyFieldEdit(const Action& action, int64_t index) {
  Milestone& milestone = draft_.milestones[static_cast<size_t>(index)];
  // The rules for an edit read the contract's header and the one milestone,
  // so a one-milestone probe answers as the whole draft would without
  // copying a thousand milestones per keystroke.
  Contract probe;
  probe.id = draft_.id;
  probe.version = draft_.version;
  probe.currency = draft_.currency;
  probe.status = draft_.status;
  probe.initiation_fee = draft_.initiation_fee;
  probe.initiation_fee_charged = draft_.initiation_fee_charged;
  probe.carry_over = draft_.carry_over;
  probe.change_request = draft_.change_request;
  probe.milestones.push_back(milestone);
  DraftStep step = ApplyDraft(engine_.policy(), options_, probe, {action}, &base_);
  IssueList blocking = BlockingErrors(step.issues);
  if (!step.stepped || !blocking.empty()) {
    if (!step.stepped) blocking = std::move(step.issues);
    RepathProbeIssues(index, &blocking);
    return Reject(std::move(blocking));
  }

  HistoryEntry entry;
  entry.fields_only = true;
  entry.before_milestone = milestone;
  SetFields(step.contract.milestones[0], &milestone);
  entry.after_milestone = milestone;
  const bool dates_changed = entry.before_milestone.due_date != entry.after_milestone.due_date;
  Remember(std::move(entry));
  issues_valid_ = false;
  if (dates_changed) RecheckList();
  return Touched({milestone.id});
}

SessionEdit Session::ApplyStructural(std::vector<Action> actions) {
  // The engine's own steps on a copy, so a batch is all or nothing; ids a new
  // milestone gets never reuse one of the opened contract's.
  DraftStep step = ApplyDraft(engine_.policy(), options_, draft_, actions, &base_);
  if (!step.stepped) return Reject(std::move(step.issues));
  IssueList blocking = BlockingErrors(step.issues);
  if (!blocking.empty()) return Reject(std::move(blocking));

  HistoryEntry entry;
  entry.before = std::make_unique<Contract>(std::move(draft_));
  entry.after = std::make_unique<Contract>(step.contract);
  draft_ = std::move(step.contract);
  Remember(std::move(entry));
  AfterStructuralChange();
  SessionEdit edit = Touched(std::move(step.touched));
  edit.removed = std::move(step.removed);
  edit.order_changed = true;
  for (const Milestone& m : draft_.milestones) edit.order.push_back(m.id);
  return edit;
}

void Session::AfterStructuralChange() {
  facts_ = std::make_shared<const ContractFacts>(FactsOf(draft_, engine_.policy()));
  index_of_.clear();
  index_of_.reserve(draft_.milestones.size());
  for (size_t i = 0; i < draft_.milestones.size(); ++i) {
    index_of_.emplace(draft_.milestones[i].id, static_cast<int64_t>(i));
  }
  issues_valid_ = false;
  standing_errors_.clear();
  contract_issues_.clear();
  for (const Issue& issue : Issues()) {
    if (issue.milestone_id.empty()) contract_issues_.push_back(issue);
    if (issue.severity == Severity::kError && !IsFieldValueCode(issue.code)) {
      standing_errors_.insert(ErrorKey(issue));
    }
  }
  RecheckList();
}

void Session::RecheckList() {
  list_issues_.clear();
  ValidateOptions options;
  options.now = options_.now;
  CheckMilestoneList(draft_, engine_.policy(), options, nullptr, &list_issues_);
}

SessionEdit Session::Touched(std::vector<std::string> ids) {
  SessionEdit edit;
  edit.applied = true;
  std::vector<std::string> present;
  for (std::string& id : ids) {
    auto found = index_of_.find(id);
    if (found == index_of_.end()) continue;
    if (std::find(present.begin(), present.end(), id) != present.end()) continue;
    const size_t index = static_cast<size_t>(found->second);
    IssueList row_issues;
    CheckMilestoneFields(draft_.milestones[index], index, engine_.policy(),
                         engine_.policy().CurrencyFor(draft_.currency), 0, &row_issues);
    for (const Issue& issue : list_issues_) {
      if (issue.milestone_id == id) row_issues.push_back(issue);
    }
    Append(&edit.issues, row_issues);
    edit.rows.push_back(
        DescribeRow(engine_.policy(), options_, draft_, *facts_, index, std::move(row_issues)));
    present.push_back(std::move(id));
  }
  edit.touched = std::move(present);
  edit.contract = DescribeContract(engine_, options_, draft_, *facts_);
  edit.contract->issues = contract_issues_;
  edit.ok = NoErrors(edit.issues);
  return edit;
}

View Session::Describe() {
  if (!usable_) {
    View view;
    view.issues = open_issues_;
    return view;
  }
  View view = milestone::Describe(engine_, draft_, options_);
  view.issues = Issues();
  return view;
}

void Session::Remember(HistoryEntry entry) {
  undo_.push_back(std::move(entry));
  if (undo_.size() > kMaxHistory) undo_.pop_front();
  redo_.clear();
}

void Session::SetFields(const Milestone& from, Milestone* to) const {
  to->title = from.title;
  to->description = from.description;
  to->due_date = from.due_date;
  to->amount = from.amount;
}

SessionEdit Session::Undo() { return Step(&undo_, &redo_, /*forward=*/false); }

SessionEdit Session::Redo() { return Step(&redo_, &undo_, /*forward=*/true); }

// Undo and redo are one move through history: take the newest entry of
// `from`, put the draft back to its state before (undo) or after (redo) it,
// and keep the entry on `to` for the way back.
SessionEdit Session::Step(std::deque<HistoryEntry>* from, std::deque<HistoryEntry>* to,
                          bool forward) {
  if (!usable_ || from->empty()) return Reject({});
  HistoryEntry entry = std::move(from->back());
  from->pop_back();
  SessionEdit edit;
  if (entry.fields_only) {
    const Milestone& target = forward ? entry.after_milestone : entry.before_milestone;
    auto found = index_of_.find(target.id);
    if (found != index_of_.end()) {
      SetFields(target, &draft_.milestones[static_cast<size_t>(found->second)]);
    }
    issues_valid_ = false;
    if (entry.before_milestone.due_date != entry.after_milestone.due_date) RecheckList();
    edit = Touched({target.id});
  } else {
    draft_ = forward ? *entry.after : *entry.before;
    AfterStructuralChange();
    edit.applied = true;
    edit.order_changed = true;
    for (const Milestone& m : draft_.milestones) edit.order.push_back(m.id);
    edit.issues = Issues();
    edit.contract = DescribeContract(engine_, options_, draft_, *facts_);
    edit.contract->issues = contract_issues_;
    edit.ok = NoErrors(edit.issues);
  }
  to->push_back(std::move(entry));
  return edit;
}

const IssueList& Session::Issues() {
  if (!usable_) return open_issues_;
  if (!issues_valid_) {
    ValidateOptions options;
    options.now = options_.now;
    issues_ = engine_.Validate(draft_, options).issues;
    issues_valid_ = true;
  }
  return issues_;
}

DiffResult Session::Changes() const {
  if (!usable_) return DiffResult();
  const Currency money = engine_.policy().CurrencyFor(base_.currency);
  return Diff(base_, draft_, &money);
}

Changeset Session::MakeChangeset() {
  Changeset changeset;
  changeset.contract_id = base_.id;
  changeset.base_version = base_.version;
  changeset.actor = options_.actor;
  if (!usable_) {
    changeset.issues = open_issues_;
    return changeset;
  }
  changeset.issues = Issues();
  const Currency money = engine_.policy().CurrencyFor(base_.currency);
  DiffResult diff = Diff(base_, draft_, &money);
  changeset.summary = std::move(diff.summary);

  std::vector<Action> actions;
  // Edits of one milestone become one action: edits never depend on the
  // order of the steps around them, since they name a milestone both sides
  // keep.
  std::unordered_map<std::string, size_t> edit_of;
  for (const Change& change : diff.changes) {
    Action action;
    switch (change.op) {
      case ChangeOp::kAdd:
        action.type = ActionType::kAdd;
        action.fields.id = change.milestone.id;
        action.fields.title = change.milestone.title;
        action.fields.description = change.milestone.description;
        action.fields.due_date = change.milestone.due_date;
        action.fields.amount = change.milestone.amount;
        action.index = change.index;
        break;
      case ChangeOp::kDelete:
        action.type = ActionType::kDelete;
        action.id = change.id;
        break;
      case ChangeOp::kMove:
        action.type = ActionType::kMove;
        action.id = change.id;
        action.to_index = change.to_index;
        break;
      case ChangeOp::kEdit: {
        auto found = edit_of.find(change.id);
        if (found != edit_of.end()) {
          SetChangeField(change, &actions[found->second].fields);
          continue;
        }
        action.type = ActionType::kEdit;
        action.id = change.id;
        SetChangeField(change, &action.fields);
        edit_of.emplace(change.id, actions.size());
        break;
      }
    }
    actions.push_back(std::move(action));
  }
  // Nothing changed: nothing to send, not an empty proposal the engine refuses.
  changeset.actions = actions.empty() ? std::move(actions) : AsActor(std::move(actions));
  changeset.ok = NoErrors(changeset.issues);
  if (changeset.ok && !diff.changes.empty()) {
    // The promise of a changeset: the server, applying these actions to the
    // opened contract, accepts them.
    ValidateResult check = engine_.Check(base_, changeset.actions, options_);
    if (!check.ok) {
      changeset.ok = false;
      Append(&changeset.issues, check.issues);
    }
  }
  return changeset;
}

std::string SessionEditToJson(const SessionEdit& edit) {
  std::string out = "{\"ok\":";
  out += edit.ok ? "true" : "false";
  out += ",\"applied\":";
  out += edit.applied ? "true" : "false";
  out += ",\"issues\":";
  out += IssuesToJson(edit.issues);
  out += ",\"touched\":";
  AppendStringArray(edit.touched, &out);
  out += ",\"rows\":[";
  // Rows come with the contract's part of the view, which names the currency.
  const Currency money = edit.contract ? edit.contract->money : Currency{};
  for (size_t i = 0; i < edit.rows.size(); ++i) {
    if (i > 0) out += ',';
    out += RowViewToJson(edit.rows[i], money);
  }
  out += "],\"removed\":";
  AppendStringArray(edit.removed, &out);
  if (edit.order_changed) {
    out += ",\"order\":";
    AppendStringArray(edit.order, &out);
  }
  if (edit.contract) {
    out += ",\"contract\":";
    out += ContractViewToJson(*edit.contract);
  }
  out += '}';
  return out;
}

std::string ChangesetToJson(const Changeset& changeset) {
  std::string out = "{\"ok\":";
  out += changeset.ok ? "true" : "false";
  out += ",\"issues\":";
  out += IssuesToJson(changeset.issues);
  out += ",\"contractId\":";
  json::WriteString(changeset.contract_id, &out);
  out += ",\"baseVersion\":";
  out += std::to_string(changeset.base_version);
  out += ",\"actor\":\"";
  out += ActorName(changeset.actor);
  out += "\",\"actions\":";
  out += ActionsToJson(changeset.actions);
  out += ",\"summary\":";
  AppendStringArray(changeset.summary, &out);
  out += '}';
  return out;
}

}  // namespace milestone
