// milestone: the engine's calls for scripts and CI. Prints the same JSON the JS
// package returns. The exit status comes from the engine's typed results (the
// C++ API's .ok and whether ParseContract could read the input), never from the
// printed text: 0 ok, 1 not ok, 2 usage or input that could not be read.
// docs/cli.md describes every command.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/catalogs.h"
#include "milestone/action.h"
#include "milestone/catalog.h"
#include "milestone/codes.h"
#include "milestone/contract.h"
#include "milestone/date.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "milestone/policy.h"
#include "milestone/view.h"

#if __has_include("milestone/version.h")
#include "milestone/version.h"
#endif
#if !defined(MILESTONE_VERSION) && defined(MILESTONE_CLI_VERSION)
#define MILESTONE_VERSION MILESTONE_CLI_VERSION
#endif
#ifndef MILESTONE_VERSION
#error "MILESTONE_VERSION: add milestone/version.h or define MILESTONE_CLI_VERSION"
#endif

namespace {

using milestone::Issue;
using milestone::IssueList;

constexpr int kExitOk = 0;
constexpr int kExitNotOk = 1;
constexpr int kExitUnusable = 2;
// One byte over the engine's 4 MiB limit is enough for it to refuse the
// document; reading further would only let a huge file exhaust memory.
constexpr std::streamsize kReadLimit = (4 << 20) + 1;

// The CLI's own codes, in the one catalogue (milestone/codes.h).
using milestone::codes::kFileUnreadable;  // a named file cannot be opened
using milestone::codes::kUsage;           // the command line is wrong

const char kHelp[] =
    "usage:\n"
    "  milestone validate FILE [--now YYYY-MM-DD] [--policy FILE] [--locale LANG]\n"
    "  milestone check FILE ACTION --as ACTOR [--now YYYY-MM-DD] [--policy FILE] [--locale LANG]\n"
    "  milestone apply FILE ACTION --as ACTOR [--now YYYY-MM-DD] [--policy FILE] [--locale LANG]\n"
    "  milestone describe FILE --as ACTOR [--now YYYY-MM-DD] [--policy FILE] [--locale LANG]\n"
    "  milestone timers FILE [--now YYYY-MM-DD] [--policy FILE] [--locale LANG]\n"
    "  milestone diff BEFORE AFTER\n"
    "  milestone --version | --help\n"
    "\n"
    "FILE may be - for standard input; ACTION is a file or inline JSON ({...} or [...]).\n"
    "ACTOR is client, freelancer or marketplace. --now defaults to today's date in UTC\n"
    "(the JS package's default too). --locale writes the sentences in LANG (en, es; another\n"
    "language falls back to en) from the catalogs in MILESTONE_CATALOGS or the built-in path.\n"
    "Prints JSON. Exit status: 0 ok, 1 the engine says no (findings, a refused action),\n"
    "2 a usage error or input that could not be read; then the answer is\n"
    "{\"ok\": false, \"issues\": [{\"code\", \"severity\", \"path\", \"message\", \"hint\"}]}.\n";

// The one error envelope for what the CLI itself refuses.
int Refuse(const char* code, const std::string& message, const std::string& hint) {
  Issue issue;
  issue.code = code;
  issue.severity = milestone::Severity::kError;
  issue.message = message;
  issue.hint = hint;
  milestone::ValidateResult failed;
  failed.issues.push_back(issue);
  std::cout << milestone::ValidateResultToJson(failed) << "\n";
  return kExitUnusable;
}

int Usage(const std::string& problem) {
  std::cerr << "milestone: " << problem << "\n" << kHelp;
  return Refuse(kUsage, problem, "Run milestone --help for the commands and their arguments.");
}

// Reads a file (or standard input for "-"); nullopt with the envelope printed
// when it cannot be opened.
class Inputs {
 public:
  std::optional<std::string> Read(const std::string& name) {
    std::istream* in = &std::cin;
    std::ifstream file;
    if (name == "-") {
      if (stdin_used_) {
        Usage("Standard input (-) can be read only once.");
        return std::nullopt;
      }
      stdin_used_ = true;
    } else {
      file.open(name, std::ios::binary);
      if (!file) {
        std::string why = std::strerror(errno);
        std::cerr << "milestone: cannot open " << name << ": " << why << "\n";
        Refuse(kFileUnreadable, "Cannot open " + name + ": " + why + ".",
               "Check the file name, or pass - to read standard input.");
        return std::nullopt;
      }
      in = &file;
    }
    std::string out;
    out.resize(static_cast<size_t>(kReadLimit));
    in->read(out.data(), kReadLimit);
    out.resize(static_cast<size_t>(in->gcount()));
    return out;
  }

