// The Store on PostgreSQL through libpq: several server processes may share
// one database. What each guarantee rests on is in docs/server.md
// ("Storage" and "Several processes on PostgreSQL").
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <regex>
#include <thread>
#include <utility>

#include "milestone/codes.h"
#include "storage.h"

namespace milestone::server {
namespace {

// Connections a process opens at most; requests beyond wait for one.
constexpr size_t kMaxConnections = 16;
constexpr auto kConnectionWait = std::chrono::seconds(10);
// A transaction that fails on a serialization failure, a deadlock or a
// unique-key race is run again from the start, this many times in all.
constexpr int kMaxAttempts = 8;
// A connection found dead before COMMIT was sent is replaced and the work run
// again at most this many times (nothing was committed, so this is safe).
constexpr int kMaxReconnects = 2;
// Every process takes this advisory lock to migrate and to seed, so three
// processes starting at once apply each migration exactly once.
constexpr int64_t kSchemaLockKey = 7316016;

struct Migration {
  int version;
  const char* name;
  const char* sql;
};
// Versioned migrations, applied in order on start and recorded in
// schema_migrations; the same tables and columns as the SQLite schema. Never
// edit one that has shipped: add the next.
const Migration kMigrations[] = {
    {1, "initial schema", R"sql(
CREATE TABLE contracts (
  id TEXT PRIMARY KEY,
  version BIGINT NOT NULL CHECK (version >= 0),
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE tokens (
  token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('client', 'freelancer'))
);
CREATE TABLE access (
  token TEXT NOT NULL REFERENCES tokens (token),
  contract_id TEXT NOT NULL REFERENCES contracts (id),
  PRIMARY KEY (token, contract_id)
);
CREATE TABLE changesets (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts (id),
  version BIGINT NOT NULL,
  actor TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  idempotency_key TEXT,
  actions TEXT NOT NULL,
  events TEXT NOT NULL,
  UNIQUE (contract_id, version)
);
CREATE TABLE audit (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  from_version BIGINT NOT NULL,
  to_version BIGINT NOT NULL,
  actor TEXT NOT NULL,
  user_id TEXT NOT NULL,
  changeset_seq BIGINT NOT NULL REFERENCES changesets (seq),
  summary TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE TABLE idempotency (
  token TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  etag TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (token, key)
);
-- Append-only, enforced by the database for every role, the owner included:
-- UPDATE, DELETE and TRUNCATE of audit and changesets raise.
CREATE FUNCTION milestone_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION milestone_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION milestone_append_only();
CREATE TRIGGER changesets_no_update_delete BEFORE UPDATE OR DELETE ON changesets
  FOR EACH ROW EXECUTE FUNCTION milestone_append_only();
CREATE TRIGGER changesets_no_truncate BEFORE TRUNCATE ON changesets
  FOR EACH STATEMENT EXECUTE FUNCTION milestone_append_only();
)sql"},
    {2, "audit version index", R"sql(
CREATE INDEX audit_contract ON audit (contract_id, seq);
)sql"},
    {3, "marketplace role", R"sql(
ALTER TABLE tokens DROP CONSTRAINT tokens_role_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_role_check
  CHECK (role IN ('client', 'freelancer', 'marketplace'));
)sql"},
};

const char kMigrationsTable[] = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
)sql";

const char kCreateSchema[] = R"sql(
DO $$
BEGIN
  IF current_schema() IS NULL THEN
    EXECUTE format('CREATE SCHEMA %I',
                   btrim(split_part(current_setting('search_path'), ',', 1), ' "'));
  END IF;
END
$$;
)sql";

// A failed statement, as libpq reported it.
struct PgFailure {
  std::string sqlstate;
  std::string message;
  bool connection_lost = false;
  // Serialization failure, deadlock, a unique-key race, a lock not available:
  // running the transaction again may succeed.
  bool Retryable() const {
    return sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "23505" || sqlstate == "55P03";
  }
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  int Rows() const { return PQntuples(r_); }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col)));
  }
  int64_t Int(int row, int col) const {
    return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
  }

 private:
  PGresult* r_;
};

// A parameter: text, or SQL NULL for nullopt.
using Param = std::optional<std::string>;

