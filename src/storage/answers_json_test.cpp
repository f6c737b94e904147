#include "storage/answers_json.hpp"

#include <gtest/gtest.h>

#include "storage/storage_test_util.hpp"

namespace kaiku::storage {
namespace {

TEST(AnswersJson, ShapeMatchesApiContract) {
  auto r = testing::sample_response("k");
  EXPECT_EQ(answers_to_json(r.answers),
            R"({"nps":9,"treated_well":"cant_say","channels":["phone","web"],)"
            R"("went_well":"Ystävällinen hoitaja <script>alert(1)</script> \"quoted\""})");
}

TEST(AnswersJson, RoundTrips) {
  auto r = testing::sample_response("k");
  auto back = answers_from_json(answers_to_json(r.answers));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 4u);
  EXPECT_EQ((*back)[0].key, "nps");
  EXPECT_EQ((*back)[0].number, 9);
  EXPECT_TRUE((*back)[1].cant_say);
  EXPECT_FALSE((*back)[1].number.has_value());
  EXPECT_EQ((*back)[2].choices, (std::vector<std::string>{"phone", "web"}));
  EXPECT_EQ((*back)[3].text, r.answers[3].text);
}

TEST(AnswersJson, EmptyObject) {
  EXPECT_EQ(answers_to_json({}), "{}");
  auto back = answers_from_json("{}");
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty());
}

TEST(AnswersJson, RejectsMalformed) {
  EXPECT_FALSE(answers_from_json("not json"));
  EXPECT_FALSE(answers_from_json("[1,2]"));
  auto bad = answers_from_json(R"({"q1": {"x": 1}})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("answers.q1"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(answers_from_json(R"({"q1": [1]})"));
  EXPECT_FALSE(answers_from_json(R"({"q1": 1.5})"));
  EXPECT_FALSE(answers_from_json(R"({"q1": 99999999999})"));
}

TEST(AnswersJson, FreeTextIsWhatReadsBackAsNonEmptyText) {
  domain::Answer text{"q", std::nullopt, false, {}, "Jonot olivat pitkät"};
  EXPECT_TRUE(carries_free_text(text));
  domain::Answer literal{"q2", std::nullopt, false, {}, "cant_say"};
  EXPECT_FALSE(carries_free_text(literal)) << "stored like, and read back as, cant_say";
  EXPECT_FALSE(carries_free_text(domain::Answer{"q", std::nullopt, false, {}, ""}));
  EXPECT_FALSE(carries_free_text(domain::Answer{"q", 7, false, {}, ""}));
  EXPECT_FALSE(carries_free_text(domain::Answer{"q", std::nullopt, true, {}, ""}));
  EXPECT_FALSE(carries_free_text(domain::Answer{"q", std::nullopt, false, {"a"}, ""}));
  // Whatever carries free text reads back as the same text.
  auto back = answers_from_json(answers_to_json({text, literal}));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_TRUE(carries_free_text((*back)[0]));
  EXPECT_FALSE(carries_free_text((*back)[1]));
}

}  // namespace
}  // namespace kaiku::storage
