// SqliteResponses: append (group commit, idempotent, invitation consumption),
// append_batch, list/scan/get (no contact details; with insights, never the sealed
// originals), contact_for (expiring), purge.
#include <boost/json.hpp>

#include "domain/language.hpp"
#include "storage/answers_json.hpp"
#include "storage/fingerprint.hpp"
#include "storage/sqlite/cases.hpp"
#include "storage/sqlite/comments.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {
const char* const kResponseSelect =
    "SELECT id, submission_key, model_version, touchpoint, unit, survey, channel, language, respondent,"
    " answered_at, answers, invitation, supplements, feedback_kind, age_group, late FROM responses ";

namespace {

// Reads one row selected with kResponseSelect.
Result<domain::Response> row_to_response(const Query& q) {
  domain::Response r;
  r.id = q.int64(0);
  r.submission_key = q.text(1);
  r.model_version = q.text(2);
  r.touchpoint = q.text(3);
  r.unit = q.text(4);
  r.survey = q.text(5);
  const std::string where = "responses row " + std::to_string(r.id);
  auto channel = domain::parse_channel(q.text(6));
  if (!channel) return fail(Error::internal(where + ": unknown channel '" + q.text(6) + "'"));
  r.channel = *channel;
  auto language = domain::parse_language(q.text(7));
  if (!language) return fail(Error::internal(where + ": unknown language '" + q.text(7) + "'"));
  r.language = *language;
  auto respondent = domain::parse_respondent(q.text(8));
  if (!respondent) return fail(Error::internal(where + ": unknown respondent '" + q.text(8) + "'"));
  r.respondent = *respondent;
  r.answered_at = from_ms(q.int64(9));
  auto answers = answers_from_json(q.text(10));
  if (!answers) return fail(Error::internal(where + ": " + answers.error().message));
  r.answers = std::move(*answers);
  r.invitation = q.text(11);
  r.supplements = q.opt_int64(12).value_or(0);
  r.feedback_kind = q.text(13);
  auto age_group = domain::parse_age_group(q.text(14));
  if (!age_group) return fail(Error::internal(where + ": unknown age_group '" + q.text(14) + "'"));
  r.age_group = *age_group;
  r.late = q.int64(15) != 0;
  return r;
}

}  // namespace

