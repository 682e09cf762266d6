#include "milestone/money.h"

#include <cstdlib>

#include "milestone/codes.h"

namespace milestone {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void Reject(std::string_view text, IssueList* issues) {
  if (issues == nullptr) return;
  Issue issue;
  issue.code = codes::kInvalidAmount;
  issue.severity = Severity::kError;
  issue.message = text.empty() ? "Enter an amount."
                               : "The amount \"" + std::string(text.substr(0, 40)) +
                                     "\" is not a dollar amount with at most two decimals.";
  issue.hint = "Write the amount like 1234.56 or $1,234.56.";
  issues->push_back(std::move(issue));
}

}  // namespace

bool ParseMoney(std::string_view text, int64_t* amount, IssueList* issues) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);

  // Whole part: plain digits, or digits grouped by commas in threes.
  int64_t whole = 0;
  size_t i = 0;
  size_t group = 0;
  bool grouped = false;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == ',')) {
    if (s[i] == ',') {
      if (i == 0 || (grouped ? group != 3 : group > 3)) return Reject(text, issues), false;
      grouped = true;
      group = 0;
    } else {
      if (whole > kMaxSafeInteger / 10) return Reject(text, issues), false;
      whole = whole * 10 + (s[i] - '0');
      ++group;
    }
    ++i;
  }
  if (i == 0 || group == 0 || (grouped && group != 3)) return Reject(text, issues), false;

  int64_t cents = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t digits = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (++digits > 2) return Reject(text, issues), false;
      cents = cents * 10 + (s[i] - '0');
      ++i;
    }
    if (digits == 0) return Reject(text, issues), false;
    if (digits == 1) cents *= 10;
  }
  if (i != s.size()) return Reject(text, issues), false;
  if (whole > (kMaxSafeInteger - cents) / 100) return Reject(text, issues), false;
  *amount = whole * 100 + cents;
  return true;
}

std::string FormatMoney(int64_t amount) {
  // Magnitude as unsigned so INT64_MIN does not overflow on negation.
  uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  std::string whole = std::to_string(magnitude / 100);
  std::string grouped;
  grouped.reserve(whole.size() + whole.size() / 3);
  for (size_t k = 0; k < whole.size(); ++k) {
    if (k > 0 && (whole.size() - k) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[k]);
  }
  unsigned cents = static_cast<unsigned>(magnitude % 100);
  std::string out = amount < 0 ? "-$" : "$";
  out += grouped;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + cents / 10));
  out.push_back(static_cast<char>('0' + cents % 10));
  return out;
}

bool CheckedAdd(int64_t a, int64_t b, int64_t* out) {
  if (std::llabs(a) > kMaxSafeInteger || std::llabs(b) > kMaxSafeInteger) return false;
  int64_t sum = a + b;  // cannot overflow int64: both are within 2^53
  if (sum > kMaxSafeInteger || sum < -kMaxSafeInteger) return false;
  *out = sum;
  return true;
}

bool CheckedSub(int64_t a, int64_t b, int64_t* out) {
  if (std::llabs(b) > kMaxSafeInteger) return false;
  return CheckedAdd(a, -b, out);
}

}  // namespace milestone
