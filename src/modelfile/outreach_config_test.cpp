// The `outreach:` section and the touchpoints' `sms:` blocks: what is read, every
// check (with file:line:column), and the canonical JSON (version, round trip).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/outreach.hpp"
#include "modelfile/loader.hpp"
#include "modelfile/model_from_json.hpp"
#include "modelfile/model_json.hpp"
#include "modelfile/test_support.hpp"

namespace kaiku::modelfile {
namespace {

using domain::TouchpointSms;
using testing::diagnose;
using testing::has_diag;
using testing::Y;

// Surveys and touchpoints for the SMS tests, added to the base model as "sms.yaml":
// t-sms (sms + web at u1, survey short: nps + open text), t-web (web only at u2),
// t-nonps (sms at u2, survey nonps without an nps question).
const std::string& sms_yaml() {
  static const std::string kText = Y(R"(
surveys:
  - id: short
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions:
      - use: nps
      - {key: improve, type: open_text, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
  - id: nonps
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions:
      - {key: comments, type: open_text, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
touchpoints:
  - {id: t-sms, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: short, channels: [sms, web]}
  - {id: t-web, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u2], survey: short, channels: [web]}
  - {id: t-nonps, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u2], survey: nonps, channels: [sms]}
)");
  return kText;
}

LoadResult load(const std::string& snippet) {
  return load_model_sources(
      {{"base.yaml", testing::base_yaml()}, {"sms.yaml", sms_yaml()}, {"t.yaml", snippet}});
}

std::vector<Diagnostic> diags(const std::string& snippet) {
  auto r = load(snippet);
  return r ? std::vector<Diagnostic>{} : r.error();
}

// A touchpoint with the given sms block (flow style), as t.yaml; line 2 holds the block.
std::string tp_with_sms(const std::string& survey, const std::string& channels, const std::string& block) {
  return "touchpoints:\n  - {id: t2, name: {fi: a, sv: b, en: c}, journey: j, stage: s2, units: [u1], "
         "survey: " +
         survey + ", channels: [" + channels + "],\n     sms: " + block + "}\n";
}

TEST(OutreachConfig, ReadsEveryField) {
  auto r = load(Y(R"(
outreach:
  enabled: true
  min_age: 16
  consent_required: true
  sensitive_services: [psykiatria, RASK]
  sensitive_units: [u2]
  follow_up_days: 14
  contact_cap_days: 180
  send_delay_days: 0
  send_from_hour: 9
  send_until_hour: 21
  send_window_days: 2
  reply_days: 7
  sender_id: "+358401234567"
  senders:
    - sender: LIFECARE^KSSHP
      completed: [A03]
      cancels: [A11, A13]
      unit_code_system: oid
    - sender: "*"
  mappings:
    - touchpoint: t-sms
      units: [area]
      visit_types: [E]
      services: [PAI, YLE]
touchpoints:
  - id: t2
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s2
    units: [u1]
    survey: short
    channels: [sms]
    sms: {mode: reply, daily_cap: 150, min_age: 0, followup_question: improve}
)"));
  ASSERT_TRUE(r) << testing::dump(r.error());
  const domain::OutreachRules& o = r->outreach;
  EXPECT_TRUE(o.enabled);
  EXPECT_EQ(o.min_age, 16);
  EXPECT_TRUE(o.consent_required);
  EXPECT_EQ(o.sensitive_services, (std::vector<std::string>{"psykiatria", "RASK"}));
  EXPECT_EQ(o.sensitive_units, std::vector<std::string>{"u2"});
  EXPECT_EQ(o.follow_up_days, 14);
  EXPECT_EQ(o.contact_cap_days, 180);
  EXPECT_EQ(o.send_delay_days, 0);
  EXPECT_EQ(o.send_from_hour, 9);
  EXPECT_EQ(o.send_until_hour, 21);
  EXPECT_EQ(o.send_window_days, 2);
  EXPECT_EQ(o.reply_days, 7);
  EXPECT_EQ(o.sender_id, "+358401234567");
  ASSERT_EQ(o.senders.size(), 2u);
  EXPECT_EQ(o.senders[0].sender, "LIFECARE^KSSHP");
  EXPECT_EQ(o.senders[0].completed, std::vector<std::string>{"A03"});
  EXPECT_EQ(o.senders[0].cancels, (std::vector<std::string>{"A11", "A13"}));
  EXPECT_EQ(o.senders[0].unit_code_system, "oid");
  EXPECT_EQ(o.senders[1].sender, "*");  // lists left out: the defaults, written out
  EXPECT_EQ(o.senders[1].completed, (std::vector<std::string>{"A03", "A04", "finished", "completed"}));
  EXPECT_EQ(o.senders[1].cancels.size(), 6u);
  EXPECT_EQ(o.senders[1].unit_code_system, "");
  ASSERT_EQ(o.mappings.size(), 1u);
  EXPECT_EQ(o.mappings[0].touchpoint, "t-sms");
  EXPECT_EQ(o.mappings[0].units, std::vector<std::string>{"area"});
  EXPECT_EQ(o.mappings[0].visit_types, std::vector<std::string>{"E"});
  EXPECT_EQ(o.mappings[0].services, (std::vector<std::string>{"PAI", "YLE"}));
  const domain::Touchpoint* t2 = r->touchpoint("t2");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->sms.mode, TouchpointSms::Mode::reply);
  EXPECT_EQ(t2->sms.daily_cap, 150);
  EXPECT_EQ(t2->sms.min_age, 0);
  EXPECT_EQ(t2->sms.followup_question, "improve");
  const domain::Touchpoint* t1 = r->touchpoint("t-sms");  // no block: the defaults
  EXPECT_EQ(t1->sms.mode, TouchpointSms::Mode::link);
  EXPECT_EQ(t1->sms.daily_cap, 0);
  EXPECT_FALSE(t1->sms.min_age.has_value());
}

TEST(OutreachConfig, AbsentSectionGivesTheDefaults) {
  auto r = load("");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_FALSE(r->outreach.enabled);
  EXPECT_EQ(r->outreach.min_age, 18);
  EXPECT_EQ(r->outreach.follow_up_days, 30);
  EXPECT_EQ(r->outreach.send_from_hour, 12);
  EXPECT_TRUE(r->outreach.senders.empty());
  auto empty = load("outreach: {}\n");
  ASSERT_TRUE(empty) << testing::dump(empty.error());
  EXPECT_EQ(model_to_json(*empty), model_to_json(*r));
}

TEST(OutreachConfig, UnknownKeysEverywhere) {
  auto ds = diags(Y(R"(
outreach:
  enabeld: true
  senders:
    - {sender: X, complete: [A03]}
  mappings:
    - {touchpoint: t-sms, service: [A]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 3, "outreach: unknown key 'enabeld'; did you mean 'enabled'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 19,
                       "outreach: sender 'X': unknown key 'complete'; did you mean 'completed'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 27, "unknown key 'service'; did you mean 'services'?"));
  ds = diags(tp_with_sms("short", "sms", "{mode: link, dailycap: 5}"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 24,
                       "touchpoint 't2': sms: unknown key 'dailycap'; did you mean 'daily_cap'?"));
}

TEST(OutreachConfig, HoursOutsideTheDayOrInTheWrongOrder) {
  auto ds = diags("outreach:\n  send_from_hour: -1\n  send_until_hour: 25\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 19, "outreach: send_from_hour must be an hour between 0 and 24"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 20, "outreach: send_until_hour must be an hour between 0 and 24"));
  ASSERT_EQ(ds.size(), 2u) << testing::dump(ds);  // no order complaint about values already wrong
  ds = diags("outreach:\n  send_from_hour: 20\n  send_until_hour: 8\n");
  ASSERT_EQ(ds.size(), 1u) << testing::dump(ds);
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 20, "send_from_hour (20) must be before send_until_hour (8)"));
  ds = diags("outreach:\n  send_from_hour: 20\n");  // the default until is 20
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 19, "send_from_hour (20) must be before send_until_hour (20)"));
  ds = diags("outreach:\n  send_from_hour: noon\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 19, "send_from_hour: expected a whole number, got 'noon'"));
  EXPECT_TRUE(diags("outreach:\n  send_from_hour: 0\n  send_until_hour: 24\n").empty());
}

TEST(OutreachConfig, NegativeOrOutOfRangeNumbers) {
  auto ds = diags(Y(R"(
outreach:
  follow_up_days: -1
  contact_cap_days: -30
  send_delay_days: -1
  send_window_days: 0
  reply_days: -14
  min_age: -3
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 19,
                       "outreach: follow_up_days must be between 0 and 3660 (days; 0 = off), got -1"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 21, "outreach: contact_cap_days must be between 0 and 3660"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 20, "outreach: send_delay_days must be between 0 and 365"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 21, "outreach: send_window_days must be between 1 and 365"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 15, "outreach: reply_days must be between 1 and 365"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 7, 12, "outreach: min_age must be between 0 and 130"));
  EXPECT_EQ(ds.size(), 6u) << testing::dump(ds);
  ds = diags("outreach:\n  enabled: maybe\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 12, "outreach: enabled"));
}

TEST(OutreachConfig, MappingsNameKnownSmsTouchpointsAndUnits) {
  auto ds = diags(Y(R"(
outreach:
  mappings:
    - {touchpoint: t-smss, visit_types: [E]}
    - {touchpoint: t-web}
    - {touchpoint: t-sms, units: [u1, u9, u1]}
    - {units: [u1]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 20,
                       "outreach: mapping 't-smss': unknown touchpoint 't-smss'; did you mean 't-sms'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 20, "touchpoint 't-web' has no sms channel"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 39,
                       "outreach: mapping 't-sms': units: unknown unit 'u9'; did you mean 'u1'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 43, "unit 'u1' is listed twice"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 7, "outreach: mapping: missing required field 'touchpoint'"));
  EXPECT_EQ(ds.size(), 5u) << testing::dump(ds);
}

TEST(OutreachConfig, SensitiveUnitsMustExist) {
  auto ds = diags("outreach:\n  sensitive_units: [u2, areaa]\n  sensitive_services: [PSY, psy, '']\n");
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 2, 25, "outreach: sensitive_units: unknown unit 'areaa'; did you mean 'area'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 29, "outreach: sensitive_services: 'psy' is listed twice"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 34, "outreach: sensitive_services: empty value"));
}

TEST(OutreachConfig, SenderRulesAreChecked) {
  auto ds = diags(Y(R"(
outreach:
  sender_id: "Far too long sender"
  senders:
    - {sender: A, completed: [], cancels: [A11]}
    - {sender: B, completed: [A03, S14], cancels: [s14]}
    - {sender: A}
    - {sender: C, unit_code_system: oidd}
    - {completed: [A03]}
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 2, 14, "outreach: sender_id 'Far too long sender' is not a valid SMS sender"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 30,
                       "outreach: sender 'A': completed is empty; leave it out to use the defaults"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 7,
                       "outreach: sender 'B': trigger 'S14' is both in completed and in cancels"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 7, "duplicate outreach sender 'A' (first defined at t.yaml:4:7)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 7, 37,
               "outreach: sender 'C': unit_code_system 'oidd': no unit has a code in this system (known: "
               "lifecare, oid); did you mean 'oid'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 8, 7, "outreach: sender: missing required field 'sender'"));
  EXPECT_TRUE(diags("outreach: {sender_id: '+358401234567'}\n").empty());
  EXPECT_TRUE(diags("outreach: {sender_id: Maakunta 1}\n").empty());
}

TEST(OutreachConfig, ReplyModeNeedsANumberToReplyTo) {
  const std::string tp = R"(
touchpoints:
  - id: t2
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s2
    units: [u1]
    survey: short
    channels: [sms]
    sms: {mode: reply}
)";
  auto ds = diags("outreach:\n  sender_id: Maakunta\n" + tp);
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 14,
                       "outreach: sender_id 'Maakunta' is a name, but touchpoint 't2' asks for SMS replies"))
      << testing::dump(ds);
  EXPECT_TRUE(diags("outreach:\n  sender_id: '+358401234567'\n" + tp).empty());
}

TEST(OutreachConfig, SectionOnlyOnce) {
  auto r = load_model_sources({{"base.yaml", testing::base_yaml() + "outreach: {enabled: true}\n"},
                               {"t.yaml", "outreach: {enabled: false}\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "t.yaml", 1, 11, "section 'outreach' is already defined at base.yaml:"));
}

TEST(TouchpointSmsConfig, FollowupMustBeAnOpenQuestionOfTheSurvey) {
  auto ds = diags(tp_with_sms("short", "sms", "{mode: reply, followup_question: nps}"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 3, 44,
               "touchpoint 't2': sms: followup_question 'nps' is a nps question; the follow-up must be an "
               "open_text question of survey 'short'"));
  ds = diags(tp_with_sms("short", "sms", "{mode: reply, followup_question: improv}"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 3, 44,
               "followup_question 'improv' is not a question of survey 'short'; did you mean 'improve'?"));
  ds = diags(tp_with_sms("short", "sms", "{mode: link, followup_question: improve}"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 43, "followup_question is only for mode reply"));
  EXPECT_TRUE(diags(tp_with_sms("short", "sms", "{mode: reply, followup_question: improve}")).empty());
  EXPECT_TRUE(diags(tp_with_sms("short", "sms", "{mode: reply}")).empty());
}

TEST(TouchpointSmsConfig, ReplyModeNeedsAnNpsQuestion) {
  auto ds = diags(tp_with_sms("nonps", "sms", "{mode: reply}"));
  ASSERT_EQ(ds.size(), 1u) << testing::dump(ds);
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 3, 18,
               "touchpoint 't2': sms: mode reply asks the NPS question by SMS, but survey 'nonps' has no "
               "nps question; use mode link"));
  EXPECT_TRUE(diags(tp_with_sms("nonps", "sms", "{mode: link}")).empty());
}

TEST(TouchpointSmsConfig, BlockNeedsTheSmsChannelAndValidValues) {
  auto ds = diags(tp_with_sms("short", "web", "{mode: link}"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 11, "touchpoint 't2': sms: an sms block needs the sms channel"));
  ds = diags(tp_with_sms("short", "sms", "{mode: chat, daily_cap: -1, min_age: 200}"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 18, "touchpoint 't2': sms: unknown mode 'chat'; use link"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 35, "sms: daily_cap must be between 0 (no cap) and 1000000, got -1"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 48, "sms: min_age must be between 0 and 130, got 200"));
  ds = diags(tp_with_sms("short", "sms", "reply"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 11, "touchpoint 't2': sms: expected a mapping"));
}

TEST(OutreachJson, VersionChangesWithTheRulesAndRoundTrips) {
  const std::string section = Y(R"(
outreach:
  enabled: true
  sensitive_services: [PSY]
  senders:
    - {sender: "LC^X", unit_code_system: oid}
  mappings:
    - {touchpoint: t-sms, visit_types: [E]}
)");
  auto a = load(section);
  ASSERT_TRUE(a) << testing::dump(a.error());
  auto plain = load("");
  ASSERT_TRUE(plain);
  EXPECT_NE(a->version, plain->version);
  std::string changed = section;
  changed.replace(changed.find("PSY"), 3, "PSYK");
  auto b = load(changed);
  ASSERT_TRUE(b);
  EXPECT_NE(a->version, b->version);  // a changed rule is a new model version
  auto c = load(tp_with_sms("short", "sms", "{mode: reply}"));
  auto d = load(tp_with_sms("short", "sms", "{mode: link}"));
  ASSERT_TRUE(c && d);
  EXPECT_NE(c->version, d->version);

  const std::string json = model_to_json(*a);
  auto v = boost::json::parse(json).as_object();
  const auto& o = v.at("outreach").as_object();
  EXPECT_TRUE(o.at("enabled").as_bool());
  EXPECT_EQ(o.at("send_from_hour").as_int64(), 12);
  EXPECT_EQ(o.at("senders").as_array()[0].as_object().at("unit_code_system").as_string(), "oid");
  EXPECT_EQ(o.at("mappings").as_array()[0].as_object().at("visit_types").as_array()[0].as_string(), "E");
  auto back = model_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(model_to_json(*back), json);
  EXPECT_EQ(model_content_hash(*back), a->version);
  EXPECT_EQ(back->outreach.senders[0].completed.size(), 4u);
  auto tp_json = model_to_json(*c);
  auto back_c = model_from_json(tp_json);
  ASSERT_TRUE(back_c) << back_c.error().message;
  EXPECT_EQ(back_c->touchpoint("t2")->sms.mode, TouchpointSms::Mode::reply);
  EXPECT_EQ(model_to_json(*back_c), tp_json);
}

TEST(OutreachJson, DefaultsAreLeftOut) {
  auto r = load("");
  ASSERT_TRUE(r);
  auto v = boost::json::parse(model_to_json(*r)).as_object();
  EXPECT_FALSE(v.contains("outreach"));
  for (const auto& t : v.at("touchpoints").as_array()) EXPECT_FALSE(t.as_object().contains("sms"));
  // JSON stored before outreach existed reads back with the defaults.
  auto back = model_from_json(model_to_json(*r));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->outreach.enabled);
  EXPECT_EQ(back->outreach.min_age, 18);
  EXPECT_EQ(back->outreach.sender_id, "Kaiku");
  auto bad = model_from_json(R"({"outreach":{"senders":[{"sender":5}]}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.outreach.senders[0].sender: expected a string"), std::string::npos)
      << bad.error().message;
  bad = model_from_json(R"({"touchpoints":[{"id":"t","sms":{"mode":"chat"}}]})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.touchpoints[0].sms.mode: unknown sms mode chat"), std::string::npos)
      << bad.error().message;
}

TEST(OutreachConfig, LoadedRulesDriveTheDomainMapping) {
  auto r = load(Y(R"(
outreach:
  senders:
    - {sender: "LC^X", unit_code_system: lifecare}
  mappings:
    - {touchpoint: t-nonps, units: [u1], visit_types: [E]}
)"));
  ASSERT_TRUE(r) << testing::dump(r.error());
  domain::CareEvent e;
  e.sender = "LC^X";
  e.trigger = "A03";
  e.unit_codes = {{"", "U1"}};
  domain::EventMapping m = domain::map_event(*r, r->outreach, e);
  EXPECT_EQ(m.meaning, domain::EventMeaning::completed);
  EXPECT_EQ(m.unit, "u1");
  EXPECT_EQ(m.touchpoint, "t-sms");
  e.visit_type = "E";
  EXPECT_EQ(domain::map_event(*r, r->outreach, e).touchpoint, "t-nonps");
}

}  // namespace
}  // namespace kaiku::modelfile
