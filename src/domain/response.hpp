// A customer's response and the rules that turn raw input into one.
// Standard library only. Responses are append-only once stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/casework.hpp"
#include "domain/free_text.hpp"
#include "domain/model.hpp"

namespace kaiku::domain {

// Who is answering.
// self: the customer; on_behalf: someone answering for the customer ("I answer for
// my relative"); relative: a relative answering about their own experience
// (relatives' survey, feedback form); other: anyone else (feedback form).
enum class Respondent { self, on_behalf, relative, other };
std::string_view respondent_name(Respondent r) noexcept;
std::optional<Respondent> parse_respondent(std::string_view name) noexcept;

// The respondent's coarse age group, the only age information an answer carries
// (from the patient record via an invitation, from an API client, or from a
// survey's optional background question keyed "age_group"). Never an exact age.
enum class AgeGroup : std::uint8_t { unknown, under_18, from_18_to_34, from_35_to_49, from_50_to_64,
                                     from_65_to_74, from_75 };
inline constexpr int kAgeGroupCount = 7;
// Stable names: "unknown", "under_18", "18_34", "35_49", "50_64", "65_74", "75_plus".
std::string_view age_group_name(AgeGroup g) noexcept;
std::optional<AgeGroup> parse_age_group(std::string_view name) noexcept;
// The group of an age in whole years; negative ages are unknown.
AgeGroup age_group_for_age(int years) noexcept;

// One answer to one question, by question key. Exactly one of the value fields is
// meaningful, depending on the question type:
//  nps/agreement/smiley*: `number` (or `cant_say` for agreement);
//  single_choice: `choices` with one key; multi_choice: `choices`;
//  open_text: `text`. Contact requests are NOT answers (see ContactRequest).
struct Answer {
  std::string key;
  std::optional<int> number;
  bool cant_say = false;
  std::vector<std::string> choices;
  std::string text;
};

// Contact details a customer left so that staff can call or write back.
// Stored apart from the answers, readable only with audit, and expiring.
struct ContactRequest {
  std::string name;
  std::string phone;
  std::string email;
  bool consent = false;
};

// A validated response ready to be stored.
struct Response {
  std::int64_t id = 0;                 // assigned by the store
  std::string submission_key;          // one-time key from the form or API client
  std::string model_version;
  std::string touchpoint;              // "" for free-form feedback (channel feedback)
  std::string unit;                    // org node the response is about
  std::string survey;
  Channel channel = Channel::web;
  Language language = Language::fi;
  Respondent respondent = Respondent::self;
  AgeGroup age_group = AgeGroup::unknown;
  std::chrono::sys_time<std::chrono::milliseconds> answered_at{};
  std::vector<Answer> answers;
  std::optional<ContactRequest> contact;
  std::string invitation;              // invitation id (not the token) when answered via /i/
  // A kiosk follow-up is stored as its own response that supplements the tap it
  // follows (responses are append-only): the id of that first response, else 0.
  std::int64_t supplements = 0;
  // An SMS reply that arrived after its dialogue had expired (stored, marked late).
  bool late = false;
  // Free-form feedback only:
  std::string feedback_kind;           // "praise", "suggestion", "complaint"
  // Since schema 5. The analysis of each non-empty open_text answer, whose `text`
  // is then the REDACTED text (service::CommentProcessor). Stored and returned.
  std::vector<CommentInsight> insights;
  // The sealed originals of those answers: written by append(), never read back
  // by list/scan/get (see storage::CommentRepository).
  std::vector<SealedOriginal> originals;
  // Since schema 6. The inbox case this response opens (domain::open_case), set by
  // the service at every door before append(); the store writes it in the same
  // transaction. nullopt: no case.
  std::optional<CaseOpening> case_opening;
};

// Raw answers as they arrive from a form or JSON: question key -> list of string
// values (a checkbox group sends several; an absent key or "" means unanswered).
// Contact details travel under the fixed keys "contact.wanted" ("yes"),
// "contact.name", "contact.phone", "contact.email" and "contact.consent" ("yes"),
// accepted only when the survey has a contact_request question.
using RawAnswers = std::map<std::string, std::vector<std::string>>;

// A problem with one field, for showing next to it.
struct FieldError {
  std::string field;    // question key, or "respondent", "unit", "contact_phone", ...
  std::string code;     // machine code: "required", "out_of_range", "unknown_option",
                        // "too_long", "unknown_field", "invalid_phone", "invalid_email",
                        // "consent_required", "invalid_encoding", "not_a_number"
  std::string detail;   // English detail for logs and API clients
};

// Parses and checks raw answers against a survey. Unknown keys are errors when
// `reject_unknown` (API), silently dropped otherwise (HTML forms carry extra fields).
// On success fills `out` (answers + contact); on failure returns every problem found.
std::vector<FieldError> validate_answers(const Survey& survey, const RawAnswers& raw,
                                         bool reject_unknown, std::vector<Answer>& answers,
                                         std::optional<ContactRequest>& contact);

// Checks a phone number loosely (digits, spaces, +, -, 6-20 digits).
bool plausible_phone(std::string_view phone) noexcept;
// Checks an e-mail address loosely (one @, a dot in the domain, no spaces).
bool plausible_email(std::string_view email) noexcept;

}  // namespace kaiku::domain
