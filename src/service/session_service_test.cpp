// SessionService and AuthService::authenticate_request over a real SQLite store:
// sign-in, lock-out, second factor, session expiry, sign-out, the CSRF rule.
#include "service/session_service.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>

#include "security/sealer.hpp"
#include "security/totp.hpp"
#include "service/auth_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kPassword = "correct horse battery staple";

security::SecretKey key() {
  security::SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return k;
}

SessionPolicy fast_policy() {
  SessionPolicy p;
  p.decoy_cost = security::PasswordCost::minimal();
  return p;
}

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto id = add_user(*fx_.store, fx_.model, "anna", domain::Role::unit_manager, "unit_a1", kPassword,
                       security::PasswordCost::minimal());
    ASSERT_TRUE(id) << id.error().message;
    anna_ = *id;
  }

  Result<NewSession, SignInFailure> sign_in(const std::string& login, const std::string& password,
                                            std::optional<std::string> totp = std::nullopt) {
    return svc_.sign_in({login, password, std::move(totp)});
  }

  std::vector<std::string> audit_actions() {
    std::vector<std::string> out;
    auto recent = fx_.store->audit().recent(100);
    if (recent) {
      for (auto it = recent->rbegin(); it != recent->rend(); ++it) out.push_back(it->action);
    }
    return out;
  }

  // Turns TOTP on for anna; returns the raw secret.
  std::string enrol() {
    auto e = svc_.start_totp({anna_, "anna", domain::Role::unit_manager, "unit_a1"});
    EXPECT_TRUE(e) << e.error().message;
    auto secret = security::base32_decode(e->secret_base32);
    EXPECT_TRUE(secret);
    EXPECT_TRUE(svc_.confirm_totp(anna_, security::totp(*secret, fx_.clock.now())));
    return *secret;
  }

  testing::Fixture fx_;
  security::Sealer sealer_{key()};
  SessionService svc_{*fx_.store, fx_.clock, fx_.random, &sealer_, fast_policy()};
  std::int64_t anna_ = 0;
};

TEST(CookieValue, ParsesRobustly) {
  EXPECT_EQ(cookie_value("kaiku_session=abc", "kaiku_session"), "abc");
  EXPECT_EQ(cookie_value("a=1; kaiku_session=abc; b=2", "kaiku_session"), "abc");
  EXPECT_EQ(cookie_value("a=1;kaiku_session=abc", "kaiku_session"), "abc");
  EXPECT_EQ(cookie_value("  kaiku_session = abc  ;", "kaiku_session"), "abc");
  EXPECT_EQ(cookie_value("kaiku_session=\"abc\"", "kaiku_session"), "abc");
  EXPECT_EQ(cookie_value("x_kaiku_session=no; kaiku_session=yes", "kaiku_session"), "yes");
  EXPECT_EQ(cookie_value("kaiku_session=first; kaiku_session=second", "kaiku_session"), "first");
  EXPECT_EQ(cookie_value(";;garbage;kaiku_session=v=w", "kaiku_session"), "v=w");
  EXPECT_FALSE(cookie_value("", "kaiku_session"));
  EXPECT_FALSE(cookie_value("kaiku_sessionx=1; other=2", "kaiku_session"));
  EXPECT_FALSE(cookie_value("kaiku_session", "kaiku_session"));
}

TEST_F(SessionServiceTest, SignInCreatesASessionFoundByItsId) {
  auto s = sign_in("anna", kPassword);
  ASSERT_TRUE(s) << s.error().error.message;
  EXPECT_EQ(s->session_id.size(), 43u);
  EXPECT_EQ(s->active.user.login, "anna");
  EXPECT_FALSE(s->active.session.csrf_token.empty());
  EXPECT_EQ(s->active.expires_at, fx_.clock.now() + hours(8));
  auto found = svc_.find(s->session_id);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->principal().login, "anna");
  EXPECT_EQ(found->principal().scope_unit, "unit_a1");
  EXPECT_EQ(found->session.csrf_token, s->active.session.csrf_token);
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"session.login"});
  // The store holds only the hash of the id.
  EXPECT_FALSE(fx_.store->sessions().find(s->session_id));
}

