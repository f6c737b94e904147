// SqliteCases: the inbox (cases, case_events, cases_fts of schema 7), and the
// helpers that write a case with its response and its redacted text after analysis.
#include "storage/sqlite/cases.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <string>

#include "storage/answers_json.hpp"
#include "storage/sqlite/comments.hpp"

namespace kaiku::storage::sqlite {
namespace {

constexpr std::size_t kExcerptChars = 200;

std::string json_strings(const std::vector<std::string>& values) {
  boost::json::array arr;
  for (const auto& v : values) arr.emplace_back(v);
  return boost::json::serialize(arr);
}

// At most `n` code points of UTF-8 `s`, with "…" when cut.
std::string utf8_prefix(const std::string& s, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (count == n) return s.substr(0, i) + "\xE2\x80\xA6";
    ++count;
  }
  return s;
}

// The texts of the open answers of `r`, joined with " / ".
std::string open_texts(const domain::Response& r) {
  std::string out;
  for (const auto& a : r.answers) {
    if (!is_open_text(a)) continue;
    if (!out.empty()) out += " / ";
    out += a.text;
  }
  return out;
}

// What the analyses of `r` say about the case: the themes (union, in order),
// one sentiment (all alike: that one; negative and positive together: mixed;
// else the most negative), a suggestion anywhere.
struct TextFacts {
  std::vector<std::string> themes;
  std::string sentiment;
  bool suggestion = false;
};

TextFacts facts_of(const domain::Response& r) {
  TextFacts f;
  bool pos = false, neu = false, neg = false, mix = false;
  for (const auto& in : r.insights) {
    for (const auto& t : in.themes) {
      if (std::find(f.themes.begin(), f.themes.end(), t) == f.themes.end()) f.themes.push_back(t);
    }
    f.suggestion = f.suggestion || in.suggestion;
    switch (in.sentiment) {
      case domain::Sentiment::positive: pos = true; break;
      case domain::Sentiment::neutral: neu = true; break;
      case domain::Sentiment::negative: neg = true; break;
      case domain::Sentiment::mixed: mix = true; break;
    }
  }
  if (mix || (pos && neg)) f.sentiment = "mixed";
  else if (neg) f.sentiment = "negative";
  else if (neu) f.sentiment = "neutral";
  else if (pos) f.sentiment = "positive";
  return f;
}

Status index_text(Connection& c, std::int64_t id, const domain::Response& r) {
  const std::string text = open_texts(r);
  if (text.empty()) return {};
  auto q = c.query("INSERT INTO cases_fts(rowid, text) VALUES(?1, ?2)");
  if (!q) return fail(q.error());
  auto n = q->bind(1, id).bind(2, text).run();
  if (!n) return fail(n.error());
  return {};
}

constexpr const char* kCaseColumns =
    "SELECT c.response_id, c.unit, c.touchpoint, c.channel, c.language, c.kind, c.band, c.nps, c.has_contact,"
    " c.safety, c.alert, c.status, coalesce(c.assignee_user, 0), coalesce(u.login, ''),"
    " coalesce(c.assignee_unit, ''), c.opened_at, c.due_at, c.updated_at, c.closed_at, c.alert_notified_at,"
    " c.sentiment, c.themes, c.suggestion, c.excerpt FROM cases c LEFT JOIN users u ON u.id = c.assignee_user ";

Result<CaseRecord> row_to_case(const Query& q) {
  CaseRecord r;
  r.id = q.int64(0);
  const std::string where = "cases row " + std::to_string(r.id);
  r.unit = q.text(1);
  r.touchpoint = q.text(2);
  auto channel = domain::parse_channel(q.text(3));
  if (!channel) return fail(Error::internal(where + ": unknown channel '" + q.text(3) + "'"));
  r.channel = *channel;
  auto language = domain::parse_language(q.text(4));
  if (!language) return fail(Error::internal(where + ": unknown language '" + q.text(4) + "'"));
  r.language = *language;
  auto kind = domain::parse_case_kind(q.text(5));
  if (!kind) return fail(Error::internal(where + ": unknown kind '" + q.text(5) + "'"));
  r.kind = *kind;
  auto band = domain::parse_score_band(q.text(6));
  if (!band) return fail(Error::internal(where + ": unknown band '" + q.text(6) + "'"));
  r.band = *band;
  r.nps = static_cast<int>(q.int64(7));
  r.has_contact = q.int64(8) != 0;
  r.safety = q.int64(9) != 0;
  r.alert = q.int64(10) != 0;
  auto status = domain::parse_case_status(q.text(11));
  if (!status) return fail(Error::internal(where + ": unknown status '" + q.text(11) + "'"));
  r.status = *status;
  r.assignee_user = q.int64(12);
  r.assignee_login = q.text(13);
  r.assigned_unit = q.text(14);
  r.opened_at = from_ms(q.int64(15));
  r.due_at = from_ms(q.int64(16));
  r.updated_at = from_ms(q.int64(17));
  if (auto t = q.opt_int64(18)) r.closed_at = from_ms(*t);
  if (auto t = q.opt_int64(19)) r.alert_notified_at = from_ms(*t);
  r.sentiment = q.text(20);
  {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(q.text(21), ec);
    if (ec || !v.is_array()) return fail(Error::internal(where + ": themes: expected a JSON array"));
    for (const auto& e : v.as_array()) {
      if (e.is_string()) r.themes.emplace_back(e.as_string());
    }
  }
  r.suggestion = q.int64(22) != 0;
  r.excerpt = q.text(23);
  return r;
}

Result<std::vector<CaseRecord>> read_cases(Query& q) {
  std::vector<CaseRecord> out;
  for (;;) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto c = row_to_case(q);
    if (!c) return fail(c.error());
    out.push_back(std::move(*c));
  }
  return out;
}