Result<std::vector<domain::Response>> read_response_rows(Query& q) {
  std::vector<domain::Response> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto r = row_to_response(q);
    if (!r) return fail(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

namespace {

// A page of responses from `q`, with their insights.
Result<std::vector<domain::Response>> read_page(Connection& c, Query& q) {
  auto page = read_response_rows(q);
  if (!page) return fail(page.error());
  if (Status s = attach_insights(c, *page); !s) return fail(s.error());
  return page;
}

// The response already stored under `r.submission_key`, if any. Same content
// (fingerprint) or a row from before fingerprints: a duplicate, `out` set, true.
// Other content: conflict. No such key: false.
Result<bool> find_by_submission_key(Connection& c, const domain::Response& r, const std::string& fingerprint,
                                    AppendOutcome& out) {
  auto q = c.query("SELECT id, fingerprint FROM responses WHERE submission_key = ?1");
  if (!q) return fail(q.error());
  q->bind(1, r.submission_key);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return false;
  if (!q->is_null(1) && q->text(1) != fingerprint) {
    return fail(Error::conflict(std::string(kSubmissionKeyReused) +
                                "; the first submission with this key stands and nothing new was stored"));
  }
  out = {q->int64(0), true};
  return true;
}

std::string already_followed_up(std::int64_t tap) {
  return "response " + std::to_string(tap) + " already has a follow-up";
}

}  // namespace

Status append_in_transaction(Connection& c, const domain::Response& r, const std::string& answers,
                             const std::string& fingerprint, std::int64_t now, std::int64_t contact_expires,
                             AppendOutcome& out) {
  if (Status ok = check_comment_data(r); !ok) return ok;
  // Idempotency first: a key seen before (also earlier in this same batch) wins,
  // even if its invitation has been used since (by that very submission) or its
  // tap has its follow-up (this very one) -- provided the content is the same.
  {
    auto found = find_by_submission_key(c, r, fingerprint, out);
    if (!found) return fail(found.error());
    if (*found) return {};
  }
  if (r.supplements != 0) {
    // One follow-up per tap (index responses_supplements; the partial UNIQUE
    // index responses_one_followup backs this up, see schema version 2).
    auto q = c.query("SELECT id FROM responses WHERE supplements = ?1 LIMIT 1");
    if (!q) return fail(q.error());
    q->bind(1, r.supplements);
    auto row = q->step();
    if (!row) return fail(row.error());
    if (*row) return fail(Error::conflict(already_followed_up(r.supplements)));
  }
  if (!r.invitation.empty()) {
    // Consuming the invitation also forgets the outside event it was sent for
    // (privacy): the response keeps the invitation id, and the invitation no
    // longer says which visit it was. used_at and the UNIQUE index on
    // responses.invitation keep it single-use.
    auto q = c.query(
        "UPDATE invitations SET used_at = ?1, event_ref = '' WHERE id = ?2 AND used_at IS NULL AND expires_at > ?1");
    if (!q) return fail(q.error());
    auto changed = q->bind(1, now).bind(2, r.invitation).run();
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::conflict("invitation " + r.invitation + " is used, expired or unknown"));
  }
  {
    auto q = c.query(
        "INSERT INTO responses(submission_key, model_version, touchpoint, unit, survey, channel, language,"
        " respondent, answered_at, answers, invitation, supplements, feedback_kind, created_at, fingerprint,"
        " age_group, late, text_analysed)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        " ON CONFLICT(submission_key) DO NOTHING");
    if (!q) return fail(q.error());
    q->bind(1, r.submission_key)
        .bind(2, r.model_version)
        .bind(3, r.touchpoint)
        .bind(4, r.unit)
        .bind(5, r.survey)
        .bind(6, domain::channel_name(r.channel))
        .bind(7, domain::language_tag(r.language))
        .bind(8, domain::respondent_name(r.respondent))
        .bind(9, to_ms(r.answered_at))
        .bind(10, answers)
        .bind(13, r.feedback_kind)
        .bind(14, now)
        .bind(15, fingerprint)
        .bind(16, domain::age_group_name(r.age_group))
        .bind(17, std::int64_t{r.late ? 1 : 0})
        .bind(18, std::int64_t{text_analysed(r) ? 1 : 0});
    if (r.invitation.empty()) q->bind_null(11); else q->bind(11, r.invitation);
    if (r.supplements == 0) q->bind_null(12); else q->bind(12, r.supplements);
    auto changed = q->run();
    if (!changed) {
      Error e = changed.error();
      if (e.kind == ErrorKind::invalid_input && r.supplements != 0) {
        e.message = "supplements: response " + std::to_string(r.supplements) + " does not exist (" + e.message + ")";
      } else if (e.kind == ErrorKind::conflict && r.supplements != 0 &&
                 (e.message.find("responses.supplements") != std::string::npos ||
                  e.message.find("responses_one_followup") != std::string::npos)) {
        e.message = already_followed_up(r.supplements);
      }
      return fail(std::move(e));
    }
    if (*changed == 0) {  // another process stored the key between our check and insert
      auto found = find_by_submission_key(c, r, fingerprint, out);
      if (!found) return fail(found.error());
      if (!*found) return fail(Error::internal("submission key vanished during append"));
      return {};
    }
  }
  out = {c.last_insert_rowid(), false};
  if (r.contact) {
    auto q = c.query(
        "INSERT INTO contact_requests(response_id, name, phone, email, consent, created_at, expires_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q) return fail(q.error());
    auto done = q->bind(1, out.id)
                    .bind(2, r.contact->name)
                    .bind(3, r.contact->phone)
                    .bind(4, r.contact->email)
                    .bind(5, std::int64_t{r.contact->consent ? 1 : 0})
                    .bind(6, now)
                    .bind(7, contact_expires)
                    .run();
    if (!done) return fail(done.error());
  }
  // Since schema 5: the analyses and sealed originals of its open answers.
  if (Status st = insert_comment_data(c, out.id, r); !st) return st;
  // Since schema 7: the inbox case it opens (domain::open_case, set by the service).
  return insert_case_in_transaction(c, out.id, r, now);
}

Status purge_contacts_in_transaction(Connection& c, std::int64_t now_ms, std::int64_t& deleted) {
  auto q = c.query("DELETE FROM contact_requests WHERE expires_at <= ?1");
  if (!q) return fail(q.error());
  auto n = q->bind(1, now_ms).run();
  if (!n) return fail(n.error());
  deleted = *n;
  return {};
}

namespace {

// The checks append() makes before touching the database.
Status check_appendable(const domain::Response& r) {
  if (r.submission_key.empty()) return fail(Error::invalid("submission_key: must not be empty"));
  if (r.supplements < 0) return fail(Error::invalid("supplements: must be a response id"));
  return {};
}

}  // namespace

Result<AppendOutcome> SqliteResponses::append(const domain::Response& r) {
  if (Status ok = check_appendable(r); !ok) return fail(ok.error());
  const std::string answers = answers_to_json(r.answers);
  const std::string fingerprint = response_fingerprint(r);
  const std::int64_t now = to_ms(ctx_.clock.now());
  const std::int64_t contact_expires = now + ctx_.options.contact_retention.count();
  AppendOutcome out;
  Status s = ctx_.writer->submit([&](Connection& c) {
    return append_in_transaction(c, r, answers, fingerprint, now, contact_expires, out);
  });
  if (!s) return fail(s.error());
  return out;
}

Result<std::vector<AppendOutcome>> SqliteResponses::append_batch(const std::vector<domain::Response>& rs) {
  std::vector<AppendOutcome> out(rs.size());
  if (rs.empty()) return out;
  // Everything that does not need the database is prepared here, off the writer thread.
  std::vector<std::string> answers(rs.size()), fingerprints(rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (Status ok = check_appendable(rs[i]); !ok) {
      return fail(Error{ok.error().kind, "response " + std::to_string(i) + " of the batch: " + ok.error().message});
    }
    answers[i] = answers_to_json(rs[i].answers);
    fingerprints[i] = response_fingerprint(rs[i]);
  }
  const std::int64_t now = to_ms(ctx_.clock.now());
  const std::int64_t contact_expires = now + ctx_.options.contact_retention.count();
  // One job: the writer runs it inside one savepoint of one transaction, so an
  // error from any response rolls back the whole batch (nothing stored).
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    for (std::size_t i = 0; i < rs.size(); ++i) {
      Status st = append_in_transaction(c, rs[i], answers[i], fingerprints[i], now, contact_expires, out[i]);
      if (!st) {
        Error e = st.error();
        e.message = "response " + std::to_string(i) + " of the batch (submission_key " + rs[i].submission_key +
                    "): " + e.message + "; nothing of the batch was stored";
        return fail(std::move(e));
      }
    }
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<std::vector<domain::Response>> SqliteResponses::scan(std::int64_t after_id, int limit) {
  if (limit < 1 || limit > 10000) {
    return fail(Error::invalid("limit: must be 1..10000, got " + std::to_string(limit)));
  }
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kResponseSelect) + "WHERE id > ?1 ORDER BY id LIMIT ?2";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, after_id).bind(2, std::int64_t{limit});
  return read_page(**conn, *q);
}

Result<std::vector<domain::Response>> SqliteResponses::list(const ResponseQuery& rq) {
  if (rq.limit < 1 || rq.limit > 1000) {
    return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(rq.limit)));
  }
  if (rq.units.empty()) return std::vector<domain::Response>{};  // no scope, no rows
  boost::json::array units;
  for (const auto& u : rq.units) units.emplace_back(u);
  const std::string units_json = boost::json::serialize(units);

  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  // Two plans. A narrow scope (a unit manager's few units) seeks the (unit, id)
  // index per unit. A wide scope (a director's area, the whole county) walks the
  // primary key from the cursor and stops after `limit` matches: `+unit` keeps
  // SQLite from choosing the unit index, which would read and sort every row in
  // scope for each page.
  static const std::string filters =
      " AND (?2 IS NULL OR touchpoint = ?2)"
      " AND (?3 IS NULL OR channel = ?3)"
      " AND (?4 IS NULL OR answered_at >= ?4)"
      " AND (?5 IS NULL OR answered_at < ?5)"
      " AND id > ?6 ORDER BY id LIMIT ?7";
  static const std::string narrow =
      std::string(kResponseSelect) + "WHERE unit IN (SELECT value FROM json_each(?1))" + filters;
  static const std::string wide =
      std::string(kResponseSelect) + "WHERE +unit IN (SELECT value FROM json_each(?1))" + filters;
  constexpr std::size_t kWideScope = 16;
  auto q = (*conn)->query(rq.units.size() >= kWideScope ? wide.c_str() : narrow.c_str());
  if (!q) return fail(q.error());
  q->bind(1, units_json).bind_opt_text(2, rq.touchpoint);
  if (rq.channel) q->bind(3, domain::channel_name(*rq.channel)); else q->bind_null(3);
  if (rq.from) q->bind(4, to_ms(*rq.from)); else q->bind_null(4);
  if (rq.to) q->bind(5, to_ms(*rq.to)); else q->bind_null(5);
  q->bind(6, rq.after_id).bind(7, std::int64_t{rq.limit});
  return read_page(**conn, *q);
}

