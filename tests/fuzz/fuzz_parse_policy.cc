// milestone::ParsePolicy(text): the whole input is the policy object's text.
#include "fuzz_common.h"
#include "milestone/engine.h"
#include "milestone/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  milestone::Policy policy;
  milestone::IssueList issues;
  bool ok = milestone::ParsePolicy(text, milestone::Policy::Upwork(), &policy, &issues);
  milestone::ValidateResult result;
  result.ok = ok;
  result.issues = issues;
  fuzz::CheckEnvelope(milestone::ValidateResultToJson(result));
  if (!ok) {
    fuzz::Require(!issues.empty(), "a refused policy has no issue");
    return 0;
  }
  // A policy written out reads back to the same policy.
  std::string written = milestone::PolicyToJson(policy);
  fuzz::ParseAnswer(written);
  milestone::Policy again;
  milestone::IssueList again_issues;
  fuzz::Require(milestone::ParsePolicy(written, milestone::Policy::Upwork(), &again, &again_issues),
                "a written policy cannot be read back", written);
  fuzz::Require(milestone::PolicyToJson(again) == written, "a policy does not round-trip", written);
  return 0;
}