// Runs one statement (several, without parameters); throws PgFailure.
Result Exec(PGconn* conn, const char* sql, const std::vector<Param>& params = {}) {
  PGresult* r;
  if (params.empty()) {
    r = PQexec(conn, sql);
  } else {
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const Param& p : params) {
      values.push_back(p ? p->c_str() : nullptr);
      lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    }
    r = PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr, values.data(),
                     lengths.data(), nullptr, 0);
  }
  ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(r);
  PgFailure failure;
  if (r) {
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    failure.sqlstate = state ? state : "";
    failure.message = PQresultErrorMessage(r);
  }
  if (failure.message.empty()) failure.message = PQerrorMessage(conn);
  while (!failure.message.empty() && failure.message.back() == '\n') failure.message.pop_back();
  PQclear(r);
  // Class 08 is connection exceptions; 57P01-03 an administrator's shutdown
  // or a server still starting up.
  failure.connection_lost = PQstatus(conn) == CONNECTION_BAD ||
                            failure.sqlstate.rfind("08", 0) == 0 || failure.sqlstate == "57P01" ||
                            failure.sqlstate == "57P02" || failure.sqlstate == "57P03";
  throw failure;
}

std::string I(int64_t v) { return std::to_string(v); }

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url) : url_(std::move(url)) {}
  ~PostgresStore() override {
    std::lock_guard<std::mutex> lock(mu_);
    for (PGconn* c : idle_) PQfinish(c);
    idle_.clear();
  }

  bool Init(std::string* error);
  std::string Describe() const override {
    // postgres://user:secret@host/db -> postgres://user:***@host/db; ?password=x too.
    std::string shown = std::regex_replace(url_, std::regex("(://[^:/@]*):[^@/]*@"), "$1:***@");
    shown = std::regex_replace(shown, std::regex("([?&]password=)[^&]*"), "$1***");
    return "postgresql " + shown;
  }
  bool SeedIfEmpty(const Engine& engine, const std::string& today, std::string* error) override;
  bool IntegrityCheck(std::string* report) override;
  std::optional<TokenInfo> FindToken(const std::string& token) override;
  bool MayTouch(const std::string& token, const std::string& contract_id) override;
  std::optional<StoredContract> GetContract(const std::string& id) override;
  std::vector<ListedContract> ListContracts(const std::string& after_id, size_t limit) override;
  Reply PostChangeset(const ChangesetRequest& request, const Engine& engine) override;
  std::optional<std::string> History(const std::string& contract_id) override;
  std::string Notifications(const TokenInfo& token) override;

 private:
  PGconn* Connect(std::string* error);
  PGconn* Acquire();
  void Release(PGconn* conn);
  void Discard(PGconn* conn);

  // Runs `body(conn)` on a pooled connection, inside BEGIN ... COMMIT when
  // `transaction`, with the bounded retries described at kMaxAttempts and
  // kMaxReconnects. Throws StoreUnavailable when the database cannot answer.
  template <typename Body>
  auto Run(bool transaction, Body&& body) -> decltype(body(static_cast<PGconn*>(nullptr)));

  std::string url_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<PGconn*> idle_;
  size_t open_ = 0;  // connections handed out or idle
};

PGconn* PostgresStore::Connect(std::string* error) {
  // Defaults first: what the URL says wins (expand_dbname puts it last). Over
  // TCP, a database host that vanishes without closing the connection is
  // noticed within about 15 s (keepalives, tcp_user_timeout) instead of never.
  const char* keys[] = {"connect_timeout",
                        "application_name",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "dbname",
                        nullptr};
  const char* values[] = {"5",     "milestone_server", "1",    "10", "2", "3",
                          "15000", url_.c_str(),       nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    *error = conn ? PQerrorMessage(conn) : "out of memory";
    while (!error->empty() && error->back() == '\n') error->pop_back();
    // libpq's message spans lines ("...failed: Connection refused\n\tIs the server running"):
    // one line for the log and the 503's reason.
    *error = std::regex_replace(*error, std::regex("\\s*\\n\\s*"), " ");
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

PGconn* PostgresStore::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!freed_.wait_for(lock, kConnectionWait,
                       [&] { return !idle_.empty() || open_ < kMaxConnections; })) {
    throw StoreUnavailable("every database connection stayed busy");
  }
  if (!idle_.empty()) {
    PGconn* conn = idle_.back();
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  std::string error;
  PGconn* conn = Connect(&error);
  if (conn) return conn;
  lock.lock();
  --open_;
  freed_.notify_one();
  throw StoreUnavailable("cannot connect to PostgreSQL: " + error);
}

void PostgresStore::Release(PGconn* conn) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(conn);
  freed_.notify_one();
}

