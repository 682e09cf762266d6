#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "milestone/issue.h"

namespace milestone {

// The numbers behind the rules. Data, not code: another marketplace's numbers
// are a JSON object handed to ParsePolicy, with no rebuild.
inline constexpr int64_t kMaxWindowDays = 3650;

struct Policy {
  std::string currency = "USD";
  int64_t minimum_amount = 500;
  int64_t maximum_amount = 100000000;
  int64_t max_milestones = 1000;
  int64_t title_max_length = 255;
  int64_t description_max_length = 5000;
  int64_t initiation_fee = 299;
  // Escrow over time (SPEC 3.1): days the client has to answer a submission
  // before the marketplace releases it (0: never), and days the freelancer
  // has to answer a refund request before the marketplace grants it (0: never).
  int64_t review_days = 14;
  int64_t refund_response_days = 7;

  static Policy Upwork() { return Policy{}; }
};

// Reads a policy object ({"minimumAmount": 500, ...}) over `base`. Every key is
// optional; unknown keys and wrong types are errors (code POLICY).
bool ParsePolicy(std::string_view json, const Policy& base, Policy* out, IssueList* issues);

std::string PolicyToJson(const Policy& policy);

}  // namespace milestone