 private:
  bool stdin_used_ = false;
};

std::string Today() {
  std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &utc);
  return buf;
}

int Print(const std::string& json, int status) {
  std::cout << json << "\n";
  return status;
}

// A contract document and what reading it found.
struct Document {
  bool readable = false;  // ParseContract's answer
  milestone::Contract contract;
  IssueList issues;
};

Document ReadContract(const std::string& text) {
  Document doc;
  doc.readable = milestone::ParseContract(text, &doc.contract, &doc.issues);
  return doc;
}

// {ok: false, issues}: what the JSON API answers when its input cannot be read.
std::string Failure(const IssueList& issues) {
  milestone::ValidateResult failed;
  failed.issues = issues;
  return milestone::ValidateResultToJson(failed);
}

int Validate(const milestone::Engine& engine, const std::string& text, const std::string& now) {
  milestone::ValidateOptions options;
  options.now = now;
  milestone::ValidateResult result = engine.Validate(text, options);
  // Validate reads the text itself; reading it once more says whether it was
  // a contract at all (not JSON, or not a contract's shape: exit 2).
  const bool readable = ReadContract(text).readable;
  return Print(milestone::ValidateResultToJson(result), !readable   ? kExitUnusable
                                                        : result.ok ? kExitOk
                                                                    : kExitNotOk);
}

int CheckOrApply(const milestone::Engine& engine, bool apply, const std::string& text,
                 const std::string& action_text, const milestone::ActOptions& options) {
  Document doc = ReadContract(text);
  std::vector<milestone::Action> actions;
  IssueList action_issues;
  const bool actions_read = milestone::ParseActions(action_text, &actions, &action_issues);
  IssueList issues = doc.issues;
  milestone::Append(&issues, action_issues);
  if (!doc.readable || !actions_read) {
    if (!apply) return Print(Failure(issues), kExitUnusable);
    if (!doc.readable) {
      // Nothing to hand back but the issues: the contract could not be read.
      return Print("{\"ok\":false,\"contract\":null,\"issues\":" + milestone::IssuesToJson(issues) +
                       ",\"events\":[]}",
                   kExitUnusable);
    }
    milestone::ApplyResult refused;
    refused.contract = doc.contract;
    refused.issues = issues;
    return Print(milestone::ApplyResultToJson(refused), kExitUnusable);
  }
  if (!apply) {
    milestone::ValidateResult result = engine.Check(doc.contract, actions, options);
    return Print(milestone::ValidateResultToJson(result), result.ok ? kExitOk : kExitNotOk);
  }
  milestone::ApplyResult result = engine.Apply(doc.contract, actions, options);
  return Print(milestone::ApplyResultToJson(result), result.ok ? kExitOk : kExitNotOk);
}

int Describe(const milestone::Engine& engine, const std::string& text,
             const milestone::ActOptions& options) {
  Document doc = ReadContract(text);
  // The view speaks of a contract read exactly; otherwise it carries only the
  // errors reading found (as json_api::Describe answers).
  if (!doc.readable || !milestone::NoErrors(doc.issues)) {
    milestone::View failed;
    for (const Issue& issue : doc.issues) {
      if (issue.severity == milestone::Severity::kError) failed.issues.push_back(issue);
    }
    return Print(milestone::ViewToJson(failed), kExitUnusable);
  }
  milestone::View view = milestone::Describe(engine, doc.contract, options);
  return Print(milestone::ViewToJson(view), view.ok ? kExitOk : kExitUnusable);
}

// The marketplace's running windows (SPEC 3.1), as json_api::Timers answers:
// the list, or only the errors of a contract that cannot be read exactly.
int Timers(const milestone::Engine& engine, const std::string& text, const std::string& now) {
  Document doc = ReadContract(text);
  if (!doc.readable || !milestone::NoErrors(doc.issues)) {
    IssueList errors;
    for (const Issue& issue : doc.issues) {
      if (issue.severity == milestone::Severity::kError) errors.push_back(issue);
    }
    return Print(Failure(errors), kExitUnusable);
  }
  milestone::ValidateOptions options;
  options.now = now;
  return Print(milestone::TimersToJson(engine.Timers(doc.contract, options)), kExitOk);
}

