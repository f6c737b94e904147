// The account policy for new staff users (check_new_user) and token lifetimes
// (issue_token): every token expires, by default after 365 days.
#include <gtest/gtest.h>

#include "security/digest.hpp"
#include "service/auth_service.hpp"
#include "service/test_support.hpp"

namespace kaiku::service {
namespace {

using domain::Role;

TEST(NewUserPolicy, ManagersAndDirectorsNeedAUnit) {
  const std::string pw = "correct horse battery";
  for (Role role : {Role::unit_manager, Role::director}) {
    auto s = check_new_user(role, "", pw);
    ASSERT_FALSE(s) << domain::role_name(role);
    EXPECT_EQ(s.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(s.error().message.find("role " + std::string(domain::role_name(role)) + " needs the unit"),
              std::string::npos)
        << s.error().message;
    EXPECT_NE(s.error().message.find("--unit"), std::string::npos) << s.error().message;
    EXPECT_TRUE(check_new_user(role, "unit_a1", pw));
    EXPECT_TRUE(check_new_user(role, "county", pw)) << "the county, when named explicitly, is fine";
  }
  for (Role role : {Role::admin, Role::cx_specialist, Role::analyst, Role::integration}) {
    EXPECT_TRUE(check_new_user(role, "", pw)) << domain::role_name(role);
  }
}

TEST(NewUserPolicy, PasswordsNeedTwelveCharacters) {
  auto s = check_new_user(Role::analyst, "", "short-pw-11");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "password: must be at least 12 characters long (got 11)");
  EXPECT_TRUE(check_new_user(Role::analyst, "", "twelve-chars"));
}

class TokenLifetimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(add_user(*fx.store, fx.model, "maija", Role::analyst, "", "correct horse battery",
                         security::PasswordCost::minimal()));
  }
  kaiku::testing::Fixture fx;
};

TEST_F(TokenLifetimeTest, DefaultExpiryIs365Days) {
  auto token = issue_token(*fx.store, "maija", fx.random, fx.clock);
  ASSERT_TRUE(token) << token.error().message;
  const std::string hash = security::sha256_hex(*token);
  const TimePoint issued = fx.clock.now();
  EXPECT_TRUE(fx.store->users().user_for_token(hash, issued + std::chrono::hours(24 * 365) - std::chrono::milliseconds(1)));
  EXPECT_FALSE(fx.store->users().user_for_token(hash, issued + std::chrono::hours(24 * 365)));
}

TEST_F(TokenLifetimeTest, TtlMustBeOneHourToTenYears) {
  EXPECT_TRUE(issue_token(*fx.store, "maija", fx.random, fx.clock, std::chrono::hours(1)));
  EXPECT_TRUE(issue_token(*fx.store, "maija", fx.random, fx.clock, kMaxTokenTtl));
  for (auto bad : {std::chrono::hours(0), std::chrono::hours(-5), kMaxTokenTtl + std::chrono::hours(1)}) {
    auto t = issue_token(*fx.store, "maija", fx.random, fx.clock, bad);
    ASSERT_FALSE(t) << bad.count();
    EXPECT_EQ(t.error().kind, ErrorKind::invalid_input);
  }
  EXPECT_EQ(kDefaultTokenTtl, std::chrono::hours(24 * 365));
  EXPECT_EQ(kMaxTokenTtl, std::chrono::hours(24 * 3650));
}

}  // namespace
}  // namespace kaiku::service
