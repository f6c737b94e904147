#include <gtest/gtest.h>

#include "base/clock.hpp"
#include "base/encoding.hpp"
#include "base/random.hpp"
#include "base/result.hpp"

namespace kaiku {
namespace {

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
  Result<int> bad = fail(Error::invalid("x: bad"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.value_or(3), 3);
  Status s;
  EXPECT_TRUE(s);
  Status f = fail(Error::not_found("y"));
  EXPECT_EQ(f.error().message, "y");
  EXPECT_STREQ(to_string(ErrorKind::rate_limited), "rate_limited");
}

TEST(Encoding, Base64UrlRoundTripsAllLengths) {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 40; ++n) {
    auto text = base64url_encode(bytes.data(), bytes.size());
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = base64url_decode(text);
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 250));
  }
  EXPECT_FALSE(base64url_decode("ab+c").has_value());
  EXPECT_FALSE(base64url_decode("a").has_value());
}

TEST(Encoding, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("Hyvää päivää, Åbo 😀"));
  EXPECT_FALSE(is_valid_utf8(std::string("\xC0\xAF", 2)));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8(std::string("\xED\xA0\x80", 3)));      // surrogate
  EXPECT_FALSE(is_valid_utf8(std::string("\xE4", 1)));              // Latin-1 ä
  EXPECT_FALSE(is_valid_utf8(std::string("\xF4\x90\x80\x80", 4)));  // > U+10FFFF
  EXPECT_EQ(hex_encode(reinterpret_cast<const std::uint8_t*>("\x01\xab"), 2), "01ab");
}

TEST(Clock, FormatsAndParsesRfc3339) {
  TimePoint t;
  ASSERT_TRUE(parse_rfc3339("2026-11-24T20:15:03.123Z", t));
  EXPECT_EQ(format_rfc3339(t), "2026-11-24T20:15:03.123Z");
  TimePoint u;
  ASSERT_TRUE(parse_rfc3339("2026-11-24T22:15:03.123+02:00", u));
  EXPECT_EQ(t, u);
  ASSERT_TRUE(parse_rfc3339("2026-11-24T20:15:03Z", u));
  EXPECT_EQ(format_rfc3339(u), "2026-11-24T20:15:03.000Z");
  EXPECT_FALSE(parse_rfc3339("2026-02-30T00:00:00Z", u));
  EXPECT_FALSE(parse_rfc3339("2026-11-24 20:15:03Z", u));
  EXPECT_FALSE(parse_rfc3339("2026-11-24T20:15:03", u));
  EXPECT_FALSE(parse_rfc3339("2026-11-24T20:15:03Zjunk", u));
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock c(TimePoint(std::chrono::milliseconds(1000)));
  EXPECT_EQ(c.now().time_since_epoch().count(), 1000);
  c.advance(std::chrono::milliseconds(500));
  EXPECT_EQ(c.now().time_since_epoch().count(), 1500);
}

TEST(Random, SeededIsDeterministicAndTokensAreUrlSafe) {
  SeededRandom a(42), b(42);
  EXPECT_EQ(random_token(a, 16), random_token(b, 16));
  EXPECT_EQ(random_token(a, 16).size(), 22u);
}

}  // namespace
}  // namespace kaiku
