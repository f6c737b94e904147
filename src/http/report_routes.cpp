// GET /api/v1/reports/indicators: indicators from the reporting engine, as JSON,
// CSV (Accept: text/csv or format=csv) or Excel (Accept: the xlsx type or
// format=xlsx). Bearer or session auth; scoped to the caller's subtree. Every
// CSV and Excel export is audited (export.csv, export.xlsx) before it is served.
#include "http/problem.hpp"
#include "http/report_format.hpp"
#include "http/report_params.hpp"
#include "http/report_xlsx.hpp"
#include "http/router_impl.hpp"

namespace kaiku::http {

Response Router::Impl::api_report_indicators(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  if (!reports) return problem(503, "unavailable", "reports are not available on this server", c.path);
  if (!domain::may_read_responses(*who)) {
    return problem(403, "forbidden", "role '" + std::string(domain::role_name(who->role)) + "' may not read reports",
                   c.path);
  }
  const analytics::Day today = analytics::TimeZone::helsinki().local_day(svc.clock.now());
  auto format = parse_report_format(c.query, c.req.header("accept"));
  if (!format) {
    return problem(400, "invalid_input", format.error().message, c.path,
                   {{format.error().param, "invalid", format.error().message}});
  }
  if (*format != ReportFormat::json && !domain::may_export(*who)) {
    return problem(403, "forbidden", "role '" + std::string(domain::role_name(who->role)) + "' may not export",
                   c.path);
  }
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
  if (*format == ReportFormat::json) {
    res = json_response(200, report_json(*table));
    res.set_header("Vary", "Accept");
    return res;
  }
  const bool xlsx = *format == ReportFormat::xlsx;
  std::string body;
  if (xlsx) {
    const domain::OrgUnit* unit = svc.model.unit(table->unit);
    const std::string unit_name = unit ? unit->name.get(pick_language(c, domain::Language::fi)) : std::string();
    auto bytes = report_xlsx(*table, report_title(*table, unit_name));
    if (!bytes) return problem(bytes.error(), c.path);
    body = std::move(*bytes);
  } else {
    body = report_csv(*table);
  }
  // Audited before anything is served; an export that cannot be audited is not served.
  storage::AuditEntry entry;
  entry.at = svc.clock.now();
  entry.user_id = who->user_id;
  entry.login = who->login;
  entry.action = xlsx ? "export.xlsx" : "export.csv";
  entry.object = c.query_string;
  entry.count = static_cast<std::int64_t>(table->cells.size());
  if (auto audited = svc.store.audit().record(entry); !audited) {
    return problem(503, "unavailable", "the export could not be audited, so it is not served", c.path);
  }
  res.set_header("Content-Type", xlsx ? std::string(kXlsxMediaType) : "text/csv; charset=utf-8; header=present");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"" + report_file_name(*table, xlsx ? "xlsx" : "csv") + "\"");
  res.set_header("Vary", "Accept");
  res.body = std::move(body);
  return res;
}

}  // namespace kaiku::http
