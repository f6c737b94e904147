// The SQLite SessionRepository and the schema-6 additions to SqliteUsers.
#include "storage/sqlite/sessions.hpp"

#include "domain/access.hpp"

namespace kaiku::storage::sqlite {
namespace {

// Runs `sql` (one statement changing rows) on the writer; `changed` gets the row count.
template <class Bind>
Status write_counted(Context& ctx, const char* sql, Bind bind, std::int64_t& changed) {
  return ctx.writer->submit([&](Connection& c) -> Status {
    auto q = c.query(sql);
    if (!q) return fail(q.error());
    bind(*q);
    auto n = q->run();
    if (!n) return fail(n.error());
    changed = *n;
    return {};
  });
}

// A user-row update that must hit a user: not_found otherwise.
template <class Bind>
Status update_user(Context& ctx, const char* sql, std::int64_t user_id, Bind bind) {
  std::int64_t changed = 0;
  Status s = write_counted(ctx, sql, bind, changed);
  if (!s) return s;
  if (changed == 0) return fail(Error::not_found("no user with id " + std::to_string(user_id)));
  return {};
}

Session row_to_session(const Query& q) {
  Session s;
  s.id_hash = q.text(0);
  s.user_id = q.int64(1);
  s.csrf_token = q.text(2);
  s.created_at = from_ms(q.int64(3));
  s.last_seen_at = from_ms(q.int64(4));
  s.expires_at = from_ms(q.int64(5));
  if (auto r = q.opt_int64(6)) s.revoked_at = from_ms(*r);
  return s;
}

}  // namespace

// ---- users (schema 6)

Result<std::vector<User>> SqliteUsers::list() {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT id, login, password_hash, role, scope_unit, disabled, email FROM users ORDER BY id");
  if (!q) return fail(q.error());
  std::vector<User> out;
  for (;;) {
    auto row = q->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    User u;
    u.id = q->int64(0);
    u.login = q->text(1);
    u.password_hash = q->text(2);
    auto role = domain::parse_role(q->text(3));
    if (!role) return fail(Error::internal("user " + u.login + ": unknown role '" + q->text(3) + "'"));
    u.role = *role;
    u.scope_unit = q->text(4);
    u.disabled = q->int64(5) != 0;
    u.email = q->text(6);
    out.push_back(std::move(u));
  }
  return out;
}

Status SqliteUsers::set_email(std::int64_t user_id, const std::string& email) {
  if (email.size() > 254) return fail(Error::invalid("email: at most 254 characters"));
  return update_user(ctx_, "UPDATE users SET email = ?2 WHERE id = ?1", user_id,
                     [&](Query& q) { q.bind(1, user_id).bind(2, email); });
}

// ---- sessions

Status SqliteSessions::create(const Session& s) {
  if (s.id_hash.empty()) return fail(Error::invalid("session: id_hash must not be empty"));
  Status st = ctx_.writer->submit([&](Connection& c) -> Status {
    auto user = c.query("SELECT 1 FROM users WHERE id = ?1");
    if (!user) return fail(user.error());
    user->bind(1, s.user_id);
    auto found = user->step();
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("no user with id " + std::to_string(s.user_id)));
    auto q = c.query(
        "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q) return fail(q.error());
    q->bind(1, s.id_hash)
        .bind(2, s.user_id)
        .bind(3, s.csrf_token)
        .bind(4, to_ms(s.created_at))
        .bind(5, to_ms(s.last_seen_at))
        .bind(6, to_ms(s.expires_at));
    if (s.revoked_at)
      q->bind(7, to_ms(*s.revoked_at));
    else
      q->bind_null(7);
    auto n = q->run();
    if (!n) return fail(n.error());
    return {};
  });
  if (!st && st.error().kind == ErrorKind::conflict)
    return fail(Error::conflict("session: id hash already exists"));
  return st;
}

Result<Session> SqliteSessions::find(const std::string& id_hash) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query(
      "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at"
      " FROM sessions WHERE id_hash = ?1");
  if (!q) return fail(q.error());
  q->bind(1, id_hash);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("no such session"));
  return row_to_session(*q);
}

Status SqliteSessions::touch(const std::string& id_hash, TimePoint at) {
  std::int64_t changed = 0;
  return write_counted(
      ctx_, "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id_hash = ?1",
      [&](Query& q) { q.bind(1, id_hash).bind(2, to_ms(at)); }, changed);
}

Result<bool> SqliteSessions::revoke(const std::string& id_hash, TimePoint at) {
  std::int64_t changed = 0;
  Status s = write_counted(
      ctx_,
      "UPDATE sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
      [&](Query& q) { q.bind(1, id_hash).bind(2, to_ms(at)); }, changed);
  if (!s) return fail(s.error());
  return changed > 0;
}

Result<std::int64_t> SqliteSessions::revoke_all(std::int64_t user_id, TimePoint at) {
  std::int64_t changed = 0;
  Status s = write_counted(
      ctx_,
      "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2",
      [&](Query& q) { q.bind(1, user_id).bind(2, to_ms(at)); }, changed);
  if (!s) return fail(s.error());
  return changed;
}

