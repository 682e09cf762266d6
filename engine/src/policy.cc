// ParsePolicy: a policy is data (SPEC 1.3), read and checked once, when an
// engine is made. Every finding is POLICY at /policy/<key>; docs/policies.md
// lists the keys and where each number of `upwork` comes from.

#include "milestone/policy.h"

#include <string>
#include <utility>

#include "milestone/codes.h"
#include "milestone/money.h"
#include "rules.h"

namespace milestone {
namespace {

struct IntKey {
  const char* name;
  int64_t Policy::*field;
  int64_t min;
  int64_t max;
};

const IntKey kIntKeys[] = {
    {"maxMilestones", &Policy::max_milestones, 0, 100000},
    {"titleMaxLength", &Policy::title_max_length, 1, 1000000},
    {"descriptionMaxLength", &Policy::description_max_length, 0, 1000000},
    {"initiationFee", &Policy::initiation_fee, 0, kMaxSafeInteger},
    {"maxInFlight", &Policy::max_in_flight, 1, 100000},
    {"reviewDays", &Policy::review_days, 0, kMaxWindowDays},
    {"refundResponseDays", &Policy::refund_response_days, 0, kMaxWindowDays},
};

class PolicyReader {
 public:
  explicit PolicyReader(IssueList* issues) : issues_(issues) {}

  bool ok() const { return ok_; }

  // `variant`: the catalog sentence "POLICY.<variant>".
  void Error(const std::string& pointer, const char* variant, std::initializer_list<Param> params,
             std::string message, std::string hint) {
    issues_->push_back(MakeError(codes::kPolicy, "/policy" + pointer, "", std::move(message),
                                 std::move(hint), std::string("POLICY.") + variant,
                                 Params(params)));
    ok_ = false;
  }

  bool Int(const json::Value& v, const std::string& pointer, const char* name, int64_t min,
           int64_t max, int64_t* out) {
    if (!v.is_int() || v.as_int() < min || v.as_int() > max) {
      Error(pointer, "number",
            {TextParam("key", name), NumberParam("min", min), NumberParam("max", max)},
            std::string("The policy value \"") + name + "\" must be a whole number from " +
                std::to_string(min) + " to " + std::to_string(max) + ".",
            "Give whole numbers; money is in minor units (cents).");
      return false;
    }
    *out = v.as_int();
    return true;
  }

  bool Code(const std::string& code, const std::string& pointer) {
    bool iso = code.size() == 3;
    for (char ch : code) iso = iso && ch >= 'A' && ch <= 'Z';
    if (!iso) {
      Error(pointer, "currencyCode", {TextParam("code", code.substr(0, 40))},
            "A policy currency must be a three-letter ISO 4217 code.",
            "Use e.g. \"USD\", \"EUR\", \"JPY\".");
    }
    return iso;
  }

  bool Exponent(const std::string& code, int64_t exponent, const std::string& pointer) {
    const int iso = IsoExponent(code);
    if (iso >= 0 && iso != exponent) {
      Error(pointer, "exponent",
            {TextParam("code", code), NumberParam("iso", iso), NumberParam("exponent", exponent)},
            "ISO 4217 gives " + code + " the exponent " + std::to_string(iso) + ", not " +
                std::to_string(exponent) + ".",
            "Set \"exponent\" to " + std::to_string(iso) + ".");
      return false;
    }
    return true;
  }

