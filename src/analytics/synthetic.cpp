// Deterministic synthetic responses (see synthetic.hpp for the shape).
//
// The generator first spreads the responses over the days (weekly and seasonal
// rhythm, exact total by largest remainders), then, day by day, draws sorted
// times of day and for each answer a "slot" (touchpoint x unit, weighted by
// volume), a channel, survey variant, respondent, language and age group, a
// latent experience (promoter / passive / detractor, from the unit's level and
// the channel and age effects) and answers consistent with it. One private
// xoshiro256** stream seeded from options.seed drives everything; stable
// per-unit and per-question effects come from hashing the seed with the id.
#include "analytics/synthetic.hpp"

#include "analytics/synthetic_phrases.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kaiku::analytics {
namespace {

using domain::AgeGroup;
using domain::Channel;
using domain::Language;
using domain::QuestionType;
using domain::Respondent;

// Free-form feedback is stored by the service under this survey id with one open
// text answer keyed "text" (service/survey_service.hpp; analytics cannot include it).
constexpr const char* kFeedbackSurvey = "feedback";
constexpr const char* kFeedbackText = "text";
constexpr double kFeedbackShare = 0.01;
// A survey's optional background question whose option keys are age-group names
// (the service takes the response's age group from it when no record gives one).
constexpr const char* kAgeQuestion = "age_group";

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna), seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>((next() >> 32) * n >> 32); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

// A stable number in [0, 1) for (seed, name): per-unit and per-question effects.
double stable_uniform(std::uint64_t seed, std::string_view name, std::uint64_t salt) {
  std::uint64_t h = 1469598103934665603ull ^ salt;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::uint64_t x = h ^ (seed * 0x9E3779B97F4A7C15ull);
  return static_cast<double>(splitmix64(x) >> 11) * 0x1.0p-53;
}

