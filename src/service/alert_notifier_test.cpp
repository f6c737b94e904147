// AlertNotifier: who gets an alert, in which words, exactly once; never the
// comment or the contact. The cases and users come from fakes (their SQLite
// implementations belong to other parts); the mail outbox is the real store's.
#include "service/alert_notifier.hpp"

#include <gtest/gtest.h>

#include <map>

#include "service/outreach_test_support.hpp"
#include "storage/mail_store.hpp"

namespace kaiku::service {
namespace {

class FakeCases final : public storage::CaseRepository {
 public:
  std::map<std::int64_t, storage::CaseRecord> cases;
  bool fail_mark = false;
  Result<storage::CasePage> list(const storage::CaseQuery&) override { return fail(Error::internal("unused")); }
  Result<storage::CaseRecord> get(std::int64_t id) override {
    if (!cases.count(id)) return fail(Error::not_found("no case"));
    return cases.at(id);
  }
  Result<storage::CaseRecord> update(const storage::CaseChange&) override { return fail(Error::internal("unused")); }
  Result<std::vector<storage::CaseEvent>> history(std::int64_t) override { return fail(Error::internal("unused")); }
  Result<std::vector<storage::UnitOverdue>> overdue(const std::vector<std::string>&, TimePoint) override {
    return fail(Error::internal("unused"));
  }
  Result<std::vector<storage::CaseRecord>> pending_alerts(std::int64_t after_id, int limit) override {
    std::vector<storage::CaseRecord> out;
    for (const auto& [id, c] : cases) {
      if (id > after_id && c.alert && !c.alert_notified_at && static_cast<int>(out.size()) < limit) out.push_back(c);
    }
    return out;
  }
  Status set_alert_notified(std::int64_t id, std::optional<TimePoint> at) override {
    if (fail_mark) return fail(Error::unavailable("disk full"));
    if (!cases.count(id)) return fail(Error::not_found("no case"));
    cases[id].alert_notified_at = at;
    return {};
  }
};

class FakeUsers final : public storage::UserRepository {
 public:
  std::vector<storage::User> users;
  Result<std::int64_t> add(const storage::User& u) override {
    users.push_back(u);
    users.back().id = static_cast<std::int64_t>(users.size());
    return users.back().id;
  }
  Result<storage::User> find_by_login(const std::string&) override { return fail(Error::internal("unused")); }
  Result<storage::User> find_by_id(std::int64_t) override { return fail(Error::internal("unused")); }
  Status add_token(const storage::ApiToken&) override { return fail(Error::internal("unused")); }
  Result<storage::User> user_for_token(const std::string&, TimePoint) override { return fail(Error::internal("unused")); }
  Result<std::vector<storage::User>> list() override { return users; }
  Status set_email(std::int64_t, const std::string&) override { return fail(Error::internal("unused")); }
};

// The real store with the cases and users replaced.
class PatchedStore final : public storage::Store {
 public:
  PatchedStore(storage::Store& real, FakeCases& cases, FakeUsers& users) : real_(real), cases_(cases), users_(users) {}
  storage::ResponseRepository& responses() override { return real_.responses(); }
  storage::InvitationRepository& invitations() override { return real_.invitations(); }
  storage::UserRepository& users() override { return users_; }
  storage::AuditLog& audit() override { return real_.audit(); }
  storage::ModelVersionRepository& model_versions() override { return real_.model_versions(); }
  storage::OutreachRepository& outreach() override { return real_.outreach(); }
  storage::CommentRepository& comments() override { return real_.comments(); }
  storage::SessionRepository& sessions() override { return real_.sessions(); }
  storage::CaseRepository& cases() override { return cases_; }
  storage::ActionRepository& actions() override { return real_.actions(); }
  storage::MailRepository& mail() override { return real_.mail(); }
  int schema_version() override { return real_.schema_version(); }
  std::string instance_id() override { return real_.instance_id(); }

 private:
  storage::Store& real_;
  FakeCases& cases_;
  FakeUsers& users_;
};

storage::User user(const std::string& login, domain::Role role, const std::string& scope, const std::string& email) {
  storage::User u;
  u.login = login;
  u.password_hash = "x";
  u.role = role;
  u.scope_unit = scope;
  u.email = email;
  return u;
}

storage::CaseRecord alert_case(std::int64_t id, const std::string& unit, bool safety) {
  storage::CaseRecord c;
  c.id = id;
  c.unit = unit;
  c.alert = true;
  c.safety = safety;
  c.has_contact = !safety;
  c.band = safety ? domain::ScoreBand::none : domain::ScoreBand::detractor;
  c.kind = safety ? domain::CaseKind::comment : domain::CaseKind::contact_request;
  c.excerpt = "Jonotin tunnin [puhelin]";
  c.opened_at = TimePoint(std::chrono::milliseconds(1'790'000'000'000));  // the fixture's clock
  return c;
}

struct AlertFixture {
  testing::Fixture fx;
  security::Sealer sealer{testing::test_key()};
  FakeCases cases;
  FakeUsers users;
  PatchedStore store{*fx.store, cases, users};
  AlertOptions options;

