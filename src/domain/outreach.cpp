#include "domain/outreach.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "domain/response.hpp"

namespace kaiku::domain {
namespace {

constexpr std::pair<EventSource, std::string_view> kSources[] = {
    {EventSource::mllp, "mllp"}, {EventSource::fhir, "fhir"}, {EventSource::csv, "csv"}};

constexpr std::pair<Reason, std::string_view> kReasons[] = {
    {Reason::unknown_unit, "unknown_unit"},
    {Reason::no_touchpoint, "no_touchpoint"},
    {Reason::unreadable, "unreadable"},
    {Reason::unsupported_event, "unsupported_event"},
    {Reason::not_completed, "not_completed"},
    {Reason::cancelled, "cancelled"},
    {Reason::under_age, "under_age"},
    {Reason::turvakielto, "turvakielto"},
    {Reason::deceased, "deceased"},
    {Reason::no_mobile, "no_mobile"},
    {Reason::several_mobiles, "several_mobiles"},
    {Reason::opted_out, "opted_out"},
    {Reason::no_consent, "no_consent"},
    {Reason::sensitive_service, "sensitive_service"},
    {Reason::follow_up_visit, "follow_up_visit"},
    {Reason::contact_cap, "contact_cap"},
    {Reason::not_sampled, "not_sampled"},
    {Reason::daily_cap, "daily_cap"},
    {Reason::too_old, "too_old"},
    {Reason::outreach_off, "outreach_off"},
    {Reason::duplicate, "duplicate"},
};

constexpr std::pair<Decision, std::string_view> kDecisions[] = {{Decision::scheduled, "scheduled"},
                                                                {Decision::excluded, "excluded"},
                                                                {Decision::unmapped, "unmapped"},
                                                                {Decision::duplicate, "duplicate"},
                                                                {Decision::rejected, "rejected"}};

template <class E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return table[0].second;
}

template <class E, std::size_t N>
std::optional<E> parse_in(const std::pair<E, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [e, n] : table)
    if (n == name) return e;
  return std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool contains_ci(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return iequal(s, value); });
}

const std::vector<std::string>& default_completed() {
  static const std::vector<std::string> kList{"A03", "A04", "finished", "completed"};
  return kList;
}

const std::vector<std::string>& default_cancels() {
  static const std::vector<std::string> kList{"A11", "A13", "S15", "S26", "cancelled", "entered-in-error"};
  return kList;
}

// A unit of the model with code value `value` under any code system; the first in
// model order (parents before children, definition order) when several have it.
const OrgUnit* unit_by_value(const Model& model, const std::string& value) {
  for (const OrgUnit& u : model.units)
    for (const UnitCode& c : u.codes)
      if (c.value == value) return &u;
  return nullptr;
}

const OrgUnit* find_unit(const Model& model, const SenderRule& rule, const UnitCode& code) {
  const std::string value(trim(code.value));
  if (value.empty()) return nullptr;
  if (!code.system.empty())
    if (const OrgUnit* u = model.unit_by_code(code.system, value)) return u;
  if (!rule.unit_code_system.empty() && rule.unit_code_system != code.system)
    if (const OrgUnit* u = model.unit_by_code(rule.unit_code_system, value)) return u;
  return unit_by_value(model, value);
}

bool in_any_subtree(const Model& model, const std::string& node, const std::vector<std::string>& roots) {
  return std::any_of(roots.begin(), roots.end(),
                     [&](const std::string& r) { return model.in_subtree(node, r); });
}

bool rule_matches(const Model& model, const TouchpointRule& rule, const Touchpoint& tp,
                  const std::string& unit, const CareEvent& event) {
  const std::vector<std::string>& roots = rule.units.empty() ? tp.units : rule.units;
  if (!in_any_subtree(model, unit, roots)) return false;
  if (!rule.visit_types.empty() &&
      std::find(rule.visit_types.begin(), rule.visit_types.end(), event.visit_type) == rule.visit_types.end())
    return false;
  if (!rule.services.empty() &&
      std::find(rule.services.begin(), rule.services.end(), event.service) == rule.services.end())
    return false;
  return true;
}

