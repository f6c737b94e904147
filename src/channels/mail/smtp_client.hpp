// MailTransport over SMTP with libcurl (smtp:// with STARTTLS, required unless the
// relay is loopback, or smtps://), and the pure pieces of an Internet message: RFC 5322
// headers, RFC 2047 encoded words for UTF-8 header text, quoted-printable bodies.
// Dot-stuffing of the DATA phase is done by libcurl.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "service/mail_transport.hpp"

namespace kaiku::channels::mail {

// A parsed From: "Name <addr>" or "addr".
struct MailboxSpec {
  std::string display;  // "" when none
  std::string address;  // addr-spec
};
// Parses `text` as "addr@x.fi" or "Display Name <addr@x.fi>". invalid_input (naming
// what is wrong) for CR/LF, an address that is not a plausible single address, or
// unbalanced angle brackets.
Result<MailboxSpec> parse_mailbox(std::string_view text);

// A header value: as is when it is printable ASCII; else RFC 2047 encoded words
// "=?UTF-8?B?...?=" of at most 75 characters each (never splitting a UTF-8
// sequence), separated by CRLF SP (folding). Invalid UTF-8 bytes become U+FFFD.
std::string encode_header_text(std::string_view utf8);

// RFC 2045 quoted-printable of UTF-8 text: line breaks (LF, CRLF or CR) become
// CRLF; '=', bytes outside printable ASCII and white space before a line break are
// encoded; lines are at most 76 characters (soft breaks "=" CRLF).
std::string quoted_printable(std::string_view utf8);

// "Tue, 24 Nov 2026 20:15:03 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(TimePoint t);

// The complete message (headers CRLF CRLF body) for `mail`: Date, From, To,
// Subject, Message-ID, MIME-Version 1.0, Content-Type text/plain; charset=UTF-8,
// Content-Transfer-Encoding quoted-printable, Auto-Submitted auto-generated.
// invalid_input when `from` or `to` is not a usable mailbox or carries CR/LF, or
// the Message-ID is not "<...@...>".
Result<std::string> build_message(const service::OutgoingMail& mail);

struct SmtpOptions {
  std::string url;       // smtp://host[:port] or smtps://host[:port]
  std::string username;  // "" = no authentication
  std::string password;
  std::chrono::milliseconds timeout{30000};  // the whole transaction
  // smtp:// to a host other than loopback (loopback_relay) requires STARTTLS (the
  // send fails without it); to loopback STARTTLS is used when the relay offers it.
};

// True when the host of `url` ("smtp://host[:port][/...]") is loopback: an IPv4
// literal in 127.0.0.0/8, "[::1]" or "localhost" (any case). Names that merely
// begin like one ("localhost.example.fi", "127.0.0.1.example.fi") are not. Pure.
bool loopback_relay(std::string_view url);

// Checks `options` (scheme smtp/smtps, a host, timeout > 0). invalid_input naming
// the option ("--smtp-url ...").
Status check_smtp_options(const SmtpOptions& options);

class SmtpClient final : public service::MailTransport {
 public:
  explicit SmtpClient(SmtpOptions options);
  // One SMTP transaction per message. 5xx answers are `rejected`; 4xx, connection,
  // TLS, authentication and timeouts `unavailable`.
  service::MailOutcome send(const service::OutgoingMail& mail) override;

 private:
  SmtpOptions options_;
};

}  // namespace kaiku::channels::mail
