// Runs every case of tests/fixtures/policy/ through ParsePolicy: an unusable
// policy is a POLICY issue naming the key, a good one is written back whole.

#include <gtest/gtest.h>

#include <string>

#include "fixture_loader.h"
#include "json.h"
#include "milestone/policy.h"

namespace milestone {
namespace {

TEST(PolicyFixtures, EveryCaseMatchesExactly) {
  auto fixtures = testing::LoadFixtures("policy");
  ASSERT_GE(fixtures.size(), 4u);
  for (const auto& f : fixtures) {
    SCOPED_TRACE(f.file);
    Policy policy;
    IssueList issues;
    const bool ok =
        ParsePolicy(json::Write(*f.data.Find("policy")), Policy::Upwork(), &policy, &issues);
    const json::Value& expect = *f.data.Find("expect");
    EXPECT_EQ(ok, expect.Find("ok")->as_bool());
    const auto& want = expect.Find("issues")->items();
    ASSERT_EQ(issues.size(), want.size());
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(issues[k].code, want[k].Find("code")->as_string());
      EXPECT_EQ(issues[k].path, want[k].Find("path")->as_string());
      EXPECT_FALSE(issues[k].message.empty());
    }
    if (const json::Value* written = expect.Find("policy")) {
      const std::string text = PolicyToJson(policy);
      for (const json::Member& m : written->members()) {
        EXPECT_NE(text.find("\"" + m.first + "\":" + json::Write(m.second)), std::string::npos)
            << m.first << " in " << text;
      }
    }
  }
}

}  // namespace
}  // namespace milestone
