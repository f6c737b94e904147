// SqliteInvitations, SqliteUsers, SqliteAudit, SqliteModelVersions (and publications, schema 9).
#include "domain/language.hpp"
#include "storage/sqlite/repositories.hpp"

namespace kaiku::storage::sqlite {
namespace {

// Runs a single-row read and hands the row to `read`; not_found(`missing`) if no row.
template <class T, class Bind, class Read>
Result<T> read_one(Context& ctx, const char* sql, Bind bind, Read read, const std::string& missing) {
  auto conn = ctx.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(sql);
  if (!q) return fail(q.error());
  bind(*q);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found(missing));
  return read(*q);
}

// Runs one write job through the group-commit writer; the statement changes rows
// or fails. `what` names the operation in error messages.
template <class Bind>
Status write_one(Context& ctx, const char* sql, Bind bind) {
  return ctx.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    bind(*q);
    auto n = q->run();
    if (!n) return fail(n.error());
    return {};
  });
}

// An invitation's sequence number is its `seq` column (schema version 4; before,
// the rowid): NULL (0) while an SMS invitation waits for its message to be handed over.
constexpr std::string_view kInvitationColumns =
    "SELECT id, token_hash, touchpoint, unit, event_ref, language, channel, created_at, expires_at, used_at,"
    " seq, age_group FROM invitations ";

Result<Invitation> row_to_invitation(const Query& q) {
  Invitation inv;
  inv.id = q.text(0);
  inv.token_hash = q.text(1);
  inv.touchpoint = q.text(2);
  inv.unit = q.text(3);
  inv.event_ref = q.text(4);
  auto lang = domain::parse_language(q.text(5));
  if (!lang) return fail(Error::internal("invitation " + inv.id + ": unknown language '" + q.text(5) + "'"));
  inv.language = *lang;
  auto ch = domain::parse_channel(q.text(6));
  if (!ch) return fail(Error::internal("invitation " + inv.id + ": unknown channel '" + q.text(6) + "'"));
  inv.channel = *ch;
  inv.created_at = from_ms(q.int64(7));
  inv.expires_at = from_ms(q.int64(8));
  if (auto used = q.opt_int64(9)) inv.used_at = from_ms(*used);
  inv.seq = q.opt_int64(10).value_or(0);
  auto age = domain::parse_age_group(q.text(11));
  if (!age) return fail(Error::internal("invitation " + inv.id + ": unknown age_group '" + q.text(11) + "'"));
  inv.age_group = *age;
  return inv;
}

constexpr const char* kUserColumns = "SELECT u.id, u.login, u.password_hash, u.role, u.scope_unit, u.disabled, u.email FROM users u ";

Result<User> row_to_user(const Query& q) {
  User u;
  u.id = q.int64(0);
  u.login = q.text(1);
  u.password_hash = q.text(2);
  auto role = domain::parse_role(q.text(3));
  if (!role) return fail(Error::internal("user " + u.login + ": unknown role '" + q.text(3) + "'"));
  u.role = *role;
  u.scope_unit = q.text(4);
  u.disabled = q.int64(5) != 0;
  u.email = q.text(6);
  return u;
}

}  // namespace

// ---- invitations ----

Status SqliteInvitations::create(const Invitation& inv) {
  if (inv.id.empty() || inv.token_hash.empty()) return fail(Error::invalid("invitation: id and token_hash are required"));
  Status s = write_one(ctx_,
                       "INSERT INTO invitations(id, token_hash, touchpoint, unit, event_ref, language, channel,"
                       " created_at, expires_at, used_at, age_group, seq)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                       " (SELECT coalesce(max(seq), 0) + 1 FROM invitations))",
                       [&](Query& q) {
                         q.bind(1, inv.id)
                             .bind(2, inv.token_hash)
                             .bind(3, inv.touchpoint)
                             .bind(4, inv.unit)
                             .bind(5, inv.event_ref)
                             .bind(6, domain::language_tag(inv.language))
                             .bind(7, domain::channel_name(inv.channel))
                             .bind(8, to_ms(inv.created_at))
                             .bind(9, to_ms(inv.expires_at))
                             .bind(11, domain::age_group_name(inv.age_group));
                         if (inv.used_at) q.bind(10, to_ms(*inv.used_at)); else q.bind_null(10);
                       });
  if (!s && s.error().kind == ErrorKind::conflict) {
    return fail(Error::conflict("invitation " + inv.id + ": id or token hash already exists"));
  }
  return s;
}

Result<Invitation> SqliteInvitations::find_by_token_hash(const std::string& token_hash) {
  static const std::string sql = std::string(kInvitationColumns) + "WHERE token_hash = ?1";
  auto inv = read_one<Invitation>(
      ctx_, sql.c_str(), [&](Query& q) { q.bind(1, token_hash); },
      [](const Query& q) { return row_to_invitation(q); }, "no invitation with this token");
  return inv;
}