  AlertFixture() {
    options.base_url = "https://palaute.example.fi";
    // test_model: county -> area_a -> unit_a1, unit_a2 (-> unit_a2x); area_b -> unit_b1.
    (void)users.add(user("anna", domain::Role::unit_manager, "unit_a1", "anna@example.fi"));
    (void)users.add(user("bert", domain::Role::unit_manager, "unit_b1", "bert@example.fi"));
    (void)users.add(user("area", domain::Role::unit_manager, "area_a", "area@example.fi"));
    (void)users.add(user("noaddr", domain::Role::unit_manager, "unit_a1", ""));
    (void)users.add(user("dir", domain::Role::director, "county", "dir@example.fi"));
    storage::User off = user("off", domain::Role::unit_manager, "unit_a1", "off@example.fi");
    off.disabled = true;
    (void)users.add(off);
  }
  AlertNotifier notifier() { return AlertNotifier(fx.model, store, sealer, fx.clock, options); }
  std::vector<storage::MailMessage> mails() {
    std::vector<storage::MailMessage> out;
    for (std::int64_t id = 1;; ++id) {
      auto m = fx.store->mail().get(id);
      if (!m) break;
      out.push_back(*m);
    }
    return out;
  }
};

TEST(AlertNotifier, ManagersWhoseScopeHoldsTheUnitGetOneMailEach) {
  AlertFixture f;
  f.cases.cases[812] = alert_case(812, "unit_a1", false);
  auto st = f.notifier().run_once();
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(st->cases, 1);
  EXPECT_EQ(st->queued, 2);  // anna (unit) and area (its area); not bert, noaddr, dir (role), off
  auto mails = f.mails();
  ASSERT_EQ(mails.size(), 2u);
  std::vector<std::string> to;
  for (const auto& m : mails) {
    EXPECT_EQ(m.kind, storage::MailKind::alert);
    EXPECT_EQ(m.case_id, 812);
    to.push_back(*f.sealer.open(m.sealed_to));
    auto body = f.sealer.open(m.sealed_body);
    ASSERT_TRUE(body);
    EXPECT_NE(body->find("pyysi yhteydenottoa"), std::string::npos) << *body;
    EXPECT_NE(body->find("https://palaute.example.fi/app/cases/812"), std::string::npos) << *body;
    EXPECT_EQ(body->find("Jonotin"), std::string::npos);  // never the comment
  }
  EXPECT_EQ(to, (std::vector<std::string>{"anna@example.fi", "area@example.fi"}));
  EXPECT_TRUE(f.cases.cases[812].alert_notified_at.has_value());
  // Nothing twice.
  st = f.notifier().run_once();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cases, 0);
  EXPECT_EQ(f.mails().size(), 2u);
}

TEST(AlertNotifier, AlertRolesComeFromTheModel) {
  AlertFixture f;
  f.fx.model.handling.alert_roles = {"director"};
  f.cases.cases[5] = alert_case(5, "unit_b1", true);
  auto st = f.notifier().run_once();
  ASSERT_TRUE(st);
  ASSERT_EQ(f.mails().size(), 1u);
  EXPECT_EQ(*f.sealer.open(f.mails()[0].sealed_to), "dir@example.fi");
  EXPECT_NE(f.sealer.open(f.mails()[0].sealed_body)->find("turvallisuushuoli"), std::string::npos);
}

TEST(AlertNotifier, ARetryAfterAFailedMarkQueuesNothingTwice) {
  AlertFixture f;
  f.cases.cases[9] = alert_case(9, "unit_b1", false);
  f.cases.fail_mark = true;
  auto st = f.notifier().run_once();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->failed, 1);
  EXPECT_EQ(f.mails().size(), 1u);
  f.cases.fail_mark = false;
  st = f.notifier().run_once();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cases, 1);
  EXPECT_EQ(f.mails().size(), 1u);  // the same bert mail, by its dedup key
  EXPECT_TRUE(f.cases.cases[9].alert_notified_at.has_value());
}

TEST(AlertNotifier, ACaseWithoutRecipientsIsMarkedToo) {
  AlertFixture f;
  f.users.users.clear();
  f.cases.cases[3] = alert_case(3, "unit_a1", false);
  auto st = f.notifier().run_once();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cases, 1);
  EXPECT_EQ(st->queued, 0);
  EXPECT_TRUE(f.cases.cases[3].alert_notified_at.has_value());
}

TEST(AlertNotifier, OldAlertsAreMarkedWithoutMail) {
  AlertFixture f;
  f.cases.cases[4] = alert_case(4, "unit_a1", false);
  f.fx.clock.advance(std::chrono::hours(24 * 7 + 1));
  auto st = f.notifier().run_once();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->cases, 1);
  EXPECT_EQ(st->stale, 1);
  EXPECT_EQ(st->queued, 0);
  EXPECT_TRUE(f.mails().empty());
  EXPECT_TRUE(f.cases.cases[4].alert_notified_at.has_value());
}

TEST(AlertNotifier, TextsInThreeLanguagesNameTheUnitAndLink) {
  storage::CaseRecord c = alert_case(1, "u", false);
  c.safety = true;  // both: a detractor with a contact request and a safety theme
  for (auto lang : {domain::Language::fi, domain::Language::sv, domain::Language::en, domain::Language::fi_selko}) {
    AlertMail m = alert_mail(c, "Keskustan terveysasema", "https://x.fi/app/cases/1", lang);
    EXPECT_NE(m.subject.find("Keskustan terveysasema"), std::string::npos);
    EXPECT_NE(m.body.find("Keskustan terveysasema"), std::string::npos);
    EXPECT_NE(m.body.find("https://x.fi/app/cases/1"), std::string::npos);
  }
  EXPECT_NE(alert_mail(c, "U", "L", domain::Language::en).body.find("possible safety concern"), std::string::npos);
  EXPECT_NE(alert_mail(c, "U", "L", domain::Language::en).body.find("a detractor (score 0-6) asked to be contacted"),
            std::string::npos);
  EXPECT_NE(alert_mail(c, "U", "L", domain::Language::sv).body.find("Nytt larm"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::service
