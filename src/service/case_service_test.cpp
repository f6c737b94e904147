// CaseService over a real SQLite store: cases opened by SurveyService, scoped
// listing and filter validation, the handling workflow (take, status, note, close
// deletes the contact), replies and muistutus through a fake CustomerMessenger,
// role rules, overdue lists, audit entries.
#include "service/case_service.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "service/comment_processor.hpp"
#include "service/outreach_test_support.hpp"
#include "service/survey_service.hpp"
#include "service/test_support.hpp"
#include "text/analyzer.hpp"

namespace kaiku::service {
namespace {

using namespace std::chrono_literals;

class FakeMessenger final : public CustomerMessenger {
 public:
  std::vector<std::string> channels() const override { return available; }
  Result<ReplyReceipt> send(std::int64_t case_id, const domain::ContactRequest& contact, std::string_view channel,
                            std::string_view text, domain::Language language) override {
    if (on_send) on_send();
    if (fail_next) return fail(Error::unavailable("gateway down"));
    sent.push_back({case_id, contact.phone, std::string(channel), std::string(text), language});
    return ReplyReceipt{std::string(channel), "queued"};
  }
  struct Sent {
    std::int64_t case_id;
    std::string phone, channel, text;
    domain::Language language;
  };
  std::vector<std::string> available{"sms"};
  std::vector<Sent> sent;
  bool fail_next = false;
  std::function<void()> on_send;  // runs inside send(), e.g. a colleague acting meanwhile
};

domain::Principal principal(std::int64_t id, const std::string& login, domain::Role role, const std::string& scope) {
  return domain::Principal{id, login, role, scope};
}

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fx.model.contacts.complaints_url = "https://example.fi/muistutus";
    fx.model.contacts.complaints_phone = "029 123 4567";
    manager = add_user("anna", domain::Role::unit_manager, "unit_a1");
    other = add_user("olli", domain::Role::unit_manager, "unit_b1");
    analyst = add_user("aino", domain::Role::analyst, "county");
  }
  domain::Principal add_user(const std::string& login, domain::Role role, const std::string& scope) {
    storage::User u;
    u.login = login;
    u.password_hash = "x";
    u.role = role;
    u.scope_unit = scope;
    auto id = fx.store->users().add(u);
    EXPECT_TRUE(id) << id.error().message;
    return principal(id ? *id : 0, login, role, scope);
  }
  // A core-survey answer at tp1 (unit_a1) or tp_b (unit_b1) with an open text, a
  // score and optionally a contact request.
  std::int64_t submit(const std::string& key, const std::string& tp, const std::string& text, const std::string& nps,
                      bool contact = false, const std::string& language = "fi") {
    SubmissionInput in;
    in.touchpoint = tp;
    in.submission_key = key;
    in.answers["nps"] = {nps};
    if (!text.empty()) in.answers["open"] = {text};
    if (contact) {
      in.answers["contact.wanted"] = {"yes"};
      in.answers["contact.name"] = {"Maija"};
      in.answers["contact.phone"] = {"+358401234567"};
      in.answers["contact.consent"] = {"yes"};
    }
    if (language == "sv") in.language = domain::Language::sv;
    auto out = surveys.submit(in);
    EXPECT_TRUE(out) << out.error().message;
    return out ? out->id : 0;
  }
  std::vector<std::int64_t> ids(const domain::Principal& who, const CaseFilter& f = {}) {
    auto l = cases.list(who, f);
    EXPECT_TRUE(l) << l.error().message;
    std::vector<std::int64_t> out;
    if (l) {
      for (const auto& c : l->cases) out.push_back(c.id);
    }
    return out;
  }
  std::vector<storage::AuditEntry> audit_entries(const std::string& action) {
    auto recent = fx.store->audit().recent(1000);
    std::vector<storage::AuditEntry> out;
    for (const auto& e : *recent) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }
  std::int64_t audited(const std::string& action) {
    auto recent = fx.store->audit().recent(1000);
    std::int64_t n = 0;
    for (const auto& e : *recent) n += e.action == action;
    return n;
  }

