#include "http.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <system_error>
#include <vector>

#include "milestone/action.h"

namespace milestone::server {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr char kJson[] = "application/json; charset=utf-8";
// Far deeper than any changeset; keeps a hostile body from exhausting the
// stack of the recursive JSON writer.
constexpr int kMaxBodyDepth = 64;
constexpr size_t kMaxIdempotencyKey = 255;

void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, kJson);
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, const std::string& issues_json = {}) {
  SendJson(res, status, ErrorBody(code, message, issues_json));
}

void SendReply(httplib::Response& res, const Reply& reply) {
  if (!reply.etag.empty()) res.set_header("ETag", "\"" + reply.etag + "\"");
  if (reply.replayed) res.set_header("Idempotent-Replayed", "true");
  SendJson(res, reply.status, reply.body);
}

// The token of "Authorization: Bearer <token>", if the header has that form.
std::optional<std::string> BearerToken(const httplib::Request& req) {
  if (!req.has_header("Authorization")) return std::nullopt;
  std::string value = req.get_header_value("Authorization");
  const std::string scheme = "bearer ";
  if (value.size() <= scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return std::nullopt;
  }
  std::string token = value.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.erase(token.begin());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty()) return std::nullopt;
  return token;
}

// Answers 401 itself when the request carries no known token.
std::optional<TokenInfo> Authenticate(Store* store, const httplib::Request& req,
                                      httplib::Response& res) {
  std::optional<std::string> token = BearerToken(req);
  std::optional<TokenInfo> info;
  if (token) info = store->FindToken(*token);
  if (!info) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendError(res, 401, "UNAUTHORIZED",
              token ? "The bearer token is not known." : "Send Authorization: Bearer {token}.");
  }
  return info;
}

// Answers 403 itself when the token may not touch the contract. Unknown
// contracts answer alike, so ids cannot be probed.
bool Authorize(Store* store, const TokenInfo& token, const std::string& contract_id,
               httplib::Response& res) {
  if (store->MayTouch(token.token, contract_id)) return true;
  SendError(res, 403, "FORBIDDEN", "This token may not access contract " + contract_id + ".");
  return false;
}

// "\"12\"" or 12 -> 12; anything else (lists, *, weak tags) -> nullopt.
std::optional<int64_t> ParseIfMatch(std::string value) {
  while (!value.empty() && value.front() == ' ') value.erase(value.begin());
  while (!value.empty() && value.back() == ' ') value.pop_back();
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.size() > 15) return std::nullopt;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(value);
}

// Nesting depth of JSON text, ignoring brackets inside strings.
int JsonDepth(const std::string& text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxIdempotencyKey) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

void GetContract(Store* store, const httplib::Request& req, httplib::Response& res) {
  auto token = Authenticate(store, req, res);
  if (!token) return;
  const std::string id = req.matches[1];
  if (!Authorize(store, *token, id, res)) return;
  auto contract = store->GetContract(id);
  if (!contract) {
    SendError(res, 404, "NOT_FOUND", "There is no contract " + id + ".");
    return;
  }
  const std::string etag = "\"" + std::to_string(contract->version) + "\"";
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    res.set_header("Cache-Control", "no-store");
    return;
  }
  SendJson(res, 200, contract->document);
}

