#include "json.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <tuple>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace milestone::json {

Value::Value(const Value& other) : int_(0) { CopyFrom(other); }

Value::Value(Value&& other) noexcept : int_(0) { TakeFrom(std::move(other)); }

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this == &other) return *this;
  Drop();
  TakeFrom(std::move(other));
  return *this;
}

const std::string& Value::EmptyText() {
  static const std::string kEmpty;
  return kEmpty;
}

void Value::DropSlow() noexcept {
  if (has_text()) {
    text_.~basic_string();
  } else if (type_ == Type::kArray) {
    items_.~vector();
  } else if (type_ == Type::kObject) {
    members_.~vector();
  }
}

void Value::Become(Type type) {
  Drop();
  type_ = type;
  if (type == Type::kString || type == Type::kNumber) {
    new (&text_) std::string();
  } else if (type == Type::kArray) {
    new (&items_) std::vector<Value>();
  } else if (type == Type::kObject) {
    new (&members_) std::vector<Member>();
  }
}

// This value is null (it holds nothing): take `other`'s type and storage. A
// moved-from value keeps its type with an empty text or container.
void Value::TakeFrom(Value&& other) noexcept {
  type_ = other.type_;
  is_int_ = other.is_int_;
  if (has_text()) {
    new (&text_) std::string(std::move(other.text_));
  } else if (type_ == Type::kArray) {
    new (&items_) std::vector<Value>(std::move(other.items_));
  } else if (type_ == Type::kObject) {
    new (&members_) std::vector<Member>(std::move(other.members_));
  } else {
    int_ = other.int_;  // also carries bool_
  }
}

void Value::CopyFrom(const Value& other) {
  if (other.has_text()) {
    new (&text_) std::string(other.text_);
  } else if (other.type_ == Type::kArray) {
    new (&items_) std::vector<Value>(other.items_);
  } else if (other.type_ == Type::kObject) {
    new (&members_) std::vector<Member>(other.members_);
  } else {
    int_ = other.int_;
  }
  type_ = other.type_;
  is_int_ = other.is_int_;
}

void Value::MakeArray() {
  if (type_ != Type::kArray) Become(Type::kArray);
}

void Value::MakeObject() {
  if (type_ != Type::kObject) Become(Type::kObject);
}

const std::vector<Value>& Value::items() const {
  static const std::vector<Value> kNone;
  return type_ == Type::kArray ? items_ : kNone;
}

const std::vector<Member>& Value::members() const {
  static const std::vector<Member> kNone;
  return type_ == Type::kObject ? members_ : kNone;
}

Value Value::Bool(bool b) {
  Value v;
  v.MakeBool(b);
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.MakeInt(i);
  return v;
}

Value Value::NumberText(std::string text) {
  Value v;
  *v.MakeNumberText() = std::move(text);
  return v;
}

Value Value::String(std::string s) {
  Value v;
  *v.MakeString() = std::move(s);
  return v;
}

Value Value::Array() {
  Value v;
  v.MakeArray();
  return v;
}

