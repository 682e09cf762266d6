#pragma once

#include <string>

#include "milestone/engine.h"
#include "store.h"

namespace httplib {
class Server;
}

namespace milestone::server {

// Bodies above this are refused with 413 before anything reads them.
inline constexpr size_t kMaxBodyBytes = 1 << 20;

struct HttpOptions {
  std::string web_dir = "web";    // served at /
  std::string dist_dir = "dist";  // served at /dist/
  std::string now;                // fixed engine clock; empty: today's UTC date
};

// The JSON API of SPEC §6 and the static files, with the security headers
// every response carries. `store` and `engine` must outlive `server`.
void InstallRoutes(httplib::Server* server, Store* store, const Engine* engine,
                   const HttpOptions& options);

// "text/javascript; charset=utf-8" for "app.mjs"; application/octet-stream
// when the extension is not known.
std::string MimeType(const std::string& path);

}  // namespace milestone::server
