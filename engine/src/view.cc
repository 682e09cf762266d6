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
#include "milestone/catalog.h"
#include "milestone/money.h"
#include "rules.h"
#include "sentences.h"
#include "view_build.h"

namespace milestone {
namespace {

Can Judge(const Policy& policy, const ActOptions& options, const Contract& contract,
          const ContractFacts& facts, const Action& action, int64_t index = -1) {
  Can can;
  const ActionSpec& spec = SpecOf(action.type);
  can.label = spec.label;
  can.action = spec.name;
  IssueList issues;
  can.ok = Admit(policy, options, contract, facts, action, options.actor, &issues, index);
  if (!can.ok && !issues.empty()) can.issue = std::move(issues.front());
  return can;
}

Action Named(ActionType type, const std::string& id) {
  Action action;
  action.type = type;
  action.id = id;
  return action;
}

// The view is written straight into text: a 1,000-milestone view is 1.6 MB,
// and a tree of JSON values first would be several times that in small
// allocations.
class Out {
 public:
  Out(std::string* text, const Currency& money) : text_(text), money_(money) {}
  Out& Open() { return Char('{'); }
  Out& Close() {
    text_->push_back('}');
    first_ = false;
    return *this;
  }
  Out& Key(const char* key) {
    if (!first_) text_->push_back(',');
    text_->push_back('"');
    text_->append(key);
    text_->append("\":");
    first_ = true;
    return *this;
  }
  Out& Str(std::string_view value) {
    json::WriteString(value, text_);
    first_ = false;
    return *this;
  }
  Out& Int(int64_t value) {
    text_->append(std::to_string(value));
    first_ = false;
    return *this;
  }
  Out& Bool(bool value) {
    text_->append(value ? "true" : "false");
    first_ = false;
    return *this;
  }
  Out& Null() {
    text_->append("null");
    first_ = false;
    return *this;
  }
  // Figures and words as the catalog in use writes them (SPEC 5), else English.
  Out& Money(int64_t amount) {
    const Catalog* catalog = CurrentCatalog();
    return Str(catalog != nullptr ? catalog->Money(amount, money_.code, money_.exponent)
                                  : FormatMoney(amount, money_));
  }
  Out& Date(const std::optional<std::string>& date) {
    const Catalog* catalog = CurrentCatalog();
    return Str(catalog != nullptr && date ? catalog->Date(*date) : DateText(date, ""));
  }
  Out& Label(const char* table, const std::string& key, std::string_view english) {
    const Catalog* catalog = CurrentCatalog();
    return catalog != nullptr ? Str(catalog->Label(table, key, english)) : Str(english);
  }
  Out& Issues(const IssueList& issues) {
    WriteIssues(issues, text_);
    first_ = false;
    return *this;
  }
  Out& Issue(const milestone::Issue& issue) {
    WriteIssue(issue, text_);
    first_ = false;
    return *this;
  }
  Out& Raw(const std::string& json) {
    text_->append(json);
    first_ = false;
    return *this;
  }
  Out& Strings(const std::vector<std::string>& items) {
    text_->push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) text_->push_back(',');
      json::WriteString(items[i], text_);
    }
    text_->push_back(']');
    first_ = false;
    return *this;
  }
  // Arrays: the caller writes Comma() between items.
  Out& Begin() { return Char('['); }
  Out& End() {
    text_->push_back(']');
    first_ = false;
    return *this;
  }
  Out& Comma() {
    text_->push_back(',');
    first_ = true;
    return *this;
  }

 private:
  Out& Char(char c) {
    text_->push_back(c);
    first_ = true;
    return *this;
  }
  std::string* text_;
  const Currency& money_;  // every amount is written in the contract's currency
  bool first_ = true;
};

// The members of a Can, without its braces, so a `can` may add its own.
void CanMembers(const Can& can, Out& out) {
  out.Key("ok").Bool(can.ok).Key("label").Label("label", can.action, can.label);
  if (can.issue) out.Key("issue").Issue(*can.issue);
}

