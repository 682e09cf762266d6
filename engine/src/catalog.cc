#include "milestone/catalog.h"

#include <utility>

#include "json.h"
#include "milestone/codes.h"
#include "milestone/date.h"
#include "milestone/text.h"
#include "rules.h"

namespace milestone {

Param::Param() = default;
Param::Param(const Param& other) = default;
Param::Param(Param&& other) noexcept = default;
Param& Param::operator=(const Param& other) = default;
Param& Param::operator=(Param&& other) noexcept = default;
Param::~Param() = default;

Param TextParam(const char* name, std::string_view text) {
  Param p;
  p.name = name;
  p.text = text;
  return p;
}

Param NumberParam(const char* name, int64_t number) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kNumber;
  p.number = number;
  return p;
}

Param MoneyParam(const char* name, int64_t amount, std::string_view currency, int exponent) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kMoney;
  p.number = amount;
  p.text = currency;
  p.exponent = exponent;
  return p;
}

Param DateParam(const char* name, std::string_view date) {
  Param p;
  p.name = name;
  p.kind = date.empty() ? ParamKind::kNull : ParamKind::kDate;
  p.text = date;
  return p;
}

Param TitleParam(const char* name, std::string_view title) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kTitle;
  p.text = title;
  return p;
}

Param WordParam(const char* name, const char* table, std::string_view word) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kWord;
  p.table = table;
  p.text = word;
  return p;
}

Param BoolParam(const char* name, bool value) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kBool;
  p.number = value ? 1 : 0;
  return p;
}

Param NullParam(const char* name) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kNull;
  return p;
}

Param SentencesParam(const char* name, std::vector<Param> sentences) {
  Param p;
  p.name = name;
  p.kind = ParamKind::kSentences;
  p.parts = std::move(sentences);
  return p;
}

Param SentencePart(std::string type, std::string text, std::string message_id, Params params) {
  Param p;
  p.name = std::move(type);
  p.text = std::move(text);
  p.table = std::move(message_id);
  p.parts = std::move(params);
  return p;
}

