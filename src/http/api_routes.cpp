// The JSON API under /api/v1 and /healthz. Errors are RFC 9457 problem documents.
#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "http/json_body.hpp"
#include "http/api_support.hpp"
#include "http/problem.hpp"
#include "http/router_impl.hpp"

namespace kaiku::http {

namespace json = boost::json;

namespace {

// The JSON form of one answer: number, "cant_say", a string (single choice,
// open text) or an array of strings (multiple choice).
json::value answer_json(const domain::Answer& a, const domain::Survey* survey) {
  if (a.number) return *a.number;
  if (a.cant_say) return "cant_say";
  if (!a.choices.empty()) {
    const domain::Question* q = survey != nullptr ? survey->question(a.key) : nullptr;
    if (q != nullptr && q->type == domain::QuestionType::single_choice && a.choices.size() == 1) {
      return json::string(a.choices.front());
    }
    json::array arr;
    for (const auto& c : a.choices) arr.emplace_back(c);
    return arr;
  }
  return json::string(a.text);
}

json::object response_json(const domain::Model& model, const domain::Response& r,
                           const domain::ContactRequest* contact) {
  const domain::Survey* survey =
      r.survey == service::kFeedbackSurveyId ? &service::feedback_survey() : model.survey(r.survey);
  json::object o;
  o["id"] = r.id;
  o["touchpoint"] = r.touchpoint.empty() ? json::value(nullptr) : json::value(r.touchpoint);
  o["unit"] = r.unit;
  o["survey"] = r.survey;
  o["channel"] = domain::channel_name(r.channel);
  o["language"] = domain::language_tag(r.language);
  o["respondent"] = domain::respondent_name(r.respondent);
  o["answered_at"] = format_rfc3339(r.answered_at);
  o["model_version"] = r.model_version;
  json::object answers;
  for (const auto& a : r.answers) answers[a.key] = answer_json(a, survey);
  o["answers"] = std::move(answers);
  // What the analysis of each open answer found (its text above is redacted).
  o["comments"] = insights_json(r.insights);
  if (r.supplements != 0) o["supplements"] = r.supplements;
  if (!r.feedback_kind.empty()) o["feedback_kind"] = r.feedback_kind;
  // Never the invitation id: it would tie an answer to the outside event it was
  // sent for (the EHR visit), which breaks the respondent's anonymity.
  if (contact != nullptr) {
    o["contact"] = json::object{{"name", contact->name},
                                {"phone", contact->phone},
                                {"email", contact->email},
                                {"consent", contact->consent}};
  }
  return o;
}

// The unit a submission or invitation names, for the scope check: the given one,
// or the touchpoint's only unit; "" when it cannot be told (the service rejects it).
std::string target_unit(const domain::Model& model, const std::string& touchpoint, const std::string& unit) {
  if (!unit.empty()) return unit;
  const domain::Touchpoint* tp = model.touchpoint(touchpoint);
  if (tp != nullptr && tp->units.size() == 1) return tp->units.front();
  return "";
}

}  // namespace

Response Router::Impl::healthz(const Call&) const {
  json::object o;
  o["status"] = "ok";
  o["version"] = cfg.server_version;
  o["model_version"] = svc.model.version;
  o["schema_version"] = schema_version;
  return json_response(200, json::serialize(o));
}

Response Router::Impl::api_model(const Call&) const {
  return json_response(200, model_json);
}

Response Router::Impl::api_touchpoints(const Call&) const {
  return json_response(200, touchpoints_json);
}

Response Router::Impl::api_list_responses(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  service::ListRequest lr;
  ListParams lp;
  if (auto bad = read_list_params(c, {"unit", "touchpoint", "channel", "include"}, lp)) return *bad;
  lr.from = lp.from;
  lr.to = lp.to;
  lr.cursor = lp.cursor;
  lr.limit = lp.limit;
  if (c.query.has("unit")) lr.unit = c.query.first("unit");
  if (c.query.has("touchpoint")) lr.touchpoint = c.query.first("touchpoint");
  if (c.query.has("channel")) {
    auto ch = domain::parse_channel(c.query.first("channel"));
    if (!ch)
      return problem(400, "invalid_input", "channel: unknown channel '" + c.query.first("channel") + "'",
                     c.path);
    lr.channel = *ch;
  }
  if (c.query.has("include")) {
    if (c.query.first("include") != "contact") {
      return problem(400, "invalid_input", "include: the only value is 'contact'", c.path);
    }
    lr.include_contact = true;
  }
  lr.query_text = c.query_string;
  auto page = queries.list(*who, lr);
  if (!page) return problem(page.error(), c.path);
  json::array items;
  for (const auto& r : page->items) {
    auto it = page->contacts.find(r.id);
    items.push_back(response_json(svc.model, r, it == page->contacts.end() ? nullptr : &it->second));
  }
  json::object o;
  o["items"] = std::move(items);
  o["next_cursor"] = page->next_cursor ? json::value(*page->next_cursor) : json::value(nullptr);
  return json_response(200, json::serialize(o));
}

// The response id of /api/v1/responses/{id}[/...] (segment 3), or the problem:
// 404 for an id that is not a positive integer, 400 for any query parameter.
static std::optional<Response> read_response_id(const Call& c, std::int64_t& id) {
  const std::string& text = c.segs[3];
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) {
    return problem(404, "not_found", "no response '" + text + "'", c.path);
  }
  if (!c.query.fields.empty()) {
    return problem(400, "invalid_input", "unknown query parameter '" + c.query.fields.front().first + "'",
                   c.path);
  }
  return std::nullopt;
}

