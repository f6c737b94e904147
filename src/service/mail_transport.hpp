// The outgoing e-mail port. The service keeps the mail outbox; a transport only
// hands one message to the relay and says what became of it. Implementation:
// channels/mail/smtp_client.hpp (libcurl SMTP); tests use a recording transport.
#pragma once

#include <string>

#include "base/clock.hpp"

namespace kaiku::service {

struct OutgoingMail {
  std::string from;        // the From header as configured: "addr@x.fi" or "Name <addr@x.fi>"
  std::string to;          // one address (addr-spec)
  std::string subject;     // UTF-8
  std::string body;        // UTF-8 plain text, lines ending in \n
  std::string message_id;  // "<...@...>", the same for every attempt of one message
  TimePoint date{};        // the Date header
};

// What happened to one hand-over.
struct MailOutcome {
  enum class Kind {
    accepted,     // the relay took the message (250 after DATA)
    rejected,     // the relay refused THIS message for good (5xx): retrying will not help
    unavailable,  // not taken: connection, TLS, authentication, 4xx, timeout; retry later
  };
  Kind kind = Kind::unavailable;
  std::string detail;  // the relay's answer or the transport error; never the receiver's address
};

// Sends one e-mail. Implementations are thread-safe, never throw, and return
// within their timeout.
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual MailOutcome send(const OutgoingMail& mail) = 0;
};

}  // namespace kaiku::service
