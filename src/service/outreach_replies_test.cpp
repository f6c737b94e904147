// OutreachService replies: the reply-mode dialogue end to end through the store,
// re-prompts, opt-outs, late and redelivered replies, and no phone number anywhere.
#include <gtest/gtest.h>

#include "domain/sms_text.hpp"
#include "service/outreach_test_support.hpp"

namespace kaiku::service {
namespace {

using kaiku::testing::item_of;
using kaiku::testing::kMobileE164;
using kaiku::testing::RecordingGateway;
using kaiku::testing::utc;
using kaiku::testing::visit_event;
using storage::OutboxKind;

using kaiku::testing::kNow;
using kaiku::testing::kSendAt;
using kaiku::testing::kVisit;

class OutreachRepliesTest : public ::testing::Test {
 protected:
  kaiku::testing::OutreachFixture of;
  RecordingGateway gw;

  void SetUp() override { of.make(); }
  // Schedules a reply-mode visit at tp_sms and sends its invitation.
  std::int64_t invite(const std::string& visit_id = "r1", const std::string& language = "fi") {
    auto e = visit_event("1.2.246.2", visit_id, kVisit);
    e.language = language;
    auto r = of.svc->intake({item_of(e)});
    EXPECT_TRUE(r && r->front().decision == domain::Decision::scheduled);
    of.fx.clock.set(kSendAt);
    DispatchStats s = of.svc->dispatch_once(gw, 10);
    EXPECT_EQ(s.sent, 1);
    of.fx.clock.advance(std::chrono::minutes(30));
    return r ? r->front().event_id : 0;
  }
  std::vector<domain::Response> responses() {
    auto r = of.fx.store->responses().scan(0, 100);
    EXPECT_TRUE(r);
    return r ? *r : std::vector<domain::Response>{};
  }
  // Sends what is due now; returns the texts handed over in this pass.
  std::vector<std::string> flush() {
    const std::size_t before = gw.sent.size();
    (void)of.svc->dispatch_once(gw, 10);
    std::vector<std::string> texts;
    for (std::size_t i = before; i < gw.sent.size(); ++i) {
      EXPECT_EQ(gw.sent[i].to, kMobileE164);
      texts.push_back(gw.sent[i].text);
    }
    return texts;
  }
  void reply(const std::string& text, const std::string& from = "+358401234567") {
    auto st = of.svc->on_reply(from, text);
    ASSERT_TRUE(st) << st.error().message;
  }
  // Runs `sql` on the store's database through a separate connection.
  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(of.db_file().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  const domain::Answer* answer(const domain::Response& r, const std::string& key) {
    for (const auto& a : r.answers) {
      if (a.key == key) return &a;
    }
    return nullptr;
  }
};

TEST_F(OutreachRepliesTest, ScoreFollowUpCommentThanks) {
  invite();
  ASSERT_EQ(gw.sent.size(), 1u);
  const std::string& invitation_text = gw.sent[0].text;
  EXPECT_NE(invitation_text.find("Vastaa numerolla 0-10"), std::string::npos) << invitation_text;
  EXPECT_NE(invitation_text.find("nps"), std::string::npos) << "the survey's NPS question text: " << invitation_text;
  EXPECT_NE(invitation_text.find("LOPETA"), std::string::npos);
  EXPECT_TRUE(domain::fits_gsm7(invitation_text));
  EXPECT_EQ(gw.sent[0].coding, SmsCoding::gsm7);

  reply("9");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  const domain::Response score = rs[0];
  EXPECT_EQ(score.channel, domain::Channel::sms);
  EXPECT_EQ(score.touchpoint, "tp_sms");
  EXPECT_EQ(score.unit, "unit_a2x");
  EXPECT_EQ(score.survey, "core");
  EXPECT_EQ(score.language, domain::Language::fi);
  EXPECT_EQ(score.age_group, domain::AgeGroup::from_35_to_49);
  EXPECT_EQ(score.model_version, of.fx.model.version);
  EXPECT_FALSE(score.invitation.empty());
  EXPECT_FALSE(score.late);
  ASSERT_NE(answer(score, "nps"), nullptr);
  EXPECT_EQ(answer(score, "nps")->number, 9);
  ASSERT_EQ(of.observer.responses.size(), 1u);
  EXPECT_EQ(of.observer.responses[0].id, score.id);
  // The invitation is used.
  auto invs = of.fx.store->invitations().list(0, 100);
  ASSERT_TRUE(invs);
  ASSERT_EQ(invs->size(), 1u);
  EXPECT_EQ(invs->front().id, score.invitation);
  EXPECT_TRUE(invs->front().used_at);

  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find("open"), std::string::npos) << "the follow-up asks the open question: " << texts[0];

