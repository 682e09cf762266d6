#pragma once
// The marketplace's timers (SPEC §3.1, docs/server.md "Timers"): what the
// engine's `timers` says is due on an open contract is applied as the
// `marketplace`, once, however many server processes share the database and
// however often they restart.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "milestone/engine.h"
#include "store.h"

namespace milestone::server {

// The changesets a timer pass sends carry this token: not a bearer token (a
// space is never in one, so no client can replay or collide with its keys)
// and not in the tokens table.
inline constexpr char kTimerToken[] = "marketplace timer";
inline constexpr char kTimerUser[] = "marketplace";

// "timer:{contractId}:{milestoneId}:{kind}:{due}": the same timer has the same
// key in every process, and a new window (a new submit, a new request) a new
// one. A key longer than an Idempotency-Key may be is never needed here: the
// key is the timer's own, not a client's, and the column has no limit.
std::string TimerKey(const std::string& contract_id, const Timer& timer);

// What one pass did.
struct TimerPassResult {
  int contracts = 0;         // read
  int applied = 0;           // committed by this pass
  int replayed = 0;          // already applied (another process, an earlier run)
  int stale = 0;             // 412: the contract moved on meanwhile; read again
  int refused = 0;           // the engine refused it (nothing written)
  bool unavailable = false;  // the database failed; the next pass tries again
};

// Applies every due timer of every open contract, as the marketplace, with
// `today` as the clock. Stops early (between changesets) once `*stop` is set.
// Writes one line per changeset it sent to `log`.
TimerPassResult RunDueTimers(Store* store, const Engine& engine, const std::string& today,
                             const std::atomic<bool>& stop,
                             const std::function<void(const std::string&)>& log);

// Runs RunDueTimers every `interval_seconds` on a thread of its own until
// Stop(). `clock` gives each pass its date (the server's --now or today's).
class TimerScheduler {
 public:
  TimerScheduler(Store* store, const Engine* engine, std::function<std::string()> clock,
                 int interval_seconds, std::function<void(const std::string&)> log);
  ~TimerScheduler();
  TimerScheduler(const TimerScheduler&) = delete;
  TimerScheduler& operator=(const TimerScheduler&) = delete;

  // One pass now, on the caller's thread (start-up), then the thread.
  TimerPassResult RunOnce();
  void Start();
  // Wakes the thread and joins it; a pass under way stops at its next
  // changeset boundary.
  void Stop();

 private:
  void Loop();

  Store* store_;
  const Engine* engine_;
  std::function<std::string()> clock_;
  int interval_seconds_;
  std::function<void(const std::string&)> log_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace milestone::server