Value Value::Object() {
  Value v;
  v.MakeObject();
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const Member& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

Value& Value::Set(std::string key, Value value) {
  auto& list = members();
  list.emplace_back(std::move(key), std::move(value));
  return list.back().second;
}

namespace {

// Bytes a string scan must stop at: the quote, the backslash and controls.
struct StopTable {
  bool stop[256] = {};
  constexpr StopTable() {
    for (int c = 0; c < 0x20; ++c) stop[c] = true;
    stop[static_cast<unsigned char>('"')] = true;
    stop[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr StopTable kStringStop;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool kLittleEndian = true;
#else
constexpr bool kLittleEndian = false;
#endif

// Eight bytes at a time: the high bit of each byte that is a quote, a
// backslash or below 0x20 (classic SWAR tests; bytes >= 0x80 never count as
// below 0x20). A borrow can mark a byte above a real match, never below one,
// so the lowest mark is exact.
inline uint64_t StopMask(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t quote = w ^ (kOnes * '"');
  uint64_t backslash = w ^ (kOnes * '\\');
  uint64_t found =
      ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | ((w - kOnes * 0x20) & ~w);
  return found & kHigh;
}

// Where the run of plain string bytes starting at `p` ends (a quote, a
// backslash, a control, or `end`).
inline const char* SkipPlain(const char* p, const char* end) {
#if defined(__SSE2__)
  // Natively, sixteen bytes a compare: most keys and values end in the first.
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // b <= 0x1F unsigned: max(b, 0x1F) == 0x1F.
    const __m128i stop =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, backslash)),
                     _mm_cmpeq_epi8(_mm_max_epu8(b, below_space), below_space));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t mask = StopMask(w);
    if (mask != 0) {
      if (kLittleEndian) return p + (__builtin_ctzll(mask) >> 3);
      break;
    }
    p += 8;
  }
  while (p < end && !kStringStop.stop[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// 0..63 from a key's length and end bytes: equal keys have equal ones.
inline unsigned KeySignature(const std::string& key) {
  const size_t n = key.size();
  if (n == 0) return 0;
  const auto first = static_cast<unsigned char>(key[0]);
  const auto last = static_cast<unsigned char>(key[n - 1]);
  return static_cast<unsigned>((n * 7 + first * 3 + last) & 63);
}

// Whether the last member's key equals an earlier one's.
inline bool SameAsEarlier(const std::vector<Member>& members) {
  const std::string& key = members.back().first;
  const size_t n = key.size();
  for (size_t k = 0; k + 1 < members.size(); ++k) {
    const std::string& other = members[k].first;
    // Sizes and first bytes settle nearly every pair without a memcmp call.
    if (other.size() == n &&
        (n == 0 || (other[0] == key[0] && std::memcmp(other.data(), key.data(), n) == 0))) {
      return true;
    }
  }
  return false;
}

// Objects wider than this check a new key against a hash index of the
// earlier ones instead of each of them: a 4 MiB object has ~400,000 keys, and
// comparing each with all before it would take minutes.
constexpr size_t kLinearKeys = 16;

// Open addressing over member positions (the strings themselves may move as
// the member vector grows; positions do not).
class KeyIndex {
 public:
  // Whether the last member's key equals an earlier one's (all of which are
  // distinct); remembers it when not.
  bool SeenBefore(const std::vector<Member>& members) {
    const size_t n = members.size() - 1;  // earlier members
    if ((n + 1) * 2 > size_) Rebuild(size_ == 0 ? 64 : size_ * 2, members, n);
    const std::string& key = members.back().first;
    for (size_t i = Hash(key) & (size_ - 1);; i = (i + 1) & (size_ - 1)) {
      if (slots_[i] == 0) {
        slots_[i] = static_cast<uint32_t>(members.size());
        return false;
      }
      if (members[slots_[i] - 1].first == key) return true;
    }
  }

 private:
  static size_t Hash(const std::string& key) {  // FNV-1a
    uint64_t h = 14695981039346656037ULL;
    for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return static_cast<size_t>(h ^ (h >> 32));
  }

  // `size` slots (a power of two) holding the first `n` members.
  void Rebuild(size_t size, const std::vector<Member>& members, size_t n) {
    slots_.reset(new uint32_t[size]());
    size_ = size;
    for (size_t k = 0; k < n; ++k) {
      size_t i = Hash(members[k].first) & (size - 1);
      while (slots_[i] != 0) i = (i + 1) & (size - 1);
      slots_[i] = static_cast<uint32_t>(k + 1);
    }
  }

  std::unique_ptr<uint32_t[]> slots_;  // member position + 1; 0 is empty
  size_t size_ = 0;
};

}  // namespace

namespace detail {

// Recursive descent: the depth limit (32) bounds the recursion, so a hostile
// document can never exhaust the stack. Each container's children are read
// straight into its own vector (nothing else grows it while they are read),
// reserved at the size of the last container closed at the same depth: the
// milestones of a contract are alike, so theirs are allocated once, at their
// exact size.
class Parser {
 public:
  Parser(std::string_view text, const Limits& limits, ParseError* error)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        limits_(limits),
        error_(error) {}

  // The string literal at the start of the text (ReadString).
  const char* StringAt(std::string* out) {
    if (p_ >= end_ || *p_ != '"' || !ParseString(out)) return nullptr;
    return p_;
  }

  bool ParseDocument(Value* out) {
    if (static_cast<size_t>(end_ - begin_) > limits_.max_bytes) {
      if (error_ != nullptr) error_->limit = static_cast<int64_t>(limits_.max_bytes >> 20);
      return Fail("tooLarge", "The document is larger than " +
                                  std::to_string(limits_.max_bytes / (1024 * 1024)) + " MiB.");
    }
    SkipSpace();
    if (!ParseValue(out, 1)) return false;
    SkipSpace();
    if (p_ != end_) return Fail("unexpectedText", "Unexpected text after the JSON value");
    return true;
  }

 private:
  // Messages name the byte `p_` is at; failures are cold, so they are built
  // here and kept out of the reading loops.
  __attribute__((noinline, cold)) bool Fail(const char* reason, std::string message) {
    const size_t offset = static_cast<size_t>(p_ - begin_);
    if (error_ != nullptr) {
      error_->reason = reason;
      error_->offset = offset;
      if (message.back() != '.') message += " at byte " + std::to_string(offset) + ".";
      error_->message = std::move(message);
    }
    return false;
  }
  __attribute__((noinline, cold)) bool Fail(const char* reason, const char* message) {
    return Fail(reason, std::string(message));
  }

  void SkipSpace() {
    while (p_ < end_ && static_cast<unsigned char>(*p_) <= ' ' && IsSpace(*p_)) ++p_;
  }

  bool Literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) {
      return Fail("invalidLiteral", "Invalid literal");
    }
    p_ += n;
    return true;
  }

  bool ParseValue(Value* out, int depth) {
    if (p_ >= end_) return Fail("unexpectedEnd", "Unexpected end of text");
    switch (*p_) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"':
        return ParseStringValue(out);
      case 't':
        out->MakeBool(true);
        return Literal("true", 4);
      case 'f':
        out->MakeBool(false);
        return Literal("false", 5);
      case 'n':
        return Literal("null", 4);
      default:
        return ParseNumber(out);
    }
  }

  bool EnterContainer(int depth) {
    if (depth > limits_.max_depth) {
      if (error_ != nullptr) error_->limit = limits_.max_depth;
      return Fail("tooDeep", "The document nests deeper than " + std::to_string(limits_.max_depth) +
                                 " levels");
    }
    return true;
  }

  // The reservation for a container at `depth` (1-based, at most max_depth).
  size_t& Hint(int depth, bool object) {
    static_assert(sizeof(hints_) / sizeof(hints_[0]) >= 2 * 33, "hints cover the depth limit");
    const size_t slot = static_cast<size_t>(depth < 32 ? depth : 32);
    return hints_[2 * slot + (object ? 1 : 0)];
  }

  bool ParseObject(Value* out, int depth) {
    if (!EnterContainer(depth)) return false;
    ++p_;
    out->MakeObject();
    std::vector<Member>& members = out->members_;
    SkipSpace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    size_t& hint = Hint(depth, true);
    if (hint != 0) members.reserve(hint);
    KeyIndex index;
    uint64_t signatures = 0;  // bits of KeySignature of the keys so far
    while (true) {
      SkipSpace();
      if (p_ >= end_ || *p_ != '"') return Fail("expectedKey", "Expected a key");
      const char* key_at = p_;
      // A key is nearly always one plain run: built in place from it.
      const char* run = p_ + 1;
      const char* stop = SkipPlain(run, end_);
      if (stop < end_ && *stop == '"') {
        members.emplace_back(std::piecewise_construct,
                             std::forward_as_tuple(run, static_cast<size_t>(stop - run)),
                             std::forward_as_tuple());
        p_ = stop + 1;
      } else {
        members.emplace_back();
        if (!ParseString(&members.back().first)) return false;
      }
      bool duplicate;
      if (members.size() <= kLinearKeys) {
        // A key whose signature no earlier key has cannot repeat one.
        const uint64_t bit = uint64_t{1} << KeySignature(members.back().first);
        duplicate = (signatures & bit) != 0 && SameAsEarlier(members);
        signatures |= bit;
      } else {
        duplicate = index.SeenBefore(members);
      }
      if (duplicate) {
        p_ = key_at;
        if (error_ != nullptr) error_->key = members.back().first.substr(0, 64);
        return Fail("duplicateKey", "Duplicate key \"" + members.back().first.substr(0, 64) + "\"");
      }
      SkipSpace();
      if (p_ >= end_ || *p_ != ':') return Fail("expectedColon", "Expected ':'");
      ++p_;
      SkipSpace();
      if (!ParseValue(&members.back().second, depth + 1)) return false;
      SkipSpace();
      if (p_ >= end_) return Fail("unexpectedEndInObject", "Unexpected end of text in an object");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        hint = members.size();
        return true;
      }
      return Fail("expectedCommaOrBrace", "Expected ',' or '}'");
    }
  }

  bool ParseArray(Value* out, int depth) {
    if (!EnterContainer(depth)) return false;
    ++p_;
    out->MakeArray();
    std::vector<Value>& items = out->items_;
    SkipSpace();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    size_t& hint = Hint(depth, false);
    if (hint != 0) items.reserve(hint);
    while (true) {
      SkipSpace();
      items.emplace_back();
      if (!ParseValue(&items.back(), depth + 1)) return false;
      SkipSpace();
      if (p_ >= end_) return Fail("unexpectedEndInArray", "Unexpected end of text in an array");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        hint = items.size();
        return true;
      }
      return Fail("expectedCommaOrBracket", "Expected ',' or ']'");
    }
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ReadHex4(unsigned* out) {
    if (end_ - p_ < 4) return Fail("truncatedEscape", "Truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = HexDigit(p_[i]);
      if (d < 0) return Fail("invalidUnicodeEscape", "Invalid \\u escape");
      v = v * 16 + static_cast<unsigned>(d);
    }
    p_ += 4;
    *out = v;
    return true;
  }

  // Code points are written as (generalised) UTF-8; a lone surrogate becomes
  // its 3-byte form, which the text rules then report as INVALID_TEXT.
  static void AppendUtf8(unsigned cp, std::string* s) {
    char buf[4];
    size_t n;
    if (cp < 0x80) {
      buf[0] = static_cast<char>(cp);
      n = 1;
    } else if (cp < 0x800) {
      buf[0] = static_cast<char>(0xC0 | (cp >> 6));
      buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 2;
    } else if (cp < 0x10000) {
      buf[0] = static_cast<char>(0xE0 | (cp >> 12));
      buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 3;
    } else {
      buf[0] = static_cast<char>(0xF0 | (cp >> 18));
      buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 4;
    }
    s->append(buf, n);
  }

  // A string value: built in place from its text when it is one plain run.
  bool ParseStringValue(Value* out) {
    const char* run = p_ + 1;
    const char* stop = SkipPlain(run, end_);
    out->Drop();
    out->type_ = Type::kString;
    if (stop < end_ && *stop == '"') {
      new (&out->text_) std::string(run, static_cast<size_t>(stop - run));
      p_ = stop + 1;
      return true;
    }
    new (&out->text_) std::string();
    return ParseString(&out->text_);
  }

  bool ParseString(std::string* out) {
    ++p_;  // opening quote
    const char* run = p_;
    p_ = SkipPlain(p_, end_);
    out->assign(run, static_cast<size_t>(p_ - run));
    while (true) {
      if (p_ >= end_) return Fail("unterminatedString", "Unterminated string");
      char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c != '\\') return Fail("controlCharacter", "Unescaped control character in a string");
      ++p_;
      if (p_ >= end_) return Fail("unterminatedString", "Unterminated string");
      char e = *p_++;
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          unsigned cp = 0;
          if (!ReadHex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            const char* save = p_;
            p_ += 2;
            unsigned low = 0;
            if (!ReadHex4(&low)) return false;
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              p_ = save;  // a lone high surrogate; the next escape stands alone
            }
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("invalidEscape", "Invalid escape in a string");
      }
      run = p_;
      p_ = SkipPlain(p_, end_);
      out->append(run, static_cast<size_t>(p_ - run));
    }
  }

  bool ParseNumber(Value* out) {
    const char* start = p_;
    bool negative = false;
    if (*p_ == '-') {
      negative = true;
      ++p_;
    }
    if (p_ >= end_) return Fail("invalidNumber", "Invalid number");
    const char* digits_at = p_;
    uint64_t v = 0;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      // Past 19 digits this wraps, but then the count below sends the number
      // to its text and v is unused.
      while (p_ < end_ && IsDigit(*p_)) v = v * 10 + static_cast<unsigned>(*p_++ - '0');
    } else {
      return Fail("unexpectedCharacter", "Unexpected character");
    }
    const size_t digit_count = static_cast<size_t>(p_ - digits_at);
    bool integral = true;
    if (p_ < end_ && *p_ == '.') {
      integral = false;
      ++p_;
      const char* digits = p_;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      if (p_ == digits) return Fail("invalidNumber", "Invalid number");
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      const char* digits = p_;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      if (p_ == digits) return Fail("invalidNumber", "Invalid number");
    }
    // "-0" is not an integer amount (SPEC 2.1 counts -0.0 as invalid; -0 is
    // the same value), and 19+ digits may not fit: both stay as text.
    const bool minus_zero = negative && digit_count == 1 && *digits_at == '0';
    if (integral && !minus_zero && digit_count <= 18) {
      const auto i = static_cast<int64_t>(v);
      out->MakeInt(negative ? -i : i);
    } else {
      out->MakeNumberText()->assign(start, static_cast<size_t>(p_ - start));
    }
    return true;
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  const Limits& limits_;
  ParseError* error_;
  size_t hints_[2 * 33] = {};  // [2 * depth + is_object]: last size seen there
};

}  // namespace detail

