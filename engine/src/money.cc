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

void Reject(std::string_view text, const Currency& currency, std::string_view written,
            IssueList* issues) {
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
  // The example as this parser reads it: in the language it reads.
  const std::string example = written.empty()
                                  ? FormatMoney(123456 * Pow10(currency.exponent), currency)
                                  : std::string(written);
  issue.hint = "Write the amount like " + example + " or without the symbol.";
  issue.message_id = text.empty()             ? "INVALID_AMOUNT.empty"
                     : currency.exponent == 0 ? "INVALID_AMOUNT.typedWhole"
                     : currency.exponent == 1 ? "INVALID_AMOUNT.typedOneDecimal"
                                              : "INVALID_AMOUNT.typed";
  issue.params = {TextParam("text", typed), TextParam("currency", currency.code),
                  NumberParam("decimals", currency.exponent), TextParam("example", example)};
  issues->push_back(std::move(issue));
}

// Spaces a person or a language puts around an amount: space, tab, no-break
// space (U+00A0) and narrow no-break space (U+202F).
constexpr std::string_view kSpaces[] = {" ", "\t", "\xc2\xa0", "\xe2\x80\xaf"};

std::string_view Trim(std::string_view s) {
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (std::string_view space : kSpaces) {
      if (s.substr(0, space.size()) == space) {
        s.remove_prefix(space.size());
        trimmed = true;
      }
      if (s.size() >= space.size() && s.substr(s.size() - space.size()) == space) {
        s.remove_suffix(space.size());
        trimmed = true;
      }
    }
  }
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return !p.empty() && s.size() > p.size() && s.substr(0, p.size()) == p;
}
bool EndsWith(std::string_view s, std::string_view p) {
  return !p.empty() && s.size() > p.size() && s.substr(s.size() - p.size()) == p;
}

// `s` without the currency's symbol or code, where the language writes them.
std::string_view WithoutCurrency(std::string_view s, std::string_view symbol, std::string_view code,
                                 bool after) {
  for (std::string_view mark : {symbol, code}) {
    if (!after && StartsWith(s, mark)) return Trim(s.substr(mark.size()));
    if (after && EndsWith(s, mark)) return Trim(s.substr(0, s.size() - mark.size()));
  }
  return s;
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

bool ParseMoney(std::string_view text, const Currency& currency, const MoneySyntax& syntax,
                int64_t* amount, IssueList* issues) {
  std::string_view symbol = syntax.symbol;
  if (symbol.empty()) {
    const Known* known = Find(currency.code);
    if (known != nullptr && known->symbol != nullptr) symbol = known->symbol;
  }
  const std::string_view s = WithoutCurrency(Trim(text), symbol, currency.code, syntax.after);
  const std::string_view group_mark = syntax.group;
  const std::string_view decimal_mark = syntax.decimal;
  auto reject = [&] {
    Reject(text, currency, syntax.example, issues);
    return false;
  };

  // Whole part: plain digits, or digits grouped in threes.
  int64_t whole = 0;
  size_t i = 0;
  size_t group = 0;
  bool grouped = false;
  bool any = false;
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      if (whole > kMaxSafeInteger / 10) return reject();
      whole = whole * 10 + (s[i] - '0');
      ++group;
      any = true;
      ++i;
    } else if (!group_mark.empty() && s.compare(i, group_mark.size(), group_mark) == 0) {
      if (!any || (grouped ? group != 3 : group > 3)) return reject();
      grouped = true;
      group = 0;
      i += group_mark.size();
    } else {
      break;
    }
  }
  if (!any || group == 0 || (grouped && group != 3)) return reject();

  const int exponent = currency.exponent;
  int64_t minor = 0;
  int digits = 0;
  if (i < s.size() && s.compare(i, decimal_mark.size(), decimal_mark) == 0) {
    i += decimal_mark.size();
    while (i < s.size() && IsDigit(s[i])) {
      if (++digits > exponent) return reject();
      minor = minor * 10 + (s[i] - '0');
      ++i;
    }
    if (digits == 0) return reject();
  }
  if (i != s.size()) return reject();
  minor *= Pow10(exponent - digits);
  const int64_t scale = Pow10(exponent);
  if (whole > (kMaxSafeInteger - minor) / scale) return reject();
  *amount = whole * scale + minor;
  return true;
}

bool ParseMoney(std::string_view text, const Currency& currency, int64_t* amount,
                IssueList* issues) {
  return ParseMoney(text, currency, MoneySyntax{}, amount, issues);
}

bool ParseMoney(std::string_view text, int64_t* amount, IssueList* issues) {
  return ParseMoney(text, Currency{}, amount, issues);
}

std::string AmountNumber(int64_t amount, int exponent, std::string_view decimal,
                         std::string_view group) {
  // Magnitude as unsigned so INT64_MIN does not overflow on negation.
  const uint64_t magnitude =
      amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  if (exponent < 0 || exponent > 4) exponent = 2;
  const uint64_t scale = static_cast<uint64_t>(Pow10(exponent));
  const std::string whole = std::to_string(magnitude / scale);
  std::string out;
  for (size_t k = 0; k < whole.size(); ++k) {
    if (k > 0 && (whole.size() - k) % 3 == 0) out += group;
    out.push_back(whole[k]);
  }
  if (exponent > 0) {
    const std::string minor = std::to_string(magnitude % scale);
    out += decimal;
    out.append(static_cast<size_t>(exponent) - minor.size(), '0');
    out += minor;
  }
  return out;
}

std::string FormatMoney(int64_t amount, const Currency& currency) {
  return (amount < 0 ? "-" : "") + Prefix(currency) +
         AmountNumber(amount, currency.exponent, ".", ",");
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
