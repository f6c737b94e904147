// OutreachService intake: every decision and reason code, duplicates,
// cancellations, send times across DST and late reports, the events list.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "service/outreach_internal.hpp"
#include "service/outreach_test_support.hpp"

namespace kaiku::service {
namespace {

using domain::Decision;
using domain::Reason;
using kaiku::testing::item_of;
using kaiku::testing::utc;
using kaiku::testing::visit_event;

using kaiku::testing::kNow;
using kaiku::testing::kSendAt;
using kaiku::testing::kVisit;

class OutreachIntakeTest : public ::testing::Test {
 protected:
  kaiku::testing::OutreachFixture of;


  IntakeResult one(const domain::CareEvent& e) {
    auto r = of.svc->intake({item_of(e)});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r || r->size() != 1) return IntakeResult{};
    return r->front();
  }
  static std::set<Reason> reasons(const IntakeResult& r) { return {r.reasons.begin(), r.reasons.end()}; }
  std::string number_key(const std::string& e164) { return of.sealer.keyed_hash("number", e164); }
};

TEST_F(OutreachIntakeTest, ACompletedVisitIsScheduledWithAnInvitationAndASealedLink) {
  of.make();
  IntakeResult r = one(visit_event("1.2.246.1", "v1", kVisit));
  EXPECT_EQ(r.decision, Decision::scheduled);
  EXPECT_TRUE(r.reasons.empty());
  EXPECT_EQ(r.unit, "unit_a1");
  EXPECT_EQ(r.touchpoint, "tp1");
  ASSERT_TRUE(r.send_at);
  EXPECT_EQ(*r.send_at, kSendAt);
  EXPECT_GT(r.event_id, 0);

  auto ev = of.repo().get_event(r.event_id);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->decision, Decision::scheduled);
  EXPECT_EQ(ev->received_at, kNow);
  EXPECT_FALSE(ev->visit_key.empty());
  EXPECT_EQ(ev->dedup_key.size(), 64u);

  auto msgs = of.repo().messages_for_event(r.event_id);
  ASSERT_TRUE(msgs) << msgs.error().message;
  ASSERT_EQ(msgs->size(), 1u);
  const storage::OutboxMessage& m = msgs->front();
  EXPECT_EQ(m.kind, storage::OutboxKind::invite);
  EXPECT_EQ(m.state, storage::OutboxState::pending);
  EXPECT_EQ(m.not_before, kSendAt);
  EXPECT_GT(m.expires_at, kSendAt);
  EXPECT_FALSE(m.reference.empty());
  EXPECT_FALSE(m.ucs2);
  auto text = of.sealer.open(m.sealed_text);
  ASSERT_TRUE(text);
  const std::string prefix = "https://palaute.example.fi/i/";
  auto at = text->find(prefix);
  ASSERT_NE(at, std::string::npos) << *text;
  std::string token = text->substr(at + prefix.size(), 43);
  EXPECT_EQ(token.size(), 43u);

  // The token in the text opens the invitation, which carries the coarse attributes.
  SurveyService survey(of.fx.model, *of.fx.store, of.fx.clock, of.fx.random);
  auto inv = survey.open_invitation(token);
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->touchpoint, "tp1");
  EXPECT_EQ(inv->unit, "unit_a1");
  EXPECT_EQ(inv->language, domain::Language::fi);
  EXPECT_EQ(inv->channel, domain::Channel::sms);
  EXPECT_EQ(inv->expires_at, kSendAt + std::chrono::hours(24 * 14));
  // Reports hear of it only when its SMS is handed over (response rates).
  EXPECT_TRUE(of.observer.invitations.empty());
  of.fx.clock.set(kSendAt);
  kaiku::testing::RecordingGateway gw;
  ASSERT_EQ(of.svc->dispatch_once(gw, 10).sent, 1);
  ASSERT_EQ(of.observer.invitations.size(), 1u);
  EXPECT_EQ(of.observer.invitations[0].id, inv->id);
  EXPECT_EQ(of.observer.invitations[0].age_group, domain::AgeGroup::from_35_to_49);
  EXPECT_GT(of.observer.invitations[0].seq, 0);
  EXPECT_EQ(of.observer.invitations[0].token_hash, security::sha256_hex(token));

  auto contact = of.repo().get_contact(m.contact_id);
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_EQ(contact->number_key, number_key(kaiku::testing::kMobileE164));
  EXPECT_EQ(of.sealer.open(contact->sealed_number).value_or(""), kaiku::testing::kMobileE164);
  EXPECT_EQ(contact->expires_at, kSendAt + std::chrono::hours(24 * 14));
}

