// Response builders shared by the routes: RFC 9457 problem documents, JSON and
// HTML responses, redirects, and the security headers every response carries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/response.hpp"
#include "http/message.hpp"

namespace kaiku::http {

// The Content-Security-Policy of every response.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

// Adds CSP, X-Content-Type-Options, Referrer-Policy, X-Frame-Options and, unless a
// Cache-Control header is already set, "Cache-Control: no-store".
void add_security_headers(Response& res);

// The HTTP status for an error kind (invalid_input 400, not_found 404, conflict
// 409, unauthorized 401, forbidden 403, rate_limited 429, too_large 413,
// unavailable 503, internal 500).
int status_for(ErrorKind kind) noexcept;

// An application/problem+json response: {"type","title","status","detail",
// "instance"} plus "errors":[{"field","code","detail"}] when `fields` is not empty.
// `type` is "urn:kaiku:problem:<kind>" (e.g. urn:kaiku:problem:forbidden).
Response problem(int status, std::string_view kind, std::string_view detail, std::string_view instance,
                 const std::vector<domain::FieldError>& fields = {});
// problem() for an Error, with the status from status_for().
Response problem(const Error& e, std::string_view instance);

// The answer to a failed authentication: 401 with `WWW-Authenticate: Bearer` for
// unauthorized, else the status of the error's kind (e.g. 503 when the store failed).
Response unauthorized(const Error& e, std::string_view instance);

// An application/json response.
Response json_response(int status, std::string body);
// A text/html; charset=utf-8 response.
Response html_response(int status, std::string body);
// A 303 See Other to `location` (a local path).
Response see_other(std::string location);

}  // namespace kaiku::http
