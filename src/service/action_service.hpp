// Development actions, "you said, we did": what managers changed because of
// feedback (docs/workspace-api.md, "Development actions"). Staff read and write the
// actions of their scope; the public pages read the published ones of an area.
// Every write (and every refused write) is audited as "actions.write"
// ("actions.write.denied").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/casework.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// Longest texts accepted, in characters (Unicode code points).
inline constexpr std::size_t kActionTitleMax = 200;
inline constexpr std::size_t kActionTextMax = 4000;
// Most themes and cases one action may name.
inline constexpr std::size_t kActionLinksMax = 100;

// The editable content of an action: the body of POST and PUT.
struct ActionInput {
  std::string unit;                    // org node where the change was made
  domain::LocalizedText title;         // fi required; sv too when published
  domain::LocalizedText description;
  domain::LocalizedText reason;
  std::string done_on;                 // YYYY-MM-DD, a real date
  std::vector<std::string> themes;     // theme ids of the model's taxonomy
  std::vector<std::int64_t> cases;     // ids of cases (responses) in the caller's scope
  bool published = false;
};

// A list request (query of GET /api/v1/actions).
struct ActionFilter {
  std::optional<std::string> unit;     // subtree root; default: the caller's scope unit
  std::optional<bool> published;
  std::optional<std::string> theme;
};

// An action as staff see it.
struct ActionView {
  domain::DevelopmentAction action;
  std::string created_by_login;        // "" when the user is unknown
};

// Thread-safe; references must outlive it.
class ActionService {
 public:
  ActionService(const domain::Model& model, storage::Store& store, Clock& clock);

  // The actions of `who`'s scope (or of the subtree of f.unit), newest first
  // (done_on, then id, descending), at most 1000. Errors: forbidden (a role that
  // reads nothing, a scope unit not in the model, f.unit outside the scope),
  // invalid_input (unknown unit "unit: ...", unknown theme "theme: ..."),
  // unavailable (storage).
  Result<std::vector<ActionView>> list(const domain::Principal& who, const ActionFilter& f) const;

  // One action of `who`'s scope. not_found for an unknown id and for an action
  // outside the scope alike.
  Result<ActionView> get(const domain::Principal& who, std::int64_t id) const;

  // Creates an action (created_by = who). Needs domain::may_edit_actions and
  // `in.unit` in the scope. Errors: forbidden (role, scope; audited as
  // "actions.write.denied"), invalid_input naming the field ("title.fi: ...",
  // "title.sv: needed to publish ...", "done_on: ...", "themes: ...",
  // "cases: ..."), unavailable (storage or audit).
  Result<ActionView> create(const domain::Principal& who, const ActionInput& in) const;

  // Replaces action `id` with `in` (create's rules; the action must be in the
  // scope: not_found otherwise, and so must the new unit).
  Result<ActionView> replace(const domain::Principal& who, std::int64_t id, const ActionInput& in) const;

  // Deletes action `id` (may_edit_actions; in the scope, not_found otherwise).
  Status remove(const domain::Principal& who, std::int64_t id) const;

  // For the public page: the published actions whose unit lies in `area`'s
  // subtree, newest first. not_found for an org node not in the model.
  Result<std::vector<domain::DevelopmentAction>> published_in(const std::string& area) const;

  // For the public page's index: the org nodes with at least one published action
  // in their subtree, in model order (the root first).
  Result<std::vector<const domain::OrgUnit*>> areas_with_published() const;

 private:
  Status check_writer(const domain::Principal& who, const std::string& object) const;
  Status check_input(const domain::Principal& who, const ActionInput& in, const std::string& object) const;
  Result<domain::DevelopmentAction> action_in_scope(const domain::Principal& who, std::int64_t id,
                                                    const std::string& action) const;
  Error denied(const domain::Principal& who, const std::string& object, Error error) const;
  Status audit_write(const domain::Principal& who, const std::string& object) const;
  std::vector<ActionView> views(std::vector<domain::DevelopmentAction> actions) const;

  const domain::Model& model_;
  storage::Store& store_;
  Clock& clock_;
};

// True when `date` is YYYY-MM-DD and a real calendar date (2026-02-29 is not).
bool is_calendar_date(const std::string& date);

}  // namespace kaiku::service
