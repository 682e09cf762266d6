// The message catalogs (engine/catalogs/*.json, docs/languages.md): every
// issue and event the engine writes has an entry in each language, naming
// only params the engine gives, and the English catalog says exactly what the
// engine writes itself.

#include "milestone/catalog.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "action_spec.h"
#include "fixture_loader.h"
#include "milestone/codes.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"
#include "milestone/session.h"
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

// One call of the engine as its JSON entry points answer it (json_api, the
// JSON writers), made with an engine of `policy` and the catalog under test.
struct Case {
  std::string where;
  Policy policy;
  std::function<std::string(const Engine&)> run;
};

Policy FixturePolicy(const json::Value& fixture) {
  Policy policy;
  if (const json::Value* p = fixture.Find("policy")) {
    IssueList ignored;
    ParsePolicy(json::Write(*p), policy, &policy, &ignored);
  }
  return policy;
}

std::string OptionsOf(const json::Value& fixture) {
  const json::Value* o = fixture.Find("options");
  return o ? json::Write(*o) : "{}";
}

// Issues written under the engine's catalog, as the shells write them.
std::string Written(const Engine& engine, const IssueList& issues) {
  CatalogScope scope(engine.catalog());
  return IssuesToJson(issues);
}

// The sentences the fixtures cannot reach (reading errors, policies, catalogs,
// sessions, timers): one call each, `a`, `b`, `c` its arguments.
struct Extra {
  std::string call;
  std::string a;
  std::string b;
  std::string c;
  std::string policy;  // the engine's; empty: upwork
};

// m-1 released, m-2 `state` (escrow 120000, `more` spliced in), m-3 not funded.
std::string Doc(const std::string& state, const std::string& more = "") {
  return R"({"id":"c","version":2,"currency":"USD","status":"open","initiationFeeCharged":true,)"
         R"("carryOver":0,"milestones":[{"id":"m-1","title":"Design","amount":50000,)"
         R"("state":"released","funded":50000,"released":50000},{"id":"m-2","title":"Build",)"
         R"("amount":120000,"state":")" +
         state + R"(","funded":)" + (state == "not_funded" ? "0" : "120000") + R"(,"released":0)" +
         more +
         R"(},{"id":"m-3","title":"Launch","amount":30000,"state":"not_funded","funded":0,)"
         R"("released":0}],"changeRequest":null})";
}

// Doc("active") read, for the cases that change it in C++ first.
Contract ActiveContract() {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(Doc("active"), &c, &issues));
  return c;
}

// Options of one actor on 2026-12-01.
std::string As(const std::string& actor) {
  return R"({"actor":")" + actor + R"(","now":"2026-12-01"})";
}

std::vector<Case> CppCases();

