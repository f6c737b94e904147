// One test per validation error of the model format (docs/model-format.md), each
// asserting where (file:line:column) and what.
#include "modelfile/loader.hpp"

#include <gtest/gtest.h>

#include "modelfile/test_support.hpp"

namespace kaiku::modelfile {
namespace {

using testing::diagnose;
using testing::has_diag;
using testing::Y;

TEST(Loader, BaseModelIsValid) {
  auto ds = diagnose("");
  EXPECT_TRUE(ds.empty()) << testing::dump(ds);
}

TEST(Loader, YamlSyntaxErrorHasLocation) {
  auto ds = diagnose(Y(R"(
journeys:
  - id: x
    name: {fi: a, sv: b
)"));
  ASSERT_EQ(ds.size(), 1u) << testing::dump(ds);
  EXPECT_EQ(ds[0].file, "t.yaml");
  EXPECT_NE(ds[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_GE(ds[0].line, 3);
}

TEST(Loader, SyntaxErrorInOneFileStillChecksTheOthers) {
  auto r = load_model_sources({{"a.yaml", "units: [\n"}, {"b.yaml", "languages: [xx]\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "a.yaml", 2, 1, "YAML syntax error"));
  EXPECT_TRUE(has_diag(r.error(), "b.yaml", 1, 13, "unknown language 'xx'"));
}

TEST(Loader, SyntaxErrorReportsNoMissingSectionsOrUnknownReferences) {
  // county: is at line 1, but the file breaks before the end: only the syntax error.
  auto one = load_model_from_string("county:\n  id: c\n  name: {fi: a, sv: b\nlanguages: [fi]\n", "m.yaml");
  ASSERT_FALSE(one);
  ASSERT_EQ(one.error().size(), 1u) << testing::dump(one.error());
  EXPECT_NE(one.error()[0].message.find("YAML syntax error"), std::string::npos);
  // In a folder, a touchpoint whose journey, unit and survey live in the broken file
  // is not reported as referring to unknown things; its own errors still are.
  auto r = load_model_sources(
      {{"a.yaml", "county: {id: c\n"},
       {"b.yaml",
        "touchpoints:\n  - {id: t, journey: j, stage: s, units: [u], survey: core, channels: [wbe]}\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "a.yaml", 2, 1, "YAML syntax error"));
  for (const Diagnostic& d : r.error()) {
    EXPECT_EQ(d.message.find("missing required section"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("unknown journey"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("unknown unit"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("unknown survey"), std::string::npos) << d.message;
  }
  bool channel_reported = false;
  for (const Diagnostic& d : r.error())
    channel_reported |= d.message.find("unknown channel 'wbe'") != std::string::npos;
  EXPECT_TRUE(channel_reported) << testing::dump(r.error());
}

TEST(Loader, SyntaxErrorFromQuestionMarkInFlowStyleExplainsQuoting) {
  auto ds = diagnose("journeys:\n  - {id: x, name: {fi: Mitä?, sv: Vad?, en: What?}}\n");
  ASSERT_EQ(ds.size(), 1u) << testing::dump(ds);
  EXPECT_NE(ds[0].message.find("put texts that contain ? , : [ ] { } in quotes"), std::string::npos)
      << ds[0].message;
}

TEST(Loader, UnknownKeySuggestsTheNearestOne) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: s
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    qestions:
      - use: nps
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 5, "survey 's': unknown key 'qestions'; did you mean 'questions'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "survey 's': missing required field 'questions'"));
}

TEST(Loader, UnknownTopLevelSection) {
  auto ds = diagnose("jorneys: []\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 1, 1, "top level: unknown key 'jorneys'; did you mean 'journeys'?"));
}

TEST(Loader, MissingRequiredField) {
  auto ds = diagnose(Y(R"(
journeys:
  - id: x
    stages: [{id: a, name: {fi: a, sv: b, en: c}}]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "journey 'x': missing required field 'name'"));
}

TEST(Loader, MissingSectionsInWholeModel) {
  auto r = load_model_from_string("reporting_threshold: 5\n", "m.yaml");
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "m.yaml", 1, 1, "missing required section 'languages'"));
  EXPECT_TRUE(has_diag(r.error(), "m.yaml", 1, 1, "missing required section 'county'"));
}

TEST(Loader, CountyContactsAreReadAndChecked) {
  auto ok = load_model_from_string(Y(R"(
languages: [fi]
county:
  id: c
  name: {fi: a}
  accessibility: {email: saavutettavuus@c.example, phone: 029 123 4000, statement_date: 2026-11-24}
  complaints: {url: "https://c.example/muistutus", phone: +358 29 123 4100}
)"),
                                   "m.yaml");
  ASSERT_TRUE(ok) << testing::dump(ok.error());
  EXPECT_EQ(ok->contacts.accessibility_email, "saavutettavuus@c.example");
  EXPECT_EQ(ok->contacts.accessibility_phone, "029 123 4000");
  EXPECT_EQ(ok->contacts.statement_date, "2026-11-24");
  EXPECT_EQ(ok->contacts.complaints_url, "https://c.example/muistutus");
  EXPECT_EQ(ok->contacts.complaints_phone, "+358 29 123 4100");

  auto bad = load_model_from_string(Y(R"(
languages: [fi]
county:
  id: c
  name: {fi: a}
  accessibility: {phone: soita meille, statement_date: 24.11.2026, emial: x@y.fi}
  complaints: {url: www.c.example}
)"),
                                    "m.yaml");
  ASSERT_FALSE(bad);
  const auto& ds = bad.error();
  EXPECT_TRUE(has_diag(ds, "m.yaml", 5, 18, "county: accessibility: missing required field 'email'"));
  EXPECT_TRUE(has_diag(ds, "m.yaml", 5, 26, "county: accessibility: phone: expected a phone number"));
  EXPECT_TRUE(has_diag(ds, "m.yaml", 5, 56, "statement_date: expected a date YYYY-MM-DD, got '24.11.2026'"));
  EXPECT_TRUE(has_diag(ds, "m.yaml", 5, 68, "unknown key 'emial'; did you mean 'email'?"));
  EXPECT_TRUE(has_diag(ds, "m.yaml", 6, 21,
                       "county: complaints: url: expected a web address starting with https://"));
  // Contacts belong to the county only.
  auto unit = diagnose(
      "units:\n  - {id: u9, parent: c, name: {fi: a, sv: b, en: c}, complaints: {url: 'https://x.fi'}}\n");
  EXPECT_TRUE(has_diag(unit, "t.yaml", 2, 54, "unknown key 'complaints'"));
}

TEST(Loader, WrongTypes) {
  auto ds = diagnose(Y(R"(
units: {id: x}
touchpoints:
  - id: t
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s1
    units: u1
    survey: core
    channels: [web]
    frequency: {kind: sampled, share: lots}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 1, 8, "top level: units: expected a list, got a mapping"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 7, 12, "touchpoint 't': units: expected a list, got 'u1'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 10, 39, "share: expected a number, got 'lots'"));
}

TEST(Loader, ReportingThresholdMustBeAWholeNumberAtLeastOne) {
  auto r = load_model_sources({{"a.yaml", "reporting_threshold: 0\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "a.yaml", 1, 22, "reporting_threshold: must be at least 1"));
  r = load_model_sources({{"a.yaml", "reporting_threshold: five\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "a.yaml", 1, 22, "expected a whole number, got 'five'"));
}

TEST(Loader, SingleSectionDefinedTwiceAcrossFiles) {
  auto ds = diagnose("reporting_threshold: 10\n");
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 1, 22, "section 'reporting_threshold' is already defined at base.yaml:2:22"));
}

TEST(Loader, DuplicateKeyInOneMapping) {
  auto ds = diagnose(Y(R"(
journeys:
  - id: x
    id: y
    name: {fi: a, sv: b, en: c}
    stages: [{id: a, name: {fi: a, sv: b, en: c}}]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 5, "key 'id' appears twice"));
}

TEST(Loader, DuplicateUnitIdAcrossFiles) {
  auto ds = diagnose(Y(R"(
units:
  - id: u1
    parent: area
    name: {fi: a, sv: b, en: c}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "duplicate unit id 'u1' (first defined at base.yaml:11:11)"));
}

TEST(Loader, DuplicateJourneyAndStageIds) {
  auto ds = diagnose(Y(R"(
journeys:
  - id: j
    name: {fi: a, sv: b, en: c}
    stages:
      - {id: a, name: {fi: a, sv: b, en: c}}
      - {id: a, name: {fi: a, sv: b, en: c}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "duplicate journey id 'j' (first defined at base.yaml:17:5)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 9, "duplicate stage id 'a' (first defined at t.yaml:5:9)"));
}

TEST(Loader, DuplicateTouchpointId) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [web]}
  - {id: t, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [qr]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 5, "duplicate touchpoint id 't' (first defined at t.yaml:2:5)"));
}

TEST(Loader, DuplicateSurveyId) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: core
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions: [{use: nps}]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "duplicate survey id 'core' (first defined at base.yaml:27:5)"));
}

TEST(Loader, DuplicateQuestionKeyInSurvey) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: s
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions:
      - use: nps
      - use: nps
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 9, "duplicate question key 'nps' (first defined at t.yaml:5:9)"));
}

TEST(Loader, DuplicateLibraryQuestion) {
  auto ds = diagnose(Y(R"(
questions:
  - {key: nps, type: nps, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5,
                       "questions: duplicate question key 'nps' (first defined at base.yaml:23:5)"));
}

TEST(Loader, DuplicateOptionKey) {
  auto ds = diagnose(Y(R"(
questions:
  - key: pick
    type: multi_choice
    text: {fi: a, sv: b, en: c, fi-x-selko: d}
    options:
      - {key: x, label: {fi: a, sv: b, en: c, fi-x-selko: d}}
      - {key: x, label: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 7, 9, "duplicate option key 'x' (first defined at t.yaml:6:9)"));
}

TEST(Loader, BadIdSyntax) {
  auto ds = diagnose(Y(R"(
units:
  - id: TK Vaasa
    parent: area
    name: {fi: a, sv: b, en: c}
questions:
  - {key: "nps!", type: nps, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 9,
                       "unit 'TK Vaasa': id: 'TK Vaasa' is not a valid id; use only a-z, 0-9, '-' and '_'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 11, "'nps!' is not a valid id"));
}

TEST(Loader, DanglingUnitParent) {
  auto ds = diagnose(Y(R"(
units:
  - id: x
    parent: nowhere
    name: {fi: a, sv: b, en: c}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 13, "unit 'x': unknown parent 'nowhere'"));
}

TEST(Loader, DanglingTouchpointReferences) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - id: t1
    name: {fi: a, sv: b, en: c}
    journey: nope
    stage: s1
    units: [u1, ghost]
    survey: missing
    channels: [web]
  - id: t2
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s9
    units: [u1]
    survey: core
    child_survey: kidz
    relative_survey: relz
    channels: [web]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 14, "touchpoint 't1': unknown journey 'nope'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 17, "touchpoint 't1': unknown unit 'ghost'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 7, 13, "touchpoint 't1': survey: unknown survey 'missing'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 12, 12, "touchpoint 't2': unknown stage 's9' of journey 'j'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 15, 19, "child_survey: unknown survey 'kidz'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 16, 22, "relative_survey: unknown survey 'relz'"));
}

TEST(Loader, DanglingReferencesSuggestTheNearestId) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t, name: {fi: a, sv: b, en: c}, journey: jj, stage: s3, units: [u3], survey: cor, channels: [web]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 51, "unknown journey 'jj'; did you mean 'j'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 74, "unknown unit 'u3'; did you mean 'u1'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 87, "unknown survey 'cor'; did you mean 'core'?"));
}

TEST(Loader, VariantSurveysMustHaveTheRightAudience) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - id: t
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s1
    units: [u1]
    survey: core
    child_survey: rel
    relative_survey: kids
    channels: [web]
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 8, 19, "child_survey: survey 'rel' is for audience relative, expected child"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 22,
                       "relative_survey: survey 'kids' is for audience child, expected relative"));
}

TEST(Loader, DanglingTargetUnitAndIndicator) {
  auto ds = diagnose(Y(R"(
targets:
  - {unit: nowhere, indicator: nps, value: 50}
  - {unit: u1, indicator: happiness, value: 4}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 12, "target: unknown unit 'nowhere'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 27, "target: unknown indicator 'happiness'"));
}

TEST(Loader, DanglingKioskQuestionAndFollowup) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: k
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    kiosk_question: face
    kiosk_followup: why
    questions: [{use: nps}]
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 4, 21, "survey 'k': kiosk_question 'face' is not a question of this survey"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 5, 21, "survey 'k': kiosk_followup 'why' is not a question of this survey"));
}

TEST(Loader, DanglingLibraryQuestion) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: s
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions:
      - use: thl_nothing
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 14, "unknown library question 'thl_nothing'"));
}

TEST(Loader, CycleInOrgTree) {
  auto ds = diagnose(Y(R"(
units:
  - id: a
    parent: b
    name: {fi: a, sv: b, en: c}
  - id: b
    parent: a
    name: {fi: a, sv: b, en: c}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "cycle in the org tree: a -> b -> a"));
  EXPECT_EQ(ds.size(), 1u) << testing::dump(ds);
}

TEST(Loader, MoreThanOneRoot) {
  auto ds = diagnose(Y(R"(
units:
  - id: other-county
    name: {fi: a, sv: b, en: c}
)"));
  EXPECT_TRUE(has_diag(
      ds, "t.yaml", 2, 5,
      "more than one root in the org tree: unit 'other-county' has no parent, but 'c' is already the root"));
}

TEST(Loader, NestedChildMayNotNameAnotherParent) {
  auto ds = diagnose(Y(R"(
units:
  - id: x
    parent: area
    name: {fi: a, sv: b, en: c}
    children:
      - {id: y, parent: u1, name: {fi: a, sv: b, en: c}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 6, 25, "'parent' is not needed under 'children'"));
}

TEST(Loader, UnknownQuestionType) {
  auto ds = diagnose(Y(R"(
questions:
  - {key: stars, type: rating, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 24, "unknown question type 'rating'"));
}

TEST(Loader, UnknownChannel) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [web, fax]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 108, "touchpoint 't': unknown channel 'fax'"));
}

TEST(Loader, UnknownFrequencyKind) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - id: t
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s1
    units: [u1]
    survey: core
    channels: [sms]
    frequency: sometimes
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 16, "touchpoint 't': frequency: unknown frequency kind 'sometimes'"));
}

TEST(Loader, UnknownLanguage) {
  auto r = load_model_sources({{"a.yaml", "languages: [fi, se]\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "a.yaml", 1, 17, "languages: unknown language 'se'"));
  auto ds = diagnose(Y(R"(
journeys:
  - id: x
    name: {fi: a, sv: b, en: c, de: d}
    stages: [{id: a, name: {fi: a, sv: b, en: c}}]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 33, "journey 'x': name: unknown language 'de'"));
}

TEST(Loader, MissingTranslationForEnabledLanguage) {
  auto ds = diagnose(Y(R"(
units:
  - {id: x, parent: area, name: {fi: a, sv: b}}
surveys:
  - id: s
    title: {fi: a, sv: b, en: c}
    questions:
      - key: q
        type: open_text
        text: {fi: "Mitä?", en: "What?", fi-x-selko: "Mitä?"}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 33, "unit 'x': name: missing translation for en"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 12, "survey 's': title: missing translation for fi-x-selko"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 15, "survey 's': question 'q': text: missing translation for sv"));
}

TEST(Loader, PlainFinnishOnlyRequiredWhenEnabled) {
  auto r = load_model_from_string(Y(R"(
languages: [fi, sv]
county: {id: c, name: {fi: a, sv: b}}
surveys:
  - id: s
    title: {fi: a, sv: b}
    questions: [{key: q, type: open_text, text: {fi: a}}]
)"),
                                  "m.yaml");
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().size(), 1u) << testing::dump(r.error());
  EXPECT_TRUE(has_diag(r.error(), "m.yaml", 6, 49, "text: missing translation for sv"));
}

TEST(Loader, SampledShareOutsideZeroToOne) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t1, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [sms],
     frequency: {kind: sampled, share: 0}}
  - {id: t2, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [sms],
     frequency: {kind: sampled, share: 1.5}}
  - {id: t3, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [sms],
     frequency: {kind: sampled}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 40, "share must be greater than 0 and at most 1"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 40, "share must be greater than 0 and at most 1"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 7, 17, "missing required field 'share'"));
}

TEST(Loader, PeriodicNeedsValidWindows) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t1, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: core, channels: [web],
     frequency: periodic}
  - id: t2
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s1
    units: [u1]
    survey: core
    channels: [web]
    frequency:
      kind: periodic
      windows:
        - {start: 30.2., days: 14}
        - {start: 13-01, days: 0}
        - {start: 1.3., days: 14}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 17, "a periodic frequency needs 'windows'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 14, 19, "window start '30.2.' is not a valid date"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 15, 19, "window start '13-01' is not a valid date"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 15, 32, "window days must be between 1 and 366"));
  EXPECT_EQ(ds.size(), 4u) << testing::dump(ds);
}

TEST(Loader, ContactCapInvalid) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - id: t
    name: {fi: a, sv: b, en: c}
    journey: j
    stage: s1
    units: [u1]
    survey: core
    channels: [sms]
    frequency: {kind: continuous, contact_cap: {max: 0, days: -5}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 54, "contact_cap max must be between 1 and 1000, got 0"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 63, "contact_cap days must be between 1 and 3660, got -5"));
}

