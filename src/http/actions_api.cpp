#include "http/actions_api.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <charconv>

#include "http/form.hpp"
#include "http/api_support.hpp"
#include "http/problem.hpp"

namespace kaiku::http {
namespace {

namespace json = boost::json;

json::value localized(const domain::LocalizedText& t) {
  json::object o;
  for (const auto& [lang, text] : t.texts) {
    if (!text.empty()) o[domain::language_tag(lang)] = text;
  }
  return o;
}

json::object action_json(const domain::Model& model, const service::ActionView& v) {
  const domain::DevelopmentAction& a = v.action;
  json::object o;
  o["id"] = a.id;
  o["unit"] = a.unit;
  const domain::OrgUnit* u = model.unit(a.unit);
  o["unit_name"] = u != nullptr ? localized(u->name) : json::value(nullptr);
  o["title"] = localized(a.title);
  o["description"] = localized(a.description);
  o["reason"] = localized(a.reason);
  o["done_on"] = a.done_on;
  json::array themes, cases;
  for (const auto& t : a.themes) themes.emplace_back(t);
  for (auto c : a.cases) cases.emplace_back(c);
  o["themes"] = std::move(themes);
  o["cases"] = std::move(cases);
  o["published"] = a.published;
  o["created_by"] = v.created_by_login;
  o["created_at"] = format_rfc3339(a.created_at);
  o["updated_at"] = format_rfc3339(a.updated_at);
  return o;
}

Response json_ok(int status, const json::value& v) { return json_response(status, json::serialize(v)); }

// A 400 problem whose detail starts with the field's name ("title.fi: ...").
Response invalid(const std::string& message, const std::string& path) {
  const auto colon = message.find(':');
  std::string field = colon == std::string::npos ? std::string() : message.substr(0, colon);
  if (field.find(' ') != std::string::npos) field.clear();
  std::vector<domain::FieldError> fields;
  if (!field.empty()) fields.push_back({field, "invalid", message});
  return problem(400, "invalid_input", message, path, fields);
}

Response error_response(const Error& e, const std::string& path) {
  if (e.kind == ErrorKind::invalid_input) return invalid(e.message, path);
  return problem(e, path);
}

Result<domain::LocalizedText> texts_field(const json::value& v, const std::string& name) {
  domain::LocalizedText out;
  if (v.is_null()) return out;
  if (!v.is_object()) return fail(Error::invalid(name + ": expected an object such as {\"fi\": \"…\", \"sv\": \"…\"}"));
  for (const auto& kv : v.as_object()) {
    const std::string key(kv.key());
    auto lang = domain::parse_language(key);
    if (!lang || key != domain::language_tag(*lang)) {
      return fail(Error::invalid(name + "." + key + ": unknown language (fi, sv, en, fi-x-selko)"));
    }
    if (kv.value().is_null()) continue;
    if (!kv.value().is_string()) return fail(Error::invalid(name + "." + key + ": expected a string"));
    out.texts[*lang] = std::string(kv.value().as_string());
  }
  return out;
}

// The body of POST (path_id empty) or PUT /api/v1/actions/{id}. The read-only
// fields of an action as GET returns it (unit_name, created_by, created_at,
// updated_at, and an `id` equal to the path's) are accepted and ignored, so that
// a client may send back what it read.
Result<service::ActionInput> parse_action_body(std::string_view body, std::optional<std::int64_t> path_id) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return fail(Error::invalid("body: not valid JSON (" + ec.message() + ")"));
  if (!v.is_object()) return fail(Error::invalid("body: expected a JSON object"));
  service::ActionInput in;
  for (const auto& kv : v.as_object()) {
    const std::string key(kv.key());
    const json::value& f = kv.value();
    if (key == "unit" || key == "done_on") {
      if (!f.is_string()) return fail(Error::invalid(key + ": expected a string"));
      (key == "unit" ? in.unit : in.done_on) = std::string(f.as_string());
    } else if (key == "title" || key == "description" || key == "reason") {
      auto t = texts_field(f, key);
      if (!t) return fail(t.error());
      (key == "title" ? in.title : key == "description" ? in.description : in.reason) = std::move(*t);
    } else if (key == "themes") {
      if (!f.is_array()) return fail(Error::invalid("themes: expected an array of theme ids"));
      for (const auto& t : f.as_array()) {
        if (!t.is_string()) return fail(Error::invalid("themes: expected an array of theme ids"));
        in.themes.emplace_back(t.as_string());
      }
    } else if (key == "cases") {
      if (!f.is_array()) return fail(Error::invalid("cases: expected an array of case ids"));
      for (const auto& c : f.as_array()) {
        if (!c.is_int64() || c.as_int64() <= 0) return fail(Error::invalid("cases: expected an array of case ids"));
        in.cases.push_back(c.as_int64());
      }
    } else if (key == "published") {
      if (!f.is_bool()) return fail(Error::invalid("published: expected true or false"));
      in.published = f.as_bool();
    } else if (key == "id") {
      if (!path_id) return fail(Error::invalid("id: assigned by the server; leave it out"));
      if (!f.is_int64() || f.as_int64() != *path_id) return fail(Error::invalid("id: does not match the URL"));
    } else if (key == "unit_name" || key == "created_by" || key == "created_at" || key == "updated_at") {
      // read-only: ignored
    } else {
      return fail(Error::invalid("body: unknown field '" + key + "'"));
    }
  }
  if (in.done_on.empty()) return fail(Error::invalid("done_on: required (YYYY-MM-DD)"));
  return in;
}

}  // namespace

