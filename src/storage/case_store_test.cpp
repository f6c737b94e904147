// The inbox in the SQLite store (schema 7): a case written with its response,
// only ever with redacted text (also after a later store_analysis), filters,
// full-text search, cursor paging with a total, status changes with the
// optimistic check, closing deletes the contact, history, overdue per unit, alerts.
#include <gtest/gtest.h>

#include "storage/case_store.hpp"
#include "storage/outreach_test_util.hpp"
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage::sqlite {
extern const std::string_view kSchemaV7Cases;
}

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::at_ms;
using testing::sample_response;
using testing::TempDir;

constexpr std::int64_t kStart = 1'700'000'000'000;

domain::CaseOpening opening(domain::CaseKind kind, TimePoint due, bool contact = false) {
  domain::CaseOpening o;
  o.kind = kind;
  o.band = domain::ScoreBand::promoter;
  o.nps_score = 9;
  o.has_contact = contact;
  o.due_at = due;
  return o;
}

// sample_response analysed as the service does it (text redacted, insight given).
domain::Response analysed(const std::string& key, const std::string& unit, std::int64_t answered_ms,
                          const std::string& text) {
  domain::Response r = sample_response(key, unit, answered_ms);
  for (auto& a : r.answers) {
    if (a.key == "went_well") a.text = text;
  }
  domain::CommentInsight in;
  in.question_key = "went_well";
  in.language = "fi";
  in.sentiment = domain::Sentiment::negative;
  in.themes = {"access_waiting", "phone_service"};
  r.insights = {in};
  r.originals = {domain::SealedOriginal{"went_well", "sealed", at_ms(kStart) + 90 * 24h}};
  r.case_opening = opening(domain::CaseKind::comment, at_ms(answered_ms) + 30 * 24h);
  return r;
}

class CaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions o;
    o.purge_interval = 0ms;
    auto s = open_sqlite_store(dir_.path(), clock_, o);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::int64_t append(const domain::Response& r) {
    auto out = store_->responses().append(r);
    EXPECT_TRUE(out) << out.error().message;
    return out ? out->id : 0;
  }
  CaseQuery query(std::vector<std::string> units = {"u-1", "u-2"}) {
    CaseQuery q;
    q.units = std::move(units);
    q.now = clock_.now();
    return q;
  }
  std::vector<std::int64_t> ids(const CaseQuery& q) {
    auto page = store_->cases().list(q);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::int64_t> out;
    if (page) {
      for (const auto& c : page->cases) out.push_back(c.id);
    }
    return out;
  }
  std::string scalar(const std::string& sql) { return testing::raw_scalar(sqlite_database_file(dir_.path()), sql); }
  CaseRepository& cases() { return store_->cases(); }

  TempDir dir_;
  ManualClock clock_{at_ms(kStart)};
  std::unique_ptr<Store> store_;
};

