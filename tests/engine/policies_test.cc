// Policies for any marketplace (SPEC 1.3): a policy is data, checked when an
// engine is made; currencies with their exponents and limits; several
// milestones in flight and funding in any order, through every rule they touch.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixture_loader.h"
#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/money.h"
#include "milestone/policy.h"
#include "milestone/view.h"

namespace milestone {
namespace {

Policy Shipped(const std::string& name) { return testing::ShippedPolicy(name); }

// The first finding's path, or "ok".
std::string PolicyFinding(const std::string& json) {
  Policy policy;
  IssueList issues;
  if (ParsePolicy(json, Policy::Upwork(), &policy, &issues)) return "ok";
  EXPECT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].code, "POLICY");
  return issues[0].path;
}

TEST(Policies, TheShippedUpworkFileIsTheDefault) {
  EXPECT_EQ(PolicyToJson(Shipped("upwork")), PolicyToJson(Policy::Upwork()));
  const Policy parallel = Shipped("parallel");
  EXPECT_EQ(parallel.funding_order, FundingOrder::kAny);
  EXPECT_GT(parallel.max_in_flight, 1);
  ASSERT_NE(parallel.FindCurrency("JPY"), nullptr);
  EXPECT_EQ(parallel.FindCurrency("JPY")->exponent, 0);
  ASSERT_NE(parallel.FindCurrency("KWD"), nullptr);
  EXPECT_EQ(parallel.FindCurrency("KWD")->exponent, 3);
}

TEST(Policies, AnUnusablePolicyNamesTheKey) {
  EXPECT_EQ(PolicyFinding(R"({"minimumAmount": 100})"), "ok");
  EXPECT_EQ(PolicyFinding(R"({"minimumAmunt": 100})"), "/policy/minimumAmunt");
  EXPECT_EQ(PolicyFinding(R"({"maxMilestones": "10"})"), "/policy/maxMilestones");
  EXPECT_EQ(PolicyFinding(R"({"maxInFlight": 0})"), "/policy/maxInFlight");
  EXPECT_EQ(PolicyFinding(R"({"fundingOrder": "random"})"), "/policy/fundingOrder");
  EXPECT_EQ(PolicyFinding(R"({"minimumAmount": 900, "maximumAmount": 800})"),
            "/policy/minimumAmount");
  EXPECT_EQ(
      PolicyFinding(
          R"({"currencies": {"XTS": {"exponent": 5, "minimumAmount": 1, "maximumAmount": 2}}})"),
      "/policy/currencies/XTS/exponent");
  EXPECT_EQ(
      PolicyFinding(
          R"({"currencies": {"KWD": {"exponent": 2, "minimumAmount": 1, "maximumAmount": 2}}})"),
      "/policy/currencies/KWD/exponent");
  EXPECT_EQ(
      PolicyFinding(
          R"({"currencies": {"EUR": {"exponent": 2, "minimumAmount": 9, "maximumAmount": 2}}})"),
      "/policy/currencies/EUR/minimumAmount");
  EXPECT_EQ(PolicyFinding(R"({"currencies": {"EUR": {"exponent": 2, "minimumAmount": 9}}})"),
            "/policy/currencies/EUR/maximumAmount");
  EXPECT_EQ(PolicyFinding(R"({"currencies": {}})"), "/policy/currencies");
  EXPECT_EQ(PolicyFinding(R"({"currencies": {"usd": {}}})"), "/policy/currencies/usd");
  EXPECT_EQ(
      PolicyFinding(
          R"({"currency": "EUR", "currencies": {"EUR": {"exponent": 2, "minimumAmount": 1, "maximumAmount": 2}}})"),
      "/policy/currency");
  EXPECT_EQ(PolicyFinding(R"({"currency": "XTS"})"), "/policy/currency");
  EXPECT_EQ(PolicyFinding(R"([1])"), "/policy");
}

TEST(Policies, AGoodPolicyIsWrittenBackNormalised) {
  Policy policy;
  IssueList issues;
  ASSERT_TRUE(ParsePolicy(R"({"currency": "EUR", "minimumAmount": 100, "fundingOrder": "any"})",
                          Policy::Upwork(), &policy, &issues));
  EXPECT_EQ(PolicyToJson(policy),
            R"({"currencies":{"EUR":{"exponent":2,"minimumAmount":100,"maximumAmount":100000000}},)"
            R"("maxMilestones":1000,"titleMaxLength":255,"descriptionMaxLength":5000,)"
            R"("initiationFee":299,"maxInFlight":1,"reviewDays":14,"refundResponseDays":7,)"
            R"("fundingOrder":"any"})");
}

