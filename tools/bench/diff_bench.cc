// Diff times for N = 100, 1,000 and 10,000 milestones with 10 edits and 3
// moves (what a "Show Changes" toggle on a large contract costs), and the
// worst case for the move search, a full shuffle. Each is repeated and
// reported as aggregates; read the _median rows.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "milestone/contract.h"
#include "milestone/diff.h"

namespace milestone {
namespace {

Contract MakeContract(int64_t n) {
  Contract c;
  c.id = "ctr-bench";
  c.milestones.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    Milestone m;
    m.id = "m-" + std::to_string(i);
    m.title = "Milestone number " + std::to_string(i);
    m.description = "Deliver part " + std::to_string(i) + " of the work.";
    m.due_date = "2027-01-01";
    m.amount = 10000 + i;
    c.milestones.push_back(std::move(m));
  }
  return c;
}

// 10 edits spread over the list, then 3 moves (top to bottom, bottom to
// top, middle to a quarter).
Contract EditedCopy(const Contract& before) {
  Contract after = before;
  auto& list = after.milestones;
  const auto n = static_cast<int64_t>(list.size());
  for (int64_t k = 0; k < 10; ++k) {
    Milestone& m = list[(k * n) / 10];
    if (k % 2) {
      m.amount += 100;
    } else {
      m.title += " (revised)";
    }
  }
  std::rotate(list.begin(), list.begin() + 1, list.end());
  std::rotate(list.rbegin(), list.rbegin() + 1, list.rend());
  std::rotate(list.begin() + n / 4, list.begin() + n / 2, list.begin() + n / 2 + 1);
  return after;
}

// Deterministic Fisher-Yates with a small LCG, so every run times the same.
Contract ShuffledCopy(const Contract& before) {
  Contract after = before;
  uint64_t state = 12345;
  for (size_t i = after.milestones.size(); i > 1; --i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    std::swap(after.milestones[i - 1], after.milestones[(state >> 33) % i]);
  }
  return after;
}

void BM_DiffTenEditsThreeMoves(benchmark::State& state) {
  const Contract before = MakeContract(state.range(0));
  const Contract after = EditedCopy(before);
  size_t changes = 0;
  for (auto _ : state) {
    DiffResult result = Diff(before, after);
    changes = result.changes.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["changes"] = static_cast<double>(changes);
}
BENCHMARK(BM_DiffTenEditsThreeMoves)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(7)
    ->ReportAggregatesOnly(true);

void BM_DiffFullShuffle(benchmark::State& state) {
  const Contract before = MakeContract(state.range(0));
  const Contract after = ShuffledCopy(before);
  size_t changes = 0;
  for (auto _ : state) {
    DiffResult result = Diff(before, after);
    changes = result.changes.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["changes"] = static_cast<double>(changes);
}
BENCHMARK(BM_DiffFullShuffle)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(7)
    ->ReportAggregatesOnly(true);

void BM_ApplyChanges(benchmark::State& state) {
  const Contract before = MakeContract(state.range(0));
  const std::vector<Change> changes = Diff(before, EditedCopy(before)).changes;
  for (auto _ : state) {
    ApplyChangesResult result = ApplyChanges(before, changes);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ApplyChanges)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(7)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace milestone

BENCHMARK_MAIN();
