// The `themes:` and `free_text:` sections: what is read, every check (with
// file:line:column), the defaults, and the canonical JSON (version, round trip).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "domain/free_text.hpp"
#include "modelfile/loader.hpp"
#include "modelfile/model_from_json.hpp"
#include "modelfile/model_json.hpp"
#include "modelfile/test_support.hpp"

namespace kaiku::modelfile {
namespace {

using testing::diagnose;
using testing::has_diag;
using testing::Y;

using Strings = std::vector<std::string>;

LoadResult load(const std::string& snippet) {
  return load_model_sources({{"base.yaml", testing::base_yaml()}, {"t.yaml", snippet}});
}

const std::string& two_themes() {
  static const std::string kText = Y(R"(
themes:
  - id: access_waiting
    label: {fi: Pääsy ja odotus, sv: Tillgång och väntan, en: Access and waiting}
    fi: [jono, Odottaa, "JONOT*", "*jono", "Ottaa Yhteys", ÄÖÅ]
    sv: [Kö, vänta, "*KÖ", "ring tillbaka"]
    en: [queue, "Waiting List"]
  - id: parking
    label: {fi: Pysäköinti, sv: Parkering, en: Parking, fi-x-selko: Auton paikka}
    sv: [parkering]
)");
  return kText;
}

TEST(ThemesConfig, ReadsThemesInOrderWithTermsInLowerCase) {
  auto r = load(two_themes());
  ASSERT_TRUE(r) << testing::dump(r.error());
  ASSERT_EQ(r->themes.size(), 2u);
  const domain::Theme& a = r->themes[0];
  EXPECT_EQ(a.id, "access_waiting");
  EXPECT_EQ(a.label.get(domain::Language::fi), "Pääsy ja odotus");
  EXPECT_EQ(a.label.get(domain::Language::sv), "Tillgång och väntan");
  EXPECT_EQ(a.label.get(domain::Language::en), "Access and waiting");
  EXPECT_EQ(a.fi, (Strings{"jono", "odottaa", "jonot*", "*jono", "ottaa yhteys", "äöå"}));
  EXPECT_EQ(a.sv, (Strings{"kö", "vänta", "*kö", "ring tillbaka"}));
  EXPECT_EQ(a.en, (Strings{"queue", "waiting list"}));
  const domain::Theme& b = r->themes[1];
  EXPECT_EQ(b.id, "parking");
  EXPECT_EQ(b.label.texts.at(domain::Language::fi_selko), "Auton paikka");  // optional extra language
  EXPECT_TRUE(b.fi.empty());
  EXPECT_EQ(b.sv, Strings{"parkering"});
  EXPECT_TRUE(b.en.empty());
}

TEST(ThemesConfig, AbsentOrEmptySectionsGiveTheDefaults) {
  auto r = load("");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_TRUE(r->themes.empty());
  EXPECT_TRUE(r->free_text.redact_staff_names);
  EXPECT_EQ(r->free_text.original_retention_days, 90);
  EXPECT_EQ(r->free_text.original_readers, (Strings{"admin", "cx_specialist"}));
  for (const char* empty : {"themes: []\n", "free_text: {}\n", "themes:\nfree_text:\n"}) {
    auto e = load(empty);
    ASSERT_TRUE(e) << empty << testing::dump(e.error());
    EXPECT_TRUE(e->themes.empty());
    EXPECT_EQ(model_to_json(*e), model_to_json(*r)) << empty;
  }
  // Written-out defaults are the defaults: the same model version.
  auto d = load("free_text: {redact_staff_names: true, original_retention_days: 90, "
                "original_readers: [admin, cx]}\n");
  ASSERT_TRUE(d) << testing::dump(d.error());
  EXPECT_EQ(d->version, r->version);
}

TEST(ThemesConfig, ThemeErrorsSayWhereAndWhat) {
  auto ds = diagnose(Y(R"(
themes:
  - id: Access-Waiting
    label: {fi: a, sv: b}
    fi: [jono]
  - id: dup
    label: {fi: a, sv: b, en: c}
    fi: [x]
  - id: dup
    label: {fi: a, sv: b, en: c}
    sv: [y]
  - id: empty
    label: {fi: a, sv: b, en: c}
    fi: []
  - id: nolabel
    en: [z]
  - label: {fi: a, sv: b, en: c}
    en: [z]
  - id: keys
    label: {fi: a, sv: b, en: c, de: d}
    de: [wort]
    fi: jono
  - just a text
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 9,
                       "theme 'Access-Waiting': id 'Access-Waiting' is not a valid theme id; use only a-z, "
                       "0-9 and '_'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 12, "theme 'Access-Waiting': label: missing translation for en"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 8, 5, "duplicate theme id 'dup' (first defined at t.yaml:5:5)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 11, 5, "theme 'empty': no terms; give at least one term in fi, sv or en"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 14, 5, "theme 'nolabel': missing required field 'label'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 16, 5, "theme: missing required field 'id'"));
  EXPECT_TRUE(
      has_diag(ds, "t.yaml", 19, 34, "theme 'keys': label: unknown language 'de'; use fi, sv, en or fi-x-selko"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 20, 5, "theme 'keys': unknown key 'de'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 21, 9, "theme 'keys': fi: expected a list, got 'jono'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 22, 5, "theme: expected a mapping (key: value lines), got 'just a text'"));
  EXPECT_EQ(ds.size(), 10u) << testing::dump(ds);  // no "no terms" for 'keys': its fi is reported
}

TEST(ThemesConfig, TermErrorsSayWhereAndWhat) {
  auto ds = diagnose(Y(R"(
themes:
  - id: t
    label: {fi: a, sv: b, en: c}
    fi: ["", " jono", "jono ", "a  b", "a b c", "jo*no", "*", "**", "a *", "* b", "Jono", jono, [x]]
    sv: ["kö\tx", "*a b*", "ring tillbaka"]
)"));
  const std::string fi = "theme 't': fi: term ";
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 10, fi + "'': empty term"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 14, fi + "' jono': starts or ends with a space"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 23, fi + "'jono ': starts or ends with a space"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 32, fi + "'a  b': words must be separated by one space"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 40,
                       fi + "'a b c': more than two words; a term is one word, or two words that occur next to "
                            "each other"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 49, fi + "'jo*no': '*' may only be the first or last character"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 58, fi + "'*': '*' needs a word with it"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 63, fi + "'**': '*' needs a word with it"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 69, fi + "'a *': '*' needs a word with it"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 76, fi + "'* b': '*' needs a word with it"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 91, fi + "'jono' is listed twice"));  // "Jono" came first
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 97, "theme 't': fi: expected a single value, got a list"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 10,
                       "theme 't': sv: term 'kö\tx': words must be separated by one space (no tabs or line "
                       "breaks)"));
  EXPECT_EQ(ds.size(), 13u) << testing::dump(ds);  // "*a b*" and "ring tillbaka" are valid
}

TEST(ThemesConfig, AtMost64Themes) {
  auto themes = [](int n) {
    std::string s = "themes:\n";
    for (int i = 0; i < n; ++i) {
      s += "  - {id: t" + std::to_string(i) + ", label: {fi: a, sv: b, en: c}, fi: [x]}\n";
    }
    return s;
  };
  auto r = load(themes(64));
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->themes.size(), 64u);
  auto ds = diagnose(themes(66));
  ASSERT_EQ(ds.size(), 1u) << testing::dump(ds);
  EXPECT_TRUE(has_diag(ds, "t.yaml", 66, 5, "themes: at most 64 themes are allowed, this list has 66"));
  ds = diagnose("themes: {id: x}\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 1, 9, "themes: expected a list of themes (- id: ...), got a mapping"));
  ds = diagnose("theme: []\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 1, 1, "top level: unknown key 'theme'; did you mean 'themes'?"));
}

TEST(FreeTextConfig, ReadsEveryField) {
  auto r = load(Y(R"(
free_text:
  redact_staff_names: false
  original_retention_days: 3650
  original_readers: [cx, manager, analyst, director]
)"));
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_FALSE(r->free_text.redact_staff_names);
  EXPECT_EQ(r->free_text.original_retention_days, 3650);
  // Role names as domain::role_name writes them, aliases resolved.
  EXPECT_EQ(r->free_text.original_readers, (Strings{"cx_specialist", "unit_manager", "analyst", "director"}));
  auto one = load("free_text: {original_retention_days: 1, original_readers: []}\n");
  ASSERT_TRUE(one) << testing::dump(one.error());
  EXPECT_EQ(one->free_text.original_retention_days, 1);
  EXPECT_TRUE(one->free_text.original_readers.empty());  // nobody may read originals
  EXPECT_TRUE(one->free_text.redact_staff_names);
}

TEST(FreeTextConfig, ErrorsSayWhereAndWhat) {
  auto ds = diagnose(Y(R"(
free_text:
  redact_staff_names: maybe
  original_retention_days: 0
  original_readers: [admin, integration, Admin, cx, cx_specialist, [x]]
  retention: 5
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 23, "free_text: redact_staff_names: expected true or false, got 'maybe'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 28,
                       "free_text: original_retention_days must be between 1 and 3650 (days), got 0"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 29,
                       "free_text: original_readers: 'integration' is a machine client and may not read "
                       "originals"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 42,
                       "free_text: original_readers: unknown role 'Admin'; use admin, cx_specialist, director, "
                       "unit_manager or analyst; did you mean 'admin'?"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 53, "free_text: original_readers: role 'cx_specialist' is listed twice"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 4, 68, "free_text: original_readers: expected a single value, got a list"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 5, 3, "free_text: unknown key 'retention'"));
  EXPECT_EQ(ds.size(), 7u) << testing::dump(ds);
  ds = diagnose("free_text:\n  original_retention_days: 3651\n  original_readers: admin\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 28, "original_retention_days must be between 1 and 3650 (days), got 3651"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 3, 21, "free_text: original_readers: expected a list, got 'admin'"));
  ds = diagnose("free_text:\n  original_retention_days: ninety\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 28, "original_retention_days: expected a whole number, got 'ninety'"));
  ds = diagnose("free_text: [admin]\n");
  EXPECT_TRUE(has_diag(ds, "t.yaml", 1, 12, "free_text: expected a mapping"));
}

TEST(FreeTextConfig, EachSectionInOneFileOnly) {
  auto r = load_model_sources({{"base.yaml", testing::base_yaml() + "themes: []\nfree_text: {}\n"},
                               {"t.yaml", "themes: []\nfree_text: {}\n"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "t.yaml", 1, 9, "section 'themes' is already defined at base.yaml:"));
  EXPECT_TRUE(has_diag(r.error(), "t.yaml", 2, 12, "section 'free_text' is already defined at base.yaml:"));
  // Each may live in any file of the folder.
  auto split = load_model_sources({{"base.yaml", testing::base_yaml()},
                                   {"a.yaml", "free_text: {original_retention_days: 30}\n"},
                                   {"b.yaml", two_themes()}});
  ASSERT_TRUE(split) << testing::dump(split.error());
  EXPECT_EQ(split->themes.size(), 2u);
  EXPECT_EQ(split->free_text.original_retention_days, 30);
}

TEST(FreeTextConfig, DemoFileHoldsTheDemoSettings) {
  std::ifstream in(std::filesystem::path(KAIKU_SOURCE_DIR) / "models/demo/free_text.yaml");
  ASSERT_TRUE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  auto r = load(text.str());
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_TRUE(r->free_text.redact_staff_names);
  EXPECT_EQ(r->free_text.original_retention_days, 90);
  EXPECT_EQ(r->free_text.original_readers, (Strings{"admin", "cx_specialist"}));
}

TEST(FreeTextJson, VersionChangesWithThemesAndSettingsAndRoundTrips) {
  const std::string section = two_themes() + "free_text: {redact_staff_names: false, original_readers: [admin]}\n";
  auto a = load(section);
  ASSERT_TRUE(a) << testing::dump(a.error());
  auto plain = load("");
  ASSERT_TRUE(plain);
  EXPECT_NE(a->version, plain->version);
  // A changed term, label, order of themes or setting is a new model version.
  auto changed = [&](const std::string& from, const std::string& to) {
    std::string s = section;
    s.replace(s.find(from), from.size(), to);
    auto b = load(s);
    EXPECT_TRUE(b) << testing::dump(b.error());
    return b ? b->version : std::string();
  };
  EXPECT_NE(changed("vänta, ", "vänta, väntetid, "), a->version);
  EXPECT_NE(changed("en: Parking", "en: Car parks"), a->version);
  EXPECT_NE(changed("id: parking", "id: parking2"), a->version);
  EXPECT_NE(changed("redact_staff_names: false", "redact_staff_names: true"), a->version);
  EXPECT_NE(changed("[admin]", "[admin, analyst]"), a->version);
  EXPECT_EQ(changed("Kö", "kö"), a->version);  // stored in lower case either way
  auto swapped = load(two_themes().substr(0, 8) + two_themes().substr(two_themes().find("  - id: parking")) +
                      two_themes().substr(8, two_themes().find("  - id: parking") - 8));
  ASSERT_TRUE(swapped) << testing::dump(swapped.error());
  EXPECT_EQ(swapped->themes[0].id, "parking");
  EXPECT_NE(swapped->version, load(two_themes())->version);

  const std::string json = model_to_json(*a);
  auto v = boost::json::parse(json).as_object();
  const auto& themes = v.at("themes").as_array();
  ASSERT_EQ(themes.size(), 2u);
  const auto& t0 = themes[0].as_object();
  EXPECT_EQ(t0.at("id").as_string(), "access_waiting");
  EXPECT_EQ(t0.at("label").as_object().at("sv").as_string(), "Tillgång och väntan");
  EXPECT_EQ(t0.at("fi").as_array()[2].as_string(), "jonot*");
  EXPECT_EQ(t0.at("sv").as_array()[0].as_string(), "kö");
  EXPECT_EQ(t0.at("en").as_array().size(), 2u);
  EXPECT_TRUE(themes[1].as_object().at("fi").as_array().empty());
  const auto& ft = v.at("free_text").as_object();
  EXPECT_FALSE(ft.at("redact_staff_names").as_bool());
  EXPECT_EQ(ft.at("original_retention_days").as_int64(), 90);
  EXPECT_EQ(ft.at("original_readers").as_array().size(), 1u);

  auto back = model_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(model_to_json(*back), json);
  EXPECT_EQ(model_content_hash(*back), a->version);
  ASSERT_EQ(back->themes.size(), 2u);
  EXPECT_EQ(back->themes[0].fi, a->themes[0].fi);
  EXPECT_EQ(back->themes[1].label.texts.at(domain::Language::fi_selko), "Auton paikka");
  EXPECT_FALSE(back->free_text.redact_staff_names);
  EXPECT_EQ(back->free_text.original_readers, Strings{"admin"});

  // Settings with no readers at all survive the trip too (not taken for the defaults).
  auto none = load("free_text: {original_readers: []}\n");
  ASSERT_TRUE(none) << testing::dump(none.error());
  auto none_back = model_from_json(model_to_json(*none));
  ASSERT_TRUE(none_back) << none_back.error().message;
  EXPECT_TRUE(none_back->free_text.original_readers.empty());
  EXPECT_EQ(model_content_hash(*none_back), none->version);
}

TEST(FreeTextJson, DefaultsAreLeftOutAndWrongValuesNamed) {
  auto r = load("");
  ASSERT_TRUE(r);
  auto v = boost::json::parse(model_to_json(*r)).as_object();
  EXPECT_FALSE(v.contains("themes"));
  EXPECT_FALSE(v.contains("free_text"));
  // JSON stored before free text existed reads back with the defaults.
  auto back = model_from_json(model_to_json(*r));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->themes.empty());
  EXPECT_TRUE(back->free_text.redact_staff_names);
  EXPECT_EQ(back->free_text.original_retention_days, 90);
  EXPECT_EQ(back->free_text.original_readers, (Strings{"admin", "cx_specialist"}));
  auto bad = model_from_json(R"({"themes":[{"id":"a","fi":["x"]},{"id":5}]})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.themes[1].id: expected a string"), std::string::npos)
      << bad.error().message;
  bad = model_from_json(R"({"themes":[{"id":"a","sv":["x",7]}]})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.themes[0].sv[1]: expected a string"), std::string::npos)
      << bad.error().message;
  bad = model_from_json(R"({"free_text":{"original_readers":"admin"}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.free_text.original_readers: expected an array"), std::string::npos)
      << bad.error().message;
  bad = model_from_json(R"({"free_text":{"redact_staff_names":"yes"}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("$.free_text.redact_staff_names: expected true or false"),
            std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace kaiku::modelfile
