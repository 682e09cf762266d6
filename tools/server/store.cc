#include "store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

#include "milestone/json_api.h"

namespace milestone::server {
namespace {

// Keys keep their order: a contract written back must read like the one read.
using OrderedJson = nlohmann::ordered_json;

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kMaxIdleConnections = 16;

const char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS contracts (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL CHECK (version >= 0),
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('client', 'freelancer'))
);
CREATE TABLE IF NOT EXISTS access (
  token TEXT NOT NULL REFERENCES tokens (token),
  contract_id TEXT NOT NULL REFERENCES contracts (id),
  PRIMARY KEY (token, contract_id)
);
CREATE TABLE IF NOT EXISTS changesets (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT NOT NULL REFERENCES contracts (id),
  version INTEGER NOT NULL,
  actor TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  idempotency_key TEXT,
  actions TEXT NOT NULL,
  events TEXT NOT NULL,
  UNIQUE (contract_id, version)
);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  from_version INTEGER NOT NULL,
  to_version INTEGER NOT NULL,
  actor TEXT NOT NULL,
  user_id TEXT NOT NULL,
  changeset_seq INTEGER NOT NULL REFERENCES changesets (seq),
  summary TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS changesets_no_update BEFORE UPDATE ON changesets
  BEGIN SELECT RAISE(ABORT, 'changesets are append-only'); END;
CREATE TRIGGER IF NOT EXISTS changesets_no_delete BEFORE DELETE ON changesets
  BEGIN SELECT RAISE(ABORT, 'changesets are append-only'); END;
CREATE TABLE IF NOT EXISTS idempotency (
  token TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  etag TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (token, key)
);
)sql";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Stmt& Bind(int i, const std::string& text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Stmt& BindNullable(int i, const std::string& text) {
    if (text.empty()) {
      sqlite3_bind_null(stmt_, i);
      return *this;
    }
    return Bind(i, text);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  std::string Text(int col) {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string Error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

bool Exec(sqlite3* db, const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  if (error) *error = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return false;
}

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

OrderedJson Milestone(const char* id, const char* title, const char* description, OrderedJson due,
                      int64_t amount, const char* state, int64_t funded, int64_t released) {
  return OrderedJson{{"id", id},         {"title", title},      {"description", description},
                     {"dueDate", due},   {"amount", amount},    {"state", state},
                     {"funded", funded}, {"released", released}};
}

// Due dates follow the clock so the demo never opens with past-due warnings.
std::vector<std::pair<std::string, OrderedJson>> DemoContracts(const std::string& today) {
  OrderedJson demo = {
      {"id", "ctr-demo"},
      {"version", 1},
      {"currency", "USD"},
      {"status", "open"},
      {"initiationFee", 299},
      {"initiationFeeCharged", true},
      {"carryOver", 0},
      {"milestones",
       OrderedJson::array(
           {Milestone("m-1", "Wireframes", "Low-fidelity wireframes of every screen.",
                      DateAfter(today, -14), 50000, "released", 50000, 50000),
            Milestone("m-2", "Build", "API and UI", DateAfter(today, 14), 120000, "active", 120000,
                      0),
            Milestone("m-3", "Testing", "", DateAfter(today, 28), 30000, "not_funded", 0, 0),
            Milestone("m-4", "Launch", "Deploy and hand over.", nullptr, 25000, "not_funded", 0,
                      0)})},
      {"changeRequest", nullptr}};
  OrderedJson other = {
      {"id", "ctr-other"},
      {"version", 1},
      {"currency", "USD"},
      {"status", "open"},
      {"initiationFee", 299},
      {"initiationFeeCharged", true},
      {"carryOver", 0},
      {"milestones",
       OrderedJson::array(
           {Milestone("m-1", "Logo", "", DateAfter(today, 7), 40000, "active", 40000, 0),
            Milestone("m-2", "Brand guide", "", DateAfter(today, 21), 60000, "not_funded", 0, 0)})},
      {"changeRequest", nullptr}};
  return {{"ctr-demo", demo}, {"ctr-other", other}};
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
};

// A dump that cannot throw on text the engine let through.
std::string Dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

}  // namespace

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
  OrderedJson body = {{"error", code}, {"message", message}};
  if (!issues_json.empty()) {
    body["issues"] = OrderedJson::parse(issues_json, nullptr, false);
  }
  return Dump(body);
}