Response Router::Impl::api_get_response(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  std::int64_t id = 0;
  if (auto bad = read_response_id(c, id)) return *bad;
  auto r = queries.get(*who, id);
  if (!r) return problem(r.error(), c.path);
  return json_response(200, json::serialize(response_json(svc.model, *r, nullptr)));
}

Response Router::Impl::api_get_original(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  std::int64_t id = 0;
  if (auto bad = read_response_id(c, id)) return *bad;
  auto originals = queries.originals(*who, id);
  if (!originals) return problem(originals.error(), c.path);
  json::array items;
  for (const auto& o : *originals) items.push_back(json::object{{"question", o.question_key}, {"text", o.text}});
  json::object o;
  o["response_id"] = id;
  o["originals"] = std::move(items);
  Response res = json_response(200, json::serialize(o));
  res.set_header("Cache-Control", "no-store");
  return res;
}

Response Router::Impl::api_submit_response(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  if (!domain::may_submit_responses(*who)) {
    return problem(403, "forbidden",
                   "role '" + std::string(domain::role_name(who->role)) + "' may not submit responses",
                   c.path);
  }
  if (!is_json_content(c.req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", c.path);
  }
  auto body = parse_api_submission(c.req.body);
  if (!body) return problem(400, "invalid_input", body.error().message, c.path);
  std::string unit = target_unit(svc.model, body->touchpoint, body->unit);
  if (!unit.empty() && svc.model.unit(unit) != nullptr && !domain::in_scope(svc.model, *who, unit)) {
    return problem(403, "forbidden", "unit: '" + unit + "' is outside your scope", c.path);
  }
  service::SubmissionInput in;
  in.touchpoint = body->touchpoint;
  in.unit = body->unit;
  in.variant = body->variant;
  in.channel = body->channel;
  in.language = body->language;
  in.respondent = body->respondent;
  in.age_group = body->age_group;
  in.submission_key = body->submission_key;
  in.key_space = "api:" + std::to_string(who->user_id);
  in.answers = raw_answers_of(*body);
  in.reject_unknown = true;
  auto out = surveys.submit(in);
  if (!out) {
    const service::SubmitError& e = out.error();
    // An unknown touchpoint in the body is a problem with the body, not with the
    // URL: 422 invalid_input like every other field.
    if (e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::not_found) {
      return problem(422, "invalid_input", e.message, c.path, e.fields);
    }
    if (e.kind == ErrorKind::conflict) {
      return problem(409, "conflict",
                     "submission_key: this key was already used for a submission with different content; "
                     "send a new key for a new submission (" +
                         e.message + ")",
                     c.path);
    }
    return problem(status_for(e.kind), to_string(e.kind), e.message, c.path);
  }
  json::object o;
  o["id"] = out->id;
  o["duplicate"] = out->duplicate;
  Response res = json_response(out->duplicate ? 200 : 201, json::serialize(o));
  if (!out->duplicate) res.set_header("Location", "/api/v1/responses/" + std::to_string(out->id));
  return res;
}

Response Router::Impl::api_create_invitation(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  if (!domain::may_manage_invitations(*who)) {
    return problem(403, "forbidden",
                   "role '" + std::string(domain::role_name(who->role)) + "' may not create invitations",
                   c.path);
  }
  if (!is_json_content(c.req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", c.path);
  }
  auto body = parse_api_invitation(c.req.body);
  if (!body) return problem(400, "invalid_input", body.error().message, c.path);
  std::string unit = target_unit(svc.model, body->touchpoint, body->unit);
  if (!unit.empty() && svc.model.unit(unit) != nullptr && !domain::in_scope(svc.model, *who, unit)) {
    return problem(403, "forbidden", "unit: '" + unit + "' is outside your scope", c.path);
  }
  service::InvitationRequest req;
  req.touchpoint = body->touchpoint;
  req.unit = body->unit;
  req.event_ref = body->event_ref;
  req.language = body->language;
  req.channel = body->channel;
  req.ttl_hours = body->ttl_hours;
  req.age_group = body->age_group;
  auto inv = surveys.create_invitation(req);
  if (!inv) {
    const Error& e = inv.error();
    if (e.kind == ErrorKind::invalid_input || e.kind == ErrorKind::not_found) {
      return problem(422, "invalid_input", e.message, c.path);
    }
    return problem(status_for(e.kind), to_string(e.kind), e.message, c.path);
  }
  json::object o;
  o["id"] = inv->id;
  o["token"] = inv->token;
  o["url"] = "/i/" + inv->token;
  o["expires_at"] = format_rfc3339(inv->expires_at);
  return json_response(201, json::serialize(o));
}

}  // namespace kaiku::http
