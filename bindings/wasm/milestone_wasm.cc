// The raw embind layer under index.mjs: flat, one call per operation, JSON
// text in and out. Not for direct use; its names start with `_`.
//
// Strings cross as (pointer, length) pairs into a buffer index.mjs fills with
// TextEncoder.encodeInto, and every answer is left in one result buffer that
// index.mjs reads with TextDecoder: embind's std::string conversion walks the
// bytes in JS (≈4.6 µs/KB in, 2 µs/KB out), which a 1,000-milestone contract
// feels. Ownership: index.mjs owns the input buffer (via _alloc/_free); this
// file owns the result buffer, valid until the next call.

#include <emscripten/bind.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "milestone/catalog.h"
#include "milestone/codes.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/money.h"
#include "milestone/policy.h"
#include "milestone/session.h"
#include "milestone/view.h"

namespace milestone::wasm {
namespace {

std::string g_result;
std::map<int, std::unique_ptr<Engine>> g_engines;
std::map<int, std::unique_ptr<Session>> g_sessions;
int g_next_handle = 1;

std::string_view Text(uintptr_t ptr, uint32_t len) {
  if (len == 0) return {};
  return std::string_view(reinterpret_cast<const char*>(ptr), len);
}

std::string Failure(const char* code, const char* message, const char* hint) {
  std::string out = "{\"ok\":false,\"issues\":[{\"code\":\"";
  out += code;
  out += "\",\"severity\":\"error\",\"path\":\"\",\"message\":\"";
  out += message;
  out += "\",\"hint\":\"";
  out += hint;
  out += "\"}]}";
  return out;
}

// C++ exceptions would reach JS as bare numbers, so none leaves this file.
// Returns the result's length; its bytes are at _resultPtr(). The catching is
// written once (AnswerWith), not once per raw function: its landing pads are
// a good share of the package's size otherwise.
uint32_t AnswerWith(std::string (*produce)(void*), void* context) {
  try {
    g_result = produce(context);
  } catch (const std::bad_alloc&) {
    g_result.clear();
    g_result.shrink_to_fit();
    g_result = Failure(codes::kOutOfMemory, "The engine ran out of memory for this input.",
                       "Send a smaller document.");
  } catch (...) {
    g_result = Failure(codes::kInternal, "The engine failed on this input.",
                       "Report it with the input that caused it.");
  }
  return static_cast<uint32_t>(g_result.size());
}

template <typename F>
uint32_t Answer(F&& produce) {
  using Produce = std::remove_reference_t<F>;
  return AnswerWith(
      [](void* context) -> std::string { return (*static_cast<Produce*>(context))(); }, &produce);
}

const Engine* FindEngine(int handle) {
  auto found = g_engines.find(handle);
  return found == g_engines.end() ? nullptr : found->second.get();
}

Session* FindSession(int handle) {
  auto found = g_sessions.find(handle);
  return found == g_sessions.end() ? nullptr : found->second.get();
}

std::string NoEngine() {
  return Failure(codes::kNoEngine, "There is no engine with this handle.",
                 "Create one with createEngine().");
}

std::string NoSession() {
  return Failure(codes::kSessionDisposed, "The session was disposed.",
                 "Open a new session with openSession().");
}

// ---- the raw functions ----

uintptr_t Alloc(uint32_t size) {
  return reinterpret_cast<uintptr_t>(std::malloc(size == 0 ? 1 : size));
}
void Free(uintptr_t ptr) { std::free(reinterpret_cast<void*>(ptr)); }
uintptr_t ResultPtr() { return reinterpret_cast<uintptr_t>(g_result.data()); }

// A result of hundreds of KB (a contract) is not worth keeping for the next
// keystroke; index.mjs calls this after reading a large one.
void ReleaseResult() {
  g_result.clear();
  g_result.shrink_to_fit();
}

// `catalog`: the text of a message catalog (index.mjs loads catalogs/<lang>.json);
// empty: English as the engine writes it. The wasm itself holds no catalog.
uint32_t CreateEngine(uintptr_t policy, uint32_t policy_len, uintptr_t catalog,
                      uint32_t catalog_len) {
  return Answer([&] {
    IssueList issues;
    std::shared_ptr<const Catalog> messages;
    if (std::string_view catalog_text = Text(catalog, catalog_len); !catalog_text.empty()) {
      std::optional<Catalog> read = Catalog::FromJson(catalog_text, &issues);
      if (!read) return std::string("{\"ok\":false,\"issues\":") + IssuesToJson(issues) + "}";
      messages = std::make_shared<const Catalog>(std::move(*read));
    }
    // The catalog first, so the policy's findings are in its language.
    Policy parsed = Policy::Upwork();
    std::string_view text = Text(policy, policy_len);
    if (!text.empty() && !ParsePolicy(text, Policy::Upwork(), &parsed, &issues)) {
      const CatalogScope scope(messages.get());
      return std::string("{\"ok\":false,\"issues\":") + IssuesToJson(issues) + "}";
    }
    const int handle = g_next_handle++;
    g_engines[handle] = std::make_unique<Engine>(parsed, messages);
    return "{\"ok\":true,\"handle\":" + std::to_string(handle) +
           ",\"policy\":" + PolicyToJson(parsed) + "}";
  });
}

void DestroyEngine(int handle) { g_engines.erase(handle); }

uint32_t Validate(int engine, uintptr_t c, uint32_t c_len, uintptr_t o, uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Validate(*e, Text(c, c_len), Text(o, o_len));
  });
}

