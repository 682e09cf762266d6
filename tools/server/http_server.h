#pragma once

// The server's HTTP/1.1 layer: one epoll thread owns every socket, reads and
// writes without blocking and enforces every limit while it reads; a fixed
// pool of workers runs the handler (the engine and the database). Why not
// cpp-httplib: see docs/server.md, "HTTP".

#include <any>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace milestone::server {

// Every number a client can run into; docs/server.md lists them with what the
// client sees.
struct HttpLimits {
  size_t max_target_bytes = 8 * 1024;   // the request target; 414 beyond
  size_t max_head_bytes = 16 * 1024;    // request line and header fields; 431 beyond
  size_t max_header_count = 64;         // header fields; 431 beyond
  size_t max_body_bytes = 1 << 20;      // decoded body, any framing; 413 beyond
  size_t max_chunk_line_bytes = 1024;   // a chunk-size line with its extensions; 400 beyond
  size_t max_trailer_bytes = 8 * 1024;  // the chunked trailer section; 431 beyond
  int head_timeout_ms = 10'000;         // first byte of a request to its blank line; 408
  int body_timeout_ms = 30'000;         // end of the head to the end of the body; 408
  int idle_timeout_ms = 5'000;          // keep-alive wait for a next request; closed quietly
  int write_timeout_ms = 30'000;        // to send one response; closed
  int linger_ms = 2'000;                // draining an unread body after an early answer
  size_t max_connections = 1024;        // open connections; 503 BUSY beyond
  size_t max_refusing = 256;            // connections being told 503; closed at once beyond
  int workers = 8;                      // threads running handlers
};

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: "/api/contracts/x?y"
  std::string path;    // the target before '?', still percent-encoded
  std::string query;   // after '?', without it
  int minor_version = 1;
  // In the order sent; names lower-cased, values without surrounding white space.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Known after the head: whether a body follows, and its length when given.
  bool has_body = false;
  bool chunked = false;
  std::optional<uint64_t> content_length;
  // What the handler's head stage hands to its body stage.
  std::any context;

  // The first value of `name` (lower case), or nullptr.
  const std::string* Header(std::string_view name) const;
  size_t HeaderCount(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Close the connection after this answer.
  bool close = false;

  void Set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Errors the HTTP layer itself decides, before or instead of the handler.
struct HttpError {
  int status;
  const char* code;  // BAD_REQUEST, URI_TOO_LONG, HEADERS_TOO_LARGE, ...
  std::string message;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // After the head is read and before any body byte is. A response answers
  // now: an unread body is then never read and the connection closes.
  // nullopt: read the body (within the limits) and call OnBody.
  virtual std::optional<HttpResponse> OnHead(HttpRequest& request) = 0;
  virtual HttpResponse OnBody(HttpRequest& request) = 0;
  // The answer for an error of the HTTP layer (framing, limits, timeouts,
  // too many connections). Runs on the event-loop thread: no blocking.
  virtual HttpResponse OnError(const HttpError& error) = 0;
};

// Strict request-head parsing (RFC 9112), exposed for the tests' sake.
// `head` is the bytes up to and including the blank line.
std::optional<HttpError> ParseRequestHead(std::string_view head, const HttpLimits& limits,
                                          HttpRequest* out);

class HttpServer {
 public:
  HttpServer(HttpHandler* handler, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on 127.0.0.1:port (0: any free port). Returns the port, or -1
  // with `error` filled.
  int Listen(int port, std::string* error);
  // Runs until SIGINT or SIGTERM (which the caller must have blocked in every
  // thread): then stops accepting, finishes the requests in the workers,
  // closes every connection and returns true.
  bool Run(std::string* error);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace milestone::server
