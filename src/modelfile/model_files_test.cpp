// The shipped models: the demo county and the template library load cleanly and
// have what the issue asks of them. Also: folder loading, versions, JSON, the CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "domain/outreach.hpp"
#include "modelfile/check.hpp"
#include "modelfile/loader.hpp"
#include "modelfile/model_json.hpp"
#include "modelfile/test_support.hpp"

namespace kaiku::modelfile {
namespace {

namespace fs = std::filesystem;
using domain::Channel;
using domain::Frequency;
using domain::QuestionType;

fs::path repo() {
  return fs::path(KAIKU_SOURCE_DIR);
}
fs::path demo_dir() {
  return repo() / "models" / "demo";
}
fs::path templates_dir() {
  return repo() / "models" / "templates";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

domain::Model load_ok(const std::vector<fs::path>& paths) {
  auto r = load_model_paths(paths);
  EXPECT_TRUE(r) << (r ? "" : testing::dump(r.error()));
  return r ? *r : domain::Model{};
}

// A scratch folder, removed afterwards.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("kaiku_modelfile_" + name + "_" +
              std::to_string(::testing::UnitTest::GetInstance()->random_seed()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
};

TEST(DemoModel, LoadsWithoutDiagnosticsAndIsBigEnough) {
  domain::Model m = load_ok({demo_dir()});
  std::size_t areas = 0, units = 0;
  for (const auto& u : m.units) {
    if (u.kind == "area" && u.parent == m.county_id) ++areas;
    if (u.kind == "unit") ++units;
  }
  EXPECT_EQ(m.county_id, "lansirannikko");
  EXPECT_GE(areas, 5u);
  EXPECT_GE(units, 40u);
  EXPECT_GE(m.journeys.size(), 10u);
  EXPECT_GE(m.touchpoints.size(), 30u);
  EXPECT_EQ(m.languages.size(), 4u);
  EXPECT_EQ(m.reporting_threshold, 5);
  EXPECT_EQ(m.units.front().id, m.county_id);  // parents before children
}

TEST(DemoModel, EveryUnitHasCodesAndAnOid) {
  domain::Model m = load_ok({demo_dir()});
  for (const auto& u : m.units) {
    bool oid = std::any_of(u.codes.begin(), u.codes.end(), [](const domain::UnitCode& c) {
      return c.system == "oid" && c.value.rfind("1.2.246.10.99887766", 0) == 0;
    });
    EXPECT_TRUE(oid) << u.id;
  }
}

TEST(DemoModel, CoreSurveyIsTheNationalModel) {
  domain::Model m = load_ok({demo_dir()});
  const domain::Survey* core = nullptr;
  for (const auto& s : m.surveys)
    if (s.id == "ydinkysely") core = &s;
  ASSERT_NE(core, nullptr);
  std::vector<std::string> keys;
  for (const auto& q : core->questions) keys.push_back(q.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"nps", "thl_help_when_needed", "thl_holistic_care",
                                            "thl_shared_decisions", "thl_felt_safe", "thl_knows_next_steps",
                                            "thl_understandable_info", "thl_useful_care", "thl_own_language",
                                            "open_went_well", "open_improve", "age_group", "contact"}));
  const domain::Question& nps = core->questions[0];
  EXPECT_EQ(nps.type, QuestionType::nps);
  EXPECT_EQ(nps.text.get(domain::Language::fi),
            "Kuinka todennäköisesti suosittelisit saamaasi palvelua läheisellesi tai ystävällesi?");
  EXPECT_EQ(nps.text.get(domain::Language::sv), "Hur sannolikt skulle du rekommendera tjänsten till andra?");
  EXPECT_EQ(core->questions[1].text.get(domain::Language::sv), "Jag fick hjälp när jag behövde den.");
  EXPECT_EQ(core->questions[9].text.get(domain::Language::fi), "Mikä onnistui hyvin?");
  EXPECT_EQ(core->questions[10].text.get(domain::Language::fi), "Mitä voisimme tehdä paremmin?");
  EXPECT_EQ(core->questions[11].type, QuestionType::single_choice);  // optional age group
  EXPECT_FALSE(core->questions[11].required);
  EXPECT_EQ(core->questions[11].options.size(), 6U);
  EXPECT_EQ(core->questions[12].type, QuestionType::contact_request);
  EXPECT_TRUE(core->questions[12].consent.has(domain::Language::fi_selko));
  for (const auto& q : core->questions) {
    for (domain::Language l : domain::kAllLanguages) EXPECT_TRUE(q.text.has(l)) << q.key;
  }
}

TEST(DemoModel, HasChildRelativeKioskAndSmsSurveys) {
  domain::Model m = load_ok({demo_dir()});
  std::map<std::string, const domain::Survey*> by_id;
  for (const auto& s : m.surveys) by_id[s.id] = &s;
  ASSERT_TRUE(by_id.count("lapset") && by_id.count("omaiset") && by_id.count("kioski") &&
              by_id.count("tekstiviesti"));
  EXPECT_EQ(by_id["lapset"]->audience, domain::Audience::child);
  for (const auto& q : by_id["lapset"]->questions) {
    EXPECT_TRUE(q.type == QuestionType::smiley5 || q.type == QuestionType::open_text) << q.key;
  }
  EXPECT_EQ(by_id["omaiset"]->audience, domain::Audience::relative);
  EXPECT_EQ(by_id["kioski"]->kiosk_question, "kiosk_mood");
  EXPECT_EQ(by_id["kioski"]->kiosk_followup, "kiosk_reason");
  const auto& sms = by_id["tekstiviesti"]->questions;
  ASSERT_GE(sms.size(), 2u);
  ASSERT_LE(sms.size(), 3u);
  EXPECT_EQ(sms[0].key, "nps");
  bool child_tp = false, relative_tp = false;
  for (const auto& t : m.touchpoints) {
    child_tp |= !t.child_survey.empty();
    relative_tp |= !t.relative_survey.empty();
  }
  EXPECT_TRUE(child_tp);
  EXPECT_TRUE(relative_tp);
}

TEST(DemoModel, UsesEveryChannelAndFrequencyKind) {
  domain::Model m = load_ok({demo_dir()});
  std::set<Channel> channels;
  std::set<Frequency::Kind> kinds;
  bool spring_home_care = false;
  for (const auto& t : m.touchpoints) {
    channels.insert(t.channels.begin(), t.channels.end());
    kinds.insert(t.frequency.kind);
    if (t.journey == "kotihoito" && t.frequency.kind == Frequency::Kind::periodic) {
      for (const auto& w : t.frequency.windows) {
        spring_home_care |= w.month >= 3 && w.month <= 5 && w.length_days == 14;
      }
    }
  }
  for (Channel c : {Channel::web, Channel::qr, Channel::kiosk, Channel::sms, Channel::tablet}) {
    EXPECT_TRUE(channels.count(c)) << channel_name(c);
  }
  EXPECT_EQ(kinds.size(), 3u);
  EXPECT_TRUE(spring_home_care);
}

TEST(DemoModel, CountyNpsTargetIsFifty) {
  domain::Model m = load_ok({demo_dir()});
  bool found = false;
  for (const auto& t : m.targets) {
    if (t.unit == m.county_id && t.indicator == "nps") found = t.value == 50;
  }
  EXPECT_TRUE(found);
}

TEST(DemoModel, IsIndexedForLookups) {
  domain::Model m = load_ok({demo_dir()});
  ASSERT_NE(m.unit("tk-merikaupunki"), nullptr);
  ASSERT_NE(m.unit_by_code("lifecare", "TK-MK"), nullptr);
  EXPECT_EQ(m.unit_by_code("lifecare", "TK-MK")->id, "tk-merikaupunki");
  EXPECT_NE(m.touchpoint("kotihoito-kevat"), nullptr);
  EXPECT_TRUE(m.in_subtree("tk-merikaupunki", "perusterveydenhuolto"));
}

TEST(DemoModel, HasOutreachRulesAndSmsBlocks) {
  domain::Model m = load_ok({demo_dir()});
  const domain::OutreachRules& o = m.outreach;
  EXPECT_TRUE(o.enabled);
  EXPECT_EQ(o.min_age, 18);
  EXPECT_EQ(o.contact_cap_days, 30);
  EXPECT_EQ(o.follow_up_days, 30);
  const auto& services = o.sensitive_services;
  for (const char* s : {"psykiatria", "seksuaaliterveys", "raskaudenkeskeytys"})
    EXPECT_NE(std::find(services.begin(), services.end(), s), services.end()) << s;
  EXPECT_FALSE(o.sensitive_units.empty());
  bool lifecare_oid = false;
  for (const auto& r : o.senders) {
    lifecare_oid |= r.sender.rfind("LIFECARE", 0) == 0 && r.unit_code_system == "oid";
  }
  EXPECT_TRUE(lifecare_oid);
  std::size_t sms = 0, reply = 0;
  for (const auto& t : m.touchpoints) {
    if (!t.has_channel(Channel::sms)) continue;
    ++sms;
    if (t.sms.mode == domain::TouchpointSms::Mode::reply) ++reply;
  }
  EXPECT_GE(sms, 10u);
  EXPECT_GE(reply, 1u);
  EXPECT_LT(reply, sms);  // link mode too
  // A Lifecare discharge naming the health centre by its OID in PV1-3 lands on the
  // health centre's SMS touchpoint; the same code without a system too.
  domain::CareEvent e;
  e.sender = "LIFECARE^LANSIRANNIKKO";
  e.trigger = "A03";
  e.unit_codes = {{"", "1.2.246.10.99887766.10.11"}};
  domain::EventMapping mapped = domain::map_event(m, o, e);
  EXPECT_EQ(mapped.meaning, domain::EventMeaning::completed);
  EXPECT_EQ(mapped.unit, "tk-merikaupunki");
  EXPECT_EQ(mapped.touchpoint, "tk-vastaanotto-tekstiviesti");
  EXPECT_EQ(m.touchpoint(mapped.touchpoint)->sms.mode, domain::TouchpointSms::Mode::reply);
  // The call-back service by visit type; the codes of the HL7 test corpus are unknown.
  e.unit_codes = {{"oid", "1.2.246.10.99887766.10.15"}};
  EXPECT_EQ(domain::map_event(m, o, e).touchpoint, "puhelinneuvonta");
  e.visit_type = "takaisinsoitto";
  EXPECT_EQ(domain::map_event(m, o, e).touchpoint, "takaisinsoitto");
  e.unit_codes = {{"9.8", "HUH AE OMU"}, {"", "Homerton UH"}};
  EXPECT_EQ(domain::map_event(m, o, e).reasons, std::vector<domain::Reason>{domain::Reason::unknown_unit});
}

std::vector<fs::path> template_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(templates_dir())) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Templates, EachLoadsWithTheTinyBase) {
  auto files = template_files();
  EXPECT_EQ(files.size(), 8u);
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.string());
    domain::Model m = load_ok({templates_dir() / "_base", f});
    EXPECT_GE(m.journeys.size(), 1u);
    EXPECT_GE(m.touchpoints.size(), 1u);
    EXPECT_GE(m.surveys.size(), 1u);
  }
}

