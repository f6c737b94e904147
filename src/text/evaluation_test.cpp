#include "text/evaluation.hpp"

#include <gtest/gtest.h>

namespace kaiku::text {
namespace {

constexpr const char* kHeader = "id\tlang\tsentiment\tthemes\tsuggestion\ttext\tredacted\n";

Analysis predicted(std::string redacted, Language lang, domain::Sentiment s, std::vector<std::string> themes,
                   bool suggestion) {
  Analysis a;
  a.redacted.text = std::move(redacted);
  a.language = lang;
  a.sentiment = s;
  a.themes = std::move(themes);
  a.suggestion = suggestion;
  return a;
}

TEST(EvaluationFileTest, ParsesLabelledLines) {
  std::string file = std::string("# comment\n") + kHeader +
                     "fi001\tfi\tnegative\taccess_waiting,phone_callback\t1\tJono oli pitkä, soita 040-1234567\t"
                     "Jono oli pitkä, soita [puhelin]\r\n\nsv001\tsv\tpositive\t-\t0\tBra!\tBra!\n";
  auto r = parse_evaluation_file(file, "t.tsv");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].line, 3);
  EXPECT_EQ((*r)[0].themes, (std::vector<std::string>{"access_waiting", "phone_callback"}));
  EXPECT_TRUE((*r)[0].suggestion);
  EXPECT_EQ((*r)[0].redacted, "Jono oli pitkä, soita [puhelin]");
  EXPECT_EQ((*r)[1].sentiment, domain::Sentiment::positive);
  EXPECT_TRUE((*r)[1].themes.empty());
}

TEST(EvaluationFileTest, ErrorsSayFileAndLine) {
  auto missing = parse_evaluation_file("fi001\tfi\n", "a.tsv");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("a.tsv:1: expected the header"), std::string::npos);
  auto fields = parse_evaluation_file(std::string(kHeader) + "fi001\tfi\tpositive\n", "b.tsv");
  ASSERT_FALSE(fields);
  EXPECT_EQ(fields.error().message, "b.tsv:2: expected 7 tab-separated fields, found 3");
  auto sentiment = parse_evaluation_file(std::string(kHeader) + "x\tfi\tgood\t-\t0\tt\tt\n", "c.tsv");
  ASSERT_FALSE(sentiment);
  EXPECT_NE(sentiment.error().message.find("c.tsv:2: sentiment"), std::string::npos);
  auto dup = parse_evaluation_file(std::string(kHeader) + "x\tfi\tneutral\t-\t0\tt\tt\nx\tfi\tneutral\t-\t0\tt\tt\n",
                                   "d.tsv");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("d.tsv:3: id: \"x\" appears twice"), std::string::npos);
  auto theme = parse_evaluation_file(std::string(kHeader) + "x\tfi\tneutral\tBad Theme\t0\tt\tt\n", "e.tsv");
  ASSERT_FALSE(theme);
  auto lang = parse_evaluation_file(std::string(kHeader) + "x\tde\tneutral\t-\t0\tt\tt\n", "f.tsv");
  ASSERT_FALSE(lang);
}

