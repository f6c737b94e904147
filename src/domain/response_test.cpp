#include "domain/response.hpp"

#include <gtest/gtest.h>

#include "domain/test_fixtures.hpp"

namespace kaiku::domain {
namespace {

class ValidateAnswers : public ::testing::Test {
 protected:
  Model model = testing::small_model();
  const Survey& survey = *model.survey("core");
  std::vector<Answer> answers;
  std::optional<ContactRequest> contact;

  std::vector<FieldError> run(const RawAnswers& raw, bool reject_unknown = false) {
    return validate_answers(survey, raw, reject_unknown, answers, contact);
  }
  static bool has(const std::vector<FieldError>& errors, const std::string& field, const std::string& code) {
    for (const auto& e : errors)
      if (e.field == field && e.code == code) return true;
    return false;
  }
};

TEST_F(ValidateAnswers, AcceptsAFullAnswerInSurveyOrder) {
  auto errors = run({{"open", {"hyvä"}}, {"nps", {"9"}}, {"agree", {"cant_say"}}, {"face", {"3"}},
                     {"one", {"b"}}, {"many", {"y", "x", "y"}}});
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(answers.size(), 6u);
  EXPECT_EQ(answers[0].key, "nps");
  EXPECT_EQ(*answers[0].number, 9);
  EXPECT_TRUE(answers[1].cant_say);
  EXPECT_FALSE(answers[1].number.has_value());
  EXPECT_EQ(answers[3].choices, std::vector<std::string>{"b"});
  EXPECT_EQ(answers[4].choices, (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(answers[5].text, "hyvä");
  EXPECT_FALSE(contact.has_value());
}

TEST_F(ValidateAnswers, RequiredQuestionMissingOrBlank) {
  EXPECT_TRUE(has(run({}), "nps", "required"));
  EXPECT_TRUE(has(run({{"nps", {"  "}}}), "nps", "required"));
}

TEST_F(ValidateAnswers, ScaleBoundsAndNumbers) {
  EXPECT_TRUE(has(run({{"nps", {"11"}}}), "nps", "out_of_range"));
  EXPECT_TRUE(has(run({{"nps", {"-1"}}}), "nps", "not_a_number"));
  EXPECT_TRUE(has(run({{"nps", {"9.5"}}}), "nps", "not_a_number"));
  EXPECT_TRUE(has(run({{"nps", {"cant_say"}}}), "nps", "not_a_number"));
  EXPECT_TRUE(has(run({{"nps", {"5", "6"}}}), "nps", "too_many_values"));
  EXPECT_TRUE(has(run({{"nps", {"0"}}, {"agree", {"0"}}}), "agree", "out_of_range"));
  EXPECT_TRUE(has(run({{"nps", {"0"}}, {"face", {"4"}}}), "face", "out_of_range"));
  EXPECT_TRUE(run({{"nps", {"0"}}, {"face", {"1"}}}).empty());
}

TEST_F(ValidateAnswers, ChoicesMustExist) {
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"one", {"c"}}}), "one", "unknown_option"));
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"one", {"a", "b"}}}), "one", "too_many_values"));
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"many", {"x", "z"}}}), "many", "unknown_option"));
}

TEST_F(ValidateAnswers, OpenTextLengthCountsCharactersNotBytes) {
  EXPECT_TRUE(run({{"nps", {"5"}}, {"open", {"ääääääääää"}}}).empty());  // 10 chars, 20 bytes
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"open", {"ääääääääääa"}}}), "open", "too_long"));
}

TEST_F(ValidateAnswers, ScriptInTextIsKeptVerbatim) {
  ASSERT_TRUE(run({{"nps", {"5"}}, {"open", {"<b>x</b>"}}}).empty());
  EXPECT_EQ(answers.back().text, "<b>x</b>");
}

TEST_F(ValidateAnswers, InvalidUtf8IsRejected) {
  auto errors = run({{"nps", {"5"}}, {"open", {std::string("\xC3\x28", 2)}}});
  EXPECT_TRUE(has(errors, "open", "invalid_encoding"));
  EXPECT_TRUE(answers.empty());
}