// The WHERE clause of list() and its count; `match` adds the full-text condition
// (?17). Two plans, as for responses: a narrow scope (a unit manager's few units)
// seeks the (unit, status, opened_at) index per unit; a wide scope (an area, the
// county) walks cases_opened newest first and stops after `limit` matches (`+unit`
// keeps SQLite from reading and sorting every case in scope for each page).
std::string where_clause(bool match, bool wide = false) {
  std::string w = std::string(wide ? "WHERE +c.unit" : "WHERE c.unit") +
      " IN (SELECT value FROM json_each(?1))"
      " AND (?2 IS NULL OR c.status IN (SELECT value FROM json_each(?2)))"
      " AND (?3 IS NULL OR c.touchpoint = ?3)"
      " AND (?4 IS NULL OR c.channel = ?4)"
      " AND (?5 IS NULL OR c.kind = ?5)"
      " AND (?6 IS NULL OR c.band = ?6)"
      " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.themes) WHERE value = ?7))"
      " AND (?8 IS NULL OR c.sentiment = ?8)"
      " AND (?9 IS NULL OR c.language = ?9)"
      " AND (?10 IS NULL OR c.opened_at >= ?10)"
      " AND (?11 IS NULL OR c.opened_at < ?11)"
      " AND (?12 IS NULL OR c.assignee_user = ?12)"
      " AND (?13 IS NULL OR c.assignee_unit = ?13)"
      " AND (?14 IS NULL OR (c.status IN ('new', 'in_handling') AND c.due_at < ?15))"
      " AND (?16 IS NULL OR c.alert = 1)";
  if (match) w += " AND c.response_id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?17)";
  return w;
}

void bind_filters(Query& q, const CaseQuery& cq, const std::string& units_json) {
  q.bind(1, units_json);
  if (cq.statuses.empty()) {
    q.bind_null(2);
  } else {
    boost::json::array st;
    for (auto s : cq.statuses) st.emplace_back(domain::case_status_name(s));
    q.bind(2, boost::json::serialize(st));
  }
  q.bind_opt_text(3, cq.touchpoint);
  if (cq.channel) q.bind(4, domain::channel_name(*cq.channel)); else q.bind_null(4);
  if (cq.kind) q.bind(5, domain::case_kind_name(*cq.kind)); else q.bind_null(5);
  if (cq.band) q.bind(6, domain::score_band_name(*cq.band)); else q.bind_null(6);
  q.bind_opt_text(7, cq.theme);
  q.bind_opt_text(8, cq.sentiment);
  if (cq.language) q.bind(9, domain::language_tag(*cq.language)); else q.bind_null(9);
  if (cq.from) q.bind(10, to_ms(*cq.from)); else q.bind_null(10);
  if (cq.to) q.bind(11, to_ms(*cq.to)); else q.bind_null(11);
  q.bind_opt(12, cq.assignee_user);
  q.bind_opt_text(13, cq.assigned_unit);
  if (cq.overdue_only) q.bind(14, std::int64_t{1}); else q.bind_null(14);
  q.bind(15, to_ms(cq.now));
  if (cq.alert_only) q.bind(16, std::int64_t{1}); else q.bind_null(16);
  if (!cq.match.empty()) q.bind(17, cq.match);
}