uint32_t Check(int engine, uintptr_t c, uint32_t c_len, uintptr_t a, uint32_t a_len, uintptr_t o,
               uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Check(*e, Text(c, c_len), Text(a, a_len), Text(o, o_len));
  });
}

uint32_t Apply(int engine, uintptr_t c, uint32_t c_len, uintptr_t a, uint32_t a_len, uintptr_t o,
               uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Apply(*e, Text(c, c_len), Text(a, a_len), Text(o, o_len));
  });
}

uint32_t PreviewReorder(int engine, uintptr_t c, uint32_t c_len, uintptr_t id, uint32_t id_len,
                        double to_index, uintptr_t o, uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::PreviewReorder(*e, Text(c, c_len), Text(id, id_len), to_index, Text(o, o_len));
  });
}

uint32_t DiffJson(int engine, uintptr_t b, uint32_t b_len, uintptr_t a, uint32_t a_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Diff(*e, Text(b, b_len), Text(a, a_len));
  });
}

uint32_t ApplyChangesJson(int engine, uintptr_t c, uint32_t c_len, uintptr_t ch, uint32_t ch_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::ApplyChanges(*e, Text(c, c_len), Text(ch, ch_len));
  });
}

uint32_t InvertChangesJson(int engine, uintptr_t ch, uint32_t ch_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::InvertChanges(*e, Text(ch, ch_len));
  });
}

uint32_t ParseMoneyJson(int engine, uintptr_t t, uint32_t t_len, uintptr_t c, uint32_t c_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::ParseMoney(*e, Text(t, t_len), Text(c, c_len));
  });
}

// JS numbers are doubles; only a safe integer names an amount. The answer is
// the text as a JSON string, or "" (not an amount, or a currency the policy
// does not allow).
uint32_t FormatMoneyJson(int engine, double amount, uintptr_t c, uint32_t c_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr || !std::isfinite(amount) || std::trunc(amount) != amount ||
        std::fabs(amount) > static_cast<double>(kMaxSafeInteger)) {
      return std::string();
    }
    std::string text = json_api::FormatMoney(*e, static_cast<int64_t>(amount), Text(c, c_len));
    return text.empty() || text[0] != '"' ? std::string() : text;
  });
}

// -> {"ok":true,"handle":n} | {"ok":false,"issues":[...]} (the session is then
// still opened, so its issues can be read, but holds no draft).
uint32_t OpenSession(int engine, uintptr_t c, uint32_t c_len, uintptr_t o, uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    const int handle = g_next_handle++;
    auto session = std::make_unique<Session>(*e, Text(c, c_len), Text(o, o_len));
    const bool usable = session->usable();
    g_sessions[handle] = std::move(session);
    return std::string("{\"ok\":") + (usable ? "true" : "false") +
           ",\"handle\":" + std::to_string(handle) + "}";
  });
}