  // {"USD": {"exponent": 2, "minimumAmount": 500, "maximumAmount": ...}, ...}
  void Currencies(const json::Value& v, std::vector<Currency>* out) {
    if (!v.is_object() || v.members().empty()) {
      Error("/currencies", "currencies", {},
            "\"currencies\" must be an object with at least one currency.",
            "Write e.g. {\"USD\": {\"exponent\": 2, \"minimumAmount\": 500, "
            "\"maximumAmount\": 100000000}}.");
      return;
    }
    std::vector<Currency> list;
    for (const json::Member& m : v.members()) {
      const std::string at = "/currencies/" + PointerToken(m.first);
      if (!Code(m.first, at)) continue;
      if (!m.second.is_object()) {
        Error(at, "currencyEntry", {TextParam("code", m.first)},
              "A currency's entry must be an object.",
              "Write {\"exponent\", \"minimumAmount\", \"maximumAmount\"}.");
        continue;
      }
      Currency c;
      c.code = m.first;
      bool has[3] = {false, false, false};
      for (const json::Member& f : m.second.members()) {
        const std::string fat = at + "/" + PointerToken(f.first);
        int64_t n = 0;
        if (f.first == "exponent") {
          has[0] = Int(f.second, fat, "exponent", 0, 4, &n) && Exponent(c.code, n, fat);
          c.exponent = static_cast<int>(n);
        } else if (f.first == "minimumAmount") {
          has[1] = Int(f.second, fat, "minimumAmount", 0, kMaxSafeInteger, &c.minimum_amount);
        } else if (f.first == "maximumAmount") {
          has[2] = Int(f.second, fat, "maximumAmount", 0, kMaxSafeInteger, &c.maximum_amount);
        } else {
          Error(fat, "currencyKey",
                {TextParam("code", c.code), TextParam("key", f.first.substr(0, 40))},
                "A currency has no key \"" + f.first.substr(0, 40) + "\".",
                "Use exponent, minimumAmount and maximumAmount.");
        }
      }
      static const char* kNames[] = {"exponent", "minimumAmount", "maximumAmount"};
      for (int k = 0; k < 3; ++k) {
        if (!has[k] && ok_) {
          Error(at + "/" + kNames[k], "currencyNeeds",
                {TextParam("code", c.code), TextParam("key", kNames[k])},
                "The currency " + c.code + " needs \"" + kNames[k] + "\".",
                "Give exponent, minimumAmount and maximumAmount for every currency.");
        }
      }
      if (ok_ && c.minimum_amount > c.maximum_amount) {
        Error(at + "/minimumAmount", "currencyRange",
              {TextParam("code", c.code), NumberParam("minimumAmount", c.minimum_amount),
               NumberParam("maximumAmount", c.maximum_amount)},
              "The minimum amount of " + c.code + " is above its maximum.",
              "Make minimumAmount at most maximumAmount.");
      }
      list.push_back(std::move(c));
    }
    if (ok_) *out = std::move(list);
  }

