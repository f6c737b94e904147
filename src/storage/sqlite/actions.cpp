// The SQLite ActionRepository: development actions and their theme and case links.
#include "storage/sqlite/actions.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace kaiku::storage::sqlite {
namespace {

// {"fi": "...", "sv": "..."}: the non-empty texts under their language tags.
std::string texts_json(const domain::LocalizedText& t) {
  boost::json::object o;
  for (const auto& [lang, text] : t.texts) {
    if (!text.empty()) o[domain::language_tag(lang)] = text;
  }
  return boost::json::serialize(o);
}

Result<domain::LocalizedText> texts_from_json(const std::string& json, std::int64_t id, const char* column) {
  const std::string where = "action " + std::to_string(id) + ": " + column;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return fail(Error::internal(where + " is not a JSON object"));
  domain::LocalizedText out;
  for (const auto& kv : v.as_object()) {
    auto lang = domain::parse_language(kv.key());
    if (!lang || !kv.value().is_string()) return fail(Error::internal(where + " has a bad entry '" +
                                                                      std::string(kv.key()) + "'"));
    out.texts[*lang] = std::string(kv.value().as_string());
  }
  return out;
}

// The columns of an action, with its themes and cases as JSON arrays in their order.
constexpr const char* kActionSelect =
    "SELECT a.id, a.unit, a.title, a.description, a.reason, a.done_on, a.published, a.created_by,"
    " a.created_at, a.updated_at,"
    " (SELECT json_group_array(theme) FROM (SELECT theme FROM development_action_themes"
    "   WHERE action_id = a.id ORDER BY position)),"
    " (SELECT json_group_array(response_id) FROM (SELECT response_id FROM development_action_cases"
    "   WHERE action_id = a.id ORDER BY position))"
    " FROM development_actions a ";

Result<domain::DevelopmentAction> row_to_action(const Query& q) {
  domain::DevelopmentAction a;
  a.id = q.int64(0);
  a.unit = q.text(1);
  auto title = texts_from_json(q.text(2), a.id, "title");
  if (!title) return fail(title.error());
  auto description = texts_from_json(q.text(3), a.id, "description");
  if (!description) return fail(description.error());
  auto reason = texts_from_json(q.text(4), a.id, "reason");
  if (!reason) return fail(reason.error());
  a.title = std::move(*title);
  a.description = std::move(*description);
  a.reason = std::move(*reason);
  a.done_on = q.text(5);
  a.published = q.int64(6) != 0;
  a.created_by = q.int64(7);
  a.created_at = from_ms(q.int64(8));
  a.updated_at = from_ms(q.int64(9));
  boost::system::error_code ec;
  boost::json::value themes = boost::json::parse(q.text(10), ec);
  if (ec || !themes.is_array()) return fail(Error::internal("action " + std::to_string(a.id) + ": bad themes"));
  for (const auto& t : themes.as_array()) {
    if (t.is_string()) a.themes.emplace_back(t.as_string());
  }
  boost::json::value cases = boost::json::parse(q.text(11), ec);
  if (ec || !cases.is_array()) return fail(Error::internal("action " + std::to_string(a.id) + ": bad cases"));
  for (const auto& c : cases.as_array()) {
    if (c.is_int64()) a.cases.push_back(c.as_int64());
  }
  return a;
}

// Shape checks shared by create and replace.
Status check_shape(const domain::DevelopmentAction& a) {
  if (a.unit.empty()) return fail(Error::invalid("unit: must not be empty"));
  if (a.done_on.size() != 10) return fail(Error::invalid("done_on: expected YYYY-MM-DD"));
  std::set<std::string> themes(a.themes.begin(), a.themes.end());
  if (themes.size() != a.themes.size()) return fail(Error::invalid("themes: a theme is named twice"));
  if (themes.count("") != 0) return fail(Error::invalid("themes: empty theme id"));
  std::set<std::int64_t> cases(a.cases.begin(), a.cases.end());
  if (cases.size() != a.cases.size()) return fail(Error::invalid("cases: a case is named twice"));
  return {};
}

// Writes the theme and case links of action `id` (after any old ones were deleted).
Status write_links(Connection& c, std::int64_t id, const domain::DevelopmentAction& a) {
  for (std::size_t i = 0; i < a.themes.size(); ++i) {
    auto q = c.query("INSERT INTO development_action_themes(action_id, position, theme) VALUES(?1, ?2, ?3)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, a.themes[i]).run();
    if (!n) return fail(n.error());
  }
  for (std::size_t i = 0; i < a.cases.size(); ++i) {
    auto exists = c.query("SELECT 1 FROM responses WHERE id = ?1");
    if (!exists) return fail(exists.error());
    auto found = exists->bind(1, a.cases[i]).step();
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::invalid("cases: no response " + std::to_string(a.cases[i])));
    auto q = c.query(
        "INSERT INTO development_action_cases(action_id, response_id, position) VALUES(?1, ?2, ?3)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, id).bind(2, a.cases[i]).bind(3, static_cast<std::int64_t>(i)).run();
    if (!n) return fail(n.error());
  }
  return {};
}

Status check_user(Connection& c, std::int64_t user_id) {
  auto q = c.query("SELECT 1 FROM users WHERE id = ?1");
  if (!q) return fail(q.error());
  auto found = q->bind(1, user_id).step();
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::invalid("created_by: no user with id " + std::to_string(user_id)));
  return {};
}

}  // namespace

