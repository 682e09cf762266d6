// json_api::Validate(contract, options): input "contract \0 options".
#include "fuzz_common.h"
#include "milestone/codes.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"
#include "rules.h"

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
    // Alike, but for text that is not UTF-8: its bad bytes are written as
    // U+FFFD (json.h), so a copy can be free of the original's INVALID_TEXT.
    milestone::ValidateOptions none;
    const milestone::ValidateResult original = engine.Validate(doc, none);
    const milestone::ValidateResult copy = engine.Validate(again, none);
    bool only_bad_text = !original.ok;
    for (const milestone::Issue& issue : original.issues) {
      if (issue.severity == milestone::Severity::kError &&
          issue.code != milestone::codes::kInvalidText) {
        only_bad_text = false;
      }
    }
    fuzz::Require(original.ok == copy.ok || (only_bad_text && copy.ok),
                  "a contract and its written copy validate differently", written);
  }

  // The clean read stands in for the model reader only where the model reader
  // finds nothing at all and makes the same contract.
  milestone::Contract clean;
  if (milestone::ReadCleanContract(args[0], &clean)) {
    milestone::IssueList found;
    milestone::Contract by_model;
    milestone::ReadNotes notes;
    fuzz::Require(
        milestone::ReadContractByModel(args[0], &by_model, &found, &notes) && found.empty(),
        "the clean read took a document the model reader has findings on", args[0]);
    fuzz::Require(milestone::ContractToJson(clean) == milestone::ContractToJson(by_model),
                  "the clean read and the model reader made different contracts", args[0]);
  }
  return 0;
}
