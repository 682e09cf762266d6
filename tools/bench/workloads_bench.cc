// The native side of tools/bench/run: the same workloads the JS benchmark
// times through the wasm package, on the same bytes, so "wasm vs native" is a
// ratio of like for like. The workloads are files written by
// tools/bench/js/workloads.mjs (one generator for both sides):
//
//   milestone_bench_workloads DIR N...   ->  one JSON object on stdout
//
// DIR/policy.json (the engine's policy), DIR/contract-N.json, DIR/after-N.json (10 edits + 3 moves
// of it) and DIR/keystrokes-N.json (a JSON array of session actions). Times are per call in
// microseconds; each workload runs in this one process, after a warm-up. The three run five
// times in turn: each median is the median of its five passes' medians (a second of load from
// elsewhere moves one pass, not the figure), each p99 that of all its samples. Exit 1 when a
// workload gives a wrong answer (a benchmark of a wrong result measures nothing).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_common.h"
#include "common/allocator.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"
#include "milestone/session.h"

namespace milestone {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) { return bench::ReadFile("workloads_bench", path); }

struct Stats {
  double median = 0;
  double p99 = 0;
  size_t samples = 0;
};

constexpr int kPasses = 5;

// `passes`: each pass's times.
Stats Summarize(const std::vector<std::vector<double>>& passes) {
  Stats s;
  std::vector<double> medians;
  std::vector<double> all;
  for (const std::vector<double>& times : passes) {
    if (times.empty()) continue;
    medians.push_back(bench::Median(times));
    all.insert(all.end(), times.begin(), times.end());
  }
  s.samples = all.size();
  if (all.empty()) return s;
  std::sort(all.begin(), all.end());
  s.median = bench::Median(std::move(medians));
  s.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return s;
}

double Micros(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// Enough calls for a stable median without the 10,000-milestone case taking
// a minute: about a second per workload, a fifth of it per pass.
int Repeats(double first_call_us) {
  const double budget_us = 1e6 / kPasses;
  return std::clamp(static_cast<int>(budget_us / std::max(first_call_us, 1.0)), 15, 1000);
}

// The keystroke file is a JSON array with one action object per line; split
// it without a JSON library (the bench must not read JSON a second way that
// could disagree with the engine, and it only needs the lines).
std::vector<std::string> Lines(const std::string& array_text) {
  std::vector<std::string> out;
  std::istringstream in(array_text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line == "[" || line == "]") continue;
    if (line.back() == ',') line.pop_back();
    out.push_back(line);
  }
  return out;
}

bool Fail(const std::string& what) {
  std::cerr << "workloads_bench: WRONG RESULT: " << what << "\n";
  return false;
}

void Print(std::ostream& out, const char* name, const Stats& s, bool last = false) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "\"%s\":{\"median\":%.3f,\"p99\":%.3f,\"samples\":%zu}%s", name,
                s.median, s.p99, s.samples, last ? "" : ",");
  out << buf;
}

bool RunOne(const std::string& dir, const std::string& n, std::ostream& out) {
  const std::string contract = ReadFile(dir + "/contract-" + n + ".json");
  const std::string after = ReadFile(dir + "/after-" + n + ".json");
  const std::vector<std::string> keys = Lines(ReadFile(dir + "/keystrokes-" + n + ".json"));
  const std::string options = R"({"now":"2026-11-27"})";
  Policy policy = Policy::Upwork();
  IssueList policy_issues;
  if (!ParsePolicy(ReadFile(dir + "/policy.json"), Policy::Upwork(), &policy, &policy_issues)) {
    return Fail("policy.json cannot be read");
  }
  const Engine engine(policy);
  bool ok = true;

  // The first call of each: its answer checked, its time sizing the passes.
  auto t0 = Clock::now();
  std::string r = json_api::Validate(engine, contract, options);
  const int validate_reps = Repeats(Micros(t0, Clock::now()));
  if (r.rfind("{\"ok\":true", 0) != 0) ok = Fail("validate N=" + n + ": " + r.substr(0, 300));
  t0 = Clock::now();
  r = json_api::Diff(engine, contract, after);
  const int diff_reps = Repeats(Micros(t0, Clock::now()));
  if (r.rfind("{\"ok\":true", 0) != 0) ok = Fail("diff N=" + n + ": " + r.substr(0, 300));
  // Keystrokes in one session, the answer written as the binding writes it:
  // the first fifth warms up, the rest is typed a fifth of it per pass.
  Session session(engine, contract, std::string_view(R"({"actor":"client","now":"2026-11-27"})"));
  if (!session.usable()) ok = Fail("session N=" + n + " not usable");
  const size_t per_pass = keys.size() / (kPasses + 1);
  size_t next_key = 0;
  auto type = [&](size_t count, std::vector<double>* times) {
    for (size_t end = std::min(keys.size(), next_key + count); next_key < end && ok; ++next_key) {
      const auto k0 = Clock::now();
      SessionEdit edit = session.Apply(keys[next_key]);
      const std::string answer = SessionEditToJson(edit);
      const auto k1 = Clock::now();
      if (!edit.applied) ok = Fail("keystroke N=" + n + " not applied: " + answer.substr(0, 300));
      if (times != nullptr) times->push_back(Micros(k0, k1));
    }
  };
  type(per_pass, nullptr);

  std::vector<std::vector<double>> validate(kPasses), diff(kPasses), keystroke(kPasses);
  for (int pass = 0; pass < kPasses && ok; ++pass) {
    // Validate on JSON text: what the wasm binding runs once the text is in.
    for (int i = 0; i < validate_reps; ++i) {
      t0 = Clock::now();
      r = json_api::Validate(engine, contract, options);
      validate[pass].push_back(Micros(t0, Clock::now()));
    }
    // Diff on JSON text, the answer written out (changes, patch, summary).
    for (int i = 0; i < diff_reps; ++i) {
      t0 = Clock::now();
      r = json_api::Diff(engine, contract, after);
      diff[pass].push_back(Micros(t0, Clock::now()));
    }
    type(per_pass, &keystroke[pass]);
  }

  out << "\"" << n << "\":{";
  Print(out, "validate", Summarize(validate));
  Print(out, "diff", Summarize(diff));
  Print(out, "keystroke", Summarize(keystroke), true);
  out << "}";
  return ok;
}

}  // namespace
}  // namespace milestone

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: milestone_bench_workloads DIR N...\n";
    return 2;
  }
  // As the server does: a read in a loop measures the engine, not the kernel.
  milestone::tools::KeepFreedMemory();
  bool ok = true;
  std::ostringstream out;
  out << "{";
  for (int i = 2; i < argc; ++i) {
    if (i > 2) out << ",";
    ok = milestone::RunOne(argv[1], argv[i], out) && ok;
  }
  out << "}\n";
  std::cout << out.str();
  return ok ? 0 : 1;
}
