// The outreach rules: names, the sender's triggers, event -> unit -> touchpoint
// mapping, and every reason code of decide().
#include "domain/outreach.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "domain/response.hpp"

namespace kaiku::domain {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TimePoint at(year_month_day d, hours h = 10h) {
  return time_point_cast<milliseconds>(sys_days(d) + h);
}

OrgUnit unit(std::string id, std::string parent, std::vector<UnitCode> codes) {
  OrgUnit u;
  u.id = std::move(id);
  u.parent = std::move(parent);
  u.codes = std::move(codes);
  return u;
}

Touchpoint touchpoint(std::string id, std::vector<std::string> units, std::vector<Channel> channels) {
  Touchpoint t;
  t.id = std::move(id);
  t.units = std::move(units);
  t.channels = std::move(channels);
  t.survey = "sms";
  return t;
}

// c -> a -> {u1, u2, psy -> psy-child}; c -> b -> {u3, kids}.
// tp-area: sms at area a; tp-u1: web+sms at u1 and tp-er: qr+sms at u2 (both nearer
// than tp-area); tp-web: web only at u3; tp-kids: sms at kids with min_age 0 and a
// daily cap of 2; tp-sampled: sms at area b, sampled with share 0.3.
Model test_model() {
  Model m;
  m.county_id = "c";
  m.units = {
      unit("c", "", {{"oid", "1.2.246.10.1"}}),
      unit("a", "c", {{"oid", "1.2.246.10.1.10"}}),
      unit("u1", "a", {{"oid", "1.2.246.10.1.10.1"}, {"lifecare", "U1"}}),
      unit("u2", "a", {{"oid", "1.2.246.10.1.10.2"}, {"lifecare", "X1"}}),
      unit("psy", "a", {{"oid", "1.2.246.10.1.10.3"}}),
      unit("psy-child", "psy", {{"oid", "1.2.246.10.1.10.3.1"}}),
      unit("b", "c", {{"oid", "1.2.246.10.1.20"}}),
      unit("u3", "b", {{"oid", "X1"}}),
      unit("kids", "b", {{"oid", "1.2.246.10.1.20.2"}}),
  };
  m.touchpoints = {
      touchpoint("tp-area", {"a"}, {Channel::sms}),
      touchpoint("tp-u1", {"u1"}, {Channel::web, Channel::sms}),
      touchpoint("tp-er", {"u2"}, {Channel::qr, Channel::sms}),
      touchpoint("tp-web", {"u3"}, {Channel::web}),
      touchpoint("tp-kids", {"kids"}, {Channel::sms}),
      touchpoint("tp-sampled", {"b"}, {Channel::sms}),
  };
  m.touchpoints[4].sms.min_age = 0;
  m.touchpoints[4].sms.daily_cap = 2;
  m.touchpoints[5].frequency.kind = Frequency::Kind::sampled;
  m.touchpoints[5].frequency.sample_share = 0.3;
  m.index();
  return m;
}

// A completed visit at u1 by an adult with one mobile, visited on 2026-03-10.
CareEvent adult_visit() {
  CareEvent e;
  e.sender = "LIFECARE^KSSHP";
  e.message_id = "MSG1";
  e.trigger = "A03";
  e.visit_id = "V1";
  e.visit_time = at(2026y / March / 10);
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};
  e.birth_date = 1980y / June / 1;
  e.mobiles = {"+358 40 123 4567"};
  e.language = "fi";
  return e;
}

struct Fixture {
  Model model = test_model();
  OutreachRules rules;
  PersonHistory history;
  TimePoint now = at(2026y / March / 10, 15h);
  TimePoint send_at = at(2026y / March / 11, 10h);  // 12:00 Helsinki

  DecisionOutcome run(const CareEvent& e) const {
    return decide(model, rules, e, map_event(model, rules, e), history, now, send_at);
  }
  std::vector<Reason> reasons(const CareEvent& e) const { return run(e).reasons; }
};