// A malformed MATCH expression is the caller's input, not a storage failure.
// (SQLite reports it as a plain SQLITE_ERROR; its message ends the error's text.)
Error match_error(const Error& e, bool match) {
  if (!match || e.kind != ErrorKind::internal) return e;
  const auto colon = e.message.rfind(": ");
  return Error::invalid("q: not a valid search (" +
                        (colon == std::string::npos ? e.message : e.message.substr(colon + 2)) + ")");
}

Result<std::string> status_of(Connection& c, std::int64_t id) {
  auto q = c.query("SELECT status FROM cases WHERE response_id = ?1");
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("case " + std::to_string(id) + " does not exist"));
  return q->text(0);
}

}  // namespace

Status insert_case_in_transaction(Connection& c, std::int64_t id, const domain::Response& r, std::int64_t now_ms) {
  if (!r.case_opening) return {};
  const domain::CaseOpening& o = *r.case_opening;
  const bool analysed = text_analysed(r);
  TextFacts facts;
  std::string excerpt;
  if (analysed) {
    facts = facts_of(r);
    excerpt = utf8_prefix(open_texts(r), kExcerptChars);
  }
  auto q = c.query(
      "INSERT INTO cases(response_id, unit, touchpoint, channel, language, kind, band, nps, has_contact, safety,"
      " alert, status, opened_at, due_at, updated_at, sentiment, themes, suggestion, excerpt, text_indexed)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  if (!q) return fail(q.error());
  auto n = q->bind(1, id)
               .bind(2, r.unit)
               .bind(3, r.touchpoint)
               .bind(4, domain::channel_name(r.channel))
               .bind(5, domain::language_tag(r.language))
               .bind(6, domain::case_kind_name(o.kind))
               .bind(7, domain::score_band_name(o.band))
               .bind(8, std::int64_t{o.nps_score})
               .bind(9, std::int64_t{o.has_contact ? 1 : 0})
               .bind(10, std::int64_t{o.safety ? 1 : 0})
               .bind(11, std::int64_t{o.alert ? 1 : 0})
               .bind(12, to_ms(r.answered_at))
               .bind(13, o.due_at.time_since_epoch().count())
               .bind(14, now_ms)
               .bind(15, facts.sentiment)
               .bind(16, json_strings(facts.themes))
               .bind(17, std::int64_t{facts.suggestion ? 1 : 0})
               .bind(18, excerpt)
               .bind(19, std::int64_t{analysed ? 1 : 0})
               .run();
  if (!n) return fail(n.error());
  if (analysed) return index_text(c, id, r);
  return {};
}

Status refresh_case_text_in_transaction(Connection& c, const domain::Response& redacted, std::int64_t now_ms) {
  {
    auto q = c.query("SELECT text_indexed FROM cases WHERE response_id = ?1");
    if (!q) return fail(q.error());
    q->bind(1, redacted.id);
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row || q->int64(0) != 0) return {};
  }
  const TextFacts facts = facts_of(redacted);
  const std::string excerpt = utf8_prefix(open_texts(redacted), kExcerptChars);
  auto q = c.query(
      "UPDATE cases SET sentiment = ?2, themes = ?3, suggestion = ?4, excerpt = ?5, text_indexed = 1,"
      " safety = max(safety, coalesce(?6, 0)), alert = max(alert, coalesce(?7, 0)), updated_at = ?8"
      " WHERE response_id = ?1");
  if (!q) return fail(q.error());
  q->bind(1, redacted.id)
      .bind(2, facts.sentiment)
      .bind(3, json_strings(facts.themes))
      .bind(4, std::int64_t{facts.suggestion ? 1 : 0})
      .bind(5, excerpt)
      .bind(8, now_ms);
  if (redacted.case_opening) {
    q->bind(6, std::int64_t{redacted.case_opening->safety ? 1 : 0});
    q->bind(7, std::int64_t{redacted.case_opening->alert ? 1 : 0});
  } else {
    q->bind_null(6).bind_null(7);
  }
  auto n = q->run();
  if (!n) return fail(n.error());
  return index_text(c, redacted.id, redacted);
}