TEST_F(OutreachIntakeTest, EveryRejectionAndExclusionIsRecordedWithItsReason) {
  auto& svc = of.make();
  std::vector<IntakeItem> items;
  auto add = [&](domain::CareEvent e) { items.push_back(item_of(e)); };
  add(visit_event("9.9.9", "unknown", kVisit));         // 0 unknown_unit
  add(visit_event("1.2.246.9", "area", kVisit));        // 1 no_touchpoint
  IntakeItem bad;
  bad.sender = "LIFECARE";
  bad.message_id = "X1";
  bad.content_digest = security::sha256_hex("garbage");
  bad.error = "MSH: segment missing at byte 0";
  items.push_back(bad);                                 // 2 unreadable
  auto admission = visit_event("1.2.246.1", "adm", kVisit);
  admission.trigger = "A01";
  add(admission);                                       // 3 not_completed
  auto child = visit_event("1.2.246.1", "child", kVisit);
  child.age = 15;
  add(child);                                           // 4 under_age
  auto secret = visit_event("1.2.246.1", "secret", kVisit);
  secret.non_disclosure = true;
  add(secret);                                          // 5 turvakielto
  auto dead = visit_event("1.2.246.1", "dead", kVisit);
  dead.deceased = true;
  add(dead);                                            // 6 deceased
  auto none = visit_event("1.2.246.1", "none", kVisit);
  none.mobiles.clear();
  add(none);                                            // 7 no_mobile
  auto two = visit_event("1.2.246.1", "two", kVisit);
  two.mobiles = {"0401234567", "050 765 4321"};
  add(two);                                             // 8 several_mobiles
  auto psy = visit_event("1.2.246.1", "psy", kVisit);
  psy.service = "psy";
  add(psy);                                             // 9 sensitive_service
  auto old = visit_event("1.2.246.1", "old", kVisit - std::chrono::hours(24 * 10));
  add(old);                                             // 10 too_old
  auto several = visit_event("1.2.246.1", "several", kVisit);
  several.age = 12;
  several.non_disclosure = true;
  add(several);                                         // 11 under_age + turvakielto
  auto landline = visit_event("1.2.246.1", "landline", kVisit);
  landline.mobiles = {"not a number"};
  add(landline);                                        // 12 no_mobile

  auto r = svc.intake(items);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), items.size());
  const auto& x = *r;
  EXPECT_EQ(x[0].decision, Decision::unmapped);
  EXPECT_EQ(reasons(x[0]), std::set<Reason>{Reason::unknown_unit});
  EXPECT_EQ(x[1].decision, Decision::unmapped);
  EXPECT_EQ(reasons(x[1]), std::set<Reason>{Reason::no_touchpoint});
  EXPECT_EQ(x[1].unit, "area_b");
  EXPECT_EQ(x[2].decision, Decision::rejected);
  EXPECT_EQ(reasons(x[2]), std::set<Reason>{Reason::unreadable});
  EXPECT_EQ(x[3].decision, Decision::excluded);
  EXPECT_EQ(reasons(x[3]), std::set<Reason>{Reason::not_completed});
  EXPECT_EQ(reasons(x[4]), std::set<Reason>{Reason::under_age});
  EXPECT_EQ(reasons(x[5]), std::set<Reason>{Reason::turvakielto});
  EXPECT_EQ(reasons(x[6]), std::set<Reason>{Reason::deceased});
  EXPECT_EQ(reasons(x[7]), std::set<Reason>{Reason::no_mobile});
  EXPECT_EQ(reasons(x[8]), std::set<Reason>{Reason::several_mobiles});
  EXPECT_EQ(reasons(x[9]), std::set<Reason>{Reason::sensitive_service});
  EXPECT_EQ(reasons(x[10]), std::set<Reason>{Reason::too_old});
  EXPECT_EQ(reasons(x[11]), (std::set<Reason>{Reason::under_age, Reason::turvakielto}));
  EXPECT_EQ(reasons(x[12]), std::set<Reason>{Reason::no_mobile});
  for (std::size_t i = 3; i < x.size(); ++i) {
    EXPECT_EQ(x[i].decision, Decision::excluded) << i;
    EXPECT_FALSE(x[i].send_at) << i;
  }
  auto rejected = of.repo().get_event(x[2].event_id);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->detail, "MSH: segment missing at byte 0");
  EXPECT_EQ(rejected->message_id, "X1");
  // Nothing was queued for any of them.
  for (const auto& res : x) {
    auto msgs = of.repo().messages_for_event(res.event_id);
    ASSERT_TRUE(msgs);
    EXPECT_TRUE(msgs->empty());
  }
  EXPECT_TRUE(of.observer.invitations.empty());
}