  reply("Hoitaja oli ystävällinen, odotin 20 min", "358401234567");  // Kannel may drop the '+'
  rs = responses();
  ASSERT_EQ(rs.size(), 2u);
  const domain::Response& comment = rs[1];
  EXPECT_EQ(comment.supplements, score.id);
  EXPECT_EQ(comment.channel, domain::Channel::sms);
  EXPECT_EQ(comment.touchpoint, "tp_sms");
  EXPECT_TRUE(comment.invitation.empty());
  ASSERT_NE(answer(comment, "open"), nullptr);
  EXPECT_EQ(answer(comment, "open")->text, "Hoitaja oli ystävällinen, odotin 20 min");
  EXPECT_EQ(of.observer.responses.size(), 2u);
  texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Kiitos palautteestasi!");

  // The comment delivered again, and anything after thanks: nothing new.
  reply("Hoitaja oli ystävällinen, odotin 20 min");
  reply("ja kiitos vielä");
  EXPECT_EQ(responses().size(), 2u);
  EXPECT_TRUE(flush().empty());
}

TEST_F(OutreachRepliesTest, ARedeliveredScoreIsStoredOnceAndAsksOnce) {
  invite();
  reply("9/10");
  reply("9/10");
  EXPECT_EQ(responses().size(), 1u);
  EXPECT_EQ(of.observer.responses.size(), 1u);
  EXPECT_EQ(flush().size(), 1u);
}

TEST_F(OutreachRepliesTest, AReplyStepIsAllOrNothingSoARetryAsksOnce) {
  invite();
  // The dialogue's update fails (a crash at that point): before, the score was
  // already stored and the follow-up queued, and the retry queued a second one.
  exec("CREATE TRIGGER fail_dialogue BEFORE UPDATE ON dialogues BEGIN SELECT RAISE(ABORT, 'injected'); END;");
  EXPECT_FALSE(of.svc->on_reply("+358401234567", "9"));
  EXPECT_TRUE(responses().empty()) << "nothing of the failed step stays";
  EXPECT_TRUE(flush().empty()) << "no follow-up queued by the failed step";
  exec("DROP TRIGGER fail_dialogue;");
  reply("9");  // Kannel retries the MO
  EXPECT_EQ(responses().size(), 1u);
  EXPECT_EQ(flush().size(), 1u) << "one follow-up";
  reply("9");
  EXPECT_TRUE(flush().empty());
  EXPECT_EQ(of.observer.responses.size(), 1u);
}

TEST_F(OutreachRepliesTest, AReplyDeliveredAgainWithTheSameGatewayIdIsTakenOnce) {
  invite();
  ASSERT_TRUE(of.svc->on_reply("+358401234567", "hmm", "mo-1"));
  ASSERT_EQ(flush().size(), 1u);  // the re-prompt
  // Kannel calls get-url again for the same MO: not a second unreadable reply.
  ASSERT_TRUE(of.svc->on_reply("+358401234567", "hmm", "mo-1"));
  EXPECT_TRUE(responses().empty());
  EXPECT_TRUE(flush().empty());
  // A new MO with the same words is an answer (kept as text after the re-prompt).
  ASSERT_TRUE(of.svc->on_reply("+358401234567", "hmm", "mo-2"));
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  ASSERT_NE(answer(rs[0], "open"), nullptr);
  EXPECT_EQ(answer(rs[0], "open")->text, "hmm");
  EXPECT_EQ(flush().size(), 1u);  // thanks
}

TEST_F(OutreachRepliesTest, ALateReplyNeverAnswersAnInvitationNotYetSent) {
  const std::int64_t ev = invite("r1");  // asked; never answered
  auto first = of.repo().messages_for_event(ev);
  ASSERT_TRUE(first && !first->empty());
  // Forty days on, another visit on the same number; its SMS goes tomorrow.
  const TimePoint later = kSendAt + std::chrono::hours(24 * 40);
  of.fx.clock.set(later + std::chrono::hours(1));
  auto r = of.svc->intake({item_of(visit_event("1.2.246.2", "r2", later))});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->front().decision, domain::Decision::scheduled);
  auto second = of.repo().messages_for_event(r->front().event_id);
  ASSERT_TRUE(second && !second->empty());
  // The person answers last month's SMS now: a late answer to it, not tomorrow's score.
  reply("7");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].late);
  EXPECT_TRUE(rs[0].invitation.empty());
  EXPECT_TRUE(flush().empty()) << "no follow-up for a late reply";
  // Tomorrow's SMS goes; its answer is its own.
  of.fx.clock.set(later + std::chrono::hours(27));
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  reply("8");
  rs = responses();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_FALSE(rs[1].late);
  EXPECT_EQ(rs[1].invitation, second->front().invitation_id);
  EXPECT_EQ(answer(rs[1], "nps")->number, 8);
}

