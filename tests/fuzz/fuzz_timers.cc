// json_api::Timers(contract, options): input "contract \0 options".
//
// Beyond the envelope: an answer is an array of timers, one per milestone at
// most, each naming a milestone of the contract, of a known kind, with the
// action the marketplace applies (release or approveRefund of that milestone);
// and on a valid contract a timer is due (daysLeft 0) exactly when Check
// accepts its action from the marketplace now, NOT_DUE otherwise (SPEC 3.1).
#include <set>
#include <vector>

#include "fuzz_common.h"
#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"
#include "milestone/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 2);
  static const milestone::Engine engine;
  const std::string answer = milestone::json_api::Timers(engine, args[0], args[1]);
  fuzz::Json v = fuzz::ParseAnswer(answer);
  if (v.is_object()) {
    // A refusal: the envelope with at least one error.
    fuzz::Require(v.contains("ok") && v["ok"] == false, "timers refused without ok: false", answer);
    bool any_error = false;
    fuzz::CheckIssues(v["issues"], answer, &any_error);
    fuzz::Require(any_error, "timers refused without an error issue", answer);
    return 0;
  }
  fuzz::Require(v.is_array(), "timers is neither an array nor the envelope", answer);

  milestone::Contract doc;
  milestone::IssueList read;
  fuzz::Require(milestone::ParseContract(args[0], &doc, &read),
                "timers answered for a contract ParseContract refuses", answer);
  // Timers answered, so `now` was given and is a date (the reader refuses
  // the rest): take it as nlohmann reads it.
  const fuzz::Json given = fuzz::Json::parse(args[1], nullptr, /*allow_exceptions=*/false);
  if (given.is_discarded()) return 0;  // text only our reader takes (a lone surrogate)
  fuzz::Require(given.is_object() && given.contains("now") && given["now"].is_string(),
                "timers answered without a date", answer);
  milestone::ActOptions options;
  options.now = given["now"].get<std::string>();
  if (doc.status == milestone::ContractStatus::kEnded) {
    fuzz::Require(v.empty(), "an ended contract has a timer", answer);
  }
  milestone::ValidateOptions at;
  at.now = options.now;
  const bool valid = engine.Validate(doc, at).ok;
  options.actor = milestone::Actor::kMarketplace;
  bool all_ids_utf8 = true;
  for (const milestone::Milestone& m : doc.milestones) {
    if (!milestone::IsValidUtf8(m.id)) all_ids_utf8 = false;
  }
  std::set<std::string> seen;
  for (const fuzz::Json& timer : v) {
    fuzz::Require(timer.is_object() && timer["milestoneId"].is_string() &&
                      timer["kind"].is_string() && timer["due"].is_string() &&
                      timer["daysLeft"].is_number_integer() && timer["action"].is_object() &&
                      timer["message"].is_string() && !timer["message"].get<std::string>().empty(),
                  "a timer is not {milestoneId, kind, due, daysLeft, action, message}", answer);
    const std::string id = timer["milestoneId"].get<std::string>();
    // An id that is not UTF-8 is written with U+FFFD for its bad bytes (json.h):
    // that answer names a milestone it cannot be looked up by, and two such ids
    // can be written alike.
    fuzz::Require(seen.insert(id).second || !all_ids_utf8, "two timers on one milestone", answer);
    fuzz::Require(milestone::FindMilestone(doc, id) >= 0 || !all_ids_utf8,
                  "a timer on no milestone", answer);
    const std::string kind = timer["kind"].get<std::string>();
    const std::string type = timer["action"].value("type", "");
    fuzz::Require((kind == "autoRelease" && type == "release") ||
                      (kind == "autoRefund" && type == "approveRefund"),
                  "a timer's kind and action disagree", answer);
    fuzz::Require(timer["action"].value("id", "") == id, "a timer's action names another milestone",
                  answer);
    const int64_t days_left = timer["daysLeft"].get<int64_t>();
    fuzz::Require(days_left >= 0, "a timer with negative daysLeft", answer);
    if (!valid) continue;
    std::vector<milestone::Action> actions;
    milestone::IssueList action_issues;
    fuzz::Require(milestone::ParseActions(timer["action"].dump(), &actions, &action_issues),
                  "a timer's action does not read", answer);
    const milestone::ValidateResult check = engine.Check(doc, actions, options);
    fuzz::Require(check.ok == (days_left == 0),
                  "a timer is due exactly when the marketplace may act",
                  answer + "\ncheck: " + milestone::IssuesToJson(check.issues));
    if (!check.ok) {
      fuzz::Require(check.issues[0].code == milestone::codes::kNotDue,
                    "a running timer is refused for another reason than NOT_DUE",
                    answer + "\ncheck: " + milestone::IssuesToJson(check.issues));
    }
  }
  return 0;
}
