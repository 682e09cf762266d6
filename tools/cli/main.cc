// milestone: the engine's calls for scripts and CI. Prints the same JSON the JS
// package returns. Exit 0 when ok, 1 when not, 2 for unusable input or usage.

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "milestone/date.h"
#include "milestone/json_api.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitNotOk = 1;
constexpr int kExitUnusable = 2;
// One byte over the engine's 4 MiB limit is enough for it to refuse the
// document; reading further would only let a huge file exhaust memory.
constexpr std::streamsize kReadLimit = (4 << 20) + 1;

const char kUsage[] =
    "usage:\n"
    "  milestone validate FILE [--now YYYY-MM-DD] [--policy FILE]\n"
    "  milestone apply FILE ACTION --as client|freelancer [--now YYYY-MM-DD] [--policy FILE]\n"
    "  milestone diff BEFORE AFTER\n"
    "FILE may be - for standard input; ACTION is a file or inline JSON ({...} or [...]).\n";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "milestone: " << problem << "\n";
  std::cerr << kUsage;
  return kExitUnusable;
}

bool ReadInput(const std::string& name, std::string* out) {
  std::istream* in = &std::cin;
  std::ifstream file;
  if (name != "-") {
    file.open(name, std::ios::binary);
    if (!file) {
      std::cerr << "milestone: cannot open " << name << ": " << std::strerror(errno) << "\n";
      return false;
    }
    in = &file;
  }
  out->resize(static_cast<size_t>(kReadLimit));
  in->read(out->data(), kReadLimit);
  out->resize(static_cast<size_t>(in->gcount()));
  return true;
}

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &utc);
  return buf;
}

// Escapes a command-line value for the options object.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out.push_back(c);
  }
  return out + "\"";
}

// The result's own words decide the exit status. Issue messages are escaped
// JSON strings, so the literal `"code":"INVALID_JSON"` can only be a code.
int Finish(const std::string& result, bool unreadable) {
  std::cout << result << "\n";
  if (unreadable || result.find("\"code\":\"INVALID_JSON\"") != std::string::npos) {
    return kExitUnusable;
  }
  return result.compare(0, 10, "{\"ok\":true") == 0 ? kExitOk : kExitNotOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> positional;
  std::string now;
  std::string actor;
  std::string policy_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (a == "--now") {
      if (!value(&now)) return Usage("--now needs a date");
    } else if (a == "--as") {
      if (!value(&actor)) return Usage("--as needs client or freelancer");
    } else if (a == "--policy") {
      if (!value(&policy_file)) return Usage("--policy needs a file");
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      return Usage("unknown option " + a);
    } else {
      positional.push_back(a);
    }
  }
  if (positional.empty()) return Usage("");
  // Flags are the caller's words, not input data: a bad one is a usage error.
  if (!now.empty() && !milestone::ParseDate(now)) return Usage("--now needs a date YYYY-MM-DD");
  if (!actor.empty() && actor != "client" && actor != "freelancer") {
    return Usage("--as takes client or freelancer");
  }
  const std::string command = positional[0];

  milestone::Policy policy;
  if (!policy_file.empty()) {
    std::string text;
    if (!ReadInput(policy_file, &text)) return kExitUnusable;
    milestone::IssueList issues;
    if (!milestone::ParsePolicy(text, policy, &policy, &issues)) {
      milestone::ValidateResult failed;
      failed.issues = issues;
      std::cout << milestone::ValidateResultToJson(failed) << "\n";
      return kExitUnusable;
    }
  }
  milestone::Engine engine(policy);

  if (command == "validate") {
    if (positional.size() != 2) return Usage("validate takes one FILE");
    std::string doc;
    if (!ReadInput(positional[1], &doc)) return kExitUnusable;
    std::string options = "{\"now\":" + Quoted(now.empty() ? Today() : now) + "}";
    return Finish(milestone::json_api::Validate(engine, doc, options), false);
  }
  if (command == "apply") {
    if (positional.size() != 3) return Usage("apply takes FILE and ACTION");
    if (actor.empty()) return Usage("apply needs --as client|freelancer");
    std::string doc;
    std::string action = positional[2];
    if (!ReadInput(positional[1], &doc)) return kExitUnusable;
    if (action.empty() || (action[0] != '{' && action[0] != '[')) {
      if (!ReadInput(positional[2], &action)) return kExitUnusable;
    }
    std::string options = "{\"actor\":" + Quoted(actor) + ",\"now\":" +
                          Quoted(now.empty() ? Today() : now) + "}";
    std::string result = milestone::json_api::Apply(engine, doc, action, options);
    bool unreadable = result.compare(0, 30, "{\"ok\":false,\"contract\":null,") == 0;
    return Finish(result, unreadable);
  }
  if (command == "diff") {
    if (positional.size() != 3) return Usage("diff takes BEFORE and AFTER");
    std::string before;
    std::string after;
    if (!ReadInput(positional[1], &before) || !ReadInput(positional[2], &after)) {
      return kExitUnusable;
    }
    std::string result = milestone::json_api::Diff(engine, before, after);
    // A diff is always "ok" once both documents could be read.
    return Finish(result, result.compare(0, 11, "{\"ok\":false") == 0);
  }
  return Usage("unknown command " + command);
}