TEST_F(ValidateAnswers, UnknownFieldsRejectedOnlyWhenAsked) {
  EXPECT_TRUE(run({{"nps", {"5"}}, {"bogus", {"1"}}}).empty());
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"bogus", {"1"}}}, true), "bogus", "unknown_field"));
  EXPECT_TRUE(has(run({{"nps", {"5"}}, {"contact.x", {"1"}}}, true), "contact.x", "unknown_field"));
}

TEST_F(ValidateAnswers, ContactRequestNeedsAChannelAndConsent) {
  auto errors = run({{"nps", {"5"}}, {"contact.wanted", {"yes"}}});
  EXPECT_TRUE(has(errors, "contact.phone", "contact_missing"));
  EXPECT_TRUE(has(errors, "contact.consent", "consent_required"));
  errors = run({{"nps", {"5"}}, {"contact.wanted", {"yes"}}, {"contact.phone", {"abc"}},
                {"contact.email", {"x@"}}, {"contact.consent", {"yes"}}});
  EXPECT_TRUE(has(errors, "contact.phone", "invalid_phone"));
  EXPECT_TRUE(has(errors, "contact.email", "invalid_email"));
  ASSERT_TRUE(run({{"nps", {"5"}}, {"contact.wanted", {"yes"}}, {"contact.phone", {"+358 40 123 4567"}},
                   {"contact.consent", {"yes"}}})
                  .empty());
  ASSERT_TRUE(contact.has_value());
  EXPECT_EQ(contact->phone, "+358 40 123 4567");
  // Details given without asking for contact are dropped, never stored.
  ASSERT_TRUE(run({{"nps", {"5"}}, {"contact.phone", {"0401234567"}}}).empty());
  EXPECT_FALSE(contact.has_value());
}

TEST(Plausibility, PhonesAndEmails) {
  EXPECT_TRUE(plausible_phone("040-123 4567"));
  EXPECT_FALSE(plausible_phone("12345"));
  EXPECT_FALSE(plausible_phone("040+123"));
  EXPECT_TRUE(plausible_email("a.b@hyvinvointialue.fi"));
  EXPECT_FALSE(plausible_email("a@b@c.fi"));
  EXPECT_FALSE(plausible_email("a b@c.fi"));
  EXPECT_FALSE(plausible_email("ab@cfi"));
}

TEST(Respondents, RoundTrip) {
  for (auto r : {Respondent::self, Respondent::on_behalf, Respondent::relative, Respondent::other})
    EXPECT_EQ(parse_respondent(respondent_name(r)), r);
  EXPECT_FALSE(parse_respondent("stranger").has_value());
}

}  // namespace
}  // namespace kaiku::domain

TEST(AgeGroup, NamesRoundTripAndAgesMapToGroups) {
  using kaiku::domain::AgeGroup;
  for (int i = 0; i < kaiku::domain::kAgeGroupCount; ++i) {
    auto g = static_cast<AgeGroup>(i);
    EXPECT_EQ(kaiku::domain::parse_age_group(kaiku::domain::age_group_name(g)), g);
  }
  EXPECT_FALSE(kaiku::domain::parse_age_group("75+").has_value());
  EXPECT_EQ(kaiku::domain::age_group_for_age(-1), AgeGroup::unknown);
  EXPECT_EQ(kaiku::domain::age_group_for_age(17), AgeGroup::under_18);
  EXPECT_EQ(kaiku::domain::age_group_for_age(18), AgeGroup::from_18_to_34);
  EXPECT_EQ(kaiku::domain::age_group_for_age(49), AgeGroup::from_35_to_49);
  EXPECT_EQ(kaiku::domain::age_group_for_age(64), AgeGroup::from_50_to_64);
  EXPECT_EQ(kaiku::domain::age_group_for_age(74), AgeGroup::from_65_to_74);
  EXPECT_EQ(kaiku::domain::age_group_for_age(102), AgeGroup::from_75);
}