int Diff(const std::string& before_text, const std::string& after_text) {
  Document before = ReadContract(before_text);
  Document after = ReadContract(after_text);
  IssueList issues;
  for (Issue issue : before.issues) {
    issue.path = "/before" + issue.path;
    issues.push_back(issue);
  }
  for (Issue issue : after.issues) {
    issue.path = "/after" + issue.path;
    issues.push_back(issue);
  }
  if (!before.readable || !after.readable) {
    return Print("{\"ok\":false,\"changes\":[],\"patch\":[],\"summary\":[],\"issues\":" +
                     milestone::IssuesToJson(issues) + "}",
                 kExitUnusable);
  }
  // A diff is always ok once both documents could be read; ok and issues go in
  // front, as json_api::Diff answers.
  std::string body = milestone::DiffResultToJson(milestone::Diff(before.contract, after.contract));
  return Print("{\"ok\":true,\"issues\":[]," + body.substr(1), kExitOk);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> positional;
  std::optional<std::string> now;
  std::optional<std::string> actor;
  std::optional<std::string> policy_file;
  std::optional<std::string> locale;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::optional<std::string>* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (a == "--now") {
      if (!value(&now)) return Usage("--now needs a date written YYYY-MM-DD.");
    } else if (a == "--as") {
      if (!value(&actor)) return Usage("--as needs client, freelancer or marketplace.");
    } else if (a == "--policy") {
      if (!value(&policy_file)) return Usage("--policy needs a file.");
    } else if (a == "--locale") {
      if (!value(&locale)) return Usage("--locale needs a language, e.g. es.");
    } else if (a == "-h" || a == "--help") {
      std::cout << kHelp;
      return kExitOk;
    } else if (a == "--version") {
      std::cout << "milestone " << MILESTONE_VERSION << "\n";
      return kExitOk;
    } else if (a.size() > 1 && a[0] == '-') {
      return Usage("Unknown option " + a + ".");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.empty()) return Usage("No command was given.");
  const std::string command = positional[0];
  // Flags are the caller's words, not input data: a bad one is a usage error.
  if (now && !milestone::ParseDate(*now)) return Usage("--now needs a date written YYYY-MM-DD.");
  milestone::ActOptions options;
  options.now = now ? *now : Today();
  if (actor && !milestone::ParseActor(*actor, &options.actor)) {
    return Usage("--as takes client, freelancer or marketplace.");
  }
  auto wants = [&](size_t count, const char* what) {
    return positional.size() == count + 1 ? std::string() : command + " takes " + what + ".";
  };

  std::string problem;
  if (command == "validate" || command == "describe" || command == "timers") {
    problem = wants(1, "one FILE");
  } else if (command == "check" || command == "apply") {
    problem = wants(2, "FILE and ACTION");
  } else if (command == "diff") {
    problem = wants(2, "BEFORE and AFTER");
  } else {
    return Usage("Unknown command " + command + ".");
  }
  if (!problem.empty()) return Usage(problem);
  if ((command == "check" || command == "apply" || command == "describe") && !actor) {
    return Usage(command + " needs --as client, freelancer or marketplace.");
  }

  Inputs inputs;
  std::shared_ptr<const milestone::Catalog> catalog;
  if (locale) {
    // English needs no file: the engine writes it itself, as en.json says.
    if (const std::optional<std::string> file =
            milestone::tools::CatalogFile(milestone::tools::ShellLanguage(*locale))) {
      std::optional<std::string> text = inputs.Read(*file);
      if (!text) return kExitUnusable;
      IssueList issues;
      std::optional<milestone::Catalog> parsed = milestone::Catalog::FromJson(*text, &issues);
      if (!parsed) return Print(Failure(issues), kExitUnusable);
      catalog = std::make_shared<const milestone::Catalog>(std::move(*parsed));
    }
  }
  // Everything written from here on (the policy's findings too) is in the
  // catalog's language.
  const milestone::CatalogScope scope(catalog.get());
  milestone::Policy policy;
  if (policy_file) {
    std::optional<std::string> text = inputs.Read(*policy_file);
    if (!text) return kExitUnusable;
    IssueList issues;
    if (!milestone::ParsePolicy(*text, policy, &policy, &issues)) {
      return Print(Failure(issues), kExitUnusable);
    }
  }
  const milestone::Engine engine(policy, catalog);

  std::optional<std::string> first = inputs.Read(positional[1]);
  if (!first) return kExitUnusable;
  if (command == "validate") return Validate(engine, *first, options.now);
  if (command == "describe") return Describe(engine, *first, options);
  if (command == "timers") return Timers(engine, *first, options.now);

  std::optional<std::string> second = positional[2];
  if (command == "diff" || second->empty() || ((*second)[0] != '{' && (*second)[0] != '[')) {
    second = inputs.Read(positional[2]);
    if (!second) return kExitUnusable;
  }
  if (command == "diff") return Diff(*first, *second);
  return CheckOrApply(engine, command == "apply", *first, *second, options);
}
