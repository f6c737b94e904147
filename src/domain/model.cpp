#include "domain/model.hpp"

#include <algorithm>

namespace kaiku::domain {
namespace {

template <class T>
const T* find_in(const std::vector<T>& items, const std::map<std::string, std::size_t>& idx,
                 const std::string& id) {
  if (!idx.empty()) {
    auto it = idx.find(id);
    return it == idx.end() ? nullptr : &items[it->second];
  }
  for (const T& item : items)  // not indexed yet: linear scan
    if (item.id == id) return &item;
  return nullptr;
}

template <class T>
void build_index(const std::vector<T>& items, std::map<std::string, std::size_t>& idx) {
  idx.clear();
  for (std::size_t i = 0; i < items.size(); ++i) idx.emplace(items[i].id, i);
}

constexpr std::pair<Channel, std::string_view> kChannels[] = {
    {Channel::web, "web"},     {Channel::qr, "qr"},       {Channel::kiosk, "kiosk"},
    {Channel::sms, "sms"},     {Channel::tablet, "tablet"}, {Channel::paper, "paper"},
    {Channel::phone, "phone"}, {Channel::feedback, "feedback"}, {Channel::api, "api"},
};

constexpr std::pair<QuestionType, std::string_view> kQuestionTypes[] = {
    {QuestionType::nps, "nps"},
    {QuestionType::agreement, "agreement"},
    {QuestionType::smiley3, "smiley3"},
    {QuestionType::smiley5, "smiley5"},
    {QuestionType::single_choice, "single_choice"},
    {QuestionType::multi_choice, "multi_choice"},
    {QuestionType::open_text, "open_text"},
    {QuestionType::contact_request, "contact_request"},
};

}  // namespace

std::string_view channel_name(Channel c) noexcept {
  for (const auto& [ch, name] : kChannels)
    if (ch == c) return name;
  return "web";
}

std::optional<Channel> parse_channel(std::string_view name) noexcept {
  for (const auto& [ch, n] : kChannels)
    if (n == name) return ch;
  return std::nullopt;
}

std::string_view question_type_name(QuestionType t) noexcept {
  for (const auto& [qt, name] : kQuestionTypes)
    if (qt == t) return name;
  return "open_text";
}

std::optional<QuestionType> parse_question_type(std::string_view name) noexcept {
  for (const auto& [qt, n] : kQuestionTypes)
    if (n == name) return qt;
  return std::nullopt;
}

std::string_view audience_name(Audience a) noexcept {
  switch (a) {
    case Audience::general: return "general";
    case Audience::child: return "child";
    case Audience::relative: return "relative";
  }
  return "general";
}

const Question* Survey::question(const std::string& key) const {
  for (const Question& q : questions)
    if (q.key == key) return &q;
  return nullptr;
}

bool Touchpoint::has_channel(Channel c) const {
  return std::find(channels.begin(), channels.end(), c) != channels.end();
}

const OrgUnit* Model::unit(const std::string& id) const { return find_in(units, unit_idx_, id); }
const Journey* Model::journey(const std::string& id) const { return find_in(journeys, journey_idx_, id); }
const Touchpoint* Model::touchpoint(const std::string& id) const {
  return find_in(touchpoints, touchpoint_idx_, id);
}
const Survey* Model::survey(const std::string& id) const { return find_in(surveys, survey_idx_, id); }

const OrgUnit* Model::unit_by_code(const std::string& system, const std::string& value) const {
  if (!code_idx_.empty()) {
    auto it = code_idx_.find({system, value});
    return it == code_idx_.end() ? nullptr : &units[it->second];
  }
  for (const OrgUnit& u : units)
    for (const UnitCode& c : u.codes)
      if (c.system == system && c.value == value) return &u;
  return nullptr;
}

bool Model::language_enabled(Language lang) const {
  return std::find(languages.begin(), languages.end(), lang) != languages.end();
}

bool Model::in_subtree(const std::string& node, const std::string& ancestor) const {
  std::string current = node;
  // The depth bound guards against a cycle in an unvalidated model.
  for (std::size_t steps = 0; steps <= units.size(); ++steps) {
    if (current == ancestor) return true;
    const OrgUnit* u = unit(current);
    if (u == nullptr || u->parent.empty()) return false;
    current = u->parent;
  }
  return false;
}

std::vector<std::string> Model::subtree(const std::string& root) const {
  std::vector<std::string> out;
  if (unit(root) == nullptr) return out;
  for (const OrgUnit& u : units)
    if (in_subtree(u.id, root)) out.push_back(u.id);
  return out;
}

std::vector<std::string> Model::path_to(const std::string& id) const {
  std::vector<std::string> path;
  std::string current = id;
  for (std::size_t steps = 0; steps <= units.size(); ++steps) {
    const OrgUnit* u = unit(current);
    if (u == nullptr) break;
    path.push_back(u->id);
    if (u->parent.empty()) break;
    current = u->parent;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

void Model::index() {
  build_index(units, unit_idx_);
  build_index(journeys, journey_idx_);
  build_index(touchpoints, touchpoint_idx_);
  build_index(surveys, survey_idx_);
  code_idx_.clear();
  for (std::size_t i = 0; i < units.size(); ++i)
    for (const UnitCode& c : units[i].codes) code_idx_.emplace(std::make_pair(c.system, c.value), i);
}

}  // namespace kaiku::domain
