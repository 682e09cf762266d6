#include "milestone/policy.h"

#include "milestone/codes.h"
#include "milestone/money.h"
#include "rules.h"

namespace milestone {
namespace {

struct IntKey {
  const char* name;
  int64_t Policy::*field;
  int64_t min;
};

const IntKey kIntKeys[] = {
    {"minimumAmount", &Policy::minimum_amount, 0},
    {"maximumAmount", &Policy::maximum_amount, 0},
    {"maxMilestones", &Policy::max_milestones, 0},
    {"titleMaxLength", &Policy::title_max_length, 1},
    {"descriptionMaxLength", &Policy::description_max_length, 0},
    {"initiationFee", &Policy::initiation_fee, 0},
    {"reviewDays", &Policy::review_days, 0},
    {"refundResponseDays", &Policy::refund_response_days, 0},
};

Issue PolicyError(const std::string& key, std::string message, std::string hint) {
  return MakeError(codes::kPolicy, key.empty() ? "/policy" : "/policy/" + PointerToken(key), "",
                   std::move(message), std::move(hint));
}

}  // namespace

bool ParsePolicy(std::string_view text, const Policy& base, Policy* out, IssueList* issues) {
  json::Value doc;
  if (!ParseJson(text, &doc, issues, "/policy")) return false;
  if (doc.is_null()) {
    *out = base;
    return true;
  }
  if (!doc.is_object()) {
    issues->push_back(PolicyError("", "The policy must be an object of numbers.",
                                  "Pass e.g. {\"minimumAmount\": 500}."));
    return false;
  }
  Policy policy = base;
  bool ok = true;
  for (const json::Member& m : doc.members()) {
    if (m.first == "currency") {
      const std::string& c = m.second.is_string() ? m.second.as_string() : std::string();
      bool iso = c.size() == 3;
      for (char ch : c) iso = iso && ch >= 'A' && ch <= 'Z';
      if (!iso) {
        issues->push_back(PolicyError(m.first,
                                      "The policy currency must be a three-letter ISO 4217 code.",
                                      "Use e.g. \"USD\"."));
        ok = false;
      } else {
        policy.currency = c;
      }
      continue;
    }
    const IntKey* key = nullptr;
    for (const IntKey& k : kIntKeys) {
      if (m.first == k.name) key = &k;
    }
    if (key == nullptr) {
      issues->push_back(
          PolicyError(m.first, "The policy key \"" + m.first.substr(0, 40) + "\" is unknown.",
                      "Use currency, minimumAmount, maximumAmount, maxMilestones, "
                      "titleMaxLength, descriptionMaxLength, initiationFee, reviewDays or "
                      "refundResponseDays."));
      ok = false;
      continue;
    }
    if (!m.second.is_int() || m.second.as_int() < key->min || m.second.as_int() > kMaxSafeInteger) {
      issues->push_back(PolicyError(m.first,
                                    std::string("The policy value \"") + key->name +
                                        "\" must be an integer of at least " +
                                        std::to_string(key->min) + ".",
                                    "Give whole numbers; money is in cents."));
      ok = false;
      continue;
    }
    policy.*(key->field) = m.second.as_int();
  }
  if (ok && policy.minimum_amount > policy.maximum_amount) {
    issues->push_back(PolicyError("minimumAmount",
                                  "The minimum amount is above the maximum amount.",
                                  "Make minimumAmount at most maximumAmount."));
    ok = false;
  }
  // A window longer than ten years is a mistake, and keeps date arithmetic
  // inside the calendar.
  for (const char* key : {"reviewDays", "refundResponseDays"}) {
    const int64_t days =
        std::string_view(key) == "reviewDays" ? policy.review_days : policy.refund_response_days;
    if (ok && days > kMaxWindowDays) {
      issues->push_back(PolicyError(key,
                                    std::string("The policy value \"") + key +
                                        "\" must be at most " + std::to_string(kMaxWindowDays) +
                                        " days.",
                                    "Give the window in days, e.g. 14."));
      ok = false;
    }
  }
  if (ok) *out = policy;
  return ok;
}

std::string PolicyToJson(const Policy& policy) {
  json::Value v = json::Value::Object();
  v.Set("currency", json::Value::String(policy.currency));
  for (const IntKey& k : kIntKeys) v.Set(k.name, json::Value::Int(policy.*(k.field)));
  return json::Write(v);
}

}  // namespace milestone
