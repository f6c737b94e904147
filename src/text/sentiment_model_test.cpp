// SentimentModel: features from hand-built tokens, training on small separable data,
// the model file round trip and its errors, the built-in model through the Analyzer.
#include "text/sentiment_model.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "text/analyzer.hpp"
#include "text/test_support.hpp"

namespace kaiku::text {
namespace {

using domain::Sentiment;
using testing::hand_token;

std::map<std::string, double> as_map(const SentimentFeatures& f) {
  return {f.values.begin(), f.values.end()};
}

TEST(SentimentFeatures, MarkNegatedWordsWithinTheClauseOnly) {
  std::vector<Token> tokens{hand_token("ei", {"ei"}, Boundary::sentence, /*negation=*/true),
                            hand_token("ollut", {"olla"}), hand_token("hyvä", {"hyvä"}),
                            hand_token("hoitaja", {"hoitaja"}, Boundary::comma)};
  auto f = as_map(sentiment_features("Ei ollut hyvä, hoitaja", tokens, Language::fi, {Sentiment::positive, 2, 0}));
  EXPECT_EQ(f.count("n:hyvä"), 1u);
  EXPECT_EQ(f.count("w:hyvä"), 0u);
  EXPECT_EQ(f.count("w:hoitaja"), 1u) << "a comma ends the negation";
  EXPECT_EQ(f.count("n:hoitaja"), 0u);
  EXPECT_EQ(f.count("b:¬_olla"), 1u);
  EXPECT_EQ(f.count("b:olla_hyvä"), 1u);
  EXPECT_EQ(f.count("b:hyvä_hoitaja"), 0u) << "no word pair across a clause boundary";
  EXPECT_EQ(f["rules=positive"], 1);
  EXPECT_EQ(f["lang=fi"], 1);
  EXPECT_GT(f["score:positive"], 0);
  EXPECT_EQ(f["score:negative"], 0);
}

TEST(SentimentFeatures, ContrastPunctuationAndLanguageNegators) {
  std::vector<Token> tokens{hand_token("good", {"good"}, Boundary::sentence), hand_token("but", {"but"}),
                            hand_token("didn't", {"didn't"}), hand_token("call", {"call"})};
  auto f = as_map(sentiment_features("Good but didn't call!! :(", tokens, Language::en, {}));
  EXPECT_EQ(f.count("c:call"), 1u);
  EXPECT_EQ(f.count("n:call"), 1u) << "n't negates";
  EXPECT_EQ(f.count("contrast"), 1u);
  EXPECT_EQ(f.count("frown"), 1u);
  EXPECT_GT(f["exclamation"], 0);
  EXPECT_EQ(f.count("question"), 0u);
  // "no" is an English negator, not a Finnish one ("No, ihan ok").
  std::vector<Token> fi{hand_token("no", {"no"}, Boundary::sentence), hand_token("ok", {"ok"})};
  EXPECT_EQ(as_map(sentiment_features("No ok", fi, Language::fi, {})).count("w:ok"), 1u);
  EXPECT_EQ(as_map(sentiment_features("No ok", fi, Language::en, {})).count("n:ok"), 1u);
}

SentimentFeatures words(std::initializer_list<const char*> ws) {
  SentimentFeatures f;
  f.values.emplace_back("bias", 1);
  for (const char* w : ws) f.values.emplace_back(std::string("w:") + w, 1);
  return f;
}

std::vector<std::pair<SentimentFeatures, Sentiment>> toy_data() {
  std::vector<std::pair<SentimentFeatures, Sentiment>> d;
  for (int i = 0; i < 6; ++i) {
    d.emplace_back(words({"hyvä", "kiitos"}), Sentiment::positive);
    d.emplace_back(words({"huono", "odottaa"}), Sentiment::negative);
    d.emplace_back(words({"käydä", "verikoe"}), Sentiment::neutral);
    d.emplace_back(words({"hyvä", "huono", "mutta"}), Sentiment::mixed);
  }
  return d;
}

TEST(SentimentModelTrain, LearnsSeparableDataAndIsDeterministic) {
  LinearTrainingOptions o;
  auto a = SentimentModel::train(toy_data(), o);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ((*a)->predict(words({"hyvä", "kiitos"})), Sentiment::positive);
  EXPECT_EQ((*a)->predict(words({"odottaa"})), Sentiment::negative);
  EXPECT_EQ((*a)->predict(words({"verikoe"})), Sentiment::neutral);
  EXPECT_EQ((*a)->predict(words({"hyvä", "huono", "mutta"})), Sentiment::mixed);
  auto p = (*a)->probabilities(words({"hyvä"}));
  EXPECT_NEAR(p[0] + p[1] + p[2] + p[3], 1.0, 1e-9);
  auto b = SentimentModel::train(toy_data(), o);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*a)->to_tsv({}), (*b)->to_tsv({}));
  o.seed += 1;
  auto c = SentimentModel::train(toy_data(), o);
  EXPECT_NE((*a)->to_tsv({}), (*c)->to_tsv({})) << "the seed orders the examples";
  EXPECT_FALSE(SentimentModel::train({}, o).has_value());
}

