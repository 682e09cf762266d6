// Describe: the view model of docs/view-model.md. Every `can` is the answer of
// the action's own guard (Admit, in apply.cc) for the action the table in
// docs/view-model.md names, so the page and Check can never disagree; figures
// and words come from the same functions the actions use.

#include "milestone/view.h"

#include <string>
#include <unordered_map>
#include <utility>

#include "action_spec.h"
#include "json.h"
#include "milestone/money.h"
#include "rules.h"
#include "sentences.h"
#include "view_build.h"

namespace milestone {
namespace {

Can Judge(const Policy& policy, const ActOptions& options, const Contract& contract,
          const ContractFacts& facts, const Action& action) {
  Can can;
  can.label = SpecOf(action.type).label;
  IssueList issues;
  can.ok = Admit(policy, options, contract, facts, action, options.actor, &issues);
  if (!can.ok && !issues.empty()) can.issue = std::move(issues.front());
  return can;
}

Action Named(ActionType type, const std::string& id) {
  Action action;
  action.type = type;
  action.id = id;
  return action;
}

int64_t RefundedOf(const Milestone& m) {
  return m.state == MilestoneState::kRefunded ? m.funded - m.released : 0;
}

int64_t EscrowOf(const Milestone& m) { return IsInFlight(m.state) ? m.funded - m.released : 0; }

json::Value Str(const std::string& s) { return json::Value::String(s); }
json::Value Money(int64_t amount) { return json::Value::String(FormatMoney(amount)); }

json::Value CanToValue(const Can& can) {
  json::Value v = json::Value::Object();
  v.Set("ok", json::Value::Bool(can.ok));
  v.Set("label", Str(can.label));
  if (can.issue) v.Set("issue", IssueToValue(*can.issue));
  return v;
}

json::Value RangeToValue(const IndexRange& range) {
  json::Value v = json::Value::Object();
  v.Set("from", json::Value::Int(range.from));
  v.Set("to", json::Value::Int(range.to));
  return v;
}

json::Value RowToValue(const RowView& row) {
  const Milestone& m = row.milestone;
  json::Value v = json::Value::Object();
  v.Set("id", Str(m.id));
  v.Set("index", json::Value::Int(row.index));
  v.Set("title", Str(m.title));
  v.Set("description", Str(m.description));
  v.Set("dueDate", m.due_date ? Str(*m.due_date) : json::Value::Null());
  v.Set("amount", json::Value::Int(m.amount));
  v.Set("state", Str(StateName(m.state)));
  v.Set("funded", json::Value::Int(m.funded));
  v.Set("released", json::Value::Int(m.released));
  v.Set("refunded", json::Value::Int(row.refunded));
  v.Set("escrow", json::Value::Int(row.escrow));
  v.Set("stateLabel", Str(StateLabel(m.state)));
  json::Value text = json::Value::Object();
  text.Set("amount", Money(m.amount));
  text.Set("funded", Money(m.funded));
  text.Set("released", Money(m.released));
  text.Set("refunded", Money(row.refunded));
  text.Set("escrow", Money(row.escrow));
  text.Set("dueDate", Str(DateText(m.due_date, "")));
  v.Set("text", std::move(text));
  v.Set("issues", IssuesToValue(row.issues));
  json::Value can = json::Value::Object();
  can.Set("edit", CanToValue(row.edit));
  can.Set("delete", CanToValue(row.remove));
  json::Value move = CanToValue(row.move);
  move.Set("range", RangeToValue(row.move_range));
  can.Set("move", std::move(move));
  json::Value fund = CanToValue(row.fund);
  json::Value charge = json::Value::Object();
  charge.Set("amount", json::Value::Int(row.charge.amount));
  charge.Set("fromCarryOver", json::Value::Int(row.charge.from_carry_over));
  charge.Set("fee", json::Value::Int(row.charge.fee));
  charge.Set("total", json::Value::Int(row.charge.total));
  json::Value charge_text = json::Value::Object();
  charge_text.Set("amount", Money(row.charge.amount));
  charge_text.Set("fromCarryOver", Money(row.charge.from_carry_over));
  charge_text.Set("fee", Money(row.charge.fee));
  charge_text.Set("total", Money(row.charge.total));
  charge.Set("text", std::move(charge_text));
  fund.Set("charge", std::move(charge));
  can.Set("fund", std::move(fund));
  can.Set("submit", CanToValue(row.submit));
  can.Set("requestChanges", CanToValue(row.request_changes));
  json::Value release = CanToValue(row.release);
  release.Set("maximum", json::Value::Int(row.release_maximum));
  release.Set("needsDecision", json::Value::Bool(row.release_needs_decision));
  json::Value release_text = json::Value::Object();
  release_text.Set("maximum", Money(row.release_maximum));
  release.Set("text", std::move(release_text));
  can.Set("release", std::move(release));
  v.Set("can", std::move(can));
  v.Set("timer", json::Value::Null());
  return v;
}

json::Value ContractViewToValue(const ContractView& c) {
  json::Value v = json::Value::Object();
  v.Set("id", Str(c.id));
  v.Set("version", json::Value::Int(c.version));
  v.Set("status", Str(c.status == ContractStatus::kOpen ? "open" : "ended"));
  v.Set("currency", Str(c.currency));
  v.Set("statusLabel", Str(c.status == ContractStatus::kOpen ? "Open" : "Ended"));
  const Totals& t = c.totals;
  json::Value totals = json::Value::Object();
  totals.Set("amount", json::Value::Int(t.amount));
  totals.Set("funded", json::Value::Int(t.funded));
  totals.Set("released", json::Value::Int(t.released));
  totals.Set("refunded", json::Value::Int(t.refunded));
  totals.Set("escrow", json::Value::Int(t.escrow));
  totals.Set("carryOver", json::Value::Int(t.carry_over));
  json::Value text = json::Value::Object();
  text.Set("amount", Money(t.amount));
  text.Set("funded", Money(t.funded));
  text.Set("released", Money(t.released));
  text.Set("refunded", Money(t.refunded));
  text.Set("escrow", Money(t.escrow));
  text.Set("carryOver", Money(t.carry_over));
  totals.Set("text", std::move(text));
  v.Set("totals", std::move(totals));
  json::Value can = json::Value::Object();
  can.Set("add", CanToValue(c.add));
  can.Set("end", CanToValue(c.end));
  can.Set("propose", CanToValue(c.propose));
  can.Set("withdraw", CanToValue(c.withdraw));
  can.Set("accept", CanToValue(c.accept));
  can.Set("decline", CanToValue(c.decline));
  v.Set("can", std::move(can));
  v.Set("addRange", RangeToValue(c.add_range));
  return v;
}

}  // namespace

RowView DescribeRow(const Policy& policy, const ActOptions& options, const Contract& contract,
                    const ContractFacts& facts, size_t index, IssueList issues) {
  RowView row;
  const Milestone& m = contract.milestones[index];
  row.index = static_cast<int64_t>(index);
  row.milestone = m;
  row.refunded = RefundedOf(m);
  row.escrow = EscrowOf(m);
  row.issues = std::move(issues);

  Action edit = Named(ActionType::kEdit, m.id);
  edit.fields.title = m.title;
  row.edit = Judge(policy, options, contract, facts, edit);
  row.remove = Judge(policy, options, contract, facts, Named(ActionType::kDelete, m.id));
  Action move = Named(ActionType::kMove, m.id);
  move.to_index = row.index;
  row.move = Judge(policy, options, contract, facts, move);
  if (row.move.ok) {
    row.move_range.from = facts.first_open;
    row.move_range.to = static_cast<int64_t>(contract.milestones.size()) - 1;
  }
  row.fund = Judge(policy, options, contract, facts, Named(ActionType::kFund, m.id));
  const FundCharge charge = ChargeOf(policy, contract, m);
  row.charge = Charge{charge.amount, charge.from_carry, charge.fee, charge.total};
  row.submit = Judge(policy, options, contract, facts, Named(ActionType::kSubmit, m.id));
  Action request_changes = Named(ActionType::kRequestChanges, m.id);
  request_changes.message = "Changes requested.";
  row.request_changes = Judge(policy, options, contract, facts, request_changes);
  row.release_needs_decision = NeedsDecision(facts, row.index);
  row.release_maximum = m.funded - m.released;
  Action release = Named(ActionType::kRelease, m.id);
  if (row.release_needs_decision) release.then = "keepOpen";
  row.release = Judge(policy, options, contract, facts, release);
  return row;
}

ContractView DescribeContract(const Engine& engine, const ActOptions& options,
                              const Contract& contract, const ContractFacts& facts) {
  const Policy& policy = engine.policy();
  ContractView view;
  view.id = contract.id;
  view.version = contract.version;
  view.status = contract.status;
  view.currency = contract.currency;
  Totals& t = view.totals;
  for (const Milestone& m : contract.milestones) {
    t.amount += m.amount;
    t.funded += m.funded;
    t.released += m.released;
    t.refunded += RefundedOf(m);
    t.escrow += EscrowOf(m);
  }
  t.carry_over = contract.carry_over;
  view.add_range.from = facts.first_open;
  view.add_range.to = static_cast<int64_t>(contract.milestones.size());

  Action add;
  add.type = ActionType::kAdd;
  add.fields.title = "New milestone";
  add.fields.amount = policy.minimum_amount;
  add.index = view.add_range.to;
  view.add = Judge(policy, options, contract, facts, add);
  view.end = Judge(policy, options, contract, facts, Named(ActionType::kEnd, ""));
  Action propose;
  propose.type = ActionType::kPropose;
  if (facts.first_not_funded >= 0) {
    const Milestone& first = contract.milestones[static_cast<size_t>(facts.first_not_funded)];
    Action edit = Named(ActionType::kEdit, first.id);
    edit.fields.title = first.title;
    propose.actions.push_back(std::move(edit));
  } else {
    propose.actions.push_back(add);
  }
  view.propose = Judge(policy, options, contract, facts, propose);
  view.withdraw = Judge(policy, options, contract, facts, Named(ActionType::kWithdraw, ""));
  view.accept = Judge(policy, options, contract, facts, Named(ActionType::kAccept, ""));
  if (view.accept.ok) {
    // Accepting re-checks the request against the contract as it is now.
    ValidateResult check = engine.Check(contract, {Named(ActionType::kAccept, "")}, options);
    if (!check.ok) {
      view.accept.ok = false;
      for (Issue& issue : check.issues) {
        if (issue.severity == Severity::kError) {
          view.accept.issue = std::move(issue);
          break;
        }
      }
    }
  }
  view.decline = Judge(policy, options, contract, facts, Named(ActionType::kDecline, ""));
  return view;
}

std::optional<RequestView> DescribeRequest(const Engine& engine, const ActOptions& options,
                                           const Contract& contract) {
  if (!contract.change_request) return std::nullopt;
  const ChangeRequest& cr = *contract.change_request;
  RequestView request;
  request.id = cr.id;
  request.by = cr.by;
  request.message = cr.message;
  Contract without = contract;
  without.change_request.reset();
  ActOptions as_client = options;
  as_client.actor = Actor::kClient;
  DraftStep step = ApplyDraft(engine.policy(), as_client, without, cr.actions, &contract);
  if (step.stepped) {
    DiffResult diff = Diff(without, step.contract);
    request.changes = std::move(diff.changes);
    request.summary = std::move(diff.summary);
  }
  ValidateResult check = engine.Check(contract, {Named(ActionType::kAccept, "")}, as_client);
  if (!check.ok) request.issues = std::move(check.issues);
  return request;
}

View Describe(const Engine& engine, const Contract& contract, const ActOptions& options) {
  View view;
  view.ok = true;
  view.actor = options.actor;
  view.now = options.now;
  ValidateOptions validate;
  validate.now = options.now;
  view.issues = engine.Validate(contract, validate).issues;
  const ContractFacts facts = FactsOf(contract);
  view.contract = DescribeContract(engine, options, contract, facts);
  view.request = DescribeRequest(engine, options, contract);
  std::unordered_map<std::string, IssueList> by_milestone;
  for (const Issue& issue : view.issues) {
    if (!issue.milestone_id.empty()) by_milestone[issue.milestone_id].push_back(issue);
  }
  view.milestones.reserve(contract.milestones.size());
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    auto found = by_milestone.find(contract.milestones[i].id);
    view.milestones.push_back(DescribeRow(engine.policy(), options, contract, facts, i,
                                          found == by_milestone.end() ? IssueList()
                                                                      : std::move(found->second)));
  }
  return view;
}

