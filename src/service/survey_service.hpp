// Use cases of the respondent side: submitting survey answers (web form, kiosk,
// API), personal invitations, and free-form feedback. Independent of HTTP: the
// http layer turns requests into these inputs, the CLI and tests call them too.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

class CommentProcessor;  // service/comment_processor.hpp

// Which survey of a touchpoint is answered.
enum class Variant { general, child, relative };
// "child" -> child, "relative" -> relative, "" or "general" -> general; nullopt otherwise.
std::optional<Variant> parse_variant(std::string_view name) noexcept;

// The id of the built-in pseudo-survey under which free-form feedback is stored.
inline constexpr const char* kFeedbackSurveyId = "feedback";
// The answer key of the feedback text in that pseudo-survey.
inline constexpr const char* kFeedbackTextKey = "text";
// Longest free-form feedback text, in bytes.
inline constexpr int kFeedbackMaxLength = 4000;

// The built-in "feedback" pseudo-survey: one required open_text question `text`
// (max kFeedbackMaxLength) and one optional contact_request question `contact`.
// Its texts are English placeholders; the web layer renders its own labels.
const domain::Survey& feedback_survey();

// How long after a kiosk tap its follow-up is accepted.
inline constexpr std::chrono::minutes kKioskFollowupWindow{10};
// The start of the store's conflict message when a submission key is reused with
// different content (see storage::ResponseRepository::append).
inline constexpr const char* kKeyReusedPrefix = "submission_key reused";

// One submission of answers to a touchpoint's survey.
struct SubmissionInput {
  std::string touchpoint;
  std::string unit;  // may be empty when the touchpoint has one unit
  Variant variant = Variant::general;
  domain::Channel channel = domain::Channel::web;
  domain::Language language = domain::Language::fi;
  domain::Respondent respondent = domain::Respondent::self;
  std::string submission_key;   // one-time key, 16..64 chars [A-Za-z0-9_-]
  // Whose keys these are: "" for keys the server itself handed out (web forms);
  // for API clients, a name of the client (e.g. "api:7"), so that two integrations
  // choosing the same key never collide or learn of each other's submissions.
  std::string key_space;
  domain::RawAnswers answers;   // question key -> values; contact as "contact.*" keys
  bool reject_unknown = false;  // true for the JSON API, false for HTML forms
  // Web forms only: when the touchpoint has several units and none is given, the
  // response is recorded at their nearest common ancestor in the org tree instead
  // of being rejected (a generic QR code of a multi-unit touchpoint).
  bool unit_fallback = false;
  std::int64_t supplements = 0;  // kiosk follow-up: id of the tap it follows
  // The respondent's coarse age group when a record says it (an API client; an
  // invitation's, which replaces this for submit_invitation). When unknown, a
  // survey question keyed "age_group" (single choice whose option keys are age
  // group names) gives it.
  domain::AgeGroup age_group = domain::AgeGroup::unknown;
};

struct SubmitOutcome {
  std::int64_t id = 0;
  bool duplicate = false;  // the key had been stored before; nothing new written
};

// Why a submission was not stored. `fields` is filled for validation failures
// (kind invalid_input), empty otherwise.
struct SubmitError {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  std::vector<domain::FieldError> fields;
};

// An invitation as the respondent side sees it (no token, no hash).
struct OpenInvitation {
  std::string id;
  std::string touchpoint;
  std::string unit;
  domain::Language language = domain::Language::fi;
  domain::Channel channel = domain::Channel::sms;
  TimePoint expires_at{};
};

struct InvitationRequest {
  std::string touchpoint;
  std::string unit;       // may be empty when the touchpoint has one unit
  std::string event_ref;  // opaque outside event id; no personal data
  domain::Language language = domain::Language::fi;
  domain::Channel channel = domain::Channel::sms;
  int ttl_hours = 168;  // 1..2160 (90 days)
  // Coarse age group from the patient record, for reports (never an exact age).
  domain::AgeGroup age_group = domain::AgeGroup::unknown;
};

// A new invitation's public id (12 random bytes) and one-time token (32 random
// bytes), both base64url. Only security::sha256_hex(token) is ever stored. Shared
// by API invitations and SMS outreach so that both are equally strong.
struct InvitationSecret {
  std::string id;
  std::string token;
};
InvitationSecret new_invitation_secret(Random& random);

// A newly created invitation. `token` is returned this once and never stored.
struct CreatedInvitation {
  std::string id;
  std::string token;
  TimePoint expires_at{};
};

// Free-form feedback from /palaute.
struct FeedbackInput {
  std::string unit;  // org node chosen by the customer (any level)
  std::string kind;  // "praise", "suggestion", "complaint"
  std::string text;
  domain::Respondent respondent = domain::Respondent::self;
  domain::Language language = domain::Language::fi;
  std::string submission_key;
  domain::RawAnswers contact;  // "contact.wanted", "contact.name", ... (may be empty)
};

// The key of the question a kiosk shows: the survey's kiosk_question, else its
// first smiley3/smiley5 question; "" when it has none.
std::string kiosk_question_key(const domain::Survey& survey);

// The nearest common ancestor of `units` in the org tree (the unit itself for
// one unit; the county root when they share nothing else).
std::string common_ancestor(const domain::Model& model, const std::vector<std::string>& units);

// True when `key` is a plausible one-time submission key: 16..64 characters of
// the base64url alphabet.
bool valid_submission_key(std::string_view key) noexcept;

