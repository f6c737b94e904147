// JSON request bodies of the API, parsed into typed structs. Pure functions on
// bytes. Unknown fields are rejected; every error names the field path
// ("answers.nps", "contact.consent") and what was expected.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"
#include "service/survey_service.hpp"

namespace kaiku::http {

struct ApiContact {
  std::string name;
  std::string phone;
  std::string email;
  bool consent = false;
};

// Body of POST /api/v1/responses.
struct ApiSubmission {
  std::string touchpoint;                                    // required
  std::string unit;                                          // optional
  service::Variant variant = service::Variant::general;      // optional "variant": general|child|relative
  domain::Channel channel = domain::Channel::api;            // required
  domain::Language language = domain::Language::fi;          // required
  domain::Respondent respondent = domain::Respondent::self;  // optional
  domain::AgeGroup age_group = domain::AgeGroup::unknown;    // optional "age_group": "18_34", ...
  std::string submission_key;                                // required
  // answers: {key: integer | string | [string, ...]} -> values as strings
  domain::RawAnswers answers;         // required (may be {})
  std::optional<ApiContact> contact;  // optional
};

// Body of POST /api/v1/invitations.
struct ApiInvitation {
  std::string touchpoint;                            // required
  std::string unit;                                  // optional
  std::string event_ref;                             // optional, default ""
  domain::Language language = domain::Language::fi;  // optional, default fi
  domain::Channel channel = domain::Channel::sms;    // optional, default sms
  int ttl_hours = 168;                               // optional, default 7 days
  domain::AgeGroup age_group = domain::AgeGroup::unknown;  // optional "age_group" (coarse, for reports)
};

// Parses a JSON document (max nesting depth 32). invalid_input with the byte
// offset on a syntax error.
Result<ApiSubmission> parse_api_submission(std::string_view body);
Result<ApiInvitation> parse_api_invitation(std::string_view body);

// The raw answers of a submission as the service takes them: answers plus the
// contact as "contact.wanted" = "yes", "contact.name", ... when given.
domain::RawAnswers raw_answers_of(const ApiSubmission& s);

}  // namespace kaiku::http
