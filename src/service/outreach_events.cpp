// OutreachService: the events list for staff -- scope, filters, cursor paging and
// an audit entry written before anything is returned.
#include "service/outreach_internal.hpp"
#include "service/staff_read.hpp"

namespace kaiku::service {

constexpr const char* kAction = "events.list";

Result<EventPage> OutreachService::list_events(const domain::Principal& who, const EventListRequest& req) {
  const std::string asked = req.query_text.empty() ? "unit=" + who.scope_unit : req.query_text;
  const StaffRead read(model_, store_, who, clock_.now(), kAction, asked);
  if (auto st = read.check_reader("events"); !st) return fail(st.error());
  auto root = read.root(req.unit);
  if (!root) return fail(root.error());
  auto after = check_page_request(req.limit, req.from, req.to, req.cursor);
  if (!after) return fail(after.error());
  storage::EventQuery q;
  q.units = model_.subtree(*root);
  if (q.units.empty()) return fail(Error::forbidden("no units in scope"));
  // Events that reached no unit belong to no subtree: only the county level sees them.
  q.include_unmapped = *root == model_.county_id;
  q.after_id = *after;
  q.limit = req.limit;
  q.decision = req.decision;
  q.source = req.source;
  q.from = req.from;
  q.to = req.to;

  EventPage page;
  auto rows = store_.outreach().list_events(q);
  if (!rows) return fail(Error::unavailable("could not read events: " + rows.error().message));
  page.items = std::move(*rows);
  page.next_cursor = next_id_cursor(page.items, req.limit);
  const std::string object = (req.query_text.empty() ? "unit=" + *root : req.query_text) + " " + served_ids(page.items);
  if (auto st = read.audit_served(object, static_cast<std::int64_t>(page.items.size())); !st) return fail(st.error());
  return page;
}

}  // namespace kaiku::service
