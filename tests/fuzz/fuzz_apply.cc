// json_api::Apply(contract, action, options): input "contract \0 action \0 options".
#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 3);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::Apply(engine, args[0], args[1], args[2]);
  fuzz::Json v = fuzz::CheckEnvelope(answer);
  fuzz::Require(v.contains("contract") && (v["contract"].is_object() || v["contract"].is_null()),
                "apply's contract is neither an object nor null", answer);
  fuzz::Require(v.contains("events") && v["events"].is_array(), "apply has no events", answer);
  if (!v["ok"].get<bool>()) {
    fuzz::Require(v["events"].empty(), "a refused apply has events", answer);
    return 0;
  }
  // The result is a document the engine reads back and writes identically.
  fuzz::Require(v["contract"].is_object(), "an ok apply has no contract", answer);
  const std::string prefix = "{\"ok\":true,\"contract\":";
  const size_t end = answer.rfind(",\"issues\":[");
  fuzz::Require(answer.compare(0, prefix.size(), prefix) == 0 && end != std::string::npos,
                "apply's answer is not {ok, contract, issues, events}", answer);
  const std::string written = answer.substr(prefix.size(), end - prefix.size());
  milestone::Contract doc;
  milestone::IssueList issues;
  fuzz::Require(milestone::ParseContract(written, &doc, &issues),
                "an applied contract cannot be read back", written);
  fuzz::Require(milestone::ContractToJson(doc) == written,
                "an applied contract does not write back the same", written);
  return 0;
}
