#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace milestone {

// Well-formed UTF-8: no overlong forms, no surrogates (so the WTF-8 bytes of a
// lone surrogate, ED A0 80, are invalid), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// Control characters (C0 and DEL and C1) other than tab and newline.
bool HasForbiddenControl(std::string_view text);

// Code points in valid UTF-8 text.
int64_t CodePointCount(std::string_view text);

// What the text rules need to know, in one pass over the bytes.
struct TextFacts {
  bool valid_utf8 = true;
  bool forbidden_control = false;  // as HasForbiddenControl
  int64_t code_points = 0;         // meaningful only when valid_utf8
};
TextFacts AnalyzeText(std::string_view text);

// Without leading and trailing white space (ASCII and Unicode White_Space).
std::string_view TrimWhiteSpace(std::string_view text);

}  // namespace milestone