namespace {

thread_local const Catalog* g_current = nullptr;

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// The length of "{name}" or "{name:table}" at text[i], 0 when text[i] does
// not start one: a brace followed by anything else ({"now": ...}) is written
// as it is.
size_t PlaceholderAt(std::string_view text, size_t i) {
  if (text[i] != '{' || i + 1 >= text.size() || !IsNameStart(text[i + 1])) return 0;
  size_t j = i + 1;
  while (j < text.size() && IsNameChar(text[j])) ++j;
  if (j < text.size() && text[j] == ':') {
    ++j;
    while (j < text.size() && IsNameChar(text[j])) ++j;
  }
  return j < text.size() && text[j] == '}' ? j + 1 - i : 0;
}

// "name" and "table" ("" when none) of a placeholder of length n at text[i].
std::pair<std::string_view, std::string_view> PlaceholderParts(std::string_view text, size_t i,
                                                               size_t n) {
  std::string_view inner = text.substr(i + 1, n - 2);
  size_t colon = inner.find(':');
  if (colon == std::string_view::npos) return {inner, {}};
  return {inner.substr(0, colon), inner.substr(colon + 1)};
}

const Param* FindParam(const Params& params, std::string_view name) {
  for (const Param& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool IsEmpty(const Param& p) {
  return p.kind == ParamKind::kNull || (p.kind == ParamKind::kSentences && p.parts.empty()) ||
         ((p.kind == ParamKind::kText || p.kind == ParamKind::kWord) && p.text.empty());
}

struct Reader {
  IssueList* issues;
  bool ok = true;
  // `variant`: the sentence "SCHEMA.catalog.<variant>" (of the catalog in use,
  // not of the one being read).
  void Bad(const std::string& pointer, const char* variant, const std::string& what,
           std::initializer_list<Param> params = {}) {
    ok = false;
    issues->push_back(MakeError(codes::kSchema, "/catalog" + pointer, "",
                                "The message catalog is not usable: " + what + ".",
                                "Use a catalog shipped in engine/catalogs/ as a model.",
                                std::string("SCHEMA.catalog.") + variant, Params(params)));
  }
  std::string String(const json::Value& obj, const char* key, const std::string& at,
                     const std::string& fallback) {
    const json::Value* v = obj.Find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) {
      Bad(at + "/" + key, "string", std::string("\"") + key + "\" must be a string",
          {TextParam("key", key)});
      return fallback;
    }
    return v->as_string();
  }
};

}  // namespace

const Catalog* CurrentCatalog() { return g_current; }

CatalogScope::CatalogScope(const Catalog* catalog) : saved_(g_current) { g_current = catalog; }
CatalogScope::~CatalogScope() { g_current = saved_; }

std::optional<Catalog> Catalog::FromJson(std::string_view text, IssueList* issues) {
  json::Value doc;
  if (!ParseJson(text, &doc, issues, "/catalog")) return std::nullopt;
  Reader r{issues};
  if (!doc.is_object()) {
    r.Bad("", "object", "it must be an object");
    return std::nullopt;
  }
  Catalog c;
  c.locale_ = r.String(doc, "locale", "", "");
  if (c.locale_.empty()) r.Bad("/locale", "locale", "\"locale\" must name the language");
  if (const json::Value* formats = doc.Find("formats"); formats && formats->is_object()) {
    if (const json::Value* m = formats->Find("money"); m && m->is_object()) {
      c.money_pattern_ = r.String(*m, "pattern", "/formats/money", c.money_pattern_);
      c.money_code_pattern_ = r.String(*m, "codePattern", "/formats/money", c.money_code_pattern_);
      c.decimal_ = r.String(*m, "decimal", "/formats/money", c.decimal_);
      c.group_ = r.String(*m, "group", "/formats/money", c.group_);
      if (const json::Value* s = m->Find("symbols"); s && s->is_object()) {
        for (const json::Member& kv : s->members()) {
          if (kv.second.is_string()) c.symbols_[kv.first] = kv.second.as_string();
        }
      }
    }
    if (const json::Value* d = formats->Find("date"); d && d->is_object()) {
      c.date_pattern_ = r.String(*d, "pattern", "/formats/date", c.date_pattern_);
      if (const json::Value* months = d->Find("months"); months && months->is_array()) {
        for (const json::Value& name : months->items()) {
          if (name.is_string()) c.months_.push_back(name.as_string());
        }
      }
    }
    if (const json::Value* t = formats->Find("title"); t && t->is_object()) {
      c.open_quote_ = r.String(*t, "open", "/formats/title", c.open_quote_);
      c.close_quote_ = r.String(*t, "close", "/formats/title", c.close_quote_);
      c.untitled_ = r.String(*t, "untitled", "/formats/title", c.untitled_);
    }
  }
  if (c.months_.size() != 12) {
    c.months_ = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  }
  if (const json::Value* words = doc.Find("words"); words && words->is_object()) {
    for (const json::Member& table : words->members()) {
      if (!table.second.is_object()) continue;
      for (const json::Member& kv : table.second.members()) {
        if (kv.second.is_string()) c.words_[table.first][kv.first] = kv.second.as_string();
      }
    }
  }
  const json::Value* messages = doc.Find("messages");
  if (messages == nullptr || !messages->is_object()) {
    r.Bad("/messages", "messages", "\"messages\" must be an object of message ids");
    return std::nullopt;
  }
  for (const json::Member& kv : messages->members()) {
    const std::string at = "/messages/" + PointerToken(kv.first);
    if (!kv.second.is_object()) {
      r.Bad(at, "entry", "each message must be {\"message\", \"hint\"?}",
            {TextParam("id", kv.first)});
      continue;
    }
    Entry e;
    e.message = r.String(kv.second, "message", at, "");
    e.hint = r.String(kv.second, "hint", at, "");
    if (e.message.empty()) {
      r.Bad(at + "/message", "sentence", "a message needs its sentence",
            {TextParam("id", kv.first)});
    }
    c.entries_[kv.first] = std::move(e);
  }
  if (!r.ok) return std::nullopt;
  return c;
}

std::vector<std::string> Catalog::ParamNames(std::string_view text) {
  std::vector<std::string> names;
  for (size_t i = 0; i < text.size(); ++i) {
    if (size_t n = PlaceholderAt(text, i)) {
      names.emplace_back(PlaceholderParts(text, i, n).first);
      i += n - 1;
    }
  }
  return names;
}

std::string Catalog::Money(int64_t amount, const std::string& currency, int exponent) const {
  const std::string number = AmountNumber(amount, exponent, decimal_, group_);
  auto symbol = symbols_.find(currency);
  const std::string& pattern = symbol != symbols_.end() ? money_pattern_ : money_code_pattern_;
  Params parts = {TextParam("sign", amount < 0 ? "-" : ""), TextParam("number", number),
                  TextParam("code", currency),
                  TextParam("symbol", symbol != symbols_.end() ? symbol->second : currency)};
  bool ok = true;
  return Fill(pattern, parts, &ok);
}

std::string Catalog::Date(const std::string& iso) const {
  std::optional<milestone::Date> d = ParseDate(iso);
  if (!d) return iso;
  Params parts = {TextParam("day", std::to_string(d->day)),
                  TextParam("month", months_[static_cast<size_t>(d->month - 1)]),
                  TextParam("year", std::to_string(d->year))};
  bool ok = true;
  return Fill(date_pattern_, parts, &ok);
}

bool Catalog::ParseMoney(std::string_view text, const Currency& currency, int64_t* amount,
                         IssueList* issues) const {
  auto symbol = symbols_.find(currency.code);
  const std::string& pattern = symbol != symbols_.end() ? money_pattern_ : money_code_pattern_;
  MoneySyntax syntax;
  syntax.decimal = decimal_;
  syntax.group = group_;
  if (symbol != symbols_.end()) syntax.symbol = symbol->second;
  const size_t number = pattern.find("{number}");
  syntax.after = number != std::string::npos &&
                 pattern.find(symbol != symbols_.end() ? "{symbol}" : "{code}") > number;
  if (milestone::ParseMoney(text, currency, syntax, amount, nullptr)) return true;
  // Refused: read again to say why, with the hint's example in this language
  // (written only then, not on every keystroke an amount field reads).
  int64_t example_amount = 123456;
  for (int k = 0; k < currency.exponent; ++k) example_amount *= 10;
  const std::string example = Money(example_amount, currency.code, currency.exponent);
  syntax.example = example;
  return milestone::ParseMoney(text, currency, syntax, amount, issues);
}

std::string Catalog::Label(std::string_view table, const std::string& key,
                           std::string_view fallback) const {
  auto words = words_.find(table);
  if (words != words_.end()) {
    auto word = words->second.find(key);
    if (word != words->second.end()) return word->second;
  }
  return std::string(fallback);
}

std::string Catalog::Word(std::string_view table, const std::string& value) const {
  return Label(table, value, value);
}

std::string Catalog::Value(const Param& p) const {
  switch (p.kind) {
    case ParamKind::kText:
      return p.text;
    case ParamKind::kNumber:
      return std::to_string(p.number);
    case ParamKind::kMoney:
      return Money(p.number, p.text, p.exponent);
    case ParamKind::kDate:
      return Date(p.text);
    case ParamKind::kTitle: {
      // As Quote() in sentences.cc: trimmed, cut to 80 code points.
      std::string_view title = TrimWhiteSpace(p.text);
      if (title.empty()) return open_quote_ + untitled_ + close_quote_;
      if (CodePointCount(title) > 80) {
        size_t cut = 0;
        int64_t seen = 0;
        while (cut < title.size() && seen < 80) {
          ++cut;
          while (cut < title.size() && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) {
            ++cut;
          }
          ++seen;
        }
        return open_quote_ + std::string(title.substr(0, cut)) + "\u2026" + close_quote_;
      }
      return open_quote_ + std::string(title) + close_quote_;
    }
    case ParamKind::kWord:
      return Word(p.table, p.text);
    case ParamKind::kBool:
      return p.number != 0 ? "true" : "false";
    case ParamKind::kNull:
      return "";
    case ParamKind::kSentences: {
      std::string out;
      for (const Param& part : p.parts) {
        if (!out.empty()) out.push_back(' ');
        out += Render(part.table, part.parts).value_or(part.text);
      }
      return out;
    }
  }
  return "";
}

// "{name}" is a param; "[[ ... ]]" is written only when every param inside it
// is present and not empty (an optional clause: ", due {due}").
std::string Catalog::Fill(std::string_view text, const Params& params, bool* ok) const {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "[[") == 0) {
      size_t end = text.find("]]", i + 2);
      if (end == std::string_view::npos) end = text.size();
      std::string_view inner = text.substr(i + 2, end - i - 2);
      bool present = true;
      for (const std::string& name : ParamNames(inner)) {
        const Param* p = FindParam(params, name);
        if (p == nullptr) {
          *ok = false;
          present = false;
        } else if (IsEmpty(*p)) {
          present = false;
        }
      }
      if (present) out += Fill(inner, params, ok);
      i = end + 2;
      continue;
    }
    if (size_t n = PlaceholderAt(text, i)) {
      auto [name, table] = PlaceholderParts(text, i, n);
      const Param* p = FindParam(params, name);
      if (p == nullptr) {
        *ok = false;
      } else if (!table.empty()) {
        // A number or an amount through a table: its digits (an amount's minor
        // units) are the key, and are written as they are when no word has it.
        const bool digits = p->kind == ParamKind::kNumber || p->kind == ParamKind::kMoney;
        out += Word(table, digits ? std::to_string(p->number) : p->text);
      } else {
        out += Value(*p);
      }
      i += n;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::optional<std::string> Catalog::Render(const std::string& id, const Params& params,
                                           bool hint) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  bool ok = true;
  std::string out = Fill(hint ? it->second.hint : it->second.message, params, &ok);
  if (!ok) return std::nullopt;
  return out;
}