  kaiku::testing::Fixture fx;
  SurveyService surveys{fx.model, *fx.store, fx.clock, fx.random};
  FakeMessenger messenger;
  CaseService cases{fx.model, *fx.store, fx.clock, &messenger};
  domain::Principal manager, other, analyst;
};

TEST_F(CaseServiceTest, OnlyResponsesWithTextOrContactOpenCasesWithTheirServiceLevel) {
  const std::int64_t plain = submit("key-plain-aaaaaaaaaaa", "tp1", "", "9");
  const std::int64_t comment = submit("key-comment-aaaaaaaaa", "tp1", "Hyvä palvelu", "9");
  const std::int64_t contact = submit("key-contact-aaaaaaaaa", "tp1", "", "3", true);
  EXPECT_EQ(ids(manager), (std::vector<std::int64_t>{contact, comment}));
  auto c = cases.get(manager, contact);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->record.kind, domain::CaseKind::contact_request);
  EXPECT_EQ(c->record.band, domain::ScoreBand::detractor);
  EXPECT_TRUE(c->record.alert);  // a detractor who asked for contact
  EXPECT_EQ(c->record.due_at, fx.clock.now() + 14 * 24h);
  ASSERT_TRUE(c->contact);
  EXPECT_EQ(c->contact->phone, "+358401234567");
  EXPECT_EQ(c->can_reply, std::vector<std::string>{"sms"});
  EXPECT_EQ(cases.get(manager, comment)->record.due_at, fx.clock.now() + 30 * 24h);
  EXPECT_EQ(cases.get(manager, plain).error().kind, ErrorKind::not_found);
  EXPECT_EQ(audited("contact.read"), 1);
  EXPECT_GE(audited("cases.get"), 2);
  EXPECT_EQ(audited("cases.list"), 1);
}

TEST_F(CaseServiceTest, ScopeAndRoles) {
  const std::int64_t mine = submit("key-mine-aaaaaaaaaaaa", "tp1", "Oma", "9", true);
  const std::int64_t theirs = submit("key-theirs-aaaaaaaaaa", "tp_b", "Toinen", "9");
  EXPECT_EQ(ids(manager), std::vector<std::int64_t>{mine});
  EXPECT_EQ(ids(other), std::vector<std::int64_t>{theirs});
  EXPECT_EQ(cases.get(manager, theirs).error().kind, ErrorKind::not_found);
  EXPECT_EQ(cases.set_status(manager, theirs, "in_handling", "").error().kind, ErrorKind::not_found);
  CaseFilter f;
  f.unit = "unit_b1";
  EXPECT_EQ(cases.list(manager, f).error().kind, ErrorKind::forbidden);
  EXPECT_GE(audited("cases.list.denied"), 1);
  // The analyst reads everything in scope, never the contact, and handles nothing.
  EXPECT_EQ(ids(analyst).size(), 2u);
  auto read = cases.get(analyst, mine);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->contact);
  EXPECT_TRUE(read->can_reply.empty());
  EXPECT_EQ(cases.set_status(analyst, mine, "in_handling", "").error().kind, ErrorKind::forbidden);
  EXPECT_EQ(cases.add_note(analyst, mine, "x").error().kind, ErrorKind::forbidden);
  EXPECT_EQ(cases.reply(analyst, mine, "sms", "x").error().kind, ErrorKind::forbidden);
  auto integration = principal(99, "bot", domain::Role::integration, "county");
  EXPECT_EQ(cases.list(integration, {}).error().kind, ErrorKind::forbidden);
}

TEST_F(CaseServiceTest, TotalIsCountedUnlessTurnedOff) {
  submit("key-total-0000000001", "tp1", "Jonotin puhelimessa tunnin.", "3");
  submit("key-total-0000000002", "tp1", "Kiitos hyvästä hoidosta.", "10");
  CaseFilter f;
  f.limit = "1";
  auto counted = cases.list(manager, f);
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_TRUE(counted->total_counted);
  EXPECT_EQ(counted->total, 2);
  EXPECT_FALSE(counted->total_capped);
  f.total = "false";
  auto uncounted = cases.list(manager, f);
  ASSERT_TRUE(uncounted) << uncounted.error().message;
  EXPECT_FALSE(uncounted->total_counted);
  EXPECT_EQ(uncounted->total, 0);
  EXPECT_EQ(uncounted->cases.size(), 1u);
}