void PostChangeset(Store* store, const Engine* engine, const HttpOptions& options,
                   const httplib::Request& req, httplib::Response& res) {
  auto token = Authenticate(store, req, res);
  if (!token) return;
  const std::string id = req.matches[1];
  if (!Authorize(store, *token, id, res)) return;

  if (!req.has_header("If-Match")) {
    SendError(res, 428, "PRECONDITION_REQUIRED",
              "Send If-Match: \"{version}\" with the version the changeset was made against.");
    return;
  }
  std::optional<int64_t> if_match = ParseIfMatch(req.get_header_value("If-Match"));
  if (!if_match) {
    SendError(res, 400, "BAD_REQUEST", "If-Match must be one version in quotes, like \"4\".");
    return;
  }
  std::string key = req.get_header_value("Idempotency-Key");
  if (req.has_header("Idempotency-Key") && !ValidKey(key)) {
    SendError(res, 400, "BAD_REQUEST",
              "Idempotency-Key must be 1 to 255 printable ASCII characters.");
    return;
  }

  if (JsonDepth(req.body) > kMaxBodyDepth) {
    SendError(res, 400, "BAD_REQUEST", "The body nests too deeply.");
    return;
  }
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(res, 400, "BAD_REQUEST", "The body must be a JSON object {actor, actions}.");
    return;
  }
  auto actions = body.find("actions");
  if (actions == body.end() || !actions->is_array() || actions->empty()) {
    SendError(res, 400, "BAD_REQUEST", "The body's actions must be a non-empty array.");
    return;
  }
  auto contract_id = body.find("contractId");
  if (contract_id != body.end() && !(contract_id->is_string() && *contract_id == id)) {
    SendError(res, 400, "BAD_REQUEST", "The body's contractId is not the contract posted to.");
    return;
  }
  auto actor = body.find("actor");
  if (actor != body.end()) {
    if (!actor->is_string()) {
      SendError(res, 400, "BAD_REQUEST", "The body's actor must be \"client\" or \"freelancer\".");
      return;
    }
    if (*actor != token->role) {
      SendError(res, 403, "ACTOR_MISMATCH",
                "This token acts as the " + token->role + ", not as the " +
                    actor->get<std::string>() + ".");
      return;
    }
  }

  ChangesetRequest request;
  request.actions_json = actions->dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  std::vector<Action> parsed;
  IssueList issues;
  if (!ParseActions(request.actions_json, &parsed, &issues)) {
    SendError(res, 400, "BAD_REQUEST", "The actions cannot be read.", IssuesToJson(issues));
    return;
  }
  request.token = *token;
  request.contract_id = id;
  request.if_match = *if_match;
  request.idempotency_key = key;
  // Key order and spacing do not make a different changeset.
  request.fingerprint =
      id + "\n" + body.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  request.now = options.now.empty() ? UtcDate() : options.now;
  SendReply(res, store->PostChangeset(request, *engine));
}

void GetHistory(Store* store, const httplib::Request& req, httplib::Response& res) {
  auto token = Authenticate(store, req, res);
  if (!token) return;
  const std::string id = req.matches[1];
  if (!Authorize(store, *token, id, res)) return;
  auto history = store->History(id);
  if (!history) {
    SendError(res, 503, "UNAVAILABLE", "The history could not be read.");
    return;
  }
  SendJson(res, 200, *history);
}

void GetNotifications(Store* store, const httplib::Request& req, httplib::Response& res) {
  auto token = Authenticate(store, req, res);
  if (!token) return;
  SendJson(res, 200, store->Notifications(*token));
}

// Resolves a request path under `root`, refusing anything that would leave it
// (".." segments, symlinks out, hidden files). nullopt: refused.
std::optional<fs::path> Resolve(const std::string& root, const std::string& relative) {
  fs::path path;
  std::stringstream segments(relative);
  std::string segment;
  while (std::getline(segments, segment, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment[0] == '.' || segment.find('\\') != std::string::npos ||
        segment.find('\0') != std::string::npos) {
      return std::nullopt;
    }
    path /= segment;
  }
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  fs::path full = fs::weakly_canonical(base / path, ec);
  if (ec) return std::nullopt;
  const std::string base_text = base.string();
  const std::string full_text = full.string();
  if (full_text != base_text && full_text.rfind(base_text + "/", 0) != 0) return std::nullopt;
  return full;
}

