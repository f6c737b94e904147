#include "domain/response.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "base/encoding.hpp"

namespace kaiku::domain {
namespace {

constexpr std::string_view kContactPrefix = "contact.";

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Parses a whole decimal integer without sign tricks ("07" ok, "7a", "", "+7" not).
std::optional<int> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The non-empty values given for `key`, or an empty list.
std::vector<std::string> given(const RawAnswers& raw, const std::string& key) {
  std::vector<std::string> out;
  if (auto it = raw.find(key); it != raw.end())
    for (const std::string& v : it->second)
      if (!trim(v).empty()) out.push_back(trim(v));
  return out;
}

std::string first_value(const RawAnswers& raw, const std::string& key) {
  auto values = given(raw, key);
  return values.empty() ? std::string() : values.front();
}

bool has_option(const Question& q, const std::string& key) {
  return std::any_of(q.options.begin(), q.options.end(), [&](const ChoiceOption& o) { return o.key == key; });
}

void check_scale(const Question& q, const std::vector<std::string>& values, int lo, int hi, bool allow_cant_say,
                 Answer& a, std::vector<FieldError>& errors) {
  if (values.size() > 1) {
    errors.push_back({q.key, "too_many_values", q.key + ": expected one value"});
    return;
  }
  if (allow_cant_say && values[0] == "cant_say") {
    a.cant_say = true;
    return;
  }
  auto n = parse_int(values[0]);
  if (!n) {
    errors.push_back({q.key, "not_a_number", q.key + ": expected a whole number " + std::to_string(lo) + "-" +
                                                 std::to_string(hi) + (allow_cant_say ? " or cant_say" : "")});
  } else if (*n < lo || *n > hi) {
    errors.push_back({q.key, "out_of_range",
                      q.key + ": " + values[0] + " is outside " + std::to_string(lo) + "-" + std::to_string(hi)});
  } else {
    a.number = *n;
  }
}

}  // namespace

std::string_view respondent_name(Respondent r) noexcept {
  switch (r) {
    case Respondent::self: return "self";
    case Respondent::on_behalf: return "on_behalf";
    case Respondent::relative: return "relative";
    case Respondent::other: return "other";
  }
  return "self";
}

std::optional<Respondent> parse_respondent(std::string_view name) noexcept {
  if (name == "self") return Respondent::self;
  if (name == "on_behalf") return Respondent::on_behalf;
  if (name == "relative") return Respondent::relative;
  if (name == "other") return Respondent::other;
  return std::nullopt;
}

std::string_view age_group_name(AgeGroup g) noexcept {
  switch (g) {
    case AgeGroup::unknown: return "unknown";
    case AgeGroup::under_18: return "under_18";
    case AgeGroup::from_18_to_34: return "18_34";
    case AgeGroup::from_35_to_49: return "35_49";
    case AgeGroup::from_50_to_64: return "50_64";
    case AgeGroup::from_65_to_74: return "65_74";
    case AgeGroup::from_75: return "75_plus";
  }
  return "unknown";
}

std::optional<AgeGroup> parse_age_group(std::string_view name) noexcept {
  for (int i = 0; i < kAgeGroupCount; ++i) {
    auto g = static_cast<AgeGroup>(i);
    if (age_group_name(g) == name) return g;
  }
  return std::nullopt;
}

AgeGroup age_group_for_age(int years) noexcept {
  if (years < 0) return AgeGroup::unknown;
  if (years < 18) return AgeGroup::under_18;
  if (years < 35) return AgeGroup::from_18_to_34;
  if (years < 50) return AgeGroup::from_35_to_49;
  if (years < 65) return AgeGroup::from_50_to_64;
  if (years < 75) return AgeGroup::from_65_to_74;
  return AgeGroup::from_75;
}

bool plausible_phone(std::string_view phone) noexcept {
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c != ' ' && c != '-' && c != '(' && c != ')') return false;
  }
  return digits >= 6 && digits <= 20;
}

