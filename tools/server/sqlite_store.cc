// The Store on one SQLite file: the embedded default (./tools/run).
#include <sqlite3.h>

#include <mutex>
#include <utility>

#include "milestone/codes.h"
#include "storage.h"

namespace milestone::server {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kMaxIdleConnections = 16;

// Versioned migrations, applied in order on start and recorded in
// schema_migrations. Never edit one that has shipped: add the next. Version 1
// is the schema the server had before migrations existed, written with IF NOT
// EXISTS so that an older database adopts it as is.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};
const Migration kMigrations[] = {
    {1, "initial schema", R"sql(
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
)sql"},
    {2, "audit version index", R"sql(
CREATE INDEX IF NOT EXISTS audit_contract ON audit (contract_id, seq);
)sql"},
    // SQLite cannot alter a CHECK: the table is rebuilt (its documented
    // procedure, with foreign keys off around the migrations, see Init).
    {3, "marketplace role", R"sql(
CREATE TABLE tokens_v3 (
  token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('client', 'freelancer', 'marketplace'))
);
INSERT INTO tokens_v3 (token, user_id, role) SELECT token, user_id, role FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v3 RENAME TO tokens;
)sql"},
};

const char kMigrationsTable[] = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
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
  // Steps and throws StoreUnavailable unless the statement is done.
  void Run() {
    if (Step() != SQLITE_DONE) throw StoreUnavailable(Error());
  }
  // Steps; true for a row, false when done, throws on an error.
  bool Next() {
    int rc = Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreUnavailable(Error());
  }
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

