#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "milestone/issue.h"

namespace milestone {

// Largest magnitude a JSON number keeps exactly in every JS engine (2^53).
inline constexpr int64_t kMaxSafeInteger = 9007199254740992;

// A currency a policy allows (SPEC 1.3): its ISO 4217 code, its exponent
// (minor units per major unit: JPY 0, USD 2, KWD 3) and its own limits for a
// milestone's amount, in minor units.
struct Currency {
  std::string code = "USD";
  int exponent = 2;
  int64_t minimum_amount = 500;
  int64_t maximum_amount = 100000000;
};

// The ISO 4217 exponent of a code the engine knows, -1 for any other.
int IsoExponent(std::string_view code);
// `code` as a currency of its ISO exponent (2 when unknown), no limits: for
// writing an amount where no policy says more.
Currency CurrencyOfCode(std::string_view code);

// Reads "12", "12.5", "12.50", "$1,234.56" into minor units of `currency`:
// its symbol or code may lead, commas group thousands, at most `exponent`
// decimals. Anything it cannot read exactly ("5.005" in USD, "1.5" in JPY,
// "1e2", "NaN", "-5", "5,00", "") is INVALID_AMOUNT.
bool ParseMoney(std::string_view text, const Currency& currency, int64_t* amount,
                IssueList* issues);
bool ParseMoney(std::string_view text, int64_t* amount, IssueList* issues);  // USD

// How a language writes amounts, for reading what a person typed in it
// (Catalog::ParseMoney): "1.234,56 US$" has decimal ",", group "." and the
// symbol "US$" after the number. The symbol or the currency's code may come
// where the language writes them (`after` the number, or before it), with or
// without a space; groups are threes; `example` is the hint's example, as
// this language writes 123,456 in whole units ("" : FormatMoney's).
struct MoneySyntax {
  std::string_view decimal = ".";
  std::string_view group = ",";
  std::string_view symbol;  // "": the engine's own for the currency
  bool after = false;
  std::string_view example;
};
bool ParseMoney(std::string_view text, const Currency& currency, const MoneySyntax& syntax,
                int64_t* amount, IssueList* issues);

// 1250 USD -> "$12.50", 123456 JPY -> "¥123,456", 1235 KWD -> "KWD 1.235",
// -500 USD -> "-$5.00".
std::string FormatMoney(int64_t amount, const Currency& currency);
std::string FormatMoney(int64_t amount);  // USD

// The number of an amount of minor units, without sign or symbol: the whole
// part grouped in threes by `group`, then `decimal` and `exponent` (0-4, else
// 2) minor digits. 123456, 2, ".", "," -> "1,234.56"; the languages' money
// formats (Catalog::Money) and FormatMoney write their numbers with it.
std::string AmountNumber(int64_t amount, int exponent, std::string_view decimal,
                         std::string_view group);

// a + b and a - b, false when the result leaves [-2^53, 2^53].
bool CheckedAdd(int64_t a, int64_t b, int64_t* out);
bool CheckedSub(int64_t a, int64_t b, int64_t* out);

}  // namespace milestone
