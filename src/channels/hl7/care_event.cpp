#include "channels/hl7/care_event.hpp"

#include <algorithm>
#include <cctype>

#include "channels/hl7/message.hpp"
#include "channels/local_time.hpp"

namespace kaiku::channels::hl7 {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Digits of a phone number in national form ("0401234567"), or "" when it has
// characters other than digits, separators and a leading '+'.
std::string national_digits(std::string_view number) {
  std::string d;
  bool plus = false;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (is_digit(c)) {
      d += c;
    } else if (c == '+' && d.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return "";
    }
  }
  if (plus) {
    if (d.rfind("358", 0) != 0) return "";
    return "0" + d.substr(3);
  }
  if (d.rfind("00358", 0) == 0) return "0" + d.substr(5);
  return d;
}

// A key under which the same number written differently compares equal.
std::string phone_key(std::string_view number) {
  std::string n = national_digits(number);
  if (!n.empty()) return n;
  std::string k;
  for (char c : number) {
    if (c != ' ' && c != '-') k += c;
  }
  return k;
}

void add_unit(std::vector<domain::UnitCode>& codes, const CodedId& id) {
  if (id.code.empty()) return;
  for (const auto& c : codes) {
    if (c.system == id.authority && c.value == id.code) return;
  }
  codes.push_back(domain::UnitCode{id.authority, id.code});
}

std::string pick_person_id(const std::vector<PatientIdentifier>& ids) {
  for (const auto& p : ids) {
    if (p.id.empty()) continue;
    const std::string type = upper(p.type);
    if (type == "SS" || type == "NI" || type == "NNFIN" || looks_like_henkilotunnus(p.id)) return p.id;
  }
  for (const auto& p : ids) {
    if (!p.id.empty()) return p.id;
  }
  return "";
}

bool is_mobile(const PhoneNumber& p) {
  const std::string equipment = upper(p.equipment);
  if (equipment == "CP") return true;
  if (p.business) return false;
  const std::string use = upper(p.use);
  if (!(use.empty() || use == "PRN" || use == "ORN")) return false;
  if (!(equipment.empty() || equipment == "PH")) return false;
  return looks_like_finnish_mobile(p.number);
}

}  // namespace

bool looks_like_henkilotunnus(std::string_view id) noexcept {
  if (id.size() != 11) return false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (!is_digit(id[i])) return false;
  }
  const int day = (id[0] - '0') * 10 + (id[1] - '0');
  const int month = (id[2] - '0') * 10 + (id[3] - '0');
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  static constexpr std::string_view kSigns = "+-ABCDEFYXWVU";
  if (kSigns.find(static_cast<char>(std::toupper(static_cast<unsigned char>(id[6])))) ==
      std::string_view::npos) {
    return false;
  }
  for (std::size_t i = 7; i < 10; ++i) {
    if (!is_digit(id[i])) return false;
  }
  return std::isalnum(static_cast<unsigned char>(id[10])) != 0;
}

bool looks_like_finnish_mobile(std::string_view number) noexcept {
  const std::string d = national_digits(number);
  if (d.size() < 8 || d.size() > 12) return false;
  return d.rfind("04", 0) == 0 || d.rfind("050", 0) == 0;
}

TimePoint to_utc(const Hl7Time& t) noexcept {
  if (auto u = t.utc()) return *u;
  return helsinki_to_utc(t.local);
}

domain::CareEvent to_care_event(const VisitEvent& v) {
  domain::CareEvent e;
  e.source = domain::EventSource::mllp;
  e.sender = v.sender;
  e.message_id = v.control_id;
  e.trigger = v.trigger;
  e.visit_id = !v.visit_id.empty()                ? v.visit_id
               : !v.placer_appointment_id.empty() ? v.placer_appointment_id
                                                  : v.filler_appointment_id;
  // A scheduling message is about its appointment; PV1-44/45 there may be an
  // earlier stay's.
  const bool siu = v.message_type == "SIU";
  for (const auto* t : {siu ? &v.appointment_start : &v.discharge_time, &v.discharge_time, &v.admit_time,
                        &v.appointment_start, &v.event_time}) {
    if (t->has_value()) {
      e.visit_time = to_utc(**t);
      break;
    }
  }
  add_unit(e.unit_codes, v.point_of_care);
  add_unit(e.unit_codes, v.facility);
  add_unit(e.unit_codes, v.appointment_location);
  e.visit_type = v.patient_class;
  e.service = v.hospital_service;

  e.person_id = pick_person_id(v.patient_ids);
  e.birth_date = v.birth_date;
  e.deceased = v.deceased;
  e.non_disclosure = v.non_disclosure;
  e.language = v.language;
  std::vector<std::string> seen;
  for (const auto& p : v.phones) {
    if (p.number.empty() || !is_mobile(p)) continue;
    std::string key = phone_key(p.number);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    e.mobiles.push_back(p.number);
  }
  return e;
}

Result<domain::CareEvent> parse_care_event(std::string_view bytes) {
  auto m = parse_message(bytes);
  if (!m) return fail(m.error());
  auto v = extract_visit(*m);
  if (!v) return fail(v.error());
  return to_care_event(*v);
}

}  // namespace kaiku::channels::hl7