TEST_F(OutreachRepliesTest, AScoreWithACommentNeedsNoFollowUp) {
  invite();
  reply(" 10! Erinomainen palvelu");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(answer(rs[0], "nps")->number, 10);
  EXPECT_EQ(rs[1].supplements, rs[0].id);
  ASSERT_NE(answer(rs[1], "open"), nullptr);
  EXPECT_EQ(answer(rs[1], "open")->text, "Erinomainen palvelu");
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Kiitos palautteestasi!");
}

TEST_F(OutreachRepliesTest, AnUnreadableReplyGetsOneRepromptThenTheWordsAreKept) {
  invite();
  reply("hmm en tiedä");
  EXPECT_TRUE(responses().empty());
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find("0-10"), std::string::npos) << texts[0];
  reply("   ");  // blank: ignored, no second re-prompt
  EXPECT_TRUE(flush().empty());
  reply("ihan ok kai");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(answer(rs[0], "nps"), nullptr);
  ASSERT_NE(answer(rs[0], "open"), nullptr);
  EXPECT_EQ(answer(rs[0], "open")->text, "ihan ok kai");
  EXPECT_FALSE(rs[0].invitation.empty());
  texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Kiitos palautteestasi!");
}

TEST_F(OutreachRepliesTest, AReadableAnswerAfterTheRepromptIsAScore) {
  invite();
  reply("?");
  ASSERT_EQ(flush().size(), 1u);
  reply("kahdeksan");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(answer(rs[0], "nps")->number, 8);
  EXPECT_EQ(flush().size(), 1u);  // the follow-up
}

TEST_F(OutreachRepliesTest, OptOutStopsEverythingAndIsConfirmedOnce) {
  invite();
  // Another person with the same number has a survey pending at tp_b.
  of.fx.clock.set(kNow);
  auto other = visit_event("1.2.246.3", "other", kVisit);
  auto pending = of.svc->intake({item_of(other)});
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->front().decision, domain::Decision::scheduled);
  of.fx.clock.set(kSendAt + std::chrono::minutes(30));

  reply("Lopeta");
  auto opted = of.repo().is_opted_out(of.sealer.keyed_hash("number", kMobileE164));
  ASSERT_TRUE(opted);
  EXPECT_TRUE(*opted);
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Et saa enää palautekyselyitä tähän numeroon.");
  auto msgs = of.repo().messages_for_event(pending->front().event_id);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 1u);
  EXPECT_EQ(msgs->front().state, storage::OutboxState::cancelled);
  // The dialogue is over: a score now is not stored.
  reply("9");
  EXPECT_TRUE(responses().empty());
  // Said again: no second confirmation.
  reply("LOPETA");
  EXPECT_TRUE(flush().empty());
  // New visits to that number are excluded.
  auto later = visit_event("1.2.246.1", "later", kSendAt + std::chrono::hours(24 * 40));
  of.fx.clock.set(kSendAt + std::chrono::hours(24 * 40));
  auto r = of.svc->intake({item_of(later)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().decision, domain::Decision::excluded);
  EXPECT_EQ(r->front().reasons, std::vector<domain::Reason>{domain::Reason::opted_out});
}

