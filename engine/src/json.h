#pragma once

// A small, strict JSON document model private to the engine. Our own parser
// rather than nlohmann's because the rules need what a general parser hides:
// the size and depth limits enforced while reading (a deep document is never
// built), duplicate keys refused, numbers kept with their exact spelling
// (so 1e400, -0.0 and 9007199254740993 reach the rules as they were written,
// not as a rounded double or an error), and strings kept byte for byte (so a
// lone surrogate is an INVALID_TEXT finding on a field, not a parse failure).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace milestone::json {

enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

class Value;
using Member = std::pair<std::string, Value>;
namespace detail {
class Parser;
}

class Value {
 public:
  // One value is one of: nothing, a bool, an integer, a text (string or the
  // spelling of a non-integer number), an array, an object. They share
  // storage, so a value is 40 bytes and a member 72: a parsed document is
  // mostly members, and every byte of them is allocated, touched and freed
  // on each read.
  Value() noexcept : int_(0) {}
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value() { Drop(); }

  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  // A number as written in JSON text ("500.5", "1e400", "-0").
  static Value NumberText(std::string text);
  static Value String(std::string s);
  static Value Array();
  static Value Object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // false, 0 and "" for a value of another type.
  bool as_bool() const { return type_ == Type::kBool && bool_; }
  // A number is an integer when written as one (no fraction, no exponent, not
  // "-0") and it fits int64. as_int() is meaningful only then.
  bool is_int() const { return type_ == Type::kNumber && is_int_; }
  int64_t as_int() const { return is_int() ? int_ : 0; }
  const std::string& number_text() const {  // non-int numbers
    return type_ == Type::kNumber && !is_int_ ? text_ : EmptyText();
  }
  const std::string& as_string() const { return type_ == Type::kString ? text_ : EmptyText(); }
  // Empty unless the value is an array (an object); the non-const forms turn
  // the value into one.
  const std::vector<Value>& items() const;
  std::vector<Value>& items() {
    MakeArray();
    return items_;
  }
  const std::vector<Member>& members() const;
  std::vector<Member>& members() {
    MakeObject();
    return members_;
  }

  // In-place construction for the parser: no temporary Value is moved.
  void MakeBool(bool b) {
    Drop();
    type_ = Type::kBool;
    bool_ = b;
  }
  void MakeInt(int64_t i) {
    Drop();
    type_ = Type::kNumber;
    is_int_ = true;
    int_ = i;
  }
  std::string* MakeNumberText() {
    Become(Type::kNumber);
    return &text_;
  }
  std::string* MakeString() {
    Become(Type::kString);
    return &text_;
  }
  void MakeArray();
  void MakeObject();

  // Object lookup; nullptr when absent or not an object.
  const Value* Find(std::string_view key) const;
  // Appends (objects) without a duplicate check: callers build known keys.
  Value& Set(std::string key, Value value);
  void Push(Value value) { items().push_back(std::move(value)); }

 private:
  friend class detail::Parser;  // builds strings and containers in place

  static const std::string& EmptyText();
  bool has_text() const { return type_ == Type::kString || (type_ == Type::kNumber && !is_int_); }
  // Destroys what the value holds; it is then null.
  void Drop() noexcept {
    if (type_ >= Type::kNumber) DropSlow();
    type_ = Type::kNull;
    is_int_ = false;
  }
  void DropSlow() noexcept;
  // Drop, then an empty text (kString, kNumber) or container (kArray, kObject).
  void Become(Type type);
  // Constructs this value's storage from `other`'s (type_, is_int_ copied).
  void TakeFrom(Value&& other) noexcept;
  void CopyFrom(const Value& other);

  Type type_ = Type::kNull;
  bool is_int_ = false;  // kNumber: int_ holds it, else text_ its spelling
  union {
    bool bool_;
    int64_t int_;
    std::string text_;             // kString, and kNumber when !is_int_
    std::vector<Value> items_;     // kArray
    std::vector<Member> members_;  // kObject
  };
};

struct Limits {
  size_t max_bytes = 4u << 20;  // SPEC 2.1: larger than 4 MiB is INVALID_JSON
  int max_depth = 32;           // SPEC 2.1: deeper than 32 is INVALID_JSON
};

struct ParseError {
  std::string message;  // one sentence, e.g. "Duplicate key \"id\" at byte 40."
  size_t offset = 0;
  // The same for a catalog (docs/languages.md): "duplicateKey", "tooDeep", ...;
  // `key` the repeated key, `limit` the size in MiB or the depth exceeded.
  const char* reason = "";
  std::string key;
  int64_t limit = 0;
};

// Parses exactly one JSON value (surrounding white space allowed). On failure
// `out` is unspecified.
bool Parse(std::string_view text, Value* out, ParseError* error, const Limits& limits = Limits());

// The JSON string literal at `p` (its opening quote), read as Parse reads
// one: escapes decoded, every other byte kept as it is. Returns the byte after
// its closing quote, or nullptr when there is no valid string literal there.
const char* ReadString(const char* p, const char* end, std::string* out);

// Compact JSON. Strings that are not valid UTF-8 are written with U+FFFD for
// bad bytes, except encoded lone surrogates, which are written as \uXXXX
// escapes so JS sees the same string it sent.
void Write(const Value& value, std::string* out);
std::string Write(const Value& value);

// Appends a JSON string literal for `text` (quotes included).
void WriteString(std::string_view text, std::string* out);

}  // namespace milestone::json
