#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "milestone/engine.h"

namespace milestone::server {

// What a bearer token stands for.
struct TokenInfo {
  std::string token;
  std::string user_id;
  std::string role;  // "client", "freelancer" or "marketplace" (every contract)
};

struct StoredContract {
  int64_t version = 0;
  std::string document;  // JSON text, `version` included
};

// One row of a contract listing (the timer pass reads every contract).
struct ListedContract {
  std::string id;
  int64_t version = 0;
  std::string document;
};

// An HTTP answer decided below the HTTP layer (the changeset transaction must
// decide the status while it holds the contract's write lock).
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
  std::vector<Action> actions;  // the same, as the engine read them
  bool if_match_any = false;    // If-Match: *, whatever the current version
  std::string now;              // YYYY-MM-DD, the engine's clock
};

// Thrown by every Store method when the database cannot answer now: the
// connection is lost or cannot be made, or a transaction kept failing on
// serialization/deadlock after its bounded retries. Nothing was written (or,
// for a connection lost during COMMIT, the outcome is unknown and a retry with
// the same Idempotency-Key tells). The HTTP layer answers 503 with
// `Retry-After: kRetryAfterSeconds`; the store reconnects by itself on the
// next request, so no restart is needed.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
inline constexpr int kRetryAfterSeconds = 1;

// The server's database: contracts, changesets, the append-only audit log,
// idempotency records and the demo tokens. Two implementations with the same
// schema and migrations: SQLite (a file; the default) and PostgreSQL (libpq;
// several server processes may share one database). Thread-safe.
class Store {
 public:
  // `location` is a postgres:// or postgresql:// URL (PostgreSQL) or a file
  // path (SQLite, created when missing). Applies the pending migrations.
  // nullptr with `error` set when the database cannot be opened.
  static std::unique_ptr<Store> Open(const std::string& location, std::string* error);
  static bool IsPostgresUrl(const std::string& location);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // "sqlite FILE" or "postgresql URL" (password hidden), for the start-up line.
  virtual std::string Describe() const = 0;

  // Writes the demo contracts and tokens when the database holds no contract.
  // The documents are checked with `engine` first: bad seed data is a bug.
  // Safe when several processes start at once: one seeds, the others see it.
  virtual bool SeedIfEmpty(const Engine& engine, const std::string& today, std::string* error) = 0;

  // The database's own check (SQLite: PRAGMA integrity_check) plus the log's:
  // per contract, audit versions contiguous (from = previous to) and ending at
  // the contract's version, the append-only guards installed. "ok" when all hold.
  virtual bool IntegrityCheck(std::string* report) = 0;

  // Reads. nullopt / false: there is no such row. Throw StoreUnavailable.
  virtual std::optional<TokenInfo> FindToken(const std::string& token) = 0;
  virtual bool MayTouch(const std::string& token, const std::string& contract_id) = 0;
  virtual std::optional<StoredContract> GetContract(const std::string& id) = 0;

  // The whole changeset in one transaction holding the contract's write lock:
  // idempotency, version check, the engine, version + 1, contract, changeset,
  // audit row and idempotency record, committed together or not at all.
  // Throws StoreUnavailable.
  virtual Reply PostChangeset(const ChangesetRequest& request, const Engine& engine) = 0;

  // {"contractId", "history": [...]}, oldest first. nullopt: cannot be read.
  virtual std::optional<std::string> History(const std::string& contract_id) = 0;
  // {"notifications": [...]}, newest first. Throws StoreUnavailable.
  virtual std::string Notifications(const TokenInfo& token) = 0;

  // Up to `limit` contracts whose id sorts after `after_id`, in id order: a
  // page of the listing the marketplace timers walk (timers.h). Throws
  // StoreUnavailable.
  virtual std::vector<ListedContract> ListContracts(const std::string& after_id, size_t limit) = 0;

  // The marketplace timers (timers.h) need nothing else: a due timer is a
  // changeset of the marketplace sent through PostChangeset with an
  // Idempotency-Key derived from the timer, so the contract's lock, the
  // version check and the idempotency record in the same commit make it fire
  // once across processes and restarts.

 protected:
  Store() = default;
};

// "2026-11-27T11:40:00.123Z"
std::string UtcTimestamp();
// "2026-11-27"
std::string UtcDate();

// {"error": code, "message": message} (+ "issues" when given).
std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& issues_json = {});

}  // namespace milestone::server
