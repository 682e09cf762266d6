// Where a read + validate of a contract from JSON text spends its time, split
// at the engine's private seams (issue 18, item 1):
//
//   milestone_bench_read FILE...   ->  one line per FILE and stage
//
// Stages, each timed on its own (median of ~0.4 s of calls after a warm-up; the
// stages run five times in turn and each prints the median of its five):
// parse (json::Parse alone, with MB/s), read (ParseContract: text to Contract,
// the clean read when the document allows it, with MB/s), model (the JSON
// model's way: parse, then the model into a Contract, what a document with
// findings takes), validate (Engine::Validate on the text: read + every rule)
// and json_api (json_api::Validate: what the wasm binding and the server run).
// Exit 1 when the document is not a valid contract (timing a failure would
// measure the error path, not the read).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_common.h"
#include "common/allocator.h"
#include "json.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "rules.h"

namespace milestone {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) { return bench::ReadFile("read_bench", path); }

using bench::Median;

template <typename F>
double MedianMicros(F&& call) {
  using Micro = std::chrono::duration<double, std::micro>;
  auto t0 = Clock::now();
  call();
  const double first = Micro(Clock::now() - t0).count();
  const int reps = std::clamp(static_cast<int>(4e5 / std::max(first, 1.0)), 15, 20000);
  for (int i = 0; i < reps / 10; ++i) call();  // warm-up
  std::vector<double> times;
  times.reserve(static_cast<size_t>(reps));
  for (int i = 0; i < reps; ++i) {
    t0 = Clock::now();
    call();
    times.push_back(Micro(Clock::now() - t0).count());
  }
  return Median(std::move(times));
}

bool RunOne(const std::string& path) {
  const std::string text = ReadFile(path);
  const Engine engine;
  ValidateOptions options;
  options.now = "2026-11-27";
  if (!engine.Validate(text, options).ok) {
    std::cerr << "read_bench: " << path << " is not a valid contract\n";
    return false;
  }
  // Five passes over the stages, each stage's figure the median of its five:
  // a second of load from elsewhere moves one pass, not the answer.
  constexpr int kPasses = 5;
  std::vector<double> stages[5];
  for (int pass = 0; pass < kPasses; ++pass) {
    stages[0].push_back(MedianMicros([&] {
      json::Value doc;
      json::ParseError error;
      if (!json::Parse(text, &doc, &error)) std::exit(1);
    }));
    stages[1].push_back(MedianMicros([&] {
      Contract contract;
      IssueList issues;
      ParseContract(text, &contract, &issues);
    }));
    stages[2].push_back(MedianMicros([&] {
      Contract contract;
      IssueList issues;
      ReadNotes notes;
      ReadContractByModel(text, &contract, &issues, &notes);
    }));
    stages[3].push_back(MedianMicros([&] { engine.Validate(text, options); }));
    stages[4].push_back(
        MedianMicros([&] { json_api::Validate(engine, text, R"({"now":"2026-11-27"})"); }));
  }
  const double parse = Median(stages[0]);
  const double read = Median(stages[1]);
  const double model = Median(stages[2]);
  const double validate = Median(stages[3]);
  const double api = Median(stages[4]);
  Contract probe;
  const bool clean = ReadCleanContract(text, &probe);
  std::printf("%s (%zu bytes)\n", path.c_str(), text.size());
  std::printf("  parse     %9.1f us  %7.0f MB/s\n", parse,
              static_cast<double>(text.size()) / parse);
  std::printf("  read      %9.1f us  %7.0f MB/s  (ParseContract: text -> Contract, %s)\n", read,
              static_cast<double>(text.size()) / read,
              clean ? "the clean read" : "the model's way: the clean read gave up");
  std::printf("  model     %9.1f us  (parse + JSON model -> Contract)\n", model);
  std::printf("  validate  %9.1f us  (Engine::Validate on the text)\n", validate);
  std::printf("  json_api  %9.1f us  (json_api::Validate)\n", api);
  return true;
}

}  // namespace
}  // namespace milestone

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: milestone_bench_read FILE...\n";
    return 2;
  }
  // As the server does: a read in a loop measures the engine, not the kernel.
  milestone::tools::KeepFreedMemory();
  bool ok = true;
  for (int i = 1; i < argc; ++i) ok = milestone::RunOne(argv[i]) && ok;
  return ok ? 0 : 1;
}
