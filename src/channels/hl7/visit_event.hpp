// What a visit-related HL7 v2 message (ADT or SIU) says, reduced to the fields the
// eligibility rules need. Domain-neutral: no touchpoints or rules here.
//
// PRIVACY: a VisitEvent carries personal data (identity codes, phone numbers, birth
// date). Never log it or put it in an error message; only the contact store and the
// eligibility rules may see it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "channels/hl7/hl7_time.hpp"
#include "channels/hl7/message.hpp"

namespace kaiku::channels::hl7 {

// A code with the authority that issued it (e.g. a unit code and its OID).
struct CodedId {
  std::string code;       // e.g. PV1-3.1.1 "HUH AE OMU"
  std::string authority;  // e.g. PV1-3.1.2 "9.8" (universal id), "" when not given
};

// One patient identifier (one repetition of PID-3, CX).
struct PatientIdentifier {
  std::string id;                  // CX.1, e.g. a henkilötunnus
  std::string assigning_authority; // CX.4.1 namespace id, else CX.4.2 universal id (OID)
  std::string type;                // CX.5, e.g. "MR", "SS", "NI"
};

// One telephone entry (a repetition of PID-13 home or PID-14 business, XTN).
struct PhoneNumber {
  std::string number;     // XTN.1 if given (also the v2.3 plain form), else built
                          // from XTN.5 country, XTN.6 area, XTN.7 local number, or XTN.12
  std::string use;        // XTN.2, table 0201: PRN, ORN, WPN, NET... ("" when not given)
  std::string equipment;  // XTN.3, table 0202: PH, CP (mobile), FX, Internet...
  bool business = false;  // true when from PID-14
};

// The message types and events extract_visit() accepts.
// ADT: A01 admit, A03 discharge, A04 register, A08 update, A11 cancel admit,
// A13 cancel discharge. SIU: S12 new, S14 modified, S15 cancelled, S26 no-show.
bool is_supported_event(std::string_view message_type, std::string_view trigger);

struct VisitEvent {
  // Message
  std::string sending_application;  // MSH-3.1 (else MSH-3.2)
  std::string sending_facility;     // MSH-4.1 (else MSH-4.2)
  std::string sender;               // "<application>^<facility>", the key for rules and de-duplication
  std::string control_id;           // MSH-10
  std::string message_type;         // MSH-9.1: "ADT" or "SIU"
  std::string trigger;              // MSH-9.2 (else EVN-1), e.g. "A03"
  std::string version;              // MSH-12
  std::optional<Hl7Time> event_time;  // EVN-2, else MSH-7 (unset when absent or unreadable)

  // Patient
  std::vector<PatientIdentifier> patient_ids;       // PID-3 repetitions
  std::optional<std::chrono::year_month_day> birth_date;  // PID-7 (date part)
  bool deceased = false;            // PID-30 "Y", or PID-29 (death time) set
  std::vector<PhoneNumber> phones;  // PID-13 then PID-14 repetitions with a number
  std::string language;             // PID-15.1, e.g. "fi", "sv", "fin"
  bool non_disclosure = false;      // PD1-12 protection indicator "Y" (turvakielto)

  // Visit
  std::string visit_id;             // PV1-19.1
  CodedId point_of_care;            // PV1-3.1 (HD: namespace & universal id)
  CodedId facility;                 // PV1-3.4
  std::string patient_class;        // PV1-2, e.g. "I", "O", "E"
  std::string hospital_service;     // PV1-10
  std::optional<Hl7Time> admit_time;      // PV1-44
  std::optional<Hl7Time> discharge_time;  // PV1-45

  // Scheduling (SIU only)
  std::string placer_appointment_id;  // SCH-1.1
  std::string filler_appointment_id;  // SCH-2.1
  std::optional<Hl7Time> appointment_start;  // TQ1-7, else SCH-11.4
  CodedId appointment_location;       // first AIL-3: .1 point of care, else .4 facility
  std::string appointment_status;     // SCH-25.1, e.g. "Booked", "Noshow"
};

// Extracts the visit from an ADT or SIU message. Fails (invalid_input, the message
// naming the field) when MSH-9 is not a supported event (see is_supported_event) or
// the PID segment is missing. Optional fields that are absent or unreadable (e.g. a
// malformed time) are left empty; the error messages never contain personal data.
Result<VisitEvent> extract_visit(const Message& message);

}  // namespace kaiku::channels::hl7