TEST_F(CaseServiceTest, EveryFilterIsValidatedByName) {
  auto expect_bad = [&](CaseFilter f, const std::string& name) {
    auto r = cases.list(manager, f);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << name;
    EXPECT_EQ(r.error().message.rfind(name + ":", 0), 0u) << r.error().message;
  };
  CaseFilter f;
  f.touchpoint = "nope";
  expect_bad(f, "touchpoint");
  f = {};
  f.channel = "pigeon";
  expect_bad(f, "channel");
  f = {};
  f.kind = "rant";
  expect_bad(f, "kind");
  f = {};
  f.band = "grumpy";
  expect_bad(f, "band");
  f = {};
  f.theme = "nope";
  expect_bad(f, "theme");
  f = {};
  f.sentiment = "angry";
  expect_bad(f, "sentiment");
  f = {};
  f.status = "new,done";
  expect_bad(f, "status");
  f = {};
  f.language = "de";
  expect_bad(f, "language");
  f = {};
  f.from = "2026-02-30";
  expect_bad(f, "from");
  f = {};
  f.total = "maybe";
  expect_bad(f, "total");
  f = {};
  f.to = "yesterday";
  expect_bad(f, "to");
  f = {};
  f.q = "*** !!";
  expect_bad(f, "q");
  f = {};
  f.assignee = "someone";
  expect_bad(f, "assignee");
  f = {};
  f.overdue = "yes";
  expect_bad(f, "overdue");
  f = {};
  f.alert = "1";
  expect_bad(f, "alert");
  f = {};
  f.limit = "201";
  expect_bad(f, "limit");
  f = {};
  f.cursor = "abc";
  expect_bad(f, "cursor");
}

TEST_F(CaseServiceTest, FullTextQueriesAreQuotedWords) {
  EXPECT_EQ(*fts_query("jono puhelin*"), "\"jono\" \"puhelin\"*");
  EXPECT_EQ(*fts_query("\"NEAR(a b)\" OR x"), "\"NEAR\" \"a\" \"b\" \"OR\" \"x\"");
  EXPECT_EQ(*fts_query("pysäköinti"), "\"pysäköinti\"");
  EXPECT_FALSE(fts_query("  "));
  EXPECT_FALSE(fts_query(std::string(300, 'a')));
  const std::int64_t a = submit("key-fts-aaaaaaaaaaaaa", "tp1", "Pitkä jono puhelimessa", "5");
  const std::int64_t b = submit("key-fts-bbbbbbbbbbbbb", "tp1", "Hyvä hoitaja", "10");
  CaseFilter f;
  f.q = "puhelim*";
  EXPECT_TRUE(ids(manager, f).empty()) << "text not yet analysed (redacted) is not searchable";
  // The analysis (as the backfill stores it) makes the redacted text searchable.
  for (std::int64_t id : {a, b}) {
    auto r = fx.store->responses().get(id);
    ASSERT_TRUE(r) << r.error().message;
    domain::CommentInsight in;
    in.question_key = "open";
    in.language = "fi";
    r->insights = {in};
    ASSERT_TRUE(fx.store->comments().store_analysis(*r));
  }
  EXPECT_EQ(ids(manager, f), std::vector<std::int64_t>{a});
  f.q = "OR";  // an operator of the query language is only a word here
  EXPECT_TRUE(ids(manager, f).empty());
}