std::vector<Case> Cases(const std::vector<Extra>& extras) {
  std::vector<Case> out;
  for (const auto& f : testing::LoadFixtures("validate")) {
    const std::string doc = testing::FixtureDocument(f.data);
    const std::string options = OptionsOf(f.data);
    out.push_back({f.file, FixturePolicy(f.data), [doc, options](const Engine& e) {
                     return json_api::Validate(e, doc, options);
                   }});
    // The view model holds issues, timers and a request's summary.
    for (const char* actor : {"client", "freelancer"}) {
      out.push_back({f.file + " describe", FixturePolicy(f.data), [doc, actor](const Engine& e) {
                       return json_api::Describe(e, doc, As(actor));
                     }});
    }
  }
  for (const auto& f : testing::LoadFixtures("actions")) {
    const std::string doc = testing::FixtureDocument(f.data);
    const std::string action = json::Write(*f.data.Find("action"));
    const std::string options = OptionsOf(f.data);
    out.push_back({f.file, FixturePolicy(f.data), [doc, action, options](const Engine& e) {
                     return json_api::Apply(e, doc, action, options);
                   }});
  }
  for (const auto& f : testing::LoadFixtures("diff")) {
    const json::Value& input = *f.data.Find("input");
    const json::Value* action = f.data.Find("action");
    const std::string type = action ? action->Find("type")->as_string() : "diff";
    if (type == "diff") {
      const std::string before = json::Write(*input.Find("before"));
      const std::string after = json::Write(*input.Find("after"));
      out.push_back({f.file, Policy(), [before, after](const Engine& e) {
                       return json_api::Diff(e, before, after);
                     }});
    } else if (type == "applyChanges") {
      const std::string doc = json::Write(input);
      const std::string changes = json::Write(*action->Find("changes"));
      out.push_back({f.file, Policy(), [doc, changes](const Engine& e) {
                       return json_api::ApplyChanges(e, doc, changes);
                     }});
    } else {
      const std::string doc = json::Write(input);
      const std::string id = action->Find("id")->as_string();
      const double to = static_cast<double>(action->Find("toIndex")->as_int());
      const std::string options = OptionsOf(f.data);
      out.push_back({f.file, Policy(), [doc, id, to, options](const Engine& e) {
                       return json_api::PreviewReorder(e, doc, id, to, options);
                     }});
    }
  }
  for (const auto& f : testing::LoadFixtures("policy")) {
    const std::string text = json::Write(*f.data.Find("policy"));
    out.push_back({f.file, Policy(), [text](const Engine& e) {
                     Policy ignored;
                     IssueList issues;
                     ParsePolicy(text, Policy::Upwork(), &ignored, &issues);
                     return Written(e, issues);
                   }});
  }
  for (const Extra& x : extras) {
    const std::string call = x.call, a = x.a, b = x.b, c = x.c;
    Policy policy;
    if (!x.policy.empty()) {
      IssueList issues;
      EXPECT_TRUE(ParsePolicy(x.policy, policy, &policy, &issues)) << x.policy;
    }
    if (call == "policy") {
      out.push_back({call + " " + a, policy, [a](const Engine& e) {
                       Policy ignored;
                       IssueList issues;
                       ParsePolicy(a, Policy::Upwork(), &ignored, &issues);
                       return Written(e, issues);
                     }});
      continue;
    }
    std::function<std::string(const Engine&)> run;
    if (call == "validate") {
      run = [a, b](const Engine& e) { return json_api::Validate(e, a, b.empty() ? "{}" : b); };
    } else if (call == "apply") {
      run = [a, b, c](const Engine& e) { return json_api::Apply(e, a, b, c); };
    } else if (call == "applyChanges") {
      run = [a, b](const Engine& e) { return json_api::ApplyChanges(e, a, b); };
    } else if (call == "invert") {
      run = [a](const Engine& e) { return json_api::InvertChanges(e, a); };
    } else if (call == "preview") {
      run = [a, b, c](const Engine& e) { return json_api::PreviewReorder(e, a, "m-3", 0.5, b); };
    } else if (call == "timers") {
      run = [a, b](const Engine& e) { return json_api::Timers(e, a, b); };
    } else if (call == "parseMoney") {
      run = [a, b](const Engine& e) { return json_api::ParseMoney(e, a, b); };
    } else if (call == "catalog") {
      run = [a](const Engine& e) {
        IssueList issues;
        Catalog::FromJson(a, &issues);
        return Written(e, issues);
      };
    } else if (call == "session") {
      run = [a, b, c](const Engine& e) {
        Session session(e, a, b);
        const SessionEdit edit = session.Apply(c);
        CatalogScope scope(e.catalog());
        return SessionEditToJson(edit);
      };
    }
    EXPECT_TRUE(run) << call;
    if (run) out.push_back({call + " " + a + " " + b + " " + c, policy, std::move(run)});
  }
  for (Case& c : CppCases()) out.push_back(std::move(c));
  return out;
}

