// The message catalogs (engine/catalogs/*.json, docs/languages.md): every
// sentence the engine tags has an entry in each language, names only params
// the engine gives, and the English catalog says exactly what the engine
// writes itself.

#include "milestone/catalog.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "fixture_loader.h"
#include "milestone/codes.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"
#include "rules.h"

namespace milestone {
namespace {

const char* const kLocales[] = {"en", "es"};

Catalog Load(const std::string& locale) {
  IssueList issues;
  std::optional<Catalog> catalog = Catalog::FromJson(
      testing::ReadFile(std::string(MILESTONE_CATALOGS_DIR) + "/" + locale + ".json"), &issues);
  EXPECT_TRUE(catalog.has_value()) << (issues.empty() ? "" : issues[0].message);
  return catalog ? *catalog : Catalog();
}

bool HasParam(const Params& params, const std::string& name) {
  for (const Param& p : params) {
    if (p.name == name) return true;
  }
  return false;
}

// Every tagged sentence the fixtures make, with the text the engine wrote.
struct Sentence {
  std::string where;
  std::string id;
  Params params;
  std::string message;
  std::string hint;
  bool is_event = false;
};

std::vector<Sentence> Collect() {
  std::vector<Sentence> out;
  auto add_issues = [&](const std::string& where, const IssueList& issues) {
    for (const Issue& i : issues) {
      if (!i.message_id.empty()) out.push_back({where, i.message_id, i.params, i.message, i.hint});
    }
  };
  for (const auto& f : testing::LoadFixtures("validate")) {
    Policy policy;
    if (const json::Value* p = f.data.Find("policy")) {
      IssueList ignored;
      ParsePolicy(json::Write(*p), policy, &policy, &ignored);
    }
    ValidateOptions options;
    if (const json::Value* o = f.data.Find("options")) {
      if (const json::Value* now = o->Find("now"); now && now->is_string()) {
        options.now = now->as_string();
      }
    }
    add_issues(f.file, Engine(policy).Validate(testing::FixtureDocument(f.data), options).issues);
  }
  for (const auto& f : testing::LoadFixtures("actions")) {
    Policy policy;
    if (const json::Value* p = f.data.Find("policy")) {
      IssueList ignored;
      ParsePolicy(json::Write(*p), policy, &policy, &ignored);
    }
    IssueList issues;
    Contract contract;
    std::vector<Action> actions;
    ActOptions options;
    const json::Value* o = f.data.Find("options");
    if (!ReadActOptions(o ? json::Write(*o) : "{}", ActorRule::kRequired, &options, &issues) ||
        !ParseContract(testing::FixtureDocument(f.data), &contract, &issues) ||
        !ParseActions(json::Write(*f.data.Find("action")), &actions, &issues)) {
      continue;
    }
    ApplyResult result = Engine(policy).Apply(contract, actions, options);
    add_issues(f.file, result.issues);
    for (const Event& e : result.events) {
      if (!e.message_id.empty())
        out.push_back({f.file, e.message_id, e.params, e.message, "", true});
    }
  }
  return out;
}

TEST(Catalogs, BothLanguagesHaveTheSameSentences) {
  const Catalog en = Load("en");
  const Catalog es = Load("es");
  ASSERT_FALSE(en.entries().empty());
  for (const auto& [id, entry] : en.entries()) {
    SCOPED_TRACE(id);
    auto other = es.entries().find(id);
    ASSERT_NE(other, es.entries().end()) << "es has no sentence " << id;
    // Spanish may leave a param out, never name one English does not have.
    for (const char* part : {"message", "hint"}) {
      const bool hint = std::string(part) == "hint";
      auto en_names = Catalog::ParamNames(hint ? entry.hint : entry.message);
      std::set<std::string> known(en_names.begin(), en_names.end());
      for (const std::string& name :
           Catalog::ParamNames(hint ? other->second.hint : other->second.message)) {
        EXPECT_TRUE(known.count(name)) << "es " << part << " names {" << name << "}";
      }
      EXPECT_EQ(entry.hint.empty(), other->second.hint.empty());
    }
  }
  for (const auto& [id, entry] : es.entries()) {
    EXPECT_TRUE(en.entries().count(id)) << "en has no sentence " << id;
  }
}

TEST(Catalogs, EverySentenceTheFixturesMakeIsInEachCatalogWithItsParams) {
  const std::vector<Sentence> sentences = Collect();
  ASSERT_GE(sentences.size(), 50u);
  for (const char* locale : kLocales) {
    const Catalog catalog = Load(locale);
    for (const Sentence& s : sentences) {
      SCOPED_TRACE(std::string(locale) + " " + s.where + " " + s.id);
      auto entry = catalog.entries().find(s.id);
      ASSERT_NE(entry, catalog.entries().end()) << "no sentence " << s.id;
      for (const std::string& text : {entry->second.message, entry->second.hint}) {
        for (const std::string& name : Catalog::ParamNames(text)) {
          EXPECT_TRUE(HasParam(s.params, name)) << "{" << name << "} is not a param of " << s.id;
        }
      }
    }
  }
}

TEST(Catalogs, EnglishSaysExactlyWhatTheEngineWrites) {
  const Catalog en = Load("en");
  std::set<std::string> ids;
  for (const Sentence& s : Collect()) {
    SCOPED_TRACE(s.where + " " + s.id);
    ids.insert(s.id);
    EXPECT_EQ(en.Render(s.id, s.params).value_or("<none>"), s.message);
    if (!s.is_event) {
      EXPECT_EQ(en.Render(s.id, s.params, true).value_or("<none>"), s.hint);
    }
  }
  EXPECT_GE(ids.size(), 30u);
}

// The codes whose sentences are not in the catalogs yet (docs/languages.md,
// "What is not translated yet"): a new code must not join this list.
const std::set<std::string> kNotYetInCatalogs = {
    codes::kInvalidJson,         codes::kSchema,
    codes::kUnknownField,        codes::kInvalidAmount,
    codes::kMoveIntoLockedRange, codes::kNotDue,
    codes::kEscrowHeld,          codes::kDisputeOpen,
    codes::kNoDispute,           codes::kRefundPending,
    codes::kNoRefundRequest,     codes::kResolutionMismatch};

TEST(Catalogs, EveryRuleCodeHasASentenceInEachLanguage) {
  for (const char* locale : kLocales) {
    const Catalog catalog = Load(locale);
    for (const codes::Entry& entry : codes::kCatalogue) {
      if (entry.kind != codes::Kind::kDocument && entry.kind != codes::Kind::kAction) continue;
      const std::string code = entry.code;
      if (kNotYetInCatalogs.count(code)) continue;
      bool found = false;
      for (const auto& [id, sentence] : catalog.entries()) {
        if (id == code || id.rfind(code + ".", 0) == 0) found = true;
      }
      EXPECT_TRUE(found) << locale << " has no sentence for " << code;
    }
  }
}

TEST(Catalogs, SpanishWritesMoneyDatesAndTitlesItsOwnWay) {
  const Catalog es = Load("es");
  EXPECT_EQ(es.Money(123456, "USD", 2), "1.234,56\u00a0US$");
  EXPECT_EQ(es.Money(123456, "JPY", 0), "123.456\u00a0\u00a5");
  EXPECT_EQ(es.Money(1235, "KWD", 3), "1,235\u00a0KWD");
  EXPECT_EQ(es.Money(-500, "EUR", 2), "-5,00\u00a0\u20ac");
  EXPECT_EQ(es.Date("2026-12-15"), "15 dic 2026");
  EXPECT_EQ(es.Date("2026-13-45"), "2026-13-45");
  const Catalog en = Load("en");
  EXPECT_EQ(en.Money(123456, "USD", 2), "$1,234.56");
  EXPECT_EQ(en.Money(1235, "KWD", 3), "KWD 1.235");
  EXPECT_EQ(en.Date("2026-12-15"), "Dec 15, 2026");
}

TEST(Catalogs, AnEngineWithACatalogWritesItsLanguage) {
  auto es = std::make_shared<const Catalog>(Load("es"));
  const Engine engine(Policy::Upwork(), es);
  const std::string contract =
      R"({"id":"c","version":0,"currency":"USD","status":"open","initiationFeeCharged":false,)"
      R"("carryOver":0,"milestones":[{"id":"m-1","title":"Design","amount":499,)"
      R"("state":"not_funded","funded":0,"released":0}]})";
  ValidateResult result = engine.Validate(contract, ValidateOptions{});
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].message,
            "El importe 4,99\u00a0US$ está por debajo del mínimo de 5,00\u00a0US$ por hito.");
  const std::string json = json_api::Validate(engine, contract, "{}");
  EXPECT_NE(json.find("por debajo"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("params":{"amount":499,"minimum":500,"currency":"USD"})"),
            std::string::npos)
      << json;
  // No catalog: the English the engine writes, with the same params.
  const std::string english = json_api::Validate(Engine(), contract, "{}");
  EXPECT_NE(english.find("is below the $5.00 minimum"), std::string::npos) << english;
}

TEST(Catalogs, AnUnusableCatalogIsAnIssueNamingTheKey) {
  IssueList issues;
  EXPECT_FALSE(Catalog::FromJson(R"({"locale":"xx","messages":{"A":{"hint":"h"}}})", &issues));
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].path, "/catalog/messages/A/message");
  issues.clear();
  EXPECT_FALSE(Catalog::FromJson("[", &issues));
  EXPECT_FALSE(issues.empty());
}

}  // namespace
}  // namespace milestone