// Told about what SurveyService stored, after the store committed it: every NEW
// response (not a duplicate; `r.id` set) and every created invitation (`seq`
// set). Keeps the reporting engine current (service/report_service.hpp). Called
// on the submitting thread; implementations must be thread-safe and quick, and
// cannot fail the submission (it is already durable).
class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  virtual void response_stored(const domain::Response& r) = 0;
  virtual void invitation_created(const storage::Invitation& inv) = 0;
};

// The respondent-side use cases. Thread-safe (holds only references; the store
// is thread-safe). `model`, `store`, `clock`, `random` must outlive it.
class SurveyService {
 public:
  // `observer` (optional, may be null; must outlive the service) hears of every
  // new response and invitation. `comments` (optional, may be null; must outlive
  // the service) analyses and redacts every open-text answer before the response
  // is stored (its original sealed); null stores the text as given (unanalysed:
  // backfill_comments picks it up later).
  SurveyService(const domain::Model& model, storage::Store& store, Clock& clock, Random& random,
                StoreObserver* observer = nullptr, const CommentProcessor* comments = nullptr);

  // The survey answered at `touchpoint` in `variant`; not_found when the touchpoint
  // is unknown or has no such variant.
  Result<const domain::Survey*> survey_for(const std::string& touchpoint, Variant variant) const;

  // Resolves the unit of a submission: a touchpoint with one unit -> that unit
  // (a given unit must equal it); several -> `unit` must be given and be one of them.
  Result<std::string> resolve_unit(const domain::Touchpoint& tp, const std::string& unit) const;

  // Validates and stores a submission durably (returns after the group commit).
  // Errors: not_found (touchpoint/survey), invalid_input (bad key, a channel the
  // touchpoint is not measured through, unit, answers -> `fields`), unavailable
  // (storage).
  Result<SubmitOutcome, SubmitError> submit(const SubmissionInput& in);

  // Looks up an invitation by its plain token. not_found when unknown (or not
  // token-shaped); conflict with message "used" when answered already, conflict
  // with message "expired" after its expiry.
  Result<OpenInvitation> open_invitation(const std::string& token) const;

  // Submits through an invitation: touchpoint, unit and channel come from the
  // invitation (those of `in` are ignored); the store marks it used atomically.
  // A used or expired invitation -> conflict "used"/"expired" (unless the same
  // submission key was stored already with the same content, which returns that
  // response with duplicate = true; the key reused with other content -> conflict
  // whose message starts with kKeyReusedPrefix).
  Result<SubmitOutcome, SubmitError> submit_invitation(const std::string& token, SubmissionInput in);

  // Creates an invitation; the plain token (32 random bytes, base64url) is
  // returned once. Errors: not_found (touchpoint), invalid_input (unit, a channel
  // the touchpoint is not measured through, ttl, ref).
  // The language of the invitation with this token, used or not, expired or not;
  // nullopt when unknown (for the language of its 410 page).
  std::optional<domain::Language> invitation_language(const std::string& token) const;

  Result<CreatedInvitation> create_invitation(const InvitationRequest& req);

  // Stores free-form feedback as a response of the "feedback" pseudo-survey:
  // touchpoint "", channel feedback, feedback_kind = kind, answer `text`.
  Result<SubmitOutcome, SubmitError> submit_feedback(const FeedbackInput& in);

  // A kiosk tap: the touchpoint's kiosk question answered with `face` (1..N).
  // not_found when the touchpoint has no kiosk channel or no smiley question.
  // Recorded at `unit` (must be one of the touchpoint's units -> else
  // invalid_input on field "unit"); when "" at its only unit, or for a touchpoint
  // with several units at their nearest common ancestor (like the web form).
  // A submission key reused with other content -> conflict (kKeyReusedPrefix).
  Result<SubmitOutcome, SubmitError> kiosk_tap(const std::string& touchpoint, int face,
                                               domain::Language language, const std::string& submission_key,
                                               const std::string& unit = "");

  // A kiosk follow-up: answers to the kiosk follow-up question, stored as its own
  // response supplementing `tap_id` (which must be a kiosk tap of the same
  // touchpoint, itself no follow-up, answered at most kKioskFollowupWindow ago;
  // otherwise invalid_input on field "r"). A second follow-up to the same tap ->
  // conflict (the store allows one per tap); nothing is stored.
  Result<SubmitOutcome, SubmitError> kiosk_followup(const std::string& touchpoint, std::int64_t tap_id,
                                                    const domain::RawAnswers& answers,
                                                    domain::Language language,
                                                    const std::string& submission_key);

  const domain::Model& model() const { return model_; }

 private:
  // Runs the comment processor (when set) on `r`, then stores it. Every door
  // ends here, so no open answer reaches storage unredacted.
  Result<SubmitOutcome, SubmitError> store_response(domain::Response r);
  // Checks the key and the answers of `in` against its variant's survey at `tp` and
  // builds the response (unit, channel, supplements as given in `in`).
  Result<domain::Response, SubmitError> build_response(const domain::Touchpoint& tp,
                                                       const SubmissionInput& in) const;

  const domain::Model& model_;
  storage::Store& store_;
  Clock& clock_;
  Random& random_;
  StoreObserver* observer_;
  const CommentProcessor* comments_;
};

}  // namespace kaiku::service