// Returns its connection to the pool however the scope is left.
class Store::Lease {
 public:
  explicit Lease(Store* store) : store_(store), db_(store->Acquire(&error_)) {}
  ~Lease() {
    if (!db_) return;
    // A transaction left open (an exception between BEGIN and COMMIT) would
    // hold the write lock for whoever gets this connection next.
    if (!sqlite3_get_autocommit(db_)) Exec(db_, "ROLLBACK", nullptr);
    store_->Release(db_);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  sqlite3* db() const { return db_; }
  const std::string& error() const { return error_; }

 private:
  Store* store_;
  std::string error_;
  sqlite3* db_;
};

std::unique_ptr<Store> Store::Open(const std::string& path, std::string* error) {
  std::unique_ptr<Store> store(new Store(path));
  sqlite3* db = store->Connect(error);
  if (!db) return nullptr;
  // WAL lets readers go on while a changeset commits; it is a property of the
  // file, so setting it once here is enough.
  bool ok = Exec(db, "PRAGMA journal_mode=WAL;", error) && Exec(db, kSchema, error);
  store->Release(db);
  if (!ok) return nullptr;
  return store;
}

Store::~Store() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  for (sqlite3* db : idle_) sqlite3_close_v2(db);
  idle_.clear();
}

sqlite3* Store::Connect(std::string* error) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path_.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    if (error) *error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // synchronous=NORMAL in WAL mode: a commit survives the process being
  // killed (the crash test); only an OS crash or power loss may drop the last
  // commits. FULL would fsync every changeset.
  if (!Exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", error)) {
    sqlite3_close_v2(db);
    return nullptr;
  }
  return db;
}

sqlite3* Store::Acquire(std::string* error) {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      sqlite3* db = idle_.back();
      idle_.pop_back();
      return db;
    }
  }
  return Connect(error);
}

void Store::Release(sqlite3* db) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_.size() < kMaxIdleConnections) {
    idle_.push_back(db);
  } else {
    sqlite3_close_v2(db);
  }
}

bool Store::SeedIfEmpty(const Engine& engine, const std::string& today, std::string* error) {
  std::lock_guard<std::mutex> write(write_mu_);
  Lease lease(this);
  if (!lease.db()) {
    *error = lease.error();
    return false;
  }
  sqlite3* db = lease.db();
  if (!Exec(db, "BEGIN IMMEDIATE", error)) return false;
  auto fail = [&](const std::string& message) {
    *error = message;
    Exec(db, "ROLLBACK", nullptr);
    return false;
  };
  Stmt count(db, "SELECT COUNT(*) FROM contracts");
  if (count.Step() != SQLITE_ROW) return fail(count.Error());
  if (count.Int(0) > 0) return Exec(db, "COMMIT", error);

  std::string now = UtcTimestamp();
  for (const auto& [id, doc] : DemoContracts(today)) {
    std::string text = Dump(doc);
    ValidateResult checked = engine.Validate(text, ValidateOptions{today});
    if (!checked.ok) {
      return fail("seed contract " + id + " breaks the rules: " + IssuesToJson(checked.issues));
    }
    Stmt insert(db, "INSERT INTO contracts (id, version, document, updated_at) VALUES (?,?,?,?)");
    insert.Bind(1, id).Bind(2, doc["version"].get<int64_t>()).Bind(3, text).Bind(4, now);
    if (insert.Step() != SQLITE_DONE) return fail(insert.Error());
  }
  for (const DemoToken& t : kDemoTokens) {
    Stmt token(db, "INSERT OR IGNORE INTO tokens (token, user_id, role) VALUES (?,?,?)");
    token.Bind(1, std::string(t.token)).Bind(2, std::string(t.user)).Bind(3, std::string(t.role));
    if (token.Step() != SQLITE_DONE) return fail(token.Error());
    Stmt access(db, "INSERT OR IGNORE INTO access (token, contract_id) VALUES (?,?)");
    access.Bind(1, std::string(t.token)).Bind(2, std::string(t.contract));
    if (access.Step() != SQLITE_DONE) return fail(access.Error());
  }
  return Exec(db, "COMMIT", error) || fail(*error);
}

