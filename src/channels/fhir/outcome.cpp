#include "channels/fhir/outcome.hpp"

#include <boost/json.hpp>

namespace kaiku::channels::fhir {

namespace json = boost::json;

namespace {

json::object outcome_object(const OperationOutcome& o) {
  json::array issues;
  for (const auto& i : o.issues) {
    json::object issue;
    issue["severity"] = i.severity;
    issue["code"] = i.code;
    if (!i.diagnostics.empty()) issue["diagnostics"] = i.diagnostics;
    if (!i.expression.empty()) issue["expression"] = json::array{json::string(i.expression)};
    issues.push_back(std::move(issue));
  }
  if (issues.empty()) {
    issues.push_back(json::object{{"severity", "information"}, {"code", "informational"},
                                  {"diagnostics", "All OK"}});
  }
  return json::object{{"resourceType", "OperationOutcome"}, {"issue", std::move(issues)}};
}

}  // namespace

OperationOutcome outcome_error(std::string code, std::string diagnostics, std::string expression,
                               int http_status) {
  OperationOutcome o;
  o.http_status = http_status;
  o.issues.push_back(Issue{"error", std::move(code), std::move(diagnostics), std::move(expression)});
  return o;
}

std::string operation_outcome_json(const OperationOutcome& outcome) {
  return json::serialize(outcome_object(outcome));
}

std::string status_line(int s) {
  switch (s) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 400: return "400 Bad Request";
    case 404: return "404 Not Found";
    case 409: return "409 Conflict";
    case 412: return "412 Precondition Failed";
    case 422: return "422 Unprocessable Entity";
    case 500: return "500 Internal Server Error";
    case 503: return "503 Service Unavailable";
    default: return std::to_string(s);
  }
}

std::string bundle_response_json(bool transaction, const std::vector<EntryResponse>& entries) {
  json::array out;
  for (const auto& e : entries) {
    json::object response;
    response["status"] = status_line(e.http_status);
    if (!e.location.empty()) response["location"] = e.location;
    if (e.outcome) response["outcome"] = outcome_object(*e.outcome);
    out.push_back(json::object{{"response", std::move(response)}});
  }
  return json::serialize(json::object{
      {"resourceType", "Bundle"},
      {"type", transaction ? "transaction-response" : "batch-response"},
      {"entry", std::move(out)}});
}

}  // namespace kaiku::channels::fhir