TEST(OutreachNames, RoundTrip) {
  for (int i = 0; i <= static_cast<int>(Reason::duplicate); ++i) {
    const Reason r = static_cast<Reason>(i);
    EXPECT_EQ(parse_reason(reason_name(r)), r) << reason_name(r);
  }
  EXPECT_EQ(reason_name(Reason::turvakielto), "turvakielto");
  EXPECT_EQ(reason_name(Reason::several_mobiles), "several_mobiles");
  EXPECT_EQ(reason_name(Reason::too_old), "too_old");
  EXPECT_EQ(reason_name(Reason::outreach_off), "outreach_off");
  EXPECT_EQ(reason_name(Reason::unsupported_event), "unsupported_event");
  EXPECT_EQ(parse_reason("no_such"), std::nullopt);
  for (Decision d :
       {Decision::scheduled, Decision::excluded, Decision::unmapped, Decision::duplicate, Decision::rejected})
    EXPECT_EQ(parse_decision(decision_name(d)), d);
  EXPECT_EQ(decision_name(Decision::unmapped), "unmapped");
  EXPECT_EQ(parse_decision("Scheduled"), std::nullopt);
  for (EventSource s : {EventSource::mllp, EventSource::fhir, EventSource::csv})
    EXPECT_EQ(parse_event_source(event_source_name(s)), s);
  EXPECT_EQ(event_source_name(EventSource::fhir), "fhir");
  EXPECT_EQ(sms_mode_name(TouchpointSms::Mode::link), "link");
  EXPECT_EQ(sms_mode_name(TouchpointSms::Mode::reply), "reply");
}

TEST(SenderRule, DefaultsStarRuleAndNamedRule) {
  OutreachRules rules;
  SenderRule d = sender_rule(rules, "ANY");
  EXPECT_EQ(d.sender, "*");
  EXPECT_EQ(d.completed, (std::vector<std::string>{"A03", "A04", "finished", "completed"}));
  EXPECT_EQ(d.cancels,
            (std::vector<std::string>{"A11", "A13", "S15", "S26", "cancelled", "entered-in-error"}));
  EXPECT_EQ(d.unit_code_system, "");

  rules.senders = {SenderRule{"*", {"A03"}, {}, "oid"}, SenderRule{"APOTTI", {"S14"}, {"S15"}, ""}};
  SenderRule star = sender_rule(rules, "OTHER");
  EXPECT_EQ(star.sender, "*");
  EXPECT_EQ(star.completed, std::vector<std::string>{"A03"});
  EXPECT_EQ(star.cancels.size(), 6u);  // empty list: the defaults
  EXPECT_EQ(star.unit_code_system, "oid");
  SenderRule own = sender_rule(rules, "APOTTI");
  EXPECT_EQ(own.sender, "APOTTI");
  EXPECT_EQ(own.completed, std::vector<std::string>{"S14"});
  EXPECT_EQ(own.cancels, std::vector<std::string>{"S15"});
}

TEST(MapEvent, MeaningFollowsTheSendersOwnTriggers) {
  Model m = test_model();
  OutreachRules rules;
  CareEvent e = adult_visit();
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::completed);
  e.trigger = "a04";  // case does not matter
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::completed);
  e.trigger = "A13";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::cancelled);
  e.trigger = "A08";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::other);
  e.trigger = "finished";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::completed);

  rules.senders = {SenderRule{"*", {}, {}, ""}, SenderRule{"SCHED^X", {"S14"}, {"S26"}, ""}};
  e.sender = "SCHED^X";
  e.trigger = "S14";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::completed);
  e.trigger = "A03";  // not one of this sender's completions
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::other);
  e.trigger = "S26";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::cancelled);
  e.sender = "SOMEONE^ELSE";  // the "*" rule (defaults)
  e.trigger = "A03";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::completed);
  e.trigger = "S14";
  EXPECT_EQ(map_event(m, rules, e).meaning, EventMeaning::other);
}

