#include "service/survey_service.hpp"

#include <gtest/gtest.h>

#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

using domain::Channel;
using domain::Language;

class SurveyServiceTest : public ::testing::Test {
 protected:
  kaiku::testing::Fixture fx;
  SurveyService svc{fx.model, *fx.store, fx.clock, fx.random};

  static SubmissionInput basic(const std::string& key, const std::string& nps = "9") {
    SubmissionInput in;
    in.touchpoint = "tp1";
    in.submission_key = key;
    in.answers["nps"] = {nps};
    return in;
  }
  std::int64_t count() { return fx.store->responses().count().value(); }
};

TEST_F(SurveyServiceTest, SubmitStoresTheResponseWithModelVersionAndTime) {
  SubmissionInput in = basic("key-aaaaaaaaaaaaaaaa");
  in.answers["agree"] = {"cant_say"};
  in.answers["many"] = {"x", "y"};
  in.answers["open"] = {"<script>alert(1)</script>"};
  auto out = svc.submit(in);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->duplicate);
  auto r = fx.store->responses().get(out->id);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->unit, "unit_a1");
  EXPECT_EQ(r->survey, "core");
  EXPECT_EQ(r->model_version, "testmodel0000001");
  EXPECT_EQ(r->answered_at, fx.clock.now());
  bool found_script = false;
  for (const auto& a : r->answers) {
    if (a.key == "open") found_script = a.text == "<script>alert(1)</script>";
  }
  EXPECT_TRUE(found_script) << "text answers are stored verbatim";
}

TEST_F(SurveyServiceTest, SameSubmissionKeyTwiceStoresOnce) {
  auto first = svc.submit(basic("key-bbbbbbbbbbbbbbbb"));
  auto second = svc.submit(basic("key-bbbbbbbbbbbbbbbb"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->id, second->id);
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(count(), 1);
  // The same key with other answers is not the same submission: conflict, nothing stored.
  auto other = svc.submit(basic("key-bbbbbbbbbbbbbbbb", "3"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::conflict);
  EXPECT_EQ(other.error().message.rfind(kKeyReusedPrefix, 0), 0u) << other.error().message;
  EXPECT_EQ(count(), 1);
}

TEST_F(SurveyServiceTest, RejectsBadKeysUnknownTouchpointsAndInvalidAnswers) {
  auto bad_key = svc.submit(basic("short"));
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().kind, ErrorKind::invalid_input);

  SubmissionInput unknown = basic("key-cccccccccccccccc");
  unknown.touchpoint = "nope";
  auto nf = svc.submit(unknown);
  ASSERT_FALSE(nf);
  EXPECT_EQ(nf.error().kind, ErrorKind::not_found);

  SubmissionInput sms_only = basic("key-cccccccccccccccd");
  sms_only.touchpoint = "tp_sms";
  auto wrong_channel = svc.submit(sms_only);
  ASSERT_FALSE(wrong_channel);
  EXPECT_EQ(wrong_channel.error().fields.at(0).field, "channel");
  sms_only.channel = Channel::sms;
  EXPECT_TRUE(svc.submit(sms_only));
  InvitationRequest web_invite;
  web_invite.touchpoint = "tp_sms";
  web_invite.channel = Channel::web;
  EXPECT_EQ(svc.create_invitation(web_invite).error().kind, ErrorKind::invalid_input);

  SubmissionInput missing = basic("key-dddddddddddddddd");
  missing.answers.clear();
  missing.answers["nps"] = {"11"};
  missing.answers["one"] = {"zzz"};
  auto bad = svc.submit(missing);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(count(), 1);
}

TEST_F(SurveyServiceTest, MultiUnitTouchpointNeedsOneOfItsUnits) {
  SubmissionInput in = basic("key-eeeeeeeeeeeeeeee");
  in.touchpoint = "tp_multi";
  auto none = svc.submit(in);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::invalid_input);
  in.unit = "unit_a2";
  auto wrong = svc.submit(in);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().fields.at(0).field, "unit");
  in.unit = "unit_b1";
  auto ok = svc.submit(in);
  ASSERT_TRUE(ok);
  EXPECT_EQ(fx.store->responses().get(ok->id)->unit, "unit_b1");
}

TEST_F(SurveyServiceTest, WebFormFallbackRecordsTheCommonAncestor) {
  SubmissionInput in = basic("key-ffffffffffffffff");
  in.touchpoint = "tp_multi";
  in.unit_fallback = true;
  auto ok = svc.submit(in);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(fx.store->responses().get(ok->id)->unit, "county");
  EXPECT_EQ(common_ancestor(fx.model, {"unit_a1", "unit_a2x"}), "area_a");
  EXPECT_EQ(common_ancestor(fx.model, {"unit_a2x"}), "unit_a2x");
}

