#include "domain/sms_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kaiku::domain {
namespace {

TEST(SmsText, Gsm7AlphabetIncludesNordicLettersAndExtensionTable) {
  EXPECT_TRUE(fits_gsm7(""));
  EXPECT_TRUE(fits_gsm7("Kiitos käynnistä! Miten onnistuimme? Vastaa 0-10."));
  EXPECT_TRUE(fits_gsm7("äöåÄÖÅéÉüÜñÑàèùìòÇØøÆæß"));
  EXPECT_TRUE(fits_gsm7("@£$¥§¡¿¤"));
  EXPECT_TRUE(fits_gsm7("€[]{}~^\\|"));
  EXPECT_TRUE(fits_gsm7("ΔΦΓΛΩΠΨΣΘΞ"));
  EXPECT_TRUE(fits_gsm7("rivi 1\nrivi 2\r\n"));
}

TEST(SmsText, CharactersOutsideGsm7) {
  EXPECT_FALSE(fits_gsm7("0–10"));         // en dash
  EXPECT_FALSE(fits_gsm7("“lainaus”"));    // curly quotes
  EXPECT_FALSE(fits_gsm7("kiitos 🙂"));  // emoji
  EXPECT_FALSE(fits_gsm7("ç"));            // only the capital Ç is in the table
  EXPECT_FALSE(fits_gsm7("á"));
  EXPECT_FALSE(fits_gsm7("`"));
  EXPECT_FALSE(fits_gsm7("tab\there"));
  EXPECT_FALSE(fits_gsm7("Ω but not ω"));
}

TEST(SmsText, InvalidUtf8IsNotGsmAndDoesNotCrash) {
  EXPECT_FALSE(fits_gsm7("abc\xFF"));
  EXPECT_FALSE(fits_gsm7("\xC3"));          // truncated ä
  EXPECT_FALSE(fits_gsm7("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(fits_gsm7("\xED\xA0\x80"));  // surrogate
  const SmsParts p = measure_sms("ab\xFF");
  EXPECT_FALSE(p.gsm7);
  EXPECT_EQ(p.characters, 3);
  EXPECT_EQ(gsm7_safe("a\xFF"
                      "b\xE2\x80"),
            "ab");
}

TEST(SmsText, MeasureGsm7SinglePartLimits) {
  EXPECT_EQ(measure_sms("").parts, 1);
  EXPECT_EQ(measure_sms("").characters, 0);
  const std::string s160(160, 'a');
  SmsParts p = measure_sms(s160);
  EXPECT_TRUE(p.gsm7);
  EXPECT_EQ(p.characters, 160);
  EXPECT_EQ(p.parts, 1);
  p = measure_sms(s160 + "a");
  EXPECT_EQ(p.characters, 161);
  EXPECT_EQ(p.parts, 2);
  EXPECT_EQ(measure_sms(std::string(306, 'a')).parts, 2);
  EXPECT_EQ(measure_sms(std::string(307, 'a')).parts, 3);
}

TEST(SmsText, ExtensionCharactersCountTwoSeptets) {
  SmsParts p = measure_sms("€");
  EXPECT_TRUE(p.gsm7);
  EXPECT_EQ(p.characters, 2);
  p = measure_sms(std::string(158, 'a') + "{");
  EXPECT_EQ(p.characters, 160);
  EXPECT_EQ(p.parts, 1);
  p = measure_sms(std::string(159, 'a') + "{");
  EXPECT_EQ(p.characters, 161);
  EXPECT_EQ(p.parts, 2);
  // An escape pair is never split: 152 septets + "€" does not fit in 153.
  p = measure_sms(std::string(152, 'a') + "€" + std::string(10, 'b'));
  EXPECT_EQ(p.characters, 164);
  EXPECT_EQ(p.parts, 2);
  p = measure_sms(std::string(152, 'a') + "€" + std::string(152, 'b'));
  EXPECT_EQ(p.characters, 306);
  EXPECT_EQ(p.parts, 3);  // 152 | € + 151 | 1
}

TEST(SmsText, Ucs2Limits) {
  std::string s;
  for (int i = 0; i < 70; ++i) s += "–";
  SmsParts p = measure_sms(s);
  EXPECT_FALSE(p.gsm7);
  EXPECT_EQ(p.characters, 70);
  EXPECT_EQ(p.parts, 1);
  p = measure_sms(s + "a");
  EXPECT_EQ(p.characters, 71);
  EXPECT_EQ(p.parts, 2);
  std::string t;
  for (int i = 0; i < 134; ++i) t += "ä";
  EXPECT_EQ(measure_sms(t + "–").parts, 3);  // 135 units: 67 + 67 + 1
  EXPECT_EQ(measure_sms(t.substr(0, 2 * 133) + "–").parts, 2);
}

TEST(SmsText, EmojiCountsTwoUtf16Units) {
  SmsParts p = measure_sms("🙂");
  EXPECT_FALSE(p.gsm7);
  EXPECT_EQ(p.characters, 2);
  // 69 units + one emoji = 71 > 70; the surrogate pair is not split across parts
  std::string s(66, 'a');
  s += "–";
  s += "🙂";
  s += "bb";
  p = measure_sms(s);
  EXPECT_EQ(p.characters, 71);
  EXPECT_EQ(p.parts, 2);
}

TEST(SmsText, MeasureAsForcedCoding) {
  SmsParts p = measure_sms_as("abc", true);
  EXPECT_FALSE(p.gsm7);
  EXPECT_EQ(p.characters, 3);
  p = measure_sms_as("a–b", false);  // en dash would go as '?'
  EXPECT_TRUE(p.gsm7);
  EXPECT_EQ(p.characters, 3);
}

TEST(SmsText, Gsm7SafeReplacesTypography) {
  EXPECT_EQ(gsm7_safe("Vastaa 0–10 — kiitos"), "Vastaa 0-10 - kiitos");
  EXPECT_EQ(gsm7_safe("“Hyvä” ja ‘paha’"), "\"Hyvä\" ja 'paha'");
  EXPECT_EQ(gsm7_safe("Odota…"), "Odota...");
  EXPECT_EQ(gsm7_safe("10\xC2\xA0km"), "10 km");  // no-break space
  EXPECT_EQ(gsm7_safe("a\xE2\x80\xAF"
                      "b"),
            "a b");  // narrow no-break space
  EXPECT_EQ(gsm7_safe("tie\xC2\xAD"
                      "to"),
            "tieto");                              // soft hyphen
  EXPECT_EQ(gsm7_safe("\xEF\xBB\xBFHei"), "Hei");  // BOM
  EXPECT_EQ(gsm7_safe("«Bra»"), "\"Bra\"");
  EXPECT_EQ(gsm7_safe("it`s"), "it's");
  EXPECT_TRUE(fits_gsm7(gsm7_safe("Arvioi 0–10: “kuinka todennäköisesti…”")));
}

TEST(SmsText, Gsm7SafeKeepsOtherCharacters) {
  EXPECT_EQ(gsm7_safe("äöå € 🙂 ç"), "äöå € 🙂 ç");
  EXPECT_FALSE(fits_gsm7(gsm7_safe("kiitos 🙂")));
  EXPECT_EQ(gsm7_safe(""), "");
}

TEST(SmsText, NormaliseFinnishForms) {
  for (const char* raw :
       {"040 123 4567", "0401234567", "+358 40 1234567", "00358401234567", "358401234567", "040-123 4567",
        "(040) 123 4567", "+358 (0)40 123 4567", "  +358-40-123-4567  ", "040/1234567", "+358.40.1234567"}) {
    EXPECT_EQ(normalise_msisdn(raw), "+358401234567") << raw;
  }
}

TEST(SmsText, NormaliseOtherCountriesAndDefaults) {
  EXPECT_EQ(normalise_msisdn("+46 70 123 45 67"), "+46701234567");
  EXPECT_EQ(normalise_msisdn("0046701234567"), "+46701234567");
  EXPECT_EQ(normalise_msisdn("070-123 45 67", "46"), "+46701234567");
  EXPECT_EQ(normalise_msisdn("+1 (202) 555-0123"), "+12025550123");
}

TEST(SmsText, NormaliseRejectsImplausible) {
  EXPECT_EQ(normalise_msisdn(""), "");
  EXPECT_EQ(normalise_msisdn("   "), "");
  EXPECT_EQ(normalise_msisdn("abc"), "");
  EXPECT_EQ(normalise_msisdn("040 123 456x"), "");
  EXPECT_EQ(normalise_msisdn("401234567"), "");             // no prefix: ambiguous
  EXPECT_EQ(normalise_msisdn("040 123"), "");               // too short
  EXPECT_EQ(normalise_msisdn("+358 40 123456789012"), "");  // too long
  EXPECT_EQ(normalise_msisdn("+0401234567"), "");
  EXPECT_EQ(normalise_msisdn("+35804 0123456"), "");  // 0 after the country code
  EXPECT_EQ(normalise_msisdn("+1234567"), "");        // 7 digits in all
  EXPECT_EQ(normalise_msisdn("++358401234567"), "");
  EXPECT_EQ(normalise_msisdn("040+1234567"), "");
  EXPECT_EQ(normalise_msisdn("0401234567", "x"), "");  // bad default country: national form refused
  EXPECT_EQ(normalise_msisdn("+358401234567", "x"), "+358401234567");
  EXPECT_EQ(normalise_msisdn("040 12\xFF"
                             "34567"),
            "");
  EXPECT_EQ(normalise_msisdn("040 (0)1234567"), "");
}

TEST(SmsText, FinnishMobilePrefixes) {
  EXPECT_TRUE(is_finnish_mobile("+358401234567"));
  EXPECT_TRUE(is_finnish_mobile("+358441234567"));
  EXPECT_TRUE(is_finnish_mobile("+358451234567"));
  EXPECT_TRUE(is_finnish_mobile("+358461234567"));
  EXPECT_TRUE(is_finnish_mobile("+358501234567"));
  EXPECT_TRUE(is_finnish_mobile("+3584012345"));     // short old number
  EXPECT_FALSE(is_finnish_mobile("+35891234567"));   // Helsinki landline
  EXPECT_FALSE(is_finnish_mobile("+358201234567"));  // service number
  EXPECT_FALSE(is_finnish_mobile("+358511234567"));  // 051 is not mobile
  EXPECT_FALSE(is_finnish_mobile("+46701234567"));
  EXPECT_FALSE(is_finnish_mobile("0401234567"));
  EXPECT_FALSE(is_finnish_mobile("+35840123"));        // too short
  EXPECT_FALSE(is_finnish_mobile("+35840123456789"));  // too long
  EXPECT_FALSE(is_finnish_mobile("+358 40 1234567"));
  EXPECT_FALSE(is_finnish_mobile(""));
  EXPECT_TRUE(is_finnish_mobile(normalise_msisdn("050 123 4567")));
}

}  // namespace
}  // namespace kaiku::domain
