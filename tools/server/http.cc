#include "http.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "milestone/action.h"
#include "milestone/codes.h"
#include "milestone/json_api.h"
#include "milestone/session.h"
#include "milestone/version.h"

namespace milestone::server {
namespace {

namespace fs = std::filesystem;

constexpr char kJson[] = "application/json; charset=utf-8";
constexpr char kViewCacheControl[] = "private, no-cache";
constexpr size_t kMaxIdempotencyKey = 255;
constexpr char kCsp[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'";

// The server's own codes, for what HTTP decides before the engine is asked
// (docs/server.md lists them); like the engine's, they are in the one
// catalogue, milestone/codes.h.
namespace http_codes {
using milestone::codes::kActorMismatch;
using milestone::codes::kBadRequest;
using milestone::codes::kBodyTooLarge;
using milestone::codes::kForbidden;
using milestone::codes::kMethodNotAllowed;
using milestone::codes::kNotFound;
using milestone::codes::kPreconditionRequired;
using milestone::codes::kStaleVersion;
using milestone::codes::kUnauthorized;
using milestone::codes::kUnavailable;
using milestone::codes::kUnsupportedMediaType;
}  // namespace http_codes

void Secure(HttpResponse* r) {
  r->Set("Content-Security-Policy", kCsp);
  r->Set("X-Content-Type-Options", "nosniff");
  r->Set("Referrer-Policy", "no-referrer");
}

// API answers are not kept by caches ("no-store"), but for a contract's view.
HttpResponse Json(int status, std::string body, const char* cache_control = "no-store") {
  HttpResponse r;
  r.status = status;
  r.Set("Content-Type", kJson);
  r.Set("Cache-Control", cache_control);
  Secure(&r);
  r.body = std::move(body);
  return r;
}

HttpResponse Refuse(int status, const std::string& code, const std::string& message,
                    const std::string& path = {}) {
  return Json(status, ErrorEnvelope(OneIssue(code, message, path)));
}

HttpResponse Unavailable() {
  HttpResponse r =
      Refuse(503, http_codes::kUnavailable, "The database cannot answer now; try again shortly.");
  r.Set("Retry-After", std::to_string(kRetryAfterSeconds));
  return r;
}

HttpResponse FromReply(const Reply& reply) {
  HttpResponse r = Json(reply.status, reply.body);
  if (!reply.etag.empty()) r.Set("ETag", "\"" + reply.etag + "\"");
  if (reply.replayed) r.Set("Idempotent-Replayed", "true");
  if (reply.status == 503) r.Set("Retry-After", std::to_string(kRetryAfterSeconds));
  return r;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// "%2e%2E" -> ".."; nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

// The token of "Authorization: Bearer <token>", if the header has that form.
// Control bytes never get here: the HTTP layer refuses them in any header.
std::optional<std::string> BearerToken(const HttpRequest& req) {
  const std::string* header = req.Header("authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  if (value.size() <= 7 || Lower(value.substr(0, 7)) != "bearer ") return std::nullopt;
  std::string_view token = Trim(value.substr(7));
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return std::string(token);
}

// 401 when the request carries no known token.
std::optional<HttpResponse> Authenticate(Store* store, const HttpRequest& req, TokenInfo* out) {
  std::optional<std::string> token = BearerToken(req);
  std::optional<TokenInfo> info;
  if (token) info = store->FindToken(*token);
  if (info) {
    *out = *info;
    return std::nullopt;
  }
  HttpResponse r =
      Refuse(401, http_codes::kUnauthorized,
             token ? "The bearer token is not known." : "Send Authorization: Bearer {token}.");
  r.Set("WWW-Authenticate", "Bearer");
  return r;
}

// 403 when the token may not touch the contract. Unknown contracts answer
// alike, so ids cannot be probed.
std::optional<HttpResponse> Authorize(Store* store, const TokenInfo& token,
                                      const std::string& contract_id) {
  if (store->MayTouch(token.token, contract_id)) return std::nullopt;
  return Refuse(403, http_codes::kForbidden,
                "This token may not access contract " + contract_id + ".");
}

std::optional<HttpResponse> AuthenticateAndAuthorize(Store* store, const HttpRequest& req,
                                                     const std::string& id, TokenInfo* token) {
  if (auto refused = Authenticate(store, req, token)) return refused;
  return Authorize(store, *token, id);
}

// "4" but not "04", "+4" or "4.0": the ETag the server sends for version 4.
std::optional<int64_t> CanonicalVersion(const std::string& opaque) {
  if (opaque.empty() || opaque.size() > 15 || (opaque.size() > 1 && opaque[0] == '0')) {
    return std::nullopt;
  }
  for (char c : opaque) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(opaque);
}

// What If-Match asks for (RFC 9110 §13.1.1, strong comparison).
struct IfMatch {
  bool any = false;     // "*": whatever the current version is
  bool never = false;   // a well-formed tag no version has ("01", W/"1", "x")
  int64_t version = 0;  // otherwise: exactly this one
};

std::optional<IfMatch> ParseIfMatch(std::string_view value) {
  value = Trim(value);
  IfMatch out;
  if (value == "*") {
    out.any = true;
    return out;
  }
  std::optional<EntityTag> tag = ReadEntityTag(&value);
  if (!tag || !Trim(value).empty()) return std::nullopt;
  std::optional<int64_t> version = tag->weak ? std::nullopt : CanonicalVersion(tag->opaque);
  if (version) {
    out.version = *version;
  } else {
    out.never = true;  // a weak tag never matches strongly
  }
  return out;
}

// If-None-Match (RFC 9110 §13.1.2, weak comparison): true when it names the
// entity tag `want` (without quotes). A malformed field is ignored, as the
// RFC allows.
bool NoneMatchHits(std::string_view value, const std::string& want) {
  value = Trim(value);
  if (value == "*") return true;
  while (!value.empty()) {
    std::optional<EntityTag> tag = ReadEntityTag(&value);
    if (!tag) return false;
    if (tag->opaque == want) return true;
    value = Trim(value);
    if (value.empty()) break;
    if (value.front() != ',') return false;
    value.remove_prefix(1);
    value = Trim(value);
  }
  return false;
}

// FNV-1a, 64 bits: a stable digest for an entity tag, the same in every
// process of one build (not a defence against anything).
uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// The entity tag of a contract's view: the version, then a digest of the rest
// of what the view is made from (the actor, the day, the language, the
// policy and the engine's version), so a kept copy is reused exactly while
// none of them changed.
std::string ViewTag(int64_t version, std::string_view actor, std::string_view now,
                    std::string_view locale, std::string_view policy_json) {
  std::string basis;
  basis.append(actor).append("\n").append(now).append("\n").append(locale).append("\n");
  basis.append(policy_json).append("\n").append(MILESTONE_VERSION);
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(Fnv1a(basis)));
  return std::to_string(version) + "-" + digest;
}

// Whether Accept-Encoding (RFC 9110 §12.5.3) takes gzip: `gzip`, `x-gzip`
// or `*`, with a q above 0. A field that cannot be read takes none.
bool AcceptsGzip(const HttpRequest& request) {
  const std::string* header = request.Header("accept-encoding");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string name = Lower(Trim(item.substr(0, semi)));
    if (name != "gzip" && name != "x-gzip" && name != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = Trim(item.substr(semi + 1));
    if (param.size() < 2 || Lower(param.substr(0, 2)) != "q=") return true;
    std::string_view q = Trim(param.substr(2));
    // "0", "0.", "0.0", "0.000": refused; anything else is a q above 0.
    bool zero = !q.empty() && q[0] == '0';
    for (size_t i = 1; zero && i < q.size(); ++i) zero = q[i] == '.' || q[i] == '0';
    return !zero;
  }
  return false;
}

// `text` as a gzip member (zlib's fastest level: the point is the bytes on
// the wire, not the last percent), or nullopt when zlib fails.
std::optional<std::string> Gzip(std::string_view text) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

// Answers with a gzip body when the client takes one and the body is large
// enough to be worth it (a contract's view of 1,000 milestones: 3.6 MB of
// JSON, 140 KB gzipped). Vary tells caches the answer depends on it.
constexpr size_t kGzipFrom = 16 * 1024;
void CompressFor(const HttpRequest& request, HttpResponse* response) {
  response->Set("Vary", "Accept-Encoding");
  if (response->body.size() < kGzipFrom || response->body.size() > UINT32_MAX ||
      !AcceptsGzip(request)) {
    return;
  }
  if (std::optional<std::string> gzipped = Gzip(response->body)) {
    response->body = std::move(*gzipped);
    response->Set("Content-Encoding", "gzip");
  }
}

// application/json, with at most a charset of utf-8 among its parameters.
bool IsJsonMediaType(const std::string* value) {
  if (!value) return false;
  std::string_view rest = *value;
  size_t semi = rest.find(';');
  if (Lower(Trim(rest.substr(0, semi))) != "application/json") return false;
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(param.substr(0, eq))) != "charset") continue;
    std::string charset = Lower(Trim(param.substr(eq + 1)));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (charset != "utf-8") return false;
  }
  return true;
}

bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxIdempotencyKey) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

