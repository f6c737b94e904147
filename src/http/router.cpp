#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <exception>

#include "http/problem.hpp"
#include "http/api_support.hpp"
#include "http/router_impl.hpp"
#include "modelfile/model_json.hpp"

namespace kaiku::http {

namespace {

bool is_api(std::string_view path) {
  return path.rfind("/api/", 0) == 0 || path == "/healthz";
}

// A Host header value that is safe to print into a URL: host[:port] characters only.
bool plausible_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
          c == ']')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view ip) {
    return std::find(trusted.begin(), trusted.end(), ip) != trusted.end();
  };
  if (trusted.empty() || !is_trusted(peer)) return peer;
  // Right to left: each trusted proxy appended the address it received from.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    std::size_t comma = rest.rfind(',');
    std::string_view item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty()) continue;
    if (!is_trusted(item)) return std::string(item.substr(0, 64));
  }
  return peer;
}

Router::Impl::Impl(Services s, RouterConfig c)
    : svc(s),
      cfg(std::move(c)),
      feed(s.engine != nullptr ? std::make_unique<service::EngineFeed>(*s.engine) : nullptr),
      surveys(s.model, s.store, s.clock, s.random, feed.get(), s.comments),
      auth(s.store, s.clock),
      queries(s.model, s.store, s.clock, s.sealer),
      reports(s.engine != nullptr ? std::make_unique<service::ReportService>(s.model, *s.engine) : nullptr),
      limiter(s.clock, cfg.anonymous_limit) {
  boost::json::value model = modelfile::model_to_json_value(s.model);
  model_json = boost::json::serialize(model);
  boost::json::object tps;
  if (model.is_object() && model.as_object().contains("touchpoints")) {
    tps["items"] = model.as_object().at("touchpoints");
  } else {
    tps["items"] = boost::json::array();
  }
  touchpoints_json = boost::json::serialize(tps);
  schema_version = s.store.schema_version();
  for (domain::Language l : s.model.languages) enabled[static_cast<std::size_t>(l)] = true;
  if (s.model.languages.empty()) enabled[static_cast<std::size_t>(domain::Language::fi)] = true;
}

domain::Language Router::Impl::pick_language(const Call& call, domain::Language fallback) const {
  if (call.query.has("lang")) {
    auto l = domain::parse_language(call.query.first("lang"));
    if (l && enabled[static_cast<std::size_t>(*l)]) return *l;
  }
  std::string_view accept = call.req.header("accept-language");
  if (!accept.empty()) {
    if (auto l = domain::negotiate_language(accept, enabled)) return *l;
  }
  if (enabled[static_cast<std::size_t>(fallback)]) return fallback;
  for (domain::Language l : domain::kAllLanguages) {
    if (enabled[static_cast<std::size_t>(l)]) return l;
  }
  return domain::Language::fi;
}

web::PageContext Router::Impl::page_context(const Call& call, domain::Language lang) const {
  web::PageContext ctx;
  ctx.lang = lang;
  ctx.model = &svc.model;
  ctx.base_url = base_url(call);
  ctx.path = call.path;
  std::string rest;
  for (const auto& [k, v] : call.query.fields) {
    // Only parameters that select what a page shows; never tokens or form keys.
    if (k != "v" && k != "c" && k != "u" && k != "haku" && k != "unit" && k != "r") continue;
    if (!rest.empty()) rest += '&';
    rest += url_encode(k) + "=" + url_encode(v);
  }
  ctx.query_without_lang = rest;
  return ctx;
}

std::string Router::Impl::base_url(const Call& call) const {
  if (!cfg.base_url.empty()) return cfg.base_url;
  std::string_view host = call.req.header("host");
  if (!plausible_host(host)) host = "localhost";
  return "http://" + std::string(host);
}

std::string Router::Impl::new_key() const {
  return random_token(svc.random, 16);
}

Response Router::Impl::error_page(const Call& call, int status, web::ErrorPage kind,
                                  domain::Language lang) const {
  web::PageContext ctx = page_context(call, lang);
  ctx.path.clear();  // no language switch on error pages of POSTs etc.
  Response res = html_response(status, web::render_error_page(ctx, status, kind));
  res.set_header("Content-Language", std::string(domain::language_tag(lang)));
  return res;
}

