#include "milestone/money.h"

#include <cstdlib>

#include "milestone/codes.h"

namespace milestone {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct Known {
  const char* code;
  int exponent;
  const char* symbol;  // written before the amount; nullptr: the code and a space
};

// The currencies whose exponent and symbol the engine knows. Others are
// written with their code ("CHF 12.50") and a policy's exponent.
const Known kKnown[] = {
    {"USD", 2, "$"},     {"EUR", 2, "\u20ac"}, {"GBP", 2, "\u00a3"}, {"JPY", 0, "\u00a5"},
    {"CAD", 2, nullptr}, {"AUD", 2, nullptr},  {"CHF", 2, nullptr},  {"INR", 2, "\u20b9"},
    {"KRW", 0, nullptr}, {"CNY", 2, nullptr},  {"BRL", 2, nullptr},  {"MXN", 2, nullptr},
    {"SEK", 2, nullptr}, {"NOK", 2, nullptr},  {"DKK", 2, nullptr},  {"PLN", 2, nullptr},
    {"ISK", 0, nullptr}, {"CLP", 0, nullptr},  {"VND", 0, nullptr},  {"KWD", 3, nullptr},
    {"BHD", 3, nullptr}, {"OMR", 3, nullptr},  {"JOD", 3, nullptr},  {"TND", 3, nullptr},
    {"LYD", 3, nullptr}, {"IQD", 3, nullptr},  {"CLF", 4, nullptr},  {"UYW", 4, nullptr},
};

const Known* Find(std::string_view code) {
  for (const Known& k : kKnown) {
    if (code == k.code) return &k;
  }
  return nullptr;
}

// What leads a written amount: "$", or "KWD ".
std::string Prefix(const Currency& currency) {
  const Known* known = Find(currency.code);
  if (known != nullptr && known->symbol != nullptr) return known->symbol;
  return currency.code + " ";
}

int64_t Pow10(int exponent) {
  int64_t p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

void Reject(std::string_view text, const Currency& currency, IssueList* issues) {
  if (issues == nullptr) return;
  Issue issue;
  issue.code = codes::kInvalidAmount;
  issue.severity = Severity::kError;
  const std::string decimals = currency.exponent == 0 ? "no decimals"
                               : currency.exponent == 1
                                   ? "at most one decimal"
                                   : "at most " + std::to_string(currency.exponent) + " decimals";
  const std::string typed(text.substr(0, 40));
  issue.message = text.empty() ? "Enter an amount."
                               : "The amount \"" + typed + "\" is not an amount in " +
                                     currency.code + " with " + decimals + ".";
  // The example as this parser reads it, whatever the catalog's language.
  const std::string example = FormatMoney(123456 * Pow10(currency.exponent), currency);
  issue.hint = "Write the amount like " + example + " or without the symbol.";
  issue.message_id = text.empty()             ? "INVALID_AMOUNT.empty"
                     : currency.exponent == 0 ? "INVALID_AMOUNT.typedWhole"
                     : currency.exponent == 1 ? "INVALID_AMOUNT.typedOneDecimal"
                                              : "INVALID_AMOUNT.typed";
  issue.params = {TextParam("text", typed), TextParam("currency", currency.code),
                  NumberParam("decimals", currency.exponent), TextParam("example", example)};
  issues->push_back(std::move(issue));
}

}  // namespace

int IsoExponent(std::string_view code) {
  const Known* known = Find(code);
  return known != nullptr ? known->exponent : -1;
}

Currency CurrencyOfCode(std::string_view code) {
  Currency currency;
  currency.code = std::string(code);
  const int exponent = IsoExponent(code);
  currency.exponent = exponent >= 0 ? exponent : 2;
  return currency;
}

bool ParseMoney(std::string_view text, const Currency& currency, int64_t* amount,
                IssueList* issues) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  const Known* known = Find(currency.code);
  if (known != nullptr && known->symbol != nullptr &&
      s.substr(0, std::string_view(known->symbol).size()) == known->symbol) {
    s.remove_prefix(std::string_view(known->symbol).size());
  } else if (s.size() > currency.code.size() &&
             s.substr(0, currency.code.size()) == currency.code) {
    s.remove_prefix(currency.code.size());
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }

  // Whole part: plain digits, or digits grouped by commas in threes.
  int64_t whole = 0;
  size_t i = 0;
  size_t group = 0;
  bool grouped = false;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == ',')) {
    if (s[i] == ',') {
      if (i == 0 || (grouped ? group != 3 : group > 3))
        return Reject(text, currency, issues), false;
      grouped = true;
      group = 0;
    } else {
      if (whole > kMaxSafeInteger / 10) return Reject(text, currency, issues), false;
      whole = whole * 10 + (s[i] - '0');
      ++group;
    }
    ++i;
  }
  if (i == 0 || group == 0 || (grouped && group != 3)) return Reject(text, currency, issues), false;

  const int exponent = currency.exponent;
  int64_t minor = 0;
  int digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) {
      if (++digits > exponent) return Reject(text, currency, issues), false;
      minor = minor * 10 + (s[i] - '0');
      ++i;
    }
    if (digits == 0) return Reject(text, currency, issues), false;
  }
  if (i != s.size()) return Reject(text, currency, issues), false;
  minor *= Pow10(exponent - digits);
  const int64_t scale = Pow10(exponent);
  if (whole > (kMaxSafeInteger - minor) / scale) return Reject(text, currency, issues), false;
  *amount = whole * scale + minor;
  return true;
}

bool ParseMoney(std::string_view text, int64_t* amount, IssueList* issues) {
  return ParseMoney(text, Currency{}, amount, issues);
}

std::string FormatMoney(int64_t amount, const Currency& currency) {
  // Magnitude as unsigned so INT64_MIN does not overflow on negation.
  const uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  const int exponent = currency.exponent < 0 || currency.exponent > 4 ? 2 : currency.exponent;
  const uint64_t scale = static_cast<uint64_t>(Pow10(exponent));
  std::string whole = std::to_string(magnitude / scale);
  std::string out = amount < 0 ? "-" : "";
  out += Prefix(currency);
  for (size_t k = 0; k < whole.size(); ++k) {
    if (k > 0 && (whole.size() - k) % 3 == 0) out.push_back(',');
    out.push_back(whole[k]);
  }
  if (exponent > 0) {
    std::string minor = std::to_string(magnitude % scale);
    out.push_back('.');
    out.append(static_cast<size_t>(exponent) - minor.size(), '0');
    out += minor;
  }
  return out;
}

std::string FormatMoney(int64_t amount) { return FormatMoney(amount, Currency{}); }

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
