// Reports for staff: indicators from the reporting engine, scoped to the
// caller's org subtree, and the feed that keeps the engine current on every write.
#pragma once

#include "analytics/engine.hpp"
#include "analytics/query.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/model.hpp"
#include "service/survey_service.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

// Thread-safe (the engine is); `model` and `engine` must outlive it.
class ReportService {
 public:
  ReportService(const domain::Model& model, analytics::Engine& engine);

  // Answers `q` for `who`. An empty q.unit means the principal's scope unit.
  // Errors: forbidden (a role that may not read reports: integration; a scope
  // unit missing from the model; q.unit outside the principal's subtree),
  // invalid_input (unknown unit -> message "unit: unknown unit '...'"; every
  // error of Engine::query, whose message names the parameter).
  // Suppression is the engine's: a Table never carries a hidden value.
  Result<analytics::Table> indicators(const domain::Principal& who, analytics::Query q) const;

 private:
  const domain::Model& model_;
  analytics::Engine& engine_;
};

// The engine's view of a stored invitation (no token hash, no event).
analytics::InvitationFact invitation_fact(const storage::Invitation& inv);

// Feeds `engine` with what SurveyService stores: engine.add for each new
// response, engine.add_invitation for each new invitation. Thread-safe.
class EngineFeed final : public StoreObserver {
 public:
  explicit EngineFeed(analytics::Engine& engine) : engine_(engine) {}
  void response_stored(const domain::Response& r) override;
  void invitation_created(const storage::Invitation& inv) override;

 private:
  analytics::Engine& engine_;
};

// How far storage has been read for an engine: the last response id and the
// last invitation seq read.
struct StorageCursor {
  std::int64_t response_id = 0;
  std::int64_t invitation_seq = 0;
};

// What one catch-up read from storage.
struct CatchUpCounts {
  std::int64_t responses = 0;    // rows read from storage
  std::int64_t invitations = 0;
  StorageCursor end;             // where reading ended (the last row of each read)
};

// Adds to `engine` every invitation with a seq above cursor.invitation_seq, then
// every response with an id above cursor.response_id (invitations first: a
// response through an invitation then finds it and marks it used), reading
// pages of `page` rows (1..10000), and moves `cursor` past each page added.
// Re-adding a row the engine has is harmless (idempotent). Errors: those of the
// store; `cursor` then stands after the last page added, so a later call resumes
// there. counts.end is the cursor at the end.
Result<CatchUpCounts> add_stored_rows(analytics::Engine& engine, storage::Store& store, StorageCursor& cursor,
                                      int page = 5000);

// Brings `engine` up to date with `store`: add_stored_rows from every response
// with an id above engine.max_response_id() - `overlap` and every invitation
// with a seq above engine.max_invitation_seq() - `overlap`. The overlap covers
// rows that reached the engine out of id order (concurrent submissions commit in
// one order and are added in another), so a snapshot taken in between misses
// none of them; re-adding is idempotent. counts.end is where reading ended: pass
// it to add_stored_rows to read only what is stored later.
Result<CatchUpCounts> catch_up(analytics::Engine& engine, storage::Store& store, std::int64_t overlap = 10000,
                               int page = 5000);

}  // namespace kaiku::service