Result<Invitation> SqliteInvitations::get(const std::string& id) {
  static const std::string sql = std::string(kInvitationColumns) + "WHERE id = ?1";
  return read_one<Invitation>(
      ctx_, sql.c_str(), [&](Query& q) { q.bind(1, id); }, [](const Query& q) { return row_to_invitation(q); },
      "no invitation " + id);
}

Result<std::vector<Invitation>> SqliteInvitations::list(std::int64_t after_seq, int limit) {
  if (limit < 1 || limit > 10000) {
    return fail(Error::invalid("limit: must be 1..10000, got " + std::to_string(limit)));
  }
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  static const std::string sql = std::string(kInvitationColumns) + "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  q->bind(1, after_seq).bind(2, std::int64_t{limit});
  std::vector<Invitation> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto inv = row_to_invitation(*q);
    if (!inv) return fail(inv.error());
    out.push_back(std::move(*inv));
  }
  return out;
}

// ---- users and tokens ----

Result<std::int64_t> SqliteUsers::add(const User& u) {
  if (u.login.empty()) return fail(Error::invalid("login: must not be empty"));
  if (u.password_hash.empty()) return fail(Error::invalid("password_hash: must not be empty"));
  std::int64_t id = 0;
  const std::int64_t now = to_ms(ctx_.clock.now());
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "INSERT INTO users(login, password_hash, role, scope_unit, disabled, created_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!q) return fail(q.error());
    auto n = q->bind(1, u.login)
                 .bind(2, u.password_hash)
                 .bind(3, domain::role_name(u.role))
                 .bind(4, u.scope_unit)
                 .bind(5, std::int64_t{u.disabled ? 1 : 0})
                 .bind(6, now)
                 .run();
    if (!n) return fail(n.error());
    id = c.last_insert_rowid();
    return {};
  });
  if (!s) {
    if (s.error().kind == ErrorKind::conflict) return fail(Error::conflict("login '" + u.login + "' already exists"));
    return fail(s.error());
  }
  return id;
}

Result<User> SqliteUsers::find_by_login(const std::string& login) {
  static const std::string sql = std::string(kUserColumns) + "WHERE u.login = ?1";
  return read_one<User>(
      ctx_, sql.c_str(), [&](Query& q) { q.bind(1, login); }, [](const Query& q) { return row_to_user(q); },
      "no user with login '" + login + "'");
}

Result<User> SqliteUsers::find_by_id(std::int64_t id) {
  static const std::string sql = std::string(kUserColumns) + "WHERE u.id = ?1";
  return read_one<User>(
      ctx_, sql.c_str(), [&](Query& q) { q.bind(1, id); }, [](const Query& q) { return row_to_user(q); },
      "no user with id " + std::to_string(id));
}

Status SqliteUsers::add_token(const ApiToken& t) {
  if (t.token_hash.empty()) return fail(Error::invalid("token_hash: must not be empty"));
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    auto user = c.query("SELECT 1 FROM users WHERE id = ?1");
    if (!user) return fail(user.error());
    user->bind(1, t.user_id);
    auto found = user->step();
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("no user with id " + std::to_string(t.user_id)));
    auto q = c.query("INSERT INTO api_tokens(user_id, token_hash, created_at, expires_at) VALUES(?1, ?2, ?3, ?4)");
    if (!q) return fail(q.error());
    q->bind(1, t.user_id).bind(2, t.token_hash).bind(3, to_ms(t.created_at));
    if (t.expires_at) q->bind(4, to_ms(*t.expires_at)); else q->bind_null(4);
    auto n = q->run();
    if (!n) return fail(n.error());
    return {};
  });
  if (!s && s.error().kind == ErrorKind::conflict) return fail(Error::conflict("token hash already exists"));
  return s;
}

Result<User> SqliteUsers::user_for_token(const std::string& token_hash, TimePoint now) {
  static const std::string sql = std::string(kUserColumns) +
                                 "JOIN api_tokens t ON t.user_id = u.id"
                                 " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL"
                                 " AND (t.expires_at IS NULL OR t.expires_at > ?2) AND u.disabled = 0";
  auto u = read_one<User>(
      ctx_, sql.c_str(), [&](Query& q) { q.bind(1, token_hash).bind(2, to_ms(now)); },
      [](const Query& q) { return row_to_user(q); }, "");
  if (!u && u.error().kind == ErrorKind::not_found) {
    return fail(Error::unauthorized("unknown, expired or revoked token"));
  }
  return u;
}

// ---- audit ----

Status SqliteAudit::record(const AuditEntry& e) {
  return write_one(ctx_,
                   "INSERT INTO audit_log(at, user_id, login, action, object, count) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                   [&](Query& q) {
                     q.bind(1, to_ms(e.at)).bind(2, e.user_id).bind(3, e.login).bind(4, e.action).bind(5, e.object).bind(
                         6, e.count);
                   });
}

Result<std::vector<AuditEntry>> SqliteAudit::recent(int limit) {
  if (limit < 1) return fail(Error::invalid("limit: must be at least 1"));
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT at, user_id, login, action, object, count FROM audit_log ORDER BY id DESC LIMIT ?1");
  if (!q) return fail(q.error());
  q->bind(1, std::int64_t{limit});
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({from_ms(q->int64(0)), q->int64(1), q->text(2), q->text(3), q->text(4), q->int64(5)});
  }
  return out;
}

