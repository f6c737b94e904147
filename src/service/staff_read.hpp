// What every staff read of personal-adjacent data (responses, events) does the
// same way: the reader's role and scope, the subtree asked for, the page request,
// the id cursor, and the audit entry -- a denial is audited as "<action>.denied",
// a served read is audited before anything is returned, and a read that cannot be
// audited is not served.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// One read by `who` at `now`, audited under `action` ("responses.list", ...).
// `asked` is the request as written, used as the audit object of denials.
// References must outlive it.
class StaffRead {
 public:
  StaffRead(const domain::Model& model, storage::Store& store, const domain::Principal& who, TimePoint now,
            std::string action, std::string asked);

  // Records "<action>.denied" with object "<object> reason=<error message>"
  // (object defaults to `asked`) and returns `error`. A denial stays a denial
  // when even the audit fails.
  Error denied(Error error) const { return denied(asked_, std::move(error)); }
  Error denied(const std::string& object, Error error) const;

  // The reader may read `what` ("responses", "events": may_read_responses) and
  // has a scope unit in the current model. Errors (audited): forbidden.
  Status check_reader(std::string_view what) const;

  // The subtree root to read: `unit` when given, else the reader's scope unit.
  // Errors: invalid_input (unknown unit; not audited), forbidden (outside the
  // reader's scope; audited).
  Result<std::string> root(const std::optional<std::string>& unit) const;

  // The stored response `id` when its unit lies in the reader's subtree. A missing
  // response and one outside the subtree give the same not_found (audited, so that
  // existence does not leak); a storage failure is unavailable (not audited).
  Result<domain::Response> response_in_scope(std::int64_t id) const;

  // Records the served read "<action>" with `object` and `count`. unavailable
  // when it cannot be recorded: the caller then serves nothing.
  Status audit_served(const std::string& object, std::int64_t count) const;

 private:
  const domain::Model& model_;
  storage::Store& store_;
  const domain::Principal& who_;
  TimePoint now_;
  std::string action_;
  std::string asked_;
};

// A page request: `limit` 1..1000, `from` before `to` when both are given, and
// the id cursor (parse_id_cursor). Returns the id after which the page starts.
// Errors: invalid_input naming the parameter.
Result<std::int64_t> check_page_request(int limit, const std::optional<TimePoint>& from,
                                        const std::optional<TimePoint>& to, const std::string& cursor);

// The id after which a page starts: 0 for "", else the decimal id a previous
// page returned as next_cursor. Errors: invalid_input ("cursor: ...").
Result<std::int64_t> parse_id_cursor(const std::string& cursor);

// The cursor of the page after `items` (ascending by id) when the page is full
// (`limit` items), else nullopt: the last page.
template <class T>
std::optional<std::string> next_id_cursor(const std::vector<T>& items, int limit) {
  if (items.empty() || static_cast<int>(items.size()) != limit) return std::nullopt;
  return std::to_string(items.back().id);
}

// The ids served, for the audit object: "ids=none", "ids=3,5" (up to ten), or
// "ids=12-40" (first-last). T has an `id` member.
template <class T>
std::string served_ids(const std::vector<T>& items) {
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

}  // namespace kaiku::service
