#include "milestone/json_api.h"

#include <cmath>

#include "milestone/catalog.h"
#include "milestone/codes.h"
#include "milestone/date.h"
#include "milestone/money.h"
#include "milestone/view.h"
#include "rules.h"

namespace milestone {

std::string ApplyResultToJson(const ApplyResult& result) {
  std::string out = "{\"ok\":";
  out += result.ok ? "true" : "false";
  out += ",\"contract\":";
  out += ContractToJson(result.contract);
  out += ",\"issues\":";
  out += IssuesToJson(result.issues);
  out += ",\"events\":";
  out += EventsToJson(result.events);
  out += "}";
  return out;
}

namespace json_api {
namespace {

std::string Failure(const IssueList& issues) {
  ValidateResult result;
  result.issues = issues;
  return ValidateResultToJson(result);
}

}  // namespace

std::string Validate(const Engine& engine, std::string_view contract, std::string_view options) {
  CatalogScope scope(engine.catalog());
  ActOptions act;
  IssueList issues;
  if (!ReadActOptions(options, ActorRule::kIgnored, &act, &issues)) return Failure(issues);
  ValidateOptions validate_options;
  validate_options.now = act.now;
  return ValidateResultToJson(engine.Validate(contract, validate_options));
}

std::string Check(const Engine& engine, std::string_view contract, std::string_view action,
                  std::string_view options) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  ActOptions act;
  Contract doc;
  std::vector<Action> actions;
  bool ok = ReadActOptions(options, ActorRule::kRequired, &act, &issues);
  ok &= ParseContract(contract, &doc, &issues);
  ok &= ParseActions(action, &actions, &issues);
  if (!ok) return Failure(issues);
  return ValidateResultToJson(engine.Check(doc, actions, act));
}

std::string Apply(const Engine& engine, std::string_view contract, std::string_view action,
                  std::string_view options) {
  CatalogScope scope(engine.catalog());
  ApplyResult result;
  ActOptions act;
  bool ok = ReadActOptions(options, ActorRule::kRequired, &act, &result.issues);
  bool readable = ParseContract(contract, &result.contract, &result.issues);
  std::vector<Action> actions;
  ok &= ParseActions(action, &actions, &result.issues);
  if (!ok || !readable) {
    if (!readable) {
      // Nothing to hand back but the issues: the contract could not be read.
      std::string out = "{\"ok\":false,\"contract\":null,\"issues\":";
      out += IssuesToJson(result.issues);
      out += ",\"events\":[]}";
      return out;
    }
    return ApplyResultToJson(result);
  }
  return ApplyResultToJson(engine.Apply(result.contract, actions, act));
}

std::string Diff(const Engine& engine, std::string_view before, std::string_view after) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  Contract a;
  Contract b;
  IssueList before_issues;
  IssueList after_issues;
  bool ok = ParseContract(before, &a, &before_issues);
  ok &= ParseContract(after, &b, &after_issues);
  for (Issue& issue : before_issues) issue.path = "/before" + issue.path;
  for (Issue& issue : after_issues) issue.path = "/after" + issue.path;
  Append(&issues, before_issues);
  Append(&issues, after_issues);
  if (!ok) {
    std::string out = "{\"ok\":false,\"changes\":[],\"patch\":[],\"summary\":[],\"issues\":";
    out += IssuesToJson(issues);
    out += "}";
    return out;
  }
  const Currency money = engine.policy().CurrencyFor(a.currency);
  std::string body = DiffResultToJson(milestone::Diff(a, b, &money));
  // Splice ok/issues in front so every answer of this API carries them.
  std::string out = "{\"ok\":true,\"issues\":[],";
  out.append(body, 1, std::string::npos);
  return out;
}

std::string ApplyChanges(const Engine& engine, std::string_view contract,
                         std::string_view changes) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  Contract doc;
  std::vector<Change> list;
  bool readable = ParseContract(contract, &doc, &issues);
  bool ok = ParseChanges(changes, &list, &issues) && readable;
  if (!ok) {
    std::string out = "{\"ok\":false,\"contract\":";
    out += readable ? ContractToJson(doc) : "null";
    out += ",\"issues\":" + IssuesToJson(issues) + "}";
    return out;
  }
  ApplyChangesResult result = milestone::ApplyChanges(doc, list);
  std::string out = "{\"ok\":";
  out += result.ok ? "true" : "false";
  out += ",\"contract\":" + ContractToJson(result.ok ? result.contract : doc);
  out += ",\"issues\":" + IssuesToJson(result.issues) + "}";
  return out;
}

std::string InvertChanges(std::string_view changes) {
  IssueList issues;
  std::vector<Change> list;
  if (!ParseChanges(changes, &list, &issues)) return Failure(issues);
  // A delete's inverse re-adds the milestone it removed: without it there is
  // nothing to add back.
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].op == ChangeOp::kDelete && list[i].milestone.id.empty()) {
      issues.push_back(MakeError(codes::kSchema, "/changes/" + std::to_string(i) + "/milestone", "",
                                 "A delete can be undone only with the milestone it removed.",
                                 "Pass the changes as diff() gives them, milestone included.",
                                 "SCHEMA.undoDelete", {TextParam("id", list[i].id)}));
    }
  }
  if (!issues.empty()) return Failure(issues);
  return ChangesToJson(milestone::InvertChanges(list));
}

