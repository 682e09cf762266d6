#include "store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "milestone/codes.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "storage.h"

namespace milestone::server {
namespace {

// Keys keep their order: a contract written back must read like the one read.
using OrderedJson = nlohmann::ordered_json;

std::string DateAfter(const std::string& today, int days) {
  std::tm tm{};
  if (std::sscanf(today.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
    return today;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_mday += days;
  tm.tm_hour = 12;
  std::time_t t = timegm(&tm);
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", out.tm_year + 1900, out.tm_mon + 1, out.tm_mday);
  return buf;
}

milestone::Milestone Future(const char* id, const char* title, const char* description,
                            std::optional<std::string> due, int64_t amount) {
  milestone::Milestone m;
  m.id = id;
  m.title = title;
  m.description = description;
  m.due_date = std::move(due);
  m.amount = amount;
  return m;
}

// The demo contracts start as plans of future milestones and reach their
// states through the engine's own actions (fund, release), so the seed names
// no state and cannot drift from the rules. Due dates follow the clock so the
// demo never opens with past-due warnings.
OrderedJson Seeded(milestone::Contract plan, const std::vector<milestone::Action>& steps,
                   const std::string& today) {
  const milestone::Engine engine;
  milestone::ActOptions client;
  client.now = today;
  milestone::ApplyResult result = engine.Apply(plan, steps, client);
  // The steps are ours and fixed; a refusal would be a bug in this file.
  if (!result.ok) std::abort();
  result.contract.version = 1;
  return OrderedJson::parse(milestone::ContractToJson(result.contract));
}

milestone::Action Step(milestone::ActionType type, const char* id) {
  milestone::Action action;
  action.type = type;
  action.id = id;
  return action;
}

std::vector<std::pair<std::string, OrderedJson>> DemoDocuments(const std::string& today) {
  using milestone::ActionType;
  milestone::Contract demo;
  demo.id = "ctr-demo";
  demo.initiation_fee = 299;
  demo.milestones = {Future("m-1", "Wireframes", "Low-fidelity wireframes of every screen.",
                            DateAfter(today, -14), 50000),
                     Future("m-2", "Build", "API and UI", DateAfter(today, 14), 120000),
                     Future("m-3", "Testing", "", DateAfter(today, 28), 30000),
                     Future("m-4", "Launch", "Deploy and hand over.", std::nullopt, 25000)};
  milestone::Contract other;
  other.id = "ctr-other";
  other.initiation_fee = 299;
  other.milestones = {Future("m-1", "Logo", "", DateAfter(today, 7), 40000),
                      Future("m-2", "Brand guide", "", DateAfter(today, 21), 60000)};
  return {{"ctr-demo", Seeded(demo,
                              {Step(ActionType::kFund, "m-1"), Step(ActionType::kRelease, "m-1"),
                               Step(ActionType::kFund, "m-2")},
                              today)},
          {"ctr-other", Seeded(other, {Step(ActionType::kFund, "m-1")}, today)}};
}

struct DemoToken {
  const char* token;
  const char* user;
  const char* role;
  const char* contract;
};
constexpr DemoToken kDemoTokens[] = {
    {"demo-client", "demo-client", "client", "ctr-demo"},
    {"demo-freelancer", "demo-freelancer", "freelancer", "ctr-demo"},
    {"other-client", "other-client", "client", "ctr-other"},
    // The marketplace's mediator: every contract, no access row (SPEC §6).
    {"demo-mediator", "demo-mediator", "marketplace", ""},
};

// A dump that cannot throw on text the engine let through.
std::string Dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

}  // namespace

bool Store::IsPostgresUrl(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::unique_ptr<Store> Store::Open(const std::string& location, std::string* error) {
  if (IsPostgresUrl(location)) return OpenPostgresStore(location, error);
  return OpenSqliteStore(location, error);
}

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string UtcDate() { return UtcTimestamp().substr(0, 10); }

std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& issues_json) {
  // The one error envelope (docs/server.md): the engine's issues when it
  // decided, else one issue with the server's code.
  if (!issues_json.empty()) return "{\"ok\":false,\"issues\":" + issues_json + "}";
  Issue issue;
  issue.code = code;
  issue.message = message;
  return "{\"ok\":false,\"issues\":" + IssuesToJson({issue}) + "}";
}

bool DemoContracts(const Engine& engine, const std::string& today,
                   std::vector<SeedContract>* contracts, std::string* error) {
  contracts->clear();
  for (const auto& [id, doc] : DemoDocuments(today)) {
    std::string text = Dump(doc);
    ValidateResult checked = engine.Validate(text, ValidateOptions{today});
    if (!checked.ok) {
      *error = "seed contract " + id + " breaks the rules: " + IssuesToJson(checked.issues);
      return false;
    }
    contracts->push_back({id, doc["version"].get<int64_t>(), text});
  }
  return true;
}

std::vector<SeedToken> DemoTokens() {
  std::vector<SeedToken> tokens;
  for (const DemoToken& t : kDemoTokens) tokens.push_back({t.token, t.user, t.role, t.contract});
  return tokens;
}

std::optional<Reply> DecideChangeset(const ChangesetRequest& request, const Engine& engine,
                                     const std::optional<IdempotencyRecord>& seen, int64_t version,
                                     const std::string& before, AcceptedChangeset* accepted) {
  // The replay check comes before the version check: a retry of an accepted
  // changeset whose answer was lost carries a now-stale If-Match.
  if (seen) {
    if (seen->fingerprint != request.fingerprint) {
      return Reply{422,
                   ErrorBody(milestone::codes::kIdempotencyKeyReused,
                             "This Idempotency-Key was already used for a different "
                             "changeset; send a new key for a new changeset."),
                   {}};
    }
    return Reply{seen->status, seen->body, seen->etag, true};
  }

  if (!request.if_match_any && version != request.if_match) {
    Issue stale;
    stale.code = milestone::codes::kStaleVersion;
    stale.message = "The contract changed since version " + std::to_string(request.if_match) +
                    "; it is at version " + std::to_string(version) + ".";
    stale.hint = "Review the current contract and send the changeset again.";
    return Reply{
        412, "{\"ok\":false,\"issues\":" + IssuesToJson({stale}) + ",\"contract\":" + before + "}",
        std::to_string(version)};
  }

  // Typed all the way: the engine's result decides, never its text.
  Contract current;
  IssueList read_issues;
  if (!ParseContract(before, &current, &read_issues)) {
    return Reply{
        500,
        ErrorBody("INTERNAL", "The stored contract cannot be read.", IssuesToJson(read_issues)),
        {}};
  }
  ActOptions act;
  // The tokens table's CHECK allows only the three names ParseActor reads.
  if (!ParseActor(request.token.role, &act.actor)) {
    return Reply{500, ErrorBody(codes::kInternal, "The token's role is not an actor."), {}};
  }
  act.now = request.now;
  ApplyResult result = engine.Apply(current, request.actions, act);
  if (!result.ok) {
    bool role = false;
    for (const Issue& issue : result.issues) {
      role =
          role || (issue.severity == Severity::kError && issue.code == codes::kNotAllowedForRole);
    }
    return Reply{role ? 403 : 422, ErrorBody("", "", IssuesToJson(result.issues)), {}};
  }

  // The engine leaves `version` alone; the revision counter is the server's.
  const int64_t next = version + 1;
  result.contract.version = next;
  const std::string after_text = ContractToJson(result.contract);
  const std::string events_text = EventsToJson(result.events);

  // History lines: the diff says what changed in the milestones; the events
  // say what happened to money and states. Events named milestone* only
  // restate an edit the diff already has, so they are left out here.
  OrderedJson summary = OrderedJson::array();
  for (const std::string& line : Diff(current, result.contract).summary) summary.push_back(line);
  for (const Event& event : result.events) {
    if (event.type.rfind("milestone", 0) == 0) continue;
    summary.push_back(event.message);
  }

  // Composed from the engine's own writing, so nothing is read back.
  const std::string body = "{\"contract\":" + after_text + ",\"events\":" + events_text +
                           ",\"issues\":" + IssuesToJson(result.issues) + "}";
  accepted->from_version = version;
  accepted->to_version = next;
  accepted->document = after_text;
  accepted->events = events_text;
  accepted->summary = Dump(summary);
  accepted->at = UtcTimestamp();
  accepted->reply = Reply{200, body, std::to_string(next)};
  return std::nullopt;
}

bool WriteIntegrityReport(const std::vector<std::string>& problems, std::string* report) {
  report->clear();
  for (const std::string& p : problems) *report += (report->empty() ? "" : "\n") + p;
  if (problems.empty()) *report = "ok";
  return problems.empty();
}

void CheckAuditRows(const std::vector<AuditRow>& rows,
                    const std::vector<std::pair<std::string, int64_t>>& versions,
                    std::vector<std::string>* problems) {
  std::map<std::string, int64_t> last;
  for (const AuditRow& row : rows) {
    auto it = last.find(row.contract_id);
    if (row.to_version != row.from_version + 1) {
      problems->push_back("audit " + row.contract_id + ": " + std::to_string(row.from_version) +
                          " -> " + std::to_string(row.to_version) + " is not one step");
    }
    if (it != last.end() && row.from_version != it->second) {
      problems->push_back("audit " + row.contract_id + ": after version " +
                          std::to_string(it->second) + " comes " +
                          std::to_string(row.from_version) + " (a gap or a repeat)");
    }
    last[row.contract_id] = row.to_version;
  }
  for (const auto& [id, version] : versions) {
    auto it = last.find(id);
    if (it != last.end() && it->second != version) {
      problems->push_back("contract " + id + " is at version " + std::to_string(version) +
                          " but its audit log ends at " + std::to_string(it->second));
    }
  }
}

std::string HistoryJson(const std::string& contract_id, const std::vector<HistoryRow>& rows) {
  OrderedJson history = OrderedJson::array();
  for (const HistoryRow& row : rows) {
    history.push_back({{"version", row.version},
                       {"actor", row.actor},
                       {"user", row.user},
                       {"time", row.time},
                       {"summary", OrderedJson::parse(row.summary, nullptr, false)},
                       {"events", OrderedJson::parse(row.events, nullptr, false)}});
  }
  return Dump(OrderedJson{{"contractId", contract_id}, {"history", history}});
}

std::string NotificationsJson(const std::vector<NotificationRow>& rows) {
  OrderedJson list = OrderedJson::array();
  for (const NotificationRow& row : rows) {
    OrderedJson events = OrderedJson::parse(row.events, nullptr, false);
    if (!events.is_array()) continue;
    for (const auto& event : events) {
      if (!event.is_object() || !event.contains("message")) continue;
      list.push_back({{"contractId", row.contract_id},
                      {"version", row.version},
                      {"actor", row.actor},
                      {"time", row.time},
                      {"type", event.value("type", "")},
                      {"message", event["message"]}});
    }
  }
  return Dump(OrderedJson{{"notifications", list}});
}

}  // namespace milestone::server
