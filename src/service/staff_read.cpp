#include "service/staff_read.hpp"

#include <charconv>

namespace kaiku::service {

StaffRead::StaffRead(const domain::Model& model, storage::Store& store, const domain::Principal& who, TimePoint now,
                     std::string action, std::string asked)
    : model_(model), store_(store), who_(who), now_(now), action_(std::move(action)), asked_(std::move(asked)) {}

Error StaffRead::denied(const std::string& object, Error error) const {
  storage::AuditEntry a;
  a.at = now_;
  a.user_id = who_.user_id;
  a.login = who_.login;
  a.action = action_ + ".denied";
  a.object = object + " reason=" + error.message;
  a.count = 0;
  (void)store_.audit().record(a);  // a denied read serves nothing either way
  return error;
}

Status StaffRead::check_reader(std::string_view what) const {
  if (!domain::may_read_responses(who_)) {
    return fail(denied(Error::forbidden("role '" + std::string(domain::role_name(who_.role)) + "' may not read " +
                                        std::string(what))));
  }
  if (who_.scope_unit.empty() || model_.unit(who_.scope_unit) == nullptr) {
    return fail(denied(Error::forbidden("your scope unit '" + who_.scope_unit + "' is not in the current model")));
  }
  return {};
}

Result<domain::Response> StaffRead::response_in_scope(std::int64_t id) const {
  auto r = store_.responses().get(id);
  if (!r) {
    if (r.error().kind == ErrorKind::not_found) return fail(denied(Error::not_found("no response " + std::to_string(id))));
    return fail(Error::unavailable("could not read the response: " + r.error().message));
  }
  if (model_.unit(r->unit) == nullptr || !domain::in_scope(model_, who_, r->unit)) {
    return fail(denied(asked_ + " scope=outside", Error::not_found("no response " + std::to_string(id))));
  }
  return r;
}

Result<std::string> StaffRead::root(const std::optional<std::string>& unit) const {
  if (!unit) return who_.scope_unit;
  if (model_.unit(*unit) == nullptr) return fail(Error::invalid("unit: unknown unit '" + *unit + "'"));
  if (!domain::in_scope(model_, who_, *unit)) {
    return fail(denied(Error::forbidden("unit: '" + *unit + "' is outside your scope")));
  }
  return *unit;
}

Status StaffRead::audit_served(const std::string& object, std::int64_t count) const {
  storage::AuditEntry a;
  a.at = now_;
  a.user_id = who_.user_id;
  a.login = who_.login;
  a.action = action_;
  a.object = object;
  a.count = count;
  if (auto st = store_.audit().record(a); !st) {
    return fail(Error::unavailable("the read could not be audited, so it is not served: " + st.error().message));
  }
  return {};
}

Result<std::int64_t> check_page_request(int limit, const std::optional<TimePoint>& from,
                                        const std::optional<TimePoint>& to, const std::string& cursor) {
  if (limit < 1 || limit > 1000) {
    return fail(Error::invalid("limit: expected 1-1000, got " + std::to_string(limit)));
  }
  if (from && to && *from >= *to) return fail(Error::invalid("from: must be before to"));
  return parse_id_cursor(cursor);
}

Result<std::int64_t> parse_id_cursor(const std::string& cursor) {
  if (cursor.empty()) return std::int64_t{0};
  std::int64_t after = 0;
  const char* b = cursor.data();
  const char* e = b + cursor.size();
  auto [p, ec] = std::from_chars(b, e, after);
  if (ec != std::errc() || p != e || after < 0) return fail(Error::invalid("cursor: not a cursor this API returned"));
  return after;
}

}  // namespace kaiku::service