Result<std::vector<AuditEntry>> SqliteAudit::query(const AuditFilter& f) {
  if (f.limit < 1 || f.limit > 1000) return fail(Error::invalid("limit: must be 1..1000"));
  // Newest first by id (the primary key), so a filtered page walks the log backwards.
  std::string sql = "SELECT at, user_id, login, action, object, count, id FROM audit_log WHERE 1=1";
  int n = 0;
  if (f.before_id > 0) sql += " AND id < ?" + std::to_string(++n);
  if (!f.login.empty()) sql += " AND login = ?" + std::to_string(++n);
  if (!f.actions.empty()) {
    sql += " AND action IN (";
    for (std::size_t i = 0; i < f.actions.size(); ++i) sql += (i == 0 ? "?" : ", ?") + std::to_string(++n);
    sql += ")";
  }
  if (f.from) sql += " AND at >= ?" + std::to_string(++n);
  if (f.to) sql += " AND at < ?" + std::to_string(++n);
  sql += " ORDER BY id DESC LIMIT ?" + std::to_string(++n);
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(sql.c_str());
  if (!q) return fail(q.error());
  int i = 0;
  if (f.before_id > 0) q->bind(++i, f.before_id);
  if (!f.login.empty()) q->bind(++i, f.login);
  for (const auto& a : f.actions) q->bind(++i, a);
  if (f.from) q->bind(++i, to_ms(*f.from));
  if (f.to) q->bind(++i, to_ms(*f.to));
  q->bind(++i, std::int64_t{f.limit});
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({from_ms(q->int64(0)), q->int64(1), q->text(2), q->text(3), q->text(4), q->int64(5), q->int64(6)});
  }
  return out;
}

// ---- model versions ----

Status SqliteModelVersions::remember(const std::string& version, const std::string& model_json, TimePoint at) {
  if (version.empty()) return fail(Error::invalid("model version: must not be empty"));
  return write_one(ctx_,
                   "INSERT INTO model_versions(version, model_json, remembered_at) VALUES(?1, ?2, ?3)"
                   " ON CONFLICT(version) DO NOTHING",
                   [&](Query& q) { q.bind(1, version).bind(2, model_json).bind(3, to_ms(at)); });
}

Result<std::string> SqliteModelVersions::load(const std::string& version) {
  return read_one<std::string>(
      ctx_, "SELECT model_json FROM model_versions WHERE version = ?1", [&](Query& q) { q.bind(1, version); },
      [](const Query& q) -> Result<std::string> { return q.text(0); }, "no model version '" + version + "'");
}

Result<std::string> SqliteModelVersions::latest() {
  return read_one<std::string>(
      ctx_, "SELECT version FROM model_versions ORDER BY rowid DESC LIMIT 1", [](Query&) {},
      [](const Query& q) -> Result<std::string> { return q.text(0); }, "no model version remembered yet");
}

Result<std::vector<ModelVersionInfo>> SqliteModelVersions::list() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT v.version, v.remembered_at, p.published_at, p.user_id, p.login,"
      " coalesce(p.id = (SELECT max(id) FROM model_publications), 0)"
      " FROM model_versions v LEFT JOIN model_publications p ON p.id ="
      " (SELECT max(id) FROM model_publications WHERE version = v.version)"
      " ORDER BY v.rowid DESC");
  if (!q) return fail(q.error());
  std::vector<ModelVersionInfo> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ModelVersionInfo info;
    info.version = q->text(0);
    info.remembered_at = from_ms(q->int64(1));
    if (auto at = q->opt_int64(2)) info.published_at = from_ms(*at);
    info.published_by_user = q->opt_int64(3).value_or(0);
    info.published_by = q->text(4);
    info.current = q->int64(5) != 0;
    out.push_back(std::move(info));
  }
  return out;
}

Status SqliteModelVersions::publish(const std::string& version, std::int64_t user_id, const std::string& login,
                                    TimePoint at) {
  return ctx_.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(
        "INSERT INTO model_publications(version, published_at, user_id, login)"
        " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM model_versions WHERE version = ?1)");
    if (!q) return fail(q.error());
    q->bind(1, version).bind(2, to_ms(at)).bind(4, login);
    q->bind_opt(3, user_id > 0 ? std::optional<std::int64_t>(user_id) : std::nullopt);
    auto n = q->run();
    if (!n) return fail(n.error());
    if (*n == 0) return fail(Error::not_found("no model version '" + version + "' to publish"));
    return {};
  });
}

Result<std::string> SqliteModelVersions::published() {
  return read_one<std::string>(
      ctx_, "SELECT version FROM model_publications ORDER BY id DESC LIMIT 1", [](Query&) {},
      [](const Query& q) -> Result<std::string> { return q.text(0); }, "no model version published yet");
}

}  // namespace kaiku::storage::sqlite
