// OutreachRepository::apply_reply: one reply step (responses, queued messages,
// the dialogue's new state) in one transaction, with a compare-and-set on the
// dialogue so that a duplicate or concurrent reply does nothing.
#include <gtest/gtest.h>

#include "storage/outreach_test_util.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::bytes;

class OutreachDialogueTest : public testing::OutreachTest {
 protected:
  struct Asked {
    std::int64_t event_id = 0;
    std::int64_t dialogue_id = 0;
    std::int64_t contact_id = 0;
  };
  // A reply-mode event whose invite has been handed over.
  Asked asked(const std::string& key) {
    Scheduling s = scheduling(key, "person-" + key, "number-" + key, true);
    s.message.not_before = clock_.now();
    s.message.next_attempt_at = clock_.now();
    auto r = schedule(key, s);
    EXPECT_GE(repo().claim_due(clock_.now(), 10)->size(), 1u);  // (with earlier steps' messages)
    EXPECT_TRUE(repo().mark_sent(r.message_id, clock_.now(), "ok"));
    auto m = repo().get_message(r.message_id);
    EXPECT_TRUE(m);
    return {r.event_id, m->dialogue_id, m->contact_id};
  }
  domain::Response response(const std::string& submission_key, const std::string& invitation) {
    domain::Response r;
    r.submission_key = submission_key;
    r.model_version = "v1";
    r.touchpoint = "tp-u-1";
    r.unit = "u-1";
    r.survey = "core";
    r.channel = domain::Channel::sms;
    r.language = domain::Language::sv;
    r.answered_at = clock_.now();
    r.invitation = invitation;
    return r;
  }
  domain::Response score(const std::string& key, const std::string& invitation, int value) {
    domain::Response r = response(key, invitation);
    domain::Answer a;
    a.key = "nps";
    a.number = value;
    r.answers.push_back(a);
    return r;
  }
  domain::Response comment(const std::string& key, const std::string& text) {
    domain::Response r = response(key, "");
    domain::Answer a;
    a.key = "open";
    a.text = text;
    r.answers.push_back(a);
    return r;
  }
  OutboxMessage reply_message(const Asked& a, OutboxKind kind, const std::string& ref) {
    OutboxMessage m = message(a.contact_id, kind, ref);
    m.dialogue_id = a.dialogue_id;
    m.event_id = a.event_id;
    return m;
  }
  ReplyStep step(const Asked& a, DialogueState from, DialogueState to) {
    ReplyStep s;
    s.dialogue_id = a.dialogue_id;
    s.from_state = from;
    s.to_state = to;
    s.updated_at = clock_.now();
    return s;
  }
  std::size_t messages(const Asked& a) { return repo().messages_for_event(a.event_id)->size(); }
  std::int64_t responses() { return *store_->responses().count(); }
};

TEST_F(OutreachDialogueTest, AScoreStepIsAppliedOnceEvenWhenRepeated) {
  Asked a = asked("a");
  ReplyStep s = step(a, DialogueState::awaiting_score, DialogueState::awaiting_comment);
  s.score = score("sms-a-score", "inv-a", 9);
  s.messages.push_back(reply_message(a, OutboxKind::followup, "ref-followup-1"));
  auto out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->applied);
  ASSERT_EQ(out->stored.size(), 1u);
  EXPECT_EQ(out->stored[0].invitation, "inv-a");
  ASSERT_EQ(out->message_ids.size(), 1u);
  auto d = repo().get_dialogue(a.dialogue_id);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, DialogueState::awaiting_comment);
  EXPECT_EQ(d->response_id, out->stored[0].id);
  EXPECT_TRUE(store_->invitations().get("inv-a")->used_at) << "the invitation is consumed as append does";
  EXPECT_EQ(messages(a), 2u);

  // The same reply again (redelivered, or a second thread that read the same
  // state): the dialogue moved on, nothing is written -- no second follow-up.
  s.messages[0].reference = "ref-followup-2";
  out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->applied);
  EXPECT_TRUE(out->stored.empty());
  EXPECT_TRUE(out->message_ids.empty());
  EXPECT_EQ(messages(a), 2u);
  EXPECT_EQ(responses(), 1);
}

