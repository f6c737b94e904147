// Private to src/http: the Router's state and its route handlers, split over
// router.cpp (dispatch, shared helpers), page_routes.cpp (respondent pages),
// api_routes.cpp (JSON API) and report_routes.cpp (reports).
#pragma once

#include <array>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/form.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "service/auth_service.hpp"
#include "service/query_service.hpp"
#include "service/rate_limiter.hpp"
#include "service/report_service.hpp"
#include "service/survey_service.hpp"
#include "web/pages.hpp"

namespace kaiku::http {

// One request, split up for the handlers.
struct Call {
  const Request& req;
  std::string path;               // without the query
  std::string query_string;       // raw, after '?'
  RawForm query;                  // parsed query
  std::vector<std::string> segs;  // path segments ("s", "tp1", "kiitos")
};

// The address rate limiting keys on: `peer`, or when `peer` is one of `trusted`
// (reverse proxies) the last address of `forwarded_for` (X-Forwarded-For) that is
// not trusted; `peer` when there is none. Pure; exposed for tests.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted);

// The paging and time parameters of list endpoints: from/to (RFC 3339), cursor,
// limit (1..1000, default 100).
struct ListParams {
  std::optional<TimePoint> from, to;
  std::string cursor;
  int limit = 100;
};
// Reads them from the query of `c` into `out`, and refuses any parameter that is
// neither one of them nor in `known`. A 400 problem naming the parameter on error.
std::optional<Response> read_list_params(const Call& c, std::initializer_list<std::string_view> known,
                                         ListParams& out);

struct Router::Impl {
  Impl(Services s, RouterConfig c);

  Services svc;
  RouterConfig cfg;
  std::unique_ptr<service::EngineFeed> feed;  // null without an engine; before `surveys`
  mutable service::SurveyService surveys;  // thread-safe; mutable because handle() is const
  service::AuthService auth;
  mutable service::ResponseQueryService queries;
  std::unique_ptr<service::ReportService> reports;  // null without an engine
  mutable service::RateLimiter limiter;
  std::string model_json;         // GET /api/v1/model body
  std::string touchpoints_json;   // GET /api/v1/touchpoints body
  std::array<bool, 4> enabled{};  // languages enabled in the model
  int schema_version = 0;         // read once at start (migrations run at open)

  Response dispatch(const Call& call) const;

  // --- shared helpers (router.cpp)
  // The principal of an API request: its bearer token, or the staff session
  // cookie with the CSRF rule (service::AuthService::authenticate_request).
  Result<domain::Principal> caller(const Call& call) const;
  // ?lang=, else Accept-Language, else `fallback` (if enabled), else the first enabled.
  domain::Language pick_language(const Call& call, domain::Language fallback) const;
  web::PageContext page_context(const Call& call, domain::Language lang) const;
  std::string base_url(const Call& call) const;
  std::string new_key() const;
  Response error_page(const Call& call, int status, web::ErrorPage kind, domain::Language lang) const;
  // nullopt when allowed; else the 429 page.
  std::optional<Response> rate_limited(const Call& call, const std::string& bucket,
                                       domain::Language lang) const;
  // A 405 with the Allow header: problem+json under /api (and /healthz), else an HTML page.
  Response method_not_allowed(const Call& call, std::string_view allow) const;
  // Parses a form POST body; nullopt + `error` filled with a 400/415 page (in `lang`)
  // on failure. On success a `lang` field naming an enabled language replaces `lang`,
  // so the answer keeps the language the form was shown in.
  std::optional<RawForm> read_form(const Call& call, domain::Language& lang, Response& error) const;

  // --- respondent pages (page_routes.cpp)
  Response survey_page(const Call& call) const;    // GET/POST /s/{tp}
  Response survey_thanks(const Call& call) const;  // GET /s/{tp}/kiitos
  std::optional<std::string> qr_target(const Call& call, const domain::Touchpoint& tp) const;
  Response qr_code(const Call& call) const;                                         // GET /s/{tp}/qr.svg
  Response poster(const Call& call, std::optional<domain::Language> forced) const;  // juliste/affisch
  Response invitation_page(const Call& call) const;                                 // GET/POST /i/{token}
  Response kiosk_page(const Call& call) const;                                      // GET/POST /k/{tp}
  Response kiosk_followup(const Call& call) const;                                  // GET/POST /k/{tp}/jatko
  Response kiosk_thanks(const Call& call) const;                                    // GET /k/{tp}/kiitos
  Response feedback_page(const Call& call, domain::Language path_lang) const;       // GET/POST /palaute ...
  Response feedback_thanks(const Call& call, domain::Language path_lang) const;
  Response accessibility(const Call& call, domain::Language path_lang) const;

  // --- API (api_routes.cpp)
  Response healthz(const Call& call) const;
  Response api_model(const Call& call) const;
  Response api_touchpoints(const Call& call) const;
  Response api_list_responses(const Call& call) const;
  Response api_get_response(const Call& call) const;  // GET /api/v1/responses/{id}
  Response api_get_original(const Call& call) const;  // GET /api/v1/responses/{id}/original
  Response api_submit_response(const Call& call) const;
  Response api_create_invitation(const Call& call) const;
  Response api_report_indicators(const Call& call) const;  // GET /api/v1/reports/indicators (report_routes.cpp)
  Response api_list_events(const Call& call) const;        // GET /api/v1/events (event_routes.cpp)
};

}  // namespace kaiku::http
