// Privacy and conversation parts of SMS outreach storage (schema 4): opt-outs,
// dialogues, contacts and their expiry, and the purge (on demand and by the
// writer's periodic maintenance).
#include <gtest/gtest.h>

#include "storage/outreach_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::bytes;

using OutreachPrivacyTest = testing::OutreachTest;

// ---- opt-outs ----

TEST_F(OutreachPrivacyTest, OptOutCancelsPendingSurveyMessagesButNotTheConfirmation) {
  auto invite = schedule("a", scheduling("a", "person-1", "number-1", true));
  auto other_number = schedule("b", scheduling("b", "person-2", "number-2"));
  const std::int64_t contact = repo().get_message(invite.message_id)->contact_id;
  auto followup = repo().enqueue(message(contact, OutboxKind::followup, "ref-f"));
  ASSERT_TRUE(followup) << followup.error().message;
  auto confirm = repo().enqueue(message(contact, OutboxKind::opt_out_confirm, "ref-c"));
  ASSERT_TRUE(confirm);

  EXPECT_FALSE(*repo().is_opted_out("number-1"));
  ASSERT_TRUE(repo().add_opt_out("number-1", "", clock_.now()));
  ASSERT_TRUE(repo().add_opt_out("number-1", "", clock_.now())) << "idempotent";
  EXPECT_TRUE(*repo().is_opted_out("number-1"));
  EXPECT_FALSE(*repo().is_opted_out("number-2"));
  EXPECT_FALSE(*repo().is_opted_out(""));
  EXPECT_EQ(scalar("SELECT count(*) FROM opt_outs"), "1");

  EXPECT_EQ(state(invite.message_id), OutboxState::cancelled);
  EXPECT_EQ(state(*followup), OutboxState::cancelled);
  EXPECT_EQ(state(*confirm), OutboxState::pending);
  EXPECT_EQ(state(other_number.message_id), OutboxState::pending);

  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_TRUE(*tx.opted_out("", {"number-3", "number-1"}));
    EXPECT_FALSE(*tx.opted_out("", {"number-2"}));
    EXPECT_FALSE(*tx.opted_out("person-1", {}));
    EXPECT_FALSE(*tx.opted_out("", {""}));
    EXPECT_FALSE(*tx.opted_out("", {}));
    return {};
  }));

  // A person's opt-out reaches their messages on any number.
  ASSERT_TRUE(repo().add_opt_out("number-9", "person-2", clock_.now()));
  EXPECT_EQ(state(other_number.message_id), OutboxState::cancelled);
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_TRUE(*tx.opted_out("person-2", {"number-5"}));
    EXPECT_TRUE(*tx.opted_out("", {"number-9"}));
    return {};
  }));
  auto bad = repo().add_opt_out("", "", clock_.now());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
}

// ---- dialogues ----

// Schedules a reply-mode event whose invite is handed over at once.
static Scheduling due_now(Scheduling s, TimePoint now) {
  s.message.not_before = now;
  s.message.next_attempt_at = now;
  return s;
}

TEST_F(OutreachPrivacyTest, DialogueForNumberPrefersAnOpenDialogue) {
  EXPECT_FALSE(repo().dialogue_for_number("number-1")->has_value());
  const auto hand_over = [&](const std::string& key) {
    auto r = schedule(key, due_now(scheduling(key, "person-1", "number-1", true), clock_.now()));
    EXPECT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
    EXPECT_TRUE(repo().mark_sent(r.message_id, clock_.now(), "ok"));
    return r;
  };
  auto first = hand_over("a");
  auto open_one = hand_over("b");
  auto newest = hand_over("c");
  const std::int64_t d1 = repo().get_message(first.message_id)->dialogue_id;
  const std::int64_t d2 = repo().get_message(open_one.message_id)->dialogue_id;
  const std::int64_t d3 = repo().get_message(newest.message_id)->dialogue_id;

  auto found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, d3) << "the newest open dialogue";

  for (auto id : {d1, d3}) {
    auto d = repo().get_dialogue(id);
    ASSERT_TRUE(d);
    d->state = DialogueState::done;
    d->updated_at = clock_.now();
    auto st = repo().update_dialogue(*d);
    ASSERT_TRUE(st) << st.error().message;
  }
  found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, d2) << "an open dialogue wins over a newer finished one";

  // Past its expiry an open dialogue is no longer preferred: none is live, so the
  // newest is the one (a reply then is late, or to a finished dialogue).
  clock_.advance(15 * 24h);
  auto d = repo().get_dialogue(d2);
  ASSERT_TRUE(d);
  d->state = DialogueState::awaiting_comment;
  d->reprompted = true;
  d->response_id = 42;
  d->updated_at = clock_.now();
  ASSERT_TRUE(repo().update_dialogue(*d));
  found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, d3) << "none live: the newest";
  auto back = repo().get_dialogue(d2);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->state, DialogueState::awaiting_comment);
  EXPECT_TRUE(back->reprompted);
  EXPECT_EQ(back->response_id, 42);
  EXPECT_EQ(back->updated_at, clock_.now());

  d->state = DialogueState::done;
  ASSERT_TRUE(repo().update_dialogue(*d));
  found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, d3) << "none open: the newest";
  EXPECT_FALSE(repo().dialogue_for_number("number-2")->has_value());

  Dialogue ghost;
  ghost.id = 999;
  auto st = repo().update_dialogue(ghost);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(repo().get_dialogue(999));
}