bool Store::IntegrityCheck(std::string* report) {
  Lease lease(this);
  if (!lease.db()) {
    *report = lease.error();
    return false;
  }
  Stmt check(lease.db(), "PRAGMA integrity_check");
  report->clear();
  int rc;
  while ((rc = check.Step()) == SQLITE_ROW) {
    if (!report->empty()) *report += "\n";
    *report += check.Text(0);
  }
  if (rc != SQLITE_DONE) {
    *report = check.Error();
    return false;
  }
  return *report == "ok";
}

std::optional<TokenInfo> Store::FindToken(const std::string& token) {
  Lease lease(this);
  if (!lease.db()) return std::nullopt;
  Stmt find(lease.db(), "SELECT user_id, role FROM tokens WHERE token = ?");
  find.Bind(1, token);
  if (find.Step() != SQLITE_ROW) return std::nullopt;
  return TokenInfo{token, find.Text(0), find.Text(1)};
}

bool Store::MayTouch(const std::string& token, const std::string& contract_id) {
  Lease lease(this);
  if (!lease.db()) return false;
  Stmt find(lease.db(), "SELECT 1 FROM access WHERE token = ? AND contract_id = ?");
  find.Bind(1, token).Bind(2, contract_id);
  return find.Step() == SQLITE_ROW;
}

std::optional<StoredContract> Store::GetContract(const std::string& id) {
  Lease lease(this);
  if (!lease.db()) return std::nullopt;
  Stmt find(lease.db(), "SELECT version, document FROM contracts WHERE id = ?");
  find.Bind(1, id);
  if (find.Step() != SQLITE_ROW) return std::nullopt;
  return StoredContract{find.Int(0), find.Text(1)};
}