TEST(MapEvent, UnitByCodeWithAndWithoutSystem) {
  Model m = test_model();
  OutreachRules rules;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};
  EXPECT_EQ(map_event(m, rules, e).unit, "u1");
  e.unit_codes = {{"lifecare", "U1"}};
  EXPECT_EQ(map_event(m, rules, e).unit, "u1");
  e.unit_codes = {{"", "1.2.246.10.1.10.1"}};  // no system: any system of the model
  EXPECT_EQ(map_event(m, rules, e).unit, "u1");
  e.unit_codes = {{"2.16.840.1.113883.19", " U1 "}};  // a system the model does not know
  EXPECT_EQ(map_event(m, rules, e).unit, "u1");
  // The first code that names a unit wins, in the event's order.
  e.unit_codes = {{"oid", "9.9.9"}, {"oid", "1.2.246.10.1.10.2"}, {"oid", "1.2.246.10.1.10.1"}};
  EXPECT_EQ(map_event(m, rules, e).unit, "u2");
  // "X1" is u2's lifecare code and u3's oid: without a system the first unit in model
  // order has it; the sender's unit_code_system decides when it names one.
  e.unit_codes = {{"", "X1"}};
  EXPECT_EQ(map_event(m, rules, e).unit, "u2");
  rules.senders = {SenderRule{"LIFECARE^KSSHP", {}, {}, "oid"}};
  EXPECT_EQ(map_event(m, rules, e).unit, "u3");
  e.sender = "OTHER";
  EXPECT_EQ(map_event(m, rules, e).unit, "u2");
  // Unknown everywhere.
  e.unit_codes = {{"oid", "1.2.3"}, {"", ""}};
  EventMapping none = map_event(m, rules, e);
  EXPECT_EQ(none.unit, "");
  EXPECT_EQ(none.touchpoint, "");
  EXPECT_EQ(none.reasons, std::vector<Reason>{Reason::unknown_unit});
  e.unit_codes.clear();
  EXPECT_EQ(map_event(m, rules, e).reasons, std::vector<Reason>{Reason::unknown_unit});
}

TEST(MapEvent, NearestAncestorTouchpoint) {
  Model m = test_model();
  OutreachRules rules;
  CareEvent e = adult_visit();
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-u1");  // at the unit itself, not the area's
  e.unit_codes = {{"oid", "1.2.246.10.1.10.3.1"}};        // psy-child: no touchpoint at it or psy
  EventMapping r = map_event(m, rules, e);
  EXPECT_EQ(r.unit, "psy-child");
  EXPECT_EQ(r.touchpoint, "tp-area");
  EXPECT_TRUE(r.reasons.empty());
  e.unit_codes = {{"oid", "1.2.246.10.1.20"}};  // area b itself
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-sampled");
}

TEST(MapEvent, NoSmsTouchpoint) {
  Model m = test_model();
  m.touchpoints.pop_back();  // drop tp-sampled at b
  m.index();
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "X1"}};  // u3 has only a web touchpoint
  EventMapping r = map_event(m, OutreachRules{}, e);
  EXPECT_EQ(r.unit, "u3");
  EXPECT_EQ(r.touchpoint, "");
  EXPECT_EQ(r.reasons, std::vector<Reason>{Reason::no_touchpoint});
  Fixture f;
  f.model = m;
  DecisionOutcome d = f.run(e);
  EXPECT_EQ(d.decision, Decision::unmapped);
  EXPECT_EQ(d.reasons, std::vector<Reason>{Reason::no_touchpoint});
}

TEST(MapEvent, TouchpointRuleByVisitTypeAndService) {
  Model m = test_model();
  OutreachRules rules;
  // Emergency visits anywhere in area a go to tp-er; surgery at u1 to tp-area.
  rules.mappings = {TouchpointRule{"tp-er", {"a"}, {"E"}, {}},
                    TouchpointRule{"tp-area", {"u1"}, {}, {"KIR", "SUR"}},
                    TouchpointRule{"tp-web", {"a"}, {}, {}}};  // no sms channel: ignored
  CareEvent e = adult_visit();                                 // u1
  e.visit_type = "E";
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-er");
  e.visit_type = "O";
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-u1");  // no rule: the default
  e.service = "SUR";
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-area");
  e.visit_type = "E";  // first match wins
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-er");
  e.unit_codes = {{"oid", "X1"}};  // u3 is outside area a: no rule applies
  e.service = "";
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-sampled");
  // A rule without units takes its touchpoint's units.
  rules.mappings = {TouchpointRule{"tp-er", {}, {"E"}, {}}};
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-u1");  // u1 is not tp-er's unit
  e.unit_codes = {{"oid", "1.2.246.10.1.10.2"}};
  EXPECT_EQ(map_event(m, rules, e).touchpoint, "tp-er");
}

TEST(Decide, ScheduledWithTheOneMobileLanguageAndAgeGroup) {
  Fixture f;
  CareEvent e = adult_visit();
  e.mobiles = {" +358 40 123 4567", "040-123 4567"};  // one number written twice
  e.language = "SWE";
  DecisionOutcome d = f.run(e);
  EXPECT_EQ(d.decision, Decision::scheduled);
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_EQ(d.mobile, "+358 40 123 4567");
  EXPECT_EQ(d.language, Language::sv);
  EXPECT_EQ(d.age_group, AgeGroup::from_35_to_49);
}