void WriteCan(const char* key, const Can& can, Out& out) {
  out.Key(key).Open();
  CanMembers(can, out);
  out.Close();
}

void WriteRange(const char* key, const IndexRange& range, Out& out) {
  out.Key(key).Open().Key("from").Int(range.from).Key("to").Int(range.to).Close();
}

void WriteRow(const RowView& row, Out& out) {
  const Milestone& m = row.milestone;
  out.Open().Key("id").Str(m.id).Key("index").Int(row.index).Key("title").Str(m.title);
  out.Key("description").Str(m.description).Key("dueDate");
  if (m.due_date) {
    out.Str(*m.due_date);
  } else {
    out.Null();
  }
  out.Key("amount").Int(m.amount).Key("state").Str(StateName(m.state));
  out.Key("funded").Int(m.funded).Key("released").Int(m.released);
  out.Key("refunded").Int(row.refunded).Key("escrow").Int(row.escrow);
  out.Key("submittedOn");
  if (m.submitted_on) {
    out.Str(*m.submitted_on);
  } else {
    out.Null();
  }
  out.Key("refundRequest");
  if (m.refund_request) {
    out.Open().Key("requestedOn").Str(m.refund_request->requested_on);
    if (m.refund_request->message) out.Key("message").Str(*m.refund_request->message);
    out.Key("text").Open().Key("requestedOn").Date(m.refund_request->requested_on);
    out.Close().Close();
  } else {
    out.Null();
  }
  out.Key("dispute");
  if (m.dispute) {
    out.Open().Key("by").Str(m.dispute->by).Key("openedOn").Str(m.dispute->opened_on);
    out.Key("reason").Str(m.dispute->reason);
    out.Key("text").Open().Key("openedOn").Date(m.dispute->opened_on).Close();
    out.Close();
  } else {
    out.Null();
  }
  out.Key("stateLabel").Label("stateLabel", StateName(m.state), StateLabel(m.state));
  out.Key("text").Open().Key("amount").Money(m.amount).Key("funded").Money(m.funded);
  out.Key("released").Money(m.released).Key("refunded").Money(row.refunded);
  out.Key("escrow").Money(row.escrow).Key("dueDate").Date(m.due_date).Close();
  out.Key("issues").Issues(row.issues);
  out.Key("can").Open();
  WriteCan("edit", row.edit, out);
  WriteCan("delete", row.remove, out);
  out.Key("move").Open();
  CanMembers(row.move, out);
  WriteRange("range", row.move_range, out);
  out.Close();
  out.Key("fund").Open();
  CanMembers(row.fund, out);
  const Charge& c = row.charge;
  out.Key("charge").Open().Key("amount").Int(c.amount).Key("fromCarryOver").Int(c.from_carry_over);
  out.Key("fee").Int(c.fee).Key("total").Int(c.total);
  out.Key("text")
      .Open()
      .Key("amount")
      .Money(c.amount)
      .Key("fromCarryOver")
      .Money(c.from_carry_over);
  out.Key("fee").Money(c.fee).Key("total").Money(c.total).Close().Close();
  out.Close();
  WriteCan("submit", row.submit, out);
  WriteCan("requestChanges", row.request_changes, out);
  out.Key("release").Open();
  CanMembers(row.release, out);
  out.Key("maximum").Int(row.release_maximum).Key("needsDecision").Bool(row.release_needs_decision);
  out.Key("text").Open().Key("maximum").Money(row.release_maximum).Close();
  out.Close();
  WriteCan("requestRefund", row.request_refund, out);
  WriteCan("approveRefund", row.approve_refund, out);
  WriteCan("declineRefund", row.decline_refund, out);
  WriteCan("dispute", row.dispute, out);
  WriteCan("withdrawDispute", row.withdraw_dispute, out);
  WriteCan("resolveDispute", row.resolve_dispute, out);
  out.Close();  // can
  out.Key("timer");
  if (row.timer) {
    std::string text;
    WriteTimer(*row.timer, &text);
    out.Raw(text);
  } else {
    out.Null();
  }
  out.Close();
}

