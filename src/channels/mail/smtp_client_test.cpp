// The pure parts of the SMTP client: mailboxes, encoded words, quoted-printable,
// dates and whole messages.
#include "channels/mail/smtp_client.hpp"

#include <gtest/gtest.h>

namespace kaiku::channels::mail {
namespace {

// Decodes quoted-printable (for checking round trips).
std::string qp_decode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') {
      i += 2;
    } else if (in[i] == '=' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

TEST(SmtpMessage, ParsesMailboxes) {
  auto a = parse_mailbox("kaiku@hyvinvointialue.fi");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display, "");
  EXPECT_EQ(a->address, "kaiku@hyvinvointialue.fi");
  auto b = parse_mailbox("Kaiku – palaute <kaiku@x.fi>");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->display, "Kaiku – palaute");
  EXPECT_EQ(b->address, "kaiku@x.fi");
  auto c = parse_mailbox("\"Hyvinvointialue, palaute\" <p@x.fi>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->display, "Hyvinvointialue, palaute");
  EXPECT_FALSE(parse_mailbox("a@x.fi\r\nBcc: b@y.fi"));
  EXPECT_FALSE(parse_mailbox("Name <a@x.fi"));
  EXPECT_FALSE(parse_mailbox("Name <nobody>"));
  EXPECT_FALSE(parse_mailbox("<a@x.fi> trailing"));
}

TEST(SmtpMessage, AsciiHeaderTextStaysAndUtf8BecomesEncodedWords) {
  EXPECT_EQ(encode_header_text("Reply to your feedback"), "Reply to your feedback");
  EXPECT_EQ(encode_header_text("Hyvä"), "=?UTF-8?B?SHl2w6Q=?=");
  // Long text: several words, each at most 75 characters, folded, never splitting a character.
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "ä";  // 80 bytes
  const std::string enc = encode_header_text(long_text);
  std::size_t words = 0;
  std::size_t start = 0;
  for (;;) {
    const auto end = enc.find("\r\n ", start);
    const std::string word = enc.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    ++words;
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_EQ(words, 2u);  // 44 + 36 bytes: ä is 2 bytes, 45 would split one
  EXPECT_EQ(enc, "=?UTF-8?B?w6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6Q=?=\r\n "
                 "=?UTF-8?B?w6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOkw6TDpMOk?=");
  // A line break cannot sneak into a header.
  EXPECT_EQ(encode_header_text("a\r\nBcc: x").find('\n'), std::string::npos);
}

TEST(SmtpMessage, QuotedPrintableRoundTripsAndKeepsLinesShort) {
  const std::string text = "Hyvä Maija,\nkiitos = palautteesta. \n.\nEmoji 🙂 ja pitkä rivi " + std::string(100, 'x') + "\r\nloppu";
  const std::string qp = quoted_printable(text);
  std::size_t start = 0;
  while (start < qp.size()) {
    const auto end = qp.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
    EXPECT_LE(end - start, 76u);
    for (std::size_t i = start; i < end; ++i) {
      EXPECT_TRUE(qp[i] >= 32 && qp[i] <= 126) << "byte " << int(static_cast<unsigned char>(qp[i]));
    }
    start = end + 2;
  }
  EXPECT_NE(qp.find("Hyv=C3=A4 Maija,\r\n"), std::string::npos);
  EXPECT_NE(qp.find("kiitos =3D palautteesta.=20\r\n"), std::string::npos);  // trailing space encoded
  std::string expected = "Hyvä Maija,\r\nkiitos = palautteesta. \r\n.\r\nEmoji 🙂 ja pitkä rivi " + std::string(100, 'x') + "\r\nloppu\r\n";
  EXPECT_EQ(qp_decode(qp), expected);
  EXPECT_EQ(quoted_printable("a\n"), "a\r\n");
}

TEST(SmtpMessage, Rfc5322Date) {
  using namespace std::chrono;
  const TimePoint t = TimePoint(sys_days(year{2026} / 11 / 24) + hours(20) + minutes(15) + seconds(3));
  EXPECT_EQ(rfc5322_date(t), "Tue, 24 Nov 2026 20:15:03 +0000");
}

TEST(SmtpMessage, BuildsACompleteMessage) {
  service::OutgoingMail m;
  m.from = "Keski-Suomen hyvinvointialue <palaute@hyvaks.fi>";
  m.to = "maija@example.fi";
  m.subject = "Vastaus palautteeseesi - Keski-Suomen hyvinvointialue";
  m.body = "Hei,\nkiitos.\n";
  m.message_id = "<kaiku.reply.1.2@hyvaks.fi>";
  using namespace std::chrono;
  m.date = TimePoint(sys_days(year{2026} / 11 / 24) + hours(8));
  auto msg = build_message(m);
  ASSERT_TRUE(msg) << msg.error().message;
  EXPECT_EQ(*msg,
            "Date: Tue, 24 Nov 2026 08:00:00 +0000\r\n"
            "From: Keski-Suomen hyvinvointialue <palaute@hyvaks.fi>\r\n"
            "To: maija@example.fi\r\n"
            "Subject: Vastaus palautteeseesi - Keski-Suomen hyvinvointialue\r\n"
            "Message-ID: <kaiku.reply.1.2@hyvaks.fi>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "\r\n"
            "Hei,\r\nkiitos.\r\n");
  m.from = "Hyvinvointialue, palaute <p@x.fi>";
  EXPECT_NE(build_message(m)->find("From: \"Hyvinvointialue, palaute\" <p@x.fi>\r\n"), std::string::npos);
  m.from = "Välitön <p@x.fi>";
  EXPECT_NE(build_message(m)->find("From: =?UTF-8?B?VsOkbGl0w7Zu?= <p@x.fi>\r\n"), std::string::npos);
  m.to = "maija@example.fi\r\nBcc: all@x.fi";
  EXPECT_FALSE(build_message(m));
  m.to = "maija@example.fi";
  m.message_id = "no-brackets";
  EXPECT_FALSE(build_message(m));
}

TEST(SmtpMessage, ChecksOptions) {
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:2525";
  EXPECT_TRUE(check_smtp_options(o));
  o.url = "smtps://mail.example.fi";
  EXPECT_TRUE(check_smtp_options(o));
  o.url = "http://mail.example.fi";
  EXPECT_FALSE(check_smtp_options(o));
  o.url = "smtp://";
  EXPECT_FALSE(check_smtp_options(o));
  o.url = "smtp://user:pw@mail.example.fi";
  EXPECT_FALSE(check_smtp_options(o));
}

TEST(SmtpMessage, OnlyLoopbackRelaysMaySkipStartTls) {
  for (const char* url : {"smtp://127.0.0.1:2525", "smtp://127.1.2.3", "smtp://localhost:25",
                          "smtp://LocalHost", "smtp://[::1]:2525", "smtp://127.0.0.1/"}) {
    EXPECT_TRUE(loopback_relay(url)) << url;
  }
  for (const char* url : {"smtp://mail.example.fi:587", "smtp://localhost.example.fi:25",
                          "smtp://127.0.0.1.example.fi", "smtp://10.0.0.1:25", "smtp://128.0.0.1",
                          "smtp://127.0.0.256", "smtp://127.0.0", "smtp://[::2]:25", "smtp://[::1",
                          "smtp://x@127.0.0.1", "127.0.0.1"}) {
    EXPECT_FALSE(loopback_relay(url)) << url;
  }
}

TEST(SmtpClient, UnreachableRelayIsUnavailable) {
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:1";  // nothing listens on port 1
  o.timeout = std::chrono::milliseconds(3000);
  SmtpClient client(o);
  service::OutgoingMail m;
  m.from = "k@x.fi";
  m.to = "maija@example.fi";
  m.subject = "s";
  m.body = "b";
  m.message_id = "<a@x.fi>";
  const service::MailOutcome out = client.send(m);
  EXPECT_EQ(out.kind, service::MailOutcome::Kind::unavailable) << out.detail;
  EXPECT_EQ(out.detail.find("maija@example.fi"), std::string::npos);
}

}  // namespace
}  // namespace kaiku::channels::mail