void PostgresStore::Discard(PGconn* conn) {
  PQfinish(conn);
  std::lock_guard<std::mutex> lock(mu_);
  --open_;
  // One dead connection after a database restart means they all are: drop
  // the idle ones too rather than fail one request on each.
  open_ -= idle_.size();
  for (PGconn* c : idle_) PQfinish(c);
  idle_.clear();
  freed_.notify_all();
}

template <typename Body>
auto PostgresStore::Run(bool transaction, Body&& body)
    -> decltype(body(static_cast<PGconn*>(nullptr))) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  int reconnects = 0;
  for (int attempt = 1;; ++attempt) {
    PGconn* conn = Acquire();
    bool committing = false;
    try {
      if (transaction) Exec(conn, "BEGIN ISOLATION LEVEL READ COMMITTED");
      auto result = body(conn);
      if (transaction) {
        committing = true;
        Exec(conn, "COMMIT");
      }
      Release(conn);
      return result;
    } catch (const PgFailure& failure) {
      if (failure.connection_lost) {
        Discard(conn);
        // Lost before COMMIT was sent: nothing was written, run it again on
        // a new connection. Lost during COMMIT: the outcome is unknown; the
        // client's retry with its Idempotency-Key tells.
        if (!committing && ++reconnects <= kMaxReconnects) {
          --attempt;
          continue;
        }
        throw StoreUnavailable("the database connection was lost: " + failure.message);
      }
      if (transaction) PQclear(PQexec(conn, "ROLLBACK"));
      Release(conn);
      if (failure.Retryable() && attempt < kMaxAttempts) {
        // 1-3 ms, 2-6 ms, 4-12 ms ... (capped at 64-192 ms), jittered so that
        // racing processes spread out.
        const int ceiling = 1 << std::min(attempt, 7);
        std::this_thread::sleep_for(std::chrono::microseconds(
            500 * ceiling + static_cast<int>(jitter() % static_cast<unsigned>(1000 * ceiling))));
        continue;
      }
      throw StoreUnavailable(failure.Retryable()
                                 ? "the database stayed too contended: " + failure.message
                                 : "the database refused: " + failure.message);
    } catch (...) {
      if (transaction && PQstatus(conn) == CONNECTION_OK) PQclear(PQexec(conn, "ROLLBACK"));
      if (PQstatus(conn) == CONNECTION_OK) {
        Release(conn);
      } else {
        Discard(conn);
      }
      throw;
    }
  }
}

bool PostgresStore::Init(std::string* error) {
  try {
    Run(true, [&](PGconn* conn) {
      Exec(conn, "SELECT pg_advisory_xact_lock($1)", {I(kSchemaLockKey)});
      // A URL whose search_path names a schema that does not exist yet
      // (?options=-csearch_path%3Dname: one schema per deployment or test)
      // gets it created; the tables go into the first schema of the path.
      Exec(conn, kCreateSchema);
      Exec(conn, kMigrationsTable);
      for (const Migration& m : kMigrations) {
        Result seen =
            Exec(conn, "SELECT 1 FROM schema_migrations WHERE version = $1", {I(m.version)});
        if (seen.Rows() > 0) continue;
        try {
          Exec(conn, m.sql);
        } catch (PgFailure& failure) {
          failure.message =
              "migration " + std::to_string(m.version) + " (" + m.name + "): " + failure.message;
          failure.sqlstate.clear();  // not worth retrying
          throw;
        }
        Exec(conn, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1,$2,$3)",
             {I(m.version), std::string(m.name), UtcTimestamp()});
      }
      return true;
    });
    return true;
  } catch (const StoreUnavailable& e) {
    *error = e.what();
    return false;
  }
}

bool PostgresStore::SeedIfEmpty(const Engine& engine, const std::string& today,
                                std::string* error) {
  std::vector<SeedContract> contracts;
  if (!DemoContracts(engine, today, &contracts, error)) return false;
  try {
    Run(true, [&](PGconn* conn) {
      Exec(conn, "SELECT pg_advisory_xact_lock($1)", {I(kSchemaLockKey)});
      if (Exec(conn, "SELECT 1 FROM contracts LIMIT 1").Rows() > 0) return true;
      const std::string now = UtcTimestamp();
      for (const SeedContract& c : contracts) {
        Exec(conn, "INSERT INTO contracts (id, version, document, updated_at) VALUES ($1,$2,$3,$4)",
             {c.id, I(c.version), c.document, now});
      }
      for (const SeedToken& t : DemoTokens()) {
        Exec(conn,
             "INSERT INTO tokens (token, user_id, role) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING",
             {t.token, t.user, t.role});
        if (t.contract.empty()) continue;
        Exec(conn, "INSERT INTO access (token, contract_id) VALUES ($1,$2) ON CONFLICT DO NOTHING",
             {t.token, t.contract});
      }
      return true;
    });
    return true;
  } catch (const StoreUnavailable& e) {
    *error = e.what();
    return false;
  }
}

