#include "domain/model.hpp"

#include <gtest/gtest.h>

#include "domain/access.hpp"
#include "domain/test_fixtures.hpp"

namespace kaiku::domain {
namespace {

TEST(Model, LookupsAndCodes) {
  Model m = testing::small_model();
  ASSERT_NE(m.unit("unit_a1"), nullptr);
  EXPECT_EQ(m.unit("nope"), nullptr);
  EXPECT_EQ(m.unit_by_code("oid", "1.2.246.1")->id, "unit_a1");
  EXPECT_EQ(m.unit_by_code("lifecare", "1.2.246.1"), nullptr);
  EXPECT_TRUE(m.touchpoint("tp1")->has_channel(Channel::qr));
  EXPECT_FALSE(m.touchpoint("tp1")->has_channel(Channel::sms));
}

TEST(Model, SubtreesAndPaths) {
  Model m = testing::small_model();
  EXPECT_TRUE(m.in_subtree("unit_a1", "area_a"));
  EXPECT_TRUE(m.in_subtree("area_a", "area_a"));
  EXPECT_FALSE(m.in_subtree("unit_b1", "area_a"));
  EXPECT_FALSE(m.in_subtree("area_a", "unit_a1"));
  EXPECT_EQ(m.subtree("area_a"), (std::vector<std::string>{"area_a", "unit_a1", "unit_a2"}));
  EXPECT_TRUE(m.subtree("missing").empty());
  EXPECT_EQ(m.path_to("unit_b1"), (std::vector<std::string>{"county", "area_b", "unit_b1"}));
}

TEST(Model, CycleDoesNotHang) {
  Model m = testing::small_model();
  m.units[1].parent = "unit_a1";  // area_a <-> unit_a1
  m.index();
  EXPECT_FALSE(m.in_subtree("unit_a1", "county"));
}

TEST(Names, ChannelsAndQuestionTypesRoundTrip) {
  for (auto c : {Channel::web, Channel::qr, Channel::kiosk, Channel::sms, Channel::tablet, Channel::paper,
                 Channel::phone, Channel::feedback, Channel::api})
    EXPECT_EQ(parse_channel(channel_name(c)), c);
  EXPECT_FALSE(parse_channel("fax").has_value());
  EXPECT_EQ(parse_question_type("smiley5"), QuestionType::smiley5);
  EXPECT_FALSE(parse_question_type("slider").has_value());
}

TEST(Access, ScopeAndPermissions) {
  Model m = testing::small_model();
  Principal manager{1, "m", Role::unit_manager, "unit_a1"};
  Principal director{2, "d", Role::director, "area_a"};
  Principal bot{3, "k", Role::integration, "county"};
  EXPECT_TRUE(in_scope(m, manager, "unit_a1"));
  EXPECT_FALSE(in_scope(m, manager, "unit_a2"));
  EXPECT_FALSE(in_scope(m, manager, "area_a"));
  EXPECT_TRUE(in_scope(m, director, "unit_a2"));
  EXPECT_FALSE(in_scope(m, director, "unit_b1"));
  EXPECT_FALSE(in_scope(m, Principal{4, "x", Role::admin, ""}, "county"));
  EXPECT_FALSE(may_read_responses(bot));
  EXPECT_TRUE(may_submit_responses(bot));
  EXPECT_FALSE(may_read_contact_details(Principal{5, "a", Role::analyst, "county"}));
  EXPECT_EQ(parse_role("cx"), Role::cx_specialist);
  EXPECT_FALSE(parse_role("root").has_value());
}

}  // namespace
}  // namespace kaiku::domain
