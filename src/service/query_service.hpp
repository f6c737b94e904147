// Reading responses as staff: scope checks against the org tree, filters, cursor
// paging, and an audit entry for every read (written before any data is returned).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"
#include "storage/store.hpp"

namespace kaiku::security {
class Sealer;
}

namespace kaiku::service {

// The original (unredacted) text of one open answer, opened from its seal.
struct OriginalText {
  std::string question_key;
  std::string text;
};

// A list request, already parsed from the query string.
struct ListRequest {
  std::optional<std::string> unit;  // subtree root to read; must be in scope
  std::optional<std::string> touchpoint;
  std::optional<domain::Channel> channel;
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  std::string cursor;             // "" = from the start; else an opaque next_cursor
  int limit = 100;                // 1..1000
  bool include_contact = false;   // needs may_read_contact_details
  std::string query_text;         // the request as written, for the audit entry
};

struct ListPage {
  std::vector<domain::Response> items;                      // ascending by id
  std::map<std::int64_t, domain::ContactRequest> contacts;  // only with include_contact
  std::optional<std::string> next_cursor;                   // null on the last page
};

// Thread-safe; references must outlive it.
class ResponseQueryService {
 public:
  // `sealer` (optional, may be null; must outlive the service) opens sealed
  // originals; without it originals() answers unavailable.
  ResponseQueryService(const domain::Model& model, storage::Store& store, Clock& clock,
                       const security::Sealer* sealer = nullptr);

  // Lists responses visible to `who`. Errors: forbidden (role may not read, `unit`
  // outside the principal's subtree, contact details without the right),
  // invalid_input (unknown unit, bad limit/cursor, from >= to), unavailable (store
  // or audit failure: nothing is served when the read cannot be audited).
  // Every denied read (forbidden) is audited too, with action "<action>.denied".
  // The audit entry's object is the query plus the ids served ("ids=3,5" when
  // short, "ids=12-40" otherwise).
  Result<ListPage> list(const domain::Principal& who, const ListRequest& req);

  // One response by id, when its unit is inside the caller's subtree. Errors:
  // forbidden (role), not_found (unknown id, or outside the caller's scope: the
  // same answer so that existence does not leak), unavailable (store or audit
  // failure). Audited like list(): "responses.get", or "responses.get.denied".
  Result<domain::Response> get(const domain::Principal& who, std::int64_t id);

  // The original texts of the redacted open answers of response `id` (those not
  // yet expired, opened with the sealer). Only for roles
  // named in model.free_text.original_readers, and only within the caller's
  // subtree. Every read is audited first ("comments.original", object
  // "response=<id>", count = texts served); refusals as "comments.original.denied".
  // Errors: forbidden (role not a reader), not_found (unknown id, outside the
  // scope -- the same answer --, or no original kept: none, or all past their
  // retention), unavailable (no sealer, store, a seal that does not
  // open, or the audit failed: nothing is served).
  Result<std::vector<OriginalText>> originals(const domain::Principal& who, std::int64_t id);

 private:
  // Records an audit entry "<action>.denied" for a refused read and returns `error`.
  Error denied(const domain::Principal& who, std::string action, std::string object, Error error);

  const domain::Model& model_;
  storage::Store& store_;
  Clock& clock_;
  const security::Sealer* sealer_;
};

}  // namespace kaiku::service
