// json_api::Validate(contract, options): input "contract \0 options".
#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 2);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::Validate(engine, args[0], args[1]);
  fuzz::CheckEnvelope(answer);

  // A document the engine could read writes back to text it reads again into
  // the same document, and validates alike.
  milestone::Contract doc;
  milestone::IssueList issues;
  if (milestone::ParseContract(args[0], &doc, &issues)) {
    std::string written = milestone::ContractToJson(doc);
    fuzz::ParseAnswer(written);
    milestone::Contract again;
    milestone::IssueList again_issues;
    fuzz::Require(milestone::ParseContract(written, &again, &again_issues),
                  "a written contract cannot be read back", written);
    fuzz::Require(milestone::ContractToJson(again) == written,
                  "writing a contract twice gives two texts", written);
    milestone::ValidateOptions none;
    fuzz::Require(engine.Validate(doc, none).ok == engine.Validate(again, none).ok,
                  "a contract and its written copy validate differently", written);
  }
  return 0;
}
