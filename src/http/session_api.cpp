#include "http/session_api.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>

#include "domain/language.hpp"
#include "http/form.hpp"
#include "http/api_support.hpp"
#include "http/problem.hpp"
#include "http/router_impl.hpp"  // client_address
#include "web/pages.hpp"

namespace kaiku::http {
namespace json = boost::json;

namespace {

// A JSON object body with only string fields from `allowed`; `required` must be
// present. invalid_input naming the field otherwise.
Result<std::map<std::string, std::string>> string_fields(std::string_view body,
                                                         std::initializer_list<std::string_view> allowed,
                                                         std::initializer_list<std::string_view> required) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 8;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) return fail(Error::invalid("body: not a JSON document (" + ec.message() + ")"));
  if (!v.is_object()) return fail(Error::invalid("body: expected a JSON object"));
  std::map<std::string, std::string> out;
  for (const auto& [k, val] : v.as_object()) {
    const std::string key(k);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return fail(Error::invalid(key + ": unknown field"));
    }
    if (val.is_null()) continue;
    if (!val.is_string()) return fail(Error::invalid(key + ": expected a string"));
    out[key] = std::string(val.as_string());
  }
  for (std::string_view r : required) {
    if (!out.count(std::string(r))) return fail(Error::invalid(std::string(r) + ": required"));
  }
  return out;
}

json::object localized(const domain::LocalizedText& t) {
  json::object o;
  for (const auto& [lang, text] : t.texts) o[domain::language_tag(lang)] = text;
  return o;
}

Response no_content() {
  Response res;
  res.status = 204;
  return res;
}

// The problem of a failed authentication (401 / 403 csrf / 503).
Response refused(const Error& e, std::string_view path) {
  if (e.kind == ErrorKind::unauthorized) return unauthorized(e, path);
  return problem(e, path);
}

}  // namespace

std::string session_cookie(std::string_view session_id, std::chrono::milliseconds max_age, bool secure) {
  return std::string(service::kSessionCookie) + "=" + std::string(session_id) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(max_age).count()) +
         (secure ? "; Secure" : "");
}

