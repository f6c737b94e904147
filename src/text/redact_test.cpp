// Unit tests of the rule-based redaction: each kind, its hard negatives, inflected
// forms, overlaps and invalid UTF-8. All identity codes and account numbers are
// invented (checksums computed for these tests).
#include "text/redact.hpp"

#include "base/encoding.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace kaiku::text {
namespace {

std::string R(std::string_view s) {
  Redacted r = redact(s);
  EXPECT_TRUE(r.valid_utf8) << s;
  return r.text;
}

// ---------------------------------------------------------------- hetu

TEST(HetuTest, ValidatesChecksumDateAndSign) {
  EXPECT_TRUE(is_valid_hetu("040679-3215"));
  EXPECT_FALSE(is_valid_hetu("040679-3216"));   // wrong check character
  EXPECT_TRUE(is_valid_hetu("290200A4550"));    // 2000 was a leap year
  EXPECT_FALSE(is_valid_hetu("290201A4558"));   // 29.2.2001 does not exist
  EXPECT_FALSE(is_valid_hetu("310480-123U"));   // 31 April
  EXPECT_FALSE(is_valid_hetu("040679G3215"));   // G is not a century sign
  EXPECT_FALSE(is_valid_hetu("040679-0015"));   // individual numbers start at 002
  EXPECT_TRUE(is_valid_hetu("301144u612a"));    // lower-case accepted
}

TEST(HetuTest, EveryCenturySignIncludingThe2023Ones) {
  for (const char* code : {"010101+2348", "040679-3215", "150801B123B", "290200A4550",
                           "030310C111H", "030310D2223", "030310E333N", "050303F9181",
                           "301144U612A", "170768V2507", "090999W404M", "120477X808W",
                           "211285Y7777"}) {
    std::string text = std::string("Hetuni on ") + code + ", soittakaa.";
    EXPECT_EQ(R(text), "Hetuni on [hetu], soittakaa.") << code;
  }
}

TEST(HetuTest, InflectedLowerCaseAndSpacedSign) {
  EXPECT_EQ(R("Tarkistakaa 040679-3215:n tiedot"), "Tarkistakaa [hetu]:n tiedot");
  EXPECT_EQ(R("tunnus 301144u612a"), "tunnus [hetu]");
  EXPECT_EQ(R("tunnus 040679 - 3215 on oikein"), "tunnus [hetu] on oikein");
  EXPECT_EQ(R("Mitt personnummer är 170768V2507."), "Mitt personnummer är [hetu].");
  // A dash typed for the '-' sign (en dash, minus, non-breaking hyphen).
  EXPECT_EQ(R("hetu 040679\u20133215 ok"), "hetu [hetu] ok");
  EXPECT_EQ(R("hetu 040679 \u2212 3215 ok"), "hetu [hetu] ok");
  EXPECT_EQ(R("hetu 040679\u20113215"), "hetu [hetu]");
  // The dash stands for '-' only: a wrong check character stays wrong.
  EXPECT_EQ(R("hetu 040679\u20133216 ok"), "hetu 040679\u20133216 ok");
  // A dash between a date and a time range is not a sign.
  EXPECT_EQ(R("12.03.2026 klo 08\u201309"), "12.03.2026 klo 08\u201309");
}

TEST(HetuTest, WrongChecksumIsNotAHetuUnlessAskedFor) {
  EXPECT_EQ(R("viite 040679-3216 maksettu"), "viite 040679-3216 maksettu");
  RedactOptions o;
  o.hetu_without_checksum = true;
  EXPECT_EQ(redact("viite 040679-3216 maksettu", o).text, "viite [hetu] maksettu");
  // Not even lenient mode takes an impossible date.
  EXPECT_EQ(redact("koodi 310480-123U", o).text, "koodi 310480-123U");
}

TEST(HetuTest, NotInsideLongerTokens) {
  EXPECT_EQ(R("X040679-3215"), "X040679-3215");
  EXPECT_EQ(R("1040679-3215"), "1040679-3215");
  EXPECT_EQ(R("040679-3215X2"), "040679-3215X2");
}

// ---------------------------------------------------------------- phone

TEST(PhoneTest, FinnishFormats) {
  for (const char* p : {"+358 40 123 4567", "+358401234567", "+358 (0)40 123 4567", "040-1234567",
                        "040 123 4567", "0401234567", "09 123 456", "09-1234 567", "(09) 123 4567",
                        "020 634 0000", "0800 123 456", "050 123 45 67", "00358 40 123 4567",
                        "040/1234567", "+46 8 123 456 78", "045 12345678"}) {
    EXPECT_EQ(R(std::string("Soita ") + p + " kiitos"), "Soita [puhelin] kiitos") << p;
  }
}

TEST(PhoneTest, InflectedAndPunctuated) {
  EXPECT_EQ(R("Soitin 040-1234567:ään kolme kertaa."), "Soitin [puhelin]:ään kolme kertaa.");
  EXPECT_EQ(R("numero (09) 123 4567."), "numero [puhelin].");
  EXPECT_EQ(R("nro:0401234567"), "nro:[puhelin]");
}

TEST(PhoneTest, DatesTimesAmountsAndCountsSurvive) {
  for (const char* s : {"Kävin 12.3.2026 klo 10.30.", "Aika oli 01.03.2026 kello 08:15",
                        "maksoin 150 € ja 45,50 euroa", "odotin 2 tuntia ja 45 minuuttia",
                        "vuonna 2025 ja 2026", "03-12-2026 oli huono päivä", "03/12/2026",
                        "klo 08-16 auki", "0,5 mg lääkettä", "huone 012", "Hinta 0 €",
                        "tunnit 1 2 3 4 5 6 7 8", "Ref 0012345"}) {
    EXPECT_EQ(R(s), s);
  }
}

TEST(PhoneTest, DotSeparatedButNotTimes) {
  EXPECT_EQ(R("Numero 044.765.4321 on oikea"), "Numero [puhelin] on oikea");
  EXPECT_EQ(R("odotin 08.15-09.30 ja 09.15 - 11.45"), "odotin 08.15-09.30 ja 09.15 - 11.45");
}

TEST(PhoneTest, TrailingCountIsNotSwallowed) {
  EXPECT_EQ(R("soitin 09 123 456 15 kertaa"), "soitin [puhelin] 15 kertaa");
  EXPECT_EQ(R("soitin 040 1234567 14 kertaa"), "soitin [puhelin] 14 kertaa");
}

// ---------------------------------------------------------------- email

TEST(EmailTest, FindsAddresses) {
  EXPECT_EQ(R("laita viestiä matti.meikalainen@example.fi, kiitos"), "laita viestiä [email], kiitos");
  EXPECT_EQ(R("Mejla anna-lena+kaiku@post.example.se."), "Mejla [email].");
  EXPECT_EQ(R("<pääkäyttäjä@esimerkki.fi>"), "<[email]>");
  EXPECT_EQ(R("sähköposti: a@b.co:lle"), "sähköposti: [email]:lle");
}

TEST(EmailTest, FindsAddressesWithTheAtOrDotWrittenOut) {
  EXPECT_EQ(R("Ottakaa yhteyttä etunimi.sukunimi(at)hyvinvointialue.fi kiitos"), "Ottakaa yhteyttä [email] kiitos");
  EXPECT_EQ(R("matti.virtanen (at) example.fi:hin"), "[email]:hin");
  EXPECT_EQ(R("Skriv till anna [at] example [dot] se."), "Skriv till [email].");
  EXPECT_EQ(R("mail me: john at example dot com"), "mail me: [email]");
  EXPECT_EQ(R("john.smith at example.co.uk thanks"), "[email] thanks");
  EXPECT_EQ(R("liisa(ät)posti.fi tai LIISA(AT)POSTI(DOT)FI"), "[email] tai [email]");
  EXPECT_EQ(R("osoite pekka piste makinen (miukumauku) esimerkki piste fi"), "osoite [email]");
  EXPECT_EQ(R("anna dot berg at example dot se"), "[email]");
}

TEST(EmailTest, WrittenOutMarkersNeedAnAddressAroundThem) {
  // A bare "at" is an everyday word: a website named after it is not an address.
  EXPECT_EQ(R("I booked at omaolo.fi and it worked"), "I booked at omaolo.fi and it worked");
  EXPECT_EQ(R("we met at noon. Then"), "we met at noon. Then");
  EXPECT_EQ(R("Look at this (at) all"), "Look at this (at) all");
  EXPECT_EQ(R("paid at the desk dot"), "paid at the desk dot");
  EXPECT_EQ(R("x (at) y.1"), "x (at) y.1");
  EXPECT_EQ(R("(at)example.fi"), "(at)example.fi");
}

TEST(EmailTest, NotEmail) {
  EXPECT_EQ(R("tavataan @ 10"), "tavataan @ 10");
  EXPECT_EQ(R("user@localhost"), "user@localhost");
  EXPECT_EQ(R("foo@bar.1"), "foo@bar.1");
}

// ---------------------------------------------------------------- iban

TEST(IbanTest, ValidatesMod97AndLength) {
  EXPECT_TRUE(is_valid_iban("FI4357990000123456"));
  EXPECT_TRUE(is_valid_iban("FI43 5799 0000 1234 56"));
  EXPECT_FALSE(is_valid_iban("FI4457990000123456"));
  EXPECT_FALSE(is_valid_iban("FI435799000012345"));  // too short for FI
  EXPECT_TRUE(is_valid_iban("SE7680000081234567890123"));
  EXPECT_TRUE(is_valid_iban("gb29nwbk60161331926819"));
}

TEST(IbanTest, FoundWithAndWithoutSpaces) {
  EXPECT_EQ(R("Palauttakaa rahat tilille FI43 5799 0000 1234 56 kiitos"),
            "Palauttakaa rahat tilille [iban] kiitos");
  EXPECT_EQ(R("tili FI5540500012345678."), "tili [iban].");
  EXPECT_EQ(R("konto SE76 8000 0081 2345 6789 0123, tack"), "konto [iban], tack");
  EXPECT_EQ(R("account GB29 NWBK 6016 1331 9268 19"), "account [iban]");
  EXPECT_EQ(R("tilille FI43 5799 0000 1234 56:een"), "tilille [iban]:een");
}

TEST(IbanTest, OneCaseOnlyMixedCaseTokensAreNotIbans) {
  // "mz2184Pctx6AzMkNIbqZw" passes mod-97 (MZ is not in the length table) but is a
  // random key, not an account number.
  ASSERT_TRUE(is_valid_iban("mz2184Pctx6AzMkNIbqZw"));
  EXPECT_EQ(R("term--mz2184Pctx6AzMkNIbqZw"), "term--mz2184Pctx6AzMkNIbqZw");
  EXPECT_EQ(R("tilille fi43 5799 0000 1234 56"), "tilille [iban]");
}

TEST(IbanTest, WrongChecksumNotRedactedAsIban) {
  EXPECT_EQ(R("tili FI44 5799 0000 1234 56"), "tili FI44 5799 0000 1234 56");
}

// ---------------------------------------------------------------- address

TEST(AddressTest, FinnishAndSwedishStreets) {
  EXPECT_EQ(R("Asun osoitteessa Kauppakatu 5 B 12, tulkaa"), "Asun osoitteessa [osoite], tulkaa");
  EXPECT_EQ(R("Mannerheimintie 10 A on väärä"), "[osoite] on väärä");
  EXPECT_EQ(R("Jag bor på Storgatan 3 i Vasa"), "Jag bor på [osoite] i Vasa");
  EXPECT_EQ(R("toimipiste Hämeenkatu 12:ssa"), "toimipiste [osoite]:ssa");
  EXPECT_EQ(R("Asematie 3:n pysäkki"), "[osoite]:n pysäkki");
  EXPECT_EQ(R("Kauppakatu 5:ssä"), "[osoite]:ssä");
  EXPECT_EQ(R("Koivukuja 4b"), "[osoite]");
  EXPECT_EQ(R("Rantapolku 7 as. 3 on kotini"), "[osoite] on kotini");
  EXPECT_EQ(R("Sjövägen 14 lgh 1102"), "[osoite]");
  EXPECT_EQ(R("Tullivuorentie 2-4"), "[osoite]");
}

TEST(AddressTest, InflectedStreetNamesAndPrefixes) {
  EXPECT_EQ(R("Asun Hämeenkadulla 12 ja"), "Asun [osoite] ja");
  EXPECT_EQ(R("Mannerheimintien 10 B kohdalla"), "[osoite] kohdalla");
  EXPECT_EQ(R("Osoite Pohjoinen Rautatiekatu 5, Helsinki."), "Osoite [osoite], Helsinki.");
  EXPECT_EQ(R("Min adress är Norra Esplanaden 4 i Jakobstad."), "Min adress är [osoite] i Jakobstad.");
  EXPECT_EQ(R("Bulevardi 10 A 3"), "[osoite]");
  EXPECT_EQ(R("Asun Isokatu 3 a 5, ovikello"), "Asun [osoite], ovikello");
  EXPECT_EQ(R("Isokatu 3 a bussilla"), "[osoite] a bussilla");
}

TEST(AddressTest, PostcodeAndTown) {
  EXPECT_EQ(R("Kauppakatu 5, 00100 Helsinki."), "[osoite].");
  EXPECT_EQ(R("Storgatan 3 65100 Vasa"), "[osoite]");
  RedactOptions o;
  o.address_postcode = false;
  EXPECT_EQ(redact("Kauppakatu 5, 00100 Helsinki", o).text, "[osoite], 00100 Helsinki");
}

TEST(AddressTest, NotAddresses) {
  for (const char* s : {"tie 5 oli liukas", "Tie 5 kilometriä", "kauppakatu 5", "Kauppakatu oli suljettu",
                        "Hämeenkadulla oli ruuhkaa", "Kauppatori 2026", "Storgatan 0",
                        "Asematie 12345 metriä"}) {
    EXPECT_EQ(R(s), s);
  }
}

// ---------------------------------------------------------------- general

TEST(RedactTest, FindingsHaveOffsetsAndKinds) {
  std::string in = "hetu 040679-3215 ja puh 040 123 4567 ja a@b.fi";
  Redacted r = redact(in);
  ASSERT_EQ(r.findings.size(), 3u);
  EXPECT_EQ(r.findings[0].kind, PiiKind::hetu);
  EXPECT_EQ(in.substr(r.findings[0].begin, r.findings[0].end - r.findings[0].begin), "040679-3215");
  EXPECT_EQ(r.findings[1].kind, PiiKind::phone);
  EXPECT_EQ(in.substr(r.findings[1].begin, r.findings[1].end - r.findings[1].begin), "040 123 4567");
  EXPECT_EQ(r.findings[2].kind, PiiKind::email);
  EXPECT_EQ(r.text, "hetu [hetu] ja puh [puhelin] ja [email]");
}

TEST(RedactTest, OptionsSwitchKindsOff) {
  RedactOptions o;
  o.phone = false;
  EXPECT_EQ(redact("puh 040 123 4567", o).text, "puh 040 123 4567");
}

TEST(RedactTest, InvalidUtf8IsReportedNotPassedThrough) {
  for (std::string bad : {std::string("abc\xFF"), std::string("k\xC3"), std::string("\xE0\x80\x80"),
                          std::string("\xED\xA0\x80"), std::string("\xC0\xAF")}) {
    Redacted r = redact(bad);
    EXPECT_FALSE(r.valid_utf8);
    EXPECT_TRUE(r.text.empty());
    EXPECT_NE(r.error.find("invalid UTF-8 at byte"), std::string::npos);
  }
  EXPECT_EQ(find_invalid_utf8("ok äö 😀"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
}

TEST(RedactTest, NonAsciiAroundFindingsStaysIntact) {
  EXPECT_EQ(R("Hyvä että näin: 040 123 4567 – ääni"), "Hyvä että näin: [puhelin] – ääni");
  EXPECT_EQ(R("ÅÄÖ 040679-3215 åäö"), "ÅÄÖ [hetu] åäö");
  EXPECT_EQ(R(""), "");
}

TEST(RedactTest, OverlapLongestWins) {
  // The IBAN's digit groups must not also become a phone number.
  EXPECT_EQ(R("FI43 5799 0000 1234 56"), "[iban]");
  // A hetu is not a phone number.
  EXPECT_EQ(R("040679-3215"), "[hetu]");
}

TEST(RedactTest, RandomTrickyInputKeepsInvariants) {
  // Deterministic pseudo-random strings from the characters the passes care about;
  // run under the sanitizers this catches out-of-bounds reads. Invariants: valid UTF-8
  // out, findings sorted and disjoint, every finding on code-point boundaries.
  const std::vector<std::string> alphabet = {"0", "1", "4", "9", " ", "-", "+", "@", ".", ":", "(", ")",
                                             "/", "A", "B", "F", "I", "a", "x", "\xC3\xA4", "\xC3\x84",
                                             "\xC2\xA0", "katu ", "gatan ", "358", "040", "fi", ","};
  std::mt19937 rng(6);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string in;
    int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) in += alphabet[rng() % alphabet.size()];
    Redacted r = redact(in);
    ASSERT_TRUE(r.valid_utf8) << in;
    EXPECT_EQ(find_invalid_utf8(r.text), std::string_view::npos) << in;
    for (std::size_t k = 0; k < r.findings.size(); ++k) {
      const Finding& f = r.findings[k];
      ASSERT_LT(f.begin, f.end);
      ASSERT_LE(f.end, in.size());
      if (k > 0) {
        EXPECT_LE(r.findings[k - 1].end, f.begin);
      }
      EXPECT_NE(static_cast<unsigned char>(in[f.begin]) & 0xC0, 0x80u) << in;
      if (f.end < in.size()) {
        EXPECT_NE(static_cast<unsigned char>(in[f.end]) & 0xC0, 0x80u) << in;
      }
    }
  }
}

}  // namespace
}  // namespace kaiku::text
