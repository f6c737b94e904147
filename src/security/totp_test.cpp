#include "security/totp.hpp"

#include <gtest/gtest.h>

namespace kaiku::security {
namespace {

TimePoint at_seconds(std::int64_t s) {
  return TimePoint(std::chrono::seconds(s));
}

const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

TEST(Base32, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base32_encode(plain), encoded) << plain;
    auto back = base32_decode(encoded);
    ASSERT_TRUE(back) << encoded;
    EXPECT_EQ(*back, plain);
  }
}

TEST(Base32, DecodeAcceptsPaddingLowerCaseAndSpaces) {
  auto a = base32_decode("MZXW6YTBOI======");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, "foobar");
  auto b = base32_decode("mzxw 6ytb oi");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, "foobar");
}

TEST(Base32, DecodeRefusesBadInput) {
  EXPECT_FALSE(base32_decode("MZ1W"));    // '1' is not base32
  EXPECT_FALSE(base32_decode("M"));       // not whole bytes
  EXPECT_FALSE(base32_decode("MY==MY"));  // data after padding
  auto e = base32_decode("AB!C");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("offset 2"), std::string::npos) << e.error().message;
}

TEST(Base32, RoundTripsRandomLengths) {
  SeededRandom random(7);
  for (std::size_t n = 0; n < 70; ++n) {
    std::string bytes(n, '\0');
    random.fill(reinterpret_cast<std::uint8_t*>(bytes.data()), n);
    auto back = base32_decode(base32_encode(bytes));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Hotp, Rfc4226Vectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t i = 0; i < 10; ++i) EXPECT_EQ(hotp(kSeed20, i), expected[i]) << i;
}

TEST(Totp, Rfc6238Vectors) {
  struct V {
    std::int64_t t;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const V vectors[] = {
      {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"}};
  for (const V& v : vectors) {
    EXPECT_EQ(totp(kSeed20, at_seconds(v.t), 8, TotpHash::sha1), v.sha1) << v.t;
    EXPECT_EQ(totp(kSeed32, at_seconds(v.t), 8, TotpHash::sha256), v.sha256) << v.t;
    EXPECT_EQ(totp(kSeed64, at_seconds(v.t), 8, TotpHash::sha512), v.sha512) << v.t;
  }
}

TEST(Totp, SixDigitCodeIsTheLastSixOfTheEight) {
  EXPECT_EQ(totp(kSeed20, at_seconds(1111111109)), "081804");
  EXPECT_EQ(totp_step(at_seconds(59)), 1);
  EXPECT_EQ(totp_step(at_seconds(60)), 2);
}

TEST(Totp, VerifyAcceptsOneStepOfDriftEachWay) {
  const TimePoint now = at_seconds(1111111111);  // step 37037037
  const std::int64_t step = totp_step(now);
  const std::string prev = hotp(kSeed20, static_cast<std::uint64_t>(step - 1));
  const std::string cur = hotp(kSeed20, static_cast<std::uint64_t>(step));
  const std::string next = hotp(kSeed20, static_cast<std::uint64_t>(step + 1));
  const std::string far = hotp(kSeed20, static_cast<std::uint64_t>(step + 2));
  EXPECT_EQ(verify_totp(kSeed20, cur, now), step);
  EXPECT_EQ(verify_totp(kSeed20, prev, now), step - 1);
  EXPECT_EQ(verify_totp(kSeed20, next, now), step + 1);
  EXPECT_FALSE(verify_totp(kSeed20, far, now));
  EXPECT_FALSE(verify_totp(kSeed20, hotp(kSeed20, static_cast<std::uint64_t>(step - 2)), now));
  EXPECT_EQ(verify_totp(kSeed20, cur.substr(0, 3) + " " + cur.substr(3), now), step);
}

TEST(Totp, VerifyRefusesMalformedCodesAndOtherKeys) {
  const TimePoint now = at_seconds(1234567890);
  const std::string cur = totp(kSeed20, now);
  EXPECT_FALSE(verify_totp(kSeed20, "", now));
  EXPECT_FALSE(verify_totp(kSeed20, cur.substr(0, 5), now));
  EXPECT_FALSE(verify_totp(kSeed20, cur + "0", now));
  EXPECT_FALSE(verify_totp(kSeed20, "12a456", now));
  EXPECT_FALSE(verify_totp("", cur, now));
  EXPECT_FALSE(verify_totp("another key of twenty", cur, now));
}

TEST(Totp, NewSecretsAreRandomAndFullLength) {
  SeededRandom random(1);
  const std::string a = new_totp_secret(random);
  const std::string b = new_totp_secret(random);
  EXPECT_EQ(a.size(), kTotpSecretBytes);
  EXPECT_NE(a, b);
  EXPECT_EQ(base32_encode(a).size(), 32u);
}

TEST(Totp, OtpauthUriEncodesIssuerAndAccount) {
  EXPECT_EQ(otpauth_uri("Kaiku", "anna", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Kaiku:anna?secret=JBSWY3DPEHPK3PXP&issuer=Kaiku");
  EXPECT_EQ(otpauth_uri("Kaiku Keski-Suomi", "a b&c", "AA"),
            "otpauth://totp/Kaiku%20Keski-Suomi:a%20b%26c?secret=AA&issuer=Kaiku%20Keski-Suomi");
}

}  // namespace
}  // namespace kaiku::security