TEST_F(OutreachRepliesTest, OptOutByReplyAlsoStopsThePersonOnAnotherNumber) {
  invite();  // person-r1 on kMobile
  reply("LOPETA");
  // The same person later visits with another mobile: an opt-out is per person too.
  const TimePoint later = kSendAt + std::chrono::hours(24 * 40);
  auto e = visit_event("1.2.246.1", "r1-later", later);
  e.person_id = "person-r1";
  e.mobiles = {"040 765 4321"};
  of.fx.clock.set(later + std::chrono::hours(1));
  auto r = of.svc->intake({item_of(e)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().decision, domain::Decision::excluded);
  EXPECT_EQ(r->front().reasons, std::vector<domain::Reason>{domain::Reason::opted_out});
  // Someone else on that other number is still asked.
  auto other = visit_event("1.2.246.1", "someone-else", later);
  other.mobiles = {"040 765 4321"};
  r = of.svc->intake({item_of(other)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().decision, domain::Decision::scheduled);
}

TEST_F(OutreachRepliesTest, DialogueMessagesBelongToTheirEvent) {
  const std::int64_t ev = invite();
  reply("9");
  ASSERT_EQ(flush().size(), 1u);
  auto msgs = of.repo().messages_for_event(ev);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 2u) << "the invitation and the follow-up";
  EXPECT_EQ(msgs->at(0).kind, OutboxKind::invite);
  EXPECT_EQ(msgs->at(1).kind, OutboxKind::followup);
  EXPECT_EQ(msgs->at(1).dialogue_id, msgs->at(0).dialogue_id);
}

TEST_F(OutreachRepliesTest, AReplyGoesToThePersonWhoWasAskedOnASharedNumber) {
  const std::int64_t ev = invite("r1");  // handed over
  // A second person with the same number: scheduled now, its SMS goes tomorrow.
  of.fx.clock.set(kSendAt + std::chrono::hours(1));
  auto r = of.svc->intake({item_of(visit_event("1.2.246.2", "r2", kSendAt))});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->front().decision, domain::Decision::scheduled);
  reply("8");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  auto first = of.repo().messages_for_event(ev);
  ASSERT_TRUE(first && !first->empty());
  EXPECT_EQ(rs[0].invitation, first->front().invitation_id) << "the dialogue whose invitation was sent";
}

TEST_F(OutreachRepliesTest, ALateReplyIsRecognisedAfterThePurge) {
  invite();
  of.fx.clock.set(kSendAt + std::chrono::hours(24 * 30));
  auto purged = of.repo().purge_outreach(of.fx.clock.now(), of.fx.clock.now() - std::chrono::hours(24 * 400));
  ASSERT_TRUE(purged) << purged.error().message;
  // (The store's periodic purge may have run already, on the write above.)
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(of.db_file().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM contacts", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(st, 0), 0) << "the number went at expiry";
  sqlite3_finalize(st);
  sqlite3_close(db);
  reply("7");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u) << "the dialogue outlives its contact";
  EXPECT_TRUE(rs[0].late);
  EXPECT_TRUE(flush().empty()) << "nothing is sent: the number is gone";
}

