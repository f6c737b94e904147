// The outgoing SMS port of the outreach service. The service composes messages and
// keeps the outbox; a gateway only hands one message to the operator side and says
// what became of the hand-over. Implementations: channels/sms (Kannel's sendsms
// HTTP interface); tests use a recording gateway.
#pragma once

#include <string>

namespace kaiku::service {

// How the text travels on the air interface.
enum class SmsCoding {
  gsm7,  // GSM 03.38 default alphabet (+ extension table): 160 / 153 characters a part
  ucs2,  // UTF-16: 70 / 67 characters a part
};

struct OutgoingSms {
  std::string to;         // receiver in international form, "+358401234567"
  std::string from;       // sender id (alphanumeric up to 11 chars, or a number)
  std::string text;       // UTF-8; long texts are concatenated by the gateway
  SmsCoding coding = SmsCoding::gsm7;
  // Kaiku's own reference for this message (outbox id and attempt), [A-Za-z0-9_-];
  // delivery reports come back with it (Kannel: in the per-message dlr-url).
  std::string reference;
};

// What happened to one hand-over.
struct SendOutcome {
  enum class Kind {
    accepted,     // the gateway took the message (Kannel "0: Accepted for delivery",
                  // or "3: Queued for later delivery" while the operator is away)
    rejected,     // the gateway refused THIS message for good (bad number, bad text);
                  // retrying will not help
    unavailable,  // the gateway could not be reached or failed (connection refused,
                  // timeout, 5xx, authentication) and did NOT take the message;
                  // retry later with backoff
    unknown,      // the request may have reached the gateway (it was fully written,
                  // then the answer timed out or the connection broke); do not resend
                  // before a delivery report or the grace period (outbox: uncertain)
  };
  Kind kind = Kind::unavailable;
  std::string detail;  // the gateway's answer or the transport error, for logs and
                       // the outbox; never contains the receiver's number
};

// Sends one SMS. Implementations are thread-safe and never throw; a call returns
// within the implementation's timeout.
class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual SendOutcome send(const OutgoingSms& sms) = 0;
};

}  // namespace kaiku::service
