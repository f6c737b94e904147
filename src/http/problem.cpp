#include "http/problem.hpp"

#include <boost/json.hpp>

namespace kaiku::http {

namespace json = boost::json;

void add_security_headers(Response& res) {
  res.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  if (res.header("Cache-Control").empty()) res.set_header("Cache-Control", "no-store");
}

int status_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_input:
      return 400;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

namespace {
const char* title_for(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Content too large";
    case 415:
      return "Unsupported media type";
    case 422:
      return "Unprocessable content";
    case 429:
      return "Too many requests";
    case 503:
      return "Service unavailable";
    default:
      return status >= 500 ? "Internal server error" : "Error";
  }
}
}  // namespace

Response problem(int status, std::string_view kind, std::string_view detail, std::string_view instance,
                 const std::vector<domain::FieldError>& fields) {
  json::object o;
  o["type"] = "urn:kaiku:problem:" + std::string(kind);
  o["title"] = title_for(status);
  o["status"] = status;
  o["detail"] = detail;
  o["instance"] = instance;
  if (!fields.empty()) {
    json::array errs;
    for (const auto& f : fields) {
      errs.push_back(json::object{{"field", f.field}, {"code", f.code}, {"detail", f.detail}});
    }
    o["errors"] = std::move(errs);
  }
  Response res;
  res.status = status;
  res.set_header("Content-Type", "application/problem+json");
  res.body = json::serialize(o);
  return res;
}

Response problem(const Error& e, std::string_view instance) {
  return problem(status_for(e.kind), to_string(e.kind), e.message, instance);
}

Response json_response(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_header("Content-Type", "application/json");
  res.body = std::move(body);
  return res;
}

Response html_response(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_header("Content-Type", "text/html; charset=utf-8");
  res.body = std::move(body);
  return res;
}

Response see_other(std::string location) {
  Response res;
  res.status = 303;
  res.set_header("Location", std::move(location));
  res.set_header("Content-Type", "text/plain; charset=utf-8");
  res.body = "See Other\n";
  return res;
}

Response unauthorized(const Error& e, std::string_view instance) {
  Response res = problem(e.kind == ErrorKind::unauthorized ? 401 : status_for(e.kind), to_string(e.kind),
                         e.message, instance);
  if (e.kind == ErrorKind::unauthorized) res.set_header("WWW-Authenticate", "Bearer realm=\"kaiku\"");
  return res;
}

}  // namespace kaiku::http
