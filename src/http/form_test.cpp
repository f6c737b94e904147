#include "http/form.hpp"

#include <gtest/gtest.h>

namespace kaiku::http {
namespace {

TEST(FormParser, DecodesPlusPercentAndOrder) {
  auto f = parse_form_urlencoded("a=1&b=x+y&c=%C3%A4%2B&empty=&flag");
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_EQ(f->fields.size(), 5u);
  EXPECT_EQ(f->first("a"), "1");
  EXPECT_EQ(f->first("b"), "x y");
  EXPECT_EQ(f->first("c"), "\xC3\xA4+");
  EXPECT_TRUE(f->has("empty"));
  EXPECT_EQ(f->first("empty"), "");
  EXPECT_TRUE(f->has("flag"));
  EXPECT_FALSE(f->has("missing"));
  EXPECT_EQ(f->first("missing"), "");
}

TEST(FormParser, RepeatedKeysKeepEveryValueInOrder) {
  auto f = parse_form_urlencoded("q.many=x&q.other=1&q.many=y&q.many=x");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->all("q.many"), (std::vector<std::string>{"x", "y", "x"}));
  EXPECT_EQ(f->first("q.many"), "x");
}

TEST(FormParser, SkipsEmptySegmentsAndAcceptsEmptyBody) {
  auto f = parse_form_urlencoded("&&a=1&&");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->fields.size(), 1u);
  auto empty = parse_form_urlencoded("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->fields.empty());
}

TEST(FormParser, KeyMayContainEqualsInValue) {
  auto f = parse_form_urlencoded("k=a=b");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->first("k"), "a=b");
}

TEST(FormParser, RejectsBrokenPercentEncodingWithOffset) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a=%4g&b=1", "%=1", "a=1&b=%C3%"}) {
    auto f = parse_form_urlencoded(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(f.error().message.find("percent-encoding at byte"), std::string::npos) << f.error().message;
  }
  auto f = parse_form_urlencoded("abc=1&d=%x1");
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("byte 8"), std::string::npos) << f.error().message;
}

TEST(FormParser, RejectsInvalidUtf8AndNul) {
  // Lone continuation byte, overlong '/', truncated sequence, UTF-16 surrogate, raw 0xFF.
  for (const char* bad : {"a=%80", "a=%C0%AF", "a=%E2%82", "a=%ED%A0%80", "t=\xFF", "%C3=1"}) {
    auto f = parse_form_urlencoded(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_NE(f.error().message.find("invalid UTF-8"), std::string::npos) << f.error().message;
  }
  auto nul = parse_form_urlencoded("a=x%00y");
  ASSERT_FALSE(nul);
  EXPECT_NE(nul.error().message.find("NUL"), std::string::npos);
  auto named = parse_form_urlencoded("q.open=%FF");
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("q.open"), std::string::npos) << named.error().message;
}

TEST(FormParser, LimitsTheNumberOfFields) {
  std::string body;
  for (std::size_t i = 0; i <= kMaxFormFields; ++i) body += "a=1&";
  auto f = parse_form_urlencoded(body);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, ErrorKind::too_large);
}

TEST(UrlEncode, EncodesEverythingOutsideTheUnreservedSet) {
  EXPECT_EQ(url_encode("a b&c=ä/~._-"), "a%20b%26c%3D%C3%A4%2F~._-");
  auto round = parse_form_urlencoded("x=" + url_encode("<script>&\"'"));
  ASSERT_TRUE(round);
  EXPECT_EQ(round->first("x"), "<script>&\"'");
}

TEST(SplitTarget, SplitsAtTheFirstQuestionMark) {
  auto [p, q] = split_target("/s/tp1?lang=fi&x=?");
  EXPECT_EQ(p, "/s/tp1");
  EXPECT_EQ(q, "lang=fi&x=?");
  auto [p2, q2] = split_target("/healthz");
  EXPECT_EQ(p2, "/healthz");
  EXPECT_EQ(q2, "");
}

}  // namespace
}  // namespace kaiku::http