TEST(Policies, MoneyIsWrittenAndReadWithTheCurrencysExponent) {
  const Policy parallel = Shipped("parallel");
  const Currency& jpy = *parallel.FindCurrency("JPY");
  const Currency& kwd = *parallel.FindCurrency("KWD");
  const Currency& eur = *parallel.FindCurrency("EUR");
  EXPECT_EQ(FormatMoney(123456, jpy), "¥123,456");
  EXPECT_EQ(FormatMoney(1235, kwd), "KWD 1.235");
  EXPECT_EQ(FormatMoney(5, kwd), "KWD 0.005");
  EXPECT_EQ(FormatMoney(-123456, eur), "-€1,234.56");
  EXPECT_EQ(FormatMoney(123456), "$1,234.56");
  int64_t amount = 0;
  IssueList issues;
  EXPECT_FALSE(ParseMoney("1.5", jpy, &amount, &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, "INVALID_AMOUNT");
  EXPECT_TRUE(ParseMoney("1.235", kwd, &amount, nullptr));
  EXPECT_EQ(amount, 1235);
  EXPECT_TRUE(ParseMoney("KWD 1.2", kwd, &amount, nullptr));
  EXPECT_EQ(amount, 1200);
  EXPECT_FALSE(ParseMoney("1.2345", kwd, &amount, nullptr));
  EXPECT_TRUE(ParseMoney("¥1,234", jpy, &amount, nullptr));
  EXPECT_EQ(amount, 1234);
  EXPECT_TRUE(ParseMoney("€12.5", eur, &amount, nullptr));
  EXPECT_EQ(amount, 1250);
  EXPECT_FALSE(ParseMoney("$12.50", eur, &amount, nullptr));
  EXPECT_TRUE(ParseMoney("$12.50", &amount, nullptr));
  EXPECT_EQ(amount, 1250);
}

// m-1 released, m-2 active, m-3 and m-4 future; in `currency`.
std::string Doc(const std::string& currency, int64_t unit) {
  auto amount = [&](int64_t n) { return std::to_string(n * unit); };
  return R"({"id":"ctr-p","version":1,"currency":")" + currency +
         R"(","status":"open","initiationFeeCharged":true,"carryOver":0,"milestones":[)"
         R"({"id":"m-1","title":"Design","amount":)" +
         amount(50) + R"(,"state":"released","funded":)" + amount(50) + R"(,"released":)" +
         amount(40) +
         R"(},)"
         R"({"id":"m-2","title":"Build","amount":)" +
         amount(120) + R"(,"state":"active","funded":)" + amount(120) +
         R"(,"released":0},)"
         R"({"id":"m-3","title":"Launch","amount":)" +
         amount(30) +
         R"(,"state":"not_funded","funded":0,"released":0},)"
         R"({"id":"m-4","title":"Support","amount":)" +
         amount(20) + R"(,"state":"not_funded","funded":0,"released":0}],"changeRequest":null})";
}

Contract Read(const std::string& text) {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(text, &c, &issues)) << text;
  return c;
}

ApplyResult Act(const Engine& engine, const Contract& c, const std::string& action,
                Actor actor = Actor::kClient) {
  std::vector<Action> actions;
  IssueList issues;
  EXPECT_TRUE(ParseActions(action, &actions, &issues)) << action;
  ActOptions options;
  options.actor = actor;
  options.now = "2026-12-01";
  return engine.Apply(c, actions, options);
}

std::string Code(const ApplyResult& r) {
  for (const Issue& i : r.issues) {
    if (i.severity == Severity::kError) return i.code;
  }
  return r.ok ? "ok" : "refused";
}

TEST(Policies, EverySentenceUsesTheContractsCurrency) {
  const Engine engine(Shipped("parallel"));
  const Contract jpy = Read(Doc("JPY", 100));
  EXPECT_TRUE(engine.Validate(jpy, {}).ok);
  ApplyResult funded = Act(engine, jpy, R"({"type":"fund","id":"m-4"})");
  ASSERT_TRUE(funded.ok) << Code(funded);
  EXPECT_EQ(funded.events[0].message, "Funded “Support”: ¥2,000 charged to escrow.");
  ApplyResult released = Act(engine, jpy, R"({"type":"release","id":"m-2","amount":7000})");
  ASSERT_TRUE(released.ok) << Code(released);
  EXPECT_NE(released.events[0].message.find("¥7,000"), std::string::npos)
      << released.events[0].message;

  const Contract kwd = Read(Doc("KWD", 100));
  ValidateResult low = engine.Validate(Read(Doc("KWD", 10)), {});
  ASSERT_FALSE(low.ok);
  EXPECT_EQ(low.issues[0].code, "AMOUNT_BELOW_MINIMUM");
  EXPECT_EQ(low.issues[0].message,
            "The amount KWD 0.500 is below the KWD 1.500 minimum per milestone.");
  EXPECT_EQ(engine.Validate(Read(Doc("CHF", 100)), {}).issues[0].code, "UNSUPPORTED_CURRENCY");

  Contract renamed = kwd;
  renamed.milestones[2].amount = 4000;
  const Currency money = engine.policy().CurrencyFor("KWD");
  EXPECT_EQ(Diff(kwd, renamed, &money).summary[0],
            "Changed the amount of “Launch” from KWD 3.000 to KWD 4.000.");
  // Without a policy a diff writes the ISO exponent of the contract's currency.
  EXPECT_EQ(Diff(kwd, renamed).summary[0],
            "Changed the amount of “Launch” from KWD 3.000 to KWD 4.000.");
  ActOptions as_client;
  as_client.now = "2026-12-01";
  View view = Describe(engine, kwd, as_client);
  EXPECT_NE(ViewToJson(view).find(R"("amount":"KWD 12.000")"), std::string::npos);
}