TEST_F(CaseServiceTest, TakeNoteAndCloseDeletesTheContact) {
  const std::int64_t id = submit("key-flow-aaaaaaaaaaaa", "tp1", "Soittakaa", "4", true);
  auto early = cases.set_status(manager, id, "answered", "");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().kind, ErrorKind::conflict);
  EXPECT_NE(early.error().message.find("take it first"), std::string::npos);
  EXPECT_EQ(cases.set_status(manager, id, "done", "").error().kind, ErrorKind::invalid_input);

  auto taken = cases.assign(manager, id, std::string("me"), std::nullopt);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->record.status, domain::CaseStatus::in_handling);
  EXPECT_EQ(taken->record.assignee_login, "anna");
  // Users who cannot see the unit, or may not handle cases, are not assignees.
  EXPECT_EQ(cases.assign(manager, id, std::string("olli"), std::nullopt).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cases.assign(manager, id, std::string("aino"), std::nullopt).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cases.assign(manager, id, std::string("nobody"), std::nullopt).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cases.assign(manager, id, std::nullopt, std::string("unit_b1")).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(cases.assign(manager, id, std::string("me"), std::string("unit_a1")).error().kind,
            ErrorKind::invalid_input);
  auto to_unit = cases.assign(manager, id, std::nullopt, std::string("unit_a1"));
  ASSERT_TRUE(to_unit) << to_unit.error().message;
  EXPECT_EQ(to_unit->record.assigned_unit, "unit_a1");
  CaseFilter mine;
  mine.assignee = "unit:unit_a1";
  EXPECT_EQ(ids(manager, mine), std::vector<std::int64_t>{id});

  EXPECT_EQ(cases.add_note(manager, id, "").error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cases.add_note(manager, id, std::string(4001, 'a')).error().kind, ErrorKind::invalid_input);
  auto note = cases.add_note(manager, id, "Soitin");
  ASSERT_TRUE(note) << note.error().message;
  EXPECT_EQ(note->kind, "note");
  EXPECT_EQ(note->login, "anna");
  EXPECT_EQ(note->status, "in_handling");

  fx.clock.advance(1h);
  auto closed = cases.set_status(manager, id, "closed", "Hoidettu");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->record.status, domain::CaseStatus::closed);
  EXPECT_FALSE(closed->contact);
  EXPECT_TRUE(closed->can_reply.empty());
  EXPECT_FALSE(*fx.store->responses().contact_for(id));
  ASSERT_EQ(closed->history.size(), 4u);
  EXPECT_EQ(closed->history[3].kind, "status");
  EXPECT_EQ(closed->history[3].text, "Hoidettu");
  EXPECT_EQ(cases.reply(manager, id, "sms", "Hei").error().kind, ErrorKind::conflict);
  // Reopened, it has no contact any more.
  auto reopened = cases.set_status(manager, id, "in_handling", "");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_FALSE(reopened->contact);
  EXPECT_EQ(cases.reply(manager, id, "sms", "Hei").error().kind, ErrorKind::conflict);
  EXPECT_GE(audited("case.status"), 2);
}

TEST_F(CaseServiceTest, RepliesGoThroughTheMessengerAndAnswerTheCase) {
  const std::int64_t id = submit("key-reply-aaaaaaaaaaa", "tp1", "Soittakaa", "4", true, "sv");
  const std::int64_t no_contact = submit("key-reply-bbbbbbbbbbb", "tp1", "Kiitos", "9");
  EXPECT_EQ(cases.reply(manager, no_contact, "sms", "Hei").error().kind, ErrorKind::conflict);
  EXPECT_EQ(cases.reply(manager, id, "email", "Hej").error().kind, ErrorKind::unavailable);  // not configured
  EXPECT_EQ(cases.reply(manager, id, "fax", "Hej").error().kind, ErrorKind::invalid_input);
  messenger.fail_next = true;
  EXPECT_EQ(cases.reply(manager, id, "sms", "Hej").error().kind, ErrorKind::unavailable);
  EXPECT_EQ(cases.get(manager, id)->record.status, domain::CaseStatus::new_case);  // nothing changed
  messenger.fail_next = false;
  auto sent = cases.reply(manager, id, "sms", "Hej, vi ringer i morgon");
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->status, "queued");
  ASSERT_EQ(messenger.sent.size(), 1u);
  EXPECT_EQ(messenger.sent[0].case_id, id);
  EXPECT_EQ(messenger.sent[0].phone, "+358401234567");
  EXPECT_EQ(messenger.sent[0].language, domain::Language::sv);
  auto c = cases.get(manager, id);
  EXPECT_EQ(c->record.status, domain::CaseStatus::answered);
  ASSERT_EQ(c->history.size(), 1u);
  EXPECT_EQ(c->history[0].kind, "reply");
  EXPECT_EQ(c->history[0].text, "Hej, vi ringer i morgon");
  EXPECT_EQ(audited("case.reply"), 2);  // every attempt, also the one the gateway refused

  CaseService without{fx.model, *fx.store, fx.clock, nullptr};
  EXPECT_EQ(without.reply(manager, id, "sms", "Hej").error().kind, ErrorKind::unavailable);
}