Response ActionsApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  const auto [path_view, query] = split_target(req.target);
  const std::string path(path_view);
  if (!caller) return unauthorized(caller.error(), path);
  const domain::Principal& who = *caller;
  const bool read = req.method == "GET" || req.method == "HEAD";
  auto form = parse_form_urlencoded(query);
  if (!form) return problem(400, "invalid_input", "query: " + form.error().message, path);

  const std::string_view rest = std::string_view(path).substr(prefix().size());
  if (rest.empty() || rest == "/") {
    if (read) {
      service::ActionFilter f;
      for (const auto& [key, value] : form->fields) {
        if (key != "unit" && key != "published" && key != "theme") {
          return problem(400, "invalid_input", "unknown query parameter '" + key + "'", path);
        }
        if (form->all(key).size() > 1) return invalid(key + ": given twice", path);
      }
      if (form->has("unit")) f.unit = form->first("unit");
      if (form->has("theme")) f.theme = form->first("theme");
      if (form->has("published")) {
        const std::string p = form->first("published");
        if (p != "true" && p != "false") return invalid("published: expected true or false", path);
        f.published = p == "true";
      }
      auto list = actions_.list(who, f);
      if (!list) return error_response(list.error(), path);
      json::array items;
      for (const auto& v : *list) items.push_back(action_json(model_, v));
      return json_ok(200, json::object{{"actions", std::move(items)}});
    }
    if (req.method != "POST") return api_method_not_allowed("GET, HEAD, POST", path);
    if (!form->fields.empty()) {
      return problem(400, "invalid_input", "unknown query parameter '" + form->fields.front().first + "'", path);
    }
    if (!is_json_content(req.header("content-type"))) {
      return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
    }
    auto in = parse_action_body(req.body, std::nullopt);
    if (!in) return invalid(in.error().message, path);
    auto made = actions_.create(who, *in);
    if (!made) return error_response(made.error(), path);
    Response res = json_ok(201, action_json(model_, *made));
    res.set_header("Location", "/api/v1/actions/" + std::to_string(made->action.id));
    return res;
  }

  if (rest.front() != '/' || rest.find('/', 1) != std::string_view::npos) {
    return problem(404, "not_found", "no such resource", path);
  }
  const auto id = parse_id(rest.substr(1));
  if (!id) return problem(404, "not_found", "no action '" + std::string(rest.substr(1)) + "'", path);
  if (!form->fields.empty()) {
    return problem(400, "invalid_input", "unknown query parameter '" + form->fields.front().first + "'", path);
  }
  if (read) {
    auto got = actions_.get(who, *id);
    if (!got) return error_response(got.error(), path);
    return json_ok(200, action_json(model_, *got));
  }
  if (req.method == "PUT") {
    if (!is_json_content(req.header("content-type"))) {
      return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
    }
    auto in = parse_action_body(req.body, id);
    if (!in) return invalid(in.error().message, path);
    auto replaced = actions_.replace(who, *id, *in);
    if (!replaced) return error_response(replaced.error(), path);
    return json_ok(200, action_json(model_, *replaced));
  }
  if (req.method == "DELETE") {
    if (auto st = actions_.remove(who, *id); !st) return error_response(st.error(), path);
    Response res;
    res.status = 204;
    return res;
  }
  return api_method_not_allowed("GET, HEAD, PUT, DELETE", path);
}

}  // namespace kaiku::http