TEST_F(SessionServiceTest, WrongLoginAndWrongPasswordLookTheSame) {
  auto a = sign_in("anna", "wrong password!");
  auto b = sign_in("nobody", kPassword);
  ASSERT_FALSE(a);
  ASSERT_FALSE(b);
  EXPECT_EQ(a.error().error.kind, ErrorKind::unauthorized);
  EXPECT_EQ(a.error().error.message, b.error().error.message);
  EXPECT_EQ(a.error().error.message, "login or password is wrong");
  EXPECT_FALSE(a.error().totp_required);
  EXPECT_EQ(audit_actions(), (std::vector<std::string>{"session.failed", "session.failed"}));
}

TEST_F(SessionServiceTest, TheAuditLogNeverKeepsWhatCannotBeALogin) {
  (void)sign_in("Hunter2 is my password!", kPassword);
  (void)sign_in("nobody", kPassword);
  auto recent = fx_.store->audit().recent(10);
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[1].login, "(malformed login)");
  EXPECT_EQ((*recent)[1].action, "session.failed");
  EXPECT_EQ((*recent)[0].login, "nobody");
}

TEST_F(SessionServiceTest, FiveFailuresLockEvenTheRightPasswordThenItOpensAgain) {
  for (int i = 1; i <= 4; ++i) {
    auto r = sign_in("anna", "wrong password!");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error.kind, ErrorKind::unauthorized) << i;
    fx_.clock.advance(seconds(10));
  }
  auto fifth = sign_in("anna", "wrong password!");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().error.kind, ErrorKind::rate_limited);
  EXPECT_EQ(fifth.error().retry_after_s, 15 * 60);
  fx_.clock.advance(minutes(5));
  auto right = sign_in("anna", kPassword);
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().error.kind, ErrorKind::rate_limited);
  EXPECT_EQ(right.error().retry_after_s, 10 * 60);
  auto upper = sign_in("ANNA", kPassword);  // the same count whatever the case
  EXPECT_EQ(upper.error().error.kind, ErrorKind::rate_limited);
  auto actions = audit_actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "session.locked"), 1);
  fx_.clock.advance(minutes(10));
  auto later = sign_in("anna", kPassword);
  ASSERT_TRUE(later) << later.error().error.message;
}

TEST_F(SessionServiceTest, FailuresSpreadOverMoreThanTheWindowDoNotLock) {
  for (int i = 0; i < 8; ++i) {
    auto r = sign_in("anna", "wrong password!");
    EXPECT_EQ(r.error().error.kind, ErrorKind::unauthorized) << i;
    fx_.clock.advance(minutes(4));
  }
  EXPECT_TRUE(sign_in("anna", kPassword));
}

TEST_F(SessionServiceTest, SuccessForgetsEarlierFailures) {
  for (int i = 0; i < 4; ++i) (void)sign_in("anna", "wrong password!");
  ASSERT_TRUE(sign_in("anna", kPassword));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sign_in("anna", "wrong").error().error.kind, ErrorKind::unauthorized);
}

TEST_F(SessionServiceTest, DisabledUsersCannotSignInAndLoseTheirSessions) {
  auto s = sign_in("anna", kPassword);
  ASSERT_TRUE(s);
  // The store has no "disable" yet: set the flag in SQL.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(storage::sqlite_database_file(fx_.dir.path()).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE users SET disabled = 1 WHERE login = 'anna'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(svc_.find(s->session_id).error().kind, ErrorKind::unauthorized);
  auto again = sign_in("anna", kPassword);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().error.message, "login or password is wrong");
}

TEST_F(SessionServiceTest, IdleAndAbsoluteExpiry) {
  auto s = sign_in("anna", kPassword);
  ASSERT_TRUE(s);
  // Used every 7 hours: alive until the absolute 12 hours.
  fx_.clock.advance(hours(7));
  auto a = svc_.find(s->session_id);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->expires_at, a->session.created_at + hours(12));
  fx_.clock.advance(hours(4) + minutes(59));
  EXPECT_TRUE(svc_.find(s->session_id));
  fx_.clock.advance(minutes(1));
  auto gone = svc_.find(s->session_id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::unauthorized);

  auto t = sign_in("anna", kPassword);
  ASSERT_TRUE(t);
  fx_.clock.advance(hours(3));
  auto still = svc_.find(t->session_id);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->expires_at, fx_.clock.now() + hours(8));  // the use moved the idle end
  fx_.clock.advance(hours(8) - seconds(1));
  EXPECT_TRUE(svc_.find(t->session_id));  // used again: idle end moves on
  fx_.clock.advance(seconds(1));
  auto u = sign_in("anna", kPassword);
  ASSERT_TRUE(u);
  fx_.clock.advance(hours(8));
  auto idle = svc_.find(u->session_id);
  ASSERT_FALSE(idle);
  EXPECT_NE(idle.error().message.find("unused"), std::string::npos) << idle.error().message;
}