TEST_F(CaseStoreTest, ACaseIsWrittenWithItsResponseAndOnlyWhenOpened) {
  domain::Response plain = sample_response("no-case");
  const std::int64_t none = append(plain);
  const std::int64_t id = append(analysed("case-1", "u-1", kStart - 1000, "Jonotin puhelimessa tunnin [puhelin]"));
  EXPECT_EQ(store_->schema_version() >= 7, true);
  EXPECT_FALSE(cases().get(none));
  auto c = cases().get(id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->unit, "u-1");
  EXPECT_EQ(c->touchpoint, "tp-outpatient");
  EXPECT_EQ(c->status, domain::CaseStatus::new_case);
  EXPECT_EQ(c->band, domain::ScoreBand::promoter);
  EXPECT_EQ(c->nps, 9);
  EXPECT_EQ(c->language, domain::Language::sv);
  EXPECT_EQ(c->sentiment, "negative");
  EXPECT_EQ(c->themes, (std::vector<std::string>{"access_waiting", "phone_service"}));
  EXPECT_EQ(c->excerpt, "Jonotin puhelimessa tunnin [puhelin]");
  EXPECT_EQ(c->due_at, at_ms(kStart - 1000) + 30 * 24h);
  // A duplicate submission writes no second case.
  auto again = store_->responses().append(analysed("case-1", "u-1", kStart - 1000, "Jonotin puhelimessa tunnin [puhelin]"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(scalar("SELECT count(*) FROM cases"), "1");
}

TEST_F(CaseStoreTest, FiltersFullTextSearchAndCursorPaging) {
  const std::int64_t a = append(analysed("a", "u-1", kStart - 3000, "Pitkä jono ja töykeä vastaanotto"));
  const std::int64_t b = append(analysed("b", "u-2", kStart - 2000, "Hyvä hoitaja, kiitos"));
  domain::Response other = analysed("c", "u-3", kStart - 1000, "Pitkä jono täälläkin");
  const std::int64_t c = append(other);

  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{b, a}));  // newest first, only the units asked
  EXPECT_TRUE(ids(query({})).empty());                          // no scope, no rows

  CaseQuery q = query();
  q.match = "\"jono\"";
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{a}));
  q.match = "\"töyke\"*";  // prefix; ä/ö are letters of their own
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{a}));
  q.match = "\"toykea\"";
  EXPECT_TRUE(ids(q).empty());
  q.match = "\"jono";  // malformed: the caller's error
  auto bad = cases().list(q);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input) << bad.error().message;

  q = query({"u-1", "u-2", "u-3"});
  q.theme = "phone_service";
  EXPECT_EQ(ids(q).size(), 3u);
  q.theme = "nothing";
  EXPECT_TRUE(ids(q).empty());
  q = query({"u-1", "u-2", "u-3"});
  q.from = at_ms(kStart - 2500);
  q.to = at_ms(kStart - 1000);
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{b}));

  q = query({"u-1", "u-2", "u-3"});
  q.limit = 2;
  auto page = cases().list(q);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->cases.size(), 2u);
  EXPECT_EQ(page->cases[0].id, c);
  ASSERT_TRUE(page->next);
  q.after = page->next;
  auto second = cases().list(q);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->cases.size(), 1u);
  EXPECT_EQ(second->cases[0].id, a);
  EXPECT_EQ(second->total, 3);
  EXPECT_FALSE(second->next);
}

TEST_F(CaseStoreTest, AWideScopeGivesTheSamePagesAsANarrowOne) {
  std::vector<std::int64_t> want;
  for (int i = 0; i < 5; ++i) {
    want.insert(want.begin(), append(analysed("w" + std::to_string(i), i % 2 ? "u-1" : "u-2", kStart - 5000 + i, "jono")));
  }
  std::vector<std::string> wide{"u-1", "u-2"};
  for (int i = 0; i < 20; ++i) wide.push_back("other-" + std::to_string(i));
  for (const auto& units : {std::vector<std::string>{"u-1", "u-2"}, wide}) {
    CaseQuery q = query(units);
    q.limit = 2;
    q.match = "\"jono\"";
    std::vector<std::int64_t> got;
    for (int page = 0; page < 5; ++page) {
      auto p = cases().list(q);
      ASSERT_TRUE(p) << p.error().message;
      EXPECT_EQ(p->total, 5);
      for (const auto& c : p->cases) got.push_back(c.id);
      if (!p->next) break;
      q.after = p->next;
    }
    EXPECT_EQ(got, want) << units.size() << " units";
  }
}