TEST(Templates, AllLoadTogether) {
  domain::Model m = load_ok({templates_dir()});
  EXPECT_EQ(m.journeys.size(), 8u);
  bool periodic = false;
  for (const auto& t : m.touchpoints) periodic |= t.frequency.kind == Frequency::Kind::periodic;
  EXPECT_TRUE(periodic);  // home care
}

TEST(Templates, CanBeAdoptedIntoTheDemoCounty) {
  for (const fs::path& f : template_files()) {
    SCOPED_TRACE(f.string());
    std::string text = read(f);
    for (std::size_t p; (p = text.find("oma-yksikko")) != std::string::npos;) {
      text.replace(p, 11, "tk-merikaupunki");
    }
    std::vector<SourceFile> sources;
    for (const auto& e : fs::directory_iterator(demo_dir())) {
      if (e.path().extension() == ".yaml") sources.push_back({e.path().string(), read(e.path())});
    }
    sources.push_back({f.filename().string(), text});
    auto r = load_model_sources(sources);
    EXPECT_TRUE(r) << (r ? "" : testing::dump(r.error()));
  }
}

TEST(Templates, BaseQuestionLibraryEqualsTheDemoLibrary) {
  EXPECT_EQ(read(templates_dir() / "_base" / "questions.yaml"), read(demo_dir() / "questions.yaml"));
}