TEST_F(SurveyServiceTest, VariantsPickTheirSurvey) {
  SubmissionInput in;
  in.touchpoint = "tp1";
  in.variant = Variant::child;
  in.submission_key = "key-gggggggggggggggg";
  in.answers["face"] = {"2"};
  auto ok = svc.submit(in);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(fx.store->responses().get(ok->id)->survey, "child");

  in.respondent = domain::Respondent::on_behalf;
  in.submission_key = "key-hhhhhhhhhhhhhhhh";
  auto behalf = svc.submit(in);
  ASSERT_FALSE(behalf);
  EXPECT_EQ(behalf.error().fields.at(0).field, "respondent");

  in.variant = Variant::relative;
  auto none = svc.submit(in);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::not_found);
}

TEST_F(SurveyServiceTest, InvitationIsSingleUseAndExpires) {
  InvitationRequest req;
  req.touchpoint = "tp1";
  req.event_ref = "visit-123";
  req.ttl_hours = 24;
  auto inv = svc.create_invitation(req);
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_GE(inv->token.size(), 40u);
  auto open = svc.open_invitation(inv->token);
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->touchpoint, "tp1");
  EXPECT_EQ(open->unit, "unit_a1");

  SubmissionInput in = basic("key-iiiiiiiiiiiiiiii");
  in.touchpoint = "tp_b";  // ignored: the invitation decides
  auto first = svc.submit_invitation(inv->token, in);
  ASSERT_TRUE(first) << first.error().message;
  auto stored = fx.store->responses().get(first->id);
  EXPECT_EQ(stored->touchpoint, "tp1");
  EXPECT_EQ(stored->channel, Channel::sms);
  EXPECT_EQ(stored->invitation, open->id);

  auto again_same_key = svc.submit_invitation(inv->token, in);
  ASSERT_TRUE(again_same_key) << again_same_key.error().message;
  EXPECT_TRUE(again_same_key->duplicate);
  EXPECT_EQ(again_same_key->id, first->id);

  auto other_key = svc.submit_invitation(inv->token, basic("key-jjjjjjjjjjjjjjjj"));
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count(), 1);

  auto used = svc.open_invitation(inv->token);
  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().kind, ErrorKind::conflict);
  EXPECT_EQ(used.error().message, "used");

  auto fresh = svc.create_invitation(req);
  ASSERT_TRUE(fresh);
  fx.clock.advance(std::chrono::hours(25));
  auto expired = svc.open_invitation(fresh->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "expired");
  auto late = svc.submit_invitation(fresh->token, basic("key-kkkkkkkkkkkkkkkk"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::conflict);

  auto unknown = svc.open_invitation("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
}

TEST_F(SurveyServiceTest, CreateInvitationChecksItsInput) {
  InvitationRequest req;
  req.touchpoint = "tp1";
  req.ttl_hours = 0;
  EXPECT_EQ(svc.create_invitation(req).error().kind, ErrorKind::invalid_input);
  req.ttl_hours = 5;
  req.touchpoint = "tp_multi";
  EXPECT_EQ(svc.create_invitation(req).error().kind, ErrorKind::invalid_input);
  req.touchpoint = "missing";
  EXPECT_EQ(svc.create_invitation(req).error().kind, ErrorKind::not_found);
}

TEST_F(SurveyServiceTest, FeedbackIsStoredUnderThePseudoSurvey) {
  FeedbackInput in;
  in.unit = "area_b";
  in.kind = "suggestion";
  in.text = "Parkkipaikkoja lisää";
  in.respondent = domain::Respondent::relative;
  in.submission_key = "key-llllllllllllllll";
  auto ok = svc.submit_feedback(in);
  ASSERT_TRUE(ok) << ok.error().message;
  auto r = fx.store->responses().get(ok->id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->survey, "feedback");
  EXPECT_EQ(r->touchpoint, "");
  EXPECT_EQ(r->channel, Channel::feedback);
  EXPECT_EQ(r->feedback_kind, "suggestion");
  ASSERT_EQ(r->answers.size(), 1u);
  EXPECT_EQ(r->answers[0].key, "text");

  FeedbackInput bad;
  bad.unit = "nowhere";
  bad.kind = "rant";
  bad.submission_key = "key-mmmmmmmmmmmmmmmm";
  auto err = svc.submit_feedback(bad);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().fields.size(), 3u);  // unit, kind, text
}

