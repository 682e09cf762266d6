#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/issue.h"
#include "milestone/money.h"

namespace milestone {

inline constexpr int64_t kMaxWindowDays = 3650;

// Which not_funded milestone may be funded (SPEC 1.3).
enum class FundingOrder {
  kSequential,  // only the first; states keep the order closed, in flight, not_funded
  kAny,         // any; states may interleave; only not_funded milestones move
};

// The numbers and the funding model behind the rules. Data, not code: another
// marketplace's policy is a JSON object handed to ParsePolicy, with no
// rebuild (docs/policies.md).
struct Policy {
  // The currencies a contract may use, each with its exponent and limits; the
  // first is the default for formatMoney and parseMoney. Never empty.
  std::vector<Currency> currencies = {Currency{}};
  int64_t max_milestones = 1000;
  int64_t title_max_length = 255;
  int64_t description_max_length = 5000;
  int64_t initiation_fee = 299;
  int64_t max_in_flight = 1;  // milestones active or submitted at once
  FundingOrder funding_order = FundingOrder::kSequential;
  // Escrow over time (SPEC 3.1): days the client has to answer a submission
  // before the marketplace releases it (0: never), and days the freelancer
  // has to answer a refund request before the marketplace grants it (0: never).
  int64_t review_days = 14;
  int64_t refund_response_days = 7;

  static Policy Upwork() { return Policy{}; }

  // The policy's entry for `code`, or null when contracts may not use it.
  const Currency* FindCurrency(std::string_view code) const;
  const Currency& DefaultCurrency() const { return currencies.front(); }
  // For writing amounts of a contract in `code`: the policy's entry, or the
  // code's ISO exponent when the policy does not allow it (its messages
  // still name the money the document holds).
  Currency CurrencyFor(std::string_view code) const;
};

// Reads a policy object ({"minimumAmount": 500, ...}) over `base`. Every key is
// optional; unknown keys, wrong types and unusable values are errors (code
// POLICY) naming the key (docs/policies.md).
bool ParsePolicy(std::string_view json, const Policy& base, Policy* out, IssueList* issues);

// The policy written back normalised: every key, the currencies as a table.
std::string PolicyToJson(const Policy& policy);

}  // namespace milestone
