// json_api::Describe(contract, options): input "contract \0 options".
#include <algorithm>
#include <vector>

#include "fuzz_common.h"
#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/session.h"

namespace {

// The first error code of `issues`, or "".
std::string FirstError(const milestone::IssueList& issues) {
  for (const milestone::Issue& i : issues) {
    if (i.severity == milestone::Severity::kError) return i.code;
  }
  return "";
}

// can.X of the view against engine.Check of X (docs/view-model.md, "What can.X promises").
void Agrees(const milestone::Engine& engine, const milestone::Contract& doc,
            const milestone::ActOptions& options, const fuzz::Json& can, milestone::Action action,
            const std::string& answer) {
  fuzz::Require(can.is_object() && can.contains("ok") && can["ok"].is_boolean() &&
                    can.contains("label") && can["label"].is_string(),
                "a can is not {ok, label, issue?}", answer);
  const std::string what = std::string("can.") + milestone::ActionTypeName(action.type) + " of " +
                           (action.id.empty() ? "the contract" : action.id) +
                           " disagrees with check";
  // A freelancer's edits are checked as the proposal they become.
  const bool edit =
      action.type == milestone::ActionType::kAdd || action.type == milestone::ActionType::kEdit ||
      action.type == milestone::ActionType::kDelete || action.type == milestone::ActionType::kMove;
  if (edit && options.actor == milestone::Actor::kFreelancer) {
    milestone::Action propose;
    propose.type = milestone::ActionType::kPropose;
    propose.actions.push_back(action);
    action = propose;
  }
  milestone::ValidateResult check = engine.Check(doc, {action}, options);
  fuzz::Require(can["ok"].get<bool>() == check.ok, what.c_str(),
                answer + "\ncheck " + milestone::ActionToJson(action) + ": " +
                    milestone::IssuesToJson(check.issues));
  if (!check.ok) {
    fuzz::Require(can.contains("issue") && can["issue"].is_object() &&
                      can["issue"]["code"] == FirstError(check.issues),
                  "can.X.issue is not check's first error", answer);
  }
}

milestone::Action Make(milestone::ActionType type, const std::string& id = "") {
  milestone::Action action;
  action.type = type;
  action.id = id;
  return action;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 2);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::Describe(engine, args[0], args[1]);
  fuzz::Json v = fuzz::ParseAnswer(answer);
  fuzz::Require(v.is_object() && v.contains("ok") && v["ok"].is_boolean(), "no boolean ok", answer);
  bool any_error = false;
  fuzz::Require(v.contains("issues"), "describe has no issues", answer);
  fuzz::CheckIssues(v["issues"], answer, &any_error);
  if (!v["ok"].get<bool>()) {
    fuzz::Require(any_error, "describe refuses without an error issue", answer);
    return 0;
  }
  milestone::Contract doc;
  milestone::IssueList read;
  fuzz::Require(milestone::ParseContract(args[0], &doc, &read),
                "describe is ok for a contract ParseContract refuses", answer);
  milestone::ActOptions options;
  milestone::IssueList option_issues;
  fuzz::Require(milestone::ParseSessionOptions(args[1], &options, &option_issues),
                "describe is ok for options ParseSessionOptions refuses", answer);
  fuzz::Require(v.contains("milestones") && v["milestones"].is_array() &&
                    v["milestones"].size() == doc.milestones.size(),
                "describe has not one row per milestone", answer);
  fuzz::Require(v.contains("contract") && v["contract"].is_object() &&
                    v["contract"].contains("can") && v["contract"]["can"].is_object(),
                "describe has no contract.can", answer);