std::string RowViewToJson(const RowView& row, const std::string&) {
  return json::Write(RowToValue(row));
}

std::string ContractViewToJson(const ContractView& view) {
  return json::Write(ContractViewToValue(view));
}

std::string ViewToJson(const View& view) {
  json::Value v = json::Value::Object();
  v.Set("ok", json::Value::Bool(view.ok));
  v.Set("issues", IssuesToValue(view.issues));
  if (!view.ok) return json::Write(v);
  v.Set("actor", Str(ActorName(view.actor)));
  v.Set("now", view.now.empty() ? json::Value::Null() : Str(view.now));
  v.Set("contract", ContractViewToValue(view.contract));
  if (view.request) {
    const RequestView& r = *view.request;
    json::Value request = json::Value::Object();
    request.Set("id", Str(r.id));
    request.Set("by", Str(r.by));
    request.Set("message", Str(r.message));
    request.Set("changes", ChangesToValue(r.changes));
    json::Value summary = json::Value::Array();
    for (const std::string& line : r.summary) summary.Push(Str(line));
    request.Set("summary", std::move(summary));
    request.Set("issues", IssuesToValue(r.issues));
    v.Set("request", std::move(request));
  } else {
    v.Set("request", json::Value::Null());
  }
  json::Value rows = json::Value::Array();
  for (const RowView& row : view.milestones) rows.Push(RowToValue(row));
  v.Set("milestones", std::move(rows));
  return json::Write(v);
}

}  // namespace milestone
