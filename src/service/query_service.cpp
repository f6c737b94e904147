#include "service/query_service.hpp"

#include <algorithm>

#include "security/sealer.hpp"
#include "service/staff_read.hpp"

namespace kaiku::service {

ResponseQueryService::ResponseQueryService(const domain::Model& model, storage::Store& store, Clock& clock,
                                           const security::Sealer* sealer)
    : model_(model), store_(store), clock_(clock), sealer_(sealer) {}

Error ResponseQueryService::denied(const domain::Principal& who, std::string action, std::string object,
                                   Error error) {
  StaffRead read(model_, store_, who, clock_.now(), std::move(action), object);
  return read.denied(std::move(error));
}

Result<ListPage> ResponseQueryService::list(const domain::Principal& who, const ListRequest& req) {
  const std::string action = req.include_contact ? "responses.list+contact" : "responses.list";
  const std::string asked = req.query_text.empty() ? "unit=" + who.scope_unit : req.query_text;
  const StaffRead read(model_, store_, who, clock_.now(), action, asked);
  if (auto st = read.check_reader("responses"); !st) return fail(st.error());
  if (req.include_contact && !domain::may_read_contact_details(who)) {
    return fail(read.denied(Error::forbidden("role '" + std::string(domain::role_name(who.role)) +
                                             "' may not read contact details")));
  }
  auto root = read.root(req.unit);
  if (!root) return fail(root.error());
  auto after = check_page_request(req.limit, req.from, req.to, req.cursor);
  if (!after) return fail(after.error());
  storage::ResponseQuery q;
  q.units = model_.subtree(*root);
  q.touchpoint = req.touchpoint;
  q.channel = req.channel;
  q.from = req.from;
  q.to = req.to;
  q.limit = req.limit;
  q.after_id = *after;
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
  page.next_cursor = next_id_cursor(page.items, req.limit);
  const std::string object = (req.query_text.empty() ? "unit=" + *root : req.query_text) + " " + served_ids(page.items);
  if (auto st = read.audit_served(object, static_cast<std::int64_t>(page.items.size())); !st) return fail(st.error());
  return page;
}

Result<domain::Response> ResponseQueryService::get(const domain::Principal& who, std::int64_t id) {
  const std::string object = "id=" + std::to_string(id);
  const StaffRead read(model_, store_, who, clock_.now(), "responses.get", object);
  if (auto st = read.check_reader("responses"); !st) return fail(st.error());
  // Outside the caller's subtree it looks exactly like a missing response.
  auto r = read.response_in_scope(id);
  if (!r) return fail(r.error());
  if (auto st = read.audit_served("unit=" + r->unit + "&touchpoint=" + r->touchpoint + " ids=" + std::to_string(id), 1);
      !st) {
    return fail(st.error());
  }
  return std::move(*r);
}

Result<std::vector<OriginalText>> ResponseQueryService::originals(const domain::Principal& who, std::int64_t id) {
  const std::string object = "response=" + std::to_string(id);
  const TimePoint now = clock_.now();
  const StaffRead read(model_, store_, who, now, "comments.original", object);
  const std::string role(domain::role_name(who.role));
  const auto& readers = model_.free_text.original_readers;
  if (std::find(readers.begin(), readers.end(), role) == readers.end()) {
    return fail(read.denied(Error::forbidden("role '" + role + "' may not read original comments")));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(read.denied(Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model")));
  }
  if (sealer_ == nullptr) return fail(Error::unavailable("original comments are not available on this server"));
  if (auto r = read.response_in_scope(id); !r) return fail(r.error());
  auto sealed = store_.comments().originals(id, now);
  if (!sealed) {
    if (sealed.error().kind == ErrorKind::not_found) {
      return fail(read.denied(Error::not_found("no response " + std::to_string(id))));
    }
    return fail(Error::unavailable("could not read the originals: " + sealed.error().message));
  }
  if (sealed->empty()) {
    // Never kept (no open answer, or stored before originals were sealed) or past
    // its retention: nothing to read.
    return fail(read.denied(object + " originals=none",
                            Error::not_found("no original text is kept for response " + std::to_string(id))));
  }
  std::vector<OriginalText> out;
  out.reserve(sealed->size());
  for (const auto& s : *sealed) {
    auto plain = sealer_->open(std::vector<std::uint8_t>(s.sealed.begin(), s.sealed.end()));
    if (!plain) {
      return fail(Error::unavailable("the original of response " + std::to_string(id) + " answer '" +
                                     s.question_key + "' could not be opened (wrong key or damaged)"));
    }
    out.push_back({s.question_key, std::move(*plain)});
  }
  if (auto st = read.audit_served(object, static_cast<std::int64_t>(out.size())); !st) return fail(st.error());
  return out;
}

}  // namespace kaiku::service
