#include "http/cases_api.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <map>
#include <set>

#include "http/form.hpp"
#include "http/api_support.hpp"
#include "http/problem.hpp"
#include "storage/answers_json.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;

json::value localized(const domain::LocalizedText& t) {
  json::object o;
  for (const auto& [lang, text] : t.texts) o[domain::language_tag(lang)] = text;
  return o;
}

json::value opt_time(const std::optional<TimePoint>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::object case_json(const domain::Model& model, const storage::CaseRecord& c, TimePoint now) {
  json::object o;
  o["id"] = c.id;
  o["kind"] = domain::case_kind_name(c.kind);
  o["status"] = domain::case_status_name(c.status);
  o["unit"] = c.unit;
  const domain::OrgUnit* u = model.unit(c.unit);
  o["unit_name"] = u != nullptr ? localized(u->name) : json::value(nullptr);
  o["touchpoint"] = c.touchpoint;
  o["channel"] = domain::channel_name(c.channel);
  o["language"] = domain::language_tag(c.language);
  o["received_at"] = format_rfc3339(c.opened_at);
  o["due_at"] = format_rfc3339(c.due_at);
  o["overdue"] = service::case_overdue(c, now);
  o["band"] = domain::score_band_name(c.band);
  o["nps"] = c.nps >= 0 ? json::value(c.nps) : json::value(nullptr);
  o["alert"] = c.alert;
  o["safety"] = c.safety;
  o["has_contact"] = c.has_contact;
  o["assignee"] = c.assignee_user != 0
                      ? json::value(json::object{{"user_id", c.assignee_user}, {"login", c.assignee_login}})
                      : json::value(nullptr);
  o["assigned_unit"] = c.assigned_unit.empty() ? json::value(nullptr) : json::value(c.assigned_unit);
  json::array themes;
  for (const auto& t : c.themes) themes.emplace_back(t);
  o["themes"] = std::move(themes);
  o["sentiment"] = c.sentiment.empty() ? json::value(nullptr) : json::value(c.sentiment);
  o["suggestion"] = c.suggestion;
  o["excerpt"] = c.excerpt;
  o["closed_at"] = opt_time(c.closed_at);
  return o;
}

json::object event_json(const storage::CaseEvent& e) {
  return json::object{{"at", format_rfc3339(e.at)}, {"login", e.login}, {"kind", e.kind},
                      {"text", e.text},             {"status", e.status}};
}

json::object detail_json(const domain::Model& model, const service::CaseDetail& d) {
  json::object o = case_json(model, d.record, d.now);
  boost::system::error_code ec;
  json::value answers = json::parse(storage::answers_to_json(d.response.answers), ec);
  o["answers"] = ec ? json::value(json::object{}) : std::move(answers);
  o["comments"] = insights_json(d.response.insights);
  o["feedback_kind"] = d.response.feedback_kind.empty() ? json::value(nullptr) : json::value(d.response.feedback_kind);
  o["contact"] = d.contact ? json::value(json::object{{"name", d.contact->name},
                                                      {"phone", d.contact->phone},
                                                      {"email", d.contact->email},
                                                      {"consent", d.contact->consent}})
                           : json::value(nullptr);
  json::array can_reply;
  for (const auto& c : d.can_reply) can_reply.emplace_back(c);
  o["can_reply"] = std::move(can_reply);
  json::array history;
  for (const auto& e : d.history) history.push_back(event_json(e));
  o["history"] = std::move(history);
  return o;
}

Response json_ok(int status, const json::value& v) { return json_response(status, json::serialize(v)); }

// The JSON object body of a POST with only `allowed` fields; an error problem otherwise.
std::optional<Response> read_body(const Request& req, const std::string& path, const std::set<std::string>& allowed,
                                  json::object& out) {
  if (!is_json_content(req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
  }
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 8;
  json::value v = json::parse(req.body, ec, {}, opt);
  if (ec) return problem(400, "invalid_input", "body: not valid JSON (" + ec.message() + ")", path);
  if (!v.is_object()) return problem(400, "invalid_input", "body: expected a JSON object", path);
  for (const auto& kv : v.as_object()) {
    if (allowed.count(std::string(kv.key())) == 0) {
      return problem(400, "invalid_input", "body: unknown field '" + std::string(kv.key()) + "'", path);
    }
  }
  out = std::move(v.as_object());
  return std::nullopt;
}

// A string field: nullopt when absent; an error problem when not a string.
std::optional<Response> string_field(const json::object& o, const char* key, const std::string& path,
                                     std::optional<std::string>& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) return problem(400, "invalid_input", std::string(key) + ": expected a string", path);
  out = std::string(v->as_string());
  return std::nullopt;
}

}  // namespace

