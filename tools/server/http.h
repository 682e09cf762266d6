#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http_server.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/policy.h"
#include "store.h"

namespace milestone::server {

struct HttpOptions {
  std::string web_dir = "web";    // served at /
  std::string dist_dir = "dist";  // served at /dist/
  std::string now;                // fixed engine clock; empty: today's UTC date
  std::string locale = "en";      // the shipped language the engine writes in
  size_t max_body_bytes = 1 << 20;
};

// The JSON API of SPEC §6 and the static files, with the security headers
// every response carries. `store` and `engine` must outlive it. Thread-safe:
// the server's workers call it at the same time.
class App : public HttpHandler {
 public:
  App(Store* store, const Engine* engine, HttpOptions options)
      : store_(store),
        engine_(engine),
        options_(std::move(options)),
        policy_json_(PolicyToJson(engine->policy())) {}

  std::optional<HttpResponse> OnHead(HttpRequest& request) override;
  HttpResponse OnBody(HttpRequest& request) override;
  HttpResponse OnError(const HttpError& error) override;

 private:
  HttpResponse GetContract(const HttpRequest& request, const std::string& id);
  HttpResponse GetContractView(const HttpRequest& request, const std::string& id);
  HttpResponse GetPolicy(const HttpRequest& request);
  HttpResponse GetHistory(const HttpRequest& request, const std::string& id);
  HttpResponse GetNotifications(const HttpRequest& request);
  std::optional<HttpResponse> PostHead(HttpRequest& request, const std::string& id);
  HttpResponse PostBody(HttpRequest& request);
  HttpResponse ServeStatic(const std::string& path);

  Store* store_;
  const Engine* engine_;
  HttpOptions options_;
  const std::string policy_json_;  // the engine's policy, normalised; it never changes
};

// The one error envelope: {"ok": false, "issues": [...]} plus `extra`
// members ("\"contract\":{...}"), composed as text.
std::string ErrorEnvelope(const IssueList& issues, const std::string& extra = {});
// One error issue at `path` (empty: the request as a whole).
IssueList OneIssue(const std::string& code, const std::string& message,
                   const std::string& path = {}, const std::string& hint = {});

// "text/javascript; charset=utf-8" for "app.mjs"; application/octet-stream
// when the extension is not known.
std::string MimeType(const std::string& path);

// RFC 9110 §8.8.3: one entity tag, `W/"x"` or `"x"`, from the front of
// `text`; advances past it. nullopt when it is not one.
struct EntityTag {
  bool weak = false;
  std::string opaque;  // without quotes
};
std::optional<EntityTag> ReadEntityTag(std::string_view* text);

}  // namespace milestone::server
