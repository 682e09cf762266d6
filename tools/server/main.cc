// milestone_server: the reference server of SPEC §6.
//
//   milestone_server [--port N] [--db FILE | --database-url URL] [--web DIR] [--dist DIR]
//                    [--now YYYY-MM-DD] [--timer-interval SECONDS] [--policy FILE]
//   milestone_server --seed-only [--db FILE]
//   milestone_server --integrity-check [--db FILE]
//
// PORT, DB and DATABASE_URL in the environment are the defaults the flags
// override; a postgres:// DATABASE_URL (or --database-url) selects PostgreSQL.

#include <pthread.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "common/allocator.h"
#include "common/catalogs.h"
#include "http.h"
#include "milestone/catalog.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/policy.h"
#include "milestone/version.h"
#include "store.h"
#include "timers.h"

namespace {

// The marketplace timers run at start and then this often (docs/server.md).
constexpr int kDefaultTimerIntervalSeconds = 60;
constexpr int kMaxTimerIntervalSeconds = 86400;

struct Flags {
  int port = 8080;
  std::string db = "var/milestones.db";
  std::string database_url;  // postgres://...: PostgreSQL instead of the file
  std::string web = "web";
  std::string dist = "dist";
  std::string now;
  std::string locale;                                 // empty: English, as the engine writes it
  int timer_interval = kDefaultTimerIntervalSeconds;  // 0: no timers
  bool seed_only = false;
  bool integrity_check = false;
  std::string policy_file;  // empty: upwork
};

// The server's one policy, read and checked before anything opens: an
// unusable one stops the server with the POLICY findings.
bool LoadPolicy(const std::string& file, const milestone::Catalog* catalog,
                milestone::Policy* out) {
  *out = milestone::Policy::Upwork();
  if (file.empty()) return true;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "milestone_server: cannot read the policy file " << file << "\n";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  milestone::IssueList issues;
  if (milestone::ParsePolicy(text.str(), milestone::Policy::Upwork(), out, &issues)) return true;
  if (catalog != nullptr) catalog->Localize(&issues);
  for (const milestone::Issue& issue : issues) {
    std::cerr << "milestone_server: " << file << ": " << issue.code << " " << issue.path << ": "
              << issue.message << "\n";
  }
  return false;
}

void Usage(std::ostream& out) {
  out << "usage: milestone_server [--port N] [--db FILE] [--web DIR] [--dist DIR]\n"
         "                        [--now YYYY-MM-DD] [--timer-interval SECONDS] [--locale LANG]\n"
         "                        [--policy FILE] [--seed-only] [--integrity-check]\n"
         "  --port N           listen on 127.0.0.1:N (default $PORT or 8080; 0 picks one)\n"
         "  --db FILE          SQLite database (default $DB or var/milestones.db)\n"
         "  --database-url URL PostgreSQL, postgres://... (default $DATABASE_URL)\n"
         "  --web DIR          static files served at / (default web)\n"
         "  --dist DIR         the JS package served at /dist/ (default dist)\n"
         "  --now DATE         fix the engine's clock (tests); default today's UTC date\n"
         "  --locale LANG      write issues, events and notifications in LANG (en, es;\n"
         "                     another language falls back to en)\n"
         "  --timer-interval S run the marketplace timers at start and every S seconds\n"
         "                     (default 60; 0: never)\n"
         "  --policy FILE      the marketplace's policy (docs/policies.md); default upwork\n"
         "  --seed-only        create and seed the database, then exit\n"
         "  --version          print the version, then exit\n"
         "  --integrity-check  print PRAGMA integrity_check; exit 0 when ok\n";
}

bool ParsePort(const std::string& text, int* port) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  *port = std::stoi(text);
  return *port <= 65535;
}