// The touchpoint with the sms channel measured at `unit`, else at its nearest
// ancestor; the first in model order at the nearest level.
const Touchpoint* default_touchpoint(const Model& model, const std::string& unit) {
  std::vector<std::string> path = model.path_to(unit);
  for (auto node = path.rbegin(); node != path.rend(); ++node) {
    for (const Touchpoint& tp : model.touchpoints) {
      if (!tp.has_channel(Channel::sms)) continue;
      if (std::find(tp.units.begin(), tp.units.end(), *node) != tp.units.end()) return &tp;
    }
  }
  return nullptr;
}

// FNV-1a 64 followed by the MurmurHash3 finaliser, so that ids differing only in
// their last characters still spread over the whole range. Stable across builds.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The digits of a phone number written with spaces, dashes, brackets and an optional
// leading + (or 00), in international form without the +: a national number starting
// with 0 is taken as Finnish (0401234567 -> 358401234567). "" when it is not a
// plausible number (anything else in it, or not 7-15 digits).
std::string mobile_key(std::string_view written) {
  std::string_view s = trim(written);
  bool plus = false;
  if (!s.empty() && s.front() == '+') {
    plus = true;
    s.remove_prefix(1);
  }
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.')
      return {};
  }
  if (!plus) {
    if (digits.rfind("00", 0) == 0)
      digits.erase(0, 2);
    else if (digits.rfind('0', 0) == 0)
      digits = "358" + digits.substr(1);
  }
  if (digits.size() < 7 || digits.size() > 15) return {};
  return digits;
}

std::chrono::year_month_day day_of(TimePoint t) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t));
}

// Whole years from `birth` to `day`; nullopt when `birth` is invalid or after `day`.
std::optional<int> years_between(std::chrono::year_month_day birth, std::chrono::year_month_day day) {
  if (!birth.ok() || !day.ok() || birth > day) return std::nullopt;
  int years = static_cast<int>(day.year()) - static_cast<int>(birth.year());
  if (std::chrono::month_day(day.month(), day.day()) < std::chrono::month_day(birth.month(), birth.day()))
    --years;
  return years;
}

// The birth date in a Finnish personal identity code (henkilötunnus) DDMMYYCZZZQ,
// checked with its control character; nullopt for anything else.
std::optional<std::chrono::year_month_day> hetu_birth_date(std::string_view id) {
  id = trim(id);
  if (id.size() != 11) return std::nullopt;
  auto digit = [&](std::size_t i) { return id[i] >= '0' && id[i] <= '9'; };
  for (std::size_t i : {0, 1, 2, 3, 4, 5, 7, 8, 9})
    if (!digit(i)) return std::nullopt;
  int century = 0;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(id[6])));
  if (c == '+')
    century = 1800;
  else if (c == '-' || (c >= 'U' && c <= 'Y'))
    century = 1900;
  else if (c >= 'A' && c <= 'F')
    century = 2000;
  else
    return std::nullopt;
  long number = 0;
  for (std::size_t i : {0, 1, 2, 3, 4, 5, 7, 8, 9}) number = number * 10 + (id[i] - '0');
  static constexpr std::string_view kControl = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  if (kControl[static_cast<std::size_t>(number % 31)] != std::toupper(static_cast<unsigned char>(id[10])))
    return std::nullopt;
  auto two = [&](std::size_t i) { return (id[i] - '0') * 10 + (id[i + 1] - '0'); };
  std::chrono::year_month_day birth{std::chrono::year(century + two(4)),
                                    std::chrono::month(static_cast<unsigned>(two(2))),
                                    std::chrono::day(static_cast<unsigned>(two(0)))};
  if (!birth.ok()) return std::nullopt;
  return birth;
}

