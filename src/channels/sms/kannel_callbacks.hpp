// Kannel's HTTP callbacks to Kaiku, parsed as pure functions from the URL query string:
// delivery reports (the per-message dlr-url KannelGateway sets) and mobile-originated
// messages (the get-url of an sms-service). Errors name the parameter that is missing
// or bad and never echo its value, so a phone number never reaches a log through them.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kaiku::channels::sms {

// Kannel delivery report types (the value of the %d escape; dlr-mask bits).
inline constexpr int kDlrDelivered = 1;      // delivered to the phone (final)
inline constexpr int kDlrFailed = 2;         // not delivered to the phone (final)
inline constexpr int kDlrBuffered = 4;       // queued at the SMSC (intermediate)
inline constexpr int kDlrSmscAccepted = 8;   // accepted by the SMSC (intermediate)
inline constexpr int kDlrSmscRejected = 16;  // rejected by the SMSC (final)

// True for the final types: delivered, failed, SMSC reject.
constexpr bool dlr_is_final(int status) noexcept {
  return status == kDlrDelivered || status == kDlrFailed || status == kDlrSmscRejected;
}

// One delivery report. KannelGateway asks for it with the dlr-url
//   {dlr_base_url}?ref={reference}&status=%d&answer=%A
// (%d: the report type; %A: the SMSC's own report text, e.g.
// "id:... sub:001 dlvrd:001 ... stat:DELIVRD err:000 text:..."). Correlate by
// `reference`: Kannel's %I message id differs between the SMSC-ack and the final report.
struct DeliveryReport {
  std::string reference;  // Kaiku's reference, [A-Za-z0-9_-], 1..64 characters
  int status = 0;         // one of the kDlr* values
  std::string answer;     // the SMSC's text (valid UTF-8, at most 512 bytes; "" if absent)
};

// Parses the query string of a delivery-report callback (with or without a leading
// '?'). Parameters: ref (required), status (required, one of 1, 2, 4, 8, 16), answer
// (optional). Other parameters are ignored; a repeated ref or status is an error.
// Errors: invalid_input, e.g. "delivery report: parameter 'status' is missing".
Result<DeliveryReport> parse_dlr_query(std::string_view query);

// One mobile-originated message (a reply from a phone). Kannel calls the sms-service
// get-url, which should be
//   get-url = "http://127.0.0.1:PORT/sms/mo?from=%p&to=%P&text=%a&id=%I&charset=%C"
// with `mo-recode = true` in the smsbox group, so that replies in GSM 7-bit, Latin-1
// and UCS-2 all arrive as UTF-8 (%p: the sender's number, %P: the receiver, i.e.
// Kaiku's number or sender id, %a: all words of the text (%b, the text as is, works as
// well), %I: Kannel's message id, %C: the text's charset). Leave `global-sender`
// unset: it overwrites the receiver in MO URLs.
struct MoMessage {
  std::string from;  // the phone's number as Kannel gives it ("+358401234567",
                     // "358401234567" or "0401234567"); normalise with
                     // domain::normalise_msisdn before use. Digits with an optional
                     // leading '+', at most 20 characters. A raw '+' in the URL
                     // (decoded as a space, " 358401234567") is restored to '+';
                     // blanks around the number are trimmed.
  std::string to;    // the number or sender id the reply was sent to (may be empty
                     // when the get-url has no to=)
  std::string text;  // the reply, valid UTF-8 (may be empty)
  std::string id;    // Kannel's message id ("" when the get-url has no id=)
};

// Parses the query string of an MO callback (with or without a leading '?').
// Parameters: from (required), text (required, may be empty), to, id and charset
// (optional). charset absent or UTF-8 -> the text must be valid UTF-8; UTF-16BE
// (Kannel without mo-recode, UCS-2 message) and ISO-8859-1/Latin-1/WINDOWS-1252 are
// converted to UTF-8; other charsets are an error.
// Errors: invalid_input naming the parameter, e.g. "MO message: parameter 'from' is
// not a phone number" or "MO message: parameter 'text' is not valid UTF-8 (is
// mo-recode = true set in the smsbox group?)".
Result<MoMessage> parse_mo_query(std::string_view query);

}  // namespace kaiku::channels::sms
