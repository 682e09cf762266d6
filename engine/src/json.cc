#include "json.h"

#include <cstdio>
#include <cstring>
#include <new>

namespace milestone::json {

Value::Value(const Value& other)
    : type_(other.type_),
      bool_(other.bool_),
      is_int_(other.is_int_),
      int_(other.int_),
      text_(other.text_) {
  CopyContainer(other);
}

Value::Value(Value&& other) noexcept
    : type_(other.type_),
      bool_(other.bool_),
      is_int_(other.is_int_),
      int_(other.int_),
      text_(std::move(other.text_)) {
  TakeContainer(std::move(other));
}

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this == &other) return *this;
  DropContainer();
  type_ = other.type_;
  bool_ = other.bool_;
  is_int_ = other.is_int_;
  int_ = other.int_;
  text_ = std::move(other.text_);
  TakeContainer(std::move(other));
  return *this;
}

void Value::DropContainer() noexcept {
  if (type_ == Type::kArray) {
    items_.~vector();
  } else if (type_ == Type::kObject) {
    members_.~vector();
  }
  type_ = Type::kNull;
}

// Constructs this value's container (type_ already says which) from `other`'s.
void Value::TakeContainer(Value&& other) noexcept {
  if (type_ == Type::kArray) {
    new (&items_) std::vector<Value>(std::move(other.items_));
  } else if (type_ == Type::kObject) {
    new (&members_) std::vector<Member>(std::move(other.members_));
  }
}

void Value::CopyContainer(const Value& other) {
  if (type_ == Type::kArray) {
    new (&items_) std::vector<Value>(other.items_);
  } else if (type_ == Type::kObject) {
    new (&members_) std::vector<Member>(other.members_);
  }
}

void Value::MakeArray() {
  if (type_ == Type::kArray) return;
  Become(Type::kArray);
  new (&items_) std::vector<Value>();
}

void Value::MakeObject() {
  if (type_ == Type::kObject) return;
  Become(Type::kObject);
  new (&members_) std::vector<Member>();
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
  v.type_ = Type::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.type_ = Type::kNumber;
  v.is_int_ = true;
  v.int_ = i;
  return v;
}