bool PostgresStore::IntegrityCheck(std::string* report) {
  try {
    std::vector<std::string> problems = Run(true, [&](PGconn* conn) {
      // One snapshot for the three reads.
      Exec(conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      std::vector<std::string> found;
      Result triggers = Exec(conn,
                             "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN "
                             "('audit_no_update_delete', 'audit_no_truncate', "
                             "'changesets_no_update_delete', 'changesets_no_truncate') "
                             "AND tgrelid IN ('audit'::regclass, 'changesets'::regclass)");
      if (triggers.Int(0, 0) != 4) found.push_back("the append-only triggers are missing");
      Result audit =
          Exec(conn,
               "SELECT contract_id, from_version, to_version FROM audit ORDER BY contract_id, seq");
      std::vector<AuditRow> rows;
      for (int i = 0; i < audit.Rows(); ++i) {
        rows.push_back({audit.Text(i, 0), audit.Int(i, 1), audit.Int(i, 2)});
      }
      Result contracts = Exec(conn, "SELECT id, version FROM contracts");
      std::vector<std::pair<std::string, int64_t>> versions;
      for (int i = 0; i < contracts.Rows(); ++i) {
        versions.emplace_back(contracts.Text(i, 0), contracts.Int(i, 1));
      }
      CheckAuditRows(rows, versions, &found);
      return found;
    });
    return WriteIntegrityReport(problems, report);
  } catch (const StoreUnavailable& e) {
    *report = e.what();
    return false;
  }
}

std::optional<TokenInfo> PostgresStore::FindToken(const std::string& token) {
  return Run(false, [&](PGconn* conn) -> std::optional<TokenInfo> {
    Result r = Exec(conn, "SELECT user_id, role FROM tokens WHERE token = $1", {token});
    if (r.Rows() == 0) return std::nullopt;
    return TokenInfo{token, r.Text(0, 0), r.Text(0, 1)};
  });
}

bool PostgresStore::MayTouch(const std::string& token, const std::string& contract_id) {
  return Run(false, [&](PGconn* conn) {
    // The marketplace may touch every contract that exists; others, theirs.
    return Exec(conn,
                "SELECT 1 FROM access WHERE token = $1 AND contract_id = $2 UNION ALL "
                "SELECT 1 FROM tokens t JOIN contracts c ON c.id = $2 "
                "WHERE t.token = $1 AND t.role = 'marketplace'",
                {token, contract_id})
               .Rows() > 0;
  });
}

std::vector<ListedContract> PostgresStore::ListContracts(const std::string& after_id,
                                                         size_t limit) {
  return Run(false, [&](PGconn* conn) {
    // COLLATE "C": the same byte order as SQLite's, whatever the database's.
    Result r = Exec(conn,
                    "SELECT id, version, document FROM contracts WHERE id COLLATE \"C\" > $1 "
                    "ORDER BY id COLLATE \"C\" LIMIT $2",
                    {after_id, I(static_cast<int64_t>(limit))});
    std::vector<ListedContract> list;
    for (int i = 0; i < r.Rows(); ++i) list.push_back({r.Text(i, 0), r.Int(i, 1), r.Text(i, 2)});
    return list;
  });
}

std::optional<StoredContract> PostgresStore::GetContract(const std::string& id) {
  return Run(false, [&](PGconn* conn) -> std::optional<StoredContract> {
    Result r = Exec(conn, "SELECT version, document FROM contracts WHERE id = $1", {id});
    if (r.Rows() == 0) return std::nullopt;
    return StoredContract{r.Int(0, 0), r.Text(0, 1)};
  });
}

Reply PostgresStore::PostChangeset(const ChangesetRequest& request, const Engine& engine) {
  return Run(true, [&](PGconn* conn) -> Reply {
    // The row lock orders every writer of this contract, in every process:
    // the one that waited reads, after the lock, what the first committed
    // (READ COMMITTED takes a new snapshot per statement).
    Result current = Exec(conn, "SELECT version, document FROM contracts WHERE id = $1 FOR UPDATE",
                          {request.contract_id});
    if (current.Rows() == 0) {
      return {404,
              ErrorBody(milestone::codes::kNotFound,
                        "There is no contract " + request.contract_id + "."),
              {}};
    }
    std::optional<IdempotencyRecord> seen;
    if (!request.idempotency_key.empty()) {
      Result r = Exec(conn,
                      "SELECT fingerprint, status, etag, body FROM idempotency "
                      "WHERE token = $1 AND key = $2",
                      {request.token.token, request.idempotency_key});
      if (r.Rows() > 0) {
        seen = IdempotencyRecord{r.Text(0, 0), static_cast<int>(r.Int(0, 1)), r.Text(0, 2),
                                 r.Text(0, 3)};
      }
    }
    AcceptedChangeset accepted;
    if (auto reply = DecideChangeset(request, engine, seen, current.Int(0, 0), current.Text(0, 1),
                                     &accepted)) {
      return *reply;
    }
    Exec(conn, "UPDATE contracts SET version = $1, document = $2, updated_at = $3 WHERE id = $4",
         {I(accepted.to_version), accepted.document, accepted.at, request.contract_id});
    Result changeset = Exec(
        conn,
        "INSERT INTO changesets (contract_id, version, actor, user_id, created_at, "
        "idempotency_key, actions, events) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING seq",
        {request.contract_id, I(accepted.to_version), request.token.role, request.token.user_id,
         accepted.at, request.idempotency_key.empty() ? Param() : Param(request.idempotency_key),
         request.actions_json, accepted.events});
    Exec(conn,
         "INSERT INTO audit (at, contract_id, from_version, to_version, actor, user_id, "
         "changeset_seq, summary, document) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
         {accepted.at, request.contract_id, I(accepted.from_version), I(accepted.to_version),
          request.token.role, request.token.user_id, changeset.Text(0, 0), accepted.summary,
          accepted.document});
    if (!request.idempotency_key.empty()) {
      // The primary key (token, key) is the cross-contract guard: two
      // contracts posted with one key at once both get here; the second
      // INSERT waits for the first commit, fails with 23505, and its retry
      // reads the record (a replay or IDEMPOTENCY_KEY_REUSED).
      Exec(conn,
           "INSERT INTO idempotency (token, key, fingerprint, status, etag, body, created_at) "
           "VALUES ($1,$2,$3,$4,$5,$6,$7)",
           {request.token.token, request.idempotency_key, request.fingerprint,
            I(accepted.reply.status), accepted.reply.etag, accepted.reply.body, accepted.at});
    }
    return accepted.reply;
  });
}

std::optional<std::string> PostgresStore::History(const std::string& contract_id) {
  return Run(false, [&](PGconn* conn) -> std::optional<std::string> {
    Result r = Exec(conn,
                    "SELECT a.to_version, a.actor, a.user_id, a.at, a.summary, c.events "
                    "FROM audit a JOIN changesets c ON c.seq = a.changeset_seq "
                    "WHERE a.contract_id = $1 ORDER BY a.seq",
                    {contract_id});
    std::vector<HistoryRow> rows;
    for (int i = 0; i < r.Rows(); ++i) {
      rows.push_back(
          {r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4), r.Text(i, 5)});
    }
    return HistoryJson(contract_id, rows);
  });
}

std::string PostgresStore::Notifications(const TokenInfo& token) {
  return Run(false, [&](PGconn* conn) {
    Result r = Exec(conn,
                    "SELECT c.contract_id, c.version, c.actor, c.created_at, c.events "
                    "FROM changesets c JOIN access a ON a.contract_id = c.contract_id "
                    "WHERE a.token = $1 AND c.actor <> $2 ORDER BY c.seq DESC",
                    {token.token, token.role});
    std::vector<NotificationRow> rows;
    for (int i = 0; i < r.Rows(); ++i) {
      rows.push_back({r.Text(i, 0), r.Int(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)});
    }
    return NotificationsJson(rows);
  });
}

}  // namespace

std::unique_ptr<Store> OpenPostgresStore(const std::string& url, std::string* error) {
  auto store = std::make_unique<PostgresStore>(url);
  if (!store->Init(error)) return nullptr;
  return store;
}

}  // namespace milestone::server
