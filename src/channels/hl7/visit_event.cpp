#include "channels/hl7/visit_event.hpp"

#include <array>
#include <cctype>
#include <string>

namespace kaiku::channels::hl7 {
namespace {

std::string trim(std::string s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && blank(s[i])) ++i;
  return s.substr(i);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::optional<Hl7Time> time_of(const std::string& text) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  auto parsed = parse_hl7_time(t);
  if (!parsed) return std::nullopt;
  return *parsed;
}

// First non-empty of component `a` then `b` of an HD-typed field (namespace, universal id).
std::string hd_name(const Segment& s, std::size_t field) {
  std::string v = trim(s.value(field, 1, 1));
  if (v.empty()) v = trim(s.value(field, 1, 2));
  return v;
}

// A PL component that is itself an HD: subcomponent 1 is the code, 2 the authority.
CodedId coded_hd(const Segment& s, std::size_t field, std::size_t comp) {
  CodedId id;
  id.code = trim(s.value(field, 1, comp, 1));
  id.authority = trim(s.value(field, 1, comp, 2));
  return id;
}

void add_phones(const Segment& pid, std::size_t field, bool business,
                std::vector<PhoneNumber>& out) {
  const std::size_t reps = pid.repetition_count(field);
  for (std::size_t r = 1; r <= reps; ++r) {
    PhoneNumber p;
    p.business = business;
    p.number = trim(pid.value(field, r, 1));
    p.use = trim(pid.value(field, r, 2));
    p.equipment = trim(pid.value(field, r, 3));
    if (p.number.empty()) {
      const std::string country = trim(pid.value(field, r, 5));
      const std::string area = trim(pid.value(field, r, 6));
      const std::string local = trim(pid.value(field, r, 7));
      if (!local.empty()) {
        p.number = (country.empty() ? "" : "+" + country + " ") + (area.empty() ? "" : area + " ") + local;
      } else {
        p.number = trim(pid.value(field, r, 12));
      }
    }
    if (!p.number.empty()) out.push_back(std::move(p));
  }
}

}  // namespace

bool is_supported_event(std::string_view type, std::string_view trigger) {
  static constexpr std::array<std::string_view, 6> kAdt{"A01", "A03", "A04", "A08", "A11", "A13"};
  static constexpr std::array<std::string_view, 4> kSiu{"S12", "S14", "S15", "S26"};
  if (type == "ADT") {
    for (auto t : kAdt) if (t == trigger) return true;
  } else if (type == "SIU") {
    for (auto t : kSiu) if (t == trigger) return true;
  }
  return false;
}

Result<VisitEvent> extract_visit(const Message& m) {
  const Segment* msh = m.segment("MSH");
  if (!msh) return fail(Error::invalid("HL7: no MSH segment"));
  VisitEvent v;
  v.message_type = trim(msh->value(9, 1, 1));
  v.trigger = trim(msh->value(9, 1, 2));
  if (v.trigger.empty()) v.trigger = trim(m.field("EVN", 1));
  if (!is_supported_event(v.message_type, v.trigger)) {
    std::string shown;
    for (char c : v.message_type + "^" + v.trigger) shown += (c >= 0x20 && c < 0x7F) ? c : '?';
    return fail(Error::invalid("HL7 MSH-9: unsupported event '" + shown.substr(0, 40) +
                               "' (accepted: ADT^A01/A03/A04/A08/A11/A13, SIU^S12/S14/S15/S26)"));
  }
  v.sending_application = hd_name(*msh, 3);
  v.sending_facility = hd_name(*msh, 4);
  v.sender = v.sending_application + "^" + v.sending_facility;
  v.control_id = trim(msh->value(10));
  v.version = trim(msh->value(12));
  v.event_time = time_of(m.field("EVN", 2));
  if (!v.event_time) v.event_time = time_of(msh->value(7));

  const Segment* pid = m.segment("PID");
  if (!pid) {
    return fail(Error::invalid("HL7 " + v.message_type + "^" + v.trigger +
                               ": required segment PID is missing"));
  }
  for (std::size_t r = 1; r <= pid->repetition_count(3); ++r) {
    PatientIdentifier id;
    id.id = trim(pid->value(3, r, 1));
    if (id.id.empty()) continue;
    id.assigning_authority = trim(pid->value(3, r, 4, 1));
    if (id.assigning_authority.empty()) id.assigning_authority = trim(pid->value(3, r, 4, 2));
    id.type = trim(pid->value(3, r, 5));
    v.patient_ids.push_back(std::move(id));
  }
  if (auto birth = time_of(pid->value(7))) v.birth_date = birth->date();
  v.deceased = upper(trim(pid->value(30))) == "Y" || !trim(pid->value(29)).empty();
  add_phones(*pid, 13, false, v.phones);
  add_phones(*pid, 14, true, v.phones);
  v.language = trim(pid->value(15, 1, 1));

  v.non_disclosure = upper(trim(m.field("PD1", 12))) == "Y";

  if (const Segment* pv1 = m.segment("PV1")) {
    v.visit_id = trim(pv1->value(19, 1, 1));
    v.point_of_care = coded_hd(*pv1, 3, 1);
    v.facility = coded_hd(*pv1, 3, 4);
    v.patient_class = trim(pv1->value(2, 1, 1));
    v.hospital_service = trim(pv1->value(10, 1, 1));
    v.admit_time = time_of(pv1->value(44, 1, 1));
    v.discharge_time = time_of(pv1->value(45, 1, 1));
  }

  if (v.message_type == "SIU") {
    if (const Segment* sch = m.segment("SCH")) {
      v.placer_appointment_id = trim(sch->value(1, 1, 1));
      v.filler_appointment_id = trim(sch->value(2, 1, 1));
      v.appointment_status = trim(sch->value(25, 1, 1));
      v.appointment_start = time_of(sch->value(11, 1, 4));
    }
    if (auto tq1 = time_of(m.field("TQ1", 7))) v.appointment_start = tq1;
    if (const Segment* ail = m.segment("AIL")) {
      v.appointment_location = coded_hd(*ail, 3, 1);
      if (v.appointment_location.code.empty()) v.appointment_location = coded_hd(*ail, 3, 4);
    }
  }
  return v;
}

}  // namespace kaiku::channels::hl7
