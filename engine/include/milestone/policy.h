#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "milestone/issue.h"

namespace milestone {

// The numbers behind the rules. Data, not code: another marketplace's numbers
// are a JSON object handed to ParsePolicy, with no rebuild.
struct Policy {
  std::string currency = "USD";
  int64_t minimum_amount = 500;
  int64_t maximum_amount = 100000000;
  int64_t max_milestones = 1000;
  int64_t title_max_length = 255;
  int64_t description_max_length = 5000;
  int64_t initiation_fee = 299;

  static Policy Upwork() { return Policy{}; }
};

// Reads a policy object ({"minimumAmount": 500, ...}) over `base`. Every key is
// optional; unknown keys and wrong types are errors (code POLICY).
bool ParsePolicy(std::string_view json, const Policy& base, Policy* out, IssueList* issues);

std::string PolicyToJson(const Policy& policy);

}  // namespace milestone