TEST(Loader, ContactRequestNeedsConsentText) {
  auto ds = diagnose(Y(R"(
questions:
  - key: contact
    type: contact_request
    text: {fi: a, sv: b, en: c, fi-x-selko: d}
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 2, 5, "question 'contact': a contact_request question needs a 'consent' text"));
}

TEST(Loader, ChoiceQuestionNeedsOptions) {
  auto ds = diagnose(Y(R"(
questions:
  - key: pick
    type: single_choice
    text: {fi: a, sv: b, en: c, fi-x-selko: d}
  - key: many
    type: multi_choice
    text: {fi: a, sv: b, en: c, fi-x-selko: d}
    options: []
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "question 'pick': a single_choice question needs 'options'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 8, 14, "question 'many': 'options' must not be empty"));
}

TEST(Loader, KioskQuestionMustBeASmiley) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: k
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    kiosk_question: nps
    questions: [{use: nps}]
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 4, 21, "kiosk_question 'nps' must be a smiley3 or smiley5 question, not nps"));
}

TEST(Loader, KioskFollowupMustBeSingleChoice) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: k
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    kiosk_question: face
    kiosk_followup: nps
    questions:
      - use: nps
      - {key: face, type: smiley3, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 5, 21, "kiosk_followup 'nps' must be a single_choice question, not nps"));
  EXPECT_EQ(ds.size(), 1u) << testing::dump(ds);
}