TEST(Decide, UnderAge) {
  Fixture f;
  CareEvent e = adult_visit();
  e.birth_date = 2008y / March / 11;  // 18 the day after the visit
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::under_age});
  EXPECT_EQ(f.run(e).age_group, AgeGroup::under_18);
  e.birth_date = 2008y / March / 10;  // 18 on the visit day
  EXPECT_TRUE(f.reasons(e).empty());
  f.rules.min_age = 20;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::under_age});
  // Unknown age: not shown to be an adult.
  e.birth_date.reset();
  f.rules.min_age = 18;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::under_age});
  f.rules.min_age = 0;
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, TouchpointMinAgeOverridesTheCountys) {
  Fixture f;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "1.2.246.10.1.20.2"}};  // kids: min_age 0
  e.birth_date = 2019y / May / 5;
  EXPECT_EQ(f.run(e).decision, Decision::scheduled);
  EXPECT_EQ(f.run(e).age_group, AgeGroup::under_18);
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};  // u1: the county's 18
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::under_age});
}

TEST(Decide, Turvakielto) {
  Fixture f;
  CareEvent e = adult_visit();
  e.non_disclosure = true;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::turvakielto});
  EXPECT_EQ(f.run(e).decision, Decision::excluded);
  EXPECT_EQ(f.run(e).mobile, "");
}

TEST(Decide, Deceased) {
  Fixture f;
  CareEvent e = adult_visit();
  e.deceased = true;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::deceased});
}

TEST(Decide, NoMobile) {
  Fixture f;
  CareEvent e = adult_visit();
  e.mobiles = {};
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::no_mobile});
  e.mobiles = {"", "ei puhelinta", "12"};  // nothing plausible
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::no_mobile});
}

TEST(Decide, SeveralMobiles) {
  Fixture f;
  CareEvent e = adult_visit();
  e.mobiles = {"+358401234567", "050 765 4321"};
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::several_mobiles});
  e.mobiles = {"+358401234567", "garbage"};  // one plausible number
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, OptedOut) {
  Fixture f;
  f.history.opted_out = true;
  EXPECT_EQ(f.reasons(adult_visit()), std::vector<Reason>{Reason::opted_out});
}

TEST(Decide, NoConsent) {
  Fixture f;
  CareEvent e = adult_visit();
  EXPECT_TRUE(f.reasons(e).empty());  // not required by default
  f.rules.consent_required = true;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::no_consent});
  e.consent = false;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::no_consent});
  e.consent = true;
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, SensitiveServiceByCode) {
  Fixture f;
  f.rules.sensitive_services = {"PSY", "raskaudenkeskeytys"};
  CareEvent e = adult_visit();
  e.service = "Raskaudenkeskeytys";
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::sensitive_service});
  e.service = "SIS";
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, SensitiveUnitSubtreeMapsButIsExcluded) {
  Fixture f;
  f.rules.sensitive_units = {"psy"};
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "1.2.246.10.1.10.3.1"}};  // psy-child, under psy
  EventMapping mapping = map_event(f.model, f.rules, e);
  EXPECT_EQ(mapping.unit, "psy-child");
  EXPECT_EQ(mapping.touchpoint, "tp-area");
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::sensitive_service});
  e.unit_codes = {{"oid", "1.2.246.10.1.10.2"}};  // u2, a sibling: fine
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, TooOld) {
  Fixture f;
  CareEvent e = adult_visit();
  f.rules.send_window_days = 3;
  f.now = f.send_at + days(3);  // exactly at the end of the window: still fine
  EXPECT_TRUE(f.reasons(e).empty());
  f.now = f.send_at + days(3) + 1ms;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::too_old});
}

TEST(Decide, FollowUpVisit) {
  Fixture f;
  CareEvent e = adult_visit();
  f.history.last_surveyed_visit_here = *e.visit_time - days(29);
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::follow_up_visit});
  f.history.last_surveyed_visit_here = *e.visit_time - days(30);
  EXPECT_TRUE(f.reasons(e).empty());
  f.rules.follow_up_days = 0;  // off
  f.history.last_surveyed_visit_here = *e.visit_time - days(1);
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, ContactCap) {
  Fixture f;
  f.history.last_contacted = f.now - days(10);
  EXPECT_EQ(f.reasons(adult_visit()), std::vector<Reason>{Reason::contact_cap});
  f.rules.contact_cap_days = 10;
  EXPECT_TRUE(f.reasons(adult_visit()).empty());
  f.rules.contact_cap_days = 0;
  f.history.last_contacted = f.now;
  EXPECT_TRUE(f.reasons(adult_visit()).empty());
}

