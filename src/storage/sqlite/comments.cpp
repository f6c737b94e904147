// SqliteComments and the schema-5 helpers every response write and read uses:
// insights (comment_insights), sealed originals (sealed_originals) and
// responses.text_analysed.
#include "storage/sqlite/comments.hpp"

#include <sqlite3.h>

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "storage/answers_json.hpp"
#include "storage/sqlite/cases.hpp"
#include "storage/fingerprint.hpp"

namespace kaiku::storage::sqlite {
namespace {

std::string json_strings(const std::vector<std::string>& values) {
  boost::json::array arr;
  arr.reserve(values.size());
  for (const auto& v : values) arr.emplace_back(v);
  return boost::json::serialize(arr);
}

// Decodes a JSON array of strings stored by json_strings; `where` names it in errors.
Result<std::vector<std::string>> strings_from_json(const std::string& json, const std::string& where) {
  std::vector<std::string> out;
  if (json == "[]") return out;  // the common case, without a parse
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return fail(Error::internal(where + ": expected a JSON array of strings"));
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) return fail(Error::internal(where + ": expected a JSON array of strings"));
    out.emplace_back(e.as_string());
  }
  return out;
}

// How an answer is stored in the answers JSON: number, "cant_say", array, text.
enum class AnswerKind { number, cant_say, choices, text };

AnswerKind kind_of(const domain::Answer& a) {
  if (a.number) return AnswerKind::number;
  if (a.cant_say) return AnswerKind::cant_say;
  if (!a.choices.empty()) return AnswerKind::choices;
  return AnswerKind::text;
}

// response_fingerprint(r) as if `r` had (or had not) come with a contact request.
std::string fingerprint_with_contact(domain::Response r, bool contact) {
  r.contact.reset();
  if (contact) r.contact.emplace();
  return response_fingerprint(r);
}

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

constexpr const char* kInsightColumns =
    "SELECT response_id, question_key, language, sentiment, themes, suggestion, placeholders FROM comment_insights ";

// Reads one row selected with kInsightColumns.
Result<domain::CommentInsight> row_to_insight(const Query& q) {
  domain::CommentInsight in;
  in.question_key = q.text(1);
  const std::string where = "comment_insights row (" + std::to_string(q.int64(0)) + ", " + in.question_key + ")";
  in.language = q.text(2);
  auto sentiment = domain::parse_sentiment(q.text(3));
  if (!sentiment) return fail(Error::internal(where + ": unknown sentiment '" + q.text(3) + "'"));
  in.sentiment = *sentiment;
  auto themes = strings_from_json(q.text(4), where + ": themes");
  if (!themes) return fail(themes.error());
  in.themes = std::move(*themes);
  in.suggestion = q.int64(5) != 0;
  auto placeholders = strings_from_json(q.text(6), where + ": placeholders");
  if (!placeholders) return fail(placeholders.error());
  in.placeholders = std::move(*placeholders);
  return in;
}

// Orders each response's insights as its answers are ordered.
void order_like_answers(domain::Response& r) {
  if (r.insights.size() < 2) return;
  auto position = [&r](const std::string& key) {
    for (std::size_t i = 0; i < r.answers.size(); ++i) {
      if (r.answers[i].key == key) return i;
    }
    return r.answers.size();
  };
  std::stable_sort(r.insights.begin(), r.insights.end(),
                   [&](const domain::CommentInsight& a, const domain::CommentInsight& b) {
                     return position(a.question_key) < position(b.question_key);
                   });
}

}  // namespace

bool is_open_text(const domain::Answer& a) noexcept {
  return kind_of(a) == AnswerKind::text && !a.text.empty() && a.text != "cant_say";
}

bool text_analysed(const domain::Response& r) {
  for (const auto& a : r.answers) {
    if (!is_open_text(a)) continue;
    bool found = false;
    for (const auto& in : r.insights) found = found || in.question_key == a.key;
    if (!found) return false;
  }
  return true;
}