// A catalog writing each sentence as "§<id>|" and every param the shipped
// template `locale` names: whatever it writes as such is a sentence that
// catalog has, made with every param its template needs.
std::shared_ptr<const Catalog> Marker(const std::string& locale) {
  json::Value doc;
  json::ParseError error;
  EXPECT_TRUE(
      json::Parse(testing::ReadFile(std::string(MILESTONE_CATALOGS_DIR) + "/" + locale + ".json"),
                  &doc, &error));
  json::Value messages = json::Value::Object();
  for (const json::Member& m : doc.Find("messages")->members()) {
    json::Value entry = json::Value::Object();
    for (const char* part : {"message", "hint"}) {
      const json::Value* text = m.second.Find(part);
      if (text == nullptr) continue;
      std::string marked = "\u00a7" + m.first + "|";
      for (const std::string& name : Catalog::ParamNames(text->as_string())) {
        marked += "{" + name + "}";
      }
      entry.Set(part, json::Value::String(marked));
    }
    messages.Set(m.first, std::move(entry));
  }
  json::Value marker = json::Value::Object();
  marker.Set("locale", json::Value::String(locale));
  marker.Set("messages", std::move(messages));
  IssueList issues;
  std::optional<Catalog> catalog = Catalog::FromJson(json::Write(marker), &issues);
  EXPECT_TRUE(catalog.has_value());
  return std::make_shared<const Catalog>(catalog ? std::move(*catalog) : Catalog());
}

// Every sentence in an answer, as (message, hint): issues ({code, severity,
// message, hint?}), events (the items of "events"), timers ({kind, due,
// message}) and summaries (the strings of "summary"). `key`: the member `v`
// is, or whose item it is.
void Sentences(const json::Value& v, const std::string& key,
               std::vector<std::pair<std::string, std::string>>* out) {
  if (v.is_object()) {
    const json::Value* message = v.Find("message");
    const bool said = key == "events" || (v.Find("code") && v.Find("severity")) ||
                      (v.Find("kind") && v.Find("due"));
    if (message && message->is_string() && said) {
      const json::Value* hint = v.Find("hint");
      out->emplace_back(message->as_string(), hint ? hint->as_string() : "");
    }
    for (const json::Member& m : v.members()) Sentences(m.second, m.first, out);
  } else if (v.is_array()) {
    for (const json::Value& item : v.items()) Sentences(item, key, out);
  } else if (v.is_string() && key == "summary") {
    out->emplace_back(v.as_string(), "");
  }
}

// Whether `text` is a marker sentence; `id` receives its message id.
bool Marked(const std::string& text, std::string* id) {
  const std::string mark = "\u00a7";
  if (text.compare(0, mark.size(), mark) != 0) return false;
  *id = text.substr(mark.size(), text.find('|') - mark.size());
  return true;
}

// `doc` with its first `from` replaced by `to`.
std::string With(std::string doc, const std::string& from, const std::string& to) {
  const size_t at = doc.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) doc.replace(at, from.size(), to);
  return doc;
}

