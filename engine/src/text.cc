#include "milestone/text.h"

#include <cstring>

namespace milestone {
namespace {

// Decodes one code point at text[*i]; returns -1 for an ill-formed sequence
// (overlong, surrogate, above U+10FFFF, truncated) and advances past it.
int32_t DecodeOne(std::string_view text, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(*i);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c < 0xC2 || c > 0xF4 || *i + len > text.size()) {
    ++*i;
    return -1;
  }
  int32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = byte(*i + k);
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += len;
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  return cp;
}

bool IsWhiteSpace(int32_t cp) {
  // Unicode White_Space.
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // ASCII fast path: most titles are plain ASCII.
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    if (DecodeOne(text, &i) < 0) return false;
  }
  return true;
}

bool HasForbiddenControl(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return true;
      ++i;
      continue;
    }
    int32_t cp = DecodeOne(text, &i);
    if (cp >= 0x80 && cp <= 0x9F) return true;
  }
  return false;
}

TextFacts AnalyzeText(std::string_view text) {
  TextFacts facts;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Eight printable ASCII bytes at a time (no byte >= 0x80, < 0x20 or 0x7F).
    if (i + 8 <= n) {
      constexpr uint64_t kOnes = 0x0101010101010101ULL;
      constexpr uint64_t kHigh = 0x8080808080808080ULL;
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      uint64_t del = w ^ (kOnes * 0x7F);
      if (((w | ((w - kOnes * 0x20) & ~w) | ((del - kOnes) & ~del)) & kHigh) == 0) {
        facts.code_points += 8;
        i += 8;
        continue;
      }
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) facts.forbidden_control = true;
      ++facts.code_points;
      ++i;
      continue;
    }
    int32_t cp = DecodeOne(text, &i);
    if (cp < 0) {
      facts.valid_utf8 = false;
    } else if (cp <= 0x9F) {
      facts.forbidden_control = true;  // C1 controls
    }
    ++facts.code_points;
  }
  return facts;
}

int64_t CodePointCount(std::string_view text) {
  int64_t n = 0;
  for (char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view TrimWhiteSpace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t next = begin;
    int32_t cp = DecodeOne(text, &next);
    if (!IsWhiteSpace(cp)) break;
    begin = next;
  }
  size_t end = text.size();
  while (end > begin) {
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    size_t probe = start;
    int32_t cp = DecodeOne(text, &probe);
    if (probe != end || !IsWhiteSpace(cp)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

}  // namespace milestone