TEST(SentimentModelTrain, DropsRareFeatures) {
  auto data = toy_data();
  data.emplace_back(words({"harvinainen"}), Sentiment::negative);
  LinearTrainingOptions o;
  o.min_count = 2;
  auto m = SentimentModel::train(data, o);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)->to_tsv({}).find("w:harvinainen"), std::string::npos);
  o.min_count = 1;
  m = SentimentModel::train(data, o);
  EXPECT_NE((*m)->to_tsv({}).find("w:harvinainen"), std::string::npos);
}

TEST(SentimentModelFile, RoundTripsAndReportsErrorsWithLine) {
  auto m = SentimentModel::train(toy_data(), {});
  ASSERT_TRUE(m.has_value());
  std::string tsv = (*m)->to_tsv({"a header", "second line"});
  EXPECT_EQ(tsv.rfind("# a header\n# second line\n@outputs\tpositive\tneutral\tnegative\tmixed\n", 0), 0u) << tsv;
  auto back = SentimentModel::parse(tsv, "m.tsv");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ((*back)->to_tsv({"a header", "second line"}), tsv);
  EXPECT_EQ((*back)->predict(words({"odottaa"})), Sentiment::negative);

  const std::string outputs = "@outputs\tpositive\tneutral\tnegative\tmixed\n";
  auto short_line = SentimentModel::parse("# c\n" + outputs + "bias\t1\t2\t3\n", "m.tsv");
  ASSERT_FALSE(short_line.has_value());
  EXPECT_NE(short_line.error().message.find("m.tsv:3"), std::string::npos) << short_line.error().message;
  auto not_number = SentimentModel::parse(outputs + "bias\t1\t2\t3\tx\n", "m.tsv");
  ASSERT_FALSE(not_number.has_value());
  EXPECT_NE(not_number.error().message.find("\"x\" is not a number"), std::string::npos);
  auto twice = SentimentModel::parse(outputs + "bias\t1\t2\t3\t4\nbias\t1\t2\t3\t4\n", "m.tsv");
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("m.tsv:3"), std::string::npos);
  EXPECT_FALSE(SentimentModel::parse(outputs + "bias\t1\t2\t3\tinf\n", "m.tsv").has_value());
  auto no_outputs = SentimentModel::parse("bias\t1\t2\t3\t4\n", "m.tsv");
  ASSERT_FALSE(no_outputs.has_value());
  EXPECT_NE(no_outputs.error().message.find("before the @outputs"), std::string::npos);
  auto huge = SentimentModel::parse(outputs + "bias\t1e308\t0\t0\t0\n", "m.tsv");
  ASSERT_FALSE(huge.has_value());
  EXPECT_NE(huge.error().message.find("out of range"), std::string::npos);
  // Written with to_chars: a point, never a locale's comma.
  EXPECT_NE(tsv.find("bias\t"), std::string::npos);
  EXPECT_EQ(tsv.find(','), std::string::npos);
  auto other = SentimentModel::parse("@outputs\tyes\tno\nbias\t1\t2\n", "m.tsv");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("not a sentiment model"), std::string::npos);
}

TEST(SentimentModelBuiltin, LoadsAndTheAnalyzerUsesIt) {
  auto builtin = SentimentModel::create_builtin();
  ASSERT_TRUE(builtin.has_value()) << builtin.error().message;
  ASSERT_NE(*builtin, nullptr) << "lexicons/sentiment_model.tsv is built in";
  EXPECT_GT((*builtin)->feature_count(), 500u);
  auto learned = Analyzer::create({}, testing::shared_voikko());
  auto rules = Analyzer::create({}, testing::shared_voikko(), AnalyzerOptions{.learned_sentiment = false});
  ASSERT_TRUE(learned.has_value() && rules.has_value());
  EXPECT_TRUE((*learned)->uses_learned_sentiment());
  EXPECT_FALSE((*rules)->uses_learned_sentiment());
  // The features the Analyzer hands the trainer are those analyze() predicts from.
  const char* comment = "Lupasivat soittaa takaisin, mutta kukaan ei soittanut.";
  SentimentFeatures f = (*learned)->sentiment_features(comment);
  EXPECT_EQ((*learned)->analyze(comment).sentiment, (*builtin)->predict(f));
  EXPECT_EQ((*rules)->analyze(comment).sentiment, (*rules)->analyze(comment).rules_sentiment);
  EXPECT_TRUE((*learned)->sentiment_features(std::string("\xff\xfe")).values.empty());
}

TEST(SentimentModelBuiltin, AGivenModelDecidesTheLabel) {
  // A model that always says "mixed": the analyzer's label is the model's, the rules'
  // label is kept beside it.
  AnalyzerOptions o;
  o.sentiment_model_tsv = "@outputs\tpositive\tneutral\tnegative\tmixed\nbias\t0\t0\t0\t5\n";
  auto analyzer = Analyzer::create({}, testing::shared_voikko(), o);
  ASSERT_TRUE(analyzer.has_value()) << analyzer.error().message;
  Analysis a = (*analyzer)->analyze("Hoitaja oli todella töykeä ja epäystävällinen.");
  EXPECT_EQ(a.sentiment, Sentiment::mixed);
  EXPECT_EQ(a.rules_sentiment, Sentiment::negative);
  o.sentiment_model_tsv = "bias\t1\n";
  o.sentiment_model_name = "my.tsv";
  auto bad = Analyzer::create({}, testing::shared_voikko(), o);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("my.tsv:1"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace kaiku::text