std::vector<Extra> Extras() {
  const std::string active = Doc("active");
  const std::string submitted = Doc("submitted", R"(,"submittedOn":"2026-11-30")");
  const std::string requested =
      With(Doc("released"), R"("changeRequest":null)",
           R"("changeRequest":{"id":"cr-3","by":"freelancer","actions":[{"type":"edit","id":"m-3",)"
           R"("set":{"amount":40000}}],"message":""})");
  const std::string two = R"({"currencies":{"USD":{"exponent":2,"minimumAmount":500,)"
                          R"("maximumAmount":100000000},"EUR":{"exponent":2,"minimumAmount":500,)"
                          R"("maximumAmount":100000000}}})";
  const std::string odd = R"({"currencies":{"USD":{"exponent":2,"minimumAmount":500,)"
                          R"("maximumAmount":100000000},"JPY":{"exponent":0,"minimumAmount":5,)"
                          R"("maximumAmount":1000000},"XAB":{"exponent":1,"minimumAmount":5,)"
                          R"("maximumAmount":1000000}}})";
  const std::string parallel = R"({"maxInFlight":2,"fundingOrder":"any"})";
  const std::string all_active =
      With(With(Doc("active"), R"("state":"released","funded":50000,)",
                R"("state":"active","funded":50000,)"),
           R"("state":"not_funded","funded":0,)", R"("state":"active","funded":30000,)");
  const std::string add = R"({"type":"add","milestone":{"title":"QA","amount":900}})";
  const std::string changes_doc = Doc("not_funded");
  return {
      // Reading documents, actions and options.
      {"validate", R"({"id":"c","version":-1,"currency":"USD","status":"later",)"
                   R"("initiationFeeCharged":"no","milestones":{}})"},
      {"validate", With(active, R"("changeRequest":null)", R"("changeRequest":[])")},
      {"validate", With(active, R"("changeRequest":null)",
                        R"("changeRequest":{"id":"cr","by":"client","actions":[]})")},
      {"validate", With(active, R"("changeRequest":null)",
                        R"("changeRequest":{"id":"cr","by":"freelancer","actions":[]})")},
      {"validate", With(active, R"("changeRequest":null)",
                        R"("changeRequest":{"id":"cr","by":"freelancer","actions":)"
                        R"([{"type":"fund","id":"m-3"}]})")},
      {"validate", With(active, R"("changeRequest":null)",
                        R"("changeRequest":{"id":"cr","by":"freelancer","actions":{}})")},
      {"validate", all_active, "", "", parallel},
      {"validate", Doc("active"), "", "", two},
      {"validate", With(Doc("active"), R"("currency":"USD")", R"("currency":"XYZ")"), "", "", two},
      {"apply", active, "5", As("client")},
      {"apply", active, "{}", As("client")},
      {"apply", active, R"({"type":"fly"})", As("client")},
      {"apply", active, R"({"type":"fund","id":"m-3","extra":1})", As("client")},
      {"apply", active, R"({"type":"fund"})", As("client")},
      {"apply", active, R"({"type":"fund","id":5})", As("client")},
      {"apply", active, R"({"type":"fund","id":"m-1"})", As("client")},
      {"apply", active, R"({"type":"move","id":"m-3"})", As("client")},
      {"apply", active, R"({"type":"move","id":"m-3","toIndex":"x"})", As("client")},
      {"apply", active, R"({"type":"add"})", As("client")},
      {"apply", active, R"({"type":"add","milestone":{"id":5,"amount":900}})", As("client")},
      {"apply", active, R"({"type":"add","milestone":{"title":"QA"}})", As("client")},
      {"apply", active, R"({"type":"add","index":9,"milestone":{"title":"QA","amount":900}})",
       As("client")},
      {"apply", active, R"({"type":"add","index":0,"milestone":{"title":"QA","amount":900}})",
       As("client")},
      {"apply", active, add, As("client"), R"({"maxMilestones":3})"},
      {"apply", active, R"({"type":"edit","id":"m-3"})", As("client")},
      {"apply", active, R"({"type":"edit","id":"m-3","set":{}})", As("client")},
      {"apply", active, R"({"type":"edit","id":"m-3","set":{"title":5,"dueDate":5,"color":"red"}})",
       As("client")},
      {"apply", active, R"({"type":"propose","actions":[]})", As("freelancer")},
      {"apply", active, R"({"type":"propose"})", As("freelancer")},
      {"apply", active, R"({"type":"propose","actions":[{"type":"fund","id":"m-3"}]})",
       As("freelancer")},
      {"apply", active, R"({"type":"submit","id":"m-2","message":5})", As("freelancer")},
      {"apply", active, R"({"type":"submit","id":"m-2","message":"\u0001"})", As("freelancer")},
      {"apply", active, R"({"type":"submit","id":"m-1"})", As("freelancer")},
      {"apply", active, R"({"type":"requestChanges","id":"m-2","message":"More"})", As("client")},
      {"apply", submitted, R"({"type":"requestChanges","id":"m-2"})", As("client")},
      {"apply", submitted, R"({"type":"requestChanges","id":"m-2","message":" "})", As("client")},
      {"apply", active, R"({"type":"release","id":"m-3"})", As("client")},
      {"apply", active, R"({"type":"release","id":"m-2","then":"later"})", As("client")},
      {"apply", With(active, R"("carryOver":0)", R"("carryOver":9007199254740990)"),
       R"({"type":"release","id":"m-2","amount":100})", As("client")},
      {"apply", active, R"({"type":"resolveDispute","id":"m-2","release":1})", As("marketplace")},
      {"apply", Doc("active", R"(,"refundRequest":{"requestedOn":"2026-11-30"})"),
       R"({"type":"dispute","id":"m-2","reason":"Late"})", As("client")},
      {"apply", active, R"({"type":"fund","id":"m-3"})", "[1]"},
      {"apply", active, R"({"type":"fund","id":"m-3"})", R"({"actor":"client","now":"soon"})"},
      {"apply", active, R"({"type":"fund","id":"m-3"})", R"({"actor":"boss"})"},
      {"apply", all_active, add, As("client"), parallel},
      {"apply",
       With(Doc("active"), R"("state":"released","funded":50000,)",
            R"("state":"active","funded":50000,)"),
       R"({"type":"fund","id":"m-3"})", As("client"), parallel},
      // Events.
      {"apply", active, R"({"type":"delete","id":"m-3"})", As("client")},
      {"apply", changes_doc,
       R"([{"type":"move","id":"m-3","toIndex":1},)"
       R"({"type":"move","id":"m-3","toIndex":1}])",
       As("client")},
      {"apply", active,
       R"([{"type":"edit","id":"m-3","set":{"title":"Launch"}},{"type":"edit","id":"m-3",)"
       R"("set":{"title":"Go live","description":"Ship it","dueDate":"2026-12-20",)"
       R"("amount":40000}},{"type":"edit","id":"m-3","set":{"description":"Ship",)"
       R"("dueDate":"2026-12-21"}},{"type":"edit","id":"m-3","set":{"description":"",)"
       R"("dueDate":null}}])",
       As("client")},
      {"apply", With(Doc("released"), R"("carryOver":0)", R"("carryOver":30000)"),
       R"({"type":"fund","id":"m-3"})", As("client")},
      {"apply", requested, R"({"type":"withdraw"})", As("freelancer")},
      {"apply", requested, R"({"type":"decline","reason":"Too much"})", As("client")},
      {"apply", requested, R"({"type":"end"})", As("client")},
      {"apply", requested, R"({"type":"end"})", As("freelancer")},
      {"apply", requested, R"({"type":"propose","actions":[{"type":"delete","id":"m-3"}]})",
       As("freelancer")},
      // Change lists.
      {"applyChanges", changes_doc, "{}"},
      {"applyChanges", changes_doc, "[5]"},
      {"applyChanges", changes_doc, R"([{"op":"fly","id":"m-3"}])"},
      {"applyChanges", changes_doc, R"([{"op":"move","id":"m-3","extra":1}])"},
      {"applyChanges", changes_doc, R"([{"op":"move","id":"m-3","fromIndex":"x"}])"},
      {"applyChanges", changes_doc, R"([{"op":"move"}])"},
      {"applyChanges", changes_doc, R"([{"op":"add","id":"m-9","index":3}])"},
      {"applyChanges", changes_doc, R"([{"op":"add","id":"m-9","index":3,"milestone":5}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"add","id":"m-9","index":3,"milestone":{"id":"m-8","title":"QA",)"
       R"("amount":900}}])"},
      {"applyChanges", changes_doc, R"([{"op":"edit","id":"m-3","field":"color"}])"},
      {"applyChanges", changes_doc, R"([{"op":"edit","id":"m-3","field":"title","to":"x"}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"edit","id":"m-3","field":"title","from":5,"to":"x"}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"edit","id":"m-3","field":"dueDate","from":5,"to":null}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"add","id":"m-9","index":9,"milestone":)"
       R"({"title":"QA","amount":900}}])"},
      {"applyChanges", changes_doc, R"([{"op":"delete","id":"m-3","index":0}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"delete","id":"m-3","index":2,"milestone":{"title":"Old","amount":1}}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"edit","id":"m-9","field":"title","from":"a","to":"b"}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"edit","id":"m-3","field":"title","from":"a","to":"b"}])"},
      {"applyChanges", changes_doc, R"([{"op":"move","id":"m-3","fromIndex":0,"toIndex":1}])"},
      {"applyChanges", changes_doc, R"([{"op":"move","id":"m-3","fromIndex":2,"toIndex":7}])"},
      {"applyChanges", changes_doc,
       R"([{"op":"add","id":"m-3","index":0,"milestone":)"
       R"({"title":"QA","amount":900}}])"},
      {"invert", R"([{"op":"delete","id":"m-3","index":2}])"},
      {"preview", active, "{}"},
      // Timers, money, sessions, policies and catalogs.
      {"timers", active, "{}"},
      {"timers", submitted, As("client")},
      {"timers", Doc("active", R"(,"refundRequest":{"requestedOn":"2026-11-30"})"), As("client")},
      {"parseMoney", "", ""},
      {"parseMoney", "1.234", ""},
      {"parseMoney", "5", "EUR"},
      {"parseMoney", "1.5", "JPY", "", odd},
      {"parseMoney", "1.55", "XAB", "", odd},
      {"session", active, "{}", R"({"type":"fund","id":"m-3"})"},
      {"policy", "[]"},
      {"policy", R"({"currencies":[]})"},
      {"policy", R"({"currencies":{"usd":{}}})"},
      {"policy", R"({"currencies":{"USD":5}})"},
      {"policy", R"({"currencies":{"USD":{"exponent":3,"minimumAmount":1,"maximumAmount":9}}})"},
      {"policy", R"({"currencies":{"USD":{"exponent":2,"minimumAmount":1,"maximumAmount":9,)"
                 R"("color":1}}})"},
      {"policy", R"({"currencies":{"USD":{"exponent":2}}})"},
      {"policy", R"({"currencies":{"USD":{"exponent":2,"minimumAmount":9,"maximumAmount":1}}})"},
      {"policy", R"({"currency":"EUR","currencies":{"EUR":{"exponent":2,"minimumAmount":1,)"
                 R"("maximumAmount":9}}})"},
      {"policy", R"({"fundingOrder":"random"})"},
      {"policy", R"({"name":5})"},
      {"policy", R"({"currency":"XAB"})"},
      {"policy", R"({"minimumAmount":900,"maximumAmount":100})"},
      {"policy", R"({"maxInFlight":9,"maxMilestones":3})"},
      {"catalog", "[]"},
      {"catalog", R"({"locale":5,"messages":{}})"},
      {"catalog", R"({"locale":"xx"})"},
      {"catalog", R"({"locale":"xx","messages":{"A":5,"B":{"hint":"h"}}})"},
  };
}