Value Value::NumberText(std::string text) {
  Value v;
  v.type_ = Type::kNumber;
  v.text_ = std::move(text);
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::kString;
  v.text_ = std::move(s);
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

// Eight bytes at a time: whether any is a quote, a backslash or below 0x20.
// (Classic SWAR tests; bytes >= 0x80 never count as below 0x20.)
inline bool WordNeedsStop(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t quote = w ^ (kOnes * '"');
  uint64_t backslash = w ^ (kOnes * '\\');
  uint64_t found =
      ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | ((w - kOnes * 0x20) & ~w);
  return (found & kHigh) != 0;
}

// Recursive descent: the depth limit (32) bounds the recursion, so a hostile
// document can never exhaust the stack.
class Parser {
 public:
  Parser(std::string_view text, const Limits& limits, ParseError* error)
      : text_(text), limits_(limits), error_(error) {}

  bool ParseDocument(Value* out) {
    if (text_.size() > limits_.max_bytes) {
      return Fail("The document is larger than " +
                  std::to_string(limits_.max_bytes / (1024 * 1024)) + " MiB.");
    }
    SkipSpace();
    if (!ParseValue(out, 1)) return false;
    SkipSpace();
    if (pos_ != text_.size()) return Fail("Unexpected text after the JSON value");
    return true;
  }

 private:
  bool Fail(std::string message) {
    if (error_ != nullptr) {
      error_->offset = pos_;
      if (message.back() != '.') message += " at byte " + std::to_string(pos_) + ".";
      error_->message = std::move(message);
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Literal(const char* word) {
    size_t n = std::strlen(word);
    if (text_.compare(pos_, n, word) != 0) return Fail("Invalid literal");
    pos_ += n;
    return true;
  }

  bool ParseValue(Value* out, int depth) {
    if (pos_ >= text_.size()) return Fail("Unexpected end of text");
    switch (text_[pos_]) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"':
        return ParseString(out->MakeString());
      case 't':
        out->MakeBool(true);
        return Literal("true");
      case 'f':
        out->MakeBool(false);
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return ParseNumber(out);
    }
  }

  bool EnterContainer(int depth) {
    if (depth > limits_.max_depth) {
      return Fail("The document nests deeper than " + std::to_string(limits_.max_depth) +
                  " levels");
    }
    return true;
  }

  bool ParseObject(Value* out, int depth) {
    if (!EnterContainer(depth)) return false;
    ++pos_;
    out->MakeObject();
    auto& members = out->members();
    members.reserve(8);  // a milestone has 8 known fields
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("Expected a key");
      size_t key_at = pos_;
      members.emplace_back();
      std::string& key = members.back().first;
      if (!ParseString(&key)) return false;
      for (size_t k = 0; k + 1 < members.size(); ++k) {
        if (members[k].first == key) {
          pos_ = key_at;
          return Fail("Duplicate key \"" + key.substr(0, 64) + "\"");
        }
      }
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("Expected ':'");
      ++pos_;
      SkipSpace();
      if (!ParseValue(&members.back().second, depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("Unexpected end of text in an object");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail("Expected ',' or '}'");
    }
  }

  bool ParseArray(Value* out, int depth) {
    if (!EnterContainer(depth)) return false;
    ++pos_;
    out->MakeArray();
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      out->items().emplace_back();
      if (!ParseValue(&out->items().back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("Unexpected end of text in an array");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return Fail("Expected ',' or ']'");
    }
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ReadHex4(unsigned* out) {
    if (pos_ + 4 > text_.size()) return Fail("Truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = HexDigit(text_[pos_ + i]);
      if (d < 0) return Fail("Invalid \\u escape");
      v = v * 16 + static_cast<unsigned>(d);
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  // Code points are written as (generalised) UTF-8; a lone surrogate becomes
  // its 3-byte form, which the text rules then report as INVALID_TEXT.
  static void AppendUtf8(unsigned cp, std::string* s) {
    if (cp < 0x80) {
      s->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      size_t run = pos_;
      const size_t end = text_.size();
      const char* data = text_.data();
      // Titles and descriptions are mostly plain runs: skip them a word at a time.
      while (pos_ + 8 <= end) {
        uint64_t w;
        std::memcpy(&w, data + pos_, 8);
        if (WordNeedsStop(w)) break;
        pos_ += 8;
      }
      while (pos_ < end && !kStringStop.stop[static_cast<unsigned char>(data[pos_])]) ++pos_;
      out->append(data + run, pos_ - run);
      if (pos_ >= text_.size()) return Fail("Unterminated string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') return Fail("Unescaped control character in a string");
      ++pos_;
      if (pos_ >= text_.size()) return Fail("Unterminated string");
      char e = text_[pos_++];
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
          if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 <= text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            size_t save = pos_;
            pos_ += 2;
            unsigned low = 0;
            if (!ReadHex4(&low)) return false;
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;  // a lone high surrogate; the next escape stands alone
            }
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("Invalid escape in a string");
      }
    }
  }

  bool ParseNumber(Value* out) {
    size_t start = pos_;
    bool negative = false;
    if (text_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    if (pos_ >= text_.size()) return Fail("Invalid number");
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (text_[pos_] >= '1' && text_[pos_] <= '9') {
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    } else {
      return Fail("Unexpected character");
    }
    size_t int_end = pos_;
    bool integral = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integral = false;
      ++pos_;
      size_t digits = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return Fail("Invalid number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      size_t digits = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return Fail("Invalid number");
    }
    std::string_view spelled = text_.substr(start, pos_ - start);
    // "-0" is not an integer amount (SPEC 2.1 counts -0.0 as invalid; -0 is
    // the same value), and 19+ digits may not fit: both stay as text.
    size_t digit_count = int_end - start - (negative ? 1 : 0);
    if (integral && spelled != "-0" && digit_count <= 18) {
      int64_t v = 0;
      for (size_t i = start + (negative ? 1 : 0); i < int_end; ++i) {
        v = v * 10 + (text_[i] - '0');
      }
      out->MakeInt(negative ? -v : v);
    } else {
      out->MakeNumberText()->assign(spelled.data(), spelled.size());
    }
    return true;
  }

  std::string_view text_;
  const Limits& limits_;
  ParseError* error_;
  size_t pos_ = 0;
};

}  // namespace

bool Parse(std::string_view text, Value* out, ParseError* error, const Limits& limits) {
  Parser parser(text, limits, error);
  return parser.ParseDocument(out);
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
