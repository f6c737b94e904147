// diff_models: each kind of change to the demo model shows up where the API promises.
#include "modelfile/model_diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "modelfile/loader.hpp"

namespace kaiku::modelfile {
namespace {

using domain::Language;

const domain::Model& demo() {
  static const domain::Model m = [] {
    auto r = load_model(std::filesystem::path(KAIKU_SOURCE_DIR) / "models/demo");
    if (!r) std::abort();
    return *r;
  }();
  return m;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ModelDiff, AModelEqualsItself) {
  ModelDiff d = diff_models(demo(), demo());
  EXPECT_TRUE(d.empty()) << boost::json::serialize(model_diff_to_json(d));
  EXPECT_TRUE(model_diff_to_json(d).as_object().at("empty").as_bool());
}

TEST(ModelDiff, OrderAloneIsNoChange) {
  domain::Model m = demo();
  ASSERT_GE(m.journeys.size(), 2u);
  std::reverse(m.journeys.begin(), m.journeys.end());
  EXPECT_TRUE(diff_models(demo(), m).empty());
}

TEST(ModelDiff, AddedAndRemovedTouchpoints) {
  domain::Model m = demo();
  domain::Touchpoint tp = m.touchpoints.front();
  tp.id = "uusi-mittauspiste";
  m.touchpoints.push_back(tp);
  const std::string gone = m.touchpoints[1].id;
  m.touchpoints.erase(m.touchpoints.begin() + 1);
  ModelDiff d = diff_models(demo(), m);
  EXPECT_EQ(d.touchpoints.added, std::vector<std::string>{"uusi-mittauspiste"});
  EXPECT_EQ(d.touchpoints.removed, std::vector<std::string>{gone});
  EXPECT_TRUE(d.touchpoints.changed.empty());
  EXPECT_TRUE(d.units.empty());
  EXPECT_FALSE(d.empty());
}

TEST(ModelDiff, ARewordedQuestionListsItsSurveysAndTextsPerLanguage) {
  domain::Model m = demo();
  std::vector<std::string> with_nps;
  std::vector<std::string> befores;  // distinct earlier wordings (a survey may word it its own way)
  std::string before;
  for (auto& s : m.surveys) {
    for (auto& q : s.questions) {
      if (q.key != "nps") continue;
      with_nps.push_back(s.id);
      before = q.text.texts[Language::fi];
      if (!contains(befores, before)) befores.push_back(before);
      q.text.texts[Language::fi] = "Miten todennäköisesti suosittelisit palvelua?";
    }
  }
  ASSERT_FALSE(with_nps.empty());
  ModelDiff d = diff_models(demo(), m);
  ASSERT_EQ(d.questions.changed.size(), 1u);
  const ChangedItem& c = d.questions.changed[0];
  EXPECT_EQ(c.id, "nps");
  EXPECT_EQ(c.surveys, with_nps);
  EXPECT_EQ(c.fields, std::vector<std::string>{"text"});
  ASSERT_LT(befores.size(), with_nps.size()) << "the demo shares a wording between surveys";
  ASSERT_EQ(c.texts.size(), befores.size()) << "one change per distinct wording, not per survey";
  for (std::size_t i = 0; i < c.texts.size(); ++i) {
    EXPECT_EQ(c.texts[i].field, "text");
    EXPECT_EQ(c.texts[i].language, "fi");
    EXPECT_EQ(c.texts[i].from, befores[i]);
    EXPECT_EQ(c.texts[i].to, "Miten todennäköisesti suosittelisit palvelua?");
  }
  // The surveys holding it changed too (their questions).
  ASSERT_FALSE(d.surveys.changed.empty());
  EXPECT_TRUE(contains(d.surveys.changed[0].fields, "questions"));
  EXPECT_TRUE(d.questions.added.empty());
  EXPECT_TRUE(d.questions.removed.empty());
}

TEST(ModelDiff, QuestionsAddedAndRemovedByKey) {
  domain::Model m = demo();
  domain::Survey& s = m.surveys.front();
  domain::Question q = s.questions.back();
  const std::string removed = q.key;
  bool elsewhere = false;
  for (std::size_t i = 1; i < m.surveys.size(); ++i) {
    for (const auto& other : m.surveys[i].questions) elsewhere = elsewhere || other.key == removed;
  }
  s.questions.pop_back();
  q.key = "uusi_kysymys";
  s.questions.push_back(q);
  ModelDiff d = diff_models(demo(), m);
  EXPECT_EQ(d.questions.added, std::vector<std::string>{"uusi_kysymys"});
  if (elsewhere) {
    EXPECT_TRUE(d.questions.removed.empty()) << "still asked in another survey";
  } else {
    EXPECT_EQ(d.questions.removed, std::vector<std::string>{removed});
  }
}

TEST(ModelDiff, UnitsJourneysThemesTargetsAndSettings) {
  domain::Model m = demo();
  m.units.back().name.texts[Language::sv] = "Nytt namn";
  m.journeys.front().stages.pop_back();
  ASSERT_FALSE(m.themes.empty());
  const std::string theme = m.themes.front().id;
  m.themes.erase(m.themes.begin());
  ASSERT_FALSE(m.targets.empty());
  m.targets.front().value += 1;
  m.free_text.original_retention_days = 30;
  m.reporting_threshold = 7;
  ModelDiff d = diff_models(demo(), m);
  ASSERT_EQ(d.units.changed.size(), 1u);
  EXPECT_EQ(d.units.changed[0].id, m.units.back().id);
  EXPECT_EQ(d.units.changed[0].fields, std::vector<std::string>{"name"});
  ASSERT_EQ(d.journeys.changed.size(), 1u);
  EXPECT_EQ(d.journeys.changed[0].fields, std::vector<std::string>{"stages"});
  EXPECT_EQ(d.themes.removed, std::vector<std::string>{theme});
  ASSERT_EQ(d.targets.changed.size(), 1u);
  EXPECT_EQ(d.targets.changed[0].id, m.targets.front().unit + "/" + m.targets.front().indicator);
  EXPECT_EQ(d.targets.changed[0].fields, std::vector<std::string>{"value"});
  EXPECT_TRUE(contains(d.settings, "free_text"));
  EXPECT_TRUE(contains(d.settings, "reporting_threshold"));
  EXPECT_EQ(d.settings.size(), 2u);
}

TEST(ModelDiff, JsonShape) {
  domain::Model m = demo();
  domain::Touchpoint tp = m.touchpoints.front();
  tp.id = "uusi";
  m.touchpoints.push_back(tp);
  for (auto& s : m.surveys) {
    for (auto& q : s.questions) {
      if (q.key == "nps") q.text.texts[Language::sv] = "Ny text";
    }
  }
  const auto v = model_diff_to_json(diff_models(demo(), m));
  const auto& o = v.as_object();
  for (const char* section : {"units", "journeys", "touchpoints", "surveys", "questions", "themes", "targets"}) {
    ASSERT_TRUE(o.contains(section)) << section;
    for (const char* part : {"added", "removed", "changed"}) {
      EXPECT_TRUE(o.at(section).as_object().at(part).is_array()) << section << "." << part;
    }
  }
  EXPECT_EQ(o.at("touchpoints").at("added").as_array().at(0).as_string(), "uusi");
  const auto& q = o.at("questions").at("changed").as_array().at(0).as_object();
  EXPECT_EQ(q.at("key").as_string(), "nps");
  EXPECT_EQ(q.at("texts").as_array().at(0).at("language").as_string(), "sv");
  EXPECT_EQ(q.at("texts").as_array().at(0).at("to").as_string(), "Ny text");
  EXPECT_TRUE(o.at("settings").at("changed").as_array().empty());
  EXPECT_FALSE(o.at("empty").as_bool());
}

}  // namespace
}  // namespace kaiku::modelfile
