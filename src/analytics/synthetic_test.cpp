#include "analytics/synthetic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "analytics/engine.hpp"

namespace kaiku::analytics {
namespace {

using domain::Channel;
using domain::Language;
using domain::QuestionType;

domain::LocalizedText text(const std::string& s) {
  return domain::LocalizedText{{{Language::fi, s}, {Language::sv, s + " sv"}, {Language::en, s + " en"}}};
}

domain::Question question(const std::string& key, QuestionType type, bool required = false) {
  domain::Question q;
  q.key = key;
  q.type = type;
  q.text = text(key);
  q.required = required;
  if (type == QuestionType::single_choice || type == QuestionType::multi_choice)
    q.options = {{"a", text("a")}, {"b", text("b")}, {"c", text("c")}};
  return q;
}

domain::OrgUnit org(const std::string& id, const std::string& parent) {
  domain::OrgUnit u;
  u.id = id;
  u.parent = parent;
  u.name = text(id);
  return u;
}

domain::Touchpoint touchpoint(const std::string& id, std::vector<std::string> units, const std::string& survey,
                              std::vector<Channel> channels) {
  domain::Touchpoint tp;
  tp.id = id;
  tp.name = text(id);
  tp.journey = "visit";
  tp.stage = "s";
  tp.units = std::move(units);
  tp.survey = survey;
  tp.channels = std::move(channels);
  return tp;
}

// A small county like the demo one: SMS, web/QR, kiosk, tablet, a periodic
// touchpoint, children's and relatives' variants.
domain::Model demo_like() {
  domain::Model m;
  m.county_id = "county";
  m.version = "v-test";
  m.languages = {Language::fi, Language::sv, Language::en};
  m.units = {org("county", ""), org("area_a", "county"), org("u1", "area_a"), org("u2", "area_a"),
             org("u3", "area_a"),  org("area_b", "county"), org("u4", "area_b"), org("u5", "area_b")};
  domain::Survey core;
  core.id = "core";
  core.questions = {question("nps", QuestionType::nps, true), question("thl_help", QuestionType::agreement),
                    question("thl_safe", QuestionType::agreement), question("how", QuestionType::single_choice),
                    question("what", QuestionType::multi_choice), question("open_went_well", QuestionType::open_text),
                    question("open_improve", QuestionType::open_text),
                    question("contact", QuestionType::contact_request)};
  core.questions[6].max_length = 60;  // some phrases are longer: they are then left out
  domain::Question age = question("age_group", QuestionType::single_choice);
  age.options.clear();
  for (const char* g : {"under_18", "18_34", "35_49", "50_64", "65_74", "75_plus"}) age.options.push_back({g, text(g)});
  core.questions.insert(core.questions.end() - 1, age);
  domain::Survey sms;
  sms.id = "sms";
  sms.questions = {question("nps", QuestionType::nps, true), question("thl_help", QuestionType::agreement),
                   question("open_improve", QuestionType::open_text)};
  domain::Survey kiosk;
  kiosk.id = "kiosk";
  kiosk.allow_on_behalf = false;
  kiosk.questions = {question("mood", QuestionType::smiley5, true), question("reason", QuestionType::single_choice)};
  kiosk.kiosk_question = "mood";
  kiosk.kiosk_followup = "reason";
  domain::Survey child;
  child.id = "child";
  child.audience = domain::Audience::child;
  child.questions = {question("child_overall", QuestionType::smiley5, true),
                     question("child_faces", QuestionType::smiley3), question("child_open", QuestionType::open_text)};
  domain::Survey relatives;
  relatives.id = "relatives";
  relatives.audience = domain::Audience::relative;
  relatives.questions = {question("nps", QuestionType::nps, true), question("rel_heard", QuestionType::agreement),
                         question("open_improve", QuestionType::open_text)};
  m.surveys = {core, sms, kiosk, child, relatives};

  auto sms_tp = touchpoint("tp_sms", {"u1", "u2", "u3", "u4"}, "sms", {Channel::sms});
  sms_tp.frequency.kind = domain::Frequency::Kind::sampled;
  sms_tp.frequency.sample_share = 0.5;
  auto web_tp = touchpoint("tp_web", {"u1", "u2", "u3", "u4", "u5"}, "core", {Channel::qr, Channel::web});
  web_tp.child_survey = "child";
  web_tp.relative_survey = "relatives";
  auto kiosk_tp = touchpoint("tp_kiosk", {"u1"}, "kiosk", {Channel::kiosk});
  auto mixed_tp = touchpoint("tp_mixed", {"u4", "u5"}, "core", {Channel::tablet, Channel::sms});
  mixed_tp.relative_survey = "relatives";
  auto periodic_tp = touchpoint("tp_spring", {"u5"}, "core", {Channel::tablet, Channel::paper});
  periodic_tp.frequency.kind = domain::Frequency::Kind::periodic;
  periodic_tp.frequency.windows = {{4, 14, 14}};
  m.touchpoints = {sms_tp, web_tp, kiosk_tp, mixed_tp, periodic_tp};
  m.index();
  return m;
}

domain::Survey feedback_survey() {
  domain::Survey s;
  s.id = "feedback";
  s.questions = {question("text", QuestionType::open_text)};
  return s;
}

std::vector<domain::Response> generate(const domain::Model& m, std::int64_t n, std::uint64_t seed, Day from,
                                       Day to) {
  SyntheticOptions o;
  o.responses = n;
  o.seed = seed;
  o.from = from;
  o.to = to;
  std::vector<domain::Response> out;
  generate_responses(m, o, [&](domain::Response&& r) { out.push_back(std::move(r)); });
  return out;
}

Day D(const char* s) { return parse_date(s).value(); }

double nps_of(const std::vector<int>& values) {
  if (values.empty()) return 0;
  int p = 0, d = 0;
  for (int v : values) {
    p += v >= 9;
    d += v <= 6;
  }
  return 100.0 * (p - d) / static_cast<double>(values.size());
}

std::optional<int> number(const domain::Response& r, const std::string& key) {
  for (const auto& a : r.answers)
    if (a.key == key) return a.number;
  return std::nullopt;
}

TEST(Synthetic, EveryResponseIsValidForItsSurvey) {
  const domain::Model m = demo_like();
  const domain::Survey fb = feedback_survey();
  const Day from = D("2025-01-01"), to = D("2026-12-31");
  auto all = generate(m, 6000, 42, from, to);
  ASSERT_EQ(all.size(), 6000u);
  const TimeZone& hel = TimeZone::helsinki();
  std::set<std::string> keys;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const domain::Response& r = all[i];
    SCOPED_TRACE("response " + std::to_string(i) + " survey " + r.survey);
    EXPECT_EQ(r.id, 0);
    EXPECT_EQ(r.model_version, "v-test");
    EXPECT_EQ(r.submission_key, "gen-42-" + std::to_string(i));
    EXPECT_TRUE(keys.insert(r.submission_key).second);
    EXPECT_TRUE(r.invitation.empty());
    EXPECT_FALSE(r.contact.has_value());
    EXPECT_EQ(r.supplements, 0);
    if (i > 0) { EXPECT_LE(all[i - 1].answered_at, r.answered_at); }
    EXPECT_GE(hel.local_day(r.answered_at), from);
    EXPECT_LE(hel.local_day(r.answered_at), to);
    EXPECT_TRUE(m.language_enabled(r.language));
    ASSERT_NE(m.unit(r.unit), nullptr);
    const domain::Survey* s = nullptr;
    if (r.channel == Channel::feedback) {
      EXPECT_TRUE(r.touchpoint.empty());
      EXPECT_EQ(r.survey, "feedback");
      EXPECT_TRUE(r.feedback_kind == "praise" || r.feedback_kind == "suggestion" || r.feedback_kind == "complaint");
      s = &fb;
    } else {
      const domain::Touchpoint* tp = m.touchpoint(r.touchpoint);
      ASSERT_NE(tp, nullptr);
      EXPECT_TRUE(tp->has_channel(r.channel));
      EXPECT_NE(std::find(tp->units.begin(), tp->units.end(), r.unit), tp->units.end());
      EXPECT_TRUE(r.survey == tp->survey || r.survey == tp->child_survey || r.survey == tp->relative_survey);
      EXPECT_TRUE(r.feedback_kind.empty());
      s = m.survey(r.survey);
      ASSERT_NE(s, nullptr);
      if (s->audience == domain::Audience::relative) { EXPECT_EQ(r.respondent, domain::Respondent::relative); }
      if (s->audience == domain::Audience::child) { EXPECT_EQ(r.age_group, domain::AgeGroup::under_18); }
      if (!s->allow_on_behalf) { EXPECT_NE(r.respondent, domain::Respondent::on_behalf); }
    }
    domain::RawAnswers raw;
    for (const auto& a : r.answers) {
      std::vector<std::string>& v = raw[a.key];
      ASSERT_TRUE(v.empty()) << "answered twice: " << a.key;
      if (a.number) v.push_back(std::to_string(*a.number));
      else if (a.cant_say) v.push_back("cant_say");
      else if (!a.choices.empty()) v = a.choices;
      else v.push_back(a.text);
    }
    std::vector<domain::Answer> parsed;
    std::optional<domain::ContactRequest> contact;
    auto errors = domain::validate_answers(*s, raw, true, parsed, contact);
    for (const auto& e : errors) ADD_FAILURE() << e.detail;
    ASSERT_EQ(parsed.size(), r.answers.size());
    for (std::size_t k = 0; k < parsed.size(); ++k) {
      const auto it = std::find_if(r.answers.begin(), r.answers.end(),
                                   [&](const domain::Answer& a) { return a.key == parsed[k].key; });
      ASSERT_NE(it, r.answers.end());
      EXPECT_EQ(it->number, parsed[k].number);
      EXPECT_EQ(it->cant_say, parsed[k].cant_say);
      EXPECT_EQ(it->choices, parsed[k].choices);
      EXPECT_EQ(it->text, parsed[k].text);
    }
  }
}

TEST(Synthetic, DeterministicForASeed) {
  const domain::Model m = demo_like();
  auto digest = [](const std::vector<domain::Response>& rs) {
    std::string s;
    for (const auto& r : rs) {
      s += r.submission_key + r.unit + r.touchpoint + r.survey + std::to_string(r.answered_at.time_since_epoch().count());
      s += std::string(channel_name(r.channel)) + std::string(age_group_name(r.age_group));
      for (const auto& a : r.answers) s += a.key + std::to_string(a.number.value_or(-1)) + a.text;
    }
    return s;
  };
  const auto a = generate(m, 3000, 7, D("2026-01-01"), D("2026-06-30"));
  const auto b = generate(m, 3000, 7, D("2026-01-01"), D("2026-06-30"));
  const auto c = generate(m, 3000, 8, D("2026-01-01"), D("2026-06-30"));
  EXPECT_EQ(digest(a), digest(b));
  EXPECT_NE(digest(a), digest(c));
  EXPECT_TRUE(generate(m, 0, 7, D("2026-01-01"), D("2026-06-30")).empty());
  EXPECT_EQ(generate(m, 5, 7, D("2026-01-01"), D("2026-01-01")).size(), 5u);
}

TEST(Synthetic, AFewUnitsHaveVeryLowVolume) {
  domain::Model m;
  m.county_id = "county";
  m.languages = {Language::fi};
  m.units = {org("county", "")};
  std::vector<std::string> ids;
  for (int i = 0; i < 36; ++i) {
    ids.push_back("unit" + std::to_string(i));
    m.units.push_back(org(ids.back(), "county"));
  }
  domain::Survey sms;
  sms.id = "sms";
  sms.questions = {question("nps", QuestionType::nps, true)};
  m.surveys = {sms};
  m.touchpoints = {touchpoint("tp", ids, "sms", {Channel::sms})};
  m.index();
  std::map<std::string, int> volume;
  for (const auto& r : generate(m, 36000, 3, D("2026-01-01"), D("2026-12-31"))) volume[r.unit] += 1;
  int low = 0, normal = 0;
  for (const auto& id : ids) {
    if (volume[id] < 10) ++low;
    if (volume[id] > 300) ++normal;
  }
  EXPECT_EQ(low, 3);  // one in twelve
  EXPECT_EQ(normal, 33);
}

class SyntheticShape : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new domain::Model(demo_like());
    data_ = new std::vector<domain::Response>(generate(*model_, 120000, 2026, D("2024-01-01"), D("2026-12-31")));
  }
  static void TearDownTestSuite() {
    delete data_;
    delete model_;
  }
  static domain::Model* model_;
  static std::vector<domain::Response>* data_;
};
domain::Model* SyntheticShape::model_ = nullptr;
std::vector<domain::Response>* SyntheticShape::data_ = nullptr;

