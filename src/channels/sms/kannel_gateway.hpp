// SmsGateway over Kannel's sendsms HTTP interface (smsbox), on loopback, plain HTTP.
//
// Kannel configuration this expects (see docs for the full example):
//   group = sendsms-user
//     username = ...; password = ...
//     concatenation = true
//     max-messages = 10          # >= KannelOptions::max_parts, else Kannel truncates
//   group = smsbox
//     mo-recode = true           # replies arrive as UTF-8
//     # no global-sender: it overwrites the receiver in MO URLs; Kaiku passes from=
// Delivery reports come back on the per-message dlr-url (see kannel_callbacks.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "service/sms_gateway.hpp"

namespace kaiku::channels::sms {

struct KannelOptions {
  std::string host = "127.0.0.1";  // smsbox's sendsms address: an IP address, or a
                                   // name (resolved synchronously on each send)
  std::uint16_t port = 13013;      // smsbox's sendsms-port
  std::string path = "/cgi-bin/sendsms";
  std::string username;  // the sendsms-user
  std::string password;
  // Where Kannel should report delivery, e.g. "http://127.0.0.1:8080/sms/dlr" (must
  // start with http:// or https://; may already carry a query). Empty: no delivery
  // reports are asked for (no dlr-mask, no dlr-url).
  std::string dlr_base_url;
  std::chrono::milliseconds timeout{5000};  // for connect + request + answer together
  int max_parts = 6;  // a text needing more concatenated parts is rejected before sending
};

// Checks the options (host, path starting with '/', username, password, dlr_base_url
// scheme, timeout > 0, max_parts 1..255). Errors: invalid_input naming the option.
Status check_options(const KannelOptions& options);

// Builds the sendsms request target (path and query) for one message:
//   {path}?username=..&password=..&from=..&to=..&text=..&charset=UTF-8&coding=0|2
//   [&dlr-mask=31&dlr-url=<{dlr_base_url}?ref={reference}&status=%d&answer=%A>]
// Every value is percent-encoded (only A-Z a-z 0-9 - . _ ~ stay as they are), so the
// dlr-url's own '%d' travels as "%25d" and Kannel fills it in when it reports.
// coding is 0 (GSM 7-bit) or 2 (UCS-2) as sms.coding says; the text stays UTF-8 and
// charset=UTF-8 tells Kannel to convert. dlr-mask 31 asks for every report type.
// Errors (invalid_input; they mean the message itself cannot be sent as is, and never
// contain the number): `to` not "+" and 7-15 digits; `from` empty, over 11
// characters when alphanumeric or over 16 when a number, or with characters other
// than A-Z a-z 0-9 space '+' '-' '.'; empty text; a text needing more than
// options.max_parts parts; a reference that is empty (when delivery reports are on),
// over 64 characters or with characters outside [A-Za-z0-9_-].
Result<std::string> build_sendsms_target(const KannelOptions& options, const service::OutgoingSms& sms);

// Classifies smsbox's answer to a sendsms request:
//   2xx with "0: ..."             -> accepted ("Accepted for delivery")
//   2xx with "3: ..."             -> accepted, detail starting "queued: " (bearerbox
//                                    stored it while the SMSC is away)
//   other 2xx ("Sent." in old or immediate-reply set-ups) -> accepted
//   400, 413, 414, 422            -> rejected: this message is malformed or its
//                                    receiver is denied; retrying will not help
//   403 and other 4xx             -> unavailable: "Authorization failed" and "Not
//                                    routable" are Kannel configuration (user, allowed
//                                    prefixes, routing); the message is fine and can go
//                                    once the configuration is fixed, so the outbox
//                                    retries it with backoff until it expires
//   5xx, 1xx, 3xx                 -> unavailable
// detail is "HTTP <status>: <body>" with the body cut to 200 bytes, control
// characters replaced, and any run of 6 or more digits (a phone number Kannel may
// echo, e.g. "Denied receivers are: ...") replaced by "<number>".
service::SendOutcome classify_sendsms_reply(int http_status, std::string_view body);

// The gateway. Thread-safe: each send uses its own connection and I/O context. Never
// throws; a send returns within about options.timeout.
class KannelGateway : public service::SmsGateway {
 public:
  // `options` should pass check_options; with bad options every send is unavailable
  // with the reason in detail (a configuration error, not the message's fault).
  explicit KannelGateway(KannelOptions options);

  // Sends one SMS: builds the target (errors -> rejected), GETs it (a failure before
  // the whole request was written -- cannot resolve, connection refused, timeout or
  // broken connection while connecting or writing -> unavailable; a failure after it
  // was written -- no answer within the timeout, connection reset or closed while
  // reading the answer -> unknown, as Kannel may have taken the message; detail says
  // which and where, e.g. "Kannel at 127.0.0.1:13013: connection refused"), then
  // classifies the answer with classify_sendsms_reply. detail never contains the receiver's
  // number, the password or the text.
  service::SendOutcome send(const service::OutgoingSms& sms) override;

  const KannelOptions& options() const noexcept { return options_; }

 private:
  KannelOptions options_;
  Status options_ok_;
};

}  // namespace kaiku::channels::sms