TEST(Loader, OptionsAndConsentOnlyWhereTheyBelong) {
  auto ds = diagnose(Y(R"(
questions:
  - key: q
    type: open_text
    text: {fi: a, sv: b, en: c, fi-x-selko: d}
    consent: {fi: a, sv: b, en: c, fi-x-selko: d}
    options: [{key: x, label: {fi: a, sv: b, en: c, fi-x-selko: d}}]
)"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 6, 14, "'options' is only for single_choice and multi_choice questions"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 14, "'consent' is only for contact_request questions"));
}

TEST(Loader, EmptyListsAreReported) {
  auto ds = diagnose(Y(R"(
journeys:
  - {id: x, name: {fi: a, sv: b, en: c}, stages: []}
touchpoints:
  - {id: t, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [], survey: core, channels: []}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 50, "journey 'x': 'stages' is empty"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 72, "touchpoint 't': 'units' is empty"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 100, "touchpoint 't': 'channels' is empty"));
}

TEST(Loader, KioskChannelNeedsAKioskSurvey) {
  auto ds = diagnose(Y(R"(
touchpoints:
  - {id: t, name: {fi: a, sv: b, en: c}, journey: j, stage: s1, units: [u1], survey: rel, channels: [kiosk]}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 102, "channel kiosk needs a survey with a kiosk_question"));
}

TEST(Loader, DuplicateOrgCodes) {
  auto ds = diagnose(Y(R"(
units:
  - id: x
    parent: area
    name: {fi: a, sv: b, en: c}
    codes: {oid: 1.2.246.10.1.1, lifecare: X}
)"));
  EXPECT_TRUE(has_diag(
      ds, "t.yaml", 5, 18,
      "unit 'x': duplicate code oid '1.2.246.10.1.1', already used by unit 'u1' at base.yaml:13:24"));
}

TEST(Loader, TargetsOutOfRange) {
  auto ds = diagnose(Y(R"(
targets:
  - {unit: c, indicator: nps, value: 150}
  - {unit: u1, indicator: mood, value: 6}
  - {unit: u1, indicator: kid_mood, value: 0.5}
  - {unit: u1, indicator: reason, value: 1}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 38, "target: value 150 for 'nps' is out of range -100..100"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 40, "value 6 for 'mood' is out of range 1..5"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 44, "value 0.5 for 'kid_mood' is out of range 1..3"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 27, "indicator 'reason' is a single_choice question"));
}

TEST(Loader, DuplicateTarget) {
  auto ds = diagnose(Y(R"(
targets:
  - {unit: c, indicator: nps, value: 50}
  - {unit: c, indicator: nps, value: 60}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 5, "duplicate target for 'nps' at unit 'c'"));
}

TEST(Loader, OneKeyOneAnswerTypeAcrossSurveys) {
  auto ds = diagnose(Y(R"(
surveys:
  - id: s
    title: {fi: a, sv: b, en: c, fi-x-selko: d}
    questions:
      - {key: mood, type: agreement, text: {fi: a, sv: b, en: c, fi-x-selko: d}}
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 9,
                       "question 'mood' is of type agreement here but smiley5 at base.yaml:33:9"));
}

TEST(Loader, ReportsEveryProblemSortedByPlace) {
  auto ds = diagnose(Y(R"(
journeys:
  - id: Bad
    name: {fi: a}
    stages: []
reporting_threshold: 0
)"));
  ASSERT_GE(ds.size(), 4u) << testing::dump(ds);
  for (std::size_t i = 1; i < ds.size(); ++i) EXPECT_FALSE(ds[i] < ds[i - 1]);
}

TEST(Loader, SelfReferringAliasIsAnErrorNotACrash) {
  auto ds = diagnose("units:\n  - &x {id: x, parent: area, name: {fi: a, sv: b, en: c}, children: [*x]}\n");
  ASSERT_FALSE(ds.empty());
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "this unit is repeated through a YAML alias"));
}

TEST(Loader, AliasBombIsBounded) {
  std::string y = "units:\n  - &u0 {id: a, parent: area, name: {fi: a, sv: b, en: c}}\n";
  // Each level doubles: u(n) has two children that are both u(n-1).
  for (int i = 1; i <= 24; ++i) {
    y += "  - &u" + std::to_string(i) + " {id: b" + std::to_string(i) +
         ", parent: area, name: {fi: a, sv: b, en: c}, children: [*u" + std::to_string(i - 1) + ", *u" +
         std::to_string(i - 1) + "]}\n";
  }
  auto ds = diagnose(y);  // 2^24 units if expanded; must finish quickly
  EXPECT_LE(ds.size(), 100u) << testing::dump(ds);
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 5, "this unit is repeated through a YAML alias"));
}

TEST(Loader, TruncatedAndCorruptedFilesNeverCrash) {
  const std::string& base = testing::base_yaml();
  for (std::size_t n = 0; n < base.size(); n += 29) {
    auto r = load_model_from_string(base.substr(0, n), "cut.yaml");
    if (!r) {
      for (const auto& d : r.error()) {
        EXPECT_GE(d.line, 1);
        EXPECT_GE(d.column, 1);
      }
    }
  }
  for (std::size_t n = 0; n < base.size(); n += 37) {
    for (char c : std::string("]}:-*|'\"\t\n#?")) {
      std::string bad = base;
      bad[n] = c;
      (void)load_model_from_string(bad, "bad.yaml");  // must not throw or crash
    }
  }
}

TEST(Loader, FormatIsFileLineColumnMessage) {
  EXPECT_EQ(format(Diagnostic{"m/org.yaml", 12, 7, "unknown key 'x'"}), "m/org.yaml:12:7: unknown key 'x'");
}

}  // namespace
}  // namespace kaiku::modelfile
