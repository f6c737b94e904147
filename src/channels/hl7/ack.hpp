// HL7 v2 acknowledgements (original acknowledgement mode): ACK messages built as
// pure functions. Segments end with CR; the result is not MLLP-framed.
#pragma once

#include <string>
#include <string_view>

#include "channels/hl7/message.hpp"

namespace kaiku::channels::hl7 {

// MSA-1 acknowledgement codes.
enum class AckCode {
  AA,  // application accept: the message was stored
  AE,  // application error: the receiver failed; the sender may retry
  AR,  // application reject: the message itself is unacceptable; do not resend as is
};

// Returns "AA", "AE" or "AR".
const char* to_string(AckCode code) noexcept;

// HL7 table 0357 (message error condition codes), used in ERR for AE/AR.
enum class AckCondition {
  segment_sequence_error = 100,
  required_field_missing = 101,
  data_type_error = 102,
  table_value_not_found = 103,
  unsupported_message_type = 200,
  unsupported_event_code = 201,
  unsupported_processing_id = 202,
  unsupported_version_id = 203,
  unknown_key_identifier = 204,
  duplicate_key_identifier = 205,
  application_record_locked = 206,
  application_internal_error = 207,
};

// Returns the table 0357 text of a condition, e.g. "Application internal error".
const char* to_string(AckCondition condition) noexcept;

// Builds the ACK answering `original`, using its delimiters and version:
//   MSH: MSH-3/4 and MSH-5/6 of the original swapped, MSH-7 `timestamp` (an HL7 TS,
//        e.g. "20261125013000+0200"), MSH-9 "ACK^<original trigger>^ACK", MSH-10
//        `control_id` (the new id of this ACK), MSH-11 and MSH-12 copied; MSH-18
//        "UNICODE UTF-8" only when the ACK contains non-ASCII text;
//   MSA: MSA-1 `code`, MSA-2 the original MSH-10, and for AE/AR before v2.7 MSA-3
//        `error_text`;
//   ERR (AE/AR only): v2.5 and later ERR-3 `condition`^text^HL70357, ERR-4 "E",
//        ERR-8 `error_text`; earlier versions ERR-1 "^^^<condition>&<text>&HL70357".
// `error_text` (UTF-8) is escaped; for AA it is ignored. Never fails.
std::string build_ack(const Message& original, AckCode code, std::string_view error_text,
                      std::string_view control_id, std::string_view timestamp,
                      AckCondition condition = AckCondition::application_internal_error);

// Builds an AR ACK for bytes that could not be parsed into a Message: default
// delimiters, MSH-9 "ACK", MSH-12 the original's version if it can be read from the
// bytes (else "2.5"), MSA-2 the original MSH-10 if it can be read (printable ASCII
// only), else empty; the reason in MSA-3 and ERR as for build_ack (condition 207
// unless given). Never fails.
std::string build_reject_ack(std::string_view raw_bytes, std::string_view error_text,
                             std::string_view control_id, std::string_view timestamp,
                             AckCondition condition = AckCondition::application_internal_error);

}  // namespace kaiku::channels::hl7
