// The feedback inbox (docs/workspace-api.md, "The feedback inbox: cases"): scoped
// listing with filters and full-text search, one case with its history, and the
// handling workflow (status, assignment, notes, replies to the customer, muistutus),
// overdue lists per unit. Every read and change is audited; a case outside the
// caller's subtree looks exactly like a missing one (not_found).
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
#include "service/customer_messenger.hpp"
#include "storage/case_store.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// The query parameters of GET /api/v1/cases as given (nullopt: absent). Every one
// is validated by CaseService::list; an error names the parameter.
struct CaseFilter {
  std::optional<std::string> unit, touchpoint, channel, kind, band, theme, sentiment, status, language, from, to, q,
      assignee, overdue, alert, cursor, limit;
  // "false": no total is counted (CaseList::total stays unknown), e.g. for a few
  // example comments, where counting thousands of matches would cost more than the page.
  std::optional<std::string> total;
};

struct CaseList {
  std::vector<storage::CaseRecord> cases;
  std::optional<std::string> next_cursor;
  std::int64_t total = 0;
  bool total_capped = false;  // more than `total` match (storage::kCaseCountCap)
  bool total_counted = true;  // false when the filter's total was "false"
  TimePoint now{};  // the time the overdue flags are computed at
};

// How sending the complaint instructions of CaseService::muistutus went.
struct CaseNotification {
  std::string channel;  // "sms" or "email"
  bool sent = false;
  std::string error;    // why not, when !sent
};

// One case with everything the caller may see.
struct CaseDetail {
  storage::CaseRecord record;
  domain::Response response;                     // open text redacted; no contact
  std::optional<domain::ContactRequest> contact;  // only for contact readers, while not closed
  std::vector<std::string> can_reply;            // "sms", "email": what the contact allows and the server has
  std::vector<storage::CaseEvent> history;       // oldest first
  TimePoint now{};
  std::optional<CaseNotification> notification;  // muistutus with notify and a contact only
};

// True when the case is new or in handling and past its due date at `now`.
bool case_overdue(const storage::CaseRecord& c, TimePoint now) noexcept;

// Builds an FTS5 query from the user's words (`q`): every word quoted (so no
// operator of the query language can be written), a trailing '*' kept as a prefix
// search, characters other than letters and digits separating words; all words
// must occur. invalid_input ("q: ...") when there is no word, more than 16 words
// or more than 200 bytes.
Result<std::string> fts_query(std::string_view q);

// The text sent to a customer whose case is marked muistutus: how to file a formal
// complaint (model.contacts.complaints_url / complaints_phone) in `language`
// (fi, sv, en; others get Finnish). "" when the model has neither.
std::string complaint_instructions(const domain::Model& model, domain::Language language);

// Thread-safe (state lives in the store). References must outlive it.
class CaseService {
 public:
  // `messenger` may be null: replies and muistutus notifications are then unavailable.
  CaseService(const domain::Model& model, storage::Store& store, Clock& clock, CustomerMessenger* messenger);

  // The cases in the caller's scope matching `f`, newest first. Audited cases.list.
  // invalid_input naming the parameter; forbidden for a role that may not read
  // responses or a unit outside the scope (audited denial).
  Result<CaseList> list(const domain::Principal& who, const CaseFilter& f) const;
  // One case. Audited cases.get (and contact.read when the contact is included).
  Result<CaseDetail> get(const domain::Principal& who, std::int64_t id) const;
  // Moves the case to `status` (case_status_name) with an optional note; conflict
  // when the move is not allowed (domain::case_transition_allowed) or the case
  // changed meanwhile. Closing deletes the contact details. Audited case.status.
  Result<CaseDetail> set_status(const domain::Principal& who, std::int64_t id, std::string_view status,
                                const std::string& note) const;
  // Assigns to a user (login, or "me": takes the case, new becomes in_handling) or
  // to a unit (exactly one of them). The user must exist, be enabled, may handle
  // cases and have the case's unit in scope; the unit must be in the caller's
  // scope (forbidden) and be the case's unit or an ancestor of it (invalid_input
  // "unit: ...": the staff of any other unit could not see the case). Audited case.assign.
  Result<CaseDetail> assign(const domain::Principal& who, std::int64_t id, const std::optional<std::string>& user,
                            const std::optional<std::string>& unit) const;
  // An internal note (1..4000 characters); returns the history entry. Audited case.note.
  Result<storage::CaseEvent> add_note(const domain::Principal& who, std::int64_t id, const std::string& text) const;
  // Replies to the customer through CustomerMessenger by `channel` ("sms",
  // "email"): only when they asked for contact, the details are still kept and the
  // case is new, in handling or answered (conflict otherwise); unavailable when the
  // messenger or the channel is not configured. Once sent, the history gets a
  // "reply" entry with the text whatever a colleague did meanwhile, and the case
  // becomes answered unless it was closed or marked muistutus meanwhile (it then
  // keeps that status). Audited case.reply.
  Result<ReplyReceipt> reply(const domain::Principal& who, std::int64_t id, std::string_view channel,
                             const std::string& text) const;
  // Marks the case a formal complaint (status muistutus; conflict when the case
  // changed meanwhile). With `notify` and a contact it then sends
  // complaint_instructions by the customer's channel (SMS when they gave a phone
  // and SMS is configured, else e-mail): whether a channel and instructions exist
  // is checked before anything changes (conflict/unavailable); when the send itself
  // fails, the case stays muistutus, the history says so and `notification`
  // carries the error. Audited case.status (and case.reply for the message).
  Result<CaseDetail> muistutus(const domain::Principal& who, std::int64_t id, bool notify) const;
  // Open and overdue cases per unit of the caller's scope, most overdue first.
  Result<std::vector<storage::UnitOverdue>> overdue(const domain::Principal& who) const;

 private:
  // The case `id` when the caller may handle cases and it lies in their scope.
  Result<storage::CaseRecord> handled_case(const domain::Principal& who, std::int64_t id,
                                           const std::string& action) const;
  // The case as returned; audits cases.get when `audit`, and contact.read always
  // when the contact details are included.
  Result<CaseDetail> detail(const domain::Principal& who, storage::CaseRecord record, bool audit) const;
  Status audit(const domain::Principal& who, const std::string& action, const std::string& object,
               std::int64_t count) const;
  std::vector<std::string> reply_channels(const storage::CaseRecord& c,
                                          const std::optional<domain::ContactRequest>& contact) const;

  const domain::Model& model_;
  storage::Store& store_;
  Clock& clock_;
  CustomerMessenger* messenger_;
};

}  // namespace kaiku::service
