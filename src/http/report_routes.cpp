// GET /api/v1/reports/indicators: indicators from the reporting engine, as JSON
// or (Accept: text/csv) CSV. Bearer auth; scoped to the caller's subtree.
#include <cctype>

#include "http/problem.hpp"
#include "http/report_format.hpp"
#include "http/report_params.hpp"
#include "http/router_impl.hpp"

namespace kaiku::http {
namespace {

// True when the Accept header asks for CSV (text/csv anywhere in it, before any JSON type).
bool wants_csv(std::string_view accept) {
  std::string lower(accept);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto csv = lower.find("text/csv");
  if (csv == std::string::npos) return false;
  const auto json = lower.find("application/json");
  return json == std::string::npos || csv < json;
}

}  // namespace

Response Router::Impl::api_report_indicators(const Call& c) const {
  auto who = auth.authenticate_header(c.req.header("authorization"));
  if (!who) return unauthorized(who.error(), c.path);
  if (!reports) return problem(503, "unavailable", "reports are not available on this server", c.path);
  if (!domain::may_read_responses(*who)) {
    return problem(403, "forbidden", "role '" + std::string(domain::role_name(who->role)) + "' may not read reports",
                   c.path);
  }
  const analytics::Day today = analytics::TimeZone::helsinki().local_day(svc.clock.now());
  auto q = parse_report_query(c.query, svc.model, today);
  if (!q) {
    return problem(400, "invalid_input", q.error().message, c.path,
                   {{q.error().param, "invalid", q.error().message}});
  }
  auto table = reports->indicators(*who, std::move(*q));
  if (!table) {
    const Error& e = table.error();
    if (e.kind == ErrorKind::invalid_input) {
      // The engine's and the service's messages start with the parameter's name.
      const auto colon = e.message.find(':');
      std::string param = colon == std::string::npos ? std::string() : e.message.substr(0, colon);
      if (param.find(' ') != std::string::npos) param.clear();
      std::vector<domain::FieldError> fields;
      if (!param.empty()) fields.push_back({param, "invalid", e.message});
      return problem(400, "invalid_input", e.message, c.path, fields);
    }
    return problem(e, c.path);
  }
  Response res;
  if (wants_csv(c.req.header("accept"))) {
    res.set_header("Content-Type", "text/csv; charset=utf-8; header=present");
    res.body = report_csv(*table);
  } else {
    res = json_response(200, report_json(*table));
  }
  res.set_header("Vary", "Accept");
  return res;
}

}  // namespace kaiku::http