TEST_F(CaseServiceTest, MuistutusSendsTheComplaintInstructionsInTheCustomersLanguage) {
  const std::int64_t id = submit("key-muis-aaaaaaaaaaaa", "tp1", "Valitan", "0", true, "sv");
  auto marked = cases.muistutus(manager, id, true);
  ASSERT_TRUE(marked) << marked.error().message;
  EXPECT_EQ(marked->record.status, domain::CaseStatus::muistutus);
  ASSERT_EQ(messenger.sent.size(), 1u);
  EXPECT_NE(messenger.sent[0].text.find("anmärkning"), std::string::npos) << messenger.sent[0].text;
  EXPECT_NE(messenger.sent[0].text.find("https://example.fi/muistutus"), std::string::npos);
  EXPECT_NE(messenger.sent[0].text.find("029 123 4567"), std::string::npos);
  EXPECT_EQ(marked->history.back().kind, "muistutus");
  // The end of the ordinary workflow.
  EXPECT_EQ(cases.set_status(manager, id, "in_handling", "").error().kind, ErrorKind::conflict);
  EXPECT_EQ(cases.muistutus(manager, id, false).error().kind, ErrorKind::conflict);
  EXPECT_NE(complaint_instructions(fx.model, domain::Language::fi).find("muistutuksen"), std::string::npos);
  EXPECT_NE(complaint_instructions(fx.model, domain::Language::en).find("formal complaint"), std::string::npos);
  fx.model.contacts = {};
  EXPECT_EQ(complaint_instructions(fx.model, domain::Language::fi), "");
}

TEST_F(CaseServiceTest, EveryAnswerWithContactDetailsIsAuditedAsAContactRead) {
  const std::int64_t id = submit("key-cread-aaaaaaaaaaa", "tp1", "Soittakaa", "4", true);
  auto moved = cases.set_status(manager, id, "in_handling", "");
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(moved->contact);
  EXPECT_EQ(audited("contact.read"), 1);
  auto assigned = cases.assign(manager, id, std::nullopt, std::string("unit_a1"));
  ASSERT_TRUE(assigned) << assigned.error().message;
  ASSERT_TRUE(assigned->contact);
  EXPECT_EQ(audited("contact.read"), 2);
  auto marked = cases.muistutus(manager, id, false);
  ASSERT_TRUE(marked) << marked.error().message;
  ASSERT_TRUE(marked->contact);
  EXPECT_EQ(audited("contact.read"), 3);
  const auto reads = audit_entries("contact.read");
  ASSERT_FALSE(reads.empty());
  EXPECT_NE(reads.back().object.find("ids=" + std::to_string(id)), std::string::npos) << reads.back().object;
  // Closing returns no contact, so no contact read.
  const std::int64_t other_id = submit("key-cread-bbbbbbbbbbb", "tp1", "Soittakaa", "4", true);
  auto closed = cases.set_status(manager, other_id, "closed", "");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_FALSE(closed->contact);
  EXPECT_EQ(audited("contact.read"), 3);
}

TEST_F(CaseServiceTest, AReplySentWhileAColleagueMovedTheCaseIsStillRecorded) {
  const domain::Principal colleague = add_user("ville", domain::Role::unit_manager, "unit_a1");
  const std::int64_t id = submit("key-race-aaaaaaaaaaaa", "tp1", "Soittakaa", "4", true);
  messenger.on_send = [&] {
    auto taken = cases.set_status(colleague, id, "in_handling", "");
    EXPECT_TRUE(taken) << taken.error().message;
  };
  auto sent = cases.reply(manager, id, "sms", "Soitamme huomenna");
  ASSERT_TRUE(sent) << sent.error().message;
  auto c = cases.get(manager, id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->record.status, domain::CaseStatus::answered);
  ASSERT_EQ(c->history.size(), 2u);
  EXPECT_EQ(c->history[1].kind, "reply");
  EXPECT_EQ(c->history[1].text, "Soitamme huomenna");
  // Closed meanwhile: the message went out, so it is recorded; the case stays closed.
  messenger.on_send = [&] {
    auto closed = cases.set_status(colleague, id, "closed", "");
    EXPECT_TRUE(closed) << closed.error().message;
  };
  auto again = cases.reply(manager, id, "sms", "Vielä yksi asia");
  ASSERT_TRUE(again) << again.error().message;
  c = cases.get(manager, id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->record.status, domain::CaseStatus::closed);
  EXPECT_EQ(c->history.back().kind, "reply");
  EXPECT_EQ(c->history.back().text, "Vielä yksi asia");
  EXPECT_EQ(messenger.sent.size(), 2u);
}

