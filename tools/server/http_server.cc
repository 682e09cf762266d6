#include "http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "milestone/codes.h"

namespace milestone::server {
namespace {

// epoll data for the descriptors that are not connections.
constexpr uint64_t kListenId = 1;
constexpr uint64_t kWakeId = 2;
constexpr uint64_t kSignalId = 3;
constexpr uint64_t kFirstConnectionId = 16;

constexpr size_t kReadChunk = 64 * 1024;
// A request already in a worker when a stop begins gets this long to finish.
constexpr int kStopGraceMs = 10'000;
// How often deadlines are looked at; they are enforced to within this.
constexpr int kSweepMs = 100;
// Buffers bigger than this are given back between requests.
constexpr size_t kKeepCapacity = 64 * 1024;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IsTchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != 0;
}

// Field values: HTAB, SP, VCHAR and obs-text. NUL, the other controls and DEL
// are refused rather than stripped, so no two readers can disagree on them.
bool IsFieldByte(unsigned char c) { return c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimOws(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

HttpError Bad(std::string message) {
  return {400, milestone::codes::kBadRequest, std::move(message)};
}

// One header field line (no CRLF) into name (lower case) and value.
std::optional<HttpError> ParseField(std::string_view line, std::string* name, std::string* value) {
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    return Bad("Folded header lines (obs-fold) are not accepted.");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Bad("A header line is not \"name: value\".");
  }
  for (size_t i = 0; i < colon; ++i) {
    if (!IsTchar(static_cast<unsigned char>(line[i]))) {
      return Bad("A header name holds a character a name may not (white space before the colon?).");
    }
  }
  std::string_view v = TrimOws(line.substr(colon + 1));
  for (unsigned char c : v) {
    if (!IsFieldByte(c)) {
      return Bad("The header " + std::string(line.substr(0, colon)) +
                 " holds a control character (NUL, CR, LF or another).");
    }
  }
  *name = Lower(line.substr(0, colon));
  *value = std::string(v);
  return std::nullopt;
}

// Headers that must not appear twice: two of them are two answers to one
// question (request smuggling, or which token counts).
constexpr const char* kSingletons[] = {
    "host",          "content-length", "transfer-encoding", "authorization", "if-match",
    "if-none-match", "content-type",   "idempotency-key",   "expect",
};

const char* Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

std::string HttpDate() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Chunked transfer coding (RFC 9112 §7.1), decoded as it arrives so the body
// limit holds on the decoded size before a byte beyond it is kept.
class ChunkedDecoder {
 public:
  enum class Result { kMore, kDone, kError };

  // Consumes from `data` (stops right after the last chunk's trailer, so what
  // follows is the next request), appending chunk data to `body`.
  Result Feed(std::string_view data, size_t* consumed, std::string* body, const HttpLimits& limits,
              std::optional<HttpError>* error) {
    size_t i = 0;
    while (i < data.size()) {
      if (state_ == State::kData) {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - i));
        body->append(data.data() + i, take);
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::kDataEnd;
        continue;
      }
      // Line-oriented states: collect up to LF.
      char c = data[i++];
      line_.push_back(c);
      if (state_ == State::kDataEnd) {
        if (line_.size() == 2) {
          if (line_ != "\r\n")
            return Fail(error, Bad("Chunk data is not followed by CRLF."), i, consumed);
          line_.clear();
          state_ = State::kSize;
        }
        continue;
      }
      const size_t cap =
          state_ == State::kSize ? limits.max_chunk_line_bytes : limits.max_trailer_bytes;
      if (c != '\n') {
        if (line_.size() > cap) {
          return Fail(error,
                      state_ == State::kSize
                          ? Bad("A chunk-size line is longer than " +
                                std::to_string(limits.max_chunk_line_bytes) + " bytes.")
                          : HttpError{431, milestone::codes::kHeadersTooLarge,
                                      "The chunked trailer is too large."},
                      i, consumed);
        }
        continue;
      }
      if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
        return Fail(error, Bad("Chunked lines must end with CRLF."), i, consumed);
      }
      std::string_view line(line_.data(), line_.size() - 2);
      if (state_ == State::kSize) {
        std::optional<HttpError> bad = ReadSize(line, body->size(), limits);
        if (bad) return Fail(error, std::move(*bad), i, consumed);
      } else {  // trailer
        trailer_bytes_ += line_.size();
        if (trailer_bytes_ > limits.max_trailer_bytes) {
          return Fail(
              error, {431, milestone::codes::kHeadersTooLarge, "The chunked trailer is too large."},
              i, consumed);
        }
        if (line.empty()) {
          line_.clear();
          state_ = State::kDone;
          *consumed = i;
          return Result::kDone;
        }
        std::string name, value;
        if (auto bad = ParseField(line, &name, &value))
          return Fail(error, std::move(*bad), i, consumed);
      }
      line_.clear();
    }
    *consumed = i;
    return Result::kMore;
  }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };

  Result Fail(std::optional<HttpError>* error, HttpError e, size_t i, size_t* consumed) {
    *error = std::move(e);
    *consumed = i;
    return Result::kError;
  }

  std::optional<HttpError> ReadSize(std::string_view line, size_t have, const HttpLimits& limits) {
    size_t digits = 0;
    uint64_t size = 0;
    while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
      if (digits == 16) return Bad("A chunk size has more than 16 hex digits.");
      char d = static_cast<char>(std::tolower(static_cast<unsigned char>(line[digits])));
      size = size * 16 + static_cast<uint64_t>(d <= '9' ? d - '0' : d - 'a' + 10);
      ++digits;
    }
    if (digits == 0) return Bad("A chunk size is not a hexadecimal number.");
    std::string_view rest = line.substr(digits);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (!rest.empty()) {
      if (rest.front() != ';')
        return Bad("A chunk size is followed by something other than an extension.");
      for (unsigned char c : rest) {
        if (!IsFieldByte(c)) return Bad("A chunk extension holds a control character.");
      }
    }
    if (size == 0) {
      state_ = State::kTrailer;
      return std::nullopt;
    }
    if (size > limits.max_body_bytes || have + size > limits.max_body_bytes) {
      return HttpError{
          413, milestone::codes::kBodyTooLarge,
          "The body is larger than " + std::to_string(limits.max_body_bytes) + " bytes (1 MiB)."};
    }
    remaining_ = size;
    state_ = State::kData;
    return std::nullopt;
  }

  State state_ = State::kSize;
  std::string line_;
  uint64_t remaining_ = 0;
  size_t trailer_bytes_ = 0;
};

