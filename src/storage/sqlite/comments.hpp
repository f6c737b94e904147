// Internal: free-text analyses and sealed originals in the SQLite store (schema 5):
// the tables comment_insights and sealed_originals, responses.text_analysed, and
// the SQLite CommentRepository. Writes go through the shared Writer; reads
// through the ReadPool.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {

// True for an answer stored as a JSON text (not a number, "cant_say" or choices)
// that is not empty: the answers that get an insight. (The text "cant_say" is
// stored as, and reads back as, cant_say, so it is not one.)
bool is_open_text(const domain::Answer& a) noexcept;

// True when every open-text answer of `r` (is_open_text) has an insight in
// `r.insights`: the value of responses.text_analysed at append.
bool text_analysed(const domain::Response& r);

// Checks `r.insights` and `r.originals` against `r.answers` (pure): each names an
// open-text answer of `r`, at most one insight and one original per answer, and a
// sealed original is not empty. invalid_input naming the question otherwise.
Status check_comment_data(const domain::Response& r);

// Inserts `r.insights` and `r.originals` for the stored response `response_id`,
// inside the caller's transaction. An insight or original already stored for the
// same (response, question) is kept (the first analysis wins).
Status insert_comment_data(Connection& c, std::int64_t response_id, const domain::Response& r);

// Fills `insights` of every response of `page` (ascending by id, as listed) with
// one query for the whole page, each response's insights in the order of its
// answers.
Status attach_insights(Connection& c, std::vector<domain::Response>& page);

// The body of an originals purge: deletes sealed originals whose expires_at is at
// or before `now_ms`; sets `deleted`.
Status purge_originals_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t& deleted);

// Checkpoints the WAL into the database file and truncates it to zero bytes, so
// that old page images (replaced texts, deleted rows) leave the disk. Waits for
// readers as long as `c`'s busy timeout; unavailable when it could not copy back
// and truncate the whole WAL (readers kept it busy) or on an SQLite error.
Status truncate_wal(Connection& c);

class SqliteComments final : public CommentRepository {
 public:
  explicit SqliteComments(Context& ctx) : ctx_(ctx) {}
  Result<std::vector<domain::SealedOriginal>> originals(std::int64_t response_id, TimePoint now) override;
  Result<std::vector<domain::Response>> needing_analysis(std::int64_t after_id, int limit) override;
  Status store_analysis(const domain::Response& redacted) override;
  Result<std::int64_t> purge_expired_originals(TimePoint now) override;
  // Runs truncate_wal on a reader connection; when it fails, texts_replaced is set
  // so that the periodic purge tries again.
  Status flush_replaced_texts() override;

 private:
  Context& ctx_;
};

}  // namespace kaiku::storage::sqlite