TEST_F(OutreachPrivacyTest, DialogueForNumberPrefersOneWhoseInvitationWasHandedOver) {
  // Two persons share a number: a's invitation goes now, b's (newer) tomorrow.
  auto sa = scheduling("a", "person-a", "number-1", true);
  sa.message.not_before = clock_.now();
  sa.message.next_attempt_at = clock_.now();
  auto a = schedule("a", sa);
  auto b = schedule("b", scheduling("b", "person-b", "number-1", true));
  const std::int64_t da = repo().get_message(a.message_id)->dialogue_id;
  const std::int64_t db = repo().get_message(b.message_id)->dialogue_id;
  EXPECT_FALSE(repo().dialogue_for_number("number-1")->has_value()) << "neither handed over: none";

  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  EXPECT_FALSE(repo().dialogue_for_number("number-1")->has_value()) << "sending is not handed over yet";
  ASSERT_TRUE(repo().mark_sent(a.message_id, clock_.now(), "ok"));
  auto found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, da) << "the person who was asked, though b's dialogue is newer";
  EXPECT_EQ((*found)->person_key, "person-a");
  EXPECT_EQ((*found)->event_id, a.event_id);
  ASSERT_TRUE(repo().delivery_report("ref-a", 1, clock_.now()));
  EXPECT_EQ(repo().dialogue_for_number("number-1")->value().id, da) << "delivered counts as handed over";

  // When b's goes too, the newest handed-over one.
  clock_.advance(21h);
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(b.message_id, clock_.now(), "ok"));
  found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, db);
  EXPECT_EQ((*found)->person_key, "person-b");
  EXPECT_EQ((*found)->event_id, b.event_id);
}

TEST_F(OutreachPrivacyTest, DialogueForNumberNeverPicksOneNotYetAsked) {
  // Last month's dialogue was asked and answered (done), or expired unanswered;
  // tomorrow's is live but its invite is still pending: a reply now belongs to
  // the old one (late), never to tomorrow's.
  auto old_one = schedule("old", due_now(scheduling("old", "person-1", "number-1", true), clock_.now()));
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(old_one.message_id, clock_.now(), "ok"));
  const std::int64_t d_old = repo().get_message(old_one.message_id)->dialogue_id;
  clock_.advance(30 * 24h);
  auto tomorrow = schedule("new", scheduling("new", "person-1", "number-1", true));
  const std::int64_t d_new = repo().get_message(tomorrow.message_id)->dialogue_id;
  ASSERT_NE(d_old, d_new);
  auto found = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, d_old) << "open past its expiry, but asked: the reply is late";
  auto d = repo().get_dialogue(d_old);
  ASSERT_TRUE(d);
  d->state = DialogueState::done;
  ASSERT_TRUE(repo().update_dialogue(*d));
  EXPECT_EQ(repo().dialogue_for_number("number-1")->value().id, d_old) << "done, but asked";
  // A number whose only dialogue was never handed over (e.g. cancelled or expired unsent).
  schedule("other", scheduling("other", "person-2", "number-2", true));
  EXPECT_FALSE(repo().dialogue_for_number("number-2")->has_value());
}

// ---- contacts and purge ----

TEST_F(OutreachPrivacyTest, ContactsExpire) {
  auto id = add_contact("number-1", 1h);
  auto c = repo().get_contact(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sealed_number, bytes("sealed:number-1"));
  clock_.advance(1h);
  auto gone = repo().get_contact(id);
  ASSERT_FALSE(gone) << "an expired contact is not handed out, purged or not";
  EXPECT_EQ(gone.error().kind, ErrorKind::not_found);
  ContactRecord bad;
  EXPECT_FALSE(repo().add_contact(bad));
}

