#pragma once
// What the two Store implementations (sqlite_store.cc, pg_store.cc) share:
// the demo data, the decision a changeset gets once its transaction holds the
// contract, and the audit log's consistency check. Not for the HTTP layer.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store.h"

namespace milestone::server {

std::unique_ptr<Store> OpenSqliteStore(const std::string& path, std::string* error);
std::unique_ptr<Store> OpenPostgresStore(const std::string& url, std::string* error);

struct SeedContract {
  std::string id;
  int64_t version = 0;
  std::string document;
};
struct SeedToken {
  std::string token;
  std::string user;
  std::string role;
  std::string contract;  // empty: no access row (the marketplace touches every contract)
};
// The demo documents, validated by `engine` (false + error: a bug in the seed).
bool DemoContracts(const Engine& engine, const std::string& today,
                   std::vector<SeedContract>* contracts, std::string* error);
std::vector<SeedToken> DemoTokens();

// What to write for an accepted changeset.
struct AcceptedChangeset {
  int64_t from_version = 0;
  int64_t to_version = 0;
  std::string document;  // the contract after, `version` = to_version
  std::string events;    // JSON array
  std::string summary;   // JSON array of history lines
  std::string at;        // UTC timestamp
  Reply reply;           // the 200 answer (also the idempotency record)
};

// The idempotency record a token's key already has.
struct IdempotencyRecord {
  std::string fingerprint;
  int status = 0;
  std::string etag;
  std::string body;
};

// The answer for a changeset whose transaction holds the contract at
// `version` with document `before`, given what its idempotency key already
// recorded (nullopt: nothing). A refusal or replay is returned as the Reply;
// nullopt with *accepted filled means: write it.
std::optional<Reply> DecideChangeset(const ChangesetRequest& request, const Engine& engine,
                                     const std::optional<IdempotencyRecord>& seen, int64_t version,
                                     const std::string& before, AcceptedChangeset* accepted);

// One audit row as the integrity check reads it, ordered by contract then seq.
struct AuditRow {
  std::string contract_id;
  int64_t from_version = 0;
  int64_t to_version = 0;
};
// Appends to `problems` every gap, overlap or mismatch with the contracts'
// versions (`versions`: id -> version, the contracts that have audit rows or not).
void CheckAuditRows(const std::vector<AuditRow>& rows,
                    const std::vector<std::pair<std::string, int64_t>>& versions,
                    std::vector<std::string>* problems);
// The integrity report both stores print: "ok", or one problem a line.
// True when there is none.
bool WriteIntegrityReport(const std::vector<std::string>& problems, std::string* report);

// The parsed history/notifications documents from rows.
struct HistoryRow {
  int64_t version;
  std::string actor, user, time, summary, events;
};
std::string HistoryJson(const std::string& contract_id, const std::vector<HistoryRow>& rows);
struct NotificationRow {
  std::string contract_id;
  int64_t version;
  std::string actor, time, events;
};
std::string NotificationsJson(const std::vector<NotificationRow>& rows);

}  // namespace milestone::server
