#include "http/report_params.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string_view>

namespace kaiku::http {
namespace {

Unexpected<ParamError> bad(const std::string& param, const std::string& what) {
  return unexpected(ParamError{param, param + ": " + what});
}

// Splits "a,b,c"; an empty item (",," or a trailing comma) -> nullopt.
std::optional<std::vector<std::string>> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item.empty()) return std::nullopt;
    out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

// A value echoed into a message: at most 64 bytes.
std::string shown(const std::string& v) { return "'" + (v.size() > 64 ? v.substr(0, 64) + "..." : v) + "'"; }

template <class T, class Parse>
std::optional<ParamError> parse_enum_list(const RawForm& q, const std::string& name, Parse parse,
                                          std::vector<T>& out) {
  if (!q.has(name)) return std::nullopt;
  auto items = split_list(q.first(name));
  if (!items) return ParamError{name, name + ": expected a comma-separated list without empty items"};
  for (const auto& item : *items) {
    auto v = parse(item);
    if (!v) return ParamError{name, name + ": unknown value " + shown(item)};
    if (std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(*v);
  }
  return std::nullopt;
}

std::optional<ParamError> parse_id_list(const RawForm& q, const std::string& name,
                                        const std::function<bool(const std::string&)>& known,
                                        std::vector<std::string>& out) {
  if (!q.has(name)) return std::nullopt;
  auto items = split_list(q.first(name));
  if (!items) return ParamError{name, name + ": expected a comma-separated list without empty items"};
  for (const auto& item : *items) {
    if (!known(item)) return ParamError{name, name + ": unknown " + name + " " + shown(item)};
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return std::nullopt;
}

bool plausible_indicator(const std::string& s) {
  if (s.empty() || s.size() > 100) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

}  // namespace

Result<analytics::Query, ParamError> parse_report_query(const RawForm& query, const domain::Model& model,
                                                        analytics::Day today) {
  static const std::set<std::string, std::less<>> kKnown{
      "indicator", "unit",       "from",     "to",       "journey", "touchpoint", "channel",
      "language",  "age_group",  "respondent", "group_by", "adaptive", "standardise", "compare",
      "themes",    "sentiments", "format"};
  std::set<std::string, std::less<>> seen;
  for (const auto& [k, v] : query.fields) {
    if (kKnown.count(k) == 0) return bad(k.size() > 64 ? k.substr(0, 64) : k, "unknown query parameter");
    if (!seen.insert(k).second) return bad(k, "given more than once");
  }
  analytics::Query q;
  if (query.has("indicator")) {
    q.indicator = query.first("indicator");
    if (!plausible_indicator(q.indicator)) {
      return bad("indicator",
                 "expected nps, responses, response_rate, comments, positive_comments, negative_comments, "
                 "suggestions or a question key, got " + shown(q.indicator));
    }
  }
  if (query.has("unit")) {
    q.unit = query.first("unit");
    if (q.unit.empty()) return bad("unit", "must not be empty");
  }
  std::optional<analytics::Day> from, to;
  for (const char* name : {"from", "to"}) {
    if (!query.has(name)) continue;
    auto d = analytics::parse_date(query.first(name));
    if (!d) return bad(name, "expected a date YYYY-MM-DD, got " + shown(query.first(name)));
    (std::string_view(name) == "from" ? from : to) = *d;
  }
  if (!to) to = today;
  if (!from) from = *to - 29;
  if (*from > *to) return bad("from", "must not be after to");
  q.from = *from;
  q.to = *to;

  if (auto e = parse_id_list(query, "journey", [&](const std::string& id) { return model.journey(id) != nullptr; },
                             q.filters.journeys)) {
    return unexpected(*e);
  }
  if (auto e = parse_id_list(query, "touchpoint",
                             [&](const std::string& id) { return model.touchpoint(id) != nullptr; },
                             q.filters.touchpoints)) {
    return unexpected(*e);
  }
  if (auto e = parse_enum_list(query, "channel", domain::parse_channel, q.filters.channels)) return unexpected(*e);
  if (auto e = parse_enum_list(query, "language", domain::parse_language, q.filters.languages)) return unexpected(*e);
  if (auto e = parse_enum_list(query, "age_group", domain::parse_age_group, q.filters.age_groups)) {
    return unexpected(*e);
  }
  if (auto e = parse_enum_list(query, "respondent", domain::parse_respondent, q.filters.respondents)) {
    return unexpected(*e);
  }
  if (auto e = parse_id_list(
          query, "themes",
          [&](const std::string& id) {
            return std::any_of(model.themes.begin(), model.themes.end(),
                               [&](const domain::Theme& t) { return t.id == id; });
          },
          q.filters.themes)) {
    return unexpected(*e);
  }
  if (auto e = parse_enum_list(query, "sentiments", domain::parse_sentiment, q.filters.sentiments)) {
    return unexpected(*e);
  }
  if (query.has("group_by")) {
    auto items = split_list(query.first("group_by"));
    if (!items) return bad("group_by", "expected a comma-separated list without empty items");
    if (items->size() > 2) return bad("group_by", "at most two dimensions");
    for (const auto& item : *items) {
      auto d = analytics::parse_dimension(item);
      if (!d) {
        return bad("group_by", "unknown dimension " + shown(item) +
                                   " (unit, journey, touchpoint, channel, language, age_group, respondent, day, "
                                   "week, month, quarter, year, theme, sentiment)");
      }
      if (std::find(q.group_by.begin(), q.group_by.end(), *d) != q.group_by.end()) {
        return bad("group_by", "dimension " + shown(item) + " given twice");
      }
      q.group_by.push_back(*d);
    }
  }
  for (const char* name : {"adaptive", "standardise", "compare"}) {
    if (!query.has(name)) continue;
    const std::string v = query.first(name);
    if (v != "true" && v != "false") return bad(name, "expected true or false, got " + shown(v));
    const bool on = v == "true";
    if (std::string_view(name) == "adaptive") q.adaptive = on;
    else if (std::string_view(name) == "standardise") q.standardise = on;
    else q.compare = on;
  }
  return q;
}

Result<ReportFormat, ParamError> parse_report_format(const RawForm& query, std::string_view accept) {
  if (query.has("format")) {
    const std::string v = query.first("format");
    if (v == "json") return ReportFormat::json;
    if (v == "csv") return ReportFormat::csv;
    if (v == "xlsx") return ReportFormat::xlsx;
    return bad("format", "expected json, csv or xlsx, got " + shown(v));
  }
  std::string lower(accept);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::optional<std::pair<std::size_t, ReportFormat>> first;
  for (auto [type, form] : {std::pair{std::string_view("text/csv"), ReportFormat::csv},
                            std::pair{kXlsxMediaType, ReportFormat::xlsx},
                            std::pair{std::string_view("application/json"), ReportFormat::json}}) {
    const auto at = lower.find(type);
    if (at != std::string::npos && (!first || at < first->first)) first = std::pair{at, form};
  }
  return first ? first->second : ReportFormat::json;
}

}  // namespace kaiku::http