Result<std::int64_t> SqliteSessions::purge(TimePoint before) {
  std::int64_t changed = 0;
  Status s = write_counted(
      ctx_, "DELETE FROM sessions WHERE expires_at < ?1 OR (revoked_at IS NOT NULL AND revoked_at < ?1)",
      [&](Query& q) { q.bind(1, to_ms(before)); }, changed);
  if (!s) return fail(s.error());
  return changed;
}

// ---- failed sign-ins

Result<FailureOutcome> SqliteSessions::record_failure(const std::string& login, TimePoint at,
                                                      std::chrono::milliseconds window, int threshold,
                                                      std::chrono::milliseconds lock_for) {
  FailureOutcome out;
  const std::int64_t now = to_ms(at);
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    out = FailureOutcome{};
    {
      auto del = c.query("DELETE FROM login_failures WHERE login = ?1 AND at <= ?2");
      if (!del) return fail(del.error());
      if (auto n = del->bind(1, login).bind(2, now - window.count()).run(); !n) return fail(n.error());
    }
    {
      auto ins = c.query("INSERT INTO login_failures(login, at) VALUES(?1, ?2)");
      if (!ins) return fail(ins.error());
      if (auto n = ins->bind(1, login).bind(2, now).run(); !n) return fail(n.error());
    }
    {
      auto cnt = c.query("SELECT count(*) FROM login_failures WHERE login = ?1");
      if (!cnt) return fail(cnt.error());
      cnt->bind(1, login);
      auto row = cnt->step();
      if (!row) return fail(row.error());
      out.recent_failures = *row ? cnt->int64(0) : 0;
    }
    if (out.recent_failures < threshold) return {};
    const std::int64_t until = now + lock_for.count();
    auto lock = c.query(
        "INSERT INTO login_locks(login, locked_until) VALUES(?1, ?2)"
        " ON CONFLICT(login) DO UPDATE SET locked_until = excluded.locked_until");
    if (!lock) return fail(lock.error());
    if (auto n = lock->bind(1, login).bind(2, until).run(); !n) return fail(n.error());
    auto forget = c.query("DELETE FROM login_failures WHERE login = ?1");
    if (!forget) return fail(forget.error());
    if (auto n = forget->bind(1, login).run(); !n) return fail(n.error());
    out.locked_until = from_ms(until);
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<std::optional<TimePoint>> SqliteSessions::locked_until(const std::string& login, TimePoint at) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT locked_until FROM login_locks WHERE login = ?1 AND locked_until > ?2");
  if (!q) return fail(q.error());
  q->bind(1, login).bind(2, to_ms(at));
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<TimePoint>();
  return std::optional<TimePoint>(from_ms(q->int64(0)));
}

Result<bool> SqliteSessions::clear_failures(const std::string& login) {
  std::int64_t changed = 0;
  Status s = ctx_.writer->submit([&](Connection& c) -> Status {
    changed = 0;
    for (const char* sql :
         {"DELETE FROM login_failures WHERE login = ?1", "DELETE FROM login_locks WHERE login = ?1"}) {
      auto q = c.query(sql);
      if (!q) return fail(q.error());
      auto n = q->bind(1, login).run();
      if (!n) return fail(n.error());
      changed += *n;
    }
    return {};
  });
  if (!s) return fail(s.error());
  return changed > 0;
}

// ---- second factor

Result<TotpState> SqliteSessions::totp(std::int64_t user_id) {
  auto conn = ctx_.reads.acquire();
  if (!conn) return fail(conn.error());
  auto q = (*conn)->query("SELECT totp_secret, totp_enabled, totp_last_step FROM users WHERE id = ?1");
  if (!q) return fail(q.error());
  q->bind(1, user_id);
  auto row = q->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("no user with id " + std::to_string(user_id)));
  TotpState t;
  t.sealed_secret = q->blob(0);
  t.enabled = q->int64(1) != 0 && !t.sealed_secret.empty();
  t.last_step = q->int64(2);
  return t;
}

Status SqliteSessions::set_totp_pending(std::int64_t user_id,
                                        const std::vector<std::uint8_t>& sealed_secret) {
  if (sealed_secret.empty()) return fail(Error::invalid("totp: the sealed secret must not be empty"));
  return update_user(ctx_,
                     "UPDATE users SET totp_secret = ?2, totp_enabled = 0, totp_last_step = 0 WHERE id = ?1",
                     user_id, [&](Query& q) { q.bind(1, user_id).bind_blob(2, sealed_secret); });
}

Status SqliteSessions::enable_totp(std::int64_t user_id) {
  return update_user(ctx_, "UPDATE users SET totp_enabled = 1 WHERE id = ?1 AND totp_secret IS NOT NULL",
                     user_id, [&](Query& q) { q.bind(1, user_id); });
}

Status SqliteSessions::clear_totp(std::int64_t user_id) {
  return update_user(
      ctx_, "UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0 WHERE id = ?1",
      user_id, [&](Query& q) { q.bind(1, user_id); });
}

Result<bool> SqliteSessions::use_totp_step(std::int64_t user_id, std::int64_t step) {
  std::int64_t changed = 0;
  Status s = write_counted(
      ctx_, "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2",
      [&](Query& q) { q.bind(1, user_id).bind(2, step); }, changed);
  if (!s) return fail(s.error());
  return changed > 0;
}

}  // namespace kaiku::storage::sqlite