// A fixed set of threads taking jobs in order.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i) {
      threads_.emplace_back([this] { Loop(); });
    }
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  void Post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to finish
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

size_t HttpRequest::HeaderCount(std::string_view name) const {
  size_t n = 0;
  for (const auto& header : headers) n += header.first == name;
  return n;
}

std::optional<HttpError> ParseRequestHead(std::string_view head, const HttpLimits& limits,
                                          HttpRequest* out) {
  // Lines end with CRLF; a bare CR or LF is how two parsers come to split one
  // stream differently, so either is refused.
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\r') {
      if (i + 1 >= head.size() || head[i + 1] != '\n') return Bad("A bare CR in the request head.");
      lines.push_back(head.substr(start, i - start));
      start = i + 2;
      ++i;
    } else if (head[i] == '\n') {
      return Bad("Request lines must end with CRLF, not a bare LF.");
    }
  }
  if (lines.size() < 2 || !lines.back().empty()) return Bad("The request head is incomplete.");
  lines.pop_back();

  std::string_view request_line = lines[0];
  size_t sp1 = request_line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      request_line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Bad("The request line is not \"METHOD target HTTP/1.1\".");
  }
  std::string_view method = request_line.substr(0, sp1);
  std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = request_line.substr(sp2 + 1);
  if (method.empty()) return Bad("The request has no method.");
  for (unsigned char c : method) {
    if (!IsTchar(c)) return Bad("The method holds a character a method may not.");
  }
  if (target.size() > limits.max_target_bytes) {
    return HttpError{
        414, milestone::codes::kUriTooLong,
        "The request target is longer than " + std::to_string(limits.max_target_bytes) + " bytes."};
  }
  if (target.empty() || target[0] != '/') {
    return Bad("The request target must be a path starting with /.");
  }
  for (unsigned char c : target) {
    if (c < 0x21 || c > 0x7e) {
      return Bad("The request target holds a byte a URI may not (controls, spaces, non-ASCII).");
    }
  }
  if (version == "HTTP/1.1") {
    out->minor_version = 1;
  } else if (version == "HTTP/1.0") {
    out->minor_version = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
             std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
             std::isdigit(static_cast<unsigned char>(version[7]))) {
    return HttpError{505, milestone::codes::kHttpVersionNotSupported,
                     "Only HTTP/1.1 and HTTP/1.0 are served."};
  } else {
    return Bad("The request line does not end with an HTTP version.");
  }
  out->method = std::string(method);
  out->target = std::string(target);
  size_t q = target.find('?');
  out->path = std::string(target.substr(0, q));
  out->query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));

  if (lines.size() - 1 > limits.max_header_count) {
    return HttpError{
        431, milestone::codes::kHeadersTooLarge,
        "The request has more than " + std::to_string(limits.max_header_count) + " header fields."};
  }
  out->headers.clear();
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string name, value;
    if (auto bad = ParseField(lines[i], &name, &value)) return bad;
    out->headers.emplace_back(std::move(name), std::move(value));
  }
  for (const char* name : kSingletons) {
    if (out->HeaderCount(name) > 1)
      return Bad(std::string("The header ") + name + " is sent twice.");
  }
  if (out->minor_version == 1 && out->HeaderCount("host") != 1) {
    return Bad("An HTTP/1.1 request needs one Host header.");
  }

  const std::string* length = out->Header("content-length");
  const std::string* coding = out->Header("transfer-encoding");
  if (length && coding) {
    return Bad("Content-Length and Transfer-Encoding together make the body's length ambiguous.");
  }
  out->content_length.reset();
  out->chunked = false;
  if (length) {
    // 1*DIGIT and nothing else: no sign, no list, no white space inside. More
    // than 15 digits is far beyond any limit and would risk overflow.
    if (length->empty() || length->size() > 15 ||
        !std::all_of(length->begin(), length->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Bad("Content-Length must be a decimal number of bytes (at most 15 digits).");
    }
    out->content_length = std::stoull(*length);
  }
  if (coding) {
    if (out->minor_version == 0) return Bad("HTTP/1.0 has no Transfer-Encoding.");
    if (Lower(*coding) != "chunked") {
      return Bad("The only Transfer-Encoding understood is \"chunked\", alone.");
    }
    out->chunked = true;
  }
  if (const std::string* expect = out->Header("expect")) {
    if (Lower(*expect) != "100-continue") {
      return HttpError{417, milestone::codes::kExpectationFailed,
                       "Only Expect: 100-continue is understood."};
    }
  }
  out->has_body = out->chunked || (out->content_length && *out->content_length > 0);
  return std::nullopt;
}