Status check_comment_data(const domain::Response& r) {
  if (r.insights.empty() && r.originals.empty()) return {};
  std::set<std::string_view> open;
  for (const auto& a : r.answers) {
    if (is_open_text(a)) open.insert(a.key);
  }
  std::set<std::string_view> seen;
  for (const auto& in : r.insights) {
    if (open.count(in.question_key) == 0) {
      return fail(Error::invalid("insights: '" + in.question_key + "' is not a non-empty open-text answer of the response"));
    }
    if (!seen.insert(in.question_key).second) {
      return fail(Error::invalid("insights: two insights for '" + in.question_key + "'"));
    }
  }
  seen.clear();
  for (const auto& o : r.originals) {
    if (open.count(o.question_key) == 0) {
      return fail(Error::invalid("originals: '" + o.question_key + "' is not a non-empty open-text answer of the response"));
    }
    if (!seen.insert(o.question_key).second) {
      return fail(Error::invalid("originals: two originals for '" + o.question_key + "'"));
    }
    if (o.sealed.empty()) return fail(Error::invalid("originals: the sealed original of '" + o.question_key + "' is empty"));
  }
  return {};
}

Status insert_comment_data(Connection& c, std::int64_t response_id, const domain::Response& r) {
  for (const auto& in : r.insights) {
    auto q = c.query(
        "INSERT INTO comment_insights(response_id, question_key, language, sentiment, themes, suggestion,"
        " placeholders) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(response_id, question_key) DO NOTHING");
    if (!q) return fail(q.error());
    auto done = q->bind(1, response_id)
                    .bind(2, in.question_key)
                    .bind(3, in.language)
                    .bind(4, domain::sentiment_name(in.sentiment))
                    .bind(5, json_strings(in.themes))
                    .bind(6, std::int64_t{in.suggestion ? 1 : 0})
                    .bind(7, json_strings(in.placeholders))
                    .run();
    if (!done) return fail(done.error());
  }
  for (const auto& o : r.originals) {
    auto q = c.query(
        "INSERT INTO sealed_originals(response_id, question_key, sealed, expires_at) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(response_id, question_key) DO NOTHING");
    if (!q) return fail(q.error());
    auto done = q->bind(1, response_id).bind(2, o.question_key).bind_blob(3, bytes_of(o.sealed))
                    .bind(4, to_ms(o.expires_at)).run();
    if (!done) return fail(done.error());
  }
  return {};
}

Status attach_insights(Connection& c, std::vector<domain::Response>& page) {
  if (page.empty()) return {};
  const std::int64_t first = page.front().id;
  const std::int64_t last = page.back().id;
  // A dense page (scan: consecutive ids) reads one range of the primary key; a
  // sparse one (a unit's responses, those needing analysis) seeks its ids.
  const bool dense = last - first < 2 * static_cast<std::int64_t>(page.size());
  static const std::string range_sql =
      std::string(kInsightColumns) + "WHERE response_id BETWEEN ?1 AND ?2 ORDER BY response_id, question_key";
  static const std::string ids_sql = std::string(kInsightColumns) +
                                     "WHERE response_id IN (SELECT value FROM json_each(?1))"
                                     " ORDER BY response_id, question_key";
  auto q = c.query(dense ? range_sql.c_str() : ids_sql.c_str());
  if (!q) return fail(q.error());
  if (dense) {
    q->bind(1, first).bind(2, last);
  } else {
    std::string ids = "[";
    for (const auto& r : page) {
      if (ids.size() > 1) ids += ',';
      ids += std::to_string(r.id);
    }
    ids += ']';
    q->bind(1, ids);
  }
  std::size_t i = 0;
  bool any = false;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::int64_t id = q->int64(0);
    while (i < page.size() && page[i].id < id) ++i;
    if (i == page.size()) break;
    if (page[i].id != id) continue;  // a response of the range that is not on the page
    auto in = row_to_insight(*q);
    if (!in) return fail(in.error());
    page[i].insights.push_back(std::move(*in));
    any = true;
  }
  if (any) {
    for (auto& r : page) order_like_answers(r);
  }
  return {};
}