TEST_F(SyntheticShape, MostlySmsWhereOffered) {
  std::map<Channel, int> overall, mixed;
  for (const auto& r : *data_) {
    overall[r.channel] += 1;
    if (r.touchpoint == "tp_mixed") mixed[r.channel] += 1;
  }
  const double sms_share = static_cast<double>(mixed[Channel::sms]) / (mixed[Channel::sms] + mixed[Channel::tablet]);
  EXPECT_GT(sms_share, 0.75);
  EXPECT_LT(sms_share, 0.85);
  EXPECT_GT(overall[Channel::sms], overall[Channel::web] + overall[Channel::qr]);
  EXPECT_GT(overall[Channel::kiosk], 0);
  EXPECT_GT(overall[Channel::paper], 0);
  const double feedback = static_cast<double>(overall[Channel::feedback]) / static_cast<double>(data_->size());
  EXPECT_GT(feedback, 0.005);
  EXPECT_LT(feedback, 0.02);
}

TEST_F(SyntheticShape, NpsVariesByUnitWithinRealisticRangeAndSmsScoresHigher) {
  std::map<std::string, std::vector<int>> by_unit;
  std::vector<int> sms, web;
  for (const auto& r : *data_) {
    auto v = number(r, "nps");
    if (!v) continue;
    ASSERT_GE(*v, 0);
    ASSERT_LE(*v, 10);
    by_unit[r.unit].push_back(*v);
    if (r.channel == Channel::sms) sms.push_back(*v);
    if (r.channel == Channel::web) web.push_back(*v);
  }
  double lo = 100, hi = -100;
  for (const auto& [unit, values] : by_unit) {
    if (values.size() < 500) continue;  // a low-volume unit
    const double nps = nps_of(values);
    EXPECT_GT(nps, 20) << unit;
    EXPECT_LT(nps, 95) << unit;
    lo = std::min(lo, nps);
    hi = std::max(hi, nps);
  }
  EXPECT_GT(hi - lo, 4) << "units should differ";
  EXPECT_GT(nps_of(sms), nps_of(web) + 4);
}

