// The reporting engine: an in-memory, columnar representation of every answer,
// loaded at start (from a snapshot file and the storage) and updated on every
// write. Report queries scan it; no SQL runs at request time.
// Thread-safe: add*/mark* and query may be called from any thread (a shared lock:
// queries run in parallel, additions wait for running queries).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "analytics/calendar.hpp"
#include "analytics/query.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::analytics {

// An invitation as the engine counts it for response rates: no token, no event.
struct InvitationFact {
  std::string id;               // the invitation's public id
  std::int64_t seq = 0;         // the store's sequence number (for catching up)
  TimePoint created_at{};
  std::string unit;
  std::string touchpoint;
  domain::Channel channel = domain::Channel::sms;
  domain::Language language = domain::Language::fi;
  domain::AgeGroup age_group = domain::AgeGroup::unknown;
  bool used = false;
};

class Engine {
 public:
  // `model` gives the org tree, journeys of touchpoints, question types, the
  // reporting threshold and the targets; `zone` the calendar of days.
  explicit Engine(std::shared_ptr<const domain::Model> model,
                  const TimeZone& zone = TimeZone::helsinki());
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Replaces the model (a new version was published). Answers stay; they are
  // keyed by ids, so units/touchpoints/questions of any version keep their rows.
  void set_model(std::shared_ptr<const domain::Model> model);

  // Adds a stored response (r.id > 0). Idempotent: an id added before is ignored.
  // Numeric answers (nps, agreement incl. can't say, smileys, single choice as its
  // option's index) become columns; free text is not kept, but the analysis of it
  // (r.insights) is: one combined sentiment and suggestion flag per response
  // (comment_code) and the union of its themes (the first 64 theme ids seen; the
  // model's taxonomy gets its codes first). A response with `invitation` set marks
  // that invitation used. Responses with `supplements` != 0 (kiosk follow-ups) add
  // their answers but are not counted by "responses"; their comments do count in
  // "comments" and the comment shares (the tap they follow has none).
  void add(const domain::Response& r);
  // Adds an invitation (idempotent by id).
  void add_invitation(const InvitationFact& inv);

  // Answers a query. Errors (Error::invalid, message naming the parameter):
  // unknown indicator or unit, more than two or repeated group_by dimensions,
  // adaptive with a time dimension, from > to, a dimension that the indicator
  // lacks (response_rate has no respondent, theme or sentiment), "nps" in a
  // model without an NPS question, and a table too large for one query
  // ("group_by: ...": more than 20,000 cells, or more than about 4M counters,
  // e.g. a long period by day with standardisation). Suppression is applied here, always.
  Result<Table> query(const Query& q) const;

  // The number of responses added and the largest response id seen (0 if none),
  // and the largest invitation seq seen: where a catch-up from storage starts.
  std::int64_t response_count() const;
  std::int64_t max_response_id() const;
  std::int64_t max_invitation_seq() const;
  // Approximate bytes held by the engine's answer data (for benchmarks).
  std::size_t memory_bytes() const;

  // Writes everything to `path` atomically (temporary file, fsync, rename). The
  // lock is held only while the contents are copied into memory (a buffer of the
  // file's size), so add() is not blocked by the write and fsync.
  Status save_snapshot(const std::string& path) const;
  // Replaces the engine's contents with a snapshot written by save_snapshot.
  // A missing file is not_found; a damaged or foreign one (bad magic, version,
  // checksum, truncation) is Error::invalid with the reason, and the engine is
  // left empty so that the caller can rebuild from storage.
  Status load_snapshot(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::analytics