std::string InvertChanges(const Engine& engine, std::string_view changes) {
  CatalogScope scope(engine.catalog());
  return InvertChanges(changes);
}

std::string PreviewReorder(const Engine& engine, std::string_view contract, std::string_view id,
                           double to_index, std::string_view options) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  ActOptions act;
  Contract doc;
  bool ok = ReadActOptions(options, ActorRule::kOptional, &act, &issues);
  const bool readable = ParseContract(contract, &doc, &issues);
  const bool whole = std::isfinite(to_index) && std::floor(to_index) == to_index && to_index >= 0 &&
                     to_index <= 1e9;
  if (!whole) {
    issues.push_back(MakeError(codes::kSchema, "/toIndex", "",
                               "The target position must be a whole number of zero or more.",
                               "Pass the index to drop the milestone at, counting from 0.",
                               "SCHEMA.dropIndex", {}));
  }
  if (!readable) {
    ReorderPreview failed;
    failed.issues = issues;
    return ReorderPreviewToJson(failed);
  }
  if (!ok || !whole) {
    // docs/diff.md: a refused preview still gives the current order and where
    // a drop would be allowed.
    ReorderPreview preview = engine.PreviewReorderAs(doc, id, -1, act);
    for (Issue& issue : preview.issues) {
      if (issue.path != "/toIndex") issues.push_back(std::move(issue));
    }
    preview.issues = std::move(issues);
    preview.ok = false;
    return ReorderPreviewToJson(preview);
  }
  return ReorderPreviewToJson(
      engine.PreviewReorderAs(doc, id, static_cast<int64_t>(to_index), act));
}

std::string Describe(const Engine& engine, std::string_view contract, std::string_view options) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  ActOptions act;
  Contract doc;
  bool ok = ReadActOptions(options, ActorRule::kOptional, &act, &issues);
  ok &= ParseContract(contract, &doc, &issues);
  if (!ok || !NoErrors(issues)) {
    View failed;
    for (Issue& issue : issues) {
      if (issue.severity == Severity::kError) failed.issues.push_back(std::move(issue));
    }
    return ViewToJson(failed);
  }
  return ViewToJson(milestone::Describe(engine, doc, act));
}

std::string Timers(const Engine& engine, std::string_view contract, std::string_view options) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  ActOptions act;
  Contract doc;
  bool ok = ReadActOptions(options, ActorRule::kIgnored, &act, &issues);
  if (ok && act.now.empty()) {
    issues.push_back(MakeError(codes::kSchema, "/options/now", "",
                               "Timers need today's date to say what is due.",
                               "Pass {\"now\": \"YYYY-MM-DD\"}.", "SCHEMA.timersNow", {}));
    ok = false;
  }
  ok &= ParseContract(contract, &doc, &issues);
  if (!ok || !NoErrors(issues)) {
    IssueList errors;
    for (Issue& issue : issues) {
      if (issue.severity == Severity::kError) errors.push_back(std::move(issue));
    }
    return Failure(errors);
  }
  ValidateOptions validate;
  validate.now = act.now;
  return TimersToJson(engine.Timers(doc, validate));
}

namespace {

// The currency named, or the policy's first; false (with the issue) when the
// policy does not allow it.
bool MoneyCurrency(const Engine& engine, std::string_view code, Currency* out, IssueList* issues) {
  if (code.empty()) {
    *out = engine.policy().DefaultCurrency();
    return true;
  }
  if (const Currency* found = engine.policy().FindCurrency(code)) {
    *out = *found;
    return true;
  }
  const std::string asked(code.substr(0, 16));
  const std::string& fallback = engine.policy().DefaultCurrency().code;
  issues->push_back(MakeError(codes::kUnsupportedCurrency, "/currency", "",
                              "The currency \"" + asked + "\" is not one this policy allows.",
                              "Use " + fallback + ", or a currency of the policy.",
                              "UNSUPPORTED_CURRENCY.money",
                              {TextParam("currency", asked), TextParam("default", fallback)}));
  return false;
}

}  // namespace

std::string ParseMoney(const Engine& engine, std::string_view text, std::string_view currency) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  Currency money;
  int64_t amount = 0;
  if (!MoneyCurrency(engine, currency, &money, &issues)) return Failure(issues);
  const Catalog* catalog = engine.catalog();
  if (catalog != nullptr ? !catalog->ParseMoney(text, money, &amount, &issues)
                         : !milestone::ParseMoney(text, money, &amount, &issues)) {
    return Failure(issues);
  }
  return "{\"ok\":true,\"amount\":" + std::to_string(amount) + "}";
}

std::string ParseMoney(std::string_view text) { return ParseMoney(Engine(), text, ""); }

std::string FormatMoney(const Engine& engine, int64_t amount, std::string_view currency) {
  CatalogScope scope(engine.catalog());
  IssueList issues;
  Currency money;
  if (!MoneyCurrency(engine, currency, &money, &issues)) return Failure(issues);
  std::string out;
  const Catalog* catalog = engine.catalog();
  json::WriteString(catalog != nullptr ? catalog->Money(amount, money.code, money.exponent)
                                       : milestone::FormatMoney(amount, money),
                    &out);
  return out;
}

}  // namespace json_api
}  // namespace milestone
