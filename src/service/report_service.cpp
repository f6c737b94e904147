#include "service/report_service.hpp"

#include <algorithm>
#include <string>

namespace kaiku::service {

ReportService::ReportService(const domain::Model& model, analytics::Engine& engine)
    : model_(model), engine_(engine) {}

Result<analytics::Table> ReportService::indicators(const domain::Principal& who, analytics::Query q) const {
  if (!domain::may_read_responses(who)) {
    return fail(Error::forbidden("role '" + std::string(domain::role_name(who.role)) + "' may not read reports"));
  }
  if (who.scope_unit.empty() || model_.unit(who.scope_unit) == nullptr) {
    return fail(Error::forbidden("your scope unit '" + who.scope_unit + "' is not in the current model"));
  }
  if (q.unit.empty()) q.unit = who.scope_unit;
  if (model_.unit(q.unit) == nullptr) return fail(Error::invalid("unit: unknown unit '" + q.unit + "'"));
  if (!domain::in_scope(model_, who, q.unit)) {
    return fail(Error::forbidden("unit: '" + q.unit + "' is outside your scope"));
  }
  auto table = engine_.query(q);
  if (!table) {
    Error e = table.error();
    if (e.kind != ErrorKind::invalid_input) e.kind = ErrorKind::internal;
    return fail(std::move(e));
  }
  return table;
}

analytics::InvitationFact invitation_fact(const storage::Invitation& inv) {
  analytics::InvitationFact f;
  f.id = inv.id;
  f.seq = inv.seq;
  f.created_at = inv.created_at;
  f.unit = inv.unit;
  f.touchpoint = inv.touchpoint;
  f.channel = inv.channel;
  f.language = inv.language;
  f.age_group = inv.age_group;
  f.used = inv.used_at.has_value();
  return f;
}

void EngineFeed::response_stored(const domain::Response& r) { engine_.add(r); }

void EngineFeed::invitation_created(const storage::Invitation& inv) { engine_.add_invitation(invitation_fact(inv)); }

Result<CatchUpCounts> add_stored_rows(analytics::Engine& engine, storage::Store& store, StorageCursor& cursor,
                                      int page) {
  CatchUpCounts counts;
  for (;;) {
    auto rows = store.invitations().list(cursor.invitation_seq, page);
    if (!rows) return fail(rows.error());
    if (rows->empty()) break;
    for (const auto& inv : *rows) engine.add_invitation(invitation_fact(inv));
    counts.invitations += static_cast<std::int64_t>(rows->size());
    cursor.invitation_seq = rows->back().seq;
  }
  for (;;) {
    auto rows = store.responses().scan(cursor.response_id, page);
    if (!rows) return fail(rows.error());
    if (rows->empty()) break;
    for (const auto& r : *rows) engine.add(r);
    counts.responses += static_cast<std::int64_t>(rows->size());
    cursor.response_id = rows->back().id;
  }
  counts.end = cursor;
  return counts;
}

Result<CatchUpCounts> catch_up(analytics::Engine& engine, storage::Store& store, std::int64_t overlap, int page) {
  StorageCursor from;
  from.invitation_seq = std::max<std::int64_t>(0, engine.max_invitation_seq() - overlap);
  from.response_id = std::max<std::int64_t>(0, engine.max_response_id() - overlap);
  return add_stored_rows(engine, store, from, page);
}

}  // namespace kaiku::service
