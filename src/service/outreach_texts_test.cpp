// SmsTexts: languages, the model's question texts, and 7-bit GSM where possible.
#include <gtest/gtest.h>

#include "domain/sms_text.hpp"
#include "service/outreach_internal.hpp"
#include "service/outreach_test_support.hpp"

namespace kaiku::service {
namespace {

using domain::Language;

class OutreachTextsTest : public ::testing::Test {
 protected:
  domain::Model model = kaiku::testing::outreach_model();
  const domain::Touchpoint& tp() { return *model.touchpoint("tp_sms"); }
};

TEST_F(OutreachTextsTest, FixedTextsInEachLanguageStayInGsm7) {
  for (Language lang : {Language::fi, Language::sv, Language::en, Language::fi_selko}) {
    for (const std::string& t :
         {SmsTexts::reprompt(lang), SmsTexts::thanks(lang), SmsTexts::opt_out_confirm(lang),
          SmsTexts::invite_reply(model, tp(), lang), SmsTexts::followup(model, tp(), lang),
          SmsTexts::invite_link(model, tp(), lang, "https://palaute.example.fi/i/abc")}) {
      EXPECT_FALSE(t.empty());
      EXPECT_TRUE(domain::fits_gsm7(t)) << t;
      EXPECT_EQ(t.find("\xE2\x80\x93"), std::string::npos) << "no en dash: " << t;
    }
  }
  EXPECT_EQ(SmsTexts::opt_out_confirm(Language::fi), "Et saa enää palautekyselyitä tähän numeroon.");
  EXPECT_EQ(SmsTexts::opt_out_confirm(Language::sv), "Du får inte längre enkäter till det här numret.");
  EXPECT_EQ(SmsTexts::opt_out_confirm(Language::en), "You will no longer get feedback surveys to this number.");
  EXPECT_EQ(SmsTexts::thanks(Language::fi_selko), SmsTexts::thanks(Language::fi));
  EXPECT_NE(SmsTexts::reprompt(Language::sv), SmsTexts::reprompt(Language::fi));
  EXPECT_NE(SmsTexts::reprompt(Language::en).find("0-10"), std::string::npos);
}

TEST_F(OutreachTextsTest, InvitationsCarryTheModelsQuestionAndTheLink) {
  domain::Survey* core = nullptr;
  for (auto& s : model.surveys) {
    if (s.id == "core") core = &s;
  }
  ASSERT_NE(core, nullptr);
  core->questions[0].text.texts[Language::fi] = "Kuinka todennäköisesti suosittelisit “meitä” ystävällesi?";
  core->questions[0].text.texts[Language::sv] = "Hur sannolikt skulle du rekommendera tjänsten till andra?";
  model.index();
  std::string fi = SmsTexts::invite_reply(model, tp(), Language::fi);
  EXPECT_NE(fi.find("Kuinka todennäköisesti suosittelisit \"meitä\" ystävällesi?"), std::string::npos) << fi;
  EXPECT_NE(fi.find("Vastaa numerolla 0-10"), std::string::npos) << fi;
  EXPECT_TRUE(domain::fits_gsm7(fi));
  std::string sv = SmsTexts::invite_reply(model, tp(), Language::sv);
  EXPECT_NE(sv.find("Hur sannolikt skulle du rekommendera tjänsten till andra?"), std::string::npos) << sv;
  EXPECT_NE(sv.find("SLUTA"), std::string::npos);

  const std::string url = "https://palaute.example.fi/i/AbC_123-xyz";
  std::string link = SmsTexts::invite_link(model, tp(), Language::en, url);
  EXPECT_NE(link.find(url), std::string::npos) << link;
  EXPECT_NE(link.find("STOP"), std::string::npos);
  domain::SmsParts parts = domain::measure_sms(link);
  EXPECT_TRUE(parts.gsm7);
  EXPECT_LE(parts.parts, 2);
}

TEST_F(OutreachTextsTest, TextsOutsideGsmAreKeptAndSentAsUcs2) {
  for (auto& t : model.touchpoints) {
    if (t.id == "tp_sms") t.name.texts[Language::fi] = "Хирургия";
  }
  model.index();
  std::string fi = SmsTexts::invite_reply(model, tp(), Language::fi);
  EXPECT_NE(fi.find("Хирургия"), std::string::npos);
  EXPECT_FALSE(domain::fits_gsm7(fi));
}

TEST_F(OutreachTextsTest, TheFollowUpAsksTheConfiguredOpenQuestion) {
  for (auto& s : model.surveys) {
    if (s.id == "core") s.questions.push_back(kaiku::testing::question("better", domain::QuestionType::open_text));
  }
  auto configure = [&](const std::string& key) {
    for (auto& t : model.touchpoints) {
      if (t.id == "tp_sms") t.sms.followup_question = key;
    }
    model.index();
  };
  configure("better");
  EXPECT_NE(SmsTexts::followup(model, tp(), Language::fi).find("better"), std::string::npos);
  ASSERT_NE(followup_question(model, tp()), nullptr);
  EXPECT_EQ(followup_question(model, tp())->key, "better");
  // Not an open question: the survey's first open question instead.
  configure("agree");
  EXPECT_EQ(followup_question(model, tp())->key, "open");
  configure("");
  EXPECT_EQ(followup_question(model, tp())->key, "open");
  EXPECT_NE(SmsTexts::followup(model, tp(), Language::en).find("open (en)"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::service
