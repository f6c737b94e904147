#include "channels/sms/kannel_callbacks.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kaiku::channels::sms {
namespace {

TEST(KannelDlr, ParsesDeliveredReport) {
  auto r =
      parse_dlr_query("ref=ob42-1&status=1&answer=id%3A0123+sub%3A001+dlvrd%3A001+stat%3ADELIVRD+err%3A000");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->reference, "ob42-1");
  EXPECT_EQ(r->status, kDlrDelivered);
  EXPECT_EQ(r->answer, "id:0123 sub:001 dlvrd:001 stat:DELIVRD err:000");
  EXPECT_TRUE(dlr_is_final(r->status));
}

TEST(KannelDlr, LeadingQuestionMarkAndMissingAnswer) {
  auto r = parse_dlr_query("?status=8&ref=abc_DEF-9");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->reference, "abc_DEF-9");
  EXPECT_EQ(r->status, kDlrSmscAccepted);
  EXPECT_EQ(r->answer, "");
  EXPECT_FALSE(dlr_is_final(r->status));
}

TEST(KannelDlr, AllKannelTypes) {
  for (int s : {1, 2, 4, 8, 16}) {
    auto r = parse_dlr_query("ref=x&status=" + std::to_string(s) + "&answer=");
    ASSERT_TRUE(r) << s;
    EXPECT_EQ(r->status, s);
  }
  EXPECT_TRUE(dlr_is_final(kDlrFailed));
  EXPECT_TRUE(dlr_is_final(kDlrSmscRejected));
  EXPECT_FALSE(dlr_is_final(kDlrBuffered));
}

TEST(KannelDlr, ErrorsNameTheParameter) {
  auto r = parse_dlr_query("status=1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(r.error().message, "delivery report: parameter 'ref' is missing");

  r = parse_dlr_query("ref=x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "delivery report: parameter 'status' is missing");

  for (const char* q :
       {"ref=x&status=3", "ref=x&status=", "ref=x&status=1a", "ref=x&status=-1", "ref=x&status=0001"}) {
    r = parse_dlr_query(q);
    ASSERT_FALSE(r) << q;
    EXPECT_NE(r.error().message.find("'status'"), std::string::npos) << q;
  }
  r = parse_dlr_query("ref=a%20b&status=1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'ref'"), std::string::npos);
  r = parse_dlr_query("ref=&status=1");
  ASSERT_FALSE(r);
  r = parse_dlr_query("ref=" + std::string(65, 'a') + "&status=1");
  ASSERT_FALSE(r);
  r = parse_dlr_query("ref=a&ref=b&status=1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "delivery report: parameter 'ref' is given more than once");
  r = parse_dlr_query("ref=a&status=1&answer=%ZZ");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not valid"), std::string::npos);
}

TEST(KannelDlr, AnswerIsSanitisedAndCapped) {
  auto r = parse_dlr_query("ref=a&status=2&answer=bad%FFbyte");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->answer,
            "bad\xEF\xBF\xBD"
            "byte");
  r = parse_dlr_query("ref=a&status=2&answer=" + std::string(600, 'x'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->answer.size(), 512u);
}

TEST(KannelMo, ParsesReply) {
  auto r = parse_mo_query(
      "from=%2B358401234567&to=Kaiku&text=9+hyv%C3%A4+palvelu&id=1b4e28ba-2fa1-11d2-883f-0016d3cca427&"
      "charset=UTF-8");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "+358401234567");
  EXPECT_EQ(r->to, "Kaiku");
  EXPECT_EQ(r->text, "9 hyvä palvelu");
  EXPECT_EQ(r->id, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
}

TEST(KannelMo, OptionalParametersAndEmptyText) {
  auto r = parse_mo_query("?from=358401234567&text=");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "358401234567");
  EXPECT_EQ(r->to, "");
  EXPECT_EQ(r->text, "");
  EXPECT_EQ(r->id, "");
  r = parse_mo_query("from=0401234567&text");  // key without '='
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "");
}

TEST(KannelMo, RawPlusInFromIsRestored) {
  // get-url without %-escaping of '+': "from=+358..." decodes as " 358...".
  auto r = parse_mo_query("from=+358401234567&text=9");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "+358401234567");
  r = parse_mo_query("from=%20358401234567%20&text=9");  // same, plus a trailing blank
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "+358401234567");
  r = parse_mo_query("from=0401234567+&text=9");  // trailing blank only: trimmed
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->from, "0401234567");
  // Blanks inside the number, or a blank and nothing else, stay errors.
  EXPECT_FALSE(parse_mo_query("from=+358+401234567&text=9"));
  EXPECT_FALSE(parse_mo_query("from=+&text=9"));
}

TEST(KannelMo, PlusInTextIsEncodedAndSpacesArePlus) {
  auto r = parse_mo_query("from=358401234567&text=9%2B+%E2%82%AC%0Arivi");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "9+ €\nrivi");
}

TEST(KannelMo, ConvertsOtherCharsets) {
  auto r = parse_mo_query("from=358401234567&text=hyv%E4&charset=ISO-8859-1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "hyvä");
  // "ä€🙂" in UTF-16BE
  r = parse_mo_query("from=358401234567&text=%00%E4%20%AC%D8%3D%DE%42&charset=UTF-16BE");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->text, "ä€🙂");
  r = parse_mo_query("from=358401234567&text=%00%E4%20&charset=UTF-16BE");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'text'"), std::string::npos);
  r = parse_mo_query("from=358401234567&text=%D8%3D&charset=utf-16be");
  ASSERT_FALSE(r);
  r = parse_mo_query("from=358401234567&text=x&charset=KOI8-R");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'charset'"), std::string::npos);
}

TEST(KannelMo, ErrorsNeverEchoTheNumber) {
  auto r = parse_mo_query("text=9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "MO message: parameter 'from' is missing");

  r = parse_mo_query("from=040+123+4567x&text=9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "MO message: parameter 'from' is not a phone number (digits with an optional leading '+')");
  EXPECT_EQ(r.error().message.find("4567"), std::string::npos);

  r = parse_mo_query("from=358401234567");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "MO message: parameter 'text' is missing");

  r = parse_mo_query("from=358401234567&text=hyv%E4");  // Latin-1 byte without charset
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("mo-recode"), std::string::npos);
  EXPECT_EQ(r.error().message.find("358401234567"), std::string::npos);

  r = parse_mo_query("from=358401234567&from=358401234568&text=9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("35840123456"), std::string::npos);

  r = parse_mo_query("from=358401234567&to=%0A&text=9");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'to'"), std::string::npos);

  r = parse_mo_query("from=358401234567&text=a b");  // raw space: not a valid query
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("358401234567"), std::string::npos);
}

TEST(KannelMo, TooLongText) {
  auto r = parse_mo_query("from=358401234567&text=" + std::string(16 * 1024 + 1, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
}

}  // namespace
}  // namespace kaiku::channels::sms