TEST_F(OutreachIntakeTest, OptOutsByNumberAndByPersonExclude) {
  of.make();
  ASSERT_TRUE(of.repo().add_opt_out(number_key(kaiku::testing::kMobileE164), "", kNow));
  auto by_number = visit_event("1.2.246.1", "n1", kVisit);
  by_number.mobiles = {"+358 40 123 4567"};
  EXPECT_EQ(reasons(one(by_number)), std::set<Reason>{Reason::opted_out});

  auto person = visit_event("1.2.246.1", "p1", kVisit);
  person.mobiles = {"050 111 2222"};
  ASSERT_TRUE(of.repo().add_opt_out(number_key("+358409999999"), of.sealer.keyed_hash("person", person.person_id),
                                    kNow));
  EXPECT_EQ(reasons(one(person)), std::set<Reason>{Reason::opted_out});

  auto other = visit_event("1.2.246.1", "o1", kVisit);
  other.mobiles = {"050 111 2222"};
  EXPECT_EQ(one(other).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, ConsentIsRequiredWhereTheCountySaysSo) {
  of.fx.model.outreach.consent_required = true;
  of.make();
  EXPECT_EQ(reasons(one(visit_event("1.2.246.1", "c0", kVisit))), std::set<Reason>{Reason::no_consent});
  auto no = visit_event("1.2.246.1", "c1", kVisit);
  no.consent = false;
  EXPECT_EQ(reasons(one(no)), std::set<Reason>{Reason::no_consent});
  auto yes = visit_event("1.2.246.1", "c2", kVisit);
  yes.consent = true;
  EXPECT_EQ(one(yes).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, FollowUpVisitAndContactCapUseThePersonsHistory) {
  of.make();
  auto first = visit_event("1.2.246.1", "h1", kVisit);
  first.person_id = "131052-308T";
  ASSERT_EQ(one(first).decision, Decision::scheduled);

  // Ten days later at the same touchpoint: a follow-up visit.
  of.fx.clock.set(kNow + std::chrono::hours(24 * 10));
  auto again = visit_event("1.2.246.1", "h2", kVisit + std::chrono::hours(24 * 10));
  again.person_id = "131052-308T";
  EXPECT_EQ(reasons(one(again)), std::set<Reason>{Reason::follow_up_visit});
  // Elsewhere: the contact cap (one survey per 30 days across touchpoints).
  auto elsewhere = visit_event("1.2.246.2", "h3", kVisit + std::chrono::hours(24 * 10));
  elsewhere.person_id = "131052-308T";
  EXPECT_EQ(reasons(one(elsewhere)), std::set<Reason>{Reason::contact_cap});
  // Another person is not affected.
  auto stranger = visit_event("1.2.246.2", "h4", kVisit + std::chrono::hours(24 * 10));
  stranger.person_id = "010101-123N";
  EXPECT_EQ(one(stranger).decision, Decision::scheduled);
  // After 40 days both rules are over.
  of.fx.clock.set(kNow + std::chrono::hours(24 * 40));
  auto later = visit_event("1.2.246.1", "h5", kVisit + std::chrono::hours(24 * 40));
  later.person_id = "131052-308T";
  EXPECT_EQ(one(later).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, SamplingIsDeterministicAndDailyCapCountsTheSendDay) {
  auto& svc = of.make();
  std::vector<IntakeItem> items;
  for (int i = 0; i < 40; ++i) {
    auto e = visit_event("1.2.246.4", "s" + std::to_string(i), kVisit);
    items.push_back(item_of(e));
  }
  auto r = svc.intake(items);
  ASSERT_TRUE(r) << r.error().message;
  int sampled = 0, not_sampled = 0;
  std::vector<Decision> first_run;
  for (const auto& x : *r) {
    first_run.push_back(x.decision);
    if (x.decision == Decision::scheduled) ++sampled;
    if (reasons(x) == std::set<Reason>{Reason::not_sampled}) ++not_sampled;
  }
  EXPECT_EQ(sampled + not_sampled, 40);
  EXPECT_GT(sampled, 5);
  EXPECT_GT(not_sampled, 5);
  // A replay of the same visits (other message ids) decides the same sampling.
  std::vector<IntakeItem> replay;
  for (int i = 0; i < 40; ++i) {
    auto e = visit_event("1.2.246.4", "s" + std::to_string(i), kVisit);
    e.message_id = "REPLAY-" + std::to_string(i);
    e.person_id = "";  // no history: only sampling decides
    e.mobiles = {"050 555 " + std::to_string(1000 + i)};  // nor a number's history
    replay.push_back(item_of(e));
  }
  auto again = svc.intake(replay);
  ASSERT_TRUE(again);
  for (std::size_t i = 0; i < replay.size(); ++i) {
    if (first_run[i] == Decision::excluded) {
      EXPECT_EQ(reasons((*again)[i]), std::set<Reason>{Reason::not_sampled});
    }
  }

  // tp_b takes two a day.
  std::vector<IntakeItem> cap;
  for (int i = 0; i < 3; ++i) cap.push_back(item_of(visit_event("1.2.246.3", "cap" + std::to_string(i), kVisit)));
  auto capped = svc.intake(cap);
  ASSERT_TRUE(capped);
  EXPECT_EQ((*capped)[0].decision, Decision::scheduled);
  EXPECT_EQ((*capped)[1].decision, Decision::scheduled);
  EXPECT_EQ(reasons((*capped)[2]), std::set<Reason>{Reason::daily_cap});
  // A visit the next day is sent the day after: a new send day.
  auto next_day = visit_event("1.2.246.3", "cap3", kVisit + std::chrono::hours(24));
  EXPECT_EQ(one(next_day).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, OutreachOffDecidesButQueuesNothing) {
  of.fx.model.outreach.enabled = false;
  of.make();
  IntakeResult r = one(visit_event("1.2.246.1", "off", kVisit));
  EXPECT_EQ(r.decision, Decision::excluded);
  EXPECT_EQ(reasons(r), std::set<Reason>{Reason::outreach_off});
  auto msgs = of.repo().messages_for_event(r.event_id);
  ASSERT_TRUE(msgs);
  EXPECT_TRUE(msgs->empty());
  // Other rules still apply first.
  auto child = visit_event("1.2.246.1", "off2", kVisit);
  child.age = 10;
  EXPECT_EQ(reasons(one(child)), std::set<Reason>{Reason::under_age});
}

TEST_F(OutreachIntakeTest, TheSameMessageTwiceIsADuplicateOfTheFirst) {
  auto& svc = of.make();
  auto e = visit_event("1.2.246.1", "d1", kVisit);
  IntakeResult first = one(e);
  ASSERT_EQ(first.decision, Decision::scheduled);
  IntakeResult second = one(e);
  EXPECT_EQ(second.decision, Decision::duplicate);
  EXPECT_EQ(reasons(second), std::set<Reason>{Reason::duplicate});
  EXPECT_EQ(second.duplicate_of, first.event_id);
  EXPECT_NE(second.event_id, first.event_id);
  EXPECT_EQ(second.touchpoint, "tp1");
  auto msgs = of.repo().messages_for_event(second.event_id);
  ASSERT_TRUE(msgs);
  EXPECT_TRUE(msgs->empty());
  // Within one batch too.
  auto f = visit_event("1.2.246.2", "d2", kVisit);
  auto both = svc.intake({item_of(f), item_of(f)});
  ASSERT_TRUE(both);
  EXPECT_EQ((*both)[0].decision, Decision::scheduled);
  EXPECT_EQ((*both)[1].decision, Decision::duplicate);
  EXPECT_EQ((*both)[1].duplicate_of, (*both)[0].event_id);
  // The same message id with other content is not a duplicate (senders repeat ids).
  auto g = visit_event("1.2.246.1", "d3", kVisit);
  g.message_id = e.message_id;
  IntakeResult other = one(g);
  EXPECT_NE(other.decision, Decision::duplicate);
  // An unreadable message is recorded each time (rejected), never dropped.
  IntakeItem bad;
  bad.sender = "X";
  bad.content_digest = security::sha256_hex("junk");
  bad.error = "not HL7";
  auto twice = svc.intake({bad, bad});
  ASSERT_TRUE(twice);
  EXPECT_EQ((*twice)[0].decision, Decision::rejected);
  EXPECT_EQ((*twice)[1].decision, Decision::rejected);
  EXPECT_TRUE(of.observer.invitations.empty()) << "none before their SMS is handed over";
  of.fx.clock.set(kSendAt);
  kaiku::testing::RecordingGateway gw;
  (void)svc.dispatch_once(gw, 100);
  EXPECT_EQ(of.observer.invitations.size(), 3u);  // e, f and g; none for the duplicates
}

TEST_F(OutreachIntakeTest, ACancellationCancelsTheScheduledMessage) {
  of.make();
  IntakeResult scheduled = one(visit_event("1.2.246.1", "cv", kVisit));
  ASSERT_EQ(scheduled.decision, Decision::scheduled);
  auto cancel = visit_event("1.2.246.1", "cv", kVisit);
  cancel.trigger = "A11";
  cancel.message_id = "MSG-cancel";
  IntakeResult c = one(cancel);
  EXPECT_EQ(c.decision, Decision::excluded) << of.repo().get_event(c.event_id).value().detail;
  EXPECT_EQ(reasons(c), std::set<Reason>{Reason::cancelled});
  auto msgs = of.repo().messages_for_event(scheduled.event_id);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 1u);
  EXPECT_EQ(msgs->front().state, storage::OutboxState::cancelled);
  auto first = of.repo().get_event(scheduled.event_id);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->decision, Decision::excluded);
  EXPECT_EQ(std::set<Reason>(first->reasons.begin(), first->reasons.end()), std::set<Reason>{Reason::cancelled});
  // A cancellation whose unit is not given still cancels by the visit id.
  IntakeResult s2 = one(visit_event("1.2.246.2", "cv2", kVisit));
  ASSERT_EQ(s2.decision, Decision::scheduled);
  auto bare = visit_event("", "cv2", kVisit);
  bare.unit_codes.clear();
  bare.trigger = "A13";
  bare.message_id = "MSG-cancel2";
  EXPECT_EQ(reasons(one(bare)), std::set<Reason>{Reason::cancelled});
  auto m2 = of.repo().messages_for_event(s2.event_id);
  ASSERT_TRUE(m2);
  ASSERT_EQ(m2->size(), 1u);
  EXPECT_EQ(m2->front().state, storage::OutboxState::cancelled);
}

TEST_F(OutreachIntakeTest, LinkModeWithoutABaseUrlIsRecordedAsRejected) {
  of.options.base_url = "";
  of.make();
  IntakeResult r = one(visit_event("1.2.246.1", "nourl", kVisit));
  EXPECT_EQ(r.decision, Decision::rejected);
  auto ev = of.repo().get_event(r.event_id);
  ASSERT_TRUE(ev);
  EXPECT_NE(ev->detail.find("base URL"), std::string::npos) << ev->detail;
  // Reply mode needs no URL.
  EXPECT_EQ(one(visit_event("1.2.246.2", "reply", kVisit)).decision, Decision::scheduled);
}

// ---- send times ----------------------------------------------------------------------

TEST_F(OutreachIntakeTest, SendTimeIsTheNextDayAfterNoonHelsinkiAcrossDst) {
  auto& svc = of.make();
  // Saturday 28 March 2026 15:00 (UTC+2) -> Sunday 29 March 12:00, after the clocks
  // went forward that night (UTC+3): 09:00 UTC.
  EXPECT_EQ(svc.send_time(utc(2026, 3, 28, 13), utc(2026, 3, 28, 13)), utc(2026, 3, 29, 9));
  // Sunday 29 March (the change day) 15:00 (UTC+3) -> Monday 30 March 09:00 UTC.
  EXPECT_EQ(svc.send_time(utc(2026, 3, 29, 12), utc(2026, 3, 29, 12)), utc(2026, 3, 30, 9));
  // Saturday 24 October 2026 15:00 (UTC+3) -> Sunday 25 October 12:00 (UTC+2): 10:00 UTC.
  EXPECT_EQ(svc.send_time(utc(2026, 10, 24, 12), utc(2026, 10, 24, 12)), utc(2026, 10, 25, 10));
  // A visit late in the evening belongs to its local day: 23:30 UTC on 23 October
  // is 02:30 on 24 October in Helsinki -> 25 October.
  EXPECT_EQ(svc.send_time(utc(2026, 10, 23, 23, 30), utc(2026, 10, 23, 23, 30)), utc(2026, 10, 25, 10));
  EXPECT_EQ(svc.local_day(utc(2026, 10, 23, 23, 30)), "2026-10-24");
  EXPECT_EQ(svc.local_day(utc(2026, 10, 23, 20, 59)), "2026-10-23");
}

TEST_F(OutreachIntakeTest, AVisitReportedLateIsSentAtTheNextSendingMoment) {
  auto& svc = of.make();
  const TimePoint visit = utc(2026, 9, 20, 7);  // Sunday 10:00 Helsinki; first moment Monday 12:00
  // Reported on Tuesday at 14:00 Helsinki: within hours, send now.
  EXPECT_EQ(svc.send_time(visit, utc(2026, 9, 22, 11)), utc(2026, 9, 22, 11));
  // Reported at 21:30 Helsinki: quiet hours -> Wednesday 12:00.
  EXPECT_EQ(svc.send_time(visit, utc(2026, 9, 22, 18, 30)), utc(2026, 9, 23, 9));
  // Reported at 07:00 Helsinki: the same day at 12:00.
  EXPECT_EQ(svc.send_time(visit, utc(2026, 9, 22, 4)), utc(2026, 9, 22, 9));
  // Around the October change: reported Sunday 25 October 08:00 (UTC+2) -> 12:00 = 10:00 UTC.
  EXPECT_EQ(svc.send_time(utc(2026, 10, 22, 9), utc(2026, 10, 25, 6)), utc(2026, 10, 25, 10));

  EXPECT_FALSE(svc.within_sending_hours(utc(2026, 9, 22, 8, 59)));  // 11:59
  EXPECT_TRUE(svc.within_sending_hours(utc(2026, 9, 22, 9)));       // 12:00
  EXPECT_TRUE(svc.within_sending_hours(utc(2026, 9, 22, 16, 59)));  // 19:59
  EXPECT_FALSE(svc.within_sending_hours(utc(2026, 9, 22, 17)));     // 20:00
  EXPECT_TRUE(svc.within_sending_hours(utc(2026, 12, 1, 10)));      // 12:00 in winter (UTC+2)
  EXPECT_FALSE(svc.within_sending_hours(utc(2026, 12, 1, 9)));      // 11:00 in winter

  // Through intake: reported late in the evening, scheduled for the next noon.
  of.fx.clock.set(utc(2026, 9, 22, 18, 30));
  IntakeResult r = one(visit_event("1.2.246.1", "late", visit));
  ASSERT_EQ(r.decision, Decision::scheduled);
  ASSERT_TRUE(r.send_at);
  EXPECT_EQ(*r.send_at, utc(2026, 9, 23, 9));
  // Reported so late that the next sending moment is past the window (3 days from Monday noon).
  of.fx.clock.set(utc(2026, 9, 24, 18, 30));
  IntakeResult too_late = one(visit_event("1.2.246.1", "later", visit));
  EXPECT_EQ(reasons(too_late), std::set<Reason>{Reason::too_old});
}

// ---- events list ---------------------------------------------------------------------

TEST_F(OutreachIntakeTest, EventsAreListedInScopeAndAudited) {
  auto& svc = of.make();
  ASSERT_TRUE(svc.intake({item_of(visit_event("1.2.246.1", "l1", kVisit)),
                          item_of(visit_event("1.2.246.3", "l2", kVisit)),
                          item_of(visit_event("9.9.9", "l3", kVisit)),
                          item_of(visit_event("1.2.246.2", "l4", kVisit))}));
  domain::Principal county{1, "cx", domain::Role::cx_specialist, "county"};
  auto all = svc.list_events(county, EventListRequest{});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->items.size(), 4u);
  EXPECT_FALSE(all->next_cursor);

  domain::Principal area{2, "mgr", domain::Role::unit_manager, "area_a"};
  auto mine = svc.list_events(area, EventListRequest{});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->items.size(), 2u);  // unit_a1 and unit_a2x; not unit_b1, not the unmapped one
  for (const auto& e : mine->items) EXPECT_TRUE(of.fx.model.in_subtree(e.unit, "area_a")) << e.unit;

  EventListRequest page;
  page.limit = 1;
  page.query_text = "limit=1";
  auto p1 = svc.list_events(county, page);
  ASSERT_TRUE(p1);
  ASSERT_EQ(p1->items.size(), 1u);
  ASSERT_TRUE(p1->next_cursor);
  page.cursor = *p1->next_cursor;
  auto p2 = svc.list_events(county, page);
  ASSERT_TRUE(p2);
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_GT(p2->items[0].id, p1->items[0].id);

  EventListRequest unmapped;
  unmapped.decision = Decision::unmapped;
  auto um = svc.list_events(county, unmapped);
  ASSERT_TRUE(um);
  ASSERT_EQ(um->items.size(), 1u);
  EXPECT_EQ(um->items[0].unit, "");

  EventListRequest outside;
  outside.unit = "area_b";
  auto denied = svc.list_events(area, outside);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().kind, ErrorKind::forbidden);
  domain::Principal robot{3, "lifecare", domain::Role::integration, "county"};
  auto no = svc.list_events(robot, EventListRequest{});
  ASSERT_FALSE(no);
  EXPECT_EQ(no.error().kind, ErrorKind::forbidden);
  EventListRequest bad;
  bad.cursor = "abc";
  EXPECT_EQ(svc.list_events(county, bad).error().kind, ErrorKind::invalid_input);
  bad.cursor = "";
  bad.limit = 0;
  EXPECT_EQ(svc.list_events(county, bad).error().kind, ErrorKind::invalid_input);

  auto audit = of.fx.store->audit().recent(20);
  ASSERT_TRUE(audit);
  int reads = 0, denials = 0;
  for (const auto& a : *audit) {
    if (a.action == "events.list") ++reads;
    if (a.action == "events.list.denied") ++denials;
  }
  EXPECT_EQ(reads, 5);
  EXPECT_EQ(denials, 2);
}