Reply Store::PostChangeset(const ChangesetRequest& request, const Engine& engine) {
  std::lock_guard<std::mutex> write(write_mu_);
  Lease lease(this);
  sqlite3* db = lease.db();
  std::string error;
  auto unavailable = [&](const std::string& why) {
    if (db) Exec(db, "ROLLBACK", nullptr);
    return Reply{503, ErrorBody("UNAVAILABLE", "The database is busy or failing: " + why), {}};
  };
  if (!db) return unavailable(lease.error());
  if (!Exec(db, "BEGIN IMMEDIATE", &error)) return unavailable(error);
  // Read-only outcomes end the transaction with ROLLBACK: nothing was written.
  auto refuse = [&](Reply reply) {
    Exec(db, "ROLLBACK", nullptr);
    return reply;
  };

  if (!request.idempotency_key.empty()) {
    Stmt seen(db,
              "SELECT fingerprint, status, etag, body FROM idempotency "
              "WHERE token = ? AND key = ?");
    seen.Bind(1, request.token.token).Bind(2, request.idempotency_key);
    int rc = seen.Step();
    if (rc == SQLITE_ROW) {
      if (seen.Text(0) != request.fingerprint) {
        return refuse({422,
                       ErrorBody("IDEMPOTENCY_KEY_REUSED",
                                 "This Idempotency-Key was already used for a different "
                                 "changeset; send a new key for a new changeset."),
                       {}});
      }
      Reply first{static_cast<int>(seen.Int(1)), seen.Text(3), seen.Text(2), true};
      return refuse(first);
    }
    if (rc != SQLITE_DONE) return unavailable(seen.Error());
  }

  Stmt current(db, "SELECT version, document FROM contracts WHERE id = ?");
  current.Bind(1, request.contract_id);
  int rc = current.Step();
  if (rc == SQLITE_DONE) {
    return refuse(
        {404, ErrorBody("NOT_FOUND", "There is no contract " + request.contract_id + "."), {}});
  }
  if (rc != SQLITE_ROW) return unavailable(current.Error());
  const int64_t version = current.Int(0);
  const std::string before = current.Text(1);

  if (version != request.if_match) {
    OrderedJson body = {
        {"error", "STALE_VERSION"},
        {"message", "The contract changed since version " + std::to_string(request.if_match) +
                        "; it is at version " + std::to_string(version) +
                        ". Review the current contract and send the changeset again."},
        {"contract", OrderedJson::parse(before, nullptr, false)}};
    return refuse({412, Dump(body), std::to_string(version)});
  }

  OrderedJson options = {{"actor", request.token.role}, {"now", request.now}};
  std::string applied = json_api::Apply(engine, before, request.actions_json, Dump(options));
  OrderedJson result = OrderedJson::parse(applied, nullptr, false);
  if (!result.is_object() || !result.contains("ok")) {
    return refuse({500, ErrorBody("ENGINE_ERROR", "The engine gave an unreadable answer."), {}});
  }
  const OrderedJson issues = result.contains("issues") ? result["issues"] : OrderedJson::array();
  if (!result["ok"].is_boolean() || !result["ok"].get<bool>()) {
    bool role = false;
    for (const auto& issue : issues) {
      if (issue.is_object() && issue.value("code", "") == "NOT_ALLOWED_FOR_ROLE") role = true;
    }
    if (role) {
      return refuse(
          {403,
           ErrorBody("NOT_ALLOWED_FOR_ROLE",
                     "The " + request.token.role + " may not make this change.", Dump(issues)),
           {}});
    }
    return refuse(
        {422,
         ErrorBody("INVALID_CHANGESET", "The changeset breaks the contract's rules.", Dump(issues)),
         {}});
  }

  // The engine leaves `version` alone; the revision counter is the server's.
  const int64_t next = version + 1;
  OrderedJson after = result["contract"];
  after["version"] = next;
  const std::string after_text = Dump(after);
  const OrderedJson events = result.contains("events") ? result["events"] : OrderedJson::array();

  // History lines: the diff says what changed in the milestones; the events
  // say what happened to money and states. Events named milestone* only
  // restate an edit the diff already has, so they are left out here.
  OrderedJson summary = OrderedJson::array();
  OrderedJson diff = OrderedJson::parse(json_api::Diff(engine, before, after_text), nullptr, false);
  if (diff.is_object() && diff.contains("summary") && diff["summary"].is_array()) {
    for (const auto& line : diff["summary"]) summary.push_back(line);
  }
  for (const auto& event : events) {
    if (!event.is_object()) continue;
    std::string type = event.value("type", "");
    if (type.rfind("milestone", 0) == 0) continue;
    if (event.contains("message") && event["message"].is_string()) {
      summary.push_back(event["message"]);
    }
  }

  OrderedJson body = {{"contract", after}, {"events", events}, {"issues", issues}};
  const std::string body_text = Dump(body);
  const std::string at = UtcTimestamp();
  const std::string next_text = std::to_string(next);

  Stmt update(db, "UPDATE contracts SET version = ?, document = ?, updated_at = ? WHERE id = ?");
  update.Bind(1, next).Bind(2, after_text).Bind(3, at).Bind(4, request.contract_id);
  if (update.Step() != SQLITE_DONE) return unavailable(update.Error());

  Stmt changeset(db,
                 "INSERT INTO changesets (contract_id, version, actor, user_id, created_at, "
                 "idempotency_key, actions, events) VALUES (?,?,?,?,?,?,?,?)");
  changeset.Bind(1, request.contract_id)
      .Bind(2, next)
      .Bind(3, request.token.role)
      .Bind(4, request.token.user_id)
      .Bind(5, at)
      .BindNullable(6, request.idempotency_key)
      .Bind(7, request.actions_json)
      .Bind(8, Dump(events));
  if (changeset.Step() != SQLITE_DONE) return unavailable(changeset.Error());
  const int64_t seq = sqlite3_last_insert_rowid(db);

  Stmt audit(db,
             "INSERT INTO audit (at, contract_id, from_version, to_version, actor, user_id, "
             "changeset_seq, summary, document) VALUES (?,?,?,?,?,?,?,?,?)");
  audit.Bind(1, at)
      .Bind(2, request.contract_id)
      .Bind(3, version)
      .Bind(4, next)
      .Bind(5, request.token.role)
      .Bind(6, request.token.user_id)
      .Bind(7, seq)
      .Bind(8, Dump(summary))
      .Bind(9, after_text);
  if (audit.Step() != SQLITE_DONE) return unavailable(audit.Error());

  if (!request.idempotency_key.empty()) {
    Stmt record(db,
                "INSERT INTO idempotency (token, key, fingerprint, status, etag, body, "
                "created_at) VALUES (?,?,?,?,?,?,?)");
    record.Bind(1, request.token.token)
        .Bind(2, request.idempotency_key)
        .Bind(3, request.fingerprint)
        .Bind(4, int64_t{200})
        .Bind(5, next_text)
        .Bind(6, body_text)
        .Bind(7, at);
    if (record.Step() != SQLITE_DONE) return unavailable(record.Error());
  }
  if (!Exec(db, "COMMIT", &error)) return unavailable(error);
  return Reply{200, body_text, next_text};
}