Status purge_originals_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t& deleted) {
  auto q = c.query("DELETE FROM sealed_originals WHERE expires_at <= ?1");
  if (!q) return fail(q.error());
  auto n = q->bind(1, now_ms).run();
  if (!n) return fail(n.error());
  deleted = *n;
  return {};
}

Status truncate_wal(Connection& c) {
  int log = -1;
  int checkpointed = -1;
  const int rc = sqlite3_wal_checkpoint_v2(c.raw(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &checkpointed);
  if (rc == SQLITE_BUSY || (rc == SQLITE_OK && log != checkpointed)) {
    return fail(Error::unavailable("WAL checkpoint: readers keep the WAL busy (" + std::to_string(checkpointed) +
                                   " of " + std::to_string(log) + " frames copied back); not truncated"));
  }
  if (rc != SQLITE_OK) {
    return fail(Error::unavailable(std::string("WAL checkpoint: ") + sqlite3_errstr(rc) + ": " +
                                   sqlite3_errmsg(c.raw())));
  }
  return {};
}

// ---- SqliteComments ----

Result<std::vector<domain::SealedOriginal>> SqliteComments::originals(std::int64_t response_id, TimePoint now) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  {
    auto q = (*conn)->query("SELECT 1 FROM responses WHERE id = ?1");
    if (!q) return fail(q.error());
    q->bind(1, response_id);
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) return fail(Error::not_found("response " + std::to_string(response_id) + " does not exist"));
  }
  auto q = (*conn)->query(
      "SELECT question_key, sealed, expires_at FROM sealed_originals WHERE response_id = ?1 AND expires_at > ?2"
      " ORDER BY question_key");
  if (!q) return fail(q.error());
  q->bind(1, response_id).bind(2, to_ms(now));
  std::vector<domain::SealedOriginal> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::vector<std::uint8_t> sealed = q->blob(1);
    out.push_back(domain::SealedOriginal{q->text(0), std::string(sealed.begin(), sealed.end()), from_ms(q->int64(2))});
  }
  return out;
}

Result<std::vector<domain::Response>> SqliteComments::needing_analysis(std::int64_t after_id, int limit) {
  if (limit < 1 || limit > 10000) {
    return fail(Error::invalid("limit: must be 1..10000, got " + std::to_string(limit)));
  }
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  // The partial index holds only the rows that need analysis: a range scan of them.
  // (kResponseSelect ends with "FROM responses ".)
  static const std::string sql = std::string(kResponseSelect) +
                                 "INDEXED BY responses_needing_analysis"
                                 " WHERE text_analysed = 0 AND id > ?1 ORDER BY id LIMIT ?2";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, after_id).bind(2, std::int64_t{limit});
  auto page = read_response_rows(*q);
  if (!page) return fail(page.error());
  if (Status s = attach_insights(**conn, *page); !s) return fail(s.error());
  return page;
}