TEST_F(SessionServiceTest, SignOutAndRevokeAll) {
  auto one = sign_in("anna", kPassword);
  auto two = sign_in("anna", kPassword);
  auto three = sign_in("anna", kPassword);
  ASSERT_TRUE(one && two && three);
  ASSERT_TRUE(svc_.sign_out(one->session_id));
  EXPECT_FALSE(svc_.find(one->session_id));
  EXPECT_TRUE(svc_.find(two->session_id));
  auto n = svc_.revoke_all(anna_);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(svc_.find(two->session_id));
  EXPECT_FALSE(svc_.find(three->session_id));
  EXPECT_TRUE(svc_.sign_out(one->session_id));  // twice is fine
  EXPECT_FALSE(svc_.find("not-a-session"));
  EXPECT_FALSE(svc_.find(""));
}

TEST_F(SessionServiceTest, RevokeAllLeavesApiTokensAlone) {
  auto token = issue_token(*fx_.store, "anna", fx_.random, fx_.clock);
  ASSERT_TRUE(token);
  ASSERT_TRUE(sign_in("anna", kPassword));
  ASSERT_TRUE(svc_.revoke_all(anna_));
  AuthService auth(*fx_.store, fx_.clock);
  EXPECT_TRUE(auth.authenticate_token(*token));
}

TEST_F(SessionServiceTest, TotpEnrolConfirmAndSignIn) {
  auto e = svc_.start_totp({anna_, "anna", domain::Role::unit_manager, "unit_a1"});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->secret_base32.size(), 32u);
  EXPECT_EQ(e->otpauth_uri, "otpauth://totp/Kaiku:anna?secret=" + e->secret_base32 + "&issuer=Kaiku");
  EXPECT_FALSE(*svc_.totp_enabled(anna_));
  // Sealed at rest: the stored bytes are not the secret.
  auto stored = fx_.store->sessions().totp(anna_);
  auto secret = security::base32_decode(e->secret_base32);
  ASSERT_TRUE(stored && secret);
  EXPECT_EQ(std::string(stored->sealed_secret.begin(), stored->sealed_secret.end()).find(*secret),
            std::string::npos);
  // Not on until confirmed: password alone still works.
  EXPECT_TRUE(sign_in("anna", kPassword));
  auto wrong =
      svc_.confirm_totp(anna_, "000000" == security::totp(*secret, fx_.clock.now()) ? "111111" : "000000");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::invalid_input);
  ASSERT_TRUE(svc_.confirm_totp(anna_, security::totp(*secret, fx_.clock.now())));
  EXPECT_TRUE(*svc_.totp_enabled(anna_));

  auto without = sign_in("anna", kPassword);
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().error.kind, ErrorKind::unauthorized);
  EXPECT_TRUE(without.error().totp_required);
  // The code used to confirm cannot be used again (replay) ...
  auto replay = sign_in("anna", kPassword, security::totp(*secret, fx_.clock.now()));
  ASSERT_FALSE(replay);
  EXPECT_TRUE(replay.error().totp_required);
  // ... the next one can.
  fx_.clock.advance(seconds(30));
  auto ok = sign_in("anna", kPassword, security::totp(*secret, fx_.clock.now()));
  ASSERT_TRUE(ok) << ok.error().error.message;
  // The wrong password with a right code is still only "login or password is wrong".
  fx_.clock.advance(seconds(30));
  auto bad = sign_in("anna", "wrong password!", security::totp(*secret, fx_.clock.now()));
  EXPECT_FALSE(bad.error().totp_required);
  EXPECT_EQ(svc_.start_totp({anna_, "anna", domain::Role::unit_manager, "unit_a1"}).error().kind,
            ErrorKind::conflict);
}

