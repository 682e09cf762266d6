#include "milestone/issue.h"

#include "milestone/catalog.h"
#include "rules.h"

namespace milestone {

bool NoErrors(const IssueList& issues) {
  for (const Issue& issue : issues) {
    if (issue.severity == Severity::kError) return false;
  }
  return true;
}

void Append(IssueList* target, const IssueList& source) {
  target->insert(target->end(), source.begin(), source.end());
}

std::string PointerToken(const std::string& token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Issue::Issue() = default;
Issue::Issue(const Issue& other) = default;
Issue::Issue(Issue&& other) noexcept = default;
Issue& Issue::operator=(const Issue& other) = default;
Issue& Issue::operator=(Issue&& other) noexcept = default;
Issue::~Issue() = default;

namespace {

Issue MakeIssue(const char* code, Severity severity, std::string path, std::string milestone_id,
                std::string message, std::string hint) {
  Issue issue;
  issue.code = code;
  issue.severity = severity;
  issue.path = std::move(path);
  issue.milestone_id = std::move(milestone_id);
  issue.message = std::move(message);
  issue.hint = std::move(hint);
  return issue;
}

}  // namespace

Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint) {
  return MakeIssue(code, Severity::kError, std::move(path), std::move(milestone_id),
                   std::move(message), std::move(hint));
}

Issue MakeWarning(const char* code, std::string path, std::string milestone_id, std::string message,
                  std::string hint) {
  return MakeIssue(code, Severity::kWarning, std::move(path), std::move(milestone_id),
                   std::move(message), std::move(hint));
}

Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint, std::string message_id, Params params) {
  return Tagged(MakeError(code, std::move(path), std::move(milestone_id), std::move(message),
                          std::move(hint)),
                std::move(message_id), std::move(params));
}

Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint, const char* message_id, std::initializer_list<Param> params) {
  return MakeError(code, std::move(path), std::move(milestone_id), std::move(message),
                   std::move(hint), std::string(message_id), Params(params));
}

Issue Tagged(Issue issue, std::string message_id, Params params) {
  issue.message_id = std::move(message_id);
  issue.params = std::move(params);
  return issue;
}

Param MoneyOf(const char* name, int64_t amount, const Currency& money) {
  return MoneyParam(name, amount, money.code, money.exponent);
}

namespace {

json::Value ParamValue(const Param& p) {
  switch (p.kind) {
    case ParamKind::kSentences: {
      json::Value list = json::Value::Array();
      for (const Param& part : p.parts) {
        json::Value item = json::Value::Object();
        item.Set("type", json::Value::String(part.name));
        json::Value params = ParamsToValue(part.parts);
        for (json::Member& m : params.members()) item.Set(m.first, std::move(m.second));
        list.Push(std::move(item));
      }
      return list;
    }
    case ParamKind::kNumber:
    case ParamKind::kMoney:
      return json::Value::Int(p.number);
    case ParamKind::kBool:
      return json::Value::Bool(p.number != 0);
    case ParamKind::kNull:
      return json::Value::Null();
    default:
      return json::Value::String(p.text);
  }
}

}  // namespace

json::Value ParamsToValue(const Params& params) {
  json::Value obj = json::Value::Object();
  const Param* money = nullptr;
  bool has_currency = false;
  for (const Param& p : params) {
    if (p.kind == ParamKind::kMoney && money == nullptr) money = &p;
    if (p.name == "currency") has_currency = true;
    obj.Set(p.name, ParamValue(p));
  }
  if (money != nullptr && !has_currency) obj.Set("currency", json::Value::String(money->text));
  return obj;
}

namespace {

// The issue's sentences in the catalog of this thread, when it has them.
Issue Rendered(const Issue& issue) {
  Issue out = issue;
  if (const Catalog* catalog = CurrentCatalog()) catalog->Localize(&out);
  return out;
}

}  // namespace

void WriteParams(const Params& params, std::string* out) {
  json::Write(ParamsToValue(params), out);
}

std::string MilestonePath(size_t index) { return "/milestones/" + std::to_string(index); }

std::string MilestonePath(size_t index, const char* field) {
  return MilestonePath(index) + "/" + field;
}

json::Value IssueToValue(const Issue& source) {
  const Issue issue = Rendered(source);
  json::Value v = json::Value::Object();
  v.Set("code", json::Value::String(issue.code));
  v.Set("severity", json::Value::String(issue.severity == Severity::kError ? "error" : "warning"));
  v.Set("path", json::Value::String(issue.path));
  if (!issue.milestone_id.empty()) v.Set("milestoneId", json::Value::String(issue.milestone_id));
  v.Set("message", json::Value::String(issue.message));
  if (!issue.hint.empty()) v.Set("hint", json::Value::String(issue.hint));
  v.Set("params", ParamsToValue(issue.params));
  return v;
}

json::Value IssuesToValue(const IssueList& issues) {
  json::Value list = json::Value::Array();
  list.items().reserve(issues.size());
  for (const Issue& issue : issues) list.Push(IssueToValue(issue));
  return list;
}

void WriteIssue(const Issue& source, std::string* out) {
  const Catalog* catalog = CurrentCatalog();
  Issue localized;
  if (catalog != nullptr && !source.message_id.empty()) {
    localized = source;
    catalog->Localize(&localized);
  }
  const Issue& issue = catalog != nullptr && !source.message_id.empty() ? localized : source;
  out->append("{\"code\":");
  json::WriteString(issue.code, out);
  out->append(issue.severity == Severity::kError ? ",\"severity\":\"error\",\"path\":"
                                                 : ",\"severity\":\"warning\",\"path\":");
  json::WriteString(issue.path, out);
  if (!issue.milestone_id.empty()) {
    out->append(",\"milestoneId\":");
    json::WriteString(issue.milestone_id, out);
  }
  out->append(",\"message\":");
  json::WriteString(issue.message, out);
  if (!issue.hint.empty()) {
    out->append(",\"hint\":");
    json::WriteString(issue.hint, out);
  }
  out->append(",\"params\":");
  WriteParams(issue.params, out);
  out->push_back('}');
}

void WriteIssues(const IssueList& issues, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < issues.size(); ++i) {
    if (i > 0) out->push_back(',');
    WriteIssue(issues[i], out);
  }
  out->push_back(']');
}

std::string IssuesToJson(const IssueList& issues) {
  std::string out;
  WriteIssues(issues, &out);
  return out;
}

std::string ValidateResultToJson(const ValidateResult& result) {
  json::Value v = json::Value::Object();
  v.Set("ok", json::Value::Bool(result.ok));
  v.Set("issues", IssuesToValue(result.issues));
  return json::Write(v);
}

}  // namespace milestone
