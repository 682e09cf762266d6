#pragma once

// The pieces of Describe, for a session that redraws only what an edit touched.

#include <cstddef>
#include <optional>

#include "action_spec.h"
#include "milestone/view.h"

namespace milestone {

ContractView DescribeContract(const Engine& engine, const ActOptions& options,
                              const Contract& contract, const ContractFacts& facts);
RowView DescribeRow(const Policy& policy, const ActOptions& options, const Contract& contract,
                    const ContractFacts& facts, size_t index, IssueList issues);
std::optional<RequestView> DescribeRequest(const Engine& engine, const ActOptions& options,
                                           const Contract& contract);

}  // namespace milestone