std::optional<Response> Router::Impl::rate_limited(const Call& call, const std::string& bucket,
                                                   domain::Language lang) const {
  if (!cfg.rate_limit_enabled) return std::nullopt;
  std::string key =
      client_address(call.req.client_ip, call.req.header("x-forwarded-for"), cfg.trusted_proxies) + "|" +
      bucket;
  if (limiter.allow(key)) return std::nullopt;
  Response res = error_page(call, 429, web::ErrorPage::rate_limited, lang);
  long seconds = std::max(1L, static_cast<long>(std::ceil(limiter.retry_after_s(key))));
  res.set_header("Retry-After", std::to_string(seconds));
  return res;
}

std::optional<RawForm> Router::Impl::read_form(const Call& call, domain::Language& lang,
                                               Response& error) const {
  std::string_view type = call.req.header("content-type");
  std::string lower(type.substr(0, type.find(';')));
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  if (lower != "application/x-www-form-urlencoded") {
    error = error_page(call, 415, web::ErrorPage::bad_request, lang);
    return std::nullopt;
  }
  auto form = parse_form_urlencoded(call.req.body);
  if (!form) {
    int status = form.error().kind == ErrorKind::too_large ? 413 : 400;
    error = error_page(call, status, status == 413 ? web::ErrorPage::too_large : web::ErrorPage::bad_request,
                       lang);
    return std::nullopt;
  }
  if (auto l = domain::parse_language(form->first("lang")); l && enabled[static_cast<std::size_t>(*l)]) lang = *l;
  return std::move(*form);
}

Response Router::Impl::method_not_allowed(const Call& call, std::string_view allow) const {
  Response res =
      is_api(call.path)
          ? problem(405, "method_not_allowed",
                    "method " + call.req.method + " is not allowed here; allowed: " + std::string(allow),
                    call.path)
          : error_page(call, 405, web::ErrorPage::bad_request, pick_language(call, domain::Language::fi));
  res.set_header("Allow", std::string(allow));
  return res;
}

Result<domain::Principal> Router::Impl::caller(const Call& c) const {
  return auth.authenticate_request({c.req.header("authorization"), c.req.header("cookie"), c.req.method,
                                    c.req.header("x-csrf-token")});
}

