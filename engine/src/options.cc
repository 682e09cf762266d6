#include "milestone/codes.h"
#include "milestone/date.h"
#include "rules.h"

namespace milestone {

bool ReadActOptions(std::string_view text, ActorRule actor_rule, ActOptions* out,
                    IssueList* issues) {
  if (text.empty()) {
    if (actor_rule != ActorRule::kRequired) return true;
    text = "{}";
  }
  json::Value options;
  if (!ParseJson(text, &options, issues, "/options")) return false;
  if (options.is_null() && actor_rule != ActorRule::kRequired) return true;
  if (!options.is_object()) {
    issues->push_back(MakeError(codes::kSchema, "/options", "", "The options must be an object.",
                                "Pass e.g. {\"actor\": \"client\", \"now\": \"2026-11-27\"}.",
                                "SCHEMA.options",
                                {WordParam("actual", "type", JsonTypeName(options))}));
    return false;
  }
  bool ok = true;
  if (const json::Value* now = options.Find("now"); now != nullptr && !now->is_null()) {
    if (!now->is_string() || !ParseDate(now->as_string())) {
      issues->push_back(MakeError(
          codes::kSchema, "/options/now", "",
          "The option \"now\" must be a date written YYYY-MM-DD.",
          "Pass today's date, e.g. \"2026-11-27\".", "SCHEMA.optionNow",
          {TextParam("now", now->is_string() ? now->as_string().substr(0, 40) : std::string())}));
      ok = false;
    } else {
      out->now = now->as_string();
    }
  }
  if (actor_rule == ActorRule::kIgnored) return ok;
  const json::Value* actor = options.Find("actor");
  bool absent = actor == nullptr || actor->is_null();
  if (absent && actor_rule == ActorRule::kOptional) return ok;
  if (absent || !actor->is_string() || !ParseActor(actor->as_string(), &out->actor)) {
    issues->push_back(MakeError(
        codes::kSchema, "/options/actor", "",
        "The option \"actor\" must be \"client\", \"freelancer\" or \"marketplace\".",
        "Say who acts: {\"actor\": \"client\"}.", "SCHEMA.optionActor",
        {TextParam("actor", !absent && actor->is_string() ? actor->as_string().substr(0, 40)
                                                          : std::string())}));
    ok = false;
  }
  return ok;
}

}  // namespace milestone
