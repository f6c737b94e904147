// FHIR R4 answers of the event door: OperationOutcome for errors and the
// batch-response / transaction-response Bundle for a processed Bundle. Pure
// builders; the HTTP layer chooses the status and sends the JSON
// (Content-Type: application/fhir+json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaiku::channels::fhir {

// One OperationOutcome.issue.
struct Issue {
  std::string severity = "error";  // fatal | error | warning | information
  // invalid (JSON syntax), structure (wrong JSON type), required (missing),
  // value (bad code or format), not-supported (resource type, method, path),
  // processing (e.g. a reference to a resource of the wrong type).
  std::string code = "invalid";
  std::string diagnostics;  // "<where>: <what>", never a personal value
  std::string expression;   // FHIRPath of the element, e.g. "Bundle.entry[2].resource.period.end"
};

struct OperationOutcome {
  std::vector<Issue> issues;
  int http_status = 400;  // what the HTTP layer should answer: 400, 404, 422
};

// An outcome with one error issue.
OperationOutcome outcome_error(std::string code, std::string diagnostics, std::string expression = "",
                               int http_status = 400);

// {"resourceType":"OperationOutcome","issue":[{"severity":..,"code":..,
//  "diagnostics":..,"expression":[..]}]} (expression left out when empty; an
// outcome without issues gets one "informational" issue "All OK").
std::string operation_outcome_json(const OperationOutcome& outcome);

// The standard reason phrase for a status line: "201 Created", "200 OK",
// "400 Bad Request", "404 Not Found", "422 Unprocessable Entity", "500 Internal
// Server Error"; "<code>" alone for others.
std::string status_line(int http_status);

// One entry of a batch-/transaction-response.
struct EntryResponse {
  int http_status = 201;          // 201 created, 200 accepted as context or already known, 4xx error
  std::string location;           // e.g. "Encounter/ev-123/_history/1"; "" when none
  std::optional<OperationOutcome> outcome;  // for errors
};

// {"resourceType":"Bundle","type":"batch-response" | "transaction-response",
//  "entry":[{"response":{"status":"201 Created","location":..,"outcome":{..}}}]}
std::string bundle_response_json(bool transaction, const std::vector<EntryResponse>& entries);

}  // namespace kaiku::channels::fhir