// Where (sender, visit, touchpoint) falls in [0, 1): sampled in when below the share.
double sample_point(std::string_view sender, std::string_view visit, std::string_view touchpoint) {
  std::string key;
  key.reserve(sender.size() + visit.size() + touchpoint.size() + 2);
  key.append(sender).append("|").append(visit).append("|").append(touchpoint);
  return static_cast<double>(stable_hash(key) >> 11) * 0x1.0p-53;
}

}  // namespace

std::string_view event_source_name(EventSource s) noexcept {
  return name_of(kSources, s);
}
std::optional<EventSource> parse_event_source(std::string_view name) noexcept {
  return parse_in(kSources, name);
}
std::string_view reason_name(Reason r) noexcept {
  return name_of(kReasons, r);
}
std::optional<Reason> parse_reason(std::string_view name) noexcept {
  return parse_in(kReasons, name);
}
std::string_view decision_name(Decision d) noexcept {
  return name_of(kDecisions, d);
}
std::optional<Decision> parse_decision(std::string_view name) noexcept {
  return parse_in(kDecisions, name);
}

std::string_view sms_mode_name(TouchpointSms::Mode m) noexcept {
  return m == TouchpointSms::Mode::reply ? "reply" : "link";
}

SenderRule sender_rule(const OutreachRules& rules, std::string_view sender) {
  auto first = [&](std::string_view name) -> const SenderRule* {
    for (const SenderRule& r : rules.senders)
      if (r.sender == name) return &r;
    return nullptr;
  };
  const SenderRule* found = sender == "*" ? nullptr : first(sender);
  if (found == nullptr) found = first("*");
  SenderRule out;
  if (found != nullptr) {
    out = *found;
  } else {
    out.sender = "*";
  }
  if (out.completed.empty()) out.completed = default_completed();
  if (out.cancels.empty()) out.cancels = default_cancels();
  return out;
}

Language outreach_language(std::string_view recorded) {
  std::string tag = lower(trim(recorded));
  // "fi-FI", "sv_FI", "fin^Finnish": the primary part decides.
  if (auto cut = tag.find_first_of("-_^ "); cut != std::string::npos) tag.resize(cut);
  static const std::set<std::string> kFinnish{"fi", "fin", "suomi", "finnish", "finska"};
  static const std::set<std::string> kSwedish{"sv", "swe", "sve", "svenska", "ruotsi", "swedish"};
  if (kFinnish.count(tag)) return Language::fi;
  if (kSwedish.count(tag)) return Language::sv;
  return Language::en;
}

std::optional<int> age_at(const CareEvent& event, std::chrono::year_month_day day) {
  if (event.birth_date) return years_between(*event.birth_date, day);
  if (event.age) {
    if (*event.age < 0) return std::nullopt;
    return event.age;
  }
  if (auto birth = hetu_birth_date(event.person_id)) return years_between(*birth, day);
  return std::nullopt;
}

EventMapping map_event(const Model& model, const OutreachRules& rules, const CareEvent& event) {
  EventMapping out;
  const SenderRule rule = sender_rule(rules, event.sender);
  if (contains_ci(rule.completed, trim(event.trigger)))
    out.meaning = EventMeaning::completed;
  else if (contains_ci(rule.cancels, trim(event.trigger)))
    out.meaning = EventMeaning::cancelled;
  const OrgUnit* unit = nullptr;
  for (const UnitCode& code : event.unit_codes) {
    unit = find_unit(model, rule, code);
    if (unit != nullptr) break;
  }
  if (unit == nullptr) {
    out.reasons.push_back(Reason::unknown_unit);
    return out;
  }
  out.unit = unit->id;
  for (const TouchpointRule& r : rules.mappings) {
    const Touchpoint* tp = model.touchpoint(r.touchpoint);
    if (tp == nullptr || !tp->has_channel(Channel::sms)) continue;
    if (rule_matches(model, r, *tp, out.unit, event)) {
      out.touchpoint = tp->id;
      return out;
    }
  }
  if (const Touchpoint* tp = default_touchpoint(model, out.unit)) {
    out.touchpoint = tp->id;
  } else {
    out.reasons.push_back(Reason::no_touchpoint);
  }
  return out;
}