  // The promise holds for valid contracts: can.X is what check answers.
  milestone::ValidateOptions validate_options;
  validate_options.now = options.now;
  if (!engine.Validate(doc, validate_options).ok) return 0;
  using T = milestone::ActionType;
  const std::vector<milestone::Timer> timers = engine.Timers(doc, validate_options);
  const fuzz::Json& can = v["contract"]["can"];
  for (auto [name, type] : {std::pair{"end", T::kEnd},
                            {"withdraw", T::kWithdraw},
                            {"accept", T::kAccept},
                            {"decline", T::kDecline}}) {
    Agrees(engine, doc, options, can[name], Make(type), answer);
  }
  const fuzz::Json& add_range = v["contract"]["addRange"];
  if (add_range.is_object() && add_range["to"].is_number_integer() &&
      add_range["to"].get<int64_t>() >= 0) {
    milestone::Action add = Make(T::kAdd);
    add.fields.title = "New milestone";
    add.fields.amount = engine.policy().DefaultCurrency().minimum_amount;
    add.index = add_range["to"].get<int64_t>();
    Agrees(engine, doc, options, can["add"], add, answer);
  }
  for (size_t i = 0; i < doc.milestones.size(); ++i) {
    const fuzz::Json& row = v["milestones"][i];
    fuzz::Require(row.is_object() && row["id"] == doc.milestones[i].id && row.contains("can"),
                  "a row is not its milestone's", answer);
    const milestone::Milestone& m = doc.milestones[i];
    const fuzz::Json& row_can = row["can"];
    Agrees(engine, doc, options, row_can["fund"], Make(T::kFund, m.id), answer);
    Agrees(engine, doc, options, row_can["submit"], Make(T::kSubmit, m.id), answer);
    Agrees(engine, doc, options, row_can["delete"], Make(T::kDelete, m.id), answer);
    milestone::Action edit = Make(T::kEdit, m.id);
    edit.fields.title = m.title;
    Agrees(engine, doc, options, row_can["edit"], edit, answer);
    milestone::Action request = Make(T::kRequestChanges, m.id);
    request.message = "\xE2\x80\xA6";
    Agrees(engine, doc, options, row_can["requestChanges"], request, answer);
    milestone::Action release = Make(T::kRelease, m.id);
    if (row_can["release"].value("needsDecision", false)) release.then = "keepOpen";
    Agrees(engine, doc, options, row_can["release"], release, answer);
    // The escrow actions (SPEC 3.1), with the texts docs/view-model.md names.
    Agrees(engine, doc, options, row_can["requestRefund"], Make(T::kRequestRefund, m.id), answer);
    Agrees(engine, doc, options, row_can["approveRefund"], Make(T::kApproveRefund, m.id), answer);
    milestone::Action decline_refund = Make(T::kDeclineRefund, m.id);
    decline_refund.reason = "Declined.";
    Agrees(engine, doc, options, row_can["declineRefund"], decline_refund, answer);
    milestone::Action dispute = Make(T::kDispute, m.id);
    dispute.reason = "Disputed.";
    Agrees(engine, doc, options, row_can["dispute"], dispute, answer);
    Agrees(engine, doc, options, row_can["withdrawDispute"], Make(T::kWithdrawDispute, m.id),
           answer);
    milestone::Action resolve = Make(T::kResolveDispute, m.id);
    resolve.split_release = milestone::EscrowOf(m);
    resolve.split_refund = 0;
    Agrees(engine, doc, options, row_can["resolveDispute"], resolve, answer);
    fuzz::Require(row["escrow"] == milestone::EscrowOf(m), "a row's escrow is not the milestone's",
                  answer);
    // The row's timer is the one timers() lists for it.
    const bool listed = std::any_of(timers.begin(), timers.end(), [&](const milestone::Timer& t) {
      return t.milestone_id == m.id;
    });
    fuzz::Require(row.contains("timer") && row["timer"].is_null() != listed,
                  "a row's timer is not the one timers() lists", answer);
    // Every position of the move range is allowed, the one just above it is not.
    const fuzz::Json& range = row_can["move"]["range"];
    if (range.is_object() && range["from"].is_number_integer() && range["to"].is_number_integer()) {
      const int64_t from = range["from"].get<int64_t>();
      const int64_t to = range["to"].get<int64_t>();
      for (int64_t at : {from, to}) {
        if (from > to) break;
        milestone::Action move = Make(T::kMove, m.id);
        move.to_index = at;
        Agrees(engine, doc, options, row_can["move"], move, answer);
      }
      if (from <= to && from > 0 && row_can["move"]["ok"] == true) {
        milestone::Action above = Make(T::kMove, m.id);
        above.to_index = from - 1;
        if (options.actor == milestone::Actor::kFreelancer) {
          milestone::Action propose = Make(T::kPropose);
          propose.actions.push_back(above);
          above = propose;
        }
        fuzz::Require(!engine.Check(doc, {above}, options).ok,
                      "a move just above can.move.range is allowed", answer);
      }
    }
  }
  return 0;
}