TEST(FolderLoading, MergesFilesSortedAndRecursively) {
  TempDir d("merge");
  std::string base = testing::base_yaml();
  d.write("a.yaml", base);
  d.write("sub/b.yml", "targets:\n  - {unit: c, indicator: nps, value: 50}\n");
  d.write("notes.txt", "not yaml: [");
  auto r = load_model(d.path);
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->targets.size(), 1u);
}

TEST(FolderLoading, DuplicatesAcrossFilesNameBothPlaces) {
  TempDir d("dups");
  d.write("a.yaml", testing::base_yaml());
  d.write("b.yaml",
          "journeys:\n  - id: j\n    name: {fi: a, sv: b, en: c}\n    stages: [{id: s, name: {fi: a, sv: b, "
          "en: c}}]\n");
  auto r = load_model(d.path);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().size(), 1u) << testing::dump(r.error());
  EXPECT_EQ(r.error()[0].file, (d.path / "b.yaml").string());
  EXPECT_EQ(r.error()[0].line, 2);
  EXPECT_NE(r.error()[0].message.find("duplicate journey id 'j' (first defined at " +
                                      (d.path / "a.yaml").string() + ":17:5)"),
            std::string::npos)
      << r.error()[0].message;
}

TEST(FolderLoading, MissingPathAndEmptyFolder) {
  auto r = load_model("/nonexistent/kaiku/model");
  ASSERT_FALSE(r);
  EXPECT_EQ(format(r.error()[0]), "/nonexistent/kaiku/model:1:1: no such file or folder");
  TempDir d("empty");
  r = load_model(d.path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error()[0].message.find("no .yaml or .yml files"), std::string::npos);
}