TEST(Decide, DailyCap) {
  Fixture f;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "1.2.246.10.1.20.2"}};  // tp-kids: cap 2
  f.history.scheduled_on_send_day = 1;
  EXPECT_TRUE(f.reasons(e).empty());
  f.history.scheduled_on_send_day = 2;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::daily_cap});
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};  // tp-u1: no cap
  f.history.scheduled_on_send_day = 1000;
  EXPECT_TRUE(f.reasons(e).empty());
}

TEST(Decide, NotSampledIsDeterministicAndNearTheShare) {
  Fixture f;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "X1"}};  // u3 -> tp-sampled, share 0.3
  int sampled = 0;
  std::vector<bool> first;
  for (int i = 0; i < 10000; ++i) {
    e.visit_id = "VISIT-" + std::to_string(i);
    DecisionOutcome d = f.run(e);
    ASSERT_TRUE(d.decision == Decision::scheduled || d.reasons == std::vector<Reason>{Reason::not_sampled});
    first.push_back(d.decision == Decision::scheduled);
    sampled += d.decision == Decision::scheduled;
  }
  EXPECT_NEAR(sampled / 10000.0, 0.3, 0.02);
  // Replays decide the same, whatever the clock says.
  f.now += hours(5);
  for (int i = 0; i < 10000; i += 7) {
    e.visit_id = "VISIT-" + std::to_string(i);
    EXPECT_EQ(f.run(e).decision == Decision::scheduled, first[static_cast<std::size_t>(i)]) << i;
  }
  // Without a visit id the message id is the key.
  e.visit_id = "";
  int by_message = 0;
  for (int i = 0; i < 2000; ++i) {
    e.message_id = "M" + std::to_string(i);
    by_message += f.run(e).decision == Decision::scheduled;
  }
  EXPECT_NEAR(by_message / 2000.0, 0.3, 0.05);
  // Continuous touchpoints never sample out.
  e.unit_codes = {{"oid", "1.2.246.10.1.10.1"}};
  for (int i = 0; i < 200; ++i) {
    e.visit_id = "VISIT-" + std::to_string(i);
    EXPECT_EQ(f.run(e).decision, Decision::scheduled);
  }
}

TEST(Decide, HardReasonsAccumulateAndHideSoftOnes) {
  Fixture f;
  CareEvent e = adult_visit();
  e.birth_date = 2015y / January / 1;
  e.non_disclosure = true;
  e.deceased = true;
  e.mobiles = {};
  f.history.opted_out = true;
  f.rules.consent_required = true;
  f.rules.sensitive_units = {"u1"};
  f.now = f.send_at + days(30);
  f.history.last_contacted = f.now;  // contact_cap would apply, but is soft
  f.history.last_surveyed_visit_here = e.visit_time;
  EXPECT_EQ(f.reasons(e), (std::vector<Reason>{Reason::under_age, Reason::turvakielto, Reason::deceased,
                                               Reason::no_mobile, Reason::opted_out, Reason::no_consent,
                                               Reason::sensitive_service, Reason::too_old}));
  e.mobiles = {"0401234567", "0501234567"};
  auto r = f.reasons(e);
  EXPECT_NE(std::find(r.begin(), r.end(), Reason::several_mobiles), r.end());
  EXPECT_EQ(std::find(r.begin(), r.end(), Reason::contact_cap), r.end());
}