void CloseSession(int handle) { g_sessions.erase(handle); }

uint32_t SessionApply(int handle, uintptr_t a, uint32_t a_len) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return SessionEditToJson(s->Apply(Text(a, a_len)));
  });
}

uint32_t SessionUndo(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return SessionEditToJson(s->Undo());
  });
}

uint32_t SessionRedo(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return SessionEditToJson(s->Redo());
  });
}

uint32_t SessionContract(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    if (!s->usable()) return std::string("null");
    return ContractToJson(s->draft());
  });
}

uint32_t SessionIssues(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return IssuesToJson(s->Issues());
  });
}

uint32_t SessionChanges(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return DiffResultToJson(s->Changes());
  });
}

uint32_t SessionView(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return ViewToJson(s->Describe());
  });
}

uint32_t Describe(int engine, uintptr_t c, uint32_t c_len, uintptr_t o, uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Describe(*e, Text(c, c_len), Text(o, o_len));
  });
}

uint32_t Timers(int engine, uintptr_t c, uint32_t c_len, uintptr_t o, uint32_t o_len) {
  return Answer([&] {
    const Engine* e = FindEngine(engine);
    if (e == nullptr) return NoEngine();
    return json_api::Timers(*e, Text(c, c_len), Text(o, o_len));
  });
}

uint32_t SessionChangeset(int handle) {
  return Answer([&] {
    Session* s = FindSession(handle);
    if (s == nullptr) return NoSession();
    CatalogScope scope(s->engine().catalog());
    return ChangesetToJson(s->MakeChangeset());
  });
}

// Heap figures for the memory tests: the wasm memory's size and the bytes
// malloc has handed out and not had back.
uint32_t HeapStats() {
  return Answer([&] {
    struct mallinfo info = mallinfo();
    return "{\"heapBytes\":" + std::to_string(__builtin_wasm_memory_size(0) * 65536ull) +
           ",\"inUseBytes\":" + std::to_string(info.uordblks) +
           ",\"sessions\":" + std::to_string(g_sessions.size()) +
           ",\"engines\":" + std::to_string(g_engines.size()) + "}";
  });
}

}  // namespace
}  // namespace milestone::wasm

EMSCRIPTEN_BINDINGS(milestone_engine) {
  using namespace milestone::wasm;
  emscripten::function("_alloc", &Alloc);
  emscripten::function("_free", &Free);
  emscripten::function("_resultPtr", &ResultPtr);
  emscripten::function("_releaseResult", &ReleaseResult);
  emscripten::function("_createEngine", &CreateEngine);
  emscripten::function("_destroyEngine", &DestroyEngine);
  emscripten::function("_validate", &Validate);
  emscripten::function("_check", &Check);
  emscripten::function("_apply", &Apply);
  emscripten::function("_previewReorder", &PreviewReorder);
  emscripten::function("_diff", &DiffJson);
  emscripten::function("_applyChanges", &ApplyChangesJson);
  emscripten::function("_invertChanges", &InvertChangesJson);
  emscripten::function("_parseMoney", &ParseMoneyJson);
  emscripten::function("_formatMoney", &FormatMoneyJson);
  emscripten::function("_openSession", &OpenSession);
  emscripten::function("_closeSession", &CloseSession);
  emscripten::function("_sessionApply", &SessionApply);
  emscripten::function("_sessionUndo", &SessionUndo);
  emscripten::function("_sessionRedo", &SessionRedo);
  emscripten::function("_sessionContract", &SessionContract);
  emscripten::function("_sessionIssues", &SessionIssues);
  emscripten::function("_sessionChanges", &SessionChanges);
  emscripten::function("_sessionChangeset", &SessionChangeset);
  emscripten::function("_sessionView", &SessionView);
  emscripten::function("_describe", &Describe);
  emscripten::function("_timers", &Timers);
  emscripten::function("_heapStats", &HeapStats);
}