bool plausible_email(std::string_view email) noexcept {
  if (email.size() > 254) return false;
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(email.begin(), email.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>'; });
}

std::vector<FieldError> validate_answers(const Survey& survey, const RawAnswers& raw, bool reject_unknown,
                                         std::vector<Answer>& answers, std::optional<ContactRequest>& contact) {
  std::vector<FieldError> errors;
  answers.clear();
  contact.reset();
  const Question* contact_question = nullptr;
  for (const Question& q : survey.questions)
    if (q.type == QuestionType::contact_request) contact_question = &q;

  for (const auto& [key, values] : raw) {
    for (const std::string& v : values) {
      if (!is_valid_utf8(v)) {
        errors.push_back({key, "invalid_encoding", key + ": not valid UTF-8"});
        break;
      }
    }
    const bool is_contact_field = key.rfind(kContactPrefix, 0) == 0;
    if (is_contact_field) {
      static const std::set<std::string> kFields{"contact.wanted", "contact.name", "contact.phone", "contact.email",
                                                 "contact.consent"};
      if ((contact_question == nullptr || !kFields.count(key)) && reject_unknown)
        errors.push_back({key, "unknown_field", key + ": this survey has no such field"});
      continue;
    }
    const Question* q = survey.question(key);
    if ((q == nullptr || q->type == QuestionType::contact_request) && reject_unknown)
      errors.push_back({key, "unknown_field", key + ": no question with this key in survey " + survey.id});
  }
  if (!errors.empty() && std::any_of(errors.begin(), errors.end(),
                                     [](const FieldError& e) { return e.code == "invalid_encoding"; }))
    return errors;

  for (const Question& q : survey.questions) {
    if (q.type == QuestionType::contact_request) continue;
    const std::vector<std::string> values = given(raw, q.key);
    if (values.empty()) {
      if (q.required) errors.push_back({q.key, "required", q.key + ": an answer is required"});
      continue;
    }
    Answer a;
    a.key = q.key;
    const std::size_t before = errors.size();
    switch (q.type) {
      case QuestionType::nps: check_scale(q, values, 0, 10, false, a, errors); break;
      case QuestionType::agreement: check_scale(q, values, 1, 5, true, a, errors); break;
      case QuestionType::smiley3: check_scale(q, values, 1, 3, false, a, errors); break;
      case QuestionType::smiley5: check_scale(q, values, 1, 5, false, a, errors); break;
      case QuestionType::single_choice:
        if (values.size() > 1) errors.push_back({q.key, "too_many_values", q.key + ": choose one option"});
        else if (!has_option(q, values[0]))
          errors.push_back({q.key, "unknown_option", q.key + ": no option " + values[0]});
        else a.choices = values;
        break;
      case QuestionType::multi_choice:
        for (const std::string& v : values) {
          if (!has_option(q, v)) errors.push_back({q.key, "unknown_option", q.key + ": no option " + v});
          else if (std::find(a.choices.begin(), a.choices.end(), v) == a.choices.end()) a.choices.push_back(v);
        }
        break;
      case QuestionType::open_text: {
        if (values.size() > 1) {
          errors.push_back({q.key, "too_many_values", q.key + ": expected one text"});
          break;
        }
        if (code_points(values[0]) > static_cast<std::size_t>(q.max_length)) {
          errors.push_back({q.key, "too_long",
                            q.key + ": longer than " + std::to_string(q.max_length) + " characters"});
          break;
        }
        a.text = values[0];
        break;
      }
      case QuestionType::contact_request: break;
    }
    if (errors.size() == before) answers.push_back(std::move(a));
  }

  if (contact_question != nullptr && first_value(raw, "contact.wanted") == "yes") {
    ContactRequest c;
    c.name = first_value(raw, "contact.name");
    c.phone = first_value(raw, "contact.phone");
    c.email = first_value(raw, "contact.email");
    c.consent = first_value(raw, "contact.consent") == "yes";
    if (c.phone.empty() && c.email.empty())
      errors.push_back({"contact.phone", "contact_missing", "contact: give a phone number or an e-mail address"});
    if (!c.phone.empty() && !plausible_phone(c.phone))
      errors.push_back({"contact.phone", "invalid_phone", "contact.phone: not a phone number"});
    if (!c.email.empty() && !plausible_email(c.email))
      errors.push_back({"contact.email", "invalid_email", "contact.email: not an e-mail address"});
    if (c.name.size() > 200) errors.push_back({"contact.name", "too_long", "contact.name: longer than 200"});
    if (!c.consent) errors.push_back({"contact.consent", "consent_required", "contact: consent is required"});
    contact = std::move(c);
  } else if (contact_question != nullptr && contact_question->required) {
    errors.push_back({contact_question->key, "required", contact_question->key + ": an answer is required"});
  }
  if (!errors.empty()) {
    answers.clear();
    contact.reset();
  }
  return errors;
}

}  // namespace kaiku::domain