void WriteContractView(const ContractView& c, Out& out) {
  const bool open = c.status == ContractStatus::kOpen;
  out.Open().Key("id").Str(c.id).Key("version").Int(c.version);
  out.Key("status").Str(open ? "open" : "ended").Key("currency").Str(c.currency);
  out.Key("statusLabel").Label("statusLabel", open ? "open" : "ended", open ? "Open" : "Ended");
  const Totals& t = c.totals;
  out.Key("totals").Open().Key("amount").Int(t.amount).Key("funded").Int(t.funded);
  out.Key("released").Int(t.released).Key("refunded").Int(t.refunded);
  out.Key("escrow").Int(t.escrow).Key("carryOver").Int(t.carry_over);
  out.Key("text").Open().Key("amount").Money(t.amount).Key("funded").Money(t.funded);
  out.Key("released").Money(t.released).Key("refunded").Money(t.refunded);
  out.Key("escrow").Money(t.escrow).Key("carryOver").Money(t.carry_over).Close().Close();
  out.Key("can").Open();
  WriteCan("add", c.add, out);
  WriteCan("end", c.end, out);
  WriteCan("propose", c.propose, out);
  WriteCan("withdraw", c.withdraw, out);
  WriteCan("accept", c.accept, out);
  WriteCan("decline", c.decline, out);
  out.Close();
  WriteRange("addRange", c.add_range, out);
  out.Key("issues").Issues(c.issues);
  out.Close();
}

}  // namespace

