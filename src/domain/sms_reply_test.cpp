#include "domain/sms_reply.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace kaiku::domain {
namespace {

using Kind = SmsReply::Kind;

void expect_score(std::string_view in, int score, std::string_view comment = "") {
  const SmsReply r = parse_sms_reply(in, true);
  EXPECT_EQ(r.kind, Kind::score) << "input: " << in;
  EXPECT_EQ(r.score, std::optional<int>(score)) << "input: " << in;
  EXPECT_EQ(r.comment, comment) << "input: " << in;
}

void expect_unreadable(std::string_view in) {
  const SmsReply r = parse_sms_reply(in, true);
  EXPECT_EQ(r.kind, Kind::text) << "input: " << in;
  EXPECT_FALSE(r.score.has_value()) << "input: " << in;
}

TEST(SmsReply, PlainNumbers) {
  for (int i = 0; i <= 10; ++i) expect_score(std::to_string(i), i);
  expect_score("9", 9);
  expect_score(" 10!", 10);
  expect_score("10.", 10);
  expect_score("9!!!", 9);
  expect_score("09", 9);
  expect_score("00", 0);
  expect_score("  7  \n", 7);
  expect_score("\"8\"", 8);
  expect_score("(9)", 9);
  expect_score("１０", 10);  // full-width digits
}

TEST(SmsReply, NumbersWithScale) {
  expect_score("9/10", 9);
  expect_score("10/10", 10);
  expect_score("9 / 10", 9);
  expect_score("nine out of ten", 9);
  expect_score("8 out of 10", 8);
  expect_score("7 of 10", 7);
  expect_score("nio av tio", 9);
  expect_score("8 av 10", 8);
  expect_score("yhdeksän kymmenestä", 9);
  expect_score("9/10 hyvä palvelu", 9, "hyvä palvelu");
}

TEST(SmsReply, NumberWithComment) {
  expect_score("9 hyvä palvelu", 9, "hyvä palvelu");
  expect_score("9, hyvä palvelu", 9, "hyvä palvelu");
  expect_score("10! Ystävällinen hoitaja.", 10, "Ystävällinen hoitaja.");
  expect_score("8 - jonotus kesti", 8, "jonotus kesti");
  expect_score("7\nLiian pitkä odotus", 7, "Liian pitkä odotus");
  expect_score("9 👍", 9, "👍");
  expect_score("9👍", 9, "👍");
  expect_score("10 🙂🙂", 10, "🙂🙂");
  expect_score("yhdeksän, kiitos", 9, "kiitos");
  expect_score("Nine - great staff", 9, "great staff");
  expect_score("🙂 8", 8);
  expect_score("👍🏻 10 kiitos", 10, "kiitos");
  expect_score("❤️ yhdeksän", 9);
}

TEST(SmsReply, FinnishWords) {
  const std::vector<std::pair<const char*, int>> words = {
      {"nolla", 0},     {"yksi", 1},     {"kaksi", 2},     {"kolme", 3},     {"neljä", 4},
      {"viisi", 5},     {"kuusi", 6},    {"seitsemän", 7}, {"kahdeksan", 8}, {"yhdeksän", 9},
      {"kymmenen", 10}, {"ysi", 9},      {"kasi", 8},      {"kymppi", 10},   {"seiska", 7},
      {"yheksän", 9},   {"yhdeksan", 9}, {"nelja", 4},     {"ykkönen", 1},   {"kaks", 2}};
  for (const auto& [w, v] : words) expect_score(w, v);
  expect_score("Yhdeksän!", 9);
  expect_score("YHDEKSÄN", 9);
  expect_score("NELJÄ", 4);
  expect_score("Kahdeksan.", 8);
}

TEST(SmsReply, SwedishWords) {
  const std::vector<std::pair<const char*, int>> words = {
      {"noll", 0}, {"ett", 1},  {"två", 2}, {"tre", 3},  {"fyra", 4}, {"fem", 5}, {"sex", 6},
      {"sju", 7},  {"åtta", 8}, {"nio", 9}, {"tio", 10}, {"atta", 8}, {"tva", 2}};
  for (const auto& [w, v] : words) expect_score(w, v);
  expect_score("ÅTTA", 8);
  expect_score("Åtta, bra bemötande", 8, "bra bemötande");
  expect_score("TVÅ", 2);
}

TEST(SmsReply, EnglishWords) {
  const std::vector<std::pair<const char*, int>> words = {{"zero", 0},  {"one", 1},  {"two", 2}, {"three", 3},
                                                          {"four", 4},  {"five", 5}, {"six", 6}, {"seven", 7},
                                                          {"eight", 8}, {"nine", 9}, {"ten", 10}};
  for (const auto& [w, v] : words) expect_score(w, v);
  expect_score("Ten!", 10);
  expect_score("EIGHT", 8);
}

TEST(SmsReply, LetterOForZero) {
  expect_score("1O", 10);
  expect_score("1o!", 10);
  expect_unreadable("1ok");
}

TEST(SmsReply, UnreadableScores) {
  for (const char* in : {"11",   "100",   "-1",   "−1",    "－1",           "9.5",     "8,5",
                         "8-9",  "8 – 9", "4/5",  "9hyvä", "10km",          "Annan 9", "en tiedä",
                         "hyvä", "???",   "🙂", "elva",  "1000000000000", "nine9",   "+9"}) {
    expect_unreadable(in);
  }
  const SmsReply r = parse_sms_reply("Annan 9", true);
  EXPECT_EQ(r.comment, "Annan 9");
}

TEST(SmsReply, OptOutWordsWinAlways) {
  for (const char* in :
       {"LOPETA", "lopeta", "Lopeta.", " STOP ", "stop!", "Stopp", "SLUTA", "LOPPU", "ÄLÄ LÄHETÄ",
        "älä  lähetä!", "Älä lähetä", "ala laheta", "AVSLUTA", "unsubscribe", "STOP 🙏", "\"Lopeta\""}) {
    for (bool expecting : {true, false}) {
      const SmsReply r = parse_sms_reply(in, expecting);
      EXPECT_EQ(r.kind, Kind::opt_out) << in;
      EXPECT_FALSE(r.score.has_value()) << in;
    }
  }
}

TEST(SmsReply, StopWordInsideATextIsText) {
  EXPECT_EQ(parse_sms_reply("lopeta nyt", false).kind, Kind::text);
  EXPECT_EQ(parse_sms_reply("please stop it", false).kind, Kind::text);
  EXPECT_EQ(parse_sms_reply("stopp och belägg", true).kind, Kind::text);
  EXPECT_EQ(parse_sms_reply("lopetan", true).kind, Kind::text);
}

TEST(SmsReply, NotExpectingScoreEverythingIsText) {
  SmsReply r = parse_sms_reply("9", false);
  EXPECT_EQ(r.kind, Kind::text);
  EXPECT_FALSE(r.score.has_value());
  EXPECT_EQ(r.comment, "9");
  r = parse_sms_reply("  Hoitaja oli ystävällinen.\r\nKiitos!  ", false);
  EXPECT_EQ(r.kind, Kind::text);
  EXPECT_EQ(r.comment, "Hoitaja oli ystävällinen.\nKiitos!");
}

TEST(SmsReply, EmptyReplies) {
  for (const char* in : {"", " ", "\n\t ", "\xC2\xA0", "\xEF\xBB\xBF", "\xE2\x80\x8B"}) {
    EXPECT_EQ(parse_sms_reply(in, true).kind, Kind::empty) << in;
    EXPECT_EQ(parse_sms_reply(in, false).kind, Kind::empty) << in;
  }
}

TEST(SmsReply, InvalidUtf8IsSafe) {
  SmsReply r = parse_sms_reply("9 hyv\xE4 palvelu", true);  // Latin-1 ä
  EXPECT_EQ(r.kind, Kind::score);
  EXPECT_EQ(r.score, 9);
  EXPECT_EQ(r.comment, "hyv\xEF\xBF\xBD palvelu");  // U+FFFD
  r = parse_sms_reply("\xFF\xFE", true);
  EXPECT_EQ(r.kind, Kind::text);
  EXPECT_EQ(r.comment, "\xEF\xBF\xBD\xEF\xBF\xBD");
  r = parse_sms_reply("\xC3", false);
  EXPECT_EQ(r.kind, Kind::text);
  r = parse_sms_reply(std::string("7 \0x", 4), true);  // NUL removed
  EXPECT_EQ(r.kind, Kind::score);
  EXPECT_EQ(r.comment, "x");
}

}  // namespace
}  // namespace kaiku::domain