TEST(Version, IsAStableContentHash) {
  auto a = load_model_from_string(testing::base_yaml(), "x.yaml");
  auto b = load_model_from_string(testing::base_yaml(), "other-name.yaml");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->version.size(), 16u);
  EXPECT_EQ(a->version.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a->version, b->version);  // the file name is not content
  EXPECT_EQ(a->version, model_content_hash(*a));
  std::string changed = testing::base_yaml();
  changed.replace(changed.find("Rekommendera"), 12, "Rekommenderar");
  auto c = load_model_from_string(changed, "x.yaml");
  ASSERT_TRUE(c);
  EXPECT_NE(a->version, c->version);  // rewording a question makes a new version
}

TEST(Json, HasTheApiShape) {
  auto r = load_model_from_string(testing::base_yaml(), "x.yaml");
  ASSERT_TRUE(r);
  const std::string text = model_to_json(*r);
  EXPECT_EQ(text, model_to_json(*r));  // canonical
  auto v = boost::json::parse(text).as_object();
  EXPECT_EQ(v.at("version").as_string(), r->version);
  EXPECT_EQ(v.at("county").as_string(), "c");
  EXPECT_EQ(v.at("reporting_threshold").as_int64(), 5);
  const auto& units = v.at("units").as_array();
  ASSERT_EQ(units.size(), 4u);
  EXPECT_TRUE(units[0].as_object().at("parent").is_null());
  const auto& u1 = units[2].as_object();
  EXPECT_EQ(u1.at("id").as_string(), "u1");
  EXPECT_EQ(u1.at("parent").as_string(), "area");
  EXPECT_EQ(u1.at("name").as_object().at("sv").as_string(), "Enhet");
  EXPECT_EQ(u1.at("codes").as_array()[1].as_object().at("system").as_string(), "lifecare");
  const auto& core = v.at("surveys").as_array()[0].as_object();
  const auto& q0 = core.at("questions").as_array()[0].as_object();
  EXPECT_EQ(q0.at("key").as_string(), "nps");
  EXPECT_EQ(q0.at("type").as_string(), "nps");
  EXPECT_EQ(q0.at("text").as_object().at("fi-x-selko").as_string(), "Suosittelisitko");
  EXPECT_EQ(core.at("questions").as_array()[2].as_object().at("options").as_array().size(), 1u);
  EXPECT_TRUE(v.at("journeys").as_array()[0].as_object().contains("stages"));
  EXPECT_TRUE(v.at("touchpoints").as_array().empty());
}

TEST(Json, DemoTouchpointsCarryChannelsAndFrequency) {
  domain::Model m = load_ok({demo_dir()});
  auto v = boost::json::parse(model_to_json(m)).as_object();
  for (const auto& t : v.at("touchpoints").as_array()) {
    const auto& o = t.as_object();
    EXPECT_FALSE(o.at("channels").as_array().empty());
    EXPECT_TRUE(o.at("frequency").as_object().contains("kind"));
    EXPECT_FALSE(o.at("units").as_array().empty());
  }
}

TEST(CheckCommand, PrintsASummaryOnSuccess) {
  std::ostringstream out, err;
  EXPECT_EQ(check_model_command(demo_dir(), out, err), 0);
  EXPECT_EQ(err.str(), "");
  EXPECT_NE(out.str().find("OK: county 'lansirannikko'"), std::string::npos) << out.str();
}

TEST(CheckCommand, PrintsEveryProblemAsFileLineColumn) {
  TempDir d("check");
  d.write("m.yaml", "languages: [fi, xx]\nreporting_threshold: 0\n");
  std::ostringstream out, err;
  EXPECT_EQ(check_model_command(d.path / "m.yaml", out, err), 1);
  EXPECT_EQ(out.str(), "");
  const std::string f = (d.path / "m.yaml").string();
  EXPECT_NE(err.str().find(f + ":1:1: missing required section 'county'"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find(f + ":1:17: languages: unknown language 'xx'"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find(f + ":2:22: reporting_threshold: must be at least 1"), std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("3 problems found"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace kaiku::modelfile