Response Router::Impl::dispatch(const Call& c) const {
  const auto& s = c.segs;
  const std::string& m = c.req.method;
  const bool get = m == "GET" || m == "HEAD";
  const bool post = m == "POST";
  using L = domain::Language;
  auto only = [&](bool ok, std::string_view allow, auto&& fn) -> Response {
    if (!ok) return method_not_allowed(c, allow);
    return fn();
  };

  if (s.empty()) {
    if (!get) return method_not_allowed(c, "GET, HEAD");
    return see_other("/palaute");
  }
  const std::string& head = s[0];
  for (const Mount* mount : svc.mounts) {
    const std::string_view prefix = mount->prefix();
    if (c.path == prefix || (c.path.size() > prefix.size() && c.path.compare(0, prefix.size(), prefix) == 0 &&
                             c.path[prefix.size()] == '/')) {
      if (!mount->wants_caller()) {
        const Result<domain::Principal> none = fail(Error::unauthorized("this route does not authenticate"));
        return mount->handle(c.req, none);
      }
      return mount->handle(c.req, caller(c));
    }
  }
  if (head == "healthz" && s.size() == 1) return only(get, "GET, HEAD", [&] { return healthz(c); });
  if (head == "static" && s.size() == 2 && s[1] == "kaiku.css") {
    return only(get, "GET, HEAD", [&] {
      Response res;
      res.set_header("Content-Type", "text/css; charset=utf-8");
      res.set_header("Cache-Control", "public, max-age=3600");
      res.body = std::string(web::stylesheet());
      return res;
    });
  }
  if (head == "api" && s.size() >= 3 && s[1] == "v1") {
    if (s.size() == 3 && s[2] == "model") return only(get, "GET, HEAD", [&] { return api_model(c); });
    if (s.size() == 3 && s[2] == "touchpoints")
      return only(get, "GET, HEAD", [&] { return api_touchpoints(c); });
    if (s.size() == 3 && s[2] == "responses") {
      if (get) return api_list_responses(c);
      if (post) return api_submit_response(c);
      return method_not_allowed(c, "GET, HEAD, POST");
    }
    if (s.size() == 4 && s[2] == "responses")
      return only(get, "GET, HEAD", [&] { return api_get_response(c); });
    if (s.size() == 5 && s[2] == "responses" && s[4] == "original")
      return only(get, "GET, HEAD", [&] { return api_get_original(c); });
    if (s.size() == 3 && s[2] == "invitations")
      return only(post, "POST", [&] { return api_create_invitation(c); });
    if (s.size() == 4 && s[2] == "reports" && s[3] == "indicators")
      return only(get, "GET, HEAD", [&] { return api_report_indicators(c); });
    if (s.size() == 3 && s[2] == "events") return only(get, "GET, HEAD", [&] { return api_list_events(c); });
    return problem(404, "not_found", "no such API resource", c.path);
  }
  if (head == "s" && s.size() >= 2) {
    if (s.size() == 2) return only(get || post, "GET, HEAD, POST", [&] { return survey_page(c); });
    if (s.size() == 3 && s[2] == "kiitos") return only(get, "GET, HEAD", [&] { return survey_thanks(c); });
    if (s.size() == 3 && s[2] == "qr.svg") return only(get, "GET, HEAD", [&] { return qr_code(c); });
    if (s.size() == 3 && s[2] == "juliste")
      return only(get, "GET, HEAD", [&] { return poster(c, std::nullopt); });
    if (s.size() == 3 && s[2] == "affisch") return only(get, "GET, HEAD", [&] { return poster(c, L::sv); });
    if (s.size() == 3 && s[2] == "poster") return only(get, "GET, HEAD", [&] { return poster(c, L::en); });
  }
  if (head == "i" && s.size() == 2)
    return only(get || post, "GET, HEAD, POST", [&] { return invitation_page(c); });
  if (head == "k" && s.size() >= 2) {
    if (s.size() == 2) return only(get || post, "GET, HEAD, POST", [&] { return kiosk_page(c); });
    if (s.size() == 3 && s[2] == "jatko")
      return only(get || post, "GET, HEAD, POST", [&] { return kiosk_followup(c); });
    if (s.size() == 3 && s[2] == "kiitos") return only(get, "GET, HEAD", [&] { return kiosk_thanks(c); });
  }
  struct Named {
    const char* name;
    L lang;
  };
  static const Named kFeedback[] = {{"palaute", L::fi}, {"feedback", L::en}, {"respons", L::sv}};
  for (const auto& f : kFeedback) {
    if (head != f.name) continue;
    if (s.size() == 1) return only(get || post, "GET, HEAD, POST", [&] { return feedback_page(c, f.lang); });
    if (s.size() == 2 && s[1] == "kiitos")
      return only(get, "GET, HEAD", [&] { return feedback_thanks(c, f.lang); });
  }
  static const Named kA11y[] = {
      {"saavutettavuus", L::fi}, {"tillganglighet", L::sv}, {"accessibility", L::en}};
  for (const auto& a : kA11y) {
    if (head == a.name && s.size() == 1)
      return only(get, "GET, HEAD", [&] { return accessibility(c, a.lang); });
  }
  return error_page(c, 404, web::ErrorPage::not_found, pick_language(c, L::fi));
}

// The route pattern for the access log: never ids, tokens or query strings.
static std::string route_pattern(const std::vector<std::string>& s, const std::vector<const Mount*>& mounts) {
  if (s.empty()) return "/";
  const std::string& h = s[0];
  if (h == "s" || h == "k" || h == "i") {
    std::string r = "/" + h + (h == "i" ? "/{token}" : "/{touchpoint}");
    if (s.size() >= 3) r += "/" + (s[2].size() <= 16 ? s[2] : std::string("{other}"));
    return r;
  }
  for (const Mount* mount : mounts) {
    const std::string_view prefix = mount->prefix();
    if (!prefix.empty() && h == prefix.substr(1, prefix.find('/', 1) == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : prefix.find('/', 1) - 1)) {
      std::string r;
      for (const auto& seg : s) r += "/" + (seg.size() <= 24 ? seg : std::string("{other}"));
      return r;
    }
  }
  if (h == "api" || h == "static" || h == "healthz" || h == "palaute" || h == "feedback" || h == "respons" ||
      h == "saavutettavuus" || h == "tillganglighet" || h == "accessibility") {
    if (h == "api" && s.size() == 4 && s[2] == "responses") return "/api/v1/responses/{id}";
    if (h == "api" && s.size() == 5 && s[2] == "responses") return "/api/v1/responses/{id}/" + (s[4].size() <= 16 ? s[4] : std::string("{other}"));
    std::string r;
    for (const auto& seg : s) r += "/" + (seg.size() <= 24 ? seg : std::string("{other}"));
    return r;
  }
  return "/{unknown}";
}

