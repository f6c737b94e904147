// What a report asks for and what it gets back. The engine (engine.hpp) answers
// a Query with a Table; every consumer (API, CSV, UI, public pages) renders a
// Table, and a Table never carries a value for a suppressed cell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/calendar.hpp"
#include "domain/language.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::analytics {

// What a table can be grouped or filtered by.
enum class Dimension : std::uint8_t {
  unit,        // the children of the query's unit (plus the unit itself for its own answers)
  journey,
  touchpoint,
  channel,
  language,
  age_group,
  respondent,
  day,
  week,
  month,
  quarter,
  year,
  theme,      // the themes of the analysed comments: a row counts in each of its themes
  sentiment,  // the combined tone of the analysed comments: positive, neutral, negative, mixed
};
// Stable names as in the API: "unit", "journey", ..., "year", "theme", "sentiment".
std::string_view dimension_name(Dimension d) noexcept;
std::optional<Dimension> parse_dimension(std::string_view name) noexcept;
// day/week/month/quarter/year, and the Period each names.
bool is_time_dimension(Dimension d) noexcept;
std::optional<Period> period_of(Dimension d) noexcept;

// Filters: an empty list means "all".
struct Filters {
  std::vector<std::string> journeys;
  std::vector<std::string> touchpoints;
  std::vector<domain::Channel> channels;
  std::vector<domain::Language> languages;
  std::vector<domain::AgeGroup> age_groups;
  std::vector<domain::Respondent> respondents;
  // Free text: rows whose comments have at least one of these themes (theme ids;
  // an id never seen matches nothing), or whose combined tone is one of these.
  // Rows without an analysed comment never pass either filter.
  std::vector<std::string> themes;
  std::vector<domain::Sentiment> sentiments;
};

struct Query {
  // "nps" (the question keyed "nps", else the model's first question of type nps);
  // a question key of an nps, agreement, smiley3 or smiley5 question;
  // "responses" (answer counts); "response_rate" (invitations sent -> answered);
  // free text (see docs/reporting.md): "comments" (responses with an analysed
  // comment, kiosk follow-ups included), "positive_comments", "negative_comments",
  // "suggestions" (shares of those comments).
  std::string indicator = "nps";
  std::string unit;          // an org node; its whole subtree is included
  Day from = 0;              // inclusive, Europe/Helsinki dates
  Day to = 0;                // inclusive
  Filters filters;
  std::vector<Dimension> group_by;  // at most two, distinct
  // Adaptive period: a cell below the threshold is widened backwards a month at a
  // time (at most `adaptive_max_months`) until it reaches the threshold; the cell
  // then says which period it covers. Not allowed with a time dimension in group_by.
  bool adaptive = false;
  int adaptive_max_months = 24;
  // Add the directly standardised value (over channel x age group, to the mix of
  // the whole county in the same period, without the filters) to every shown cell.
  bool standardise = false;
  // Add each cell's comparison with the previous period and the same period a year
  // earlier (for a time-grouped cell: the previous bucket and the bucket a year before,
  // counted and suppressed in one table with the query's buckets).
  bool compare = false;
};

// How an indicator is computed (decided from the model's question type).
enum class IndicatorKind : std::uint8_t {
  nps,            // NPS points -100..100
  top_two_box,    // agreement 1-5: share of 4-5 in percent, mean, can't say
  positive_share, // smiley3: share of 3; smiley5: share of 4-5, in percent
  count,          // "responses": the number of responses; value = n, no interval
  response_rate,  // answered invitations / invitations sent, percent
  comment_share,  // analysed comments with a property (positive, negative, suggestion) / comments, percent
};
std::string_view indicator_kind_name(IndicatorKind k) noexcept;  // "nps", "top_two_box", ...

// The figures of a cell that is shown.
struct Figure {
  std::int64_t n = 0;         // the denominator: answers with a value; invitations sent
  double value = 0;
  std::optional<double> ci_low, ci_high;  // none for count
  // nps
  std::int64_t promoters = 0, passives = 0, detractors = 0;
  // top_two_box / positive_share: the numerator; response_rate: invitations answered;
  // comment_share: the comments counted (positive, negative or suggesting)
  std::int64_t positive = 0;
  std::optional<double> mean;  // top_two_box and positive_share: mean of the values
  std::int64_t cant_say = 0;   // top_two_box: "can't say" answers, excluded from n
};

// A channel's share of a shown cell's answers, percent. Only channels shown are
// listed: a channel below the threshold, or hidden to protect one (the mixes of a
// table are suppressed together, as cells x channels), is left out of the mix
// altogether. `share` stays optional for compatibility but is always set.
struct ChannelShare {
  domain::Channel channel = domain::Channel::web;
  std::optional<double> share;
};

struct StandardisedFigure {
  double value = 0;
  double ci_low = 0, ci_high = 0;
  double coverage = 0;  // share (0..1, two decimals) of the reference mix in the strata
                        // where the cell has at least the threshold of answers
};

// The same cell in an earlier period.
struct Comparison {
  Day from = 0, to = 0;          // the earlier period
  bool suppressed = true;        // below the threshold (or complementary) then
  std::optional<Figure> figure;  // empty when suppressed
  std::optional<double> change;  // value now - value then; when both are shown
  bool significant = false;      // the change is significant at the 5 % level
};

enum class Suppression : std::uint8_t { none, below_threshold, complementary };

struct Cell {
  // The group's value in each group_by dimension, in group_by order: a unit,
  // journey or touchpoint id, a channel/language/age-group/respondent name, a
  // period key ("2026-03"), a theme id or a sentiment name.
  std::vector<std::pair<Dimension, std::string>> group;
  Suppression suppression = Suppression::none;
  std::optional<Figure> figure;  // present iff suppression == none
  Day from = 0, to = 0;          // the period the cell covers
  bool widened = false;          // adaptive: `from` was moved back to reach the threshold
  std::vector<ChannelShare> channel_mix;  // the channels shown; empty when suppressed
  std::optional<StandardisedFigure> standardised;  // when asked and shown
  // The model's target for the cell's unit, if any (nearest on the path to the root),
  // and whether it is met when shown: NPS value >= target; for agreement and smiley
  // questions the target is on the mean (1..5 or 1..3), as in the model files.
  std::optional<double> target;
  std::optional<bool> target_met;
  std::optional<Comparison> previous;  // when compare, except for a widened cell
  std::optional<Comparison> year_ago;  // when compare, except for a widened cell
};

struct Table {
  std::string indicator;
  IndicatorKind kind = IndicatorKind::nps;
  std::string unit;
  Day from = 0, to = 0;
  int threshold = 5;
  std::vector<Dimension> group_by;
  // Non-empty cells only, ordered by group: units in model order (the unit itself
  // first), time buckets chronologically, themes in the model's taxonomy order
  // (ids no longer in the model after them), other dimensions in enum/model order.
  std::vector<Cell> cells;
};

}  // namespace kaiku::analytics