TEST(Decide, SoftRulesFirstThatAppliesInOrder) {
  Fixture f;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "1.2.246.10.1.20.2"}};  // tp-kids, daily cap 2
  f.history.last_surveyed_visit_here = e.visit_time;
  f.history.last_contacted = f.now;
  f.history.scheduled_on_send_day = 5;
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::follow_up_visit});
  f.history.last_surveyed_visit_here.reset();
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::contact_cap});
  f.history.last_contacted.reset();
  EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::daily_cap});
  // not_sampled comes before daily_cap: find an id sampled out at tp-sampled.
  Model m = f.model;
  m.touchpoints[5].sms.daily_cap = 1;
  m.index();
  f.model = m;
  e.unit_codes = {{"oid", "X1"}};
  f.history.last_contacted = f.now;
  bool seen_out = false;
  for (int i = 0; i < 50 && !seen_out; ++i) {
    e.visit_id = "S" + std::to_string(i);
    f.history.last_contacted = f.now;
    EXPECT_EQ(f.reasons(e), std::vector<Reason>{Reason::contact_cap});  // before not_sampled
    f.history.last_contacted.reset();
    auto r = f.reasons(e);
    ASSERT_EQ(r.size(), 1u);
    if (r[0] == Reason::not_sampled)
      seen_out = true;
    else
      EXPECT_EQ(r[0], Reason::daily_cap);
  }
  EXPECT_TRUE(seen_out);
}

TEST(Decide, CancelledAndNotCompletedEvents) {
  Fixture f;
  CareEvent e = adult_visit();
  e.trigger = "A11";
  DecisionOutcome d = f.run(e);
  EXPECT_EQ(d.decision, Decision::excluded);
  EXPECT_EQ(d.reasons, std::vector<Reason>{Reason::cancelled});
  e.trigger = "A01";
  d = f.run(e);
  EXPECT_EQ(d.decision, Decision::excluded);
  EXPECT_EQ(d.reasons, std::vector<Reason>{Reason::not_completed});
}

TEST(Decide, UnknownUnitIsUnmapped) {
  Fixture f;
  CareEvent e = adult_visit();
  e.unit_codes = {{"oid", "0.0"}};
  DecisionOutcome d = f.run(e);
  EXPECT_EQ(d.decision, Decision::unmapped);
  EXPECT_EQ(d.reasons, std::vector<Reason>{Reason::unknown_unit});
}

TEST(AgeAt, AcrossABirthday) {
  CareEvent e;
  e.birth_date = 2000y / May / 20;
  EXPECT_EQ(age_at(e, 2026y / May / 19), 25);
  EXPECT_EQ(age_at(e, 2026y / May / 20), 26);
  EXPECT_EQ(age_at(e, 2026y / December / 31), 26);
  EXPECT_EQ(age_at(e, 2000y / May / 20), 0);
  EXPECT_EQ(age_at(e, 1999y / May / 20), std::nullopt);  // born later
  e.birth_date = 2004y / February / 29;
  EXPECT_EQ(age_at(e, 2022y / February / 28), 17);
  EXPECT_EQ(age_at(e, 2022y / March / 1), 18);
}

TEST(AgeAt, GivenAgeAndIdentityCode) {
  CareEvent e;
  EXPECT_EQ(age_at(e, 2026y / May / 1), std::nullopt);
  e.age = 42;
  EXPECT_EQ(age_at(e, 2026y / May / 1), 42);
  e.age.reset();
  e.person_id = "131052-308T";  // the well-known example: born 13 Oct 1952
  EXPECT_EQ(age_at(e, 2026y / October / 12), 73);
  EXPECT_EQ(age_at(e, 2026y / October / 13), 74);
  e.person_id = "010110A1230";  // valid: born 1 Jan 2010
  EXPECT_EQ(age_at(e, 2026y / May / 1), 16);
  e.person_id = "010110A123X";  // the same with a wrong check character
  EXPECT_EQ(age_at(e, 2026y / May / 1), std::nullopt);
  e.person_id = "LC-123456";  // a sender's patient id
  EXPECT_EQ(age_at(e, 2026y / May / 1), std::nullopt);
  // birth_date wins over the given age.
  e.birth_date = 2010y / January / 1;
  e.age = 40;
  EXPECT_EQ(age_at(e, 2026y / May / 1), 16);
}

TEST(OutreachLanguage, FromTheRecord) {
  for (const char* fi : {"fi", "FI", "fin", "suomi", "Finnish", "fi-FI", " fi_FI ", "fin^Finnish"})
    EXPECT_EQ(outreach_language(fi), Language::fi) << fi;
  for (const char* sv : {"sv", "SV", "swe", "sve", "svenska", "ruotsi", "sv-FI"})
    EXPECT_EQ(outreach_language(sv), Language::sv) << sv;
  for (const char* en : {"", "en", "de", "ru", "so", "finglish", "xx"})
    EXPECT_EQ(outreach_language(en), Language::en) << en;
}

}  // namespace
}  // namespace kaiku::domain