// 0: run; 1: exit 0 (help); 2: usage error.
int ParseFlags(int argc, char** argv, Flags* flags) {
  if (const char* port = std::getenv("PORT"); port && *port) {
    if (!ParsePort(port, &flags->port)) {
      std::cerr << "milestone_server: PORT is not a port: " << port << "\n";
      return 2;
    }
  }
  if (const char* db = std::getenv("DB"); db && *db) flags->db = db;
  if (const char* url = std::getenv("DATABASE_URL"); url && *url) flags->database_url = url;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string text;
    if (arg == "--help" || arg == "-h") {
      Usage(std::cout);
      return 1;
    } else if (arg == "--version") {
      // One version for the package, the CLI and the server (the top CMakeLists.txt).
      std::cout << "milestone_server " << MILESTONE_VERSION << "\n";
      return 1;
    } else if (arg == "--port") {
      if (!value(&text) || !ParsePort(text, &flags->port)) {
        std::cerr << "milestone_server: --port needs a port number\n";
        return 2;
      }
    } else if (arg == "--db") {
      if (!value(&flags->db)) return 2;
      flags->database_url.clear();  // an explicit file wins over $DATABASE_URL
    } else if (arg == "--database-url") {
      if (!value(&flags->database_url) ||
          !milestone::server::Store::IsPostgresUrl(flags->database_url)) {
        std::cerr << "milestone_server: --database-url needs a postgres:// URL\n";
        return 2;
      }
    } else if (arg == "--web") {
      if (!value(&flags->web)) return 2;
    } else if (arg == "--dist") {
      if (!value(&flags->dist)) return 2;
    } else if (arg == "--now") {
      if (!value(&flags->now) || !milestone::ParseDate(flags->now)) {
        std::cerr << "milestone_server: --now needs a date YYYY-MM-DD\n";
        return 2;
      }
    } else if (arg == "--timer-interval") {
      if (!value(&text) || text.empty() || text.size() > 5 ||
          text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(text) > kMaxTimerIntervalSeconds) {
        std::cerr << "milestone_server: --timer-interval needs 0 to " << kMaxTimerIntervalSeconds
                  << " seconds\n";
        return 2;
      }
      flags->timer_interval = std::stoi(text);
    } else if (arg == "--locale") {
      if (!value(&flags->locale) || flags->locale.empty()) {
        std::cerr << "milestone_server: --locale needs a language, e.g. es\n";
        return 2;
      }
    } else if (arg == "--policy") {
      if (!value(&flags->policy_file)) {
        std::cerr << "milestone_server: --policy needs a file\n";
        return 2;
      }
    } else if (arg == "--seed-only") {
      flags->seed_only = true;
    } else if (arg == "--integrity-check") {
      flags->integrity_check = true;
    } else {
      std::cerr << "milestone_server: unknown argument " << arg << "\n";
      Usage(std::cerr);
      return 2;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (int rc = ParseFlags(argc, argv, &flags); rc != 0) return rc == 1 ? 0 : 2;

  milestone::tools::KeepFreedMemory();

  // The event loop reads SIGINT and SIGTERM from a signalfd, so the DB closes
  // through the normal path instead of inside an async signal handler.
  // Blocked before any thread starts, so every worker inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (!flags.database_url.empty() && !milestone::server::Store::IsPostgresUrl(flags.database_url)) {
    std::cerr << "milestone_server: DATABASE_URL is not a postgres:// URL\n";
    return 2;
  }
  const std::string location = flags.database_url.empty() ? flags.db : flags.database_url;
  if (flags.database_url.empty()) {
    std::error_code ec;
    std::filesystem::path db_dir = std::filesystem::path(flags.db).parent_path();
    if (!db_dir.empty()) std::filesystem::create_directories(db_dir, ec);
  }

  std::string error;
  std::unique_ptr<milestone::server::Store> store =
      milestone::server::Store::Open(location, &error);
  if (!store) {
    std::cerr << "milestone_server: cannot open the database: " << error << "\n";
    return 1;
  }
  if (flags.integrity_check) {
    std::string report;
    bool ok = store->IntegrityCheck(&report);
    std::cout << report << std::endl;
    return ok ? 0 : 1;
  }

  std::shared_ptr<const milestone::Catalog> catalog;
  const std::string language = milestone::tools::ShellLanguage(flags.locale);
  if (const std::optional<std::string> file = milestone::tools::CatalogFile(language)) {
    const std::string& path = *file;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    milestone::IssueList issues;
    std::optional<milestone::Catalog> parsed = milestone::Catalog::FromJson(text.str(), &issues);
    if (!in || !parsed) {
      std::cerr << "milestone_server: cannot read the catalog " << path << "\n";
      return 2;
    }
    catalog = std::make_shared<const milestone::Catalog>(std::move(*parsed));
  }
  milestone::Policy policy;
  if (!LoadPolicy(flags.policy_file, catalog.get(), &policy)) return 2;
  const milestone::Engine engine(policy, catalog);
  const std::string today = flags.now.empty() ? milestone::server::UtcDate() : flags.now;
  if (!store->SeedIfEmpty(engine, today, &error)) {
    std::cerr << "milestone_server: cannot seed the database: " << error << "\n";
    return 1;
  }
  if (flags.seed_only) {
    std::cout << "Database ready: " << store->Describe() << std::endl;
    return 0;
  }

  milestone::server::HttpOptions options;
  options.web_dir = flags.web;
  options.dist_dir = flags.dist;
  options.now = flags.now;
  options.locale = language;
  milestone::server::HttpLimits limits;
  options.max_body_bytes = limits.max_body_bytes;
  // Every connection is a descriptor: make sure the connection limit, not
  // the process's descriptor limit, is what a crowd of clients meets.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // The timers' clock is the changesets' clock: --now, else today (UTC) at
  // each pass, so a server that runs past midnight sees the new day.
  auto clock = [fixed = flags.now] { return fixed.empty() ? milestone::server::UtcDate() : fixed; };
  std::mutex log_mu;
  auto log = [&log_mu](const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu);
    std::cout << line << std::endl;
  };
  milestone::server::TimerScheduler timers(store.get(), &engine, clock, flags.timer_interval, log);
  if (flags.timer_interval > 0) {
    // Before listening: a server that says it listens has applied what was
    // due at its start (the tests rely on it). A database that fails here is
    // only logged; the next pass tries again.
    timers.RunOnce();
    timers.Start();
  }

  milestone::server::App app(store.get(), &engine, options);
  milestone::server::HttpServer server(&app, limits);
  int port = server.Listen(flags.port, &error);
  if (port < 0) {
    std::cerr << "milestone_server: cannot listen on 127.0.0.1:" << flags.port << ": " << error
              << "\n";
    return 1;
  }
  log("milestone_server listening on http://127.0.0.1:" + std::to_string(port) + "/ (db " +
      store->Describe() + ")");

  // Returns once SIGINT or SIGTERM has stopped it and the running requests
  // are answered.
  bool ok = server.Run(&error);
  if (!ok) std::cerr << "milestone_server: " << error << "\n";
  timers.Stop();
  store.reset();  // closes every pooled connection; WAL checkpoints on last close
  std::cout << "milestone_server stopped" << std::endl;
  return ok ? 0 : 1;
}