TEST_F(OutreachIntakeTest, NoPhoneNumberOrIdentityReachesEventsOrTheDatabaseInClear) {
  auto& svc = of.make();
  auto e = visit_event("1.2.246.1", "priv", kVisit);
  e.person_id = "131052-308T";
  auto bad = e;
  bad.visit_id = "priv2";
  bad.message_id = "MSG-priv2";
  bad.mobiles = {"0401234567", "0509876543"};
  ASSERT_TRUE(svc.intake({item_of(e), item_of(bad)}));
  domain::Principal county{1, "cx", domain::Role::cx_specialist, "county"};
  auto all = svc.list_events(county, EventListRequest{});
  ASSERT_TRUE(all);
  for (const auto& ev : all->items) {
    for (const std::string* s : {&ev.sender, &ev.message_id, &ev.dedup_key, &ev.visit_key, &ev.detail, &ev.unit}) {
      EXPECT_EQ(s->find("401234567"), std::string::npos);
      EXPECT_EQ(s->find("131052"), std::string::npos);
    }
  }
  for (const char* needle : {"401234567", "509876543", "131052-308T"}) {
    auto hits = kaiku::testing::find_in_database(of.db_file(), needle);
    EXPECT_TRUE(hits.empty()) << needle << " found in " << (hits.empty() ? "" : hits.front());
  }
}

