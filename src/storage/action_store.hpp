// Development actions, "you said, we did" (schema 8): what a unit changed because of
// feedback, linked to the cases (response ids) and themes that led to it.
// Contract owned by the actions work; see docs/workspace-api.md. The store checks
// shapes only; who may write what, and whether units, themes and cases make sense
// under the model, is the service's (service/action_service.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/casework.hpp"

namespace kaiku::storage {

// Filter for listing actions. The caller (service layer) restricts `units` to a
// subtree of the org tree; an empty `units` means "no rows", never "all".
struct ActionQuery {
  std::vector<std::string> units;      // the action's unit is one of these
  std::optional<bool> published;       // only published (true) or unpublished (false) ones
  std::optional<std::string> theme;    // only actions naming this theme id
  std::optional<std::int64_t> case_id; // only actions linked to this response id
  int limit = 1000;                    // 1..1000
};

class ActionRepository {
 public:
  virtual ~ActionRepository() = default;
  // Stores a new action durably: assigns `id`, sets created_at = updated_at = now
  // (the store's clock) and returns the stored action. `created_by` must name a
  // user; every id in `cases` must name a stored response. Errors: invalid_input
  // (empty unit or done_on, a duplicate theme or case, an unknown user or
  // response), unavailable (storage).
  virtual Result<domain::DevelopmentAction> create(const domain::DevelopmentAction& a) = 0;
  // Replaces the content of action `a.id` (unit, texts, done_on, themes, cases,
  // published) in one transaction; keeps its created_by and created_at, sets
  // updated_at = now; returns the stored action. Errors: not_found (no such
  // action), otherwise those of create().
  virtual Result<domain::DevelopmentAction> replace(const domain::DevelopmentAction& a) = 0;
  // Deletes action `id` with its theme and case links. not_found if absent.
  virtual Status remove(std::int64_t id) = 0;
  // One action; not_found if absent.
  virtual Result<domain::DevelopmentAction> get(std::int64_t id) = 0;
  // Actions matching `q`, newest first: by done_on descending, then id descending.
  // Errors: invalid_input (limit out of range), unavailable.
  virtual Result<std::vector<domain::DevelopmentAction>> list(const ActionQuery& q) = 0;
  // The distinct units that have at least one published action, sorted (for the
  // public page's list of areas).
  virtual Result<std::vector<std::string>> units_with_published() = 0;
};

}  // namespace kaiku::storage