Router::Router(Services services, RouterConfig config)
    : impl_(std::make_unique<Impl>(services, std::move(config))) {}

Router::~Router() = default;

const RouterConfig& Router::config() const {
  return impl_->cfg;
}

std::size_t body_limit_for(std::string_view target, std::size_t fallback,
                           const std::vector<std::pair<std::string, std::size_t>>& limits) {
  const std::string_view path = target.substr(0, target.find('?'));
  for (const auto& [prefix, limit] : limits) {
    if (path.size() >= prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
        (path.size() == prefix.size() || path[prefix.size()] == '/')) {
      return limit;
    }
  }
  return fallback;
}

bool Router::may_block(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return true;
  std::string_view path = split_target(req.target).first;
  for (const Mount* mount : impl_->svc.mounts) {
    if (path.rfind(mount->prefix(), 0) == 0) return true;
  }
  return path.rfind("/i/", 0) == 0 || path.rfind("/api/v1/responses", 0) == 0 ||
         path.rfind("/api/v1/invitations", 0) == 0 || path.rfind("/api/v1/reports", 0) == 0 ||
         path.rfind("/api/v1/events", 0) == 0;
}

Response Router::too_large(const Request& req) const {
  auto [path, query] = split_target(req.target);
  std::vector<std::string> segs = split_path(path);
  auto parsed = parse_form_urlencoded(query);
  Call call{req, std::string(path), std::string(query), parsed ? std::move(*parsed) : RawForm{}, segs};
  const std::size_t limit = body_limit_for(call.path, impl_->cfg.body_limit, impl_->cfg.body_limits);
  Response res =
      is_api(call.path)
          ? problem(413, "too_large", "the request body exceeds " + std::to_string(limit) + " bytes", call.path)
          : impl_->error_page(call, 413, web::ErrorPage::too_large,
                              impl_->pick_language(call, domain::Language::fi));
  res.route = route_pattern(segs, impl_->svc.mounts);
  add_security_headers(res);
  return res;
}

Response Router::overloaded(const Request& req, int retry_after_s) const {
  auto [path, query] = split_target(req.target);
  std::vector<std::string> segs = split_path(path);
  auto parsed = parse_form_urlencoded(query);
  Call call{req, std::string(path), std::string(query), parsed ? std::move(*parsed) : RawForm{}, segs};
  Response res = is_api(call.path)
                     ? problem(503, "unavailable", "the server is busy; try again shortly", call.path)
                     : impl_->error_page(call, 503, web::ErrorPage::internal,
                                         impl_->pick_language(call, domain::Language::fi));
  res.set_header("Retry-After", std::to_string(std::max(1, retry_after_s)));
  res.route = route_pattern(segs, impl_->svc.mounts);
  add_security_headers(res);
  return res;
}

Response Router::handle(const Request& req) const {
  auto [path, query] = split_target(req.target);
  std::vector<std::string> segs = split_path(path);
  Response res;
  try {
    auto parsed = parse_form_urlencoded(query);
    Call call{req, std::string(path), std::string(query), parsed ? std::move(*parsed) : RawForm{}, segs};
    const std::size_t limit = body_limit_for(call.path, impl_->cfg.body_limit, impl_->cfg.body_limits);
    if (req.body.size() > limit) {
      res = is_api(call.path)
                ? problem(413, "too_large", "the request body exceeds " + std::to_string(limit) + " bytes",
                          call.path)
                : impl_->error_page(call, 413, web::ErrorPage::too_large,
                                    impl_->pick_language(call, domain::Language::fi));
    } else if (!parsed) {
      res = is_api(call.path)
                ? problem(400, "invalid_input", "query string: " + parsed.error().message, call.path)
                : impl_->error_page(call, 400, web::ErrorPage::bad_request,
                                    impl_->pick_language(call, domain::Language::fi));
    } else {
      res = impl_->dispatch(call);
    }
  } catch (const std::exception& e) {
    spdlog::error("handler failed: {}", e.what());
    res = problem(500, "internal", "internal error", std::string(path));
  }
  res.route = route_pattern(segs, impl_->svc.mounts);
  add_security_headers(res);
  return res;
}

}  // namespace kaiku::http
