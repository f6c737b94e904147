// The `handling:` section: what is read, the defaults, every check (with
// file:line:column), and the canonical JSON (version, round trip).
#include <gtest/gtest.h>

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

const std::string kThemes = R"(themes:
  - id: safety
    label: {fi: Turvallisuus, sv: Säkerhet, en: Safety}
    fi: [vaara]
  - id: parking
    label: {fi: Pysäköinti, sv: Parkering, en: Parking}
    fi: [parkki]
)";

LoadResult load(const std::string& snippet) {
  return load_model_sources({{"base.yaml", testing::base_yaml()}, {"t.yaml", kThemes + Y(snippet.c_str())}});
}

TEST(HandlingConfig, DefaultsWithoutTheSection) {
  auto r = load("");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->handling.contact_reply_days, 14);
  EXPECT_EQ(r->handling.feedback_handling_days, 30);
  EXPECT_EQ(r->handling.safety_themes, Strings{"safety"});
  EXPECT_EQ(r->handling.alert_roles, Strings{"unit_manager"});
  // Written-out defaults are the defaults: the same model version.
  auto d = load(R"(
handling:
  contact_reply_days: 14
  feedback_handling_days: 30
  safety_themes: [safety]
  alert_roles: [unit_manager]
)");
  ASSERT_TRUE(d) << testing::dump(d.error());
  EXPECT_EQ(d->version, r->version);
  EXPECT_EQ(model_to_json(*d).find("handling"), std::string::npos);
}

TEST(HandlingConfig, ReadsEveryFieldAndRoundTripsThroughJson) {
  auto r = load(R"(
handling:
  contact_reply_days: 7
  feedback_handling_days: 21
  safety_themes: [parking, safety]
  alert_roles: [manager, cx_specialist]
)");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->handling.contact_reply_days, 7);
  EXPECT_EQ(r->handling.feedback_handling_days, 21);
  EXPECT_EQ(r->handling.safety_themes, (Strings{"parking", "safety"}));
  EXPECT_EQ(r->handling.alert_roles, (Strings{"unit_manager", "cx_specialist"}));
  auto plain = load("");
  ASSERT_TRUE(plain);
  EXPECT_NE(r->version, plain->version);
  auto back = model_from_json(model_to_json(*r));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->handling.contact_reply_days, 7);
  EXPECT_EQ(back->handling.feedback_handling_days, 21);
  EXPECT_EQ(back->handling.safety_themes, r->handling.safety_themes);
  EXPECT_EQ(back->handling.alert_roles, r->handling.alert_roles);
  EXPECT_EQ(model_to_json(*back), model_to_json(*r));
}

TEST(HandlingConfig, EveryCheckWithItsPlace) {
  // Lines of t.yaml: the themes take lines 1..7.
  auto r = load(R"(handling:
  contact_reply_days: 0
  feedback_handling_days: 366
  safety_themes: [safty, safety, safety]
  alert_roles: [unit_manager, integration, boss, manager]
  colour: red
)");
  ASSERT_FALSE(r);
  const auto& ds = r.error();
  EXPECT_TRUE(has_diag(ds, "t.yaml", 9, 23, "handling: contact_reply_days must be between 1 and 365 (days), got 0"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 10, 27, "handling: feedback_handling_days must be between 1 and 365"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 11, 19, "handling: safety_themes: unknown theme 'safty'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 11, 34, "handling: safety_themes: theme 'safety' is listed twice"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 12, 31, "'integration' is a machine client"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 12, 44, "handling: alert_roles: unknown role 'boss'"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 12, 50, "handling: alert_roles: role 'unit_manager' is listed twice"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 13, 3, "colour"));
}

TEST(HandlingConfig, SafetyThemesNeedATaxonomy) {
  auto ds = diagnose(Y(R"(
handling:
  safety_themes: [safety]
)"));
  EXPECT_TRUE(has_diag(ds, "t.yaml", 2, 19, "the model has no themes: section"));
}

TEST(HandlingConfig, TheDemoModelHasTheSection) {
  auto r = load_model(std::filesystem::path(KAIKU_SOURCE_DIR) / "models" / "demo");
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->handling.contact_reply_days, 14);
  EXPECT_EQ(r->handling.safety_themes, Strings{"safety"});
}

}  // namespace
}  // namespace kaiku::modelfile