// ---- review fixes: one invitation per visit, caps by number, undecided events,
// message ids of FHIR and CSV -------------------------------------------------------

TEST_F(OutreachIntakeTest, AVisitGetsOneInvitationWhateverMessagesReportIt) {
  auto& svc = of.make();
  // No identity code: only the visit ties the messages together.
  auto a04 = visit_event("1.2.246.1", "vv1", kVisit);
  a04.person_id = "";
  a04.trigger = "A04";
  a04.message_id = "MSG-A04";
  IntakeResult first = one(a04);
  ASSERT_EQ(first.decision, Decision::scheduled);
  // A03 (discharge) of the same visit.
  auto a03 = a04;
  a03.trigger = "A03";
  a03.message_id = "MSG-A03";
  IntakeResult second = one(a03);
  EXPECT_EQ(second.decision, Decision::duplicate);
  EXPECT_EQ(reasons(second), std::set<Reason>{Reason::duplicate});
  EXPECT_EQ(second.duplicate_of, first.event_id);
  // A resend with a new control id (and so other content).
  auto resend = a03;
  resend.message_id = "MSG-A03-RESENT";
  IntakeResult third = one(resend);
  EXPECT_EQ(third.decision, Decision::duplicate);
  EXPECT_EQ(third.duplicate_of, first.event_id);
  // The same visit by FHIR and by CSV, in one batch.
  auto fhir = a03;
  fhir.source = domain::EventSource::fhir;
  fhir.trigger = "finished";
  fhir.message_id = "enc-vv1";
  auto csv = a03;
  csv.source = domain::EventSource::csv;
  csv.trigger = "completed";
  csv.message_id = "row-vv1";
  auto both = svc.intake({item_of(fhir), item_of(csv)});
  ASSERT_TRUE(both);
  for (const auto& r : *both) {
    EXPECT_EQ(r.decision, Decision::duplicate);
    EXPECT_EQ(r.duplicate_of, first.event_id);
  }
  for (const auto& r : {second, third, (*both)[0], (*both)[1]}) {
    auto msgs = of.repo().messages_for_event(r.event_id);
    ASSERT_TRUE(msgs);
    EXPECT_TRUE(msgs->empty());
  }
  auto states = of.repo().count_messages_by_state();
  ASSERT_TRUE(states);
  EXPECT_EQ((*states)[static_cast<std::size_t>(storage::OutboxState::pending)], 1) << "one SMS for the visit";
  // Another visit of the same day is not a duplicate of it (but capped by the number).
  auto other = a03;
  other.visit_id = "vv2";
  other.message_id = "MSG-vv2";
  IntakeResult o = one(other);
  EXPECT_NE(o.decision, Decision::duplicate);
  // Once the visit is cancelled, it may be scheduled again.
  auto cancel = a03;
  cancel.trigger = "A11";
  cancel.message_id = "MSG-A11";
  ASSERT_EQ(reasons(one(cancel)), std::set<Reason>{Reason::cancelled});
  auto again = a03;
  again.message_id = "MSG-A03-AFTER-CANCEL";
  EXPECT_EQ(one(again).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, ContactCapAndFollowUpHoldByNumberWhenThePersonIsUnknown) {
  of.make();
  auto first = visit_event("1.2.246.1", "nk1", kVisit);
  first.person_id = "";
  ASSERT_EQ(one(first).decision, Decision::scheduled);
  // The same number elsewhere, on the same day: the contact cap.
  auto elsewhere = visit_event("1.2.246.2", "nk2", kVisit);
  elsewhere.person_id = "";
  elsewhere.mobiles = {"+358 40 123 4567"};  // written otherwise, the same number
  EXPECT_EQ(reasons(one(elsewhere)), std::set<Reason>{Reason::contact_cap});
  // Ten days later at the same touchpoint: a follow-up visit.
  of.fx.clock.set(kNow + std::chrono::hours(24 * 10));
  auto follow = visit_event("1.2.246.1", "nk3", kVisit + std::chrono::hours(24 * 10));
  follow.person_id = "";
  EXPECT_EQ(reasons(one(follow)), std::set<Reason>{Reason::follow_up_visit});
  // Another number is not affected.
  auto stranger = visit_event("1.2.246.2", "nk4", kVisit + std::chrono::hours(24 * 10));
  stranger.person_id = "";
  stranger.mobiles = {"050 111 2222"};
  EXPECT_EQ(one(stranger).decision, Decision::scheduled);
  // A known person's survey caps the number too, when the next event has no identity.
  auto known = visit_event("1.2.246.1", "nk5", kVisit + std::chrono::hours(24 * 10));
  known.mobiles = {"050 333 4444"};
  ASSERT_EQ(one(known).decision, Decision::scheduled);
  auto anonymous = visit_event("1.2.246.2", "nk6", kVisit + std::chrono::hours(24 * 10));
  anonymous.person_id = "";
  anonymous.mobiles = {"050 333 4444"};
  EXPECT_EQ(reasons(one(anonymous)), std::set<Reason>{Reason::contact_cap});
  // After 40 days the rules are over.
  of.fx.clock.set(kNow + std::chrono::hours(24 * 40));
  auto later = visit_event("1.2.246.1", "nk7", kVisit + std::chrono::hours(24 * 40));
  later.person_id = "";
  EXPECT_EQ(one(later).decision, Decision::scheduled);
}

TEST_F(OutreachIntakeTest, AnEventThatCouldNotBeDecidedIsDecidedWhenResentAfterTheFix) {
  of.options.base_url = "";  // link mode cannot be decided without a base URL
  auto& broken = of.make();
  const IntakeItem item = item_of(visit_event("1.2.246.1", "fix1", kVisit));
  auto r = broken.intake({item});
  ASSERT_TRUE(r);
  const IntakeResult failed = r->front();
  EXPECT_EQ(failed.decision, Decision::rejected);
  EXPECT_TRUE(failed.retry_later) << "the door asks the sender to retry";
  auto ev = of.repo().get_event(failed.event_id);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->detail.rfind("could not be decided: ", 0), 0u) << ev->detail;
  // A resend while still broken is not a duplicate of it either.
  auto again = broken.intake({item});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().decision, Decision::rejected);
  EXPECT_TRUE(again->front().retry_later);
  EXPECT_EQ(again->front().duplicate_of, 0);
  auto ev2 = of.repo().get_event(again->front().event_id);
  ASSERT_TRUE(ev2);
  EXPECT_NE(ev2->dedup_key, ev->dedup_key);

  // The configuration is fixed; the sender's resend is decided.
  of.options.base_url = "https://palaute.example.fi";
  auto& fixed = of.make();
  auto after = fixed.intake({item});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->front().decision, Decision::scheduled);
  EXPECT_FALSE(after->front().retry_later);
  // ... and from then on a resend is a duplicate of the scheduled event.
  auto dup = fixed.intake({item});
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->front().decision, Decision::duplicate);
  EXPECT_EQ(dup->front().duplicate_of, after->front().event_id);

  // Unreadable messages are not to be retried, and keep their dedup key.
  IntakeItem bad;
  bad.source = domain::EventSource::csv;
  bad.sender = "events.csv";
  bad.message_id = "line-3";
  bad.content_digest = security::sha256_hex("file");
  bad.error = "line 3: visit_time: not a time";
  auto twice = fixed.intake({bad, bad});
  ASSERT_TRUE(twice);
  EXPECT_FALSE((*twice)[0].retry_later);
  auto b0 = of.repo().get_event((*twice)[0].event_id);
  auto b1 = of.repo().get_event((*twice)[1].event_id);
  ASSERT_TRUE(b0 && b1);
  EXPECT_EQ(b0->dedup_key, b1->dedup_key);
  EXPECT_EQ(b0->dedup_key.find('#'), std::string::npos);
}

