// Names of dimensions and indicator kinds (query.hpp).
#include "analytics/query.hpp"

#include <array>

namespace kaiku::analytics {
namespace {

constexpr std::array<std::string_view, 14> kDimensionNames{
    "unit", "journey", "touchpoint", "channel", "language", "age_group", "respondent",
    "day",  "week",    "month",      "quarter", "year",     "theme",     "sentiment"};

}  // namespace

std::string_view dimension_name(Dimension d) noexcept {
  const auto i = static_cast<std::size_t>(d);
  return i < kDimensionNames.size() ? kDimensionNames[i] : std::string_view("?");
}

std::optional<Dimension> parse_dimension(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kDimensionNames.size(); ++i)
    if (kDimensionNames[i] == name) return static_cast<Dimension>(i);
  return std::nullopt;
}

bool is_time_dimension(Dimension d) noexcept {
  return period_of(d).has_value();
}

std::optional<Period> period_of(Dimension d) noexcept {
  switch (d) {
    case Dimension::day:
      return Period::day;
    case Dimension::week:
      return Period::week;
    case Dimension::month:
      return Period::month;
    case Dimension::quarter:
      return Period::quarter;
    case Dimension::year:
      return Period::year;
    default:
      return std::nullopt;
  }
}

std::string_view indicator_kind_name(IndicatorKind k) noexcept {
  switch (k) {
    case IndicatorKind::nps:
      return "nps";
    case IndicatorKind::top_two_box:
      return "top_two_box";
    case IndicatorKind::positive_share:
      return "positive_share";
    case IndicatorKind::count:
      return "count";
    case IndicatorKind::response_rate:
      return "response_rate";
    case IndicatorKind::comment_share:
      return "comment_share";
  }
  return "?";
}

}  // namespace kaiku::analytics
