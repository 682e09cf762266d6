// Runs every case of tests/fixtures/validate/ through Engine::Validate and
// compares the exact list of (code, path, severity) in document order.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fixture_loader.h"
#include "milestone/codes.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

std::string Describe(const IssueList& issues) {
  std::string out;
  for (const Issue& i : issues) {
    out += "  " + i.code + " " + (i.severity == Severity::kError ? "error" : "warning") + " " +
           i.path + " — " + i.message + "\n";
  }
  return out.empty() ? "  (none)\n" : out;
}

TEST(ValidateFixtures, EveryCaseMatchesExactly) {
  auto fixtures = testing::LoadFixtures("validate");
  ASSERT_GE(fixtures.size(), 60u);
  std::set<std::string> codes_seen;
  for (const auto& f : fixtures) {
    SCOPED_TRACE(f.file);
    Policy policy;
    if (const json::Value* p = f.data.Find("policy")) {
      IssueList policy_issues;
      ASSERT_TRUE(ParsePolicy(json::Write(*p), policy, &policy, &policy_issues));
    }
    ValidateOptions options;
    if (const json::Value* o = f.data.Find("options")) {
      if (const json::Value* now = o->Find("now")) options.now = now->as_string();
    }
    Engine engine(policy);
    ValidateResult result = engine.Validate(testing::FixtureDocument(f.data), options);
    const json::Value& expect = *f.data.Find("expect");
    EXPECT_EQ(result.ok, expect.Find("ok")->as_bool()) << Describe(result.issues);
    const auto& want = expect.Find("issues")->items();
    ASSERT_EQ(result.issues.size(), want.size()) << "got:\n" << Describe(result.issues);
    for (size_t k = 0; k < want.size(); ++k) {
      const Issue& got = result.issues[k];
      EXPECT_EQ(got.code, want[k].Find("code")->as_string()) << Describe(result.issues);
      EXPECT_EQ(got.path, want[k].Find("path")->as_string()) << Describe(result.issues);
      EXPECT_EQ(got.severity == Severity::kError ? "error" : "warning",
                want[k].Find("severity")->as_string());
      // Every finding is something a person can act on.
      EXPECT_FALSE(got.message.empty());
      EXPECT_EQ(got.message.back(), '.') << got.message;
      codes_seen.insert(got.code);
    }
  }
  // The fixtures exercise every document code of SPEC 2.1.
  for (const char* code : {codes::kInvalidJson,         codes::kSchema,
                           codes::kUnknownField,        codes::kInvalidId,
                           codes::kDuplicateId,         codes::kInvalidAmount,
                           codes::kUnsupportedCurrency, codes::kAmountBelowMinimum,
                           codes::kAmountAboveMaximum,  codes::kTooManyMilestones,
                           codes::kTitleRequired,       codes::kTitleTooLong,
                           codes::kDescriptionTooLong,  codes::kInvalidText,
                           codes::kInvalidDate,         codes::kMultipleInFlight,
                           codes::kOutOfSequence,       codes::kLedgerMismatch,
                           codes::kDueDateInPast,       codes::kDueDatesOutOfOrder}) {
    EXPECT_TRUE(codes_seen.count(code)) << "no fixture produces " << code;
  }
}

}  // namespace
}  // namespace milestone
