// HL7 v2 visit messages (ADT, SIU) as domain::CareEvent, the format-neutral event
// the outreach rules decide on. Pure functions.
//
// PRIVACY: the result carries personal data (identity code, phone numbers, birth
// date); never log it. Error messages name fields, never values.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "channels/hl7/hl7_time.hpp"
#include "channels/hl7/visit_event.hpp"
#include "domain/outreach.hpp"

namespace kaiku::channels::hl7 {

// Maps an extracted visit to a CareEvent (source mllp):
//  sender, message_id (MSH-10), trigger as in the VisitEvent;
//  visit_id: PV1-19, else SCH-1 placer, else SCH-2 filler appointment id;
//  visit_time: PV1-45 discharge, else PV1-44 admit, else the appointment start,
//    else the event time; for SIU the appointment start comes first (PV1-44/45 of
//    a scheduling message may be an earlier stay's). See to_utc for times
//    without an offset;
//  unit_codes: PV1-3.1 point of care, PV1-3.4 facility, the appointment location
//    (AIL-3), each {system = assigning authority (universal id), value = code}
//    when the code is not empty, without repeats;
//  visit_type: PV1-2; service: PV1-10;
//  person_id: the first PID-3 of type SS, NI or NNFIN or shaped like a henkilötunnus,
//    else the first PID-3 (empty when none);
//  birth_date, deceased, non_disclosure (PD1-12), language (PID-15) as extracted;
//  mobiles: every phone with equipment CP (also business ones), and every
//    non-business phone of use PRN/ORN/unset and equipment PH/unset whose number
//    looks like a Finnish mobile (looks_like_finnish_mobile); a number given twice
//    is listed once;
//  consent: nullopt (HL7 v2 does not carry it).
domain::CareEvent to_care_event(const VisitEvent& v);

// Parses, extracts and maps one message (parse_message, extract_visit,
// to_care_event); the error is the first step's (invalid_input, naming the field).
Result<domain::CareEvent> parse_care_event(std::string_view bytes);

// The instant of an HL7 time: its own offset when given, else Europe/Helsinki
// local time (correct across daylight-saving changes, see channels/local_time.hpp).
TimePoint to_utc(const Hl7Time& t) noexcept;

// True for DDMMYYCZZZQ: a date part, a century sign (+ - A B C D E F Y X W V U),
// three digits and a check character (digit or letter). Shape only, no checksum.
bool looks_like_henkilotunnus(std::string_view id) noexcept;

// True for a Finnish mobile number: after dropping spaces, '-', '.', '(' and ')',
// 04x or 050 followed by digits (national form, 8-12 digits in all), or the same
// with +358 / 00358 instead of the leading 0.
bool looks_like_finnish_mobile(std::string_view number) noexcept;

}  // namespace kaiku::channels::hl7