void ExecOrThrow(sqlite3* db, const char* sql) {
  std::string error;
  if (!Exec(db, sql, &error)) throw StoreUnavailable(error);
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)) {}
  ~SqliteStore() override {
    std::lock_guard<std::mutex> lock(pool_mu_);
    for (sqlite3* db : idle_) sqlite3_close_v2(db);
    idle_.clear();
  }

  bool Init(std::string* error);
  std::string Describe() const override { return "sqlite " + path_; }
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
  // Returns its connection to the pool however the scope is left.
  class Lease {
   public:
    explicit Lease(SqliteStore* store) : store_(store), db_(store->Acquire(&error_)) {
      if (!db_) throw StoreUnavailable("cannot open " + store->path_ + ": " + error_);
    }
    ~Lease() {
      // A transaction left open (an exception between BEGIN and COMMIT) would
      // hold the write lock for whoever gets this connection next.
      if (!sqlite3_get_autocommit(db_)) Exec(db_, "ROLLBACK", nullptr);
      store_->Release(db_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sqlite3* db() const { return db_; }

   private:
    SqliteStore* store_;
    std::string error_;
    sqlite3* db_;
  };

  sqlite3* Acquire(std::string* error);
  void Release(sqlite3* db);
  sqlite3* Connect(std::string* error);

  std::string path_;
  std::mutex pool_mu_;
  std::vector<sqlite3*> idle_;
  // Writers of this process queue here rather than spin on SQLite's busy
  // handler; BEGIN IMMEDIATE still guards against other processes.
  std::mutex write_mu_;
};

sqlite3* SqliteStore::Connect(std::string* error) {
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

sqlite3* SqliteStore::Acquire(std::string* error) {
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

void SqliteStore::Release(sqlite3* db) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_.size() < kMaxIdleConnections) {
    idle_.push_back(db);
  } else {
    sqlite3_close_v2(db);
  }
}

bool SqliteStore::Init(std::string* error) {
  sqlite3* db = Connect(error);
  if (!db) return false;
  // WAL lets readers go on while a changeset commits; it is a property of the
  // file, so setting it once here is enough.
  // Foreign keys off while migrating (a no-op inside a transaction, so set
  // first): a migration that rebuilds a referenced table (3) would otherwise
  // cascade its DROP. foreign_key_check before COMMIT proves nothing broke.
  bool ok = Exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF;", error) &&
            Exec(db, "BEGIN IMMEDIATE", error);
  if (ok) {
    ok = Exec(db, kMigrationsTable, error);
    for (const Migration& m : kMigrations) {
      if (!ok) break;
      Stmt seen(db, "SELECT 1 FROM schema_migrations WHERE version = ?");
      seen.Bind(1, int64_t{m.version});
      int rc = seen.Step();
      if (rc == SQLITE_ROW) continue;
      if (rc != SQLITE_DONE) {
        *error = seen.Error();
        ok = false;
        break;
      }
      if (!Exec(db, m.sql, error)) {
        *error = "migration " + std::to_string(m.version) + " (" + m.name + "): " + *error;
        ok = false;
        break;
      }
      Stmt record(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)");
      record.Bind(1, int64_t{m.version}).Bind(2, std::string(m.name)).Bind(3, UtcTimestamp());
      if (record.Step() != SQLITE_DONE) {
        *error = record.Error();
        ok = false;
      }
    }
    if (ok) {
      Stmt broken(db, "PRAGMA foreign_key_check");
      if (broken.Step() != SQLITE_DONE) {
        *error = "the migrations broke a foreign key";
        ok = false;
      }
    }
    ok = ok ? Exec(db, "COMMIT", error) : (Exec(db, "ROLLBACK", nullptr), false);
  }
  ok = Exec(db, "PRAGMA foreign_keys=ON;", ok ? error : nullptr) && ok;
  Release(db);
  return ok;
}

bool SqliteStore::SeedIfEmpty(const Engine& engine, const std::string& today, std::string* error) {
  std::vector<SeedContract> contracts;
  if (!DemoContracts(engine, today, &contracts, error)) return false;
  try {
    std::lock_guard<std::mutex> write(write_mu_);
    Lease lease(this);
    sqlite3* db = lease.db();
    ExecOrThrow(db, "BEGIN IMMEDIATE");
    Stmt count(db, "SELECT COUNT(*) FROM contracts");
    if (!count.Next()) throw StoreUnavailable(count.Error());
    if (count.Int(0) == 0) {
      const std::string now = UtcTimestamp();
      for (const SeedContract& c : contracts) {
        Stmt insert(db,
                    "INSERT INTO contracts (id, version, document, updated_at) VALUES (?,?,?,?)");
        insert.Bind(1, c.id).Bind(2, c.version).Bind(3, c.document).Bind(4, now).Run();
      }
      for (const SeedToken& t : DemoTokens()) {
        Stmt token(db, "INSERT OR IGNORE INTO tokens (token, user_id, role) VALUES (?,?,?)");
        token.Bind(1, t.token).Bind(2, t.user).Bind(3, t.role).Run();
        if (t.contract.empty()) continue;
        Stmt access(db, "INSERT OR IGNORE INTO access (token, contract_id) VALUES (?,?)");
        access.Bind(1, t.token).Bind(2, t.contract).Run();
      }
    }
    ExecOrThrow(db, "COMMIT");
    return true;
  } catch (const StoreUnavailable& e) {
    *error = e.what();
    return false;
  }
}

bool SqliteStore::IntegrityCheck(std::string* report) {
  try {
    Lease lease(this);
    std::vector<std::string> problems;
    {
      Stmt check(lease.db(), "PRAGMA integrity_check");
      while (check.Next()) {
        if (check.Text(0) != "ok") problems.push_back(check.Text(0));
      }
    }
    Stmt triggers(lease.db(),
                  "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                  "('audit_no_update', 'audit_no_delete', 'changesets_no_update', "
                  "'changesets_no_delete')");
    if (!triggers.Next() || triggers.Int(0) != 4) {
      problems.push_back("the append-only triggers are missing");
    }
    std::vector<AuditRow> rows;
    Stmt audit(lease.db(),
               "SELECT contract_id, from_version, to_version FROM audit ORDER BY contract_id, seq");
    while (audit.Next()) rows.push_back({audit.Text(0), audit.Int(1), audit.Int(2)});
    std::vector<std::pair<std::string, int64_t>> versions;
    Stmt contracts(lease.db(), "SELECT id, version FROM contracts");
    while (contracts.Next()) versions.emplace_back(contracts.Text(0), contracts.Int(1));
    CheckAuditRows(rows, versions, &problems);
    return WriteIntegrityReport(problems, report);
  } catch (const StoreUnavailable& e) {
    *report = e.what();
    return false;
  }
}

std::optional<TokenInfo> SqliteStore::FindToken(const std::string& token) {
  Lease lease(this);
  Stmt find(lease.db(), "SELECT user_id, role FROM tokens WHERE token = ?");
  find.Bind(1, token);
  if (!find.Next()) return std::nullopt;
  return TokenInfo{token, find.Text(0), find.Text(1)};
}

bool SqliteStore::MayTouch(const std::string& token, const std::string& contract_id) {
  Lease lease(this);
  // The marketplace may touch every contract that exists; others, theirs.
  Stmt find(lease.db(),
            "SELECT 1 FROM access WHERE token = ?1 AND contract_id = ?2 UNION ALL "
            "SELECT 1 FROM tokens t JOIN contracts c ON c.id = ?2 "
            "WHERE t.token = ?1 AND t.role = 'marketplace'");
  find.Bind(1, token).Bind(2, contract_id);
  return find.Next();
}

std::vector<ListedContract> SqliteStore::ListContracts(const std::string& after_id, size_t limit) {
  Lease lease(this);
  Stmt rows(lease.db(),
            "SELECT id, version, document FROM contracts WHERE id > ? ORDER BY id LIMIT ?");
  rows.Bind(1, after_id).Bind(2, static_cast<int64_t>(limit));
  std::vector<ListedContract> list;
  while (rows.Next()) list.push_back({rows.Text(0), rows.Int(1), rows.Text(2)});
  return list;
}

std::optional<StoredContract> SqliteStore::GetContract(const std::string& id) {
  Lease lease(this);
  Stmt find(lease.db(), "SELECT version, document FROM contracts WHERE id = ?");
  find.Bind(1, id);
  if (!find.Next()) return std::nullopt;
  return StoredContract{find.Int(0), find.Text(1)};
}

Reply SqliteStore::PostChangeset(const ChangesetRequest& request, const Engine& engine) {
  std::lock_guard<std::mutex> write(write_mu_);
  Lease lease(this);
  sqlite3* db = lease.db();
  // BEGIN IMMEDIATE takes the file's write lock: one writer at a time across
  // every process on this file. A refusal ends with the Lease's ROLLBACK.
  ExecOrThrow(db, "BEGIN IMMEDIATE");

  std::optional<IdempotencyRecord> seen;
  if (!request.idempotency_key.empty()) {
    Stmt find(db,
              "SELECT fingerprint, status, etag, body FROM idempotency "
              "WHERE token = ? AND key = ?");
    find.Bind(1, request.token.token).Bind(2, request.idempotency_key);
    if (find.Next()) {
      seen = IdempotencyRecord{find.Text(0), static_cast<int>(find.Int(1)), find.Text(2),
                               find.Text(3)};
    }
  }

  Stmt current(db, "SELECT version, document FROM contracts WHERE id = ?");
  current.Bind(1, request.contract_id);
  if (!current.Next()) {
    return {
        404,
        ErrorBody(milestone::codes::kNotFound, "There is no contract " + request.contract_id + "."),
        {}};
  }
  AcceptedChangeset accepted;
  if (auto reply =
          DecideChangeset(request, engine, seen, current.Int(0), current.Text(1), &accepted)) {
    return *reply;
  }

  Stmt update(db, "UPDATE contracts SET version = ?, document = ?, updated_at = ? WHERE id = ?");
  update.Bind(1, accepted.to_version)
      .Bind(2, accepted.document)
      .Bind(3, accepted.at)
      .Bind(4, request.contract_id)
      .Run();

  Stmt changeset(db,
                 "INSERT INTO changesets (contract_id, version, actor, user_id, created_at, "
                 "idempotency_key, actions, events) VALUES (?,?,?,?,?,?,?,?)");
  changeset.Bind(1, request.contract_id)
      .Bind(2, accepted.to_version)
      .Bind(3, request.token.role)
      .Bind(4, request.token.user_id)
      .Bind(5, accepted.at)
      .BindNullable(6, request.idempotency_key)
      .Bind(7, request.actions_json)
      .Bind(8, accepted.events)
      .Run();
  const int64_t seq = sqlite3_last_insert_rowid(db);

  Stmt audit(db,
             "INSERT INTO audit (at, contract_id, from_version, to_version, actor, user_id, "
             "changeset_seq, summary, document) VALUES (?,?,?,?,?,?,?,?,?)");
  audit.Bind(1, accepted.at)
      .Bind(2, request.contract_id)
      .Bind(3, accepted.from_version)
      .Bind(4, accepted.to_version)
      .Bind(5, request.token.role)
      .Bind(6, request.token.user_id)
      .Bind(7, seq)
      .Bind(8, accepted.summary)
      .Bind(9, accepted.document)
      .Run();

  if (!request.idempotency_key.empty()) {
    Stmt record(db,
                "INSERT INTO idempotency (token, key, fingerprint, status, etag, body, "
                "created_at) VALUES (?,?,?,?,?,?,?)");
    record.Bind(1, request.token.token)
        .Bind(2, request.idempotency_key)
        .Bind(3, request.fingerprint)
        .Bind(4, int64_t{accepted.reply.status})
        .Bind(5, accepted.reply.etag)
        .Bind(6, accepted.reply.body)
        .Bind(7, accepted.at)
        .Run();
  }
  ExecOrThrow(db, "COMMIT");
  return accepted.reply;
}

std::optional<std::string> SqliteStore::History(const std::string& contract_id) {
  Lease lease(this);
  Stmt rows(lease.db(),
            "SELECT a.to_version, a.actor, a.user_id, a.at, a.summary, c.events "
            "FROM audit a JOIN changesets c ON c.seq = a.changeset_seq "
            "WHERE a.contract_id = ? ORDER BY a.seq");
  rows.Bind(1, contract_id);
  std::vector<HistoryRow> history;
  while (rows.Next()) {
    history.push_back(
        {rows.Int(0), rows.Text(1), rows.Text(2), rows.Text(3), rows.Text(4), rows.Text(5)});
  }
  return HistoryJson(contract_id, history);
}

std::string SqliteStore::Notifications(const TokenInfo& token) {
  Lease lease(this);
  Stmt rows(lease.db(),
            "SELECT c.contract_id, c.version, c.actor, c.created_at, c.events "
            "FROM changesets c JOIN access a ON a.contract_id = c.contract_id "
            "WHERE a.token = ? AND c.actor <> ? ORDER BY c.seq DESC");
  rows.Bind(1, token.token).Bind(2, token.role);
  std::vector<NotificationRow> list;
  while (rows.Next()) {
    list.push_back({rows.Text(0), rows.Int(1), rows.Text(2), rows.Text(3), rows.Text(4)});
  }
  return NotificationsJson(list);
}

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path, std::string* error) {
  auto store = std::make_unique<SqliteStore>(path);
  if (!store->Init(error)) return nullptr;
  return store;
}

}  // namespace milestone::server