void ServeStatic(const HttpOptions& options, const httplib::Request& req, httplib::Response& res) {
  const std::string& path = req.path;
  if (path == "/api" || path.rfind("/api/", 0) == 0) {
    SendError(res, 404, "NOT_FOUND", "There is no such API endpoint.");
    return;
  }
  std::string root = options.web_dir;
  std::string relative = path;
  if (path == "/dist" || path.rfind("/dist/", 0) == 0) {
    root = options.dist_dir;
    relative = path.substr(5);
  }
  std::optional<fs::path> file = Resolve(root, relative);
  if (!file) {
    res.status = 404;
    res.set_content("Not found.\n", "text/plain; charset=utf-8");
    return;
  }
  std::error_code ec;
  if (fs::is_directory(*file, ec)) *file /= "index.html";
  std::ifstream in(*file, std::ios::binary);
  if (!fs::is_regular_file(*file, ec) || !in) {
    res.status = 404;
    res.set_content("Not found.\n", "text/plain; charset=utf-8");
    return;
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Revalidate every time: the page's service worker owns offline caching.
  res.set_header("Cache-Control", "no-cache");
  res.set_content(data, MimeType(file->string()).c_str());
}

}  // namespace

std::string MimeType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".ts", "text/plain; charset=utf-8"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
  };
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [suffix, type] : kTypes) {
    if (ext == suffix) return type;
  }
  return "application/octet-stream";
}

void InstallRoutes(httplib::Server* server, Store* store, const Engine* engine,
                   const HttpOptions& options) {
  server->set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  });
  server->set_payload_max_length(kMaxBodyBytes);

  server->Get(R"(/api/contracts/([^/]+))",
              [store](const httplib::Request& req, httplib::Response& res) {
                GetContract(store, req, res);
              });
  server->Post(R"(/api/contracts/([^/]+)/changesets)",
               [store, engine, options](const httplib::Request& req, httplib::Response& res) {
                 PostChangeset(store, engine, options, req, res);
               });
  server->Get(R"(/api/contracts/([^/]+)/history)",
              [store](const httplib::Request& req, httplib::Response& res) {
                GetHistory(store, req, res);
              });
  server->Get("/api/notifications", [store](const httplib::Request& req, httplib::Response& res) {
    GetNotifications(store, req, res);
  });
  server->Get(R"(/.*)", [options](const httplib::Request& req, httplib::Response& res) {
    ServeStatic(options, req, res);
  });

  // Any other method: 405 on a resource that exists, 404 elsewhere (httplib
  // would answer 400 for bodies it has no handler for).
  auto other_method = [](const httplib::Request& req, httplib::Response& res) {
    static const std::regex kApiGet(R"(/api/contracts/[^/]+(/history)?|/api/notifications)");
    static const std::regex kApiPost(R"(/api/contracts/[^/]+/changesets)");
    const bool api = req.path == "/api" || req.path.rfind("/api/", 0) == 0;
    if (std::regex_match(req.path, kApiPost)) {
      res.set_header("Allow", "POST");
    } else if (!api || std::regex_match(req.path, kApiGet)) {
      res.set_header("Allow", "GET, HEAD");
    } else {
      SendError(res, 404, "NOT_FOUND", "There is no such API endpoint.");
      return;
    }
    SendError(res, 405, "METHOD_NOT_ALLOWED", "This method is not allowed here.");
  };
  server->Post(R"(/.*)", other_method);
  server->Put(R"(/.*)", other_method);
  server->Patch(R"(/.*)", other_method);
  server->Delete(R"(/.*)", other_method);
  server->Options(R"(/.*)", other_method);

  // httplib's own refusals (413, 404 for other methods, 400) come without a
  // body; give them the API's error shape. Bodies already written stay.
  server->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        switch (res.status) {
          case 413:
            SendError(res, 413, "PAYLOAD_TOO_LARGE", "The body is larger than 1 MiB.");
            break;
          case 404:
            SendError(res, 404, "NOT_FOUND", "There is nothing here.");
            break;
          case 405:
            SendError(res, 405, "METHOD_NOT_ALLOWED", "This method is not allowed here.");
            break;
          default:
            SendError(res, res.status, "BAD_REQUEST", "The request could not be read.");
            break;
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SendError(res, 500, "INTERNAL", "The server failed to answer this request.");
      });
}

}  // namespace milestone::server