// Sentences only the C++ API reaches: an add built without an amount, a
// change whose values do not fit its field or whose milestone has another id,
// a ledger with negative money, a policy's shorthand over several currencies.
std::vector<Case> CppCases() {
  return {
      {"shorthand over two currencies", Policy(),
       [](const Engine& e) {
         Policy two = Policy::Upwork();
         two.currencies.push_back(CurrencyOfCode("EUR"));
         Policy ignored;
         IssueList issues;
         ParsePolicy(R"({"minimumAmount":900})", two, &ignored, &issues);
         return Written(e, issues);
       }},
      {"added milestone with another id", Policy(),
       [](const Engine& e) {
         Contract c = ActiveContract();
         Change change;
         change.op = ChangeOp::kAdd;
         change.id = "m-9";
         change.index = 3;
         change.milestone = c.milestones[2];
         return Written(e, ApplyChanges(c, {change}).issues);
       }},
      {"add without an amount", Policy(),
       [](const Engine& e) {
         Contract c = ActiveContract();
         Action add;
         add.type = ActionType::kAdd;
         add.fields.title = "QA";
         CatalogScope scope(e.catalog());
         return ApplyResultToJson(e.Apply(c, {add}, ActOptions{}));
       }},
      {"change of the wrong type", Policy(),
       [](const Engine& e) {
         Contract c = ActiveContract();
         Change change;
         change.op = ChangeOp::kEdit;
         change.id = "m-3";
         change.field = EditField::kAmount;
         change.from = std::string("a");
         change.to = std::string("b");
         return Written(e, ApplyChanges(c, {change}).issues);
       }},
      {"negative money", Policy(),
       [](const Engine& e) {
         Contract c = ActiveContract();
         c.milestones[2].funded = -1;
         return Written(e, e.Validate(c, ValidateOptions{}).issues);
       }},
  };
}

