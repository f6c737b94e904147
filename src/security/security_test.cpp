#include <gtest/gtest.h>

#include <set>
#include <string>

#include "security/digest.hpp"
#include "security/password.hpp"
#include "security/sodium_random.hpp"
#include "security/token.hpp"

namespace kaiku::security {
namespace {

TEST(SodiumRandom, FillsDistinctBytes) {
  SodiumRandom r;
  std::uint8_t a[32] = {}, b[32] = {};
  r.fill(a, sizeof a);
  r.fill(b, sizeof b);
  EXPECT_NE(std::string(a, a + 32), std::string(b, b + 32));
  r.fill(nullptr, 0);  // zero length is allowed
}

TEST(Password, HashVerifiesAndRejectsWrongPassword) {
  auto h = hash_password("correct horse", PasswordCost::minimal());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "correct horse"));
  EXPECT_FALSE(verify_password(*h, "correct horsE"));
  EXPECT_FALSE(verify_password(*h, ""));
}

TEST(Password, SaltMakesHashesDiffer) {
  auto a = hash_password("same", PasswordCost::minimal());
  auto b = hash_password("same", PasswordCost::minimal());
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*b, "same"));
}

TEST(Password, InteractiveCostIsArgon2id) {
  auto h = hash_password("pw-interactive");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_NE(h->find("m=65536"), std::string::npos) << *h;  // 64 MiB, MEMLIMIT_INTERACTIVE
  EXPECT_TRUE(verify_password(*h, "pw-interactive"));
}

TEST(Password, RejectsEmptyAndOversized) {
  auto e = hash_password("", PasswordCost::minimal());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::invalid_input);
  auto big = hash_password(std::string(kMaxPasswordBytes + 1, 'x'), PasswordCost::minimal());
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, ErrorKind::invalid_input);
}

TEST(Password, NewPasswordPolicyNeedsTwelveCharacters) {
  EXPECT_TRUE(check_new_password("123456789012"));
  EXPECT_TRUE(check_new_password("correct horse battery staple"));
  auto short_one = check_new_password("12345678901");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(short_one.error().message, "password: must be at least 12 characters long (got 11)");
  EXPECT_FALSE(check_new_password(""));
  // Characters, not bytes: 11 two-byte letters are 22 bytes but 11 characters.
  std::string eleven_umlauts;
  for (int i = 0; i < 11; ++i) eleven_umlauts += "\xc3\xa4";  // ä
  EXPECT_FALSE(check_new_password(eleven_umlauts));
  EXPECT_TRUE(check_new_password(eleven_umlauts + "x"));
  EXPECT_FALSE(check_new_password(std::string(kMaxPasswordBytes + 1, 'a')));
  EXPECT_TRUE(check_new_password(std::string(kMaxPasswordBytes, 'a')));
}

TEST(Password, MalformedHashesNeverVerify) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("plaintext", "plaintext"));
  EXPECT_FALSE(verify_password("$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA", "x"));
  EXPECT_FALSE(verify_password(std::string(500, '$'), "x"));
  auto h = hash_password("pw", PasswordCost::minimal());
  ASSERT_TRUE(h);
  std::string tampered = *h;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password(tampered, "pw"));
}

TEST(Digest, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_FALSE(constant_time_equals("", "a"));
}

TEST(Token, ShapeAndUniqueness) {
  SodiumRandom r;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = new_bearer_token(r);
    EXPECT_EQ(t.size(), 46u);
    EXPECT_EQ(t.rfind("kk_", 0), 0u);
    EXPECT_TRUE(looks_like_bearer_token(t)) << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Token, DeterministicWithSeededRandom) {
  SeededRandom a(7), b(7);
  EXPECT_EQ(new_bearer_token(a), new_bearer_token(b));
}

TEST(Token, LooksLikeRejectsOtherShapes) {
  EXPECT_FALSE(looks_like_bearer_token(""));
  EXPECT_FALSE(looks_like_bearer_token("kk_short"));
  EXPECT_FALSE(looks_like_bearer_token("xx_" + std::string(43, 'a')));
  EXPECT_FALSE(looks_like_bearer_token("kk_" + std::string(42, 'a') + "="));
  EXPECT_FALSE(looks_like_bearer_token("kk_" + std::string(42, 'a') + " "));
  EXPECT_TRUE(looks_like_bearer_token("kk_" + std::string(43, 'a')));
}

}  // namespace
}  // namespace kaiku::security
