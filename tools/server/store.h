#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "milestone/engine.h"

struct sqlite3;

namespace milestone::server {

// What a bearer token stands for.
struct TokenInfo {
  std::string token;
  std::string user_id;
  std::string role;  // "client" or "freelancer"
};

struct StoredContract {
  int64_t version = 0;
  std::string document;  // JSON text, `version` included
};

// An HTTP answer decided below the HTTP layer (the changeset transaction must
// decide the status while it holds the write lock).
struct Reply {
  int status = 200;
  std::string body;  // JSON text
  std::string etag;  // without quotes; empty: no ETag header
  bool replayed = false;
};

// One POST /changesets, already authenticated and read.
struct ChangesetRequest {
  TokenInfo token;
  std::string contract_id;
  int64_t if_match = 0;
  std::string idempotency_key;  // empty: none sent
  std::string fingerprint;      // what "the same request" means for a replay
  std::string actions_json;     // the body's `actions`, as JSON text
  std::string now;              // YYYY-MM-DD, the engine's clock
};

// The server's SQLite database: contracts, changesets, the append-only audit
// log, idempotency records and the demo tokens. Thread-safe. Connections are
// pooled because SQLite connections must not be shared between threads that
// use them at the same time.
class Store {
 public:
  // Opens (creating when missing) the database at `path` and its schema.
  static std::unique_ptr<Store> Open(const std::string& path, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes the demo contracts and tokens when the database holds no contract.
  // The documents are checked with `engine` first: bad seed data is a bug.
  bool SeedIfEmpty(const Engine& engine, const std::string& today, std::string* error);

  // PRAGMA integrity_check; true when SQLite answers "ok".
  bool IntegrityCheck(std::string* report);

  std::optional<TokenInfo> FindToken(const std::string& token);
  bool MayTouch(const std::string& token, const std::string& contract_id);
  std::optional<StoredContract> GetContract(const std::string& id);

  // The whole changeset, in one BEGIN IMMEDIATE transaction: idempotency,
  // version check, the engine, version + 1, contract, changeset, audit row and
  // idempotency record.
  Reply PostChangeset(const ChangesetRequest& request, const Engine& engine);

  // {"contractId", "history": [...]}, oldest first.
  std::optional<std::string> History(const std::string& contract_id);
  // {"notifications": [...]}, newest first.
  std::string Notifications(const TokenInfo& token);

 private:
  explicit Store(std::string path) : path_(std::move(path)) {}

  class Lease;
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

// "2026-11-27T11:40:00.123Z"
std::string UtcTimestamp();
// "2026-11-27"
std::string UtcDate();

// {"error": code, "message": message} (+ "issues" when given).
std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& issues_json = {});

}  // namespace milestone::server