DecisionOutcome decide(const Model& model, const OutreachRules& rules, const CareEvent& event,
                       const EventMapping& mapping, const PersonHistory& history, TimePoint now,
                       TimePoint send_at) {
  using std::chrono::days;
  DecisionOutcome out;
  out.language = outreach_language(event.language);
  const TimePoint visit = event.visit_time.value_or(now);
  const std::optional<int> age = age_at(event, day_of(visit));
  out.age_group = age ? age_group_for_age(*age) : AgeGroup::unknown;

  // Not decidable here: say why, in the caller's terms.
  const Touchpoint* tp = mapping.touchpoint.empty() ? nullptr : model.touchpoint(mapping.touchpoint);
  if (mapping.meaning != EventMeaning::completed) {
    out.decision = Decision::excluded;
    out.reasons = {mapping.meaning == EventMeaning::cancelled ? Reason::cancelled : Reason::not_completed};
    return out;
  }
  if (tp == nullptr) {
    out.decision = Decision::unmapped;
    out.reasons = mapping.reasons.empty() ? std::vector<Reason>{Reason::no_touchpoint} : mapping.reasons;
    return out;
  }

  // Hard rules: every one that applies.
  std::vector<Reason>& why = out.reasons;
  const int min_age = tp->sms.min_age.value_or(rules.min_age);
  if (min_age > 0 && (!age || *age < min_age)) why.push_back(Reason::under_age);
  if (event.non_disclosure) why.push_back(Reason::turvakielto);
  if (event.deceased) why.push_back(Reason::deceased);
  std::vector<std::string> seen;  // distinct plausible numbers (normalised)
  std::string first_mobile;
  for (const std::string& m : event.mobiles) {
    std::string key = mobile_key(m);
    if (key.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    if (seen.empty()) first_mobile = std::string(trim(m));
    seen.push_back(std::move(key));
  }
  if (seen.empty()) why.push_back(Reason::no_mobile);
  if (seen.size() > 1) why.push_back(Reason::several_mobiles);
  if (history.opted_out) why.push_back(Reason::opted_out);
  if (rules.consent_required && event.consent != true) why.push_back(Reason::no_consent);
  if (contains_ci(rules.sensitive_services, trim(event.service)) ||
      in_any_subtree(model, mapping.unit, rules.sensitive_units))
    why.push_back(Reason::sensitive_service);
  if (now > send_at + days(rules.send_window_days)) why.push_back(Reason::too_old);

  // Soft rules: the first that applies.
  if (why.empty()) {
    const Frequency& f = tp->frequency;
    if (rules.follow_up_days > 0 && history.last_surveyed_visit_here &&
        std::chrono::abs(visit - *history.last_surveyed_visit_here) < days(rules.follow_up_days)) {
      why.push_back(Reason::follow_up_visit);
    } else if (rules.contact_cap_days > 0 && history.last_contacted &&
               now - *history.last_contacted < days(rules.contact_cap_days)) {
      why.push_back(Reason::contact_cap);
    } else if (f.kind == Frequency::Kind::sampled &&
               sample_point(event.sender, event.visit_id.empty() ? event.message_id : event.visit_id,
                            tp->id) >= f.sample_share) {
      why.push_back(Reason::not_sampled);
    } else if (tp->sms.daily_cap > 0 && history.scheduled_on_send_day >= tp->sms.daily_cap) {
      why.push_back(Reason::daily_cap);
    }
  }
  if (why.empty()) {
    out.decision = Decision::scheduled;
    out.mobile = first_mobile;
  } else {
    out.decision = Decision::excluded;
  }
  return out;
}

}  // namespace kaiku::domain