TEST(TrainingFileTest, ParsesBothTrainingHeadersAndNamesBadLines) {
  auto plain = parse_labelled_file("id\tlang\tsentiment\ttext\n# note\nfa001\tfi\tnegative\tEi soitettu.\n", "t.tsv");
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  ASSERT_EQ(plain->size(), 1u);
  EXPECT_EQ((*plain)[0].sentiment, domain::Sentiment::negative);
  EXPECT_EQ((*plain)[0].line, 3);
  EXPECT_FALSE((*plain)[0].themes_labelled);
  EXPECT_TRUE((*plain)[0].redacted.empty());
  EXPECT_FALSE((*plain)[0].from_evaluation);
  auto themed = parse_labelled_file("id\tlang\tsentiment\tthemes\ttext\na1\tsv\tmixed\tbooking,food\tx\na2\tsv\tneutral\t-\ty\n", "t.tsv");
  ASSERT_TRUE(themed.has_value()) << themed.error().message;
  EXPECT_TRUE((*themed)[0].themes_labelled);
  EXPECT_EQ((*themed)[0].themes, (std::vector<std::string>{"booking", "food"}));
  EXPECT_TRUE((*themed)[1].themes.empty());
  // The evaluation parser still wants the evaluation header.
  auto strict = parse_evaluation_file("id\tlang\tsentiment\ttext\na\tfi\tneutral\tx\n", "t.tsv");
  ASSERT_FALSE(strict.has_value());
  EXPECT_NE(strict.error().message.find("t.tsv:1: expected the header"), std::string::npos);
  auto bad_label = parse_labelled_file("id\tlang\tsentiment\ttext\na\tfi\tangry\tx\n", "t.tsv");
  ASSERT_FALSE(bad_label.has_value());
  EXPECT_NE(bad_label.error().message.find("t.tsv:2: sentiment"), std::string::npos);
  auto dup = parse_labelled_file("id\tlang\tsentiment\ttext\na\tfi\tneutral\tx\na\tfi\tneutral\ty\n", "t.tsv");
  ASSERT_FALSE(dup.has_value());
  EXPECT_NE(dup.error().message.find("t.tsv:3"), std::string::npos);
  auto fields = parse_labelled_file("id\tlang\tsentiment\ttext\na\tfi\tneutral\n", "t.tsv");
  ASSERT_FALSE(fields.has_value());
  EXPECT_NE(fields.error().message.find("expected 4 tab-separated fields, found 3"), std::string::npos);
  EXPECT_FALSE(parse_labelled_file("", "t.tsv").has_value());
}

TEST(TrainingFileTest, TheHeldOutHalfIsNeverTrainedOn) {
  // An evaluation file, even with an empty redacted cell, gives only its development half.
  auto eval = parse_labelled_file(
      "id\tlang\tsentiment\tthemes\tsuggestion\ttext\tredacted\n"
      "fi001\tfi\tpositive\t-\t0\tHyvä.\tHyvä.\nfi002\tfi\tpositive\t-\t0\tHyvä!\t\n"
      "fi003\tfi\tnegative\t-\t0\tHuono.\t\n",
      "e.tsv");
  ASSERT_TRUE(eval.has_value()) << eval.error().message;
  std::vector<std::string> kept;
  for (const auto& c : *eval)
    if (may_train_on(c)) kept.push_back(c.id);
  EXPECT_EQ(kept, (std::vector<std::string>{"fi001", "fi003"}));
  // A training file gives every comment, whatever its id.
  auto train = parse_labelled_file("id\tlang\tsentiment\ttext\nfi002\tfi\tneutral\tx\nfi004\tfi\tneutral\ty\n", "t.tsv");
  ASSERT_TRUE(train.has_value());
  EXPECT_TRUE(may_train_on((*train)[0]) && may_train_on((*train)[1]));
}

TEST(EvaluationFileTest, HalvesByTheLastDigit) {
  EXPECT_TRUE(in_development_half("fi001"));
  EXPECT_FALSE(in_development_half("fi002"));
  EXPECT_TRUE(in_development_half("sv119"));
  EXPECT_FALSE(in_development_half("en060"));
  EXPECT_TRUE(in_development_half("x"));
}

TEST(ScoreRedactionTest, ExactOverreachAndMiss) {
  std::map<std::string, Counts> c;
  score_redaction("soita [puhelin] heti", "soita [puhelin] heti", c);
  EXPECT_EQ(c["puhelin"].tp, 1);
  // Ate a word too many: a false positive and a false negative.
  score_redaction("hoitaja [nimi] oli", "hoitaja [nimi] kiva oli", c);
  EXPECT_EQ(c["nimi"].fp, 1);
  EXPECT_EQ(c["nimi"].fn, 1);
  // Missed entirely.
  score_redaction("email matti@example.fi", "email [email]", c);
  EXPECT_EQ(c["email"].fn, 1);
  EXPECT_EQ(c["email"].tp, 0);
}