Status SqliteComments::store_analysis(const domain::Response& redacted) {
  if (redacted.id <= 0) return fail(Error::invalid("store_analysis: the response's id must be set"));
  if (Status ok = check_comment_data(redacted); !ok) {
    return fail(Error::invalid("store_analysis: response " + std::to_string(redacted.id) + ": " + ok.error().message));
  }
  const std::string where = "store_analysis: response " + std::to_string(redacted.id);
  std::map<std::string_view, const domain::Answer*> given;
  for (const auto& a : redacted.answers) {
    if (!given.emplace(a.key, &a).second) {
      return fail(Error::invalid(where + ": answer '" + a.key + "' given twice"));
    }
  }
  bool replaced = false;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    replaced = false;
    domain::Response row;
    std::optional<std::string> fingerprint;  // NULL for rows from before fingerprints
    bool analysed = false;
    {
      static const std::string sql = std::string(kResponseSelect) + "WHERE id = ?1";
      auto q = c.query(sql.c_str());
      if (!q) return fail(q.error());
      q->bind(1, redacted.id);
      auto rows = read_response_rows(*q);
      if (!rows) return fail(rows.error());
      if (rows->empty()) return fail(Error::not_found("response " + std::to_string(redacted.id) + " does not exist"));
      row = std::move(rows->front());
    }
    {
      auto q = c.query("SELECT fingerprint, text_analysed FROM responses WHERE id = ?1");
      if (!q) return fail(q.error());
      q->bind(1, redacted.id);
      auto found = q->step();
      if (!found) return fail(found.error());
      if (!*found) return fail(Error::not_found("response " + std::to_string(redacted.id) + " does not exist"));
      if (!q->is_null(0)) fingerprint = q->text(0);
      analysed = q->int64(1) != 0;
    }
    // Whether the stored fingerprint counted a contact request (the details
    // themselves may have been purged since); a fingerprint matching neither
    // (none should) is recomputed as without one.
    const bool had_contact = fingerprint && fingerprint_with_contact(row, true) == *fingerprint;
    std::vector<domain::Answer>& stored = row.answers;
    // Same keys, same non-text values; texts may change (to their redacted form).
    if (stored.size() != given.size()) {
      return fail(Error::invalid(where + ": has " + std::to_string(given.size()) + " answers, the stored response " +
                                 std::to_string(stored.size()) + "; only the texts of open answers may change"));
    }
    bool changed = false;
    for (auto& s : stored) {
      auto it = given.find(s.key);
      if (it == given.end()) {
        return fail(Error::invalid(where + ": answer '" + s.key + "' is missing; only the texts of open answers may change"));
      }
      const domain::Answer& n = *it->second;
      const AnswerKind k = kind_of(s);
      const bool same = k == kind_of(n) && (k != AnswerKind::number || s.number == n.number) &&
                        (k != AnswerKind::choices || s.choices == n.choices);
      if (!same) {
        return fail(Error::invalid(where + ": answer '" + s.key + "' differs in more than its text; only the texts of "
                                   "open answers may change"));
      }
      if (k == AnswerKind::text && s.text != n.text) {
        s.text = n.text;
        changed = true;
      }
    }
    if (analysed) {
      // The first analysis stands; repeating it is harmless.
      if (!changed) return {};
      return fail(Error::conflict(where + " has been analysed already; its answers are not replaced again"));
    }
    {
      // The fingerprint follows the texts: one over the originals would let
      // anyone with the database confirm a guessed short text (a phone number, a
      // personal identity code) by hashing candidates. Redaction is deterministic,
      // so a retry of the submission, redacted at append, still matches.
      if (fingerprint && changed) *fingerprint = fingerprint_with_contact(row, had_contact);
      auto q = c.query("UPDATE responses SET answers = ?2, fingerprint = ?3, text_analysed = 1 WHERE id = ?1");
      if (!q) return fail(q.error());
      auto n = q->bind(1, redacted.id).bind(2, answers_to_json(stored)).bind_opt_text(3, fingerprint).run();
      if (!n) return fail(n.error());
    }
    replaced = changed;
    if (Status st = insert_comment_data(c, redacted.id, redacted); !st) return st;
    // Since schema 7: the inbox case gets its (redacted) text and analysis now.
    return refresh_case_text_in_transaction(c, redacted, to_ms(ctx_.clock.now()));
  });
  if (!s) return s;
  // secure_delete zeroes the replaced text in the page, but the WAL and (until the
  // next checkpoint) the database file still hold the old page: the next
  // periodic purge, or flush_replaced_texts, truncates the WAL.
  if (replaced && ctx_.texts_replaced) ctx_.texts_replaced->store(true);
  return {};
}

Result<std::int64_t> SqliteComments::purge_expired_originals(TimePoint now) {
  std::int64_t deleted = 0;
  Status s = ctx_.writer->submit([&](Connection& c) { return purge_originals_in_transaction(c, to_ms(now), deleted); });
  if (!s) return fail(s.error());
  return deleted;
}

Status SqliteComments::flush_replaced_texts() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  // Cleared first: a text replaced while the checkpoint runs sets it again.
  if (ctx_.texts_replaced) ctx_.texts_replaced->store(false);
  Status s = truncate_wal(**conn);
  if (!s && ctx_.texts_replaced) ctx_.texts_replaced->store(true);
  return s;
}

}  // namespace kaiku::storage::sqlite