// Every issue and every event any entry point writes, for every fixture and
// for the cases above: English as the engine writes it is exactly what en.json
// says; each language has the sentence with every param its template names;
// and every sentence of en.json is one some case makes.
TEST(Catalogs, EveryIssueAndEventHasItsSentenceInEachLanguage) {
  const std::vector<Case> cases = Cases(Extras());
  ASSERT_GE(cases.size(), 200u);
  auto en = std::make_shared<const Catalog>(Load("en"));
  std::set<std::string> made;
  size_t sentences = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.where);
    const std::string english = c.run(Engine(c.policy));
    EXPECT_EQ(c.run(Engine(c.policy, en)), english);
    for (const char* locale : kLocales) {
      json::Value answer;
      json::ParseError error;
      ASSERT_TRUE(json::Parse(c.run(Engine(c.policy, Marker(locale))), &answer, &error));
      std::vector<std::pair<std::string, std::string>> said;
      Sentences(answer, "", &said);
      for (const auto& [message, hint] : said) {
        std::string id;
        EXPECT_TRUE(Marked(message, &id))
            << locale << " has no sentence (or params) for: " << message;
        made.insert(id);
        std::string hint_id;
        if (!hint.empty()) {
          EXPECT_TRUE(Marked(hint, &hint_id)) << locale << ": " << hint;
        }
      }
      sentences += said.size();
    }
  }
  EXPECT_GE(sentences, 400u);
  for (const auto& [id, entry] : en->entries()) {
    EXPECT_TRUE(made.count(id)) << "no case makes the sentence " << id;
  }
}