Result<domain::DevelopmentAction> SqliteActions::create(const domain::DevelopmentAction& a) {
  if (auto st = check_shape(a); !st) return fail(st.error());
  const std::int64_t now = to_ms(ctx_.clock.now());
  std::int64_t id = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    if (auto st = check_user(c, a.created_by); !st) return st;
    auto q = c.query(
        "INSERT INTO development_actions(unit, title, description, reason, done_on, published, created_by,"
        " created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, a.unit)
                 .bind(2, texts_json(a.title))
                 .bind(3, texts_json(a.description))
                 .bind(4, texts_json(a.reason))
                 .bind(5, a.done_on)
                 .bind(6, std::int64_t{a.published ? 1 : 0})
                 .bind(7, a.created_by)
                 .bind(8, now)
                 .run();
    if (!n) return fail(n.error());
    id = c.last_insert_rowid();
    return write_links(c, id, a);
  });
  if (!s) return fail(s.error());
  return get(id);
}

Result<domain::DevelopmentAction> SqliteActions::replace(const domain::DevelopmentAction& a) {
  if (auto st = check_shape(a); !st) return fail(st.error());
  const std::int64_t now = to_ms(ctx_.clock.now());
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "UPDATE development_actions SET unit = ?2, title = ?3, description = ?4, reason = ?5, done_on = ?6,"
        " published = ?7, updated_at = ?8 WHERE id = ?1");
    if (!q) return fail(q.error());
    auto n = q->bind(1, a.id)
                 .bind(2, a.unit)
                 .bind(3, texts_json(a.title))
                 .bind(4, texts_json(a.description))
                 .bind(5, texts_json(a.reason))
                 .bind(6, a.done_on)
                 .bind(7, std::int64_t{a.published ? 1 : 0})
                 .bind(8, now)
                 .run();
    if (!n) return fail(n.error());
    if (*n == 0) return fail(Error::not_found("no action " + std::to_string(a.id)));
    for (const char* sql : {"DELETE FROM development_action_themes WHERE action_id = ?1",
                            "DELETE FROM development_action_cases WHERE action_id = ?1"}) {
      auto del = c.query(sql);
      if (!del) return fail(del.error());
      auto d = del->bind(1, a.id).run();
      if (!d) return fail(d.error());
    }
    return write_links(c, a.id, a);
  });
  if (!s) return fail(s.error());
  return get(a.id);
}

Status SqliteActions::remove(std::int64_t id) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    // The links go with the action (ON DELETE CASCADE; foreign_keys is ON).
    auto q = c.query("DELETE FROM development_actions WHERE id = ?1");
    if (!q) return fail(q.error());
    auto n = q->bind(1, id).run();
    if (!n) return fail(n.error());
    if (*n == 0) return fail(Error::not_found("no action " + std::to_string(id)));
    return {};
  });
}

Result<domain::DevelopmentAction> SqliteActions::get(std::int64_t id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kActionSelect) + "WHERE a.id = ?1";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("no action " + std::to_string(id)));
  return row_to_action(*q);
}

Result<std::vector<domain::DevelopmentAction>> SqliteActions::list(const ActionQuery& aq) {
  if (aq.limit < 1 || aq.limit > 1000) {
    return fail(Error::invalid("limit: must be 1..1000, got " + std::to_string(aq.limit)));
  }
  if (aq.units.empty()) return std::vector<domain::DevelopmentAction>{};  // no scope, no rows
  boost::json::array units;
  for (const auto& u : aq.units) units.emplace_back(u);
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql =
      std::string(kActionSelect) +
      "WHERE a.unit IN (SELECT value FROM json_each(?1))"
      " AND (?2 IS NULL OR a.published = ?2)"
      " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM development_action_themes t"
      "      WHERE t.action_id = a.id AND t.theme = ?3))"
      " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM development_action_cases k"
      "      WHERE k.action_id = a.id AND k.response_id = ?4))"
      " ORDER BY a.done_on DESC, a.id DESC LIMIT ?5";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, boost::json::serialize(units));
  if (aq.published) q->bind(2, std::int64_t{*aq.published ? 1 : 0}); else q->bind_null(2);
  q->bind_opt_text(3, aq.theme).bind_opt(4, aq.case_id).bind(5, std::int64_t{aq.limit});
  std::vector<domain::DevelopmentAction> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto a = row_to_action(*q);
    if (!a) return fail(a.error());
    out.push_back(std::move(*a));
  }
  return out;
}

Result<std::vector<std::string>> SqliteActions::units_with_published() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT DISTINCT unit FROM development_actions WHERE published = 1 ORDER BY unit");
  if (!q) return fail(q.error());
  std::vector<std::string> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(q->text(0));
  }
  return out;
}

}  // namespace kaiku::storage::sqlite
