// GET /api/v1/events: the patient-record events Kaiku received and what it decided
// about each (scheduled, excluded, unmapped, duplicate, rejected, with reason codes).
// Bearer auth; scoped to the caller's subtree; no phone number or identity in it.
#include <boost/json.hpp>

#include "analytics/calendar.hpp"
#include "http/problem.hpp"
#include "http/router_impl.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::http {

namespace json = boost::json;

namespace {

json::value optional_time(const std::optional<TimePoint>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::object event_json(const storage::EventRecord& e) {
  json::object o;
  o["id"] = e.id;
  o["source"] = domain::event_source_name(e.source);
  o["sender"] = e.sender;
  o["message_id"] = e.message_id;
  o["trigger"] = e.trigger;
  o["received_at"] = format_rfc3339(e.received_at);
  // The visit's day only (Europe/Helsinki): an exact time helps no report and
  // would help to find the patient in the record system.
  o["visit_date"] = e.visit_time
                        ? json::value(analytics::format_date(analytics::TimeZone::helsinki().local_day(*e.visit_time)))
                        : json::value(nullptr);
  o["unit"] = e.unit.empty() ? json::value(nullptr) : json::value(e.unit);
  o["touchpoint"] = e.touchpoint.empty() ? json::value(nullptr) : json::value(e.touchpoint);
  o["decision"] = domain::decision_name(e.decision);
  json::array reasons;
  for (domain::Reason r : e.reasons) reasons.emplace_back(domain::reason_name(r));
  o["reasons"] = std::move(reasons);
  if (!e.detail.empty()) o["detail"] = e.detail;
  if (e.duplicate_of != 0) o["duplicate_of"] = e.duplicate_of;
  o["send_at"] = optional_time(e.send_at);
  return o;
}

}  // namespace

Response Router::Impl::api_list_events(const Call& c) const {
  auto who = caller(c);
  if (!who) return unauthorized(who.error(), c.path);
  if (svc.outreach == nullptr) {
    return problem(503, "unavailable", "SMS outreach is not running on this server", c.path);
  }
  service::EventListRequest er;
  ListParams lp;
  if (auto bad = read_list_params(c, {"unit", "decision", "source"}, lp)) return *bad;
  er.from = lp.from;
  er.to = lp.to;
  er.cursor = lp.cursor;
  er.limit = lp.limit;
  if (c.query.has("unit")) er.unit = c.query.first("unit");
  if (c.query.has("decision")) {
    auto d = domain::parse_decision(c.query.first("decision"));
    if (!d) {
      return problem(400, "invalid_input",
                     "decision: expected scheduled, excluded, unmapped, duplicate or rejected", c.path);
    }
    er.decision = *d;
  }
  if (c.query.has("source")) {
    auto s = domain::parse_event_source(c.query.first("source"));
    if (!s) return problem(400, "invalid_input", "source: expected mllp, fhir or csv", c.path);
    er.source = *s;
  }
  er.query_text = c.query_string;
  auto page = svc.outreach->list_events(*who, er);
  if (!page) return problem(page.error(), c.path);
  json::array items;
  for (const auto& e : page->items) items.push_back(event_json(e));
  json::object o;
  o["items"] = std::move(items);
  o["next_cursor"] = page->next_cursor ? json::value(*page->next_cursor) : json::value(nullptr);
  return json_response(200, json::serialize(o));
}

}  // namespace kaiku::http