TEST(EvaluationScoresTest, CountsEveryDimension) {
  auto file = parse_evaluation_file(std::string(kHeader) +
                                        "a\tfi\tpositive\tstaff_kindness\t0\tKiitos Liisa\tKiitos [nimi]\n"
                                        "b\tfi\tnegative\taccess_waiting,booking\t1\tJono\tJono\n"
                                        "c\tsv\tmixed\t-\t0\tBra men\tBra men\n",
                                    "t.tsv");
  ASSERT_TRUE(file);
  EvaluationScores s;
  s.add((*file)[0], predicted("Kiitos [nimi]", Language::fi, domain::Sentiment::positive, {"staff_kindness"}, false));
  s.add((*file)[1], predicted("Jono", Language::fi, domain::Sentiment::negative, {"access_waiting"}, false));
  EvaluationScores other;
  other.add((*file)[2], predicted("Bra men", Language::en, domain::Sentiment::positive, {"premises"}, true));
  s.combine(other);
  EXPECT_EQ(s.comments(), 3);
  EXPECT_EQ(s.exact_redactions(), 3);
  EXPECT_DOUBLE_EQ(s.language_accuracy(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.name_recall(), 1.0);
  EXPECT_EQ(s.sentiment_confusion()[static_cast<int>(domain::Sentiment::mixed)]
                                   [static_cast<int>(domain::Sentiment::positive)],
            1);
  // positive: tp 1 fp 1 -> F1 2/3; negative: F1 1; mixed: tp 0 fn 1 -> F1 0; neutral absent.
  EXPECT_NEAR(s.sentiment_macro_f1(), (2.0 / 3.0 + 1.0 + 0.0) / 3.0, 1e-9);
  Counts m = s.theme_micro();
  EXPECT_EQ(m.tp, 2);
  EXPECT_EQ(m.fn, 1);
  EXPECT_EQ(m.fp, 1);
  EXPECT_EQ(s.suggestions().tp, 0);
  EXPECT_EQ(s.suggestions().fn, 1);
  EXPECT_EQ(s.suggestions().fp, 1);
  std::string report = s.report(true);
  EXPECT_NE(report.find("b: themes access_waiting,booking, got access_waiting"), std::string::npos);
  EXPECT_NE(report.find("c: language sv, got en"), std::string::npos);
}

TEST(EvaluationScoresTest, TrainingFilesScoreOnlyWhatTheyLabel) {
  auto file = parse_labelled_file(
      "id\tlang\tsentiment\tthemes\ttext\na\tfi\tnegative\tbooking\tAika peruttiin\n", "t.tsv");
  auto plain = parse_labelled_file("id\tlang\tsentiment\ttext\nb\tfi\tpositive\tHyvä\n", "t.tsv");
  ASSERT_TRUE(file && plain);
  EvaluationScores s;
  s.add((*file)[0], predicted("Aika [nimi]", Language::fi, domain::Sentiment::negative, {"premises"}, true));
  s.add((*plain)[0], predicted("Hyvä", Language::fi, domain::Sentiment::positive, {"food"}, true));
  EXPECT_EQ(s.comments(), 2);
  EXPECT_TRUE(s.pii().empty()) << "no redaction label, no redaction score";
  EXPECT_EQ(s.suggestions().fp, 0);
  Counts m = s.theme_micro();
  EXPECT_EQ(m.fn, 1);  // booking
  EXPECT_EQ(m.fp, 1);  // premises; "food" of the file without themes is not counted
  EXPECT_NEAR(s.sentiment_macro_f1(), 1.0, 1e-9);
}

}  // namespace
}  // namespace kaiku::text
