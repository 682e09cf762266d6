// json_api::Describe(contract, options): input "contract \0 options".
#include "fuzz_common.h"
#include "milestone/action.h"
#include "milestone/contract.h"
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
            const milestone::ActOptions& options, const fuzz::Json& can, milestone::ActionType type,
            const std::string& id, const std::string& answer) {
  milestone::Action action;
  action.type = type;
  action.id = id;
  milestone::ValidateResult check = engine.Check(doc, {action}, options);
  fuzz::Require(can.is_object() && can.contains("ok") && can["ok"].is_boolean() &&
                    can.contains("label") && can["label"].is_string(),
                "a can is not {ok, label, issue?}", answer);
  std::string what = std::string("can.") + milestone::ActionTypeName(type) + " of " +
                     (id.empty() ? "the contract" : id) + " disagrees with check";
  fuzz::Require(can["ok"].get<bool>() == check.ok, what.c_str(),
                answer + "\ncheck: " + milestone::IssuesToJson(check.issues));
  if (!check.ok) {
    fuzz::Require(can.contains("issue") && can["issue"].is_object() &&
                      can["issue"]["code"] == FirstError(check.issues),
                  "can.X.issue is not check's first error", answer);
  }
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
  const fuzz::Json& can = v["contract"]["can"];
  Agrees(engine, doc, options, can["end"], milestone::ActionType::kEnd, "", answer);
  Agrees(engine, doc, options, can["withdraw"], milestone::ActionType::kWithdraw, "", answer);
  Agrees(engine, doc, options, can["accept"], milestone::ActionType::kAccept, "", answer);
  for (size_t i = 0; i < doc.milestones.size(); ++i) {
    const fuzz::Json& row = v["milestones"][i];
    fuzz::Require(row.is_object() && row["id"] == doc.milestones[i].id && row.contains("can"),
                  "a row is not its milestone's", answer);
    const std::string& id = doc.milestones[i].id;
    Agrees(engine, doc, options, row["can"]["fund"], milestone::ActionType::kFund, id, answer);
    Agrees(engine, doc, options, row["can"]["submit"], milestone::ActionType::kSubmit, id, answer);
  }
  return 0;
}
