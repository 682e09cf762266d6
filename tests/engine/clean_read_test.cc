// ReadCleanContract (rules.h) against the model reader it stands in for: it
// may take a document only when the model reader finds nothing in it, and it
// must then make the same contract. What it refuses goes the model's way.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixture_loader.h"
#include "json.h"
#include "milestone/contract.h"
#include "rules.h"

namespace milestone {
namespace {

// The package's wasm is built without the clean read: it takes nothing there.
#define SKIP_WITHOUT_CLEAN_READ() \
  if (!MILESTONE_CLEAN_READ) GTEST_SKIP() << "built without the clean read"

// What the model reader makes of `text`: whether it found nothing at all,
// and the contract as text.
struct ModelRead {
  bool clean = false;
  std::string json;
};

ModelRead ByModel(const std::string& text) {
  IssueList issues;
  Contract contract;
  ReadNotes notes;
  ReadContractByModel(text, &contract, &issues, &notes);
  // A text that does not parse is an INVALID_JSON issue.
  return {issues.empty(), ContractToJson(contract)};
}

// True when the clean read took `text`; then it agreed with the model.
bool TakenAndAgrees(const std::string& text) {
  Contract clean;
  if (!ReadCleanContract(text, &clean)) return false;
  const ModelRead model = ByModel(text);
  EXPECT_TRUE(model.clean) << "the model reader has findings on " << text;
  EXPECT_EQ(ContractToJson(clean), model.json) << text;
  return true;
}

// A contract with `milestone` as its one milestone (an object's members,
// without braces) and `extra` members after the contract's own.
std::string Doc(const std::string& milestone, const std::string& extra = "") {
  return R"({"id":"ctr-1","version":3,"currency":"USD","status":"open","initiationFee":299,)"
         R"("initiationFeeCharged":true,"carryOver":0,"milestones":[{)" +
         milestone + "}]" + extra + "}";
}

const std::string kPlain =
    R"("id":"m-1","title":"Wireframes","description":"Two pages.","dueDate":"2027-01-15",)"
    R"("amount":50000,"state":"active","funded":50000,"released":0)";

TEST(CleanRead, TakesThePlainContractsOfTheFixturesAndAgreesWithTheModel) {
  SKIP_WITHOUT_CLEAN_READ();
  size_t taken = 0;
  size_t documents = 0;
  for (const auto& fixture : testing::LoadFixtures("validate")) {
    ++documents;
    if (TakenAndAgrees(testing::FixtureDocument(fixture.data))) ++taken;
  }
  ASSERT_GE(documents, 100u);
  // Most fixtures are about a finding; the ones that are not are taken.
  EXPECT_GE(taken, 10u);
  EXPECT_LT(taken, documents);
}

TEST(CleanRead, TakesWhatTheModelReadsWithoutAFindingAndMakesTheSameContract) {
  SKIP_WITHOUT_CLEAN_READ();
  const std::vector<std::string> taken = {
      Doc(kPlain),
      // White space everywhere JSON allows it, keys in another order.
      "\r\n{ \"milestones\" : [ {\t\"released\":0 , \"funded\" :0,\"state\":\"not_funded\","
      "\"amount\":1,\"title\":\"T\",\"id\":\"m\"} ] ,\"carryOver\":0,\"initiationFeeCharged\":"
      "false,\"status\":\"ended\",\"currency\":\"EUR\",\"version\":0,\"id\":\"c\"}\n ",
      // Escapes in values, a lone surrogate, bytes that are not UTF-8.
      Doc(R"("id":"m-1","title":"A \"quoted\" \u00e9 \ud83d\ude00\nline","description":"\ud800",)"
          R"("amount":1,"state":"active","funded":1,"released":0)"),
      Doc("\"id\":\"m-1\",\"title\":\"\xff\xfe bad\",\"amount\":1,\"state\":\"active\","
          "\"funded\":1,\"released\":0"),
      // Nulls where the model takes them, escrow fields, the refunded default.
      Doc(R"("id":"m-1","title":"T","dueDate":null,"amount":9007199254740992,"state":"submitted",)"
          R"("funded":9007199254740992,"released":0,"submittedOn":"2027-01-02",)"
          R"("refundRequest":null,"dispute":null)",
          R"(,"changeRequest":null)"),
      Doc(R"("id":"m-1","title":"T","amount":500,"state":"refunded","funded":500,"released":100)"),
      Doc(R"("id":"m-1","title":"T","amount":500,"state":"refunded","funded":500,"released":0,)"
          R"("refunded":200,"submittedOn":null)"),
      R"({"id":"c","version":1,"currency":"USD","status":"open","initiationFee":null,)"
      R"("initiationFeeCharged":false,"carryOver":7,"milestones":[]})",
  };
  for (const std::string& text : taken) EXPECT_TRUE(TakenAndAgrees(text)) << text;
}

TEST(CleanRead, LeavesToTheModelWhatItWouldHaveToReport) {
  const std::vector<std::string> refused = {
      Doc(R"("\u0069d":"m-1","title":"T","amount":1,"state":"active","funded":1,"released":0)"),
      Doc(kPlain + R"(,"title":"again")"),
      Doc(kPlain, R"(,"id":"twice")"),
      Doc(kPlain + R"(,"colour":"blue")"),
      Doc(kPlain, R"(,"note":1)"),
      Doc(R"("id":"m-1","title":"T","amount":-0,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":1e2,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":1.0,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":007,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":-5,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":9007199254740993,"state":"active","funded":1,)"
          R"("released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":12345678901234567,"state":"active","funded":1,)"
          R"("released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":"1","state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":1,"state":"started","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","amount":1,"funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":5,"amount":1,"state":"active","funded":1,"released":0)"),
      Doc(R"("id":"m-1","title":"T","dueDate":5,"amount":1,"state":"active","funded":1,)"
          R"("released":0)"),
      Doc("\"id\":\"m-1\",\"title\":\"tab\there\",\"amount\":1,\"state\":\"active\","
          "\"funded\":1,\"released\":0"),
      Doc(kPlain + R"(,"refundRequest":{"requestedOn":"2027-01-02"})"),
      Doc(kPlain + R"(,"dispute":{"by":"client","openedOn":"2027-01-02","reason":"r"})"),
      Doc(kPlain, R"(,"changeRequest":{"id":"cr","by":"freelancer","actions":[]})"),
      Doc(kPlain) + " x",
      "\xEF\xBB\xBF" + Doc(kPlain),
      Doc(kPlain).substr(0, 120),
      R"({"id":"c","version":-1,"currency":"USD","status":"open","initiationFeeCharged":false,)"
      R"("carryOver":0,"milestones":[]})",
      R"({"id":"c","currency":"USD","status":"open","initiationFeeCharged":false,)"
      R"("carryOver":0,"milestones":[]})",
      R"({"id":"c","version":1,"currency":"USD","status":"paused","initiationFeeCharged":false,)"
      R"("carryOver":0,"milestones":[]})",
      R"({"id":"c","version":1,"currency":"USD","status":"open","initiationFeeCharged":0,)"
      R"("carryOver":0,"milestones":[]})",
      R"({"id":"c","version":1,"currency":"USD","status":"open","initiationFeeCharged":false,)"
      R"("carryOver":0,"milestones":[5]})",
      "[]",
      "",
  };
  for (const std::string& text : refused) {
    Contract out;
    EXPECT_FALSE(ReadCleanContract(text, &out)) << text;
  }
  // Past the size limit: the model's INVALID_JSON.tooLarge, not a read.
  std::string large = Doc(kPlain);
  large.insert(large.size() - 1, std::string(json::Limits().max_bytes, ' '));
  Contract out;
  EXPECT_FALSE(ReadCleanContract(large, &out));
}

// ParseContract takes the clean read when it can and the model's otherwise:
// a document it leaves starts from an empty contract.
TEST(CleanRead, ParseContractGivesTheModelsAnswerEitherWay) {
  Contract out;
  IssueList issues;
  EXPECT_TRUE(ParseContract(Doc(kPlain), &out, &issues));
  EXPECT_TRUE(issues.empty());
  ASSERT_EQ(out.milestones.size(), 1u);
  EXPECT_EQ(out.milestones[0].title, "Wireframes");

  Contract refused;
  IssueList found;
  EXPECT_TRUE(ParseContract(Doc(kPlain + R"(,"colour":"blue")"), &refused, &found));
  ASSERT_EQ(refused.milestones.size(), 1u);
  ASSERT_EQ(refused.milestones[0].unknown.size(), 1u);
  EXPECT_EQ(refused.milestones[0].unknown[0].key, "colour");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].code, "UNKNOWN_FIELD");
}

}  // namespace
}  // namespace milestone