// Picks an index from cumulative weights (last element = total).
std::size_t pick(const std::vector<double>& cumulative, double u) {
  const double target = u * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

// A value lo + i with probability weights[i] / sum(weights).
template <std::size_t N>
struct Discrete {
  std::array<double, N> cum{};
  int lo = 0;
  constexpr Discrete(std::array<double, N> weights, int first) : lo(first) {
    double total = 0;
    for (double w : weights) total += w;
    double acc = 0;
    for (std::size_t i = 0; i < N; ++i) cum[i] = (acc += weights[i]) / total;
  }
  int operator()(double u) const {
    for (std::size_t i = 0; i < N; ++i)
      if (u < cum[i]) return lo + static_cast<int>(i);
    return lo + static_cast<int>(N) - 1;
  }
};

constexpr Discrete<7> kDetractorNps({0.6, 0.3, 0.4, 0.6, 0.9, 1.6, 2.2}, 0);
constexpr Discrete<5> kPromoterScale({0.005, 0.015, 0.06, 0.3, 0.62}, 1);
constexpr Discrete<5> kPassiveScale({0.02, 0.06, 0.22, 0.5, 0.2}, 1);
constexpr Discrete<5> kDetractorScale({0.2, 0.28, 0.3, 0.17, 0.05}, 1);
constexpr Discrete<3> kPassiveFaces({0.1, 0.6, 0.3}, 1);

// The phrase bank (synthetic_phrases.cpp): a phrase of a tone in a language.
using detail::Phrase;
using detail::Tone;
using detail::praise;
using detail::complaint;
using detail::suggestion;
using detail::mixed;

const Phrase& phrase(Rng& rng, Language lang, Tone tone) {
  const auto& list = detail::phrases(lang, tone);
  return list[rng.below(list.size())];
}

// ---------------------------------------------------------------------------
// The plan: what can be answered where, precomputed once.

enum Experience { promoter, passive, detractor };

struct QuestionPlan {
  const domain::Question* q = nullptr;
  double harder = 0;     // probability of one step lower on a scale (statement difficulty)
  bool improve = false;  // an open "what could we do better" question
};

struct SurveyPlan {
  const domain::Survey* survey = nullptr;
  std::vector<QuestionPlan> questions;
};

struct Slot {
  const domain::Touchpoint* tp = nullptr;
  std::size_t unit = 0;             // index into Generator::units_
  const SurveyPlan* main = nullptr;
  const SurveyPlan* child = nullptr;
  const SurveyPlan* relative = nullptr;
  std::vector<Channel> channels;
  std::vector<double> channel_cum;
  double weight = 0;
  int periodic = -1;                // index into periodic touchpoints, or -1
};

struct UnitInfo {
  const std::string* id = nullptr;
  double nps = 0;        // the unit's level, points
  double sv_factor = 1;  // the unit's share of Swedish speakers relative to the county
};

double channel_effect(Channel c) {
  switch (c) {
    case Channel::sms: return 6;
    case Channel::web: return -5;
    case Channel::qr: return -2;
    case Channel::kiosk: return -4;
    case Channel::tablet: return 3;
    case Channel::paper: return 2;
    case Channel::phone: return 4;
    default: return 0;
  }
}

double channel_volume(Channel c) {
  switch (c) {
    case Channel::web: return 1.2;
    case Channel::qr: return 1.0;
    case Channel::tablet: return 1.2;
    case Channel::paper: return 0.5;
    case Channel::phone: return 0.6;
    case Channel::kiosk: return 1.0;
    default: return 0.4;
  }
}

double age_effect(AgeGroup g) {
  switch (g) {
    case AgeGroup::under_18: return 2;
    case AgeGroup::from_18_to_34: return -7;
    case AgeGroup::from_35_to_49: return -3;
    case AgeGroup::from_50_to_64: return 1;
    case AgeGroup::from_65_to_74: return 5;
    case AgeGroup::from_75: return 6;
    default: return 0;
  }
}

constexpr std::array<AgeGroup, 7> kAges{AgeGroup::unknown,       AgeGroup::under_18,      AgeGroup::from_18_to_34,
                                        AgeGroup::from_35_to_49, AgeGroup::from_50_to_64, AgeGroup::from_65_to_74,
                                        AgeGroup::from_75};

class Generator {
 public:
  Generator(const domain::Model& model, const SyntheticOptions& options)
      : model_(model), options_(options), rng_(options.seed) {
    plan_languages();
    plan_units();
    plan_slots();
  }

  void run(const std::function<void(domain::Response&&)>& sink) {
    if (slots_.empty() || options_.responses <= 0) return;
    const Day from = options_.from, to = std::max(options_.from, options_.to);
    const std::vector<std::int64_t> per_day = day_counts(from, to);
    const TimeZone& zone = TimeZone::helsinki();
    std::int64_t index = 0;
    std::vector<std::int64_t> times;
    for (Day d = from; d <= to; ++d) {
      const std::int64_t count = per_day[static_cast<std::size_t>(d - from)];
      if (count == 0) continue;
      const std::vector<double>& table = active_table(d);
      // A slow improvement over the years and a dip in the winter rush.
      const CivilDate c = civil_from_day(d);
      const double drift = 1.5 * (c.year - 2025) + ((c.month <= 2) ? -3 : 0);
      const std::int64_t start = zone.start_of_day(d).time_since_epoch().count();
      const std::int64_t end = zone.start_of_day(d + 1).time_since_epoch().count();
      times.resize(static_cast<std::size_t>(count));
      for (auto& t : times) t = std::min(end - 1, start + time_of_day_ms());
      std::sort(times.begin(), times.end());
      for (std::int64_t t : times) {
        sink(make(t, table, index, drift));
        ++index;
      }
    }
  }

 private:
  void plan_languages() {
    const std::array<std::pair<Language, double>, 4> shares{
        {{Language::fi, 0.75}, {Language::sv, 0.20}, {Language::en, 0.04}, {Language::fi_selko, 0.01}}};
    for (auto [lang, share] : shares) {
      if (!model_.languages.empty() && !model_.language_enabled(lang)) continue;
      languages_.push_back(lang);
      language_share_.push_back(share);
    }
    if (languages_.empty()) {
      languages_.push_back(Language::fi);
      language_share_.push_back(1);
    }
  }

  void plan_units() {
    for (const auto& u : model_.units) {
      UnitInfo info;
      info.id = &u.id;
      // Levels 40-85, most between 50 and 75.
      const double a = stable_uniform(options_.seed, u.id, 1), b = stable_uniform(options_.seed, u.id, 2);
      info.nps = 40 + 45 * (a + b) / 2;
      info.sv_factor = 0.5 + 1.0 * stable_uniform(options_.seed, u.id, 3);
      unit_index_.emplace(u.id, units_.size());
      units_.push_back(info);
    }
  }

  std::size_t unit_for(const std::string& id) {
    auto it = unit_index_.find(id);
    if (it != unit_index_.end()) return it->second;
    UnitInfo info;
    info.id = &id;
    info.nps = 60;
    unit_index_.emplace(id, units_.size());
    units_.push_back(info);
    return units_.size() - 1;
  }

  const SurveyPlan* survey_plan(const std::string& id) {
    if (id.empty()) return nullptr;
    const domain::Survey* s = model_.survey(id);
    if (s == nullptr) return nullptr;
    for (const auto& p : surveys_)
      if (p.survey == s) return &p;
    SurveyPlan plan;
    plan.survey = s;
    for (const auto& q : s->questions) {
      if (q.type == QuestionType::contact_request) continue;
      plan.questions.push_back(
          {&q, 0.3 * stable_uniform(options_.seed, q.key, 4), q.key.find("improve") != std::string::npos});
    }
    surveys_.push_back(std::move(plan));
    return &surveys_.back();
  }

  void plan_slots() {
    surveys_.reserve(model_.surveys.size() + 1);
    // Units with very low volume: one in twelve of the measured units (none in a
    // model with fewer than twelve), chosen by the seed.
    std::vector<std::pair<double, std::string>> measured;
    for (const auto& tp : model_.touchpoints)
      for (const auto& unit : tp.units)
        if (std::none_of(measured.begin(), measured.end(), [&](const auto& m) { return m.second == unit; }))
          measured.emplace_back(stable_uniform(options_.seed, unit, 5), unit);
    std::sort(measured.begin(), measured.end());
    measured.resize(measured.size() / 12);
    auto low_volume = [&](const std::string& unit) {
      return std::any_of(measured.begin(), measured.end(), [&](const auto& m) { return m.second == unit; });
    };
    for (const auto& tp : model_.touchpoints) {
      const SurveyPlan* main = survey_plan(tp.survey);
      if (main == nullptr) continue;
      int periodic = -1;
      if (tp.frequency.kind == domain::Frequency::Kind::periodic && !tp.frequency.windows.empty()) {
        periodic = static_cast<int>(periodic_.size());
        periodic_.push_back(&tp);
      }
      std::vector<Channel> channels = tp.channels;
      if (channels.empty()) channels.push_back(Channel::web);
      const bool has_sms = tp.has_channel(Channel::sms);
      std::vector<double> weights;
      double others = 0;
      for (Channel c : channels) others += c == Channel::sms ? 0 : channel_volume(c);
      for (Channel c : channels) {
        if (c == Channel::sms) weights.push_back(others > 0 ? 0.8 : 1.0);
        else weights.push_back(has_sms ? 0.2 * channel_volume(c) / others : channel_volume(c));
      }
      std::vector<double> cum;
      double acc = 0;
      for (double w : weights) cum.push_back(acc += w);
      double base = has_sms ? 10 : tp.has_channel(Channel::kiosk) ? 6 : 2.5;
      if (tp.frequency.kind == domain::Frequency::Kind::sampled) base *= std::max(0.05, tp.frequency.sample_share);
      if (periodic >= 0) base *= 20;  // a two-week window collects a lot at once
      std::vector<std::string> where = tp.units;
      if (where.empty()) where.push_back(model_.county_id);
      for (const auto& unit : where) {
        Slot s;
        s.tp = &tp;
        s.unit = unit_for(unit);
        s.main = main;
        s.child = survey_plan(tp.child_survey);
        s.relative = survey_plan(tp.relative_survey);
        s.channels = channels;
        s.channel_cum = cum;
        s.periodic = periodic;
        s.weight = base * (0.4 + 1.6 * stable_uniform(options_.seed, tp.id + "/" + unit, 6));
        if (low_volume(unit)) s.weight *= 0.0015;
        slots_.push_back(std::move(s));
      }
    }
  }

  // Relative volume of a day: weekdays, weekends, summer and Christmas.
  static double day_weight(Day d) {
    const std::int64_t wd = ((static_cast<std::int64_t>(d) + 3) % 7 + 7) % 7;  // Monday = 0
    const double week[7] = {1.15, 1.05, 1.0, 1.0, 0.9, 0.3, 0.25};
    const CivilDate c = civil_from_day(d);
    double season = 1.0;
    if (c.month == 7) season = 0.55;
    else if ((c.month == 6 && c.day >= 20) || (c.month == 8 && c.day <= 10)) season = 0.75;
    else if ((c.month == 12 && c.day >= 20) || (c.month == 1 && c.day <= 6)) season = 0.5;
    else if (c.month >= 1 && c.month <= 3) season = 1.1;  // flu season
    return week[wd] * season;
  }

  std::vector<std::int64_t> day_counts(Day from, Day to) const {
    const std::size_t days = static_cast<std::size_t>(to - from) + 1;
    std::vector<double> weight(days);
    double total = 0;
    for (std::size_t i = 0; i < days; ++i) total += weight[i] = day_weight(from + static_cast<Day>(i));
    std::vector<std::int64_t> count(days);
    std::vector<std::pair<double, std::size_t>> remainder(days);
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < days; ++i) {
      const double exact = static_cast<double>(options_.responses) * weight[i] / total;
      count[i] = static_cast<std::int64_t>(std::floor(exact));
      assigned += count[i];
      remainder[i] = {exact - static_cast<double>(count[i]), i};
    }
    std::stable_sort(remainder.begin(), remainder.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < options_.responses; k = (k + 1) % days, ++assigned)
      count[remainder[k].second] += 1;
    return count;
  }

  bool in_window(const domain::Touchpoint& tp, Day d) const {
    const CivilDate c = civil_from_day(d);
    for (const auto& w : tp.frequency.windows) {
      for (int y : {c.year - 1, c.year}) {
        const unsigned month = static_cast<unsigned>(std::clamp(w.month, 1, 12));
        const Day last_of_month = shift_period(Period::month, day_from_civil(y, month, 1), 1) - 1;
        const Day start = std::min(day_from_civil(y, month, 1) + std::max(w.day, 1) - 1, last_of_month);
        if (d >= start && d < start + std::max(w.length_days, 1)) return true;
      }
    }
    return false;
  }

  // Cumulative slot weights for the touchpoints active on `d` (cached per set).
  const std::vector<double>& active_table(Day d) {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < periodic_.size() && i < 64; ++i)
      if (in_window(*periodic_[i], d)) mask |= 1ull << i;
    auto it = tables_.find(mask);
    if (it != tables_.end()) return it->second;
    std::vector<double> cum;
    double acc = 0;
    for (const Slot& s : slots_) {
      const bool active = s.periodic < 0 || (s.periodic < 64 && (mask >> s.periodic & 1));
      cum.push_back(acc += active ? s.weight : 0);
    }
    if (acc <= 0) {  // nothing active: fall back to every slot
      acc = 0;
      for (std::size_t i = 0; i < slots_.size(); ++i) cum[i] = acc += slots_[i].weight;
    }
    return tables_.emplace(mask, std::move(cum)).first->second;
  }

  // Milliseconds after local midnight: quiet nights, busy days, SMS evenings.
  std::int64_t time_of_day_ms() {
    static const std::array<double, 24> kHours{0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 2.0, 4.5, 6.5, 7.0, 7.0,
                                               6.0, 6.5, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0, 3.5, 2.5, 1.5, 0.6};
    static const std::vector<double> kCum = [] {
      std::vector<double> c;
      double a = 0;
      for (double w : kHours) c.push_back(a += w);
      return c;
    }();
    const auto hour = static_cast<std::int64_t>(pick(kCum, rng_.uniform()));
    return hour * 3'600'000 + static_cast<std::int64_t>(rng_.below(3'600'000));
  }

  Language pick_language(const UnitInfo& unit) {
    double total = 0;
    std::array<double, 4> w{};
    for (std::size_t i = 0; i < languages_.size(); ++i) {
      w[i] = language_share_[i] * (languages_[i] == Language::sv ? unit.sv_factor : 1.0);
      total += w[i];
    }
    double u = rng_.uniform() * total;
    for (std::size_t i = 0; i < languages_.size(); ++i) {
      if (u < w[i]) return languages_[i];
      u -= w[i];
    }
    return languages_.front();
  }

  AgeGroup pick_age(Channel channel, Respondent who) {
    // unknown, <18, 18-34, 35-49, 50-64, 65-74, 75+
    static const std::array<double, 7> kSms{0.02, 0.04, 0.17, 0.19, 0.24, 0.2, 0.14};
    static const std::array<double, 7> kWeb{0.04, 0.06, 0.3, 0.27, 0.2, 0.09, 0.04};
    static const std::array<double, 7> kStaff{0.05, 0.05, 0.08, 0.1, 0.17, 0.25, 0.3};  // tablet/paper/phone
    static const std::array<double, 7> kBehalf{0.05, 0.25, 0.02, 0.03, 0.08, 0.17, 0.4};
    const std::array<double, 7>* w = &kSms;
    if (who == Respondent::on_behalf) w = &kBehalf;
    else if (channel == Channel::web || channel == Channel::qr || channel == Channel::kiosk) w = &kWeb;
    else if (channel == Channel::tablet || channel == Channel::paper || channel == Channel::phone) w = &kStaff;
    double u = rng_.uniform();
    for (std::size_t i = 0; i < kAges.size(); ++i) {
      if (u < (*w)[i]) return kAges[i];
      u -= (*w)[i];
    }
    return AgeGroup::from_50_to_64;
  }

  Experience pick_experience(double nps_points) {
    const double nps = std::clamp(nps_points, -95.0, 97.0) / 100.0;
    const double passives = std::min(0.22, (1 - std::fabs(nps)) * 0.6);
    const double promoters = (1 - passives + nps) / 2;
    const double u = rng_.uniform();
    if (u < promoters) return promoter;
    if (u < promoters + passives) return passive;
    return detractor;
  }

  int scale_value(Experience e, QuestionType type, double harder) {
    const double u = rng_.uniform();
    int v = 0;
    switch (type) {
      case QuestionType::nps:
        if (e == promoter) return u < 0.62 ? 10 : 9;
        if (e == passive) return u < 0.55 ? 8 : 7;
        return kDetractorNps(u);
      case QuestionType::agreement:
      case QuestionType::smiley5:
        v = e == promoter ? kPromoterScale(u) : e == passive ? kPassiveScale(u) : kDetractorScale(u);
        if (v > 1 && rng_.chance(harder)) v -= 1;
        return v;
      case QuestionType::smiley3:
        if (e == promoter) return u < 0.85 ? 3 : 2;
        if (e == passive) return kPassiveFaces(u);
        return u < 0.6 ? 1 : 2;
      default: return 0;
    }
  }

  // Answers `plan` for `r` (its language, channel and age group set) with experience `e`.
  void answer_survey(const SurveyPlan& plan, Experience e, domain::Response& r) {
    const bool kiosk = r.channel == Channel::kiosk;
    const Language lang = r.language;
    std::vector<domain::Answer>& out = r.answers;
    if (kiosk && !plan.survey->kiosk_question.empty()) {  // a kiosk tap answers one question
      for (const auto& qp : plan.questions) {
        if (qp.q->key != plan.survey->kiosk_question) continue;
        domain::Answer a;
        a.key = qp.q->key;
        a.number = scale_value(e, qp.q->type, qp.harder);
        out.push_back(std::move(a));
      }
      return;
    }
    out.reserve(plan.questions.size());
    for (const auto& qp : plan.questions) {
      const domain::Question& q = *qp.q;
      domain::Answer a;
      a.key = q.key;
      switch (q.type) {
        case QuestionType::nps:
          if (!q.required && !rng_.chance(0.98)) continue;
          a.number = scale_value(e, q.type, 0);
          break;
        case QuestionType::agreement:
          if (!q.required && !rng_.chance(0.92)) continue;
          if (rng_.chance(0.05)) a.cant_say = true;
          else a.number = scale_value(e, q.type, qp.harder);
          break;
        case QuestionType::smiley3:
        case QuestionType::smiley5:
          if (!q.required && !rng_.chance(0.95)) continue;
          a.number = scale_value(e, q.type, qp.harder);
          break;
        case QuestionType::single_choice:
          if (q.key == kAgeQuestion) {  // the background question agrees with the age group
            const auto option = std::find_if(q.options.begin(), q.options.end(), [&](const domain::ChoiceOption& o) {
              return o.key == domain::age_group_name(r.age_group);
            });
            if (r.age_group != AgeGroup::unknown && option != q.options.end() && (q.required || rng_.chance(0.7))) {
              a.choices.push_back(option->key);
              break;
            }
            // Unanswered: an anonymous web/QR answer then has no age group at all.
            if (r.channel == Channel::web || r.channel == Channel::qr) r.age_group = AgeGroup::unknown;
            if (!q.required) continue;
          }
          if (q.options.empty() || (!q.required && !rng_.chance(0.6))) continue;
          a.choices.push_back(q.options[rng_.below(q.options.size())].key);
          break;
        case QuestionType::multi_choice: {
          if (q.options.empty() || (!q.required && !rng_.chance(0.4))) continue;
          const std::size_t first = rng_.below(q.options.size());
          a.choices.push_back(q.options[first].key);
          const std::size_t second = rng_.below(q.options.size());
          if (second != first && rng_.chance(0.4)) a.choices.push_back(q.options[second].key);
          break;
        }
        case QuestionType::open_text: {
          if (!options_.open_text && !q.required) continue;
          const bool improve = qp.improve;
          double p = 0.12;
          if (e == detractor) p = improve ? 0.35 : 0.05;
          if (e == promoter) p = improve ? 0.06 : 0.2;
          if (!q.required && !rng_.chance(p)) continue;
          Tone tone = praise;
          if (improve) tone = e == detractor ? complaint : rng_.chance(0.5) ? suggestion : mixed;
          else tone = e == detractor ? mixed : praise;
          const Phrase& said = phrase(rng_, lang, tone);
          std::string_view text = said.text;
          if (text.size() > static_cast<std::size_t>(q.max_length)) text = text.substr(0, 0);
          if (text.empty()) {
            if (q.required) {
              a.text = "ok";
              r.insights.push_back(detail::synthetic_insight(Phrase{"ok", "", ""}, suggestion, lang, q.key, model_));
              r.insights.back().suggestion = false;  // "ok": neutral, no themes
            } else {
              continue;
            }
          } else {
            a.text = std::string(text);
            r.insights.push_back(detail::synthetic_insight(said, tone, lang, q.key, model_));
          }
          break;
        }
        case QuestionType::contact_request: continue;
      }
      out.push_back(std::move(a));
    }
  }

  domain::Response make(std::int64_t t, const std::vector<double>& table, std::int64_t index, double drift) {
    domain::Response r;
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
    r.submission_key.reserve(key_prefix_.size() + static_cast<std::size_t>(end - digits));
    r.submission_key.append(key_prefix_).append(digits, end);
    r.model_version = model_.version;
    r.answered_at = TimePoint(std::chrono::milliseconds(t));
    const Slot& slot = slots_[pick(table, rng_.uniform())];
    const UnitInfo& unit = units_[slot.unit];
    r.unit = *unit.id;
    r.language = pick_language(unit);

    if (rng_.chance(kFeedbackShare)) {  // free-form feedback about the unit
      r.channel = Channel::feedback;
      r.survey = kFeedbackSurvey;
      const double u = rng_.uniform();
      r.respondent = u < 0.8 ? Respondent::self : u < 0.9 ? Respondent::relative : Respondent::other;
      r.age_group = AgeGroup::unknown;
      const Experience e = pick_experience(unit.nps - 35 + drift);  // feedback skews to complaints
      const Tone tone = e == promoter ? praise : e == passive ? suggestion : complaint;
      r.feedback_kind = tone == praise ? "praise" : tone == suggestion ? "suggestion" : "complaint";
      domain::Answer a;
      a.key = kFeedbackText;
      const Phrase& said = phrase(rng_, r.language, tone);
      a.text = std::string(said.text);
      r.insights.push_back(detail::synthetic_insight(said, tone, r.language, kFeedbackText, model_));
      r.answers.push_back(std::move(a));
      return r;
    }

    r.touchpoint = slot.tp->id;
    r.channel = slot.channels[pick(slot.channel_cum, rng_.uniform())];
    const SurveyPlan* plan = slot.main;
    const bool kiosk = r.channel == Channel::kiosk;
    if (!kiosk && slot.child != nullptr && rng_.chance(0.25)) plan = slot.child;
    else if (!kiosk && slot.relative != nullptr && rng_.chance(0.08)) plan = slot.relative;
    const domain::Audience audience = plan->survey->audience;
    if (audience == domain::Audience::child) {
      r.respondent = Respondent::self;
      r.age_group = AgeGroup::under_18;
    } else if (audience == domain::Audience::relative) {
      r.respondent = Respondent::relative;
      r.age_group = pick_age(r.channel, Respondent::self);
    } else {
      r.respondent = plan->survey->allow_on_behalf && !kiosk && rng_.chance(0.07) ? Respondent::on_behalf
                                                                                   : Respondent::self;
      r.age_group = pick_age(r.channel, r.respondent);
    }
    if (kiosk) r.age_group = AgeGroup::unknown;
    r.survey = plan->survey->id;
    const double level = unit.nps + channel_effect(r.channel) + age_effect(r.age_group) + drift +
                         (r.respondent == Respondent::relative ? -8 : 0);
    answer_survey(*plan, pick_experience(level), r);
    return r;
  }

  const domain::Model& model_;
  const SyntheticOptions& options_;
  const std::string key_prefix_ = "gen-" + std::to_string(options_.seed) + "-";
  Rng rng_;
  std::vector<Language> languages_;
  std::vector<double> language_share_;
  std::vector<UnitInfo> units_;
  std::unordered_map<std::string, std::size_t> unit_index_;
  std::vector<SurveyPlan> surveys_;
  std::vector<Slot> slots_;
  std::vector<const domain::Touchpoint*> periodic_;
  std::unordered_map<std::uint64_t, std::vector<double>> tables_;
};

}  // namespace

void generate_responses(const domain::Model& model, const SyntheticOptions& options,
                        const std::function<void(domain::Response&&)>& sink) {
  Generator generator(model, options);
  generator.run(sink);
}

}  // namespace kaiku::analytics