TEST(Catalogs, EveryCodeHasASentenceInEachLanguage) {
  for (const char* locale : kLocales) {
    const Catalog catalog = Load(locale);
    for (const codes::Entry& entry : codes::kCatalogue) {
      if (entry.kind == codes::Kind::kBinding || entry.kind == codes::Kind::kShell) continue;
      const std::string code = entry.code;
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

// Every word English has (states, actors, the view's labels...) is in each
// language: a table or a word left out would show English on that page.
TEST(Catalogs, EveryWordIsInEachLanguage) {
  json::Value en;
  json::ParseError error;
  ASSERT_TRUE(json::Parse(testing::ReadFile(std::string(MILESTONE_CATALOGS_DIR) + "/en.json"), &en,
                          &error));
  for (const char* locale : kLocales) {
    json::Value other;
    ASSERT_TRUE(
        json::Parse(testing::ReadFile(std::string(MILESTONE_CATALOGS_DIR) + "/" + locale + ".json"),
                    &other, &error));
    const json::Value* words = other.Find("words");
    ASSERT_NE(words, nullptr) << locale;
    for (const json::Member& table : en.Find("words")->members()) {
      const json::Value* theirs = words->Find(table.first);
      ASSERT_NE(theirs, nullptr) << locale << " has no words table " << table.first;
      for (const json::Member& word : table.second.members()) {
        const json::Value* said = theirs->Find(word.first);
        EXPECT_TRUE(said != nullptr && said->is_string() && !said->as_string().empty())
            << locale << " has no word " << table.first << "." << word.first;
      }
    }
  }
  // The view's labels: one per action, state and status, in English as the
  // engine writes them itself (the describe cases above prove the rest).
  for (const char* name :
       {"add", "edit", "delete", "move", "propose", "withdraw", "accept", "decline", "fund",
        "submit", "requestChanges", "release", "end", "requestRefund", "approveRefund",
        "declineRefund", "dispute", "withdrawDispute", "resolveDispute"}) {
    const ActionSpec* spec = FindSpec(name);
    ASSERT_NE(spec, nullptr) << name;
    const json::Value* label = en.Find("words")->Find("label")->Find(name);
    ASSERT_NE(label, nullptr) << name;
    EXPECT_EQ(label->as_string(), spec->label) << name;
  }
}

// The view model's figures, dates and labels, and formatMoney / parseMoney,
// are the engine's language (SPEC 5, docs/languages.md), and what one writes
// the other reads back, in every currency of the example policy.
TEST(Catalogs, TheViewAndMoneyFollowTheLanguage) {
  auto es = std::make_shared<const Catalog>(Load("es"));
  const Engine spanish(Policy::Upwork(), es);
  const std::string doc = Doc("not_funded");
  const std::string view = json_api::Describe(spanish, doc, As("client"));
  for (const char* said : {R"("amount":"1.200,00\u00a0US$")", R"("stateLabel":"Sin financiar")",
                           R"("statusLabel":"Abierto")", R"("label":"Financiar")",
                           R"("label":"Añadir hito")", R"("released":"500,00\u00a0US$")"}) {
    std::string expected = said;
    const size_t nbsp = expected.find("\\u00a0");
    if (nbsp != std::string::npos) expected.replace(nbsp, 6, "\u00a0");
    EXPECT_NE(view.find(expected), std::string::npos) << expected << " in " << view;
  }
  const std::string english = json_api::Describe(Engine(), doc, As("client"));
  EXPECT_NE(english.find(R"("amount":"$1,200.00")"), std::string::npos);
  EXPECT_NE(english.find(R"("label":"Fund")"), std::string::npos);
  const std::string dated = R"({"id":"c","version":0,"currency":"USD","status":"open",)"
                            R"("initiationFeeCharged":false,"carryOver":0,"milestones":[{"id":)"
                            R"("m-1","title":"D","amount":5000,"dueDate":"2026-12-15",)"
                            R"("state":"not_funded","funded":0,"released":0}]})";
  EXPECT_NE(json_api::Describe(spanish, dated, As("client")).find(R"("dueDate":"15 dic 2026")"),
            std::string::npos);

  EXPECT_EQ(json_api::FormatMoney(spanish, 123456, "USD"), "\"1.234,56\u00a0US$\"");
  EXPECT_EQ(json_api::FormatMoney(Engine(), 123456, "USD"), "\"$1,234.56\"");
  struct Read {
    const char* text;
    int64_t cents;
  };
  for (const Read& r : std::initializer_list<Read>{{"1.234,56", 123456},
                                                   {"1234,56", 123456},
                                                   {"1.234,56 US$", 123456},
                                                   {"1.234,56\u00a0US$", 123456},
                                                   {"12,5", 1250},
                                                   {"12", 1200},
                                                   {"1.000.000", 100000000}}) {
    EXPECT_EQ(json_api::ParseMoney(spanish, r.text, "USD"),
              "{\"ok\":true,\"amount\":" + std::to_string(r.cents) + "}")
        << r.text;
  }
  // The English way is not the Spanish way: "12.50" would be twelve
  // thousand-something with a broken group, so it is refused, with the
  // example written the way Spanish writes it.
  for (const char* text : {"12.50", "$12.50", "US$ 12,50", "1,234.56", "12,505", "1.23,4"}) {
    const std::string answer = json_api::ParseMoney(spanish, text, "USD");
    EXPECT_NE(answer.find("INVALID_AMOUNT"), std::string::npos) << text << ": " << answer;
    EXPECT_NE(answer.find("123.456,00\u00a0US$"), std::string::npos) << text << ": " << answer;
  }

  // Round trip: formatMoney's text parses back to the amount, in both
  // languages and every currency of the example policy.
  IssueList issues;
  Policy parallel;
  ASSERT_TRUE(ParsePolicy(testing::ReadFile(std::string(MILESTONE_POLICIES_DIR) + "/parallel.json"),
                          Policy::Upwork(), &parallel, &issues));
  for (const auto& catalog :
       {std::shared_ptr<const Catalog>(), es, std::make_shared<const Catalog>(Load("en"))}) {
    const Engine engine(parallel, catalog);
    for (const Currency& currency : parallel.currencies) {
      for (int64_t amount : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1000}, int64_t{123456},
                             int64_t{100000000}, int64_t{9007199254740991}}) {
        const std::string text = json_api::FormatMoney(engine, amount, currency.code);
        json::Value written;
        json::ParseError error;
        ASSERT_TRUE(json::Parse(text, &written, &error)) << text;
        EXPECT_EQ(json_api::ParseMoney(engine, written.as_string(), currency.code),
                  "{\"ok\":true,\"amount\":" + std::to_string(amount) + "}")
            << currency.code << " " << written.as_string();
      }
    }
  }
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