Result<CasePage> SqliteCases::list(const CaseQuery& cq) {
  if (cq.limit < 1 || cq.limit > 1000) {
    return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(cq.limit)));
  }
  CasePage page;
  if (cq.units.empty()) return page;  // no scope, no rows
  boost::json::array units;
  for (const auto& u : cq.units) units.emplace_back(u);
  const std::string units_json = boost::json::serialize(units);
  const bool match = !cq.match.empty();

  static const std::string paging =
      " AND (?18 IS NULL OR (c.opened_at, c.response_id) < (?18, ?19))"
      " ORDER BY c.opened_at DESC, c.response_id DESC LIMIT ?20";
  static const std::string list_plain = std::string(kCaseColumns) + where_clause(false) + paging;
  static const std::string list_match = std::string(kCaseColumns) + where_clause(true) + paging;
  static const std::string wide_plain = std::string(kCaseColumns) + where_clause(false, true) + paging;
  static const std::string wide_match = std::string(kCaseColumns) + where_clause(true, true) + paging;
  constexpr std::size_t kWideScope = 16;
  const bool wide = cq.units.size() >= kWideScope;
  // The count stops at kCaseCountCap + 1 rows (see CasePage::total_capped).
  static const std::string count_plain =
      "SELECT count(*) FROM (SELECT 1 FROM cases c " + where_clause(false) + " LIMIT ?21)";
  static const std::string count_match =
      "SELECT count(*) FROM (SELECT 1 FROM cases c " + where_clause(true) + " LIMIT ?21)";

  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  {
    const std::string& sql = wide ? (match ? wide_match : wide_plain) : (match ? list_match : list_plain);
    auto q = (*conn)->query(sql.c_str());
    if (!q) return fail(q.error());
    bind_filters(*q, cq, units_json);
    if (cq.after) {
      q->bind(18, to_ms(cq.after->opened_at)).bind(19, cq.after->id);
    } else {
      q->bind_null(18).bind_null(19);
    }
    q->bind(20, std::int64_t{cq.limit});
    auto rows = read_cases(*q);
    if (!rows) return fail(match_error(rows.error(), match));
    page.cases = std::move(*rows);
  }
  if (static_cast<int>(page.cases.size()) == cq.limit) {
    page.next = CaseCursor{page.cases.back().opened_at, page.cases.back().id};
  }
  if (!cq.count_total) return page;
  if (page.cases.empty() && !cq.after) return page;  // total 0 without a second query
  auto q = (*conn)->query(match ? count_match.c_str() : count_plain.c_str());
  if (!q) return fail(q.error());
  bind_filters(*q, cq, units_json);
  q->bind(21, kCaseCountCap + 1);
  auto row = q->step();
  if (!row) return fail(match_error(row.error(), match));
  page.total = q->int64(0);
  if (page.total > kCaseCountCap) {
    page.total = kCaseCountCap;
    page.total_capped = true;
  }
  return page;
}

Result<CaseRecord> SqliteCases::get(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kCaseColumns) + "WHERE c.response_id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto rows = read_cases(*q);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return fail(Error::not_found("case " + std::to_string(id) + " does not exist"));
  return std::move(rows->front());
}

