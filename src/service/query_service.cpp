#include "service/query_service.hpp"

#include <charconv>

namespace kaiku::service {

ResponseQueryService::ResponseQueryService(const domain::Model& model, storage::Store& store, Clock& clock)
    : model_(model), store_(store), clock_(clock) {}

Result<ListPage> ResponseQueryService::list(const domain::Principal& who, const ListRequest& req) {
  if (!domain::may_read_responses(who)) {
    return fail(
        Error::forbidden("role '" + std::string(domain::role_name(who.role)) + "' may not read responses"));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model"));
  }
  if (req.include_contact && !domain::may_read_contact_details(who)) {
    return fail(Error::forbidden("role '" + std::string(domain::role_name(who.role)) +
                                 "' may not read contact details"));
  }
  std::string root = who.scope_unit;
  if (req.unit) {
    if (model_.unit(*req.unit) == nullptr)
      return fail(Error::invalid("unit: unknown unit '" + *req.unit + "'"));
    if (!domain::in_scope(model_, who, *req.unit)) {
      return fail(Error::forbidden("unit: '" + *req.unit + "' is outside your scope"));
    }
    root = *req.unit;
  }
  if (req.limit < 1 || req.limit > 1000) {
    return fail(Error::invalid("limit: expected 1-1000, got " + std::to_string(req.limit)));
  }
  if (req.from && req.to && *req.from >= *req.to) return fail(Error::invalid("from: must be before to"));
  storage::ResponseQuery q;
  q.units = model_.subtree(root);
  q.touchpoint = req.touchpoint;
  q.channel = req.channel;
  q.from = req.from;
  q.to = req.to;
  q.limit = req.limit;
  if (!req.cursor.empty()) {
    std::int64_t after = 0;
    const char* b = req.cursor.data();
    const char* e = b + req.cursor.size();
    auto [p, ec] = std::from_chars(b, e, after);
    if (ec != std::errc() || p != e || after < 0)
      return fail(Error::invalid("cursor: not a cursor this API returned"));
    q.after_id = after;
  }
  if (q.units.empty()) return fail(Error::forbidden("no units in scope"));

  auto rows = store_.responses().list(q);
  if (!rows) return fail(Error::unavailable("could not read responses: " + rows.error().message));
  ListPage page;
  page.items = std::move(*rows);
  if (req.include_contact) {
    for (const auto& r : page.items) {
      auto c = store_.responses().contact_for(r.id);
      if (!c) return fail(Error::unavailable("could not read contact details: " + c.error().message));
      if (*c) page.contacts.emplace(r.id, **c);
    }
  }
  if (static_cast<int>(page.items.size()) == req.limit && !page.items.empty()) {
    page.next_cursor = std::to_string(page.items.back().id);
  }
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = req.include_contact ? "responses.list+contact" : "responses.list";
  a.object = req.query_text.empty() ? "unit=" + root : req.query_text;
  a.count = static_cast<std::int64_t>(page.items.size());
  if (auto st = store_.audit().record(a); !st) {
    return fail(
        Error::unavailable("the read could not be audited, so it is not served: " + st.error().message));
  }
  return page;
}

}  // namespace kaiku::service
