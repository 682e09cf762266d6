#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "milestone/issue.h"

namespace milestone {

// Largest magnitude a JSON number keeps exactly in every JS engine (2^53).
inline constexpr int64_t kMaxSafeInteger = 9007199254740992;

// Reads "12", "12.5", "12.50", "$1,234.56" into minor units. Anything it cannot
// read exactly ("5.005", "1e2", "NaN", "-5", "5,00", "") is INVALID_AMOUNT.
bool ParseMoney(std::string_view text, int64_t* amount, IssueList* issues);

// 1250 -> "$12.50", 123456 -> "$1,234.56", -500 -> "-$5.00".
std::string FormatMoney(int64_t amount);

// a + b and a - b, false when the result leaves [-2^53, 2^53].
bool CheckedAdd(int64_t a, int64_t b, int64_t* out);
bool CheckedSub(int64_t a, int64_t b, int64_t* out);

}  // namespace milestone
