#include "service/survey_service.hpp"

#include <algorithm>
#include <chrono>

#include "base/encoding.hpp"
#include "security/digest.hpp"
#include "service/comment_processor.hpp"

namespace kaiku::service {

namespace {

using domain::FieldError;

Unexpected<SubmitError> submit_fail(ErrorKind kind, std::string message,
                                    std::vector<FieldError> fields = {}) {
  return unexpected(SubmitError{kind, std::move(message), std::move(fields)});
}

Unexpected<SubmitError> submit_fail(const Error& e) {
  return submit_fail(e.kind, e.message);
}

// A validation failure; the message names the first problem and the count.
Unexpected<SubmitError> invalid_answers(std::vector<FieldError> errors) {
  std::string msg =
      errors.empty() ? std::string("invalid answers")
                     : errors.front().detail +
                           (errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : "");
  return submit_fail(ErrorKind::invalid_input, std::move(msg), std::move(errors));
}

domain::Survey make_feedback_survey() {
  domain::Survey s;
  s.id = kFeedbackSurveyId;
  s.title.texts[domain::Language::en] = "Feedback";
  s.audience = domain::Audience::general;
  s.allow_on_behalf = true;
  domain::Question text;
  text.key = kFeedbackTextKey;
  text.type = domain::QuestionType::open_text;
  text.text.texts[domain::Language::en] = "Your feedback";
  text.required = true;
  text.max_length = kFeedbackMaxLength;
  s.questions.push_back(std::move(text));
  domain::Question contact;
  contact.key = "contact";
  contact.type = domain::QuestionType::contact_request;
  contact.text.texts[domain::Language::en] = "Contact me";
  contact.consent.texts[domain::Language::en] = "I agree to be contacted.";
  s.questions.push_back(std::move(contact));
  return s;
}

// A copy of `survey` holding only the question `key`, made optional = false.
domain::Survey single_question_survey(const domain::Survey& survey, const std::string& key, bool required) {
  domain::Survey s = survey;
  s.questions.clear();
  if (const domain::Question* q = survey.question(key)) {
    s.questions.push_back(*q);
    s.questions.back().required = required;
  }
  return s;
}

bool is_smiley(domain::QuestionType t) {
  return t == domain::QuestionType::smiley3 || t == domain::QuestionType::smiley5;
}

bool plausible_invitation_token(std::string_view t) {
  if (t.size() < 16 || t.size() > 64) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string kiosk_question_key(const domain::Survey& s) {
  if (!s.kiosk_question.empty() && s.question(s.kiosk_question) != nullptr) return s.kiosk_question;
  for (const auto& q : s.questions) {
    if (is_smiley(q.type)) return q.key;
  }
  return "";
}

std::string common_ancestor(const domain::Model& model, const std::vector<std::string>& units) {
  if (units.empty()) return model.county_id;
  std::vector<std::string> common = model.path_to(units.front());
  for (std::size_t i = 1; i < units.size(); ++i) {
    std::vector<std::string> p = model.path_to(units[i]);
    std::size_t n = 0;
    while (n < common.size() && n < p.size() && common[n] == p[n]) ++n;
    common.resize(n);
  }
  return common.empty() ? model.county_id : common.back();
}

std::optional<Variant> parse_variant(std::string_view name) noexcept {
  if (name.empty() || name == "general") return Variant::general;
  if (name == "child") return Variant::child;
  if (name == "relative") return Variant::relative;
  return std::nullopt;
}

const domain::Survey& feedback_survey() {
  static const domain::Survey survey = make_feedback_survey();
  return survey;
}

bool valid_submission_key(std::string_view key) noexcept {
  if (key.size() < 16 || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

InvitationSecret new_invitation_secret(Random& random) {
  InvitationSecret secret;
  secret.id = random_token(random, 12);
  secret.token = random_token(random, 32);
  return secret;
}

SurveyService::SurveyService(const domain::Model& model, storage::Store& store, Clock& clock, Random& random,
                             StoreObserver* observer, const CommentProcessor* comments)
    : model_(model), store_(store), clock_(clock), random_(random), observer_(observer), comments_(comments) {}

Result<const domain::Survey*> SurveyService::survey_for(const std::string& touchpoint,
                                                        Variant variant) const {
  const domain::Touchpoint* tp = model_.touchpoint(touchpoint);
  if (tp == nullptr) return fail(Error::not_found("unknown touchpoint '" + touchpoint + "'"));
  std::string id = tp->survey;
  if (variant == Variant::child) id = tp->child_survey;
  if (variant == Variant::relative) id = tp->relative_survey;
  if (id.empty()) {
    return fail(Error::not_found("touchpoint '" + touchpoint + "' has no " +
                                 (variant == Variant::child ? "children's" : "relatives'") + " survey"));
  }
  const domain::Survey* s = model_.survey(id);
  if (s == nullptr)
    return fail(Error::internal("touchpoint '" + touchpoint + "' names unknown survey '" + id + "'"));
  return s;
}

Result<std::string> SurveyService::resolve_unit(const domain::Touchpoint& tp, const std::string& unit) const {
  if (tp.units.size() == 1) {
    if (!unit.empty() && unit != tp.units.front()) {
      return fail(Error::invalid("unit: '" + unit + "' is not a unit of touchpoint '" + tp.id + "'"));
    }
    return tp.units.front();
  }
  if (unit.empty()) {
    return fail(Error::invalid("unit: touchpoint '" + tp.id + "' has several units; name one"));
  }
  if (std::find(tp.units.begin(), tp.units.end(), unit) == tp.units.end()) {
    return fail(Error::invalid("unit: '" + unit + "' is not a unit of touchpoint '" + tp.id + "'"));
  }
  return unit;
}

Result<SubmitOutcome, SubmitError> SurveyService::store_response(domain::Response r) {
  if (comments_ != nullptr) {
    // Redaction is deterministic, so a retried identical submission stores the
    // same redacted text and is still recognised as a duplicate (the fingerprint
    // ignores insights and sealed originals).
    if (auto st = comments_->process(model_, r); !st) {
      return submit_fail(ErrorKind::invalid_input, st.error().message,
                         {{"answers", "invalid_encoding", st.error().message}});
    }
  }
  // The inbox case it opens, written with it (after the analysis: safety themes).
  r.case_opening = domain::open_case(model_, r);
  auto stored = store_.responses().append(r);
  if (!stored) {
    const Error& e = stored.error();
    if (e.kind == ErrorKind::conflict) return submit_fail(ErrorKind::conflict, e.message);
    if (e.kind == ErrorKind::invalid_input) return submit_fail(e);
    return submit_fail(ErrorKind::unavailable, "could not store the response: " + e.message);
  }
  if (observer_ != nullptr && !stored->duplicate) {
    r.id = stored->id;
    r.originals.clear();  // sealed originals are for CommentRepository only
    observer_->response_stored(r);
  }
  return SubmitOutcome{stored->id, stored->duplicate};
}

Result<domain::Response, SubmitError> SurveyService::build_response(const domain::Touchpoint& tp,
                                                                    const SubmissionInput& in) const {
  if (!valid_submission_key(in.submission_key)) {
    return submit_fail(
        ErrorKind::invalid_input, "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _",
        {{"submission_key", "invalid", "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _"}});
  }
  auto survey = survey_for(tp.id, in.variant);
  if (!survey) return submit_fail(survey.error());
  std::vector<FieldError> errors;
  if (in.respondent == domain::Respondent::on_behalf && !(*survey)->allow_on_behalf) {
    errors.push_back(
        {"respondent", "unknown_option", "respondent: this survey cannot be answered on behalf of someone"});
  }
  domain::Response r;
  auto more = domain::validate_answers(**survey, in.answers, in.reject_unknown, r.answers, r.contact);
  errors.insert(errors.end(), more.begin(), more.end());
  if (!errors.empty()) return invalid_answers(std::move(errors));
  r.submission_key = in.key_space.empty() ? in.submission_key : in.key_space + ":" + in.submission_key;
  r.model_version = model_.version;
  r.touchpoint = tp.id;
  r.unit = in.unit;
  r.survey = (*survey)->id;
  r.channel = in.channel;
  r.language = in.language;
  r.respondent = in.respondent;
  r.age_group = in.age_group;
  // When no record says it: a background question keyed "age_group" whose chosen
  // option is an age group name.
  for (const auto& a : r.answers) {
    if (r.age_group != domain::AgeGroup::unknown) break;
    if (a.key != "age_group" || a.choices.size() != 1) continue;
    if (auto g = domain::parse_age_group(a.choices.front())) r.age_group = *g;
  }
  r.answered_at = clock_.now();
  r.supplements = in.supplements;
  return r;
}

Result<SubmitOutcome, SubmitError> SurveyService::submit(const SubmissionInput& in) {
  if (!valid_submission_key(in.submission_key)) {
    return submit_fail(
        ErrorKind::invalid_input, "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _",
        {{"submission_key", "invalid", "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _"}});
  }
  const domain::Touchpoint* tp = model_.touchpoint(in.touchpoint);
  if (tp == nullptr) return submit_fail(ErrorKind::not_found, "unknown touchpoint '" + in.touchpoint + "'");
  if (!tp->has_channel(in.channel)) {
    std::string msg = "channel: touchpoint '" + tp->id + "' is not measured through '" +
                      std::string(domain::channel_name(in.channel)) + "'";
    return submit_fail(ErrorKind::invalid_input, msg, {{"channel", "unknown_option", msg}});
  }
  if (auto survey = survey_for(in.touchpoint, in.variant); !survey) return submit_fail(survey.error());
  auto unit = (in.unit_fallback && in.unit.empty() && tp->units.size() > 1)
                  ? Result<std::string>(common_ancestor(model_, tp->units))
                  : resolve_unit(*tp, in.unit);
  if (!unit) {
    return submit_fail(ErrorKind::invalid_input, unit.error().message,
                       {{"unit", "unknown_option", unit.error().message}});
  }
  SubmissionInput resolved = in;
  resolved.unit = *unit;
  auto r = build_response(*tp, resolved);
  if (!r) return unexpected(std::move(r.error()));
  return store_response(*r);
}

Result<OpenInvitation> SurveyService::open_invitation(const std::string& token) const {
  if (!plausible_invitation_token(token)) return fail(Error::not_found("unknown invitation"));
  auto inv = store_.invitations().find_by_token_hash(security::sha256_hex(token));
  if (!inv) {
    if (inv.error().kind == ErrorKind::not_found) return fail(Error::not_found("unknown invitation"));
    return fail(Error::unavailable(inv.error().message));
  }
  if (inv->used_at) return fail(Error::conflict("used"));
  if (inv->expires_at <= clock_.now()) return fail(Error::conflict("expired"));
  return OpenInvitation{inv->id, inv->touchpoint, inv->unit, inv->language, inv->channel, inv->expires_at};
}

Result<SubmitOutcome, SubmitError> SurveyService::submit_invitation(const std::string& token,
                                                                    SubmissionInput in) {
  if (!plausible_invitation_token(token)) return submit_fail(ErrorKind::not_found, "unknown invitation");
  auto inv = store_.invitations().find_by_token_hash(security::sha256_hex(token));
  if (!inv) {
    if (inv.error().kind == ErrorKind::not_found)
      return submit_fail(ErrorKind::not_found, "unknown invitation");
    return submit_fail(ErrorKind::unavailable, inv.error().message);
  }
  // A used invitation still goes to the store: a repeated POST with the same key
  // must answer like the first one (duplicate), any other key is a conflict there.
  if (!inv->used_at && inv->expires_at <= clock_.now()) return submit_fail(ErrorKind::conflict, "expired");
  in.touchpoint = inv->touchpoint;
  in.unit = inv->unit;
  in.channel = inv->channel;
  in.supplements = 0;
  if (inv->age_group != domain::AgeGroup::unknown) in.age_group = inv->age_group;
  const domain::Touchpoint* tp = model_.touchpoint(in.touchpoint);
  if (tp == nullptr) return submit_fail(ErrorKind::not_found, "the invitation's touchpoint no longer exists");
  auto r = build_response(*tp, in);
  if (!r) return unexpected(std::move(r.error()));
  r->invitation = inv->id;
  auto out = store_response(*r);
  if (!out && out.error().kind == ErrorKind::conflict &&
      out.error().message.rfind(kKeyReusedPrefix, 0) != 0) {
    return submit_fail(ErrorKind::conflict, "used");
  }
  return out;
}

std::optional<domain::Language> SurveyService::invitation_language(const std::string& token) const {
  if (!plausible_invitation_token(token)) return std::nullopt;
  auto inv = store_.invitations().find_by_token_hash(security::sha256_hex(token));
  if (!inv) return std::nullopt;
  return inv->language;
}

Result<CreatedInvitation> SurveyService::create_invitation(const InvitationRequest& req) {
  const domain::Touchpoint* tp = model_.touchpoint(req.touchpoint);
  if (tp == nullptr) return fail(Error::not_found("touchpoint: unknown touchpoint '" + req.touchpoint + "'"));
  auto unit = resolve_unit(*tp, req.unit);
  if (!unit) return fail(unit.error());
  if (!tp->has_channel(req.channel)) {
    return fail(Error::invalid("channel: touchpoint '" + tp->id + "' is not measured through '" +
                               std::string(domain::channel_name(req.channel)) + "'"));
  }
  if (req.ttl_hours < 1 || req.ttl_hours > 2160) {
    return fail(Error::invalid("ttl_hours: expected 1-2160, got " + std::to_string(req.ttl_hours)));
  }
  if (req.event_ref.size() > 200 || !is_valid_utf8(req.event_ref)) {
    return fail(Error::invalid("event_ref: expected at most 200 bytes of UTF-8"));
  }
  storage::Invitation inv;
  auto [id, token] = new_invitation_secret(random_);
  inv.id = std::move(id);
  inv.token_hash = security::sha256_hex(token);
  inv.touchpoint = tp->id;
  inv.unit = *unit;
  inv.event_ref = req.event_ref;
  inv.language = req.language;
  inv.channel = req.channel;
  inv.age_group = req.age_group;
  inv.created_at = clock_.now();
  inv.expires_at = inv.created_at + std::chrono::hours(req.ttl_hours);
  if (auto st = store_.invitations().create(inv); !st) return fail(st.error());
  if (observer_ != nullptr) {
    // The store assigns the sequence number; read it back (the engine catches
    // up from it at the next start). If that read fails the invitation still
    // reaches the engine, with seq 0 (add_invitation is idempotent by id).
    if (auto stored = store_.invitations().find_by_token_hash(inv.token_hash)) inv.seq = stored->seq;
    observer_->invitation_created(inv);
  }
  return CreatedInvitation{inv.id, std::move(token), inv.expires_at};
}

Result<SubmitOutcome, SubmitError> SurveyService::submit_feedback(const FeedbackInput& in) {
  if (!valid_submission_key(in.submission_key)) {
    return submit_fail(
        ErrorKind::invalid_input, "submission_key: invalid",
        {{"submission_key", "invalid", "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _"}});
  }
  std::vector<FieldError> errors;
  if (in.unit.empty()) {
    errors.push_back({"unit", "required", "unit: choose the service the feedback is about"});
  } else if (model_.unit(in.unit) == nullptr) {
    errors.push_back({"unit", "unknown_option", "unit: unknown unit '" + in.unit + "'"});
  }
  if (in.kind != "praise" && in.kind != "suggestion" && in.kind != "complaint") {
    errors.push_back({"kind", in.kind.empty() ? "required" : "unknown_option",
                      "kind: expected praise, suggestion or complaint"});
  }
  domain::RawAnswers raw = in.contact;
  if (!in.text.empty()) raw[kFeedbackTextKey] = {in.text};
  domain::Response r;
  auto more = domain::validate_answers(feedback_survey(), raw, false, r.answers, r.contact);
  errors.insert(errors.end(), more.begin(), more.end());
  if (!errors.empty()) {
    return invalid_answers(std::move(errors));
  }
  r.submission_key = in.submission_key;
  r.model_version = model_.version;
  r.touchpoint = "";
  r.unit = in.unit;
  r.survey = kFeedbackSurveyId;
  r.channel = domain::Channel::feedback;
  r.language = in.language;
  r.respondent = in.respondent;
  r.answered_at = clock_.now();
  r.feedback_kind = in.kind;
  return store_response(r);
}

Result<SubmitOutcome, SubmitError> SurveyService::kiosk_tap(const std::string& touchpoint, int face,
                                                            domain::Language language,
                                                            const std::string& submission_key,
                                                            const std::string& unit) {
  auto survey = survey_for(touchpoint, Variant::general);
  if (!survey) return submit_fail(survey.error());
  std::string key = kiosk_question_key(**survey);
  if (key.empty())
    return submit_fail(ErrorKind::not_found, "touchpoint '" + touchpoint + "' has no kiosk question");
  if (!valid_submission_key(submission_key)) {
    return submit_fail(
        ErrorKind::invalid_input, "submission_key: invalid",
        {{"submission_key", "invalid", "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _"}});
  }
  const domain::Touchpoint* tp = model_.touchpoint(touchpoint);
  if (!tp->has_channel(domain::Channel::kiosk)) {
    return submit_fail(ErrorKind::not_found,
                       "touchpoint '" + touchpoint + "' is not measured through a kiosk");
  }
  // A kiosk stands in one place: the unit given (`?u=` on the kiosk URL), else
  // the only unit, else the units' nearest common ancestor, as the web form does.
  std::string where;
  if (unit.empty() && tp->units.size() > 1) {
    where = common_ancestor(model_, tp->units);
  } else if (tp->units.empty()) {
    where = model_.county_id;
  } else {
    auto u = resolve_unit(*tp, unit);
    if (!u) {
      return submit_fail(ErrorKind::invalid_input, u.error().message,
                         {{"unit", "unknown_option", u.error().message}});
    }
    where = *u;
  }
  domain::Survey only = single_question_survey(**survey, key, true);
  domain::RawAnswers raw;
  raw[key] = {std::to_string(face)};
  domain::Response r;
  auto errors = domain::validate_answers(only, raw, true, r.answers, r.contact);
  if (!errors.empty()) {
    return invalid_answers(std::move(errors));
  }
  r.submission_key = submission_key;
  r.model_version = model_.version;
  r.touchpoint = tp->id;
  r.unit = where;
  r.survey = (*survey)->id;
  r.channel = domain::Channel::kiosk;
  r.language = language;
  r.answered_at = clock_.now();
  return store_response(r);
}

Result<SubmitOutcome, SubmitError> SurveyService::kiosk_followup(const std::string& touchpoint,
                                                                 std::int64_t tap_id,
                                                                 const domain::RawAnswers& answers,
                                                                 domain::Language language,
                                                                 const std::string& submission_key) {
  auto survey = survey_for(touchpoint, Variant::general);
  if (!survey) return submit_fail(survey.error());
  const std::string& key = (*survey)->kiosk_followup;
  if (key.empty() || (*survey)->question(key) == nullptr) {
    return submit_fail(ErrorKind::not_found, "touchpoint '" + touchpoint + "' has no kiosk follow-up");
  }
  if (!valid_submission_key(submission_key)) {
    return submit_fail(
        ErrorKind::invalid_input, "submission_key: invalid",
        {{"submission_key", "invalid", "submission_key: expected 16-64 characters of A-Z a-z 0-9 - _"}});
  }
  auto tap = store_.responses().get(tap_id);
  if (!tap) {
    if (tap.error().kind == ErrorKind::not_found) {
      return submit_fail(ErrorKind::invalid_input, "r: unknown response",
                         {{"r", "unknown_option", "r: unknown response"}});
    }
    return submit_fail(ErrorKind::unavailable, tap.error().message);
  }
  if (tap->touchpoint != touchpoint || tap->channel != domain::Channel::kiosk || tap->supplements != 0) {
    return submit_fail(ErrorKind::invalid_input, "r: not a kiosk tap of this touchpoint",
                       {{"r", "unknown_option", "r: not a kiosk tap of this touchpoint"}});
  }
  if (clock_.now() - tap->answered_at > kKioskFollowupWindow) {
    return submit_fail(ErrorKind::invalid_input, "r: the tap is too old for a follow-up",
                       {{"r", "out_of_range", "r: the tap is too old for a follow-up"}});
  }
  domain::Survey only = single_question_survey(**survey, key, true);
  domain::RawAnswers raw;
  if (auto it = answers.find(key); it != answers.end()) raw[key] = it->second;
  domain::Response r;
  auto errors = domain::validate_answers(only, raw, true, r.answers, r.contact);
  if (!errors.empty()) {
    return invalid_answers(std::move(errors));
  }
  r.submission_key = submission_key;
  r.model_version = model_.version;
  r.touchpoint = tap->touchpoint;
  r.unit = tap->unit;
  r.survey = tap->survey;
  r.channel = domain::Channel::kiosk;
  r.language = language;
  r.answered_at = clock_.now();
  r.supplements = tap_id;
  return store_response(r);
}

}  // namespace kaiku::service
