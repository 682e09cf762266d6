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

void WriteParamMembers(const Params& params, bool first, std::string* out);

void WriteParamValue(const Param& p, std::string* out) {
  switch (p.kind) {
    case ParamKind::kSentences:
      // Each sentence is {"type": its event type, ...its params}.
      out->push_back('[');
      for (size_t i = 0; i < p.parts.size(); ++i) {
        if (i > 0) out->push_back(',');
        out->append("{\"type\":");
        json::WriteString(p.parts[i].name, out);
        WriteParamMembers(p.parts[i].parts, /*first=*/false, out);
        out->push_back('}');
      }
      out->push_back(']');
      break;
    case ParamKind::kNumber:
    case ParamKind::kMoney:
      out->append(std::to_string(p.number));
      break;
    case ParamKind::kBool:
      out->append(p.number != 0 ? "true" : "false");
      break;
    case ParamKind::kNull:
      out->append("null");
      break;
    default:
      json::WriteString(p.text, out);
  }
}

// The params as members of an object already open; `first`: none written yet.
void WriteParamMembers(const Params& params, bool first, std::string* out) {
  const Param* money = nullptr;
  bool has_currency = false;
  for (const Param& p : params) {
    if (p.kind == ParamKind::kMoney && money == nullptr) money = &p;
    if (p.name == "currency") has_currency = true;
    if (!first) out->push_back(',');
    first = false;
    json::WriteString(p.name, out);
    out->push_back(':');
    WriteParamValue(p, out);
  }
  if (money != nullptr && !has_currency) {
    if (!first) out->push_back(',');
    out->append("\"currency\":");
    json::WriteString(money->text, out);
  }
}

}  // namespace

void WriteParams(const Params& params, std::string* out) {
  out->push_back('{');
  WriteParamMembers(params, /*first=*/true, out);
  out->push_back('}');
}

std::string MilestonePath(size_t index) { return "/milestones/" + std::to_string(index); }

std::string MilestonePath(size_t index, const char* field) {
  return MilestonePath(index) + "/" + field;
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
  std::string out = result.ok ? "{\"ok\":true,\"issues\":" : "{\"ok\":false,\"issues\":";
  WriteIssues(result.issues, &out);
  out.push_back('}');
  return out;
}

}  // namespace milestone
