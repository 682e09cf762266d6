// Engine::Validate of a 1,000-milestone contract (the policy's maximum), on
// JSON text (parse included: what the server and the CLI pay) and on a
// parsed Contract (what a session pays). Read the _median rows.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "milestone/contract.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

// Two released, one active, the rest future, due dates in order.
Contract MakeContract(int64_t n) {
  Contract c;
  c.id = "ctr-bench";
  c.version = 7;
  c.initiation_fee_charged = true;
  for (int64_t i = 0; i < n; ++i) {
    Milestone m;
    m.id = "m-" + std::to_string(i);
    m.title = "Milestone number " + std::to_string(i);
    m.description = "Deliver part " + std::to_string(i) + " of the work.";
    char due[16];
    std::snprintf(due, sizeof due, "%04d-%02d-%02d", static_cast<int>(2027 + i / 336),
                  static_cast<int>(1 + (i / 28) % 12), static_cast<int>(1 + i % 28));
    m.due_date = due;
    m.amount = 10000 + i;
    if (i < 2) {
      m.state = MilestoneState::kReleased;
      m.funded = m.released = m.amount;
    } else if (i == 2) {
      m.state = MilestoneState::kActive;
      m.funded = m.amount;
    }
    c.milestones.push_back(std::move(m));
  }
  return c;
}

ValidateOptions Options() {
  ValidateOptions options;
  options.now = "2026-11-27";
  return options;
}

void BM_ValidateJsonText(benchmark::State& state) {
  const std::string text = ContractToJson(MakeContract(state.range(0)));
  const Engine engine;
  const ValidateOptions options = Options();
  bool ok = false;
  for (auto _ : state) {
    ValidateResult result = engine.Validate(text, options);
    ok = result.ok;
    benchmark::DoNotOptimize(result);
  }
  if (!ok) state.SkipWithError("the benchmark contract should be valid");
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ValidateJsonText)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

void BM_ValidateContract(benchmark::State& state) {
  const Contract contract = MakeContract(state.range(0));
  const Engine engine;
  const ValidateOptions options = Options();
  bool ok = false;
  for (auto _ : state) {
    ValidateResult result = engine.Validate(contract, options);
    ok = result.ok;
    benchmark::DoNotOptimize(result);
  }
  if (!ok) state.SkipWithError("the benchmark contract should be valid");
}
BENCHMARK(BM_ValidateContract)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

// A drag of the last milestone to the top of the future ones: with due dates
// in order, every milestone it passes gets a DUE_DATES_OUT_OF_ORDER warning,
// so this is the preview at its most expensive.
void BM_PreviewReorderLastToTop(benchmark::State& state) {
  const Contract contract = MakeContract(state.range(0));
  const Engine engine;
  const ValidateOptions options = Options();
  const std::string id = contract.milestones.back().id;
  for (auto _ : state) {
    ReorderPreview preview = engine.PreviewReorder(contract, id, 3, options);
    benchmark::DoNotOptimize(preview);
  }
}
BENCHMARK(BM_PreviewReorderLastToTop)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

// The usual step of a drag: one place up, one warning.
void BM_PreviewReorderOneUp(benchmark::State& state) {
  const Contract contract = MakeContract(state.range(0));
  const Engine engine;
  const ValidateOptions options = Options();
  const auto middle = static_cast<int64_t>(contract.milestones.size() / 2);
  const std::string id = contract.milestones[middle].id;
  for (auto _ : state) {
    ReorderPreview preview = engine.PreviewReorder(contract, id, middle - 1, options);
    benchmark::DoNotOptimize(preview);
  }
}
BENCHMARK(BM_PreviewReorderOneUp)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace milestone

BENCHMARK_MAIN();