// ---- the changeset body ----------------------------------------------------
//
// The engine reads the body: its JSON reader decides whether the text is JSON
// at all (duplicate keys, depth, size, numbers, strings byte for byte), and
// its readers read `actions` (ParseActions) and `actor` (ParseSessionOptions).
// What is left here is locating the top-level members in text the engine has
// already accepted, so nothing below has to judge JSON.

size_t SkipWhiteSpace(std::string_view t, size_t i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  return i;
}

// The end of the string starting at t[i] == '"'.
size_t SkipString(std::string_view t, size_t i) {
  for (++i; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++i;
    } else if (t[i] == '"') {
      return i + 1;
    }
  }
  return t.size();
}

// The end of the value starting at t[i].
size_t SkipValue(std::string_view t, size_t i) {
  if (i >= t.size()) return i;
  if (t[i] == '"') return SkipString(t, i);
  if (t[i] == '{' || t[i] == '[') {
    int depth = 0;
    while (i < t.size()) {
      char c = t[i];
      if (c == '"') {
        i = SkipString(t, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return i;
  }
  while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' &&
         t[i] != '\n' && t[i] != '\r') {
    ++i;
  }
  return i;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {  // lone surrogates too, as the engine keeps them
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// The text of a JSON string literal the engine accepted (quotes included).
std::string StringValue(std::string_view literal) {
  std::string out;
  auto hex4 = [&](size_t at) {
    return static_cast<uint32_t>(std::stoul(std::string(literal.substr(at, 4)), nullptr, 16));
  };
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    char c = literal[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    char e = literal[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp = hex4(i + 1);
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < literal.size() && literal[i + 1] == '\\' &&
            literal[i + 2] == 'u') {
          uint32_t low = hex4(i + 3);
          if (low >= 0xdc00 && low < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
          }
        }
        AppendUtf8(cp, &out);
        break;
      }
      default:
        out.push_back(e);
        break;  // \" \\ \/
    }
  }
  return out;
}

struct Member {
  std::string key;
  std::string_view value;  // its JSON text
};

// The top-level members of an object, or nullopt when the text is not one.
std::optional<std::vector<Member>> TopLevelMembers(std::string_view t) {
  size_t i = SkipWhiteSpace(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  std::vector<Member> members;
  i = SkipWhiteSpace(t, i + 1);
  if (i < t.size() && t[i] == '}') return members;
  while (i < t.size()) {
    size_t key_end = SkipString(t, i);
    std::string key = StringValue(t.substr(i, key_end - i));
    i = SkipWhiteSpace(t, key_end) + 1;  // past ':'
    i = SkipWhiteSpace(t, i);
    size_t value_end = SkipValue(t, i);
    members.push_back({std::move(key), t.substr(i, value_end - i)});
    i = SkipWhiteSpace(t, value_end);
    if (i >= t.size() || t[i] == '}') break;
    i = SkipWhiteSpace(t, i + 1);  // past ','
  }
  return members;
}

bool HasCode(const IssueList& issues, const char* code) {
  return std::any_of(issues.begin(), issues.end(),
                     [code](const Issue& issue) { return issue.code == code; });
}

IssueList Reroot(IssueList issues, const std::string& from, const std::string& to) {
  for (Issue& issue : issues) {
    if (issue.path.rfind(from, 0) == 0) issue.path = to + issue.path.substr(from.size());
  }
  return issues;
}

struct ReadChangeset {
  std::vector<Action> actions;
  std::optional<Actor> actor;
};

// The engine's reading of the body; a response when it refuses it.
std::optional<HttpResponse> ReadBody(const std::string& text, const std::string& contract_id,
                                     ReadChangeset* out) {
  // Whether the text is JSON at all is the engine's call. ParseActions reads
  // the JSON first and, only when that fails, answers with no action at all.
  {
    std::vector<Action> probe;
    IssueList issues;
    if (!ParseActions(text, &probe, &issues) &&
        (probe.empty() || HasCode(issues, codes::kInvalidJson))) {
      if (!HasCode(issues, codes::kInvalidJson)) {
        issues.insert(issues.begin(), OneIssue(codes::kInvalidJson, "The body is not JSON.")[0]);
      }
      return Json(400, ErrorEnvelope(issues));
    }
  }
  std::optional<std::vector<Member>> members = TopLevelMembers(text);
  if (!members) {
    return Refuse(400, codes::kSchema, "The body must be a JSON object {actor?, actions}.");
  }
  std::string_view actions, actor, contract;
  bool has_actions = false, has_actor = false, has_contract = false;
  for (const Member& m : *members) {
    if (m.key == "actions") {
      actions = m.value;
      has_actions = true;
    } else if (m.key == "actor") {
      actor = m.value;
      has_actor = true;
    } else if (m.key == "contractId") {
      contract = m.value;
      has_contract = true;
    }
  }
  if (!has_actions || actions.empty() || actions.front() != '[') {
    return Refuse(400, codes::kSchema, "The body's actions must be a non-empty array.", "/actions");
  }
  IssueList issues;
  if (!ParseActions(actions, &out->actions, &issues)) {
    return Json(400, ErrorEnvelope(Reroot(issues, "", "/actions")));
  }
  if (out->actions.empty()) {
    return Refuse(400, codes::kSchema, "The body's actions must be a non-empty array.", "/actions");
  }
  if (has_contract &&
      (contract.empty() || contract.front() != '"' || StringValue(contract) != contract_id)) {
    return Refuse(400, http_codes::kBadRequest,
                  "The body's contractId is not the contract posted to.", "/contractId");
  }
  if (has_actor) {
    ActOptions options;
    IssueList actor_issues;
    if (!ParseSessionOptions("{\"actor\":" + std::string(actor) + "}", &options, &actor_issues)) {
      return Json(400, ErrorEnvelope(Reroot(actor_issues, "/options", "")));
    }
    out->actor = options.actor;
  }
  return std::nullopt;
}

// What PostHead found, for PostBody.
struct PostContext {
  TokenInfo token;
  std::string contract_id;
  IfMatch if_match;
  std::string key;
};

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

HttpResponse NotFoundText() {
  HttpResponse r;
  r.status = 404;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  Secure(&r);
  r.body = "Not found.\n";
  return r;
}

HttpResponse NotAllowed(const char* allow) {
  HttpResponse r =
      Refuse(405, http_codes::kMethodNotAllowed, std::string("Use ") + allow + " here.");
  r.Set("Allow", allow);
  return r;
}

enum class Route {
  kContract,
  kContractView,
  kHistory,
  kChangesets,
  kNotifications,
  kPolicy,
  kApiUnknown,
  kStatic
};

Route Match(const std::string& path, std::string* id) {
  if (path != "/api" && path.rfind("/api/", 0) != 0) return Route::kStatic;
  if (path == "/api/notifications") return Route::kNotifications;
  if (path == "/api/policy") return Route::kPolicy;
  const std::string prefix = "/api/contracts/";
  if (path.rfind(prefix, 0) != 0) return Route::kApiUnknown;
  std::string rest = path.substr(prefix.size());
  size_t slash = rest.find('/');
  *id = rest.substr(0, slash);
  if (id->empty()) return Route::kApiUnknown;
  if (slash == std::string::npos) return Route::kContract;
  std::string tail = rest.substr(slash);
  if (tail == "/history") return Route::kHistory;
  if (tail == "/view") return Route::kContractView;
  if (tail == "/changesets") return Route::kChangesets;
  return Route::kApiUnknown;
}

}  // namespace

std::string ErrorEnvelope(const IssueList& issues, const std::string& extra) {
  std::string out = "{\"ok\":false,\"issues\":" + IssuesToJson(issues);
  if (!extra.empty()) out += "," + extra;
  out += "}";
  return out;
}

IssueList OneIssue(const std::string& code, const std::string& message, const std::string& path,
                   const std::string& hint) {
  Issue issue;
  issue.code = code;
  issue.severity = Severity::kError;
  issue.path = path;
  issue.message = message;
  issue.hint = hint;
  return {issue};
}

std::optional<EntityTag> ReadEntityTag(std::string_view* text) {
  std::string_view t = *text;
  EntityTag tag;
  if (t.size() >= 2 && t[0] == 'W' && t[1] == '/') {
    tag.weak = true;
    t.remove_prefix(2);
  }
  if (t.empty() || t[0] != '"') return std::nullopt;
  size_t i = 1;
  // etagc = %x21 / %x23-7E / obs-text
  while (i < t.size() && t[i] != '"') {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c < 0x21 || c == 0x7f) return std::nullopt;
    ++i;
  }
  if (i >= t.size()) return std::nullopt;
  tag.opaque = std::string(t.substr(1, i - 1));
  t.remove_prefix(i + 1);
  *text = t;
  return tag;
}

std::optional<HttpResponse> App::OnHead(HttpRequest& request) {
  std::optional<std::string> path = PercentDecode(request.path);
  if (!path) return Refuse(400, http_codes::kBadRequest, "The path has a malformed % escape.");
  std::string id;
  const Route route = Match(*path, &id);
  const bool get = request.method == "GET" || request.method == "HEAD";
  try {
    switch (route) {
      case Route::kApiUnknown:
        return Refuse(404, http_codes::kNotFound, "There is no such API endpoint.");
      case Route::kStatic:
        if (!get) return NotAllowed("GET, HEAD");
        return ServeStatic(*path);
      case Route::kContract:
        if (!get) return NotAllowed("GET, HEAD");
        return GetContract(request, id);
      case Route::kContractView:
        if (!get) return NotAllowed("GET, HEAD");
        return GetContractView(request, id);
      case Route::kHistory:
        if (!get) return NotAllowed("GET, HEAD");
        return GetHistory(request, id);
      case Route::kPolicy:
        if (!get) return NotAllowed("GET, HEAD");
        return GetPolicy(request);
      case Route::kNotifications:
        if (!get) return NotAllowed("GET, HEAD");
        return GetNotifications(request);
      case Route::kChangesets:
        if (request.method != "POST") return NotAllowed("POST");
        return PostHead(request, id);
    }
  } catch (const StoreUnavailable&) {
    return Unavailable();
  }
  return Refuse(404, http_codes::kNotFound, "There is nothing here.");
}

HttpResponse App::OnBody(HttpRequest& request) {
  try {
    return PostBody(request);
  } catch (const StoreUnavailable&) {
    return Unavailable();
  }
}

HttpResponse App::OnError(const HttpError& error) {
  HttpResponse r = Refuse(error.status, error.code, error.message);
  if (error.status == 503) r.Set("Retry-After", "1");
  return r;
}

HttpResponse App::GetContract(const HttpRequest& request, const std::string& id) {
  TokenInfo token;
  if (auto refused = AuthenticateAndAuthorize(store_, request, id, &token)) return *refused;
  std::optional<StoredContract> contract = store_->GetContract(id);
  if (!contract) return Refuse(404, http_codes::kNotFound, "There is no contract " + id + ".");
  const std::string etag = "\"" + std::to_string(contract->version) + "\"";
  if (const std::string* none_match = request.Header("if-none-match");
      none_match && NoneMatchHits(*none_match, std::to_string(contract->version))) {
    HttpResponse r;
    r.status = 304;
    r.Set("ETag", etag);
    r.Set("Cache-Control", "no-store");
    Secure(&r);
    return r;
  }
  HttpResponse r = Json(200, std::move(contract->document));
  r.Set("ETag", etag);
  return r;
}

// The contract with the engine's view of it for the token's actor, the policy
// both were judged under and the language of the view's sentences: a page
// draws from the view at once (describing a thousand milestones is the
// costliest step of opening it in wasm) and creates its own engine with the
// same policy (docs/server.md). Its ETag names all of that (ViewTag), so a
// browser that kept the answer gets a 304 and nothing is described: it may
// keep it (private: one user's), and asks again every time (no-cache).
HttpResponse App::GetContractView(const HttpRequest& request, const std::string& id) {
  TokenInfo token;
  if (auto refused = AuthenticateAndAuthorize(store_, request, id, &token)) return *refused;
  Actor actor = Actor::kClient;
  if (!ParseActor(token.role, &actor)) {  // a token row the server did not write
    return Refuse(500, codes::kInternal, "This token's role is not one the engine knows.");
  }
  std::optional<StoredContract> contract = store_->GetContract(id);
  if (!contract) return Refuse(404, http_codes::kNotFound, "There is no contract " + id + ".");
  const std::string now = options_.now.empty() ? UtcDate() : options_.now;
  const std::string etag =
      "\"" + ViewTag(contract->version, ActorName(actor), now, options_.locale, policy_json_) +
      "\"";
  if (const std::string* none_match = request.Header("if-none-match");
      none_match && NoneMatchHits(*none_match, etag.substr(1, etag.size() - 2))) {
    HttpResponse r;
    r.status = 304;
    r.Set("ETag", etag);
    r.Set("Cache-Control", kViewCacheControl);
    Secure(&r);
    return r;
  }
  // The actor is one of the engine's names and the date is YYYY-MM-DD: no
  // character here needs escaping.
  const std::string view = json_api::Describe(
      *engine_, contract->document,
      std::string("{\"actor\":\"") + ActorName(actor) + "\",\"now\":\"" + now + "\"}");
  std::string body;
  body.reserve(contract->document.size() + view.size() + policy_json_.size() + 64);
  body += "{\"contract\":";
  body += contract->document;
  body += ",\"policy\":";
  body += policy_json_;
  body += ",\"locale\":\"" + options_.locale + "\",\"view\":";
  body += view;
  body += "}";
  HttpResponse r = Json(200, std::move(body), kViewCacheControl);
  r.Set("ETag", etag);
  CompressFor(request, &r);
  return r;
}

// The policy every changeset and timer of this server is checked under,
// normalised (every key, the currencies as a table), as createEngine({
// policy }) takes it.
HttpResponse App::GetPolicy(const HttpRequest& request) {
  TokenInfo token;
  if (auto refused = Authenticate(store_, request, &token)) return *refused;
  return Json(200, policy_json_);
}

HttpResponse App::GetHistory(const HttpRequest& request, const std::string& id) {
  TokenInfo token;
  if (auto refused = AuthenticateAndAuthorize(store_, request, id, &token)) return *refused;
  std::optional<std::string> history = store_->History(id);
  if (!history) return Unavailable();
  return Json(200, std::move(*history));
}

HttpResponse App::GetNotifications(const HttpRequest& request) {
  TokenInfo token;
  if (auto refused = Authenticate(store_, request, &token)) return *refused;
  return Json(200, store_->Notifications(token));
}

// Everything that can be decided from the head, in the documented order:
// 401, 403, 413, 415, 428, 400. Only then is the body read.
std::optional<HttpResponse> App::PostHead(HttpRequest& request, const std::string& id) {
  PostContext context;
  context.contract_id = id;
  if (auto refused = AuthenticateAndAuthorize(store_, request, id, &context.token)) {
    return refused;
  }
  if (request.content_length && *request.content_length > options_.max_body_bytes) {
    return Refuse(
        413, http_codes::kBodyTooLarge,
        "The body is larger than " + std::to_string(options_.max_body_bytes) + " bytes (1 MiB).");
  }
  if (!IsJsonMediaType(request.Header("content-type"))) {
    return Refuse(415, http_codes::kUnsupportedMediaType,
                  "Send the changeset as Content-Type: application/json.");
  }
  const std::string* if_match = request.Header("if-match");
  if (!if_match) {
    return Refuse(428, http_codes::kPreconditionRequired,
                  "Send If-Match: \"{version}\" with the version the changeset was made against.");
  }
  std::optional<IfMatch> match = ParseIfMatch(*if_match);
  if (!match) {
    return Refuse(400, http_codes::kBadRequest,
                  "If-Match must be one entity tag, like \"4\", or *.");
  }
  context.if_match = *match;
  if (const std::string* key = request.Header("idempotency-key")) {
    if (!ValidKey(*key)) {
      return Refuse(400, http_codes::kBadRequest,
                    "Idempotency-Key must be 1 to 255 printable ASCII characters.");
    }
    context.key = *key;
  }
  if (!request.has_body) {
    return Refuse(400, http_codes::kBadRequest,
                  "A changeset needs a body {actor?, actions} (Content-Length or chunked).");
  }
  request.context = std::move(context);
  return std::nullopt;
}

HttpResponse App::PostBody(HttpRequest& request) {
  const PostContext* context = std::any_cast<PostContext>(&request.context);
  if (!context) {  // a body without a head stage that expects one: a bug here
    return Refuse(500, codes::kInternal, "The server failed to answer this request.");
  }
  ReadChangeset read;
  if (auto refused = ReadBody(request.body, context->contract_id, &read)) return *refused;
  const std::string role = context->token.role;
  if (read.actor && ActorName(*read.actor) != role) {
    return Refuse(403, http_codes::kActorMismatch,
                  "This token acts as the " + role + ", not as the " + ActorName(*read.actor) + ".",
                  "/actor");
  }
  if (context->if_match.never) {
    // No version has this tag: stale whatever happens meanwhile.
    std::optional<StoredContract> current = store_->GetContract(context->contract_id);
    if (!current) {
      return Refuse(404, http_codes::kNotFound,
                    "There is no contract " + context->contract_id + ".");
    }
    HttpResponse r = Json(
        412,
        ErrorEnvelope(OneIssue(http_codes::kStaleVersion,
                               "If-Match names no version of this contract; it is at version " +
                                   std::to_string(current->version) + ".",
                               "",
                               "Send If-Match: \"" + std::to_string(current->version) +
                                   "\" after reviewing the current contract."),
                      "\"contract\":" + current->document));
    r.Set("ETag", "\"" + std::to_string(current->version) + "\"");
    return r;
  }

  ChangesetRequest changeset;
  changeset.token = context->token;
  changeset.contract_id = context->contract_id;
  changeset.if_match = context->if_match.version;
  changeset.if_match_any = context->if_match.any;
  changeset.idempotency_key = context->key;
  changeset.actions = read.actions;
  changeset.actions_json = ActionsToJson(read.actions);
  // The same changeset is the same actions on the same contract, however
  // its text was spaced or ordered (the engine writes them canonically).
  changeset.fingerprint = context->contract_id + "\n" + changeset.actions_json;
  changeset.now = options_.now.empty() ? UtcDate() : options_.now;
  return FromReply(store_->PostChangeset(changeset, *engine_));
}

HttpResponse App::ServeStatic(const std::string& path) {
  std::string root = options_.web_dir;
  std::string relative = path;
  if (path == "/dist" || path.rfind("/dist/", 0) == 0) {
    root = options_.dist_dir;
    relative = path.substr(5);
  }
  std::optional<fs::path> file = Resolve(root, relative);
  if (!file) return NotFoundText();
  std::error_code ec;
  if (fs::is_directory(*file, ec)) *file /= "index.html";
  std::ifstream in(*file, std::ios::binary);
  if (!fs::is_regular_file(*file, ec) || !in) return NotFoundText();
  HttpResponse r;
  r.status = 200;
  r.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  r.Set("Content-Type", MimeType(file->string()));
  // Revalidate every time: the page's service worker owns offline caching.
  r.Set("Cache-Control", "no-cache");
  Secure(&r);
  return r;
}

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

}  // namespace milestone::server