RowView DescribeRow(const Policy& policy, const ActOptions& options, const Contract& contract,
                    const ContractFacts& facts, size_t index, IssueList issues) {
  RowView row;
  const Milestone& m = contract.milestones[index];
  row.index = static_cast<int64_t>(index);
  row.milestone = m;
  row.refunded = m.refunded;
  row.escrow = EscrowOf(m);
  row.issues = std::move(issues);

  Action edit = Named(ActionType::kEdit, m.id);
  edit.fields.title = m.title;
  row.edit = Judge(policy, options, contract, facts, edit, row.index);
  row.remove = Judge(policy, options, contract, facts, Named(ActionType::kDelete, m.id), row.index);
  Action move = Named(ActionType::kMove, m.id);
  move.to_index = row.index;
  row.move = Judge(policy, options, contract, facts, move, row.index);
  if (row.move.ok) {
    row.move_range.from = facts.first_open;
    row.move_range.to = static_cast<int64_t>(contract.milestones.size()) - 1;
  }
  row.fund = Judge(policy, options, contract, facts, Named(ActionType::kFund, m.id), row.index);
  const FundCharge charge = ChargeOf(policy, contract, m);
  row.charge = Charge{charge.amount, charge.from_carry, charge.fee, charge.total};
  row.submit = Judge(policy, options, contract, facts, Named(ActionType::kSubmit, m.id), row.index);
  Action request_changes = Named(ActionType::kRequestChanges, m.id);
  request_changes.message = "Changes requested.";
  row.request_changes = Judge(policy, options, contract, facts, request_changes, row.index);
  row.release_needs_decision = NeedsDecision(facts, row.index);
  row.release_maximum = EscrowOf(m);
  Action release = Named(ActionType::kRelease, m.id);
  if (row.release_needs_decision) release.then = "keepOpen";
  row.release = Judge(policy, options, contract, facts, release, row.index);
  // The escrow actions (SPEC 3.1), with the texts a person would give.
  row.request_refund =
      Judge(policy, options, contract, facts, Named(ActionType::kRequestRefund, m.id), row.index);
  row.approve_refund =
      Judge(policy, options, contract, facts, Named(ActionType::kApproveRefund, m.id), row.index);
  Action decline_refund = Named(ActionType::kDeclineRefund, m.id);
  decline_refund.reason = "Declined.";
  row.decline_refund = Judge(policy, options, contract, facts, decline_refund, row.index);
  Action dispute = Named(ActionType::kDispute, m.id);
  dispute.reason = "Disputed.";
  row.dispute = Judge(policy, options, contract, facts, dispute, row.index);
  row.withdraw_dispute =
      Judge(policy, options, contract, facts, Named(ActionType::kWithdrawDispute, m.id), row.index);
  Action resolve = Named(ActionType::kResolveDispute, m.id);
  resolve.split_release = row.escrow;
  resolve.split_refund = 0;
  row.resolve_dispute = Judge(policy, options, contract, facts, resolve, row.index);
  if (contract.status == ContractStatus::kOpen) row.timer = TimerOf(policy, m, options.now);
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
  view.money = policy.CurrencyFor(contract.currency);
  Totals& t = view.totals;
  for (const Milestone& m : contract.milestones) {
    t.amount += m.amount;
    t.funded += m.funded;
    t.released += m.released;
    t.refunded += m.refunded;
    t.escrow += EscrowOf(m);
  }
  t.carry_over = contract.carry_over;
  view.add_range.from = facts.first_open;
  view.add_range.to = static_cast<int64_t>(contract.milestones.size());

  Action add;
  add.type = ActionType::kAdd;
  add.fields.title = "New milestone";
  add.fields.amount = view.money.minimum_amount;
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
    const Currency money = engine.policy().CurrencyFor(without.currency);
    DiffResult diff = Diff(without, step.contract, &money);
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
  const ContractFacts facts = FactsOf(contract, engine.policy());
  view.contract = DescribeContract(engine, options, contract, facts);
  view.request = DescribeRequest(engine, options, contract);
  std::unordered_map<std::string, IssueList> by_milestone;
  for (const Issue& issue : view.issues) {
    if (issue.milestone_id.empty()) {
      view.contract.issues.push_back(issue);
    } else {
      by_milestone[issue.milestone_id].push_back(issue);
    }
  }
  view.milestones.reserve(contract.milestones.size());
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    auto found = by_milestone.find(contract.milestones[i].id);
    view.milestones.push_back(
        DescribeRow(engine.policy(), options, contract, facts, i,
                    found == by_milestone.end() ? IssueList() : std::move(found->second)));
  }
  return view;
}

std::string RowViewToJson(const RowView& row, const Currency& money) {
  std::string text;
  Out out(&text, money);
  WriteRow(row, out);
  return text;
}

std::string ContractViewToJson(const ContractView& view) {
  std::string text;
  Out out(&text, view.money);
  WriteContractView(view, out);
  return text;
}

std::string ViewToJson(const View& view) {
  std::string text;
  text.reserve(512 + view.milestones.size() * 1800);
  Out out(&text, view.contract.money);
  out.Open().Key("ok").Bool(view.ok).Key("issues").Issues(view.issues);
  if (!view.ok) {
    out.Close();
    return text;
  }
  out.Key("actor").Str(ActorName(view.actor)).Key("now");
  if (view.now.empty()) {
    out.Null();
  } else {
    out.Str(view.now);
  }
  out.Key("contract");
  WriteContractView(view.contract, out);
  out.Key("request");
  if (view.request) {
    const RequestView& r = *view.request;
    out.Open().Key("id").Str(r.id).Key("by").Str(r.by).Key("message").Str(r.message);
    out.Key("changes").Raw(ChangesToJson(r.changes)).Key("summary").Strings(r.summary);
    out.Key("issues").Issues(r.issues).Close();
  } else {
    out.Null();
  }
  out.Key("milestones").Begin();
  for (size_t i = 0; i < view.milestones.size(); ++i) {
    if (i > 0) out.Comma();
    WriteRow(view.milestones[i], out);
  }
  out.End().Close();
  return text;
}

}  // namespace milestone