class HttpServer::Impl {
 public:
  Impl(HttpHandler* handler, HttpLimits limits)
      : handler_(handler), limits_(limits), pool_(std::make_unique<WorkerPool>(limits.workers)) {}

  ~Impl() {
    pool_.reset();  // jobs use this object: they end first
    for (auto& [id, conn] : conns_) ::close(conn->fd);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (signal_fd_ >= 0) ::close(signal_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
  }

  int Listen(int port, std::string* error) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return Fail(error, "socket");
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return Fail(error, "bind");
    }
    if (::listen(listen_fd_, 1024) != 0) return Fail(error, "listen");
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
  }

  bool Run(std::string* error) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    signal_fd_ = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0 || signal_fd_ < 0) return Fail(error, "epoll") == 0;
    Watch(listen_fd_, kListenId, EPOLLIN);
    Watch(wake_fd_, kWakeId, EPOLLIN);
    Watch(signal_fd_, kSignalId, EPOLLIN);

    epoll_event events[256];
    int64_t last_sweep = NowMs();
    for (;;) {
      if (stopping_ && (conns_.empty() || NowMs() > stop_deadline_)) break;
      int n = epoll_wait(epoll_fd_, events, 256, kSweepMs);
      if (n < 0 && errno != EINTR) return Fail(error, "epoll_wait") == 0;
      for (int i = 0; i < n; ++i) {
        uint64_t id = events[i].data.u64;
        if (id == kListenId) {
          Accept();
        } else if (id == kWakeId) {
          uint64_t count;
          while (::read(wake_fd_, &count, sizeof count) > 0) {
          }
          Completions();
        } else if (id == kSignalId) {
          signalfd_siginfo info;
          while (::read(signal_fd_, &info, sizeof info) > 0) {
          }
          Stop();
        } else {
          OnEvent(id, events[i].events);
        }
      }
      int64_t now = NowMs();
      if (now - last_sweep >= kSweepMs) {
        last_sweep = now;
        Sweep(now);
        if (accept_paused_ && now >= accept_resume_ms_) {
          accept_paused_ = false;
          if (listen_fd_ >= 0) Watch(listen_fd_, kListenId, EPOLLIN, EPOLL_CTL_MOD);
        }
      }
    }
    // Wait for the jobs still running (past the grace time): the store they
    // use is closed once this returns.
    pool_.reset();
    return true;
  }

 private:
  enum class State { kHead, kHandling, kBody, kWriting, kLinger };

  struct Conn {
    uint64_t id = 0;
    int fd = -1;
    State state = State::kHead;
    uint32_t events = 0;
    int64_t deadline = 0;  // 0: none
    bool started = false;  // a byte of the current request has arrived
    size_t scanned = 0;    // bytes of `in` already searched for the blank line
    std::string in;
    std::shared_ptr<HttpRequest> request = std::make_shared<HttpRequest>();
    uint64_t body_left = 0;
    ChunkedDecoder chunks;
    size_t body_counted = 0;  // this connection's share of buffered_body_
    std::string out;
    size_t out_pos = 0;
    bool close_after = false;
    bool body_started = false;  // the body stage began: its bytes are being read
    bool refusing = false;      // over the connection limit, being told 503
  };

  struct Completion {
    uint64_t id;
    std::optional<HttpResponse> response;
  };

  int Fail(std::string* error, const char* what) {
    if (error) *error = std::string(what) + ": " + std::strerror(errno);
    return -1;
  }

  void Watch(int fd, uint64_t id, uint32_t events, int op = EPOLL_CTL_ADD) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = id;
    epoll_ctl(epoll_fd_, op, fd, &ev);
  }

  void Accept() {
    for (;;) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment instead of
          // spinning on a listen socket that stays readable.
          accept_paused_ = true;
          accept_resume_ms_ = NowMs() + 100;
          Watch(listen_fd_, kListenId, 0, EPOLL_CTL_MOD);
        }
        return;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      bool over = active_ >= limits_.max_connections;
      if (over && refusing_ >= limits_.max_refusing) {
        ::close(fd);
        continue;
      }
      auto conn = std::make_unique<Conn>();
      conn->id = next_id_++;
      conn->fd = fd;
      Conn* c = conn.get();
      conns_.emplace(c->id, std::move(conn));
      Watch(fd, c->id, 0);
      if (over) {
        c->refusing = true;
        ++refusing_;
        Respond(c,
                handler_->OnError({503, milestone::codes::kBusy,
                                   "The server has " + std::to_string(limits_.max_connections) +
                                       " connections open; try again shortly."}),
                true);
        continue;
      }
      ++active_;
      c->deadline = NowMs() + limits_.idle_timeout_ms;
      Update(c);
    }
  }

  Conn* Find(uint64_t id) {
    auto it = conns_.find(id);
    return it == conns_.end() ? nullptr : it->second.get();
  }

  void Close(Conn* c) {
    ReleaseBody(c);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    if (c->refusing) {
      --refusing_;
    } else {
      --active_;
    }
    conns_.erase(c->id);
  }

  void ReleaseBody(Conn* c) {
    buffered_body_ -= c->body_counted;
    c->body_counted = 0;
  }

  void Update(Conn* c) {
    uint32_t want = 0;
    if (c->state == State::kHead || c->state == State::kBody || c->state == State::kLinger) {
      want |= EPOLLIN;
    }
    if (c->out_pos < c->out.size()) want |= EPOLLOUT;
    if (want != c->events) {
      c->events = want;
      Watch(c->fd, c->id, want, EPOLL_CTL_MOD);
    }
  }

  void OnEvent(uint64_t id, uint32_t events) {
    Conn* c = Find(id);
    if (!c) return;
    if (events & (EPOLLERR | EPOLLHUP)) {
      // Reported whatever the interest: nobody can be answered any more, and
      // leaving it open would wake the loop again and again.
      Close(c);
      return;
    }
    if (events & EPOLLOUT) {
      if (!Flush(c)) return;
    }
    if (events & EPOLLIN) Read(c);
  }

  void Read(Conn* c) {
    if (c->state != State::kHead && c->state != State::kBody && c->state != State::kLinger) return;
    char buf[kReadChunk];
    // One read a wake-up: a head never holds more than its limit plus one read.
    ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      Close(c);
      return;
    }
    if (n == 0) {  // the peer is gone or done sending; nothing more will come
      Close(c);
      return;
    }
    if (c->state == State::kLinger) return;  // discarded: an answer was already given
    c->in.append(buf, static_cast<size_t>(n));
    if (c->state == State::kHead) {
      ProcessHead(c);
    } else {
      ProcessBody(c);
    }
  }

  void ProcessHead(Conn* c) {
    // Empty lines before a request line are allowed (RFC 9112 §2.2).
    size_t skip = 0;
    while (c->in.size() >= skip + 2 && c->in.compare(skip, 2, "\r\n") == 0) skip += 2;
    if (skip > 0) {
      c->in.erase(0, skip);
      c->scanned = 0;
    }
    if (c->in.empty()) return;
    if (!c->started) {
      c->started = true;
      c->deadline = NowMs() + limits_.head_timeout_ms;
    }
    size_t from = c->scanned > 3 ? c->scanned - 3 : 0;
    size_t end = c->in.find("\r\n\r\n", from);
    // A bare LF or CR is refused as soon as it arrives: waiting for a CRLF
    // CRLF that such a client never sends would hold it until the deadline.
    const size_t check_to = end == std::string::npos ? c->in.size() : end + 4;
    // From one byte back: a CR that ended the last read is judged by what follows it.
    for (size_t i = c->scanned > 0 ? c->scanned - 1 : 0; i < check_to; ++i) {
      const char ch = c->in[i];
      if ((ch == '\n' && (i == 0 || c->in[i - 1] != '\r')) ||
          (ch == '\r' && i + 1 < c->in.size() && c->in[i + 1] != '\n')) {
        Error(c, Bad("Request lines must end with CRLF: a bare CR or LF was sent."));
        return;
      }
    }
    size_t line_end = c->in.find('\n');
    // The request line alone: method, target, version and their spaces.
    const size_t max_line = limits_.max_target_bytes + 64;
    if ((line_end == std::string::npos && c->in.size() > max_line) ||
        (line_end != std::string::npos && line_end > max_line)) {
      Error(c, {414, milestone::codes::kUriTooLong,
                "The request target is longer than " + std::to_string(limits_.max_target_bytes) +
                    " bytes."});
      return;
    }
    if (end == std::string::npos) {
      if (c->in.size() > limits_.max_head_bytes) {
        Error(c, {431, milestone::codes::kHeadersTooLarge,
                  "The request head is larger than " + std::to_string(limits_.max_head_bytes) +
                      " bytes."});
        return;
      }
      c->scanned = c->in.size();
      return;
    }
    const size_t head_size = end + 4;
    if (head_size > limits_.max_head_bytes) {
      Error(c, {431, milestone::codes::kHeadersTooLarge,
                "The request head is larger than " + std::to_string(limits_.max_head_bytes) +
                    " bytes."});
      return;
    }
    c->request = std::make_shared<HttpRequest>();
    std::optional<HttpError> bad =
        ParseRequestHead(std::string_view(c->in).substr(0, head_size), limits_, c->request.get());
    c->in.erase(0, head_size);
    c->scanned = 0;
    if (bad) {
      Error(c, std::move(*bad));
      return;
    }
    if (stopping_) {
      Close(c);
      return;
    }
    Dispatch(c, /*head=*/true);
  }

  void Dispatch(Conn* c, bool head) {
    c->state = State::kHandling;
    c->deadline = 0;
    Update(c);
    std::shared_ptr<HttpRequest> request = c->request;
    uint64_t id = c->id;
    pool_->Post([this, request, id, head] {
      std::optional<HttpResponse> response;
      try {
        if (head) {
          response = handler_->OnHead(*request);
          // Nothing to read: the body stage runs now, in the same job.
          if (!response && !request->has_body) response = handler_->OnBody(*request);
        } else {
          response = handler_->OnBody(*request);
        }
      } catch (...) {  // a bug in a handler: answer it, keep serving the others
        response = handler_->OnError(
            {500, milestone::codes::kInternal, "The server failed to answer this request."});
      }
      {
        std::lock_guard<std::mutex> lock(done_mu_);
        done_.push_back(Completion{id, std::move(response)});
      }
      uint64_t one = 1;
      ssize_t ignored = ::write(wake_fd_, &one, sizeof one);
      (void)ignored;
    });
  }

  void Completions() {
    std::vector<Completion> done;
    {
      std::lock_guard<std::mutex> lock(done_mu_);
      done.swap(done_);
    }
    for (Completion& d : done) {
      Conn* c = Find(d.id);
      if (!c || c->state != State::kHandling) continue;
      if (d.response) {
        // Answered before its body was read: the body stays unread.
        bool unread = c->request->has_body && !c->body_started;
        Respond(c, std::move(*d.response), unread);
        continue;
      }
      StartBody(c);
    }
  }

  void StartBody(Conn* c) {
    HttpRequest& r = *c->request;
    if (!r.chunked && r.content_length && *r.content_length > limits_.max_body_bytes) {
      Error(c, {413, milestone::codes::kBodyTooLarge,
                "The body is larger than " + std::to_string(limits_.max_body_bytes) +
                    " bytes (1 MiB)."});
      return;
    }
    c->body_started = true;
    c->state = State::kBody;
    c->deadline = NowMs() + limits_.body_timeout_ms;
    c->body_left = r.chunked ? 0 : *r.content_length;
    c->chunks = ChunkedDecoder();
    if (const std::string* expect = r.Header("expect"); expect && r.minor_version == 1) {
      Queue(c, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    uint64_t id = c->id;
    ProcessBody(c);
    c = Find(id);
    if (c && c->state == State::kBody) Update(c);
  }

  void ProcessBody(Conn* c) {
    HttpRequest& r = *c->request;
    bool done = false;
    size_t before = r.body.size();
    if (r.chunked) {
      size_t consumed = 0;
      std::optional<HttpError> bad;
      auto result = c->chunks.Feed(c->in, &consumed, &r.body, limits_, &bad);
      c->in.erase(0, consumed);
      if (result == ChunkedDecoder::Result::kError) {
        Error(c, std::move(*bad));
        return;
      }
      done = result == ChunkedDecoder::Result::kDone;
    } else {
      size_t take = static_cast<size_t>(std::min<uint64_t>(c->body_left, c->in.size()));
      r.body.append(c->in, 0, take);
      c->in.erase(0, take);
      c->body_left -= take;
      done = c->body_left == 0;
    }
    size_t grown = r.body.size() - before;
    c->body_counted += grown;
    buffered_body_ += grown;
    if (buffered_body_ > kMaxBufferedBody) {
      Error(c, {503, milestone::codes::kBusy,
                "The server holds too many request bodies at once; try again shortly."});
      return;
    }
    if (done) Dispatch(c, /*head=*/false);
  }

  void Error(Conn* c, HttpError error) {
    HttpResponse response = handler_->OnError(error);
    response.close = true;
    Respond(c, std::move(response), true);
  }

  void Queue(Conn* c, std::string_view bytes) {
    if (c->out_pos == c->out.size()) {
      c->out.clear();
      c->out_pos = 0;
    }
    c->out.append(bytes);
  }

  void Respond(Conn* c, HttpResponse response, bool unread_body) {
    const HttpRequest& r = *c->request;
    bool close = response.close || unread_body || stopping_ || c->refusing || r.minor_version == 0;
    if (const std::string* connection = r.Header("connection")) {
      if (Lower(*connection).find("close") != std::string::npos) close = true;
    }
    const bool no_body = response.status == 304 || response.status == 204 ||
                         response.status < 200 || r.method == "HEAD";
    std::string head =
        "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) + "\r\n";
    head += "Date: " + HttpDate() + "\r\n";
    for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    if (response.status != 304 && response.status != 204) {
      head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    }
    if (close) head += "Connection: close\r\n";
    head += "\r\n";
    Queue(c, head);
    if (!no_body) Queue(c, response.body);
    ReleaseBody(c);
    c->close_after = close;
    c->state = State::kWriting;
    c->deadline = NowMs() + limits_.write_timeout_ms;
    if (Flush(c)) Update(c);
  }

  // Writes what it can; false when the connection was closed.
  bool Flush(Conn* c) {
    while (c->out_pos < c->out.size()) {
      ssize_t n =
          ::send(c->fd, c->out.data() + c->out_pos, c->out.size() - c->out_pos, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          Update(c);
          return true;
        }
        if (errno == EINTR) continue;
        Close(c);
        return false;
      }
      c->out_pos += static_cast<size_t>(n);
    }
    c->out.clear();
    c->out_pos = 0;
    if (c->out.capacity() > kKeepCapacity) std::string().swap(c->out);
    if (c->state == State::kWriting) return Finished(c);
    Update(c);
    return true;
  }

  // A response is out: linger and close, or wait for the next request.
  bool Finished(Conn* c) {
    if (c->close_after) {
      // Closing with unread bytes would reset the connection and could
      // destroy the answer before the client reads it: stop writing, drain
      // for a moment, then close.
      ::shutdown(c->fd, SHUT_WR);
      c->state = State::kLinger;
      c->deadline = NowMs() + limits_.linger_ms;
      std::string().swap(c->in);
      c->request = std::make_shared<HttpRequest>();
      Update(c);
      return true;
    }
    c->state = State::kHead;
    c->started = false;
    c->body_started = false;
    c->body_left = 0;
    c->scanned = 0;
    c->request = std::make_shared<HttpRequest>();
    c->deadline = NowMs() + limits_.idle_timeout_ms;
    if (c->in.capacity() > kKeepCapacity && c->in.size() < kKeepCapacity) {
      std::string(c->in).swap(c->in);
    }
    Update(c);
    if (!c->in.empty()) {
      uint64_t id = c->id;
      ProcessHead(c);  // a pipelined request already here
      return Find(id) != nullptr;
    }
    return true;
  }

  void Sweep(int64_t now) {
    std::vector<uint64_t> due;
    for (const auto& [id, conn] : conns_) {
      if (conn->deadline != 0 && conn->deadline <= now) due.push_back(id);
    }
    for (uint64_t id : due) {
      Conn* c = Find(id);
      if (!c) continue;
      switch (c->state) {
        case State::kHead:
          if (c->started) {
            Error(c, {408, milestone::codes::kRequestTimeout,
                      "The request head did not arrive within " +
                          std::to_string(limits_.head_timeout_ms / 1000) + " s."});
          } else {
            Close(c);  // an idle keep-alive connection
          }
          break;
        case State::kBody:
          Error(c, {408, milestone::codes::kRequestTimeout,
                    "The request body did not arrive within " +
                        std::to_string(limits_.body_timeout_ms / 1000) + " s."});
          break;
        case State::kWriting:
        case State::kLinger:
          Close(c);
          break;
        case State::kHandling:
          break;
      }
    }
  }

  void Stop() {
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = NowMs() + kStopGraceMs;
    if (listen_fd_ >= 0) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
    // Requests in a worker finish and are answered (with Connection: close);
    // everything else ends now.
    std::vector<uint64_t> ids;
    for (const auto& [id, conn] : conns_) ids.push_back(id);
    for (uint64_t id : ids) {
      Conn* c = Find(id);
      if (!c) continue;
      if (c->state == State::kHead || c->state == State::kBody) {
        Close(c);
      } else if (c->state == State::kWriting) {
        c->close_after = true;
      }
    }
  }

  // The sum of every connection's body so far: many slow bodies together
  // must not add up to more than this.
  static constexpr size_t kMaxBufferedBody = 64u << 20;

  HttpHandler* handler_;
  HttpLimits limits_;
  std::unique_ptr<WorkerPool> pool_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int signal_fd_ = -1;
  uint64_t next_id_ = kFirstConnectionId;
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;
  size_t active_ = 0;
  size_t refusing_ = 0;
  size_t buffered_body_ = 0;
  bool accept_paused_ = false;
  int64_t accept_resume_ms_ = 0;
  bool stopping_ = false;
  int64_t stop_deadline_ = 0;
  std::mutex done_mu_;
  std::vector<Completion> done_;
};

HttpServer::HttpServer(HttpHandler* handler, HttpLimits limits)
    : impl_(std::make_unique<Impl>(handler, limits)) {}

HttpServer::~HttpServer() = default;

int HttpServer::Listen(int port, std::string* error) { return impl_->Listen(port, error); }

bool HttpServer::Run(std::string* error) { return impl_->Run(error); }

}  // namespace milestone::server