TEST_F(CaseStoreTest, UnanalysedTextNeverReachesTheCaseOnlyItsRedaction) {
  domain::Response raw = sample_response("raw", "u-1", kStart - 5000);
  for (auto& a : raw.answers) {
    if (a.key == "went_well") a.text = "Soita minulle 0401234567 Matti Meikäläinen";
  }
  raw.case_opening = opening(domain::CaseKind::comment, at_ms(kStart) + 30 * 24h);
  const std::int64_t id = append(raw);
  auto c = cases().get(id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->excerpt, "");
  CaseQuery q = query();
  q.match = "\"matti\"";
  EXPECT_TRUE(ids(q).empty());
  EXPECT_EQ(scalar("SELECT count(*) FROM cases_fts"), "0");

  // The backfill stores the redaction: the case gets it, never the original.
  domain::Response redacted = sample_response("raw", "u-1", kStart - 5000);
  redacted.id = id;
  for (auto& a : redacted.answers) {
    if (a.key == "went_well") a.text = "Soita minulle [puhelin] [nimi]";
  }
  domain::CommentInsight in;
  in.question_key = "went_well";
  in.language = "fi";
  in.sentiment = domain::Sentiment::neutral;
  in.themes = {"safety"};
  redacted.insights = {in};
  redacted.case_opening = opening(domain::CaseKind::comment, at_ms(kStart));
  redacted.case_opening->safety = true;
  redacted.case_opening->alert = true;
  ASSERT_TRUE(store_->comments().store_analysis(redacted));
  c = cases().get(id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->excerpt, "Soita minulle [puhelin] [nimi]");
  EXPECT_EQ(c->themes, std::vector<std::string>{"safety"});
  EXPECT_TRUE(c->safety);
  EXPECT_TRUE(c->alert);
  q.match = "\"minulle\"";
  EXPECT_EQ(ids(q), std::vector<std::int64_t>{id});
  q.match = "\"matti\"";
  EXPECT_TRUE(ids(q).empty());
  EXPECT_EQ(scalar("SELECT count(*) FROM cases_fts WHERE text LIKE '%Matti%' OR text LIKE '%0401234567%'"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM cases WHERE excerpt LIKE '%Matti%'"), "0");
}

TEST_F(CaseStoreTest, StatusChangesAreCheckedAndClosingDeletesTheContact) {
  domain::Response r = analysed("contact", "u-1", kStart - 1000, "Ottakaa yhteyttä");
  r.contact = domain::ContactRequest{"Maija", "+358401234567", "", true};
  r.case_opening = opening(domain::CaseKind::contact_request, at_ms(kStart) + 14 * 24h, true);
  const std::int64_t id = append(r);
  User u;
  u.login = "anna";
  u.password_hash = "x";
  u.role = domain::Role::unit_manager;
  u.scope_unit = "u-1";
  auto uid = store_->users().add(u);
  ASSERT_TRUE(uid) << uid.error().message;

  CaseChange take;
  take.case_id = id;
  take.expected = domain::CaseStatus::new_case;
  take.to = domain::CaseStatus::in_handling;
  take.assign = true;
  take.assignee_user = *uid;
  take.events = {CaseEvent{0, 0, {}, *uid, "anna", "assign", "anna", ""}};
  take.at = clock_.now();
  auto taken = cases().update(take);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->status, domain::CaseStatus::in_handling);
  EXPECT_EQ(taken->assignee_login, "anna");

  // The same move again: the status is not `new` any more.
  auto stale = cases().update(take);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);

  CaseChange bad_user;
  bad_user.case_id = id;
  bad_user.assign = true;
  bad_user.assignee_user = 999;
  auto unknown = cases().update(bad_user);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid_input);

  CaseChange missing;
  missing.case_id = 12345;
  EXPECT_EQ(cases().update(missing).error().kind, ErrorKind::not_found);

  auto contact = store_->responses().contact_for(id);
  ASSERT_TRUE(contact && *contact);
  clock_.advance(1h);
  CaseChange close;
  close.case_id = id;
  close.expected = domain::CaseStatus::in_handling;
  close.to = domain::CaseStatus::closed;
  close.events = {CaseEvent{0, 0, {}, *uid, "anna", "status", "valmis", ""}};
  close.at = clock_.now();
  auto closed = cases().update(close);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->status, domain::CaseStatus::closed);
  ASSERT_TRUE(closed->closed_at);
  contact = store_->responses().contact_for(id);
  ASSERT_TRUE(contact);
  EXPECT_FALSE(*contact);
  EXPECT_EQ(scalar("SELECT count(*) FROM contact_requests"), "0");

  auto history = cases().history(id);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].kind, "assign");
  EXPECT_EQ((*history)[0].status, "in_handling");
  EXPECT_EQ((*history)[1].kind, "status");
  EXPECT_EQ((*history)[1].text, "valmis");
  EXPECT_EQ((*history)[1].status, "closed");
  std::string err;
  EXPECT_NE(testing::raw_exec(sqlite_database_file(dir_.path()), "DELETE FROM case_events", &err), SQLITE_OK);
  EXPECT_NE(err.find("append-only"), std::string::npos) << err;
}