TEST_F(CaseServiceTest, MuistutusChangesTheStatusBeforeSendingAndReportsAFailedSend) {
  const std::int64_t id = submit("key-mfail-aaaaaaaaaaa", "tp1", "Valitan", "0", true);
  std::optional<domain::CaseStatus> status_at_send;
  messenger.on_send = [&] { status_at_send = fx.store->cases().get(id)->status; };
  messenger.fail_next = true;
  auto marked = cases.muistutus(manager, id, true);
  ASSERT_TRUE(marked) << marked.error().message;
  EXPECT_EQ(status_at_send, domain::CaseStatus::muistutus);
  EXPECT_EQ(marked->record.status, domain::CaseStatus::muistutus);
  ASSERT_TRUE(marked->notification);
  EXPECT_FALSE(marked->notification->sent);
  EXPECT_EQ(marked->notification->channel, "sms");
  EXPECT_NE(marked->notification->error.find("gateway down"), std::string::npos);
  ASSERT_EQ(marked->history.size(), 2u);
  EXPECT_EQ(marked->history[0].kind, "muistutus");
  EXPECT_EQ(marked->history[1].kind, "muistutus");
  EXPECT_NE(marked->history[1].text.find("could not be sent by sms: gateway down"), std::string::npos)
      << marked->history[1].text;
  EXPECT_TRUE(messenger.sent.empty());
  // A second try is a conflict and sends nothing.
  messenger.fail_next = false;
  EXPECT_EQ(cases.muistutus(manager, id, true).error().kind, ErrorKind::conflict);
  EXPECT_TRUE(messenger.sent.empty());
  // Without a notification request there is no notification.
  const std::int64_t quiet = submit("key-mfail-bbbbbbbbbbb", "tp1", "Valitan", "0", true);
  auto silent = cases.muistutus(manager, quiet, false);
  ASSERT_TRUE(silent) << silent.error().message;
  EXPECT_FALSE(silent->notification);
}