TEST_F(OutreachIntakeTest, MessageIdsOfFhirAndCsvAreStoredAsKeyedHashes) {
  auto& svc = of.make();
  const std::string hetu = "131052-308T";
  auto fhir = visit_event("1.2.246.1", "mid1", kVisit);
  fhir.source = domain::EventSource::fhir;
  fhir.trigger = "finished";
  fhir.person_id = hetu;
  fhir.message_id = "if-none-exist:identifier=urn:oid:1.2.246.21|" + hetu + "#finished";
  auto csv = visit_event("1.2.246.2", "mid2", kVisit);
  csv.source = domain::EventSource::csv;
  csv.trigger = "completed";
  csv.person_id = "010101-123N";
  csv.message_id = "row-010101-123N";
  auto hl7 = visit_event("1.2.246.3", "mid3", kVisit);
  auto r = svc.intake({item_of(fhir), item_of(csv), item_of(hl7)});
  ASSERT_TRUE(r);
  auto f = of.repo().get_event((*r)[0].event_id);
  auto c = of.repo().get_event((*r)[1].event_id);
  auto h = of.repo().get_event((*r)[2].event_id);
  ASSERT_TRUE(f && c && h);
  EXPECT_EQ(f->message_id, "h:" + of.sealer.keyed_hash("message-id", fhir.message_id).substr(0, 32));
  EXPECT_EQ(c->message_id, "h:" + of.sealer.keyed_hash("message-id", csv.message_id).substr(0, 32));
  EXPECT_EQ(h->message_id, "MSG-mid3") << "HL7 control ids stay as they are";
  for (const char* needle : {"131052-308T", "010101-123N", "if-none-exist"}) {
    auto hits = kaiku::testing::find_in_database(of.db_file(), needle);
    EXPECT_TRUE(hits.empty()) << needle << " found in " << (hits.empty() ? "" : hits.front());
  }
  // De-duplication still works on the original id.
  auto dup = svc.intake({item_of(fhir)});
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->front().decision, Decision::duplicate);
  EXPECT_EQ(dup->front().duplicate_of, (*r)[0].event_id);
}

}  // namespace
}  // namespace kaiku::service