TEST_F(SurveyServiceTest, KioskTapAndFollowup) {
  auto tap = svc.kiosk_tap("tp_kiosk", 4, Language::sv, "key-nnnnnnnnnnnnnnnn");
  ASSERT_TRUE(tap) << tap.error().message;
  auto r = fx.store->responses().get(tap->id);
  EXPECT_EQ(r->channel, Channel::kiosk);
  EXPECT_EQ(r->unit, "unit_a2");
  ASSERT_EQ(r->answers.size(), 1u);
  EXPECT_EQ(r->answers[0].number, 4);

  EXPECT_FALSE(svc.kiosk_tap("tp_kiosk", 6, Language::fi, "key-oooooooooooooooo"));
  EXPECT_FALSE(svc.kiosk_tap("tp1", 1, Language::fi, "key-pppppppppppppppp"));  // no smiley question

  domain::RawAnswers why{{"why", {"staff"}}};
  auto fu = svc.kiosk_followup("tp_kiosk", tap->id, why, Language::sv, "key-qqqqqqqqqqqqqqqq");
  ASSERT_TRUE(fu) << fu.error().message;
  EXPECT_EQ(fx.store->responses().get(fu->id)->supplements, tap->id);

  auto other = svc.submit(basic("key-rrrrrrrrrrrrrrrr"));
  ASSERT_TRUE(other);
  auto wrong = svc.kiosk_followup("tp_kiosk", other->id, why, Language::fi, "key-ssssssssssssssss");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().fields.at(0).field, "r");
}

TEST_F(SurveyServiceTest, KioskTapIsRecordedAtTheGivenUnitOrTheCommonAncestor) {
  auto at = svc.kiosk_tap("tp_kiosk_multi", 3, Language::fi, "key-kmkmkmkmkmkmkm01", "unit_a2");
  ASSERT_TRUE(at) << at.error().message;
  EXPECT_EQ(fx.store->responses().get(at->id)->unit, "unit_a2");
  auto none = svc.kiosk_tap("tp_kiosk_multi", 3, Language::fi, "key-kmkmkmkmkmkmkm02");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(fx.store->responses().get(none->id)->unit, "area_a") << "not silently the first unit";
  auto wrong = svc.kiosk_tap("tp_kiosk_multi", 3, Language::fi, "key-kmkmkmkmkmkmkm03", "unit_b1");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(wrong.error().fields.at(0).field, "unit");
  auto single = svc.kiosk_tap("tp_kiosk", 3, Language::fi, "key-kmkmkmkmkmkmkm04");
  ASSERT_TRUE(single);
  EXPECT_EQ(fx.store->responses().get(single->id)->unit, "unit_a2");
}

TEST_F(SurveyServiceTest, KioskFollowupOnlyOnceAndOnlyForARecentTap) {
  domain::RawAnswers why{{"why", {"staff"}}};
  auto tap = svc.kiosk_tap("tp_kiosk", 4, Language::fi, "key-fufufufufufufu01");
  ASSERT_TRUE(tap);
  auto first = svc.kiosk_followup("tp_kiosk", tap->id, why, Language::fi, "key-fufufufufufufu02");
  ASSERT_TRUE(first) << first.error().message;
  // A second follow-up to the same tap (another key) is refused and not stored.
  std::int64_t before = count();
  auto second = svc.kiosk_followup("tp_kiosk", tap->id, why, Language::fi, "key-fufufufufufufu03");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  EXPECT_EQ(count(), before);
  // A follow-up of a tap of another touchpoint is refused.
  auto multi = svc.kiosk_tap("tp_kiosk_multi", 2, Language::fi, "key-fufufufufufufu04");
  ASSERT_TRUE(multi);
  auto foreign = svc.kiosk_followup("tp_kiosk", multi->id, why, Language::fi, "key-fufufufufufufu05");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().fields.at(0).field, "r");
  // Older than the window: refused.
  auto old = svc.kiosk_tap("tp_kiosk", 4, Language::fi, "key-fufufufufufufu06");
  ASSERT_TRUE(old);
  fx.clock.advance(kKioskFollowupWindow + std::chrono::seconds(1));
  auto late = svc.kiosk_followup("tp_kiosk", old->id, why, Language::fi, "key-fufufufufufufu07");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(late.error().fields.at(0).field, "r");
  // A follow-up is no tap: a follow-up of a follow-up is refused.
  auto recent = svc.kiosk_tap("tp_kiosk", 4, Language::fi, "key-fufufufufufufu08");
  auto fu = svc.kiosk_followup("tp_kiosk", recent->id, why, Language::fi, "key-fufufufufufufu09");
  ASSERT_TRUE(fu);
  EXPECT_FALSE(svc.kiosk_followup("tp_kiosk", fu->id, why, Language::fi, "key-fufufufufufufu10"));
}

TEST_F(SurveyServiceTest, InvitationLanguageIsKnownEvenWhenUsed) {
  InvitationRequest req;
  req.touchpoint = "tp1";
  req.language = Language::sv;
  auto inv = svc.create_invitation(req);
  ASSERT_TRUE(inv);
  EXPECT_EQ(svc.invitation_language(inv->token), Language::sv);
  SubmissionInput in = basic("key-invlang00000001");
  ASSERT_TRUE(svc.submit_invitation(inv->token, in));
  EXPECT_EQ(svc.invitation_language(inv->token), Language::sv);
  EXPECT_FALSE(svc.invitation_language("no-such-token-000000000000"));
}

}  // namespace
}  // namespace kaiku::service
