// json_api::ApplyChanges(contract, changes): input "contract \0 changes".
#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 2);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::ApplyChanges(engine, args[0], args[1]);
  fuzz::Json v = fuzz::CheckEnvelope(answer);
  fuzz::Require(v.contains("contract") && (v["contract"].is_object() || v["contract"].is_null()),
                "applyChanges' contract is neither an object nor null", answer);
  if (v["contract"].is_object()) {
    const std::string prefix = answer.substr(0, answer.find(",\"contract\":") + 12);
    const size_t end = answer.rfind(",\"issues\":[");
    const std::string written = answer.substr(prefix.size(), end - prefix.size());
    milestone::Contract doc;
    milestone::IssueList issues;
    fuzz::Require(milestone::ParseContract(written, &doc, &issues),
                  "applyChanges answers a contract it cannot read back", written);
    fuzz::Require(milestone::ContractToJson(doc) == written,
                  "applyChanges' contract does not write back the same", written);
  } else {
    fuzz::Require(!v["ok"].get<bool>(), "an ok applyChanges has no contract", answer);
  }
  return 0;
}