TEST_F(CaseStoreTest, OverduePerUnitAndAlerts) {
  const std::int64_t a = append(analysed("a", "u-1", kStart - 3000, "yksi"));
  append(analysed("b", "u-1", kStart - 2000, "kaksi"));
  domain::Response late = analysed("c", "u-2", kStart - 1000, "kolme");
  late.case_opening->due_at = at_ms(kStart - 500);
  late.case_opening->alert = true;
  const std::int64_t c = append(late);

  auto units = cases().overdue({"u-1", "u-2"}, clock_.now());
  ASSERT_TRUE(units) << units.error().message;
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].unit, "u-2");
  EXPECT_EQ((*units)[0].overdue, 1);
  EXPECT_EQ((*units)[0].open, 1);
  ASSERT_TRUE((*units)[0].oldest_due_at);
  EXPECT_EQ((*units)[1].unit, "u-1");
  EXPECT_EQ((*units)[1].overdue, 0);
  EXPECT_EQ((*units)[1].open, 2);

  clock_.advance(31 * 24h);
  CaseQuery q = query();
  q.now = clock_.now();
  q.overdue_only = true;
  EXPECT_EQ(ids(q).size(), 3u);
  q.overdue_only = false;
  q.alert_only = true;
  EXPECT_EQ(ids(q), std::vector<std::int64_t>{c});

  auto pending = cases().pending_alerts(0, 10);
  ASSERT_TRUE(pending) << pending.error().message;
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().id, c);
  ASSERT_TRUE(cases().set_alert_notified(c, clock_.now()));
  EXPECT_TRUE(cases().pending_alerts(0, 10)->empty());
  ASSERT_TRUE(cases().set_alert_notified(c, std::nullopt));
  EXPECT_EQ(cases().pending_alerts(0, 10)->size(), 1u);
  EXPECT_EQ(cases().set_alert_notified(4242, clock_.now()).error().kind, ErrorKind::not_found);
  (void)a;
}

TEST_F(CaseStoreTest, TheMigrationBackfillsCasesOfEarlierResponses) {
  // Responses stored without case_opening, as before schema 7.
  domain::Response analysed_text = analysed("old-1", "u-1", kStart - 9000, "Vanha [puhelin] kommentti");
  analysed_text.case_opening.reset();
  const std::int64_t a = append(analysed_text);
  domain::Response raw = sample_response("old-2", "u-1", kStart - 8000);  // text not analysed
  raw.contact = domain::ContactRequest{"N", "+358401234567", "", true};
  const std::int64_t b = append(raw);
  domain::Response plain = sample_response("old-3", "u-2", kStart - 7000);
  plain.answers.pop_back();  // no open text
  const std::int64_t c = append(plain);
  store_.reset();
  const auto db = sqlite_database_file(dir_.path());
  std::string err;
  ASSERT_EQ(testing::raw_exec(db, "DROP TABLE cases_fts; DROP TABLE case_events; DROP TABLE cases;", &err), SQLITE_OK)
      << err;
  ASSERT_EQ(testing::raw_exec(db, "BEGIN;" + std::string(sqlite::kSchemaV7Cases) + "COMMIT;", &err), SQLITE_OK) << err;
  SetUp();
  auto ca = cases().get(a);
  ASSERT_TRUE(ca) << ca.error().message;
  EXPECT_EQ(ca->kind, domain::CaseKind::comment);
  EXPECT_EQ(ca->band, domain::ScoreBand::none);
  EXPECT_EQ(ca->nps, -1);
  EXPECT_EQ(ca->excerpt, "Vanha [puhelin] kommentti");
  EXPECT_EQ(ca->themes, (std::vector<std::string>{"access_waiting", "phone_service"}));
  EXPECT_EQ(ca->sentiment, "negative");
  EXPECT_EQ(ca->due_at, at_ms(kStart) + 30 * 24h);  // from the time stored
  auto cb = cases().get(b);
  ASSERT_TRUE(cb) << cb.error().message;
  EXPECT_EQ(cb->kind, domain::CaseKind::contact_request);
  EXPECT_TRUE(cb->has_contact);
  EXPECT_EQ(cb->excerpt, "");  // not analysed: no text in the case until it is
  EXPECT_EQ(cb->due_at, at_ms(kStart) + 14 * 24h);
  EXPECT_FALSE(cases().get(c));
  CaseQuery q = query();
  q.match = "\"kommentti\"";
  EXPECT_EQ(ids(q), std::vector<std::int64_t>{a});
  q.match = "\"ystävällinen\"";  // the unanalysed text of b
  EXPECT_TRUE(ids(q).empty());
}

}  // namespace
}  // namespace kaiku::storage