Response CasesApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  const auto [path_view, query] = split_target(req.target);
  const std::string path(path_view);
  if (!caller) return unauthorized(caller.error(), path);
  const domain::Principal& who = *caller;
  const bool get = req.method == "GET" || req.method == "HEAD";
  const std::vector<std::string> segs = split_path(path);  // api v1 cases ...
  auto fail_with = [&](const Error& e) { return problem(e, path); };

  auto form = parse_form_urlencoded(query);
  if (!form) return problem(400, "invalid_input", "query: " + form.error().message, path);

  if (segs.size() == 3) {  // /api/v1/cases
    if (!get) return api_method_not_allowed("GET, HEAD", path);
    service::CaseFilter f;
    std::map<std::string_view, std::optional<std::string>*> params{
        {"unit", &f.unit},         {"touchpoint", &f.touchpoint}, {"channel", &f.channel}, {"kind", &f.kind},
        {"band", &f.band},         {"theme", &f.theme},           {"sentiment", &f.sentiment},
        {"status", &f.status},     {"language", &f.language},     {"from", &f.from},       {"to", &f.to},
        {"q", &f.q},               {"assignee", &f.assignee},     {"overdue", &f.overdue}, {"alert", &f.alert},
        {"cursor", &f.cursor},     {"limit", &f.limit},           {"total", &f.total}};
    for (const auto& [key, value] : form->fields) {
      auto it = params.find(key);
      if (it == params.end()) return problem(400, "invalid_input", "unknown query parameter '" + key + "'", path);
      if (*it->second) return problem(400, "invalid_input", key + ": given twice", path);
      *it->second = value;
    }
    auto list = cases_.list(who, f);
    if (!list) return fail_with(list.error());
    json::array items;
    for (const auto& c : list->cases) items.push_back(case_json(model_, c, list->now));
    json::object o;
    o["cases"] = std::move(items);
    o["next_cursor"] = list->next_cursor ? json::value(*list->next_cursor) : json::value(nullptr);
    o["total"] = list->total_counted ? json::value(list->total) : json::value(nullptr);
    o["total_capped"] = list->total_capped;
    return json_ok(200, o);
  }
  if (segs.size() < 4) return problem(404, "not_found", "no such resource", path);
  if (!form->fields.empty()) {
    return problem(400, "invalid_input", "unknown query parameter '" + form->fields.front().first + "'", path);
  }
  if (segs.size() == 4 && segs[3] == "overdue") {
    if (!get) return api_method_not_allowed("GET, HEAD", path);
    auto units = cases_.overdue(who);
    if (!units) return fail_with(units.error());
    json::array items;
    for (const auto& u : *units) {
      const domain::OrgUnit* unit = model_.unit(u.unit);
      items.push_back(json::object{{"unit", u.unit},
                                   {"unit_name", unit != nullptr ? localized(unit->name) : json::value(nullptr)},
                                   {"overdue", u.overdue},
                                   {"open", u.open},
                                   {"oldest_due_at", opt_time(u.oldest_due_at)}});
    }
    return json_ok(200, json::object{{"units", std::move(items)}});
  }
  const auto id = parse_id(segs[3]);
  if (!id) return problem(404, "not_found", "no case '" + segs[3] + "'", path);
  if (segs.size() == 4) {
    if (!get) return api_method_not_allowed("GET, HEAD", path);
    auto d = cases_.get(who, *id);
    if (!d) return fail_with(d.error());
    return json_ok(200, detail_json(model_, *d));
  }
  if (segs.size() != 5) return problem(404, "not_found", "no such resource", path);
  const std::string& action = segs[4];
  if (action != "status" && action != "assign" && action != "notes" && action != "reply" && action != "muistutus") {
    return problem(404, "not_found", "no such resource", path);
  }
  if (req.method != "POST") return api_method_not_allowed("POST", path);
  json::object body;
  if (action == "status") {
    if (auto bad = read_body(req, path, {"status", "note"}, body)) return *bad;
    std::optional<std::string> status, note;
    if (auto bad = string_field(body, "status", path, status)) return *bad;
    if (auto bad = string_field(body, "note", path, note)) return *bad;
    if (!status) return problem(400, "invalid_input", "status: required", path);
    auto d = cases_.set_status(who, *id, *status, note.value_or(""));
    if (!d) return fail_with(d.error());
    return json_ok(200, detail_json(model_, *d));
  }
  if (action == "assign") {
    if (auto bad = read_body(req, path, {"user", "unit"}, body)) return *bad;
    std::optional<std::string> user, unit;
    if (auto bad = string_field(body, "user", path, user)) return *bad;
    if (auto bad = string_field(body, "unit", path, unit)) return *bad;
    auto d = cases_.assign(who, *id, user, unit);
    if (!d) return fail_with(d.error());
    return json_ok(200, detail_json(model_, *d));
  }
  if (action == "notes") {
    if (auto bad = read_body(req, path, {"text"}, body)) return *bad;
    std::optional<std::string> text;
    if (auto bad = string_field(body, "text", path, text)) return *bad;
    if (!text) return problem(400, "invalid_input", "text: required", path);
    auto e = cases_.add_note(who, *id, *text);
    if (!e) return fail_with(e.error());
    return json_ok(201, event_json(*e));
  }
  if (action == "reply") {
    if (auto bad = read_body(req, path, {"channel", "text"}, body)) return *bad;
    std::optional<std::string> channel, text;
    if (auto bad = string_field(body, "channel", path, channel)) return *bad;
    if (auto bad = string_field(body, "text", path, text)) return *bad;
    if (!channel) return problem(400, "invalid_input", "channel: required", path);
    if (!text) return problem(400, "invalid_input", "text: required", path);
    auto sent = cases_.reply(who, *id, *channel, *text);
    if (!sent) return fail_with(sent.error());
    return json_ok(202, json::object{{"reply", json::object{{"channel", sent->channel}, {"status", sent->status}}}});
  }
  // muistutus
  if (auto bad = read_body(req, path, {"notify"}, body)) return *bad;
  bool notify = false;
  if (const json::value* v = body.if_contains("notify")) {
    if (!v->is_bool()) return problem(400, "invalid_input", "notify: expected true or false", path);
    notify = v->as_bool();
  }
  auto d = cases_.muistutus(who, *id, notify);
  if (!d) return fail_with(d.error());
  json::object o = detail_json(model_, *d);
  if (d->notification) {
    o["notification"] = json::object{{"channel", d->notification->channel},
                                     {"sent", d->notification->sent},
                                     {"error", d->notification->sent ? json::value(nullptr)
                                                                     : json::value(d->notification->error)}};
  } else {
    o["notification"] = nullptr;
  }
  return json_ok(200, o);
}

}  // namespace kaiku::http