TEST_F(SessionServiceTest, WrongTotpCodesCountTowardsTheLock) {
  const std::string secret = enrol();
  for (int i = 0; i < 4; ++i) {
    auto r = sign_in("anna", kPassword, "12345x");
    EXPECT_TRUE(r.error().totp_required);
  }
  auto fifth = sign_in("anna", kPassword, "000001");
  EXPECT_EQ(fifth.error().error.kind, ErrorKind::rate_limited);
  fx_.clock.advance(seconds(30));
  EXPECT_EQ(sign_in("anna", kPassword, security::totp(secret, fx_.clock.now())).error().error.kind,
            ErrorKind::rate_limited);
}

// A clock that runs `hook` on its `at`-th reading (1-based): stands in for a
// parallel attempt that acts while this one is between two steps.
class HookClock final : public Clock {
 public:
  HookClock(Clock& base, int at, std::function<void()> hook) : base_(base), at_(at), hook_(std::move(hook)) {}
  TimePoint now() const override {
    if (++reads_ == at_) hook_();
    return base_.now();
  }

 private:
  Clock& base_;
  int at_;
  std::function<void()> hook_;
  mutable int reads_ = 0;
};

TEST_F(SessionServiceTest, ALockSetDuringThePasswordCheckRefusesTheRightPassword) {
  // sign_in reads the clock at its start and for the first lock check; the third
  // reading is the check after the password. A parallel attempt locks the login
  // just before it.
  auto lock = [&] {
    auto o = fx_.store->sessions().record_failure("anna", fx_.clock.now(), minutes(15), 1, minutes(15));
    ASSERT_TRUE(o && o->locked_until);
  };
  HookClock clock(fx_.clock, 3, lock);
  SessionService svc(*fx_.store, clock, fx_.random, &sealer_, fast_policy());
  auto r = svc.sign_in({"anna", kPassword, std::nullopt});
  ASSERT_FALSE(r) << "signed in although the login was locked meanwhile";
  EXPECT_EQ(r.error().error.kind, ErrorKind::rate_limited);
  EXPECT_EQ(r.error().retry_after_s, 15 * 60);
  // A wrong password in the same race gets the same answer (no oracle).
  HookClock clock2(fx_.clock, 3, [&] {
    ASSERT_TRUE(fx_.store->sessions().clear_failures("anna"));
    lock();
  });
  SessionService svc2(*fx_.store, clock2, fx_.random, &sealer_, fast_policy());
  EXPECT_EQ(svc2.sign_in({"anna", "wrong password!", std::nullopt}).error().error.kind,
            ErrorKind::rate_limited);
}

TEST_F(SessionServiceTest, WrongCodesWhenConfirmingOrDisablingCountTowardsTheLock) {
  auto e = svc_.start_totp({anna_, "anna", domain::Role::unit_manager, "unit_a1"});
  ASSERT_TRUE(e) << e.error().message;
  const std::string secret = *security::base32_decode(e->secret_base32);
  const std::string wrong = "000000" == security::totp(secret, fx_.clock.now()) ? "111111" : "000000";
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(svc_.confirm_totp(anna_, wrong).error().kind, ErrorKind::invalid_input) << i;
  auto fifth = svc_.confirm_totp(anna_, wrong);
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().kind, ErrorKind::rate_limited);
  // Locked: the right code is refused too, and so is the password.
  EXPECT_EQ(svc_.confirm_totp(anna_, security::totp(secret, fx_.clock.now())).error().kind,
            ErrorKind::rate_limited);
  EXPECT_EQ(sign_in("anna", kPassword).error().error.kind, ErrorKind::rate_limited);
  auto actions = audit_actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "session.locked"), 1);

  fx_.clock.advance(minutes(16));
  ASSERT_TRUE(svc_.confirm_totp(anna_, security::totp(secret, fx_.clock.now())));
  fx_.clock.advance(seconds(30));
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(svc_.disable_totp(anna_, "12345x").error().kind, ErrorKind::invalid_input) << i;
  EXPECT_EQ(svc_.disable_totp(anna_, "12345x").error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(svc_.disable_totp(anna_, security::totp(secret, fx_.clock.now())).error().kind,
            ErrorKind::rate_limited);
  EXPECT_TRUE(*svc_.totp_enabled(anna_));
}

