#pragma once

#include <string>
#include <string_view>

#include "milestone/engine.h"

namespace milestone {

// The engine as JSON text in, JSON text out: what the CLI, the server and the
// wasm binding call, so every entry point answers alike. None of these throws;
// unusable input is an INVALID_JSON or SCHEMA issue in the result.
namespace json_api {

// options: {"now": "YYYY-MM-DD"}            -> {ok, issues}
std::string Validate(const Engine& engine, std::string_view contract, std::string_view options);
// options: {"actor": "client", "now": ...}  -> {ok, issues}
std::string Check(const Engine& engine, std::string_view contract, std::string_view action,
                  std::string_view options);
// -> {ok, contract, issues, events}
std::string Apply(const Engine& engine, std::string_view contract, std::string_view action,
                  std::string_view options);
// -> {changes, patch, summary}, or {ok: false, issues} for unreadable input
std::string Diff(const Engine& engine, std::string_view before, std::string_view after);
// -> {ok, contract, issues}
std::string ApplyChanges(const Engine& engine, std::string_view contract, std::string_view changes);
// -> changes, or {ok: false, issues}
std::string InvertChanges(std::string_view changes);
// The same with the issues in the engine's language.
std::string InvertChanges(const Engine& engine, std::string_view changes);
// -> {ok, order, changes, issues, allowedRange: {from, to}}
std::string PreviewReorder(const Engine& engine, std::string_view contract, std::string_view id,
                           double to_index, std::string_view options);
// options: {"actor", "now"} -> the view model of docs/view-model.md, or
// {ok: false, issues} when the contract cannot be read exactly
std::string Describe(const Engine& engine, std::string_view contract, std::string_view options);
// options: {"now"} (required) -> [{milestoneId, kind, due, daysLeft, action,
// message}], or {ok: false, issues} for unreadable input
std::string Timers(const Engine& engine, std::string_view contract, std::string_view options);
// -> {ok, amount} | {ok: false, issues}; `currency` empty: the policy's first
std::string ParseMoney(const Engine& engine, std::string_view text, std::string_view currency);
std::string ParseMoney(std::string_view text);  // the default policy, USD
// -> "\"$12.50\"" (a JSON string) | {ok: false, issues} for a currency the
// policy does not allow; `currency` empty: the policy's first
std::string FormatMoney(const Engine& engine, int64_t amount, std::string_view currency);

}  // namespace json_api
}  // namespace milestone
