#include "timers.h"

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"

namespace milestone::server {
namespace {

// Contracts read per page of the listing: bounds a pass's memory, not its work.
constexpr size_t kPageSize = 100;
// Changesets tried on one contract in one pass. Each applied timer closes its
// window, so a contract needs one per running window (at most one per
// milestone in flight) plus a few re-reads after a 412; past this the next
// pass goes on.
constexpr int kMaxTriesPerContract = 16;

// MILESTONE_TIMER_TEST_PAUSE_MS: a test hook that sleeps between reading a
// contract and sending its timer, so processes started together all read the
// same version before any commits, and the race the keys settle really runs
// (tests/server/timers.test.mjs). Unset, 0: no pause. At most 5 s.
std::chrono::milliseconds TestPause() {
  static const std::chrono::milliseconds pause = [] {
    const char* text = std::getenv("MILESTONE_TIMER_TEST_PAUSE_MS");
    const long ms = text ? std::strtol(text, nullptr, 10) : 0;
    return std::chrono::milliseconds(ms > 0 && ms <= 5000 ? ms : 0);
  }();
  return pause;
}

TokenInfo TimerTokenInfo() { return TokenInfo{kTimerToken, kTimerUser, "marketplace"}; }

// The due timers of `document` at `today` whose key is not in `tried`.
std::vector<Timer> DueTimers(const Engine& engine, const std::string& document,
                             const std::string& today, const std::string& contract_id,
                             const std::set<std::string>& tried) {
  std::vector<Timer> due;
  Contract contract;
  IssueList issues;
  if (!ParseContract(document, &contract, &issues)) return due;
  for (Timer& timer : engine.Timers(contract, ValidateOptions{today})) {
    // ISO dates compare as text; daysLeft is 0 on the due day and after.
    if (timer.due > today || tried.count(TimerKey(contract_id, timer)) > 0) continue;
    due.push_back(std::move(timer));
  }
  return due;
}

// Every due timer of one contract, one changeset each, re-reading after each.
void RunContract(Store* store, const Engine& engine, const std::string& today,
                 ListedContract contract, const std::atomic<bool>& stop,
                 const std::function<void(const std::string&)>& log, TimerPassResult* result) {
  std::set<std::string> tried;
  for (int attempt = 0; attempt < kMaxTriesPerContract && !stop.load(); ++attempt) {
    if (attempt > 0) {
      std::optional<StoredContract> now = store->GetContract(contract.id);
      if (!now) return;
      contract.version = now->version;
      contract.document = std::move(now->document);
    }
    std::vector<Timer> due = DueTimers(engine, contract.document, today, contract.id, tried);
    if (due.empty()) return;
    const Timer& timer = due.front();
    if (TestPause().count() > 0) std::this_thread::sleep_for(TestPause());

    // Exactly what a client's POST would be, so it goes through the same
    // transaction: the contract's lock, the replay check, the version check,
    // the engine, and the idempotency record committed with the audit row.
    ChangesetRequest request;
    request.token = TimerTokenInfo();
    request.contract_id = contract.id;
    request.if_match = contract.version;
    request.idempotency_key = TimerKey(contract.id, timer);
    request.actions = {timer.action};
    request.actions_json = ActionsToJson(request.actions);
    request.fingerprint = contract.id + "\n" + request.actions_json;
    request.now = today;
    const Reply reply = store->PostChangeset(request, engine);

    std::string outcome;
    if (reply.status == 200 && !reply.replayed) {
      ++result->applied;
      outcome = "applied, version " + reply.etag;
      tried.insert(request.idempotency_key);
    } else if (reply.status == 200) {
      ++result->replayed;
      outcome = "already applied";
      tried.insert(request.idempotency_key);
    } else if (reply.status == 412) {
      // Someone changed the contract since it was read (another process's
      // timer, a client): read it again and ask the engine again.
      ++result->stale;
      outcome = "stale at version " + std::to_string(contract.version);
    } else if (reply.status == 404) {
      return;
    } else {
      ++result->refused;
      outcome = "refused " + std::to_string(reply.status) + " " + reply.body;
      tried.insert(request.idempotency_key);
    }
    log("timer " + request.idempotency_key + " " + outcome);
  }
}

}  // namespace

std::string TimerKey(const std::string& contract_id, const Timer& timer) {
  return "timer:" + contract_id + ":" + timer.milestone_id + ":" + timer.kind + ":" + timer.due;
}

TimerPassResult RunDueTimers(Store* store, const Engine& engine, const std::string& today,
                             const std::atomic<bool>& stop,
                             const std::function<void(const std::string&)>& log) {
  TimerPassResult result;
  try {
    std::string after;
    while (!stop.load()) {
      std::vector<ListedContract> page = store->ListContracts(after, kPageSize);
      if (page.empty()) break;
      after = page.back().id;
      for (ListedContract& contract : page) {
        if (stop.load()) break;
        ++result.contracts;
        RunContract(store, engine, today, std::move(contract), stop, log, &result);
      }
      if (page.size() < kPageSize) break;
    }
  } catch (const StoreUnavailable& e) {
    // Nothing half-done: each changeset is its own transaction. The next
    // pass starts over and the keys skip what did commit.
    result.unavailable = true;
    log(std::string("timers: the database cannot answer: ") + e.what());
  }
  return result;
}

TimerScheduler::TimerScheduler(Store* store, const Engine* engine,
                               std::function<std::string()> clock, int interval_seconds,
                               std::function<void(const std::string&)> log)
    : store_(store),
      engine_(engine),
      clock_(std::move(clock)),
      interval_seconds_(interval_seconds),
      log_(std::move(log)) {}

TimerScheduler::~TimerScheduler() { Stop(); }

TimerPassResult TimerScheduler::RunOnce() {
  const std::string today = clock_();
  TimerPassResult r = RunDueTimers(store_, *engine_, today, stop_, log_);
  if (r.applied + r.replayed + r.stale + r.refused > 0) {
    log_("timers " + today + ": contracts=" + std::to_string(r.contracts) +
         " applied=" + std::to_string(r.applied) + " replayed=" + std::to_string(r.replayed) +
         " stale=" + std::to_string(r.stale) + " refused=" + std::to_string(r.refused));
  }
  return r;
}

void TimerScheduler::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void TimerScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerScheduler::Loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (wake_.wait_for(lock, std::chrono::seconds(interval_seconds_),
                         [this] { return stop_.load(); })) {
        return;
      }
    }
    RunOnce();
  }
}

}  // namespace milestone::server
