#include "service/query_service.hpp"

#include <charconv>

namespace kaiku::service {

namespace {
// The ids served, for the audit entry: the list when short, else first-last.
std::string served_ids(const std::vector<domain::Response>& items);
}  // namespace

ResponseQueryService::ResponseQueryService(const domain::Model& model, storage::Store& store, Clock& clock)
    : model_(model), store_(store), clock_(clock) {}

namespace {
std::string served_ids(const std::vector<domain::Response>& items) {
  if (items.empty()) return "ids=none";
  if (items.size() <= 10) {
    std::string out = "ids=";
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(items[i].id);
    }
    return out;
  }
  return "ids=" + std::to_string(items.front().id) + "-" + std::to_string(items.back().id);
}
}  // namespace

Error ResponseQueryService::denied(const domain::Principal& who, std::string action, std::string object,
                                   Error error) {
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = std::move(action) + ".denied";
  a.object = std::move(object) + " reason=" + error.message;
  a.count = 0;
  // A denied read serves nothing; when even the audit fails the answer stays the denial.
  (void)store_.audit().record(a);
  return error;
}

Result<ListPage> ResponseQueryService::list(const domain::Principal& who, const ListRequest& req) {
  const std::string action = req.include_contact ? "responses.list+contact" : "responses.list";
  const std::string asked = req.query_text.empty() ? "unit=" + who.scope_unit : req.query_text;
  if (!domain::may_read_responses(who)) {
    return fail(denied(
        who, action, asked,
        Error::forbidden("role '" + std::string(domain::role_name(who.role)) + "' may not read responses")));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(
        denied(who, action, asked,
               Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model")));
  }
  if (req.include_contact && !domain::may_read_contact_details(who)) {
    return fail(denied(who, action, asked,
                       Error::forbidden("role '" + std::string(domain::role_name(who.role)) +
                                        "' may not read contact details")));
  }
  std::string root = who.scope_unit;
  if (req.unit) {
    if (model_.unit(*req.unit) == nullptr)
      return fail(Error::invalid("unit: unknown unit '" + *req.unit + "'"));
    if (!domain::in_scope(model_, who, *req.unit)) {
      return fail(
          denied(who, action, asked, Error::forbidden("unit: '" + *req.unit + "' is outside your scope")));
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
  a.action = action;
  a.object = (req.query_text.empty() ? "unit=" + root : req.query_text) + " " + served_ids(page.items);
  a.count = static_cast<std::int64_t>(page.items.size());
  if (auto st = store_.audit().record(a); !st) {
    return fail(
        Error::unavailable("the read could not be audited, so it is not served: " + st.error().message));
  }
  return page;
}

Result<domain::Response> ResponseQueryService::get(const domain::Principal& who, std::int64_t id) {
  const std::string action = "responses.get";
  const std::string object = "id=" + std::to_string(id);
  if (!domain::may_read_responses(who)) {
    return fail(denied(
        who, action, object,
        Error::forbidden("role '" + std::string(domain::role_name(who.role)) + "' may not read responses")));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(
        denied(who, action, object,
               Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model")));
  }
  auto r = store_.responses().get(id);
  if (!r) {
    if (r.error().kind == ErrorKind::not_found) {
      return fail(denied(who, action, object, Error::not_found("no response " + std::to_string(id))));
    }
    return fail(Error::unavailable("could not read the response: " + r.error().message));
  }
  // Outside the caller's subtree it looks exactly like a missing response.
  if (model_.unit(r->unit) == nullptr || !domain::in_scope(model_, who, r->unit)) {
    return fail(denied(who, action, object + " scope=outside",
                       Error::not_found("no response " + std::to_string(id))));
  }
  storage::AuditEntry a;
  a.at = clock_.now();
  a.user_id = who.user_id;
  a.login = who.login;
  a.action = action;
  a.object = "unit=" + r->unit + "&touchpoint=" + r->touchpoint + " ids=" + std::to_string(id);
  a.count = 1;
  if (auto st = store_.audit().record(a); !st) {
    return fail(
        Error::unavailable("the read could not be audited, so it is not served: " + st.error().message));
  }
  return std::move(*r);
}

}  // namespace kaiku::service