TEST_F(OutreachPrivacyTest, PurgeDeletesExpiredContactsDialoguesTextsAndOldHistory) {
  auto short_lived = scheduling("a", "person-1", "number-1", true);
  short_lived.contact_expires_at = clock_.now() + 2 * 24h;
  short_lived.message.not_before = clock_.now();
  short_lived.message.next_attempt_at = clock_.now();
  auto a = schedule("a", short_lived);
  auto pending_too_long = scheduling("b", "person-2", "number-2");
  pending_too_long.contact_expires_at = clock_.now() + 2 * 24h;
  auto b = schedule("b", pending_too_long);  // not due before its contact expires
  auto c = schedule("c", scheduling("c", "person-3", "number-3", true));  // 14 days
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(a.message_id, clock_.now(), "ok"));

  clock_.advance(2 * 24h);
  auto deleted = repo().purge_outreach(clock_.now(), clock_.now() - 24h);
  ASSERT_TRUE(deleted) << deleted.error().message;
  // a: its dialogue, its contact and its (sent) text; b: its contact (and its
  // pending message expired, text deleted); three history rows older than a day.
  // (a's dialogue stays for SqliteOptions::dialogue_retention: see below.)
  EXPECT_EQ(*deleted, 2 + 2 + 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM dialogues"), "2");
  EXPECT_EQ(scalar("SELECT count(*) FROM person_history"), "0");
  auto ma = repo().get_message(a.message_id);
  EXPECT_EQ(ma->state, OutboxState::sent);
  EXPECT_TRUE(ma->sealed_text.empty());
  EXPECT_EQ(ma->contact_id, 0);
  EXPECT_NE(ma->dialogue_id, 0);
  auto mb = repo().get_message(b.message_id);
  EXPECT_EQ(mb->state, OutboxState::expired);
  EXPECT_TRUE(mb->sealed_text.empty());
  auto mc = repo().get_message(c.message_id);
  EXPECT_EQ(mc->state, OutboxState::pending);
  EXPECT_FALSE(mc->sealed_text.empty());
  EXPECT_TRUE(repo().get_contact(mc->contact_id));
  // Nothing more to do.
  EXPECT_EQ(*repo().purge_outreach(clock_.now(), clock_.now() - 24h), 0);
}

TEST_F(OutreachPrivacyTest, DialoguesOutliveTheirContactForTheRetention) {
  auto s = due_now(scheduling("a", "person-1", "number-1", true), clock_.now());
  s.contact_expires_at = clock_.now() + 2 * 24h;
  auto a = schedule("a", s);
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(a.message_id, clock_.now(), "ok"));  // asked
  const std::int64_t d = repo().get_message(a.message_id)->dialogue_id;
  clock_.advance(2 * 24h);
  ASSERT_TRUE(repo().purge_outreach(clock_.now(), clock_.now() - 400 * 24h));
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts"), "0") << "the number goes at expiry";
  auto kept = repo().dialogue_for_number("number-1");
  ASSERT_TRUE(kept && kept->has_value()) << "a late reply is still recognised";
  EXPECT_EQ((*kept)->id, d);
  EXPECT_EQ((*kept)->contact_id, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM dialogues WHERE id = " + std::to_string(d) +
                   " AND number_key = 'number-1' AND person_key = 'person-1'"),
            "1");

  // Until the default retention (90 days after expiry) has passed.
  clock_.advance(90 * 24h - 1ms);
  ASSERT_TRUE(repo().purge_outreach(clock_.now(), clock_.now() - 400 * 24h));
  EXPECT_EQ(scalar("SELECT count(*) FROM dialogues"), "1");
  clock_.advance(1ms);
  ASSERT_TRUE(repo().purge_outreach(clock_.now(), clock_.now() - 400 * 24h));
  EXPECT_EQ(scalar("SELECT count(*) FROM dialogues"), "0");
  EXPECT_FALSE(repo().dialogue_for_number("number-1")->has_value());

  // The retention is an option; 0 deletes the dialogue with its contact.
  SqliteOptions o = no_periodic_purge();
  o.dialogue_retention = std::chrono::milliseconds(0);
  open(o);
  auto s2 = due_now(scheduling("b", "person-2", "number-2", true), clock_.now());
  s2.contact_expires_at = clock_.now() + 24h;
  auto b = schedule("b", s2);
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(b.message_id, clock_.now(), "ok"));
  ASSERT_TRUE(repo().dialogue_for_number("number-2")->has_value());
  clock_.advance(24h);
  ASSERT_TRUE(repo().purge_outreach(clock_.now(), clock_.now() - 400 * 24h));
  EXPECT_FALSE(repo().dialogue_for_number("number-2")->has_value());
}

TEST_F(OutreachPrivacyTest, WriterPurgesOutreachPeriodically) {
  SqliteOptions o;
  o.purge_interval = 1h;
  o.maintenance_poll = 5ms;
  open(o);
  auto s = scheduling("a");
  s.contact_expires_at = clock_.now() + 90min;
  schedule("a", s);
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts"), "1");
  clock_.advance(2h);
  // Any write: the writer checks before each batch whether a purge is due.
  ASSERT_TRUE(store_->model_versions().remember("v", "{}", clock_.now()));
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts"), "0");
}

}  // namespace
}  // namespace kaiku::storage