void Catalog::Localize(Issue* issue) const {
  if (issue->message_id.empty()) return;
  auto it = entries_.find(issue->message_id);
  if (it == entries_.end()) return;
  bool ok = true;
  std::string message = Fill(it->second.message, issue->params, &ok);
  std::string hint = Fill(it->second.hint, issue->params, &ok);
  if (!ok) return;
  issue->message = std::move(message);
  issue->hint = std::move(hint);
}

void Catalog::Localize(Event* event) const {
  if (event->message_id.empty()) return;
  if (std::optional<std::string> m = Render(event->message_id, event->params)) {
    event->message = std::move(*m);
  }
}

void Catalog::Localize(IssueList* issues) const {
  for (Issue& issue : *issues) Localize(&issue);
}

void Catalog::Localize(std::vector<Event>* events) const {
  for (Event& event : *events) Localize(&event);
}

std::string CatalogLanguage(std::string_view locale, const std::vector<std::string>& shipped) {
  std::string tag;
  for (char c : locale) {
    if (c == '.' || c == '@') break;  // "es_ES.UTF-8"
    if (c == '_') c = '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    tag.push_back(c);
  }
  for (const std::string& language : shipped) {
    if (language == tag) return language;
  }
  const std::string primary = tag.substr(0, tag.find('-'));
  for (const std::string& language : shipped) {
    if (language == primary) return language;
  }
  return "en";
}

}  // namespace milestone