std::optional<std::string> Store::History(const std::string& contract_id) {
  Lease lease(this);
  if (!lease.db()) return std::nullopt;
  Stmt rows(lease.db(),
            "SELECT a.to_version, a.actor, a.user_id, a.at, a.summary, c.events "
            "FROM audit a JOIN changesets c ON c.seq = a.changeset_seq "
            "WHERE a.contract_id = ? ORDER BY a.seq");
  rows.Bind(1, contract_id);
  OrderedJson history = OrderedJson::array();
  int rc;
  while ((rc = rows.Step()) == SQLITE_ROW) {
    history.push_back({{"version", rows.Int(0)},
                       {"actor", rows.Text(1)},
                       {"user", rows.Text(2)},
                       {"time", rows.Text(3)},
                       {"summary", OrderedJson::parse(rows.Text(4), nullptr, false)},
                       {"events", OrderedJson::parse(rows.Text(5), nullptr, false)}});
  }
  if (rc != SQLITE_DONE) return std::nullopt;
  return Dump(OrderedJson{{"contractId", contract_id}, {"history", history}});
}

std::string Store::Notifications(const TokenInfo& token) {
  OrderedJson list = OrderedJson::array();
  Lease lease(this);
  if (lease.db()) {
    Stmt rows(lease.db(),
              "SELECT c.contract_id, c.version, c.actor, c.created_at, c.events "
              "FROM changesets c JOIN access a ON a.contract_id = c.contract_id "
              "WHERE a.token = ? AND c.actor <> ? ORDER BY c.seq DESC");
    rows.Bind(1, token.token).Bind(2, token.role);
    while (rows.Step() == SQLITE_ROW) {
      OrderedJson events = OrderedJson::parse(rows.Text(4), nullptr, false);
      if (!events.is_array()) continue;
      for (const auto& event : events) {
        if (!event.is_object() || !event.contains("message")) continue;
        list.push_back({{"contractId", rows.Text(0)},
                        {"version", rows.Int(1)},
                        {"actor", rows.Text(2)},
                        {"time", rows.Text(3)},
                        {"type", event.value("type", "")},
                        {"message", event["message"]}});
      }
    }
  }
  return Dump(OrderedJson{{"notifications", list}});
}

}  // namespace milestone::server
