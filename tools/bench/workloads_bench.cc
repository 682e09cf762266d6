// The native side of tools/bench/run: the same workloads the JS benchmark
// times through the wasm package, on the same bytes, so "wasm vs native" is a
// ratio of like for like. The workloads are files written by
// tools/bench/js/workloads.mjs (one generator for both sides):
//
//   milestone_bench_workloads DIR N...   ->  one JSON object on stdout
//
// DIR/policy.json (the engine's policy), DIR/contract-N.json, DIR/after-N.json (10 edits + 3 moves
// of it) and DIR/keystrokes-N.json (a JSON array of session actions). Times are per call in
// microseconds; each workload runs in this one process, after a warm-up. Exit 1 when a workload
// gives a wrong answer (a benchmark of a wrong result measures nothing).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/allocator.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"
#include "milestone/session.h"

namespace milestone {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "workloads_bench: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Stats {
  double median = 0;
  double p99 = 0;
  size_t samples = 0;
};

Stats Summarize(std::vector<double> times) {
  Stats s;
  std::sort(times.begin(), times.end());
  s.samples = times.size();
  if (times.empty()) return s;
  s.median = times[times.size() / 2];
  s.p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
  return s;
}

double Micros(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// Enough calls for a stable median without the 10,000-milestone case taking
// a minute: about a second per workload.
int Repeats(double first_call_us) {
  const double budget_us = 1e6;
  return std::clamp(static_cast<int>(budget_us / std::max(first_call_us, 1.0)), 15, 5000);
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

  // Validate on JSON text: what the wasm binding runs once the text is in.
  std::vector<double> validate;
  {
    auto t0 = Clock::now();
    std::string r = json_api::Validate(engine, contract, options);
    const int reps = Repeats(Micros(t0, Clock::now()));
    if (r.rfind("{\"ok\":true", 0) != 0) ok = Fail("validate N=" + n + ": " + r.substr(0, 300));
    for (int i = 0; i < reps; ++i) {
      t0 = Clock::now();
      r = json_api::Validate(engine, contract, options);
      validate.push_back(Micros(t0, Clock::now()));
    }
  }

  // Diff on JSON text, the answer written out (changes, patch, summary).
  std::vector<double> diff;
  {
    auto t0 = Clock::now();
    std::string r = json_api::Diff(engine, contract, after);
    const int reps = Repeats(Micros(t0, Clock::now()));
    if (r.rfind("{\"ok\":true", 0) != 0) ok = Fail("diff N=" + n + ": " + r.substr(0, 300));
    for (int i = 0; i < reps; ++i) {
      t0 = Clock::now();
      r = json_api::Diff(engine, contract, after);
      diff.push_back(Micros(t0, Clock::now()));
    }
  }

  // Keystrokes in a session, the answer written as the binding writes it.
  std::vector<double> keystroke;
  {
    Session session(engine, contract, std::string_view(R"({"actor":"client","now":"2026-11-27"})"));
    if (!session.usable()) ok = Fail("session N=" + n + " not usable");
    const size_t warmup = keys.size() / 5;
    for (size_t i = 0; i < keys.size() && ok; ++i) {
      auto t0 = Clock::now();
      SessionEdit edit = session.Apply(keys[i]);
      std::string r = SessionEditToJson(edit);
      auto t1 = Clock::now();
      if (!edit.applied) ok = Fail("keystroke N=" + n + " not applied: " + r.substr(0, 300));
      if (i >= warmup) keystroke.push_back(Micros(t0, t1));
    }
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