TEST_F(OutreachDialogueTest, AFailingStepWritesNothing) {
  Asked a = asked("a");
  ReplyStep s = step(a, DialogueState::awaiting_score, DialogueState::awaiting_comment);
  s.score = score("sms-a-score", "inv-a", 9);
  s.messages.push_back(reply_message(a, OutboxKind::followup, "ref-followup-1"));
  s.messages.push_back(reply_message(a, OutboxKind::followup, "ref-followup-1"));  // reference used twice
  auto out = repo().apply_reply(s);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, ErrorKind::conflict) << out.error().message;
  EXPECT_EQ(responses(), 0) << "the score went with the failed step";
  EXPECT_EQ(messages(a), 1u) << "only the invite";
  EXPECT_EQ(repo().get_dialogue(a.dialogue_id)->state, DialogueState::awaiting_score);
  EXPECT_FALSE(store_->invitations().get("inv-a")->used_at);

  // Retried whole: applied once.
  s.messages.pop_back();
  out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->applied);
  EXPECT_EQ(responses(), 1);
  EXPECT_EQ(messages(a), 2u);
}

TEST_F(OutreachDialogueTest, ScoreAndCommentInOneStepAndTheCommentStep) {
  Asked a = asked("a");
  ReplyStep s = step(a, DialogueState::awaiting_score, DialogueState::done);
  s.score = score("sms-a-score", "inv-a", 10);
  s.comment = comment("sms-a-comment", "hyvä");
  s.messages.push_back(reply_message(a, OutboxKind::thanks, "ref-thanks"));
  auto out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->stored.size(), 2u);
  EXPECT_EQ(out->stored[1].supplements, out->stored[0].id) << "the comment supplements the score of the same step";
  EXPECT_EQ(repo().get_dialogue(a.dialogue_id)->response_id, out->stored[0].id);

  // A second comment on the score of another dialogue: conflict, nothing written.
  Asked b = asked("b");
  ReplyStep sb = step(b, DialogueState::awaiting_comment, DialogueState::done);
  sb.comment = comment("sms-b-comment", "toinen");
  sb.comment->supplements = out->stored[0].id;
  sb.messages.push_back(reply_message(b, OutboxKind::thanks, "ref-thanks-b"));
  ASSERT_TRUE(repo().update_dialogue([&] {
    Dialogue d = *repo().get_dialogue(b.dialogue_id);
    d.state = DialogueState::awaiting_comment;
    return d;
  }()));
  auto conflict = repo().apply_reply(sb);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().kind, ErrorKind::conflict);
  EXPECT_EQ(repo().get_dialogue(b.dialogue_id)->state, DialogueState::awaiting_comment);
  EXPECT_EQ(messages(b), 1u);
}

TEST_F(OutreachDialogueTest, AUsedInvitationIsDroppedNotTheAnswer) {
  Asked a = asked("a");
  ASSERT_TRUE(store_->responses().append(score("web-a", "inv-a", 3)));  // answered on the web meanwhile
  ReplyStep s = step(a, DialogueState::awaiting_score, DialogueState::done);
  s.score = score("sms-a-score", "inv-a", 9);
  auto out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->stored.size(), 1u);
  EXPECT_TRUE(out->stored[0].invitation.empty());
  EXPECT_TRUE(store_->responses().get(out->stored[0].id)->invitation.empty());
}

TEST_F(OutreachDialogueTest, TheGatewaysMessageIdIsTakenOnce) {
  Asked a = asked("a");
  ReplyStep s = step(a, DialogueState::awaiting_score, DialogueState::awaiting_score);
  s.to_reprompted = true;
  s.mo_id = "mo-1";
  s.messages.push_back(reply_message(a, OutboxKind::reprompt, "ref-reprompt"));
  auto out = repo().apply_reply(s);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_TRUE(out->applied);
  EXPECT_EQ(repo().get_dialogue(a.dialogue_id)->last_mo_id, "mo-1");
  // The same MO again, read against the new state: not taken.
  ReplyStep again = step(a, DialogueState::awaiting_score, DialogueState::done);
  again.from_reprompted = true;
  again.mo_id = "mo-1";
  again.comment = comment("sms-a-text", "en tiedä");
  again.messages.push_back(reply_message(a, OutboxKind::thanks, "ref-thanks"));
  out = repo().apply_reply(again);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->applied);
  EXPECT_EQ(responses(), 0);
  EXPECT_EQ(messages(a), 2u);
  // Another MO is.
  again.mo_id = "mo-2";
  out = repo().apply_reply(again);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->applied);
  EXPECT_EQ(repo().get_dialogue(a.dialogue_id)->last_mo_id, "mo-2");
  // No id given: the last one is kept.
  ReplyStep plain = step(a, DialogueState::done, DialogueState::done);
  ASSERT_TRUE(repo().apply_reply(plain)->applied);
  EXPECT_EQ(repo().get_dialogue(a.dialogue_id)->last_mo_id, "mo-2");

  plain.dialogue_id = 999;
  auto missing = repo().apply_reply(plain);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
}

}  // namespace
}  // namespace kaiku::storage
