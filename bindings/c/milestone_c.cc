// The C API over milestone/json_api.h. Every function catches everything:
// a C caller (or Python's ctypes) cannot receive a C++ exception.

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "milestone.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/policy.h"
#include "milestone/version.h"

struct milestone_engine {
  milestone::Engine engine;
};

namespace {

using milestone::Engine;
namespace json_api = milestone::json_api;

std::string_view Text(const char* p, size_t n) {
  return p == nullptr ? std::string_view() : std::string_view(p, n);
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Failure(std::string_view code, std::string_view message, std::string_view hint) {
  return "{\"ok\":false,\"issues\":[{\"code\":\"" + Escape(code) +
         "\",\"severity\":\"error\",\"path\":\"\",\"message\":\"" + Escape(message) +
         "\",\"hint\":\"" + Escape(hint) + "\"}]}";
}

char* Copy(const std::string& s) noexcept {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

char* CopyLiteral(const char* s) noexcept {
  const size_t n = std::strlen(s);
  char* out = static_cast<char*>(std::malloc(n + 1));
  if (out != nullptr) std::memcpy(out, s, n + 1);
  return out;
}

const char kOutOfMemory[] =
    "{\"ok\":false,\"issues\":[{\"code\":\"OUT_OF_MEMORY\",\"severity\":\"error\",\"path\":\"\","
    "\"message\":\"The engine ran out of memory for this input.\",\"hint\":\"Send a smaller "
    "document.\"}]}";

// Runs `produce` and hands its text to C; whatever it throws becomes the
// error envelope.
template <typename F>
char* Answer(F&& produce) noexcept {
  try {
    return Copy(produce());
  } catch (const std::bad_alloc&) {
    return CopyLiteral(kOutOfMemory);
  } catch (...) {
    try {
      return Copy(Failure("INTERNAL", "The engine failed on this input.",
                          "Report it with the input that caused it."));
    } catch (...) {
      return CopyLiteral(kOutOfMemory);
    }
  }
}

template <typename F>
char* WithEngine(const milestone_engine* e, F&& produce) noexcept {
  if (e == nullptr) {
    return Answer([] {
      return Failure("NO_ENGINE", "No engine was given (NULL).",
                     "Create one with milestone_engine_new().");
    });
  }
  return Answer([&] { return produce(e->engine); });
}

}  // namespace

extern "C" {

const char* milestone_version(void) { return MILESTONE_VERSION; }

milestone_engine* milestone_engine_new(const char* policy_json, size_t policy_len,
                                       char** error_json) {
  if (error_json != nullptr) *error_json = nullptr;
  try {
    milestone::Policy parsed = milestone::Policy::Upwork();
    milestone::IssueList issues;
    std::string_view text = Text(policy_json, policy_len);
    if (!text.empty() &&
        !milestone::ParsePolicy(text, milestone::Policy::Upwork(), &parsed, &issues)) {
      if (error_json != nullptr) {
        *error_json = Copy("{\"ok\":false,\"issues\":" + milestone::IssuesToJson(issues) + "}");
      }
      return nullptr;
    }
    return new milestone_engine{Engine(parsed)};
  } catch (const std::bad_alloc&) {
    if (error_json != nullptr) *error_json = CopyLiteral(kOutOfMemory);
  } catch (...) {
    if (error_json != nullptr) {
      *error_json = Answer([] {
        return Failure("INTERNAL", "The engine could not be created.",
                       "Report it with the policy that caused it.");
      });
    }
  }
  return nullptr;
}

void milestone_engine_free(milestone_engine* engine) { delete engine; }

char* milestone_engine_policy(const milestone_engine* engine) {
  return WithEngine(engine, [](const Engine& e) { return milestone::PolicyToJson(e.policy()); });
}

char* milestone_validate(const milestone_engine* engine, const char* contract, size_t contract_len,
                         const char* options, size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Validate(e, Text(contract, contract_len), Text(options, options_len));
  });
}

char* milestone_check(const milestone_engine* engine, const char* contract, size_t contract_len,
                      const char* action, size_t action_len, const char* options,
                      size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Check(e, Text(contract, contract_len), Text(action, action_len),
                           Text(options, options_len));
  });
}

char* milestone_apply(const milestone_engine* engine, const char* contract, size_t contract_len,
                      const char* action, size_t action_len, const char* options,
                      size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Apply(e, Text(contract, contract_len), Text(action, action_len),
                           Text(options, options_len));
  });
}

char* milestone_diff(const milestone_engine* engine, const char* before, size_t before_len,
                     const char* after, size_t after_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Diff(e, Text(before, before_len), Text(after, after_len));
  });
}

char* milestone_apply_changes(const milestone_engine* engine, const char* contract,
                              size_t contract_len, const char* changes, size_t changes_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::ApplyChanges(e, Text(contract, contract_len), Text(changes, changes_len));
  });
}

char* milestone_invert_changes(const char* changes, size_t changes_len) {
  return Answer([&] { return json_api::InvertChanges(Text(changes, changes_len)); });
}

char* milestone_preview_reorder(const milestone_engine* engine, const char* contract,
                                size_t contract_len, const char* id, size_t id_len, double to_index,
                                const char* options, size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::PreviewReorder(e, Text(contract, contract_len), Text(id, id_len), to_index,
                                    Text(options, options_len));
  });
}

char* milestone_parse_money(const char* text, size_t text_len) {
  return Answer([&] { return json_api::ParseMoney(Text(text, text_len)); });
}

char* milestone_describe(const milestone_engine* engine, const char* contract, size_t contract_len,
                         const char* options, size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Describe(e, Text(contract, contract_len), Text(options, options_len));
  });
}

char* milestone_timers(const milestone_engine* engine, const char* contract, size_t contract_len,
                       const char* options, size_t options_len) {
  return WithEngine(engine, [&](const Engine& e) {
    return json_api::Timers(e, Text(contract, contract_len), Text(options, options_len));
  });
}

void milestone_free(char* answer) { std::free(answer); }

}  // extern "C"