TEST_F(SessionServiceTest, TotpDisable) {
  const std::string secret = enrol();
  fx_.clock.advance(seconds(30));
  EXPECT_EQ(svc_.disable_totp(anna_, "abc").error().kind, ErrorKind::invalid_input);
  ASSERT_TRUE(svc_.disable_totp(anna_, security::totp(secret, fx_.clock.now())));
  EXPECT_FALSE(*svc_.totp_enabled(anna_));
  EXPECT_TRUE(sign_in("anna", kPassword));
  EXPECT_EQ(svc_.disable_totp(anna_, "123456").error().kind, ErrorKind::conflict);
  EXPECT_EQ(svc_.confirm_totp(anna_, "123456").error().kind, ErrorKind::conflict);
}

TEST_F(SessionServiceTest, TotpNeedsTheServerKey) {
  SessionService keyless(*fx_.store, fx_.clock, fx_.random, nullptr, fast_policy());
  auto e = keyless.start_totp({anna_, "anna", domain::Role::unit_manager, "unit_a1"});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::unavailable);
}

class AuthRequestTest : public SessionServiceTest {
 protected:
  Result<domain::Principal> call(std::string_view cookie, std::string_view method, std::string_view csrf = "",
                                 std::string_view authorization = "") {
    return auth_.authenticate_request({authorization, cookie, method, csrf});
  }
  AuthService auth_{*fx_.store, fx_.clock};
};

TEST_F(AuthRequestTest, CookieForReadsAndCsrfForWrites) {
  auto s = sign_in("anna", kPassword);
  ASSERT_TRUE(s);
  const std::string cookie = "theme=dark; kaiku_session=" + s->session_id;
  const std::string& csrf = s->active.session.csrf_token;
  auto get = call(cookie, "GET");
  ASSERT_TRUE(get) << get.error().message;
  EXPECT_EQ(get->login, "anna");
  EXPECT_EQ(get->role, domain::Role::unit_manager);
  EXPECT_TRUE(call(cookie, "HEAD"));
  auto no_csrf = call(cookie, "POST");
  ASSERT_FALSE(no_csrf);
  EXPECT_EQ(no_csrf.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(no_csrf.error().message.rfind("csrf: ", 0), 0u);
  auto bad_csrf = call(cookie, "DELETE", "x" + csrf.substr(1));
  ASSERT_FALSE(bad_csrf);
  EXPECT_EQ(bad_csrf.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(bad_csrf.error().message.rfind("csrf: ", 0), 0u);
  EXPECT_TRUE(call(cookie, "POST", csrf));
  EXPECT_TRUE(call(cookie, "PUT", csrf));
}

TEST_F(AuthRequestTest, BearerWinsAndNothingIsUnauthorized) {
  auto token = issue_token(*fx_.store, "anna", fx_.random, fx_.clock);
  ASSERT_TRUE(token);
  auto bearer = call("kaiku_session=bogus", "POST", "", "Bearer " + *token);
  ASSERT_TRUE(bearer) << bearer.error().message;  // no CSRF for bearer tokens
  auto bad = call("", "GET", "", "Bearer kk_nonsense");
  EXPECT_EQ(bad.error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(call("", "GET").error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(call("kaiku_session=", "GET").error().kind, ErrorKind::unauthorized);
  EXPECT_EQ(call("kaiku_session=unknown", "GET").error().kind, ErrorKind::unauthorized);
  // An invalid session is unauthorized before any CSRF question.
  EXPECT_EQ(call("kaiku_session=unknown", "POST").error().kind, ErrorKind::unauthorized);
}

TEST_F(AuthRequestTest, SignedOutOrExpiredSessionsAreUnauthorized) {
  auto s = sign_in("anna", kPassword);
  ASSERT_TRUE(s);
  const std::string cookie = "kaiku_session=" + s->session_id;
  ASSERT_TRUE(call(cookie, "GET"));
  fx_.clock.advance(hours(9));
  EXPECT_EQ(call(cookie, "GET").error().kind, ErrorKind::unauthorized);
  auto t = sign_in("anna", kPassword);
  ASSERT_TRUE(svc_.sign_out(t->session_id));
  EXPECT_EQ(call("kaiku_session=" + t->session_id, "GET").error().kind, ErrorKind::unauthorized);
}

}  // namespace
}  // namespace kaiku::service