std::string cleared_session_cookie(bool secure) {
  return std::string(service::kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (secure ? "; Secure" : "");
}

SessionApi::SessionApi(const domain::Model& model, service::SessionService& sessions, bool secure_cookies,
                       Clock& clock, SignInLimit limit)
    : model_(model),
      sessions_(sessions),
      secure_(secure_cookies),
      limit_(std::move(limit)),
      limiter_(clock, limit_.limit, 10000) {}

Response SessionApi::handle(const Request& req, const Result<domain::Principal>& caller) const {
  const std::string path(split_target(req.target).first);
  const std::string& m = req.method;
  const bool get = m == "GET" || m == "HEAD";
  auto not_allowed = [&](std::string_view allow) {
    Response res = problem(405, "method_not_allowed",
                           "method " + m + " is not allowed here; allowed: " + std::string(allow), path);
    res.set_header("Allow", std::string(allow));
    return res;
  };
  if (path == "/api/v1/session") {
    if (get) return me(req, caller, path);
    if (m == "POST") return sign_in(req, path);
    if (m == "DELETE") return sign_out(req, caller, path);
    return not_allowed("GET, HEAD, POST, DELETE");
  }
  if (path == "/api/v1/session/revoke-all") {
    if (m == "POST") return revoke_all(req, caller, path);
    return not_allowed("POST");
  }
  if (path == "/api/v1/session/totp") {
    if (m == "POST") return totp_start(caller, path);
    if (m == "DELETE") return totp_disable(req, caller, path);
    return not_allowed("POST, DELETE");
  }
  if (path == "/api/v1/session/totp/confirm") {
    if (m == "POST") return totp_confirm(req, caller, path);
    return not_allowed("POST");
  }
  return problem(404, "not_found", "no such API resource", path);
}

namespace {

json::object me_object(const domain::Model& model, const domain::Principal& p, const std::string* csrf,
                       std::optional<TimePoint> expires_at, bool totp_enabled) {
  json::object o;
  o["user_id"] = p.user_id;
  o["login"] = p.login;
  o["role"] = domain::role_name(p.role);
  o["scope_unit"] = p.scope_unit;
  const domain::OrgUnit* unit = model.unit(p.scope_unit);
  o["scope_name"] = unit != nullptr ? localized(unit->name) : json::object{};
  o["csrf_token"] = csrf != nullptr ? json::value(*csrf) : json::value(nullptr);
  o["totp_enabled"] = totp_enabled;
  o["expires_at"] = expires_at ? json::value(format_rfc3339(*expires_at)) : json::value(nullptr);
  o["permissions"] = json::object{
      {"handle_cases", domain::may_handle_cases(p)}, {"read_contact", domain::may_read_contact_details(p)},
      {"edit_actions", domain::may_edit_actions(p)}, {"publish_model", domain::may_publish_model(p)},
      {"read_audit", domain::may_read_audit(p)},     {"export", domain::may_export(p)}};
  return o;
}

}  // namespace

Response SessionApi::sign_in(const Request& req, std::string_view path) const {
  if (limit_.enabled) {
    const std::string key =
        client_address(req.client_ip, req.header("x-forwarded-for"), limit_.trusted_proxies);
    if (!limiter_.allow(key)) {
      const long seconds = std::max(1L, static_cast<long>(std::ceil(limiter_.retry_after_s(key))));
      Response res = problem(Error{ErrorKind::rate_limited,
                                   "sign-in: too many attempts from this address; try "
                                   "again in " +
                                       std::to_string(seconds) + " seconds"},
                             path);
      res.set_header("Retry-After", std::to_string(seconds));
      return res;
    }
  }
  if (!is_json_content(req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
  }
  auto fields = string_fields(req.body, {"login", "password", "totp"}, {"login", "password"});
  if (!fields) return problem(fields.error(), path);
  service::SignInRequest request;
  request.login = (*fields)["login"];
  request.password = (*fields)["password"];
  if (fields->count("totp")) request.totp = (*fields)["totp"];
  auto s = sessions_.sign_in(request);
  if (!s) {
    const service::SignInFailure& f = s.error();
    Response res =
        f.error.kind == ErrorKind::unauthorized ? unauthorized(f.error, path) : problem(f.error, path);
    if (f.totp_required) {
      json::value body = json::parse(res.body);
      body.as_object()["totp_required"] = true;
      res.body = json::serialize(body);
    }
    if (f.error.kind == ErrorKind::rate_limited)
      res.set_header("Retry-After", std::to_string(f.retry_after_s));
    return res;
  }
  auto enabled = sessions_.totp_enabled(s->active.user.id);
  Response res = json_response(
      200, json::serialize(me_object(model_, s->active.principal(), &s->active.session.csrf_token,
                                     s->active.expires_at, enabled && *enabled)));
  res.set_header("Set-Cookie", session_cookie(s->session_id, sessions_.policy().absolute, secure_));
  return res;
}

Response SessionApi::me(const Request& req, const Result<domain::Principal>& caller,
                        std::string_view path) const {
  if (!caller) return refused(caller.error(), path);
  const domain::Principal& p = *caller;
  auto enabled = sessions_.totp_enabled(p.user_id);
  if (!enabled) return problem(Error::unavailable(enabled.error().message), path);
  if (req.header("authorization").empty()) {
    auto id = service::cookie_value(req.header("cookie"), service::kSessionCookie);
    auto active = sessions_.find(id.value_or(""));
    if (!active) return refused(active.error(), path);
    return json_response(200, json::serialize(me_object(model_, p, &active->session.csrf_token,
                                                        active->expires_at, *enabled)));
  }
  return json_response(200, json::serialize(me_object(model_, p, nullptr, std::nullopt, *enabled)));
}

Response SessionApi::sign_out(const Request& req, const Result<domain::Principal>& caller,
                              std::string_view path) const {
  // Without a valid session there is nothing to end (the cookie is removed all the
  // same); a CSRF refusal stays a refusal.
  if (!caller && caller.error().kind != ErrorKind::unauthorized) return refused(caller.error(), path);
  if (caller && req.header("authorization").empty()) {
    auto id = service::cookie_value(req.header("cookie"), service::kSessionCookie);
    if (id) {
      if (auto st = sessions_.sign_out(*id); !st)
        return problem(Error::unavailable(st.error().message), path);
    }
  }
  Response res = no_content();
  res.set_header("Set-Cookie", cleared_session_cookie(secure_));
  return res;
}

Response SessionApi::revoke_all(const Request& req, const Result<domain::Principal>& caller,
                                std::string_view path) const {
  if (!caller) return refused(caller.error(), path);
  auto n = sessions_.revoke_all(caller->user_id);
  if (!n) return problem(Error::unavailable(n.error().message), path);
  Response res = json_response(200, json::serialize(json::object{{"revoked", *n}}));
  if (req.header("authorization").empty()) res.set_header("Set-Cookie", cleared_session_cookie(secure_));
  return res;
}

Response SessionApi::totp_start(const Result<domain::Principal>& caller, std::string_view path) const {
  if (!caller) return refused(caller.error(), path);
  auto e = sessions_.start_totp(*caller);
  if (!e) return problem(e.error(), path);
  json::object o{
      {"secret", e->secret_base32}, {"otpauth_uri", e->otpauth_uri}, {"qr_svg", web::qr_svg(e->otpauth_uri)}};
  return json_response(200, json::serialize(o));
}

Response SessionApi::totp_confirm(const Request& req, const Result<domain::Principal>& caller,
                                  std::string_view path) const {
  if (!caller) return refused(caller.error(), path);
  if (!is_json_content(req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
  }
  auto fields = string_fields(req.body, {"code"}, {"code"});
  if (!fields) return problem(fields.error(), path);
  if (auto st = sessions_.confirm_totp(caller->user_id, (*fields)["code"]); !st)
    return problem(st.error(), path);
  return me(req, caller, path);
}

Response SessionApi::totp_disable(const Request& req, const Result<domain::Principal>& caller,
                                  std::string_view path) const {
  if (!caller) return refused(caller.error(), path);
  if (!is_json_content(req.header("content-type"))) {
    return problem(415, "unsupported_media_type", "expected Content-Type: application/json", path);
  }
  auto fields = string_fields(req.body, {"code"}, {"code"});
  if (!fields) return problem(fields.error(), path);
  if (auto st = sessions_.disable_totp(caller->user_id, (*fields)["code"]); !st)
    return problem(st.error(), path);
  return no_content();
}

}  // namespace kaiku::http