TEST(Policies, AnyOrderFundsSeveralAtOnceAndMovesFreely) {
  const Engine parallel(Shipped("parallel"));
  const Engine upwork;
  const Contract c = Read(Doc("USD", 100));
  // Funding the last while another is in flight, out of order.
  EXPECT_EQ(Code(Act(upwork, c, R"({"type":"fund","id":"m-4"})")), "FUND_WHILE_IN_FLIGHT");
  ApplyResult two = Act(parallel, c, R"({"type":"fund","id":"m-4"})");
  ASSERT_TRUE(two.ok) << Code(two);
  EXPECT_TRUE(parallel.Validate(two.contract, {}).ok);
  // Interleaved states are a valid document only in any order.
  EXPECT_FALSE(upwork.Validate(two.contract, {}).ok);
  // A future milestone may move above work in flight.
  ApplyResult moved = Act(parallel, two.contract, R"({"type":"move","id":"m-3","toIndex":0})");
  ASSERT_TRUE(moved.ok) << Code(moved);
  EXPECT_EQ(moved.contract.milestones[0].id, "m-3");
  EXPECT_EQ(Code(Act(parallel, two.contract, R"({"type":"move","id":"m-2","toIndex":0})")),
            "MILESTONE_LOCKED");
  ValidateOptions none;
  ReorderPreview preview = parallel.PreviewReorder(two.contract, "m-3", 0, none);
  EXPECT_TRUE(preview.ok);
  EXPECT_EQ(preview.allowed_from, 0);
  EXPECT_EQ(preview.allowed_to, 3);

  // maxInFlight is the limit.
  Policy two_at_once = Shipped("parallel");
  two_at_once.max_in_flight = 2;
  const Engine limited(two_at_once);
  EXPECT_EQ(Code(Act(limited, two.contract, R"({"type":"fund","id":"m-3"})")),
            "FUND_WHILE_IN_FLIGHT");
  ApplyResult three = Act(parallel, two.contract, R"({"type":"fund","id":"m-3"})");
  ASSERT_TRUE(three.ok);
  EXPECT_EQ(limited.Validate(three.contract, {}).issues[0].code, "MULTIPLE_IN_FLIGHT");
}

TEST(Policies, TheDecisionComesWithTheLastOfTheWorkAndCarryOverPaysTheNextFunded) {
  const Engine parallel(Shipped("parallel"));
  Contract c = Read(Doc("USD", 100));
  c = Act(parallel, c, R"({"type":"fund","id":"m-3"})").contract;
  c = Act(parallel, c, R"({"type":"fund","id":"m-4"})").contract;
  // Three in flight, nothing left to fund: releasing one is not the last.
  ApplyResult partial = Act(parallel, c, R"({"type":"release","id":"m-2","amount":10000})");
  ASSERT_TRUE(partial.ok) << Code(partial);
  EXPECT_EQ(partial.contract.carry_over, 2000);
  c = partial.contract;
  c = Act(parallel, c, R"({"type":"release","id":"m-3"})").contract;
  EXPECT_EQ(Code(Act(parallel, c, R"({"type":"release","id":"m-4"})")), "DECISION_REQUIRED");
  // A new milestone funded next takes the unused deposit first.
  ApplyResult added =
      Act(parallel, c,
          R"([{"type":"add","milestone":{"id":"m-5","title":"More","amount":5000}},)"
          R"({"type":"fund","id":"m-5"}])");
  ASSERT_TRUE(added.ok) << Code(added);
  EXPECT_EQ(added.contract.carry_over, 0);
  EXPECT_EQ(added.events.back().amount, 3000);
}

}  // namespace
}  // namespace milestone