 private:
  IssueList* issues_;
  bool ok_ = true;
};

}  // namespace

const Currency* Policy::FindCurrency(std::string_view code) const {
  for (const Currency& c : currencies) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

Currency Policy::CurrencyFor(std::string_view code) const {
  if (const Currency* c = FindCurrency(code)) return *c;
  return CurrencyOfCode(code);
}

bool ParsePolicy(std::string_view text, const Policy& base, Policy* out, IssueList* issues) {
  json::Value doc;
  if (!ParseJson(text, &doc, issues, "/policy")) return false;
  if (doc.is_null()) {
    *out = base;
    return true;
  }
  PolicyReader r(issues);
  if (!doc.is_object()) {
    r.Error("", "object", {WordParam("actual", "type", JsonTypeName(doc))},
            "The policy must be an object.", "Pass e.g. {\"minimumAmount\": 500}.");
    return false;
  }
  Policy policy = base;
  // The one-currency shorthand (SPEC 1.3): currency, minimumAmount, maximumAmount.
  const json::Value* currency = doc.Find("currency");
  const json::Value* minimum = doc.Find("minimumAmount");
  const json::Value* maximum = doc.Find("maximumAmount");
  const json::Value* table = doc.Find("currencies");
  for (const json::Member& m : doc.members()) {
    const std::string at = "/" + PointerToken(m.first);
    if (m.first == "currency" || m.first == "minimumAmount" || m.first == "maximumAmount") {
      if (table != nullptr) {
        r.Error(at, "shorthand", {TextParam("key", m.first)},
                "\"" + m.first +
                    "\" is shorthand for a one-currency table; this policy gives "
                    "\"currencies\" as well.",
                "Put the limits inside \"currencies\".");
      }
      continue;
    }
    if (m.first == "currencies") {
      r.Currencies(m.second, &policy.currencies);
      continue;
    }
    if (m.first == "fundingOrder") {
      const std::string order = m.second.is_string() ? m.second.as_string() : "";
      if (order == "sequential") {
        policy.funding_order = FundingOrder::kSequential;
      } else if (order == "any") {
        policy.funding_order = FundingOrder::kAny;
      } else {
        r.Error(at, "fundingOrder", {TextParam("order", order.substr(0, 40))},
                "\"fundingOrder\" must be \"sequential\" or \"any\".",
                "Use \"sequential\" (strictly in order) or \"any\".");
      }
      continue;
    }
    if (m.first == "name" || m.first == "about") {
      // A policy file names and explains itself; neither changes a rule.
      if (!m.second.is_string()) {
        r.Error(at, "string",
                {TextParam("key", m.first), WordParam("actual", "type", JsonTypeName(m.second))},
                "\"" + m.first + "\" must be a string.", "");
      }
      continue;
    }
    const IntKey* key = nullptr;
    for (const IntKey& k : kIntKeys) {
      if (m.first == k.name) key = &k;
    }
    if (key == nullptr) {
      r.Error(at, "unknownKey", {TextParam("key", m.first.substr(0, 40))},
              "The policy key \"" + m.first.substr(0, 40) + "\" is unknown.",
              "Use currencies (or currency, minimumAmount, maximumAmount), maxMilestones, "
              "titleMaxLength, descriptionMaxLength, initiationFee, maxInFlight, fundingOrder, "
              "reviewDays or refundResponseDays.");
      continue;
    }
    r.Int(m.second, at, key->name, key->min, key->max, &(policy.*(key->field)));
  }
  if (table == nullptr && (currency != nullptr || minimum != nullptr || maximum != nullptr)) {
    if (policy.currencies.size() != 1) {
      r.Error(currency != nullptr  ? "/currency"
              : minimum != nullptr ? "/minimumAmount"
                                   : "/maximumAmount",
              "shorthandCount",
              {NumberParam("count", static_cast<int64_t>(policy.currencies.size()))},
              "The shorthand keys set a one-currency policy, and this one has " +
                  std::to_string(policy.currencies.size()) + ".",
              "Set the limits inside \"currencies\".");
    } else {
      Currency& c = policy.currencies.front();
      if (currency != nullptr) {
        const std::string code = currency->is_string() ? currency->as_string() : "";
        if (r.Code(code, "/currency")) {
          if (code != c.code) {
            c = CurrencyOfCode(code);
            if (IsoExponent(code) < 0) {
              r.Error("/currency", "unknownExponent", {TextParam("code", code)},
                      "The engine does not know the exponent of " + code + ".",
                      "Give it in \"currencies\": {\"" + code + "\": {\"exponent\": ...}}.");
            }
          }
        }
      }
      if (minimum != nullptr) {
        r.Int(*minimum, "/minimumAmount", "minimumAmount", 0, kMaxSafeInteger, &c.minimum_amount);
      }
      if (maximum != nullptr) {
        r.Int(*maximum, "/maximumAmount", "maximumAmount", 0, kMaxSafeInteger, &c.maximum_amount);
      }
      if (r.ok() && c.minimum_amount > c.maximum_amount) {
        r.Error(minimum != nullptr ? "/minimumAmount" : "/maximumAmount", "range",
                {NumberParam("minimumAmount", c.minimum_amount),
                 NumberParam("maximumAmount", c.maximum_amount)},
                "The minimum amount is above the maximum amount.",
                "Make minimumAmount at most maximumAmount.");
      }
    }
  }
  if (r.ok() && policy.max_in_flight > policy.max_milestones && policy.max_milestones > 0) {
    r.Error("/maxInFlight", "maxInFlight",
            {NumberParam("maxInFlight", policy.max_in_flight),
             NumberParam("maxMilestones", policy.max_milestones)},
            "More milestones may be in flight than a contract may hold.",
            "Make maxInFlight at most maxMilestones.");
  }
  if (r.ok()) *out = std::move(policy);
  return r.ok();
}

std::string PolicyToJson(const Policy& policy) {
  json::Value v = json::Value::Object();
  json::Value table = json::Value::Object();
  for (const Currency& c : policy.currencies) {
    json::Value entry = json::Value::Object();
    entry.Set("exponent", json::Value::Int(c.exponent));
    entry.Set("minimumAmount", json::Value::Int(c.minimum_amount));
    entry.Set("maximumAmount", json::Value::Int(c.maximum_amount));
    table.Set(c.code, std::move(entry));
  }
  v.Set("currencies", std::move(table));
  for (const IntKey& k : kIntKeys) v.Set(k.name, json::Value::Int(policy.*(k.field)));
  v.Set("fundingOrder",
        json::Value::String(policy.funding_order == FundingOrder::kAny ? "any" : "sequential"));
  return json::Write(v);
}

}  // namespace milestone