TEST_F(SyntheticShape, StatementsCorrelateWithNpsAndSomeCantSay) {
  int cant_say = 0, answered = 0;
  std::vector<double> promoter_agree, detractor_agree;
  for (const auto& r : *data_) {
    auto nps = number(r, "nps");
    for (const auto& a : r.answers) {
      if (a.key != "thl_help") continue;
      ++answered;
      if (a.cant_say) ++cant_say;
      else if (nps && *nps >= 9) promoter_agree.push_back(*a.number);
      else if (nps && *nps <= 6) detractor_agree.push_back(*a.number);
    }
  }
  const double share = static_cast<double>(cant_say) / answered;
  EXPECT_GT(share, 0.03);
  EXPECT_LT(share, 0.08);
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  EXPECT_GT(mean(promoter_agree), mean(detractor_agree) + 1.0);
}

TEST_F(SyntheticShape, FewerAtWeekendsAndInJuly) {
  const TimeZone& hel = TimeZone::helsinki();
  std::array<std::int64_t, 7> by_weekday{};
  std::map<unsigned, std::int64_t> by_month;
  for (const auto& r : *data_) {
    const Day d = hel.local_day(r.answered_at);
    by_weekday[static_cast<std::size_t>(((d + 3) % 7 + 7) % 7)] += 1;
    by_month[civil_from_day(d).month] += 1;
  }
  const double weekday = (by_weekday[0] + by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 5.0;
  const double weekend = (by_weekday[5] + by_weekday[6]) / 2.0;
  EXPECT_LT(weekend, 0.5 * weekday);
  EXPECT_LT(by_month[7], 0.7 * by_month[3]);
  EXPECT_LT(by_month[7], 0.7 * by_month[10]);
}

TEST_F(SyntheticShape, LanguagesOfABilingualCounty) {
  std::map<Language, int> count;
  for (const auto& r : *data_) count[r.language] += 1;
  const double n = static_cast<double>(data_->size());
  EXPECT_NEAR(count[Language::fi] / n, 0.78, 0.07);
  EXPECT_NEAR(count[Language::sv] / n, 0.18, 0.07);
  EXPECT_NEAR(count[Language::en] / n, 0.04, 0.02);
  EXPECT_EQ(count[Language::fi_selko], 0);  // not enabled in this model
}

TEST_F(SyntheticShape, PeriodicTouchpointOnlyInItsWindowAndVariantsUsed) {
  const TimeZone& hel = TimeZone::helsinki();
  int spring = 0;
  std::map<std::string, int> surveys;
  std::map<domain::Respondent, int> respondents;
  for (const auto& r : *data_) {
    surveys[r.survey] += 1;
    respondents[r.respondent] += 1;
    if (r.touchpoint != "tp_spring") continue;
    ++spring;
    const CivilDate c = civil_from_day(hel.local_day(r.answered_at));
    EXPECT_EQ(c.month, 4u);
    EXPECT_GE(c.day, 14u);
    EXPECT_LE(c.day, 27u);
  }
  EXPECT_GT(spring, 100);
  EXPECT_GT(surveys["child"], 100);
  EXPECT_GT(surveys["relatives"], 100);
  EXPECT_GT(surveys["kiosk"], 100);
  EXPECT_GT(respondents[domain::Respondent::on_behalf], 100);
  EXPECT_GT(respondents[domain::Respondent::self], respondents[domain::Respondent::on_behalf] * 5);
}

TEST_F(SyntheticShape, AgeQuestionAgreesWithTheAgeGroup) {
  int answered = 0, core_web = 0, core_web_unknown = 0;
  for (const auto& r : *data_) {
    for (const auto& a : r.answers) {
      if (a.key != "age_group") continue;
      ++answered;
      ASSERT_EQ(a.choices.size(), 1u);
      EXPECT_EQ(a.choices[0], domain::age_group_name(r.age_group));
    }
    if (r.survey == "core" && r.channel == Channel::web) {
      ++core_web;
      core_web_unknown += r.age_group == domain::AgeGroup::unknown;
    }
  }
  EXPECT_GT(answered, 1000);
  EXPECT_GT(core_web_unknown, core_web / 5);  // no record: unknown unless they say
  EXPECT_LT(core_web_unknown, core_web / 2);
}

TEST_F(SyntheticShape, OpenCommentsFromAVariedBank) {
  std::set<std::string> texts;
  std::int64_t with_text = 0;
  for (const auto& r : *data_)
    for (const auto& a : r.answers)
      if (!a.text.empty()) {
        texts.insert(a.text);
        ++with_text;
      }
  EXPECT_GE(texts.size(), 60u);
  EXPECT_GT(with_text, static_cast<std::int64_t>(data_->size() / 20));
  EXPECT_LT(with_text, static_cast<std::int64_t>(data_->size() / 2));

  SyntheticOptions o;
  o.responses = 2000;
  o.from = D("2026-01-01");
  o.to = D("2026-02-01");
  o.open_text = false;
  std::int64_t texts_without = 0;
  generate_responses(*model_, o, [&](domain::Response&& r) {
    if (r.channel == Channel::feedback) return;
    for (const auto& a : r.answers) texts_without += a.text.empty() ? 0 : 1;
  });
  EXPECT_EQ(texts_without, 0);
}

// Every generated open answer carries a synthetic insight: its question, the
// response's language, a tone, themes only from the model's taxonomy (in its
// order); the same seed gives the same labels; the engine counts them.
TEST(SyntheticInsights, EachOpenAnswerHasAPlausibleInsight) {
  domain::Model m = demo_like();
  for (const char* id : {"staff_kindness", "access_waiting", "information", "booking", "digital"}) {
    domain::Theme t;
    t.id = id;
    m.themes.push_back(t);  // not the whole taxonomy: other ids must be left out
  }
  const auto a = generate(m, 20000, 7, D("2026-01-01"), D("2026-03-31"));
  const auto b = generate(m, 20000, 7, D("2026-01-01"), D("2026-03-31"));
  std::int64_t texts = 0, themed = 0, suggestions = 0;
  std::map<domain::Sentiment, std::int64_t> tones;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const domain::Response& r = a[i];
    std::vector<std::string> answered;
    for (const auto& ans : r.answers)
      if (!ans.text.empty()) answered.push_back(ans.key);
    ASSERT_EQ(r.insights.size(), answered.size()) << "one insight per open answer";
    texts += static_cast<std::int64_t>(answered.size());
    for (std::size_t k = 0; k < r.insights.size(); ++k) {
      const domain::CommentInsight& in = r.insights[k];
      EXPECT_EQ(in.question_key, answered[k]);
      EXPECT_EQ(in.language, r.language == Language::sv ? "sv" : r.language == Language::en ? "en" : "fi");
      tones[in.sentiment] += 1;
      suggestions += in.suggestion ? 1 : 0;
      if (in.suggestion) {
        EXPECT_EQ(in.sentiment, domain::Sentiment::neutral);
      }
      themed += in.themes.empty() ? 0 : 1;
      std::size_t last = 0;
      for (const std::string& t : in.themes) {
        auto it = std::find_if(m.themes.begin(), m.themes.end(), [&](const domain::Theme& x) { return x.id == t; });
        ASSERT_NE(it, m.themes.end()) << t << " is not in the model";
        const auto pos = static_cast<std::size_t>(it - m.themes.begin());
        EXPECT_GE(pos, last) << "taxonomy order";
        last = pos;
      }
      const domain::CommentInsight& same = b[i].insights[k];
      EXPECT_EQ(same.sentiment, in.sentiment);
      EXPECT_EQ(same.themes, in.themes);
    }
  }
  EXPECT_GT(texts, 1000);
  EXPECT_GT(themed, texts / 2);
  EXPECT_GT(suggestions, 0);
  for (auto s : {domain::Sentiment::positive, domain::Sentiment::negative, domain::Sentiment::mixed})
    EXPECT_GT(tones[s], texts / 20) << domain::sentiment_name(s);

  auto shared = std::make_shared<domain::Model>(m);
  shared->index();
  Engine e(shared);
  std::int64_t id = 1;
  for (domain::Response r : a) {
    r.id = id++;
    e.add(r);
  }
  Query q;
  q.indicator = "comments";
  q.unit = m.county_id;
  q.from = D("2026-01-01");
  q.to = D("2026-03-31");
  auto t = e.query(q);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->cells.size(), 1u);
  std::int64_t with_insight = 0;
  for (const auto& r : a) with_insight += r.insights.empty() ? 0 : 1;
  EXPECT_EQ(t->cells[0].figure->n, with_insight);
  q.group_by = {Dimension::theme};
  t = e.query(q);
  ASSERT_TRUE(t);
  EXPECT_GE(t->cells.size(), 4u);
}

}  // namespace
}  // namespace kaiku::analytics