TEST_F(CaseServiceTest, ACaseIsAssignedOnlyToItsUnitOrAUnitAboveIt) {
  const domain::Principal area = add_user("aaro", domain::Role::unit_manager, "area_a");
  const std::int64_t id = submit("key-branch-aaaaaaaaaa", "tp1", "Kommentti", "7");  // unit_a1
  auto sibling = cases.assign(area, id, std::nullopt, std::string("unit_a2"));
  ASSERT_FALSE(sibling);
  EXPECT_EQ(sibling.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(sibling.error().message.rfind("unit:", 0), 0u) << sibling.error().message;
  EXPECT_EQ(cases.assign(area, id, std::nullopt, std::string("unit_a2x")).error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(cases.assign(area, id, std::nullopt, std::string("county")).error().kind, ErrorKind::forbidden);
  auto up = cases.assign(area, id, std::nullopt, std::string("area_a"));
  ASSERT_TRUE(up) << up.error().message;
  EXPECT_EQ(up->record.assigned_unit, "area_a");
  auto own = cases.assign(area, id, std::nullopt, std::string("unit_a1"));
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(own->record.assigned_unit, "unit_a1");
}

TEST_F(CaseServiceTest, TheAuditLogCountsSearchWordsButNeverHoldsThem) {
  submit("key-qaudit-aaaaaaaaaa", "tp1", "Pitkä jono puhelimessa", "5");
  CaseFilter f;
  f.q = "jono puhelin* Virtanen";
  ASSERT_TRUE(cases.list(manager, f));
  f.q = "Virtanen";
  ASSERT_TRUE(cases.list(manager, f));
  const auto lists = audit_entries("cases.list");
  ASSERT_EQ(lists.size(), 2u);
  std::vector<std::string> objects{lists[0].object, lists[1].object};
  std::sort(objects.begin(), objects.end());
  EXPECT_NE(objects[0].find("q=<1 word>"), std::string::npos) << objects[0];
  EXPECT_NE(objects[1].find("q=<3 words>"), std::string::npos) << objects[1];
  for (const auto& o : objects) {
    EXPECT_EQ(o.find("Virtanen"), std::string::npos) << o;
    EXPECT_EQ(o.find("jono"), std::string::npos) << o;
  }
}

TEST_F(CaseServiceTest, OverduePerUnit) {
  submit("key-due-aaaaaaaaaaaaa", "tp1", "", "8", true);
  submit("key-due-bbbbbbbbbbbbb", "tp1", "Kommentti", "8");
  submit("key-due-ccccccccccccc", "tp_b", "Toinen", "8", true);
  auto none = cases.overdue(manager);
  ASSERT_TRUE(none) << none.error().message;
  ASSERT_EQ(none->size(), 1u);
  EXPECT_EQ((*none)[0].unit, "unit_a1");
  EXPECT_EQ((*none)[0].overdue, 0);
  EXPECT_EQ((*none)[0].open, 2);
  fx.clock.advance(15 * 24h);
  auto later = cases.overdue(add_user("root", domain::Role::admin, "county"));
  ASSERT_TRUE(later) << later.error().message;
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].overdue, 1);
  EXPECT_EQ((*later)[1].overdue, 1);
  CaseFilter f;
  f.overdue = "true";
  auto l = cases.list(manager, f);
  ASSERT_TRUE(l);
  ASSERT_EQ(l->cases.size(), 1u);
  EXPECT_TRUE(case_overdue(l->cases[0], l->now));
}

// The SMS door: the comment after a score opens a case in the score's band, with
// the redacted text only.
TEST(CaseDoors, AnSmsCommentOpensACaseInTheBandOfItsScore) {
  kaiku::testing::OutreachFixture of;
  auto analyzer = text::Analyzer::create({}, nullptr);
  ASSERT_TRUE(analyzer) << analyzer.error().message;
  CommentProcessor processor(**analyzer, of.sealer, of.fx.clock);
  of.options.comments = &processor;
  of.make();
  kaiku::testing::RecordingGateway gw;
  auto e = kaiku::testing::visit_event("1.2.246.2", "c1", kaiku::testing::kVisit);
  auto r = of.svc->intake({kaiku::testing::item_of(e)});
  ASSERT_TRUE(r && r->front().decision == domain::Decision::scheduled);
  of.fx.clock.set(kaiku::testing::kSendAt);
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).sent, 1);
  of.fx.clock.advance(std::chrono::minutes(30));
  ASSERT_TRUE(of.svc->on_reply(kaiku::testing::kMobileE164, "4"));
  ASSERT_TRUE(of.svc->on_reply(kaiku::testing::kMobileE164, "Jonotin tunnin, soittakaa 040-7654321"));
  auto rs = of.fx.store->responses().scan(0, 100);
  ASSERT_TRUE(rs);
  ASSERT_EQ(rs->size(), 2u);
  EXPECT_FALSE(of.fx.store->cases().get((*rs)[0].id)) << "a bare score opens no case";
  auto c = of.fx.store->cases().get((*rs)[1].id);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->channel, domain::Channel::sms);
  EXPECT_EQ(c->kind, domain::CaseKind::comment);
  EXPECT_EQ(c->nps, 4);
  EXPECT_EQ(c->band, domain::ScoreBand::detractor);
  EXPECT_EQ(c->excerpt.find("040-7654321"), std::string::npos) << c->excerpt;
  EXPECT_NE(c->excerpt.find("Jonotin tunnin"), std::string::npos) << c->excerpt;
  EXPECT_TRUE(kaiku::testing::find_in_database(of.db_file(), "7654321").empty());
}

}  // namespace
}  // namespace kaiku::service
