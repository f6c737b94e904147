// The feedback inbox (schema 7): cases opened with responses, their handling state, history (notes, status changes, replies) and full-text search.
// Contract owned by the cases work; see docs/workspace-api.md.
//
// A case is written by ResponseRepository::append (and append_batch, and the SMS
// reply dialogue) in the same transaction as its response, when
// domain::Response::case_opening is set. Its texts (excerpt, full-text index) are
// only ever the redacted texts: a response stored before its analysis gets them
// when CommentRepository::store_analysis replaces its texts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/casework.hpp"
#include "domain/response.hpp"

namespace kaiku::storage {

// One case as the inbox lists it.
struct CaseRecord {
  std::int64_t id = 0;  // the response id
  std::string unit;
  std::string touchpoint;
  domain::Channel channel = domain::Channel::web;
  domain::Language language = domain::Language::fi;
  domain::CaseKind kind = domain::CaseKind::comment;
  domain::ScoreBand band = domain::ScoreBand::none;
  int nps = -1;
  bool has_contact = false;
  bool safety = false;
  bool alert = false;
  domain::CaseStatus status = domain::CaseStatus::new_case;
  std::int64_t assignee_user = 0;  // 0: none
  std::string assignee_login;      // "" when none
  std::string assigned_unit;       // "" when none
  TimePoint opened_at{};           // the response's answered_at
  TimePoint due_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> closed_at;
  std::optional<TimePoint> alert_notified_at;
  std::string sentiment;            // "" until analysed
  std::vector<std::string> themes;  // union over the response's comments
  bool suggestion = false;
  std::string excerpt;              // redacted, at most 200 characters; "" until analysed
};

// Where a page of the (newest first) list starts: after this case.
struct CaseCursor {
  TimePoint opened_at{};
  std::int64_t id = 0;
};

// Filter of list(). The caller (service) always resolves `units` to the
// principal's scope; an empty `units` means "no rows", never "all".
struct CaseQuery {
  std::vector<std::string> units;
  std::optional<std::string> touchpoint;
  std::optional<domain::Channel> channel;
  std::optional<domain::CaseKind> kind;
  std::optional<domain::ScoreBand> band;
  std::optional<std::string> theme;
  std::optional<std::string> sentiment;
  std::optional<domain::Language> language;
  std::vector<domain::CaseStatus> statuses;  // empty: any status
  std::optional<TimePoint> from;             // inclusive, by opened_at
  std::optional<TimePoint> to;               // exclusive
  // An FTS5 query expression over the redacted text (built by the service from
  // the user's words: every token quoted); "" = no text condition.
  std::string match;
  std::optional<std::int64_t> assignee_user;
  std::optional<std::string> assigned_unit;
  // Only cases new or in handling whose due_at is before `now`.
  bool overdue_only = false;
  bool alert_only = false;
  TimePoint now{};
  std::optional<CaseCursor> after;
  int limit = 50;  // 1..1000
  bool count_total = true;  // false: CasePage::total stays 0 (no count query)
};

struct CasePage {
  std::vector<CaseRecord> cases;
  std::optional<CaseCursor> next;  // set when a further page may exist
  // Matching cases, all pages, counted up to kCaseCountCap: a county-wide inbox
  // can hold millions, and counting them all would cost seconds per page. When
  // `total_capped` the true number is larger than `total` (== kCaseCountCap).
  std::int64_t total = 0;
  bool total_capped = false;
};

// The most cases list() counts for CasePage::total.
inline constexpr std::int64_t kCaseCountCap = 10000;

// One entry of a case's history.
struct CaseEvent {
  std::int64_t id = 0;       // assigned by the store
  std::int64_t case_id = 0;
  TimePoint at{};
  std::int64_t user_id = 0;  // 0: the system
  std::string login;
  std::string kind;          // "status", "assign", "note", "reply", "muistutus", "alert"
  std::string text;
  std::string status;        // the case's status after the event ("" = unchanged/not recorded)
};

// A change to one case, applied atomically by CaseRepository::update.
struct CaseChange {
  std::int64_t case_id = 0;
  // Optimistic check: the change applies only while the case has this status;
  // nullopt: whatever its status.
  std::optional<domain::CaseStatus> expected;
  std::optional<domain::CaseStatus> to;  // new status (closing deletes the contact details)
  // Assignment: set `assign` to change it; user 0 and unit "" clear it.
  bool assign = false;
  std::int64_t assignee_user = 0;
  std::string assigned_unit;
  // Appended to the history in order (case_id, at and status are filled in).
  std::vector<CaseEvent> events;
  TimePoint at{};
};

// Overdue and open cases of one unit.
struct UnitOverdue {
  std::string unit;
  std::int64_t overdue = 0;  // new or in handling and past due_at
  std::int64_t open = 0;     // new, in handling or answered
  std::optional<TimePoint> oldest_due_at;  // of the overdue ones
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  // The cases matching `q`, newest first (opened_at, then id, descending), with
  // the total count. invalid_input for a limit outside 1..1000 or a malformed
  // `match` expression.
  virtual Result<CasePage> list(const CaseQuery& q) = 0;
  // One case; not_found if there is none for that response id.
  virtual Result<CaseRecord> get(std::int64_t id) = 0;
  // Applies `change` in one durable transaction and returns the case after it.
  // not_found for an unknown case; conflict (nothing changed) when `expected` is
  // set and the case's status is another. Moving to closed sets closed_at and
  // deletes the response's contact details (contact_requests) in the same
  // transaction; moving away from closed clears closed_at. An assignee user must
  // exist (invalid_input otherwise).
  virtual Result<CaseRecord> update(const CaseChange& change) = 0;
  // The history of a case, oldest first (empty for an unknown case).
  virtual Result<std::vector<CaseEvent>> history(std::int64_t id) = 0;
  // Per unit of `units` with open cases: counts as of `now`, most overdue first
  // (then most open, then unit id).
  virtual Result<std::vector<UnitOverdue>> overdue(const std::vector<std::string>& units, TimePoint now) = 0;
  // Cases with `alert` whose managers have not been notified, ascending by id
  // after `after_id`, at most `limit` (1..1000).
  virtual Result<std::vector<CaseRecord>> pending_alerts(std::int64_t after_id, int limit) = 0;
  // Marks the alert of case `id` as notified at `at` (nullopt clears the mark);
  // not_found for an unknown case.
  virtual Status set_alert_notified(std::int64_t id, std::optional<TimePoint> at) = 0;
};

}  // namespace kaiku::storage