TEST_F(OutreachRepliesTest, SwedishDialogueIsAnsweredInSwedish) {
  invite("sv1", "sv");
  EXPECT_NE(gw.sent[0].text.find("Svara med en siffra 0-10"), std::string::npos) << gw.sent[0].text;
  reply("nio");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].language, domain::Language::sv);
  EXPECT_EQ(answer(rs[0], "nps")->number, 9);
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find("Tack!"), std::string::npos) << texts[0];
  reply("SLUTA");
  texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Du får inte längre enkäter till det här numret.");
}

TEST_F(OutreachRepliesTest, UnknownNumbersAreIgnoredUnlessTheyOptOut) {
  of.fx.clock.set(kSendAt);
  reply("9");
  EXPECT_TRUE(responses().empty());
  EXPECT_TRUE(flush().empty());
  reply("STOP");
  auto opted = of.repo().is_opted_out(of.sealer.keyed_hash("number", kMobileE164));
  ASSERT_TRUE(opted);
  EXPECT_TRUE(*opted);
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "You will no longer get feedback surveys to this number.");
  // Not a phone number at all: ignored.
  reply("LOPETA", "Kaiku");
  EXPECT_TRUE(flush().empty());
}

TEST_F(OutreachRepliesTest, ALateReplyIsStoredMarkedLateAndNotAnswered) {
  invite();
  of.fx.clock.set(kSendAt + std::chrono::hours(24 * 15));
  reply("7");
  auto rs = responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].late);
  EXPECT_EQ(answer(rs[0], "nps")->number, 7);
  EXPECT_EQ(rs[0].touchpoint, "tp_sms");
  EXPECT_TRUE(flush().empty());
  reply("7");
  EXPECT_EQ(responses().size(), 1u);
}

TEST_F(OutreachRepliesTest, RepliesInQuietHoursAreAnsweredRightAwayButNotLater) {
  invite();
  of.fx.clock.set(utc(2026, 9, 23, 18));  // 21:00 Helsinki
  reply("8");
  EXPECT_EQ(flush().size(), 1u);  // the follow-up goes at once
  of.fx.clock.advance(std::chrono::minutes(1));
  reply("Kaikki hyvin");
  gw.fallback = SendOutcome::Kind::unavailable;
  EXPECT_EQ(flush().size(), 1u);  // tried, gateway down
  gw.fallback = SendOutcome::Kind::accepted;
  // Still down past the ten minutes: the thanks waits for the morning.
  of.fx.clock.advance(std::chrono::minutes(15));
  EXPECT_TRUE(flush().empty());
  of.fx.clock.set(utc(2026, 9, 24, 9));
  auto texts = flush();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "Kiitos palautteestasi!");
}

TEST_F(OutreachRepliesTest, NoPhoneNumberInResponsesEventsAuditOrAnyTable) {
  invite();
  reply("9");
  (void)flush();
  reply("Soittakaa minulle 0401234567");  // the customer writes their own number: that is their text
  (void)flush();
  domain::Principal county{1, "cx", domain::Role::cx_specialist, "county"};
  ASSERT_TRUE(of.svc->list_events(county, EventListRequest{}));
  for (const auto& r : responses()) {
    EXPECT_EQ(r.submission_key.find("401234567"), std::string::npos);
    EXPECT_EQ(r.invitation.find("401234567"), std::string::npos);
  }
  for (const auto& r : of.observer.responses) EXPECT_EQ(r.submission_key.find("358"), std::string::npos);
  auto audit = of.fx.store->audit().recent(10);
  ASSERT_TRUE(audit);
  for (const auto& a : *audit) EXPECT_EQ(a.object.find("401234567"), std::string::npos);
  // The only place the digits may be is the text the customer wrote in the answer.
  auto hits = kaiku::testing::find_in_database(of.db_file(), "358401234567");
  EXPECT_TRUE(hits.empty()) << hits.front();
  hits = kaiku::testing::find_in_database(of.db_file(), "401234567");
  for (const auto& h : hits) EXPECT_EQ(h, "responses.answers");
}

}  // namespace
}  // namespace kaiku::service