Result<CaseRecord> SqliteCases::update(const CaseChange& ch) {
  const std::int64_t at = to_ms(ch.at);
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto current = status_of(c, ch.case_id);
    if (!current) return fail(current.error());
    if (ch.expected && *current != domain::case_status_name(*ch.expected)) {
      return fail(Error::conflict("case " + std::to_string(ch.case_id) + " is " + *current + ", not " +
                                  std::string(domain::case_status_name(*ch.expected)) + " any more"));
    }
    const std::string status = ch.to ? std::string(domain::case_status_name(*ch.to)) : *current;
    if (ch.assign && ch.assignee_user != 0) {
      auto q = c.query("SELECT 1 FROM users WHERE id = ?1");
      if (!q) return fail(q.error());
      q->bind(1, ch.assignee_user);
      auto row = q->step();
      if (!row) return fail(row.error());
      if (!*row) return fail(Error::invalid("user " + std::to_string(ch.assignee_user) + " does not exist"));
    }
    {
      auto q = c.query(
          "UPDATE cases SET status = ?2, updated_at = ?3,"
          " closed_at = CASE WHEN ?2 = 'closed' THEN coalesce(closed_at, ?3) ELSE NULL END,"
          " assignee_user = CASE WHEN ?4 = 1 THEN ?5 ELSE assignee_user END,"
          " assignee_unit = CASE WHEN ?4 = 1 THEN ?6 ELSE assignee_unit END"
          " WHERE response_id = ?1");
      if (!q) return fail(q.error());
      q->bind(1, ch.case_id).bind(2, status).bind(3, at).bind(4, std::int64_t{ch.assign ? 1 : 0});
      if (ch.assign && ch.assignee_user != 0) q->bind(5, ch.assignee_user); else q->bind_null(5);
      if (ch.assign && !ch.assigned_unit.empty()) q->bind(6, ch.assigned_unit); else q->bind_null(6);
      auto n = q->run();
      if (!n) return fail(n.error());
    }
    if (status == "closed") {
      // The contact details go with the close, in the same transaction.
      auto q = c.query("DELETE FROM contact_requests WHERE response_id = ?1");
      if (!q) return fail(q.error());
      auto n = q->bind(1, ch.case_id).run();
      if (!n) return fail(n.error());
    }
    for (const auto& e : ch.events) {
      auto q = c.query(
          "INSERT INTO case_events(case_id, at, user_id, login, kind, text, status)"
          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      if (!q) return fail(q.error());
      auto n = q->bind(1, ch.case_id)
                   .bind(2, at)
                   .bind(3, e.user_id)
                   .bind(4, e.login)
                   .bind(5, e.kind)
                   .bind(6, e.text)
                   .bind(7, e.status.empty() ? status : e.status)
                   .run();
      if (!n) return fail(n.error());
    }
    return {};
  });
  if (!s) return fail(s.error());
  return get(ch.case_id);
}

Result<std::vector<CaseEvent>> SqliteCases::history(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT id, case_id, at, user_id, login, kind, text, status FROM case_events WHERE case_id = ?1 ORDER BY id");
  if (!q) return fail(q.error());
  q->bind(1, id);
  std::vector<CaseEvent> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(CaseEvent{q->int64(0), q->int64(1), from_ms(q->int64(2)), q->int64(3), q->text(4), q->text(5),
                            q->text(6), q->text(7)});
  }
  return out;
}

Result<std::vector<UnitOverdue>> SqliteCases::overdue(const std::vector<std::string>& units, TimePoint now) {
  std::vector<UnitOverdue> out;
  if (units.empty()) return out;
  boost::json::array arr;
  for (const auto& u : units) arr.emplace_back(u);
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT unit, sum(status IN ('new', 'in_handling') AND due_at < ?2) AS late, count(*) AS open,"
      " min(CASE WHEN status IN ('new', 'in_handling') AND due_at < ?2 THEN due_at END)"
      " FROM cases WHERE unit IN (SELECT value FROM json_each(?1))"
      " AND status IN ('new', 'in_handling', 'answered')"
      " GROUP BY unit ORDER BY late DESC, open DESC, unit");
  if (!q) return fail(q.error());
  q->bind(1, boost::json::serialize(arr)).bind(2, to_ms(now));
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    UnitOverdue u{q->text(0), q->int64(1), q->int64(2), std::nullopt};
    if (auto t = q->opt_int64(3)) u.oldest_due_at = from_ms(*t);
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::vector<CaseRecord>> SqliteCases::pending_alerts(std::int64_t after_id, int limit) {
  if (limit < 1 || limit > 1000) {
    return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(limit)));
  }
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kCaseColumns) +
                                 "WHERE c.alert = 1 AND c.alert_notified_at IS NULL AND c.response_id > ?1"
                                 " ORDER BY c.response_id LIMIT ?2";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, after_id).bind(2, std::int64_t{limit});
  return read_cases(*q);
}

Status SqliteCases::set_alert_notified(std::int64_t id, std::optional<TimePoint> at) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query("UPDATE cases SET alert_notified_at = ?2 WHERE response_id = ?1");
    if (!q) return fail(q.error());
    q->bind(1, id);
    if (at) q->bind(2, to_ms(*at)); else q->bind_null(2);
    auto n = q->run();
    if (!n) return fail(n.error());
    if (*n == 0) return fail(Error::not_found("case " + std::to_string(id) + " does not exist"));
    return {};
  });
}

}  // namespace kaiku::storage::sqlite