Result<domain::Response> SqliteResponses::get(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kResponseSelect) + "WHERE id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto page = read_page(**conn, *q);
  if (!page) return fail(page.error());
  if (page->empty()) return fail(Error::not_found("response " + std::to_string(id) + " does not exist"));
  return std::move(page->front());
}

Result<std::optional<domain::ContactRequest>> SqliteResponses::contact_for(std::int64_t response_id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT name, phone, email, consent FROM contact_requests WHERE response_id = ?1 AND expires_at > ?2");
  if (!q) return fail(q.error());
  q->bind(1, response_id).bind(2, to_ms(ctx_.clock.now()));
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<domain::ContactRequest>();
  domain::ContactRequest c{q->text(0), q->text(1), q->text(2), q->int64(3) != 0};
  return std::optional<domain::ContactRequest>(std::move(c));
}

Result<std::int64_t> SqliteResponses::count() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT count(*) FROM responses");
  if (!q) return fail(q.error());
  auto row = q->step();
  if (!row) return fail(row.error());
  return q->int64(0);
}

Result<std::int64_t> SqliteResponses::purge_expired_contacts(TimePoint now) {
  std::int64_t deleted = 0;
  Status s = ctx_.writer->submit([&](Connection& c) { return purge_contacts_in_transaction(c, to_ms(now), deleted); });
  if (!s) return fail(s.error());
  return deleted;
}

}  // namespace kaiku::storage::sqlite