bool Parse(std::string_view text, Value* out, ParseError* error, const Limits& limits) {
  detail::Parser parser(text, limits, error);
  return parser.ParseDocument(out);
}

const char* ReadString(const char* p, const char* end, std::string* out) {
  if (p >= end || *p != '"') return nullptr;
  const char* run = p + 1;
  const char* stop = SkipPlain(run, end);
  if (stop < end && *stop == '"') {
    out->assign(run, static_cast<size_t>(stop - run));
    return stop + 1;
  }
  detail::Parser parser(std::string_view(p, static_cast<size_t>(end - p)), Limits(), nullptr);
  return parser.StringAt(out);
}

void WriteString(std::string_view text, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    size_t run = i;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++i;
    }
    out->append(text.data() + run, i - run);
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
      }
      ++i;
      continue;
    }
    // Multi-byte sequence: copy when well formed; an encoded surrogate
    // (ED A0..BF xx) goes out as its \u escape; anything else as U+FFFD.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    bool ok = len > 1 && i + len <= n && c <= 0xF4 && c >= 0xC2;
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (ok) {
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      if (c == 0xE0 && c1 < 0xA0) ok = false;
      if (c == 0xF0 && c1 < 0x90) ok = false;
      if (c == 0xF4 && c1 > 0x8F) ok = false;
      if (c == 0xED && c1 >= 0xA0) {
        unsigned cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        out->append("\\u");
        out->push_back(kHex[(cp >> 12) & 15]);
        out->push_back(kHex[(cp >> 8) & 15]);
        out->push_back(kHex[(cp >> 4) & 15]);
        out->push_back(kHex[cp & 15]);
        i += 3;
        continue;
      }
    }
    if (ok) {
      out->append(text.data() + i, len);
      i += len;
    } else {
      out->append("\xEF\xBF\xBD");
      ++i;
    }
  }
  out->push_back('"');
}

void Write(const Value& value, std::string* out) {
  switch (value.type()) {
    case Type::kNull:
      out->append("null");
      break;
    case Type::kBool:
      out->append(value.as_bool() ? "true" : "false");
      break;
    case Type::kNumber:
      if (value.is_int()) {
        out->append(std::to_string(value.as_int()));
      } else {
        out->append(value.number_text());
      }
      break;
    case Type::kString:
      WriteString(value.as_string(), out);
      break;
    case Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : value.items()) {
        if (!first) out->push_back(',');
        first = false;
        Write(item, out);
      }
      out->push_back(']');
      break;
    }
    case Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const Member& m : value.members()) {
        if (!first) out->push_back(',');
        first = false;
        WriteString(m.first, out);
        out->push_back(':');
        Write(m.second, out);
      }
      out->push_back('}');
      break;
    }
  }
}

std::string Write(const Value& value) {
  std::string out;
  Write(value, &out);
  return out;
}

}  // namespace milestone::json
