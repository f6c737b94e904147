// ReplySender: replies by SMS through the outbox and the dispatcher, by e-mail into
// the mail outbox; limits, channels, privacy.
#include "service/reply_sender.hpp"

#include <gtest/gtest.h>

#include "domain/sms_text.hpp"
#include "service/outreach_test_support.hpp"
#include "storage/mail_store.hpp"

namespace kaiku::service {
namespace {

using testing::OutreachFixture;

domain::ContactRequest contact(std::string phone, std::string email) {
  domain::ContactRequest c;
  c.name = "Maija Meikäläinen";
  c.phone = std::move(phone);
  c.email = std::move(email);
  c.consent = true;
  return c;
}

struct ReplyFixture : OutreachFixture {
  ReplyFixture() { make(); }
  ReplySender sender(bool sms, bool email) {
    ReplyOptions o;
    o.email = email;
    return ReplySender(fx.model, *fx.store, sealer, fx.clock, sms ? svc.get() : nullptr, o);
  }
};

TEST(ReplySender, ChannelsFollowConfiguration) {
  ReplyFixture f;
  EXPECT_EQ(f.sender(true, true).channels(), (std::vector<std::string>{"sms", "email"}));
  EXPECT_EQ(f.sender(false, true).channels(), (std::vector<std::string>{"email"}));
  EXPECT_TRUE(f.sender(false, false).channels().empty());
  auto r = f.sender(false, false).send(7, contact("040 123 4567", "a@b.fi"), "sms", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  r = f.sender(false, false).send(7, contact("040 123 4567", "a@b.fi"), "email", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  r = f.sender(true, true).send(7, contact("040 123 4567", "a@b.fi"), "fax", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

TEST(ReplySender, SmsIsQueuedDurablyAndSentByTheDispatcherWithItsReference) {
  ReplyFixture f;
  ReplySender s = f.sender(true, false);
  auto r = s.send(7, contact("040 123 4567", ""), "sms", "Kiitos palautteesta – soitamme huomenna.", domain::Language::fi);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->channel, "sms");
  EXPECT_EQ(r->status, "queued");
  // In the outbox, sealed: neither the number nor the text is in the database.
  EXPECT_TRUE(testing::find_in_database(f.db_file(), testing::kMobileE164).empty());
  EXPECT_TRUE(testing::find_in_database(f.db_file(), "soitamme").empty());
  auto counts = f.repo().count_messages_by_state();
  ASSERT_TRUE(counts);
  EXPECT_EQ((*counts)[static_cast<int>(storage::OutboxState::pending)], 1);

  testing::RecordingGateway gw;
  DispatchStats st = f.svc->dispatch_once(gw, 10);
  EXPECT_EQ(st.sent, 1);
  ASSERT_EQ(gw.sent.size(), 1u);
  EXPECT_EQ(gw.sent[0].to, testing::kMobileE164);
  // The en dash became '-', so the text stays in 7-bit GSM.
  EXPECT_EQ(gw.sent[0].text, "Kiitos palautteesta - soitamme huomenna.");
  EXPECT_EQ(gw.sent[0].coding, SmsCoding::gsm7);
  // Delivery reports find it by its reference.
  EXPECT_TRUE(f.svc->on_delivery_report(gw.sent[0].reference, 1));
  counts = f.repo().count_messages_by_state();
  EXPECT_EQ((*counts)[static_cast<int>(storage::OutboxState::delivered)], 1);
}

TEST(ReplySender, SmsAtMostThreeParts) {
  ReplyFixture f;
  ReplySender s = f.sender(true, false);
  const std::string gsm_max(459, 'a');  // 3 x 153
  EXPECT_TRUE(s.send(7, contact("0401234567", ""), "sms", gsm_max, domain::Language::fi));
  auto r = s.send(7, contact("0401234567", ""), "sms", gsm_max + "a", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(r.error().message.find("4 SMS parts"), std::string::npos) << r.error().message;
  // UCS-2 (an emoji): 3 x 67 code units.
  std::string ucs(199, 'b');
  ucs += "\xF0\x9F\x99\x82";  // 2 code units: 201
  EXPECT_TRUE(s.send(7, contact("0401234567", ""), "sms", ucs, domain::Language::fi));
  EXPECT_FALSE(s.send(7, contact("0401234567", ""), "sms", ucs + "b", domain::Language::fi));
}

TEST(ReplySender, SmsRefusesMissingOrBadNumberAndEmptyText) {
  ReplyFixture f;
  ReplySender s = f.sender(true, true);
  auto r = s.send(7, contact("", "a@b.fi"), "sms", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  r = s.send(7, contact("12", ""), "sms", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(r.error().message.find("12"), std::string::npos);
  r = s.send(7, contact("0401234567", ""), "sms", "  \n", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

TEST(ReplySender, SmsToAnOptedOutNumberIsAConflict) {
  ReplyFixture f;
  ASSERT_TRUE(f.svc->on_reply(testing::kMobileE164, "LOPETA"));
  auto r = f.sender(true, false).send(7, contact("040 123 4567", ""), "sms", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::conflict);
}

TEST(ReplySender, EmailIsQueuedSealedWithSubjectInTheCustomersLanguage) {
  ReplyFixture f;
  ReplySender s = f.sender(false, true);
  auto r = s.send(812, contact("", "maija@example.fi"), "email", "Hyvä Maija,\nkiitos palautteesta.", domain::Language::sv);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->channel, "email");
  EXPECT_EQ(r->status, "queued");
  EXPECT_TRUE(testing::find_in_database(f.db_file(), "maija@example.fi").empty());
  EXPECT_TRUE(testing::find_in_database(f.db_file(), "kiitos palautteesta").empty());
  auto m = f.fx.store->mail().get(1);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->kind, storage::MailKind::reply);
  EXPECT_EQ(m->case_id, 812);
  EXPECT_EQ(m->state, storage::MailState::pending);
  EXPECT_EQ(m->subject.rfind("Svar på din respons", 0), 0u) << m->subject;
  auto to = f.sealer.open(m->sealed_to);
  ASSERT_TRUE(to);
  EXPECT_EQ(*to, "maija@example.fi");
  auto body = f.sealer.open(m->sealed_body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->rfind("Hyvä Maija,\nkiitos palautteesta.", 0), 0u);
}

TEST(ReplySender, EmailLimitsAndAddressChecks) {
  ReplyFixture f;
  ReplySender s = f.sender(false, true);
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "ä";
  EXPECT_TRUE(s.send(1, contact("", "a@b.fi"), "email", text, domain::Language::fi));
  auto r = s.send(1, contact("", "a@b.fi"), "email", text + "x", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  r = s.send(1, contact("0401234567", ""), "email", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
  r = s.send(1, contact("", "a@b.fi\r\nBcc: x@y.fi"), "email", "Hei", domain::Language::fi);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
}

TEST(ReplySender, PlausibleEmailAddress) {
  EXPECT_TRUE(plausible_email_address("anna@hyvinvointialue.fi"));
  EXPECT_TRUE(plausible_email_address("a.b+c@x-y.example.fi"));
  EXPECT_TRUE(plausible_email_address("pääkäyttäjä@esimerkki.fi"));
  EXPECT_FALSE(plausible_email_address("anna"));
  EXPECT_FALSE(plausible_email_address("@x.fi"));
  EXPECT_FALSE(plausible_email_address("a@localhost"));
  EXPECT_FALSE(plausible_email_address("a@b@c.fi"));
  EXPECT_FALSE(plausible_email_address("a b@c.fi"));
  EXPECT_FALSE(plausible_email_address("a@c.fi\n"));
  EXPECT_FALSE(plausible_email_address("<a@c.fi>"));
  EXPECT_FALSE(plausible_email_address("a@-c.fi"));
  EXPECT_FALSE(plausible_email_address("a@c..fi"));
}

}  // namespace
}  // namespace kaiku::service
