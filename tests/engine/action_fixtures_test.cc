// Runs every case of tests/fixtures/actions/ through json_api::Apply, the
// entry point the CLI, the server and the wasm binding share.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fixture_loader.h"
#include "json.h"
#include "milestone/codes.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"

namespace milestone {
namespace {

// Empty when `actual` holds everything `expected` says (see the README).
std::string Mismatch(const json::Value& expected, const json::Value& actual,
                     const std::string& path) {
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": not an object";
    for (const json::Member& m : expected.members()) {
      const json::Value* got = actual.Find(m.first);
      if (got == nullptr) return path + "/" + m.first + ": missing";
      std::string why = Mismatch(m.second, *got, path + "/" + m.first);
      if (!why.empty()) return why;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.items().size() != expected.items().size()) {
      return path + ": expected " + std::to_string(expected.items().size()) + " items, got " +
             json::Write(actual);
    }
    for (size_t i = 0; i < expected.items().size(); ++i) {
      std::string why =
          Mismatch(expected.items()[i], actual.items()[i], path + "/" + std::to_string(i));
      if (!why.empty()) return why;
    }
    return "";
  }
  if (json::Write(expected) != json::Write(actual)) {
    return path + ": expected " + json::Write(expected) + ", got " + json::Write(actual);
  }
  return "";
}

TEST(ActionFixtures, EveryCaseMatches) {
  auto fixtures = testing::LoadFixtures("actions");
  ASSERT_GE(fixtures.size(), 20u);
  std::set<std::string> codes_seen;
  for (const auto& f : fixtures) {
    SCOPED_TRACE(f.file);
    Policy policy;
    if (const json::Value* p = f.data.Find("policy")) {
      IssueList policy_issues;
      ASSERT_TRUE(ParsePolicy(json::Write(*p), policy, &policy, &policy_issues));
    }
    const json::Value* options = f.data.Find("options");
    const std::string out = json_api::Apply(
        Engine(policy), testing::FixtureDocument(f.data), json::Write(*f.data.Find("action")),
        options != nullptr ? json::Write(*options) : std::string("{}"));
    json::Value result;
    json::ParseError error;
    ASSERT_TRUE(json::Parse(out, &result, &error)) << out;
    const json::Value& expect = *f.data.Find("expect");
    EXPECT_EQ(result.Find("ok")->as_bool(), expect.Find("ok")->as_bool()) << out;

    const auto& got = result.Find("issues")->items();
    const auto& want = expect.Find("issues")->items();
    ASSERT_EQ(got.size(), want.size()) << json::Write(*result.Find("issues"));
    for (size_t k = 0; k < want.size(); ++k) {
      for (const char* key : {"code", "path", "severity"}) {
        EXPECT_EQ(got[k].Find(key)->as_string(), want[k].Find(key)->as_string())
            << key << " of issue " << k << ": " << json::Write(got[k]);
      }
      const std::string& message = got[k].Find("message")->as_string();
      EXPECT_FALSE(message.empty());
      codes_seen.insert(got[k].Find("code")->as_string());
    }

    json::Value types = json::Value::Array();
    for (const json::Value& event : result.Find("events")->items()) {
      types.Push(*event.Find("type"));
      EXPECT_FALSE(event.Find("message")->as_string().empty());
    }
    EXPECT_EQ(json::Write(types), json::Write(*expect.Find("events")));

    if (const json::Value* contract = expect.Find("contract")) {
      EXPECT_EQ(Mismatch(*contract, *result.Find("contract"), ""), "");
    }
  }
  // The fixtures exercise every action code of SPEC 2.2.
  for (const char* code :
       {codes::kNotAllowedForRole, codes::kContractEnded, codes::kUnknownMilestone,
        codes::kMilestoneLocked, codes::kMoveIntoLockedRange, codes::kChangeRequestPending,
        codes::kNoPendingRequest, codes::kFundWhileInFlight, codes::kFundNotNext,
        codes::kInvalidTransition, codes::kReleaseExceedsEscrow, codes::kDecisionRequired,
        codes::kNotDue, codes::kEscrowHeld, codes::kDisputeOpen, codes::kNoDispute,
        codes::kRefundPending, codes::kNoRefundRequest, codes::kResolutionMismatch}) {
    EXPECT_TRUE(codes_seen.count(code)) << "no fixture produces " << code;
  }
}

}  // namespace
}  // namespace milestone
