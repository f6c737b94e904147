// Private to the engine: one pass over the columnar store into a flat array of
// counters. A query turns each dimension into a lookup table (code -> the key
// offset of the row's group, or a large negative number when the row is
// filtered out), so a row costs a few table loads and one increment: no map
// lookup and no allocation per row.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "analytics/calendar.hpp"
#include "analytics/columns.hpp"

namespace kaiku::analytics::detail {

// A table entry that filters the row out. Entries are counter indexes (key x
// width); a row's index is the sum of its entries, so one kOut lifts it past
// every real counter, and the sum of up to eight stays below 2^32.
inline constexpr std::uint32_t kOut = std::uint32_t{1} << 28;
// While building: a slot contribution in keys, or kExcluded.
inline constexpr std::int32_t kExcluded = -1;
// The table entry of a slot contribution `v` (keys) for counters of `width`.
inline std::uint32_t encode(std::int32_t v, int width) noexcept {
  return v < 0 ? kOut : static_cast<std::uint32_t>(v) * static_cast<std::uint32_t>(width);
}

// The shape of a counter array: groups (g0 x g1) x adaptive steps x channels x
// age groups, each key holding `width` counters.
struct Layout {
  int g0 = 1, g1 = 1, steps = 1, channels = 1, ages = 1;
  int width = 12;  // 12: values 0..10 and can't say; 1: responses; 2: invitations sent, used
  std::int32_t stride_g0 = 0, stride_g1 = 0, stride_step = 0, stride_channel = 0, stride_age = 0;
  std::size_t keys = 0;

  // Computes the strides and the number of keys from the sizes.
  void finish() noexcept;
  std::size_t key(int a, int b, int step, int channel, int age) const noexcept {
    return static_cast<std::size_t>(a * stride_g0 + b * stride_g1 + step * stride_step +
                                    channel * stride_channel + age * stride_age);
  }
};

// What a response scan counts, and from which per-row bytes.
enum class Source : std::uint8_t {
  answers,         // width 12: a question column's values 0..10 and can't say
  responses,       // width 1: the flags byte; supplements are not counted
  comment_count,   // width 1: rows with a comment (the comment byte), supplements included
  comment_values,  // width 12: the comment codes 0..7 (sentiment + suggestion)
};

// Per-dimension lookup tables: code -> counter offset (or kOut). A table whose
// entries are all zero is skipped by the scan (use_* false). `value` maps a
// question column's byte (or the flags or comment byte) to its counter within the key.
struct Tables {
  std::vector<std::uint32_t> unit, touchpoint;
  std::array<std::uint32_t, kChannelCount> channel{};
  std::array<std::uint32_t, kLanguageCount> language{};
  std::array<std::uint32_t, kAgeCount> age{};
  std::array<std::uint32_t, kRespondentCount> respondent{};
  std::array<std::uint32_t, 256> sentiment{};  // the comment byte (kNoComment -> kOut when used)
  std::array<std::uint32_t, 256> value{};
  // Themes: a row counts when its mask has a bit of `theme_mask`; grouped by
  // theme, once in each such theme, at `theme[code]` added to its key.
  std::array<std::uint32_t, kMaxThemes> theme{};
  std::uint64_t theme_mask = ~std::uint64_t{0};
  Source source = Source::answers;
  bool use_channel = false, use_unit = false, use_touchpoint = false, use_language = false, use_age = false,
       use_respondent = false, use_sentiment = false;
  bool use_theme = false;    // set by the caller: theme grouping or filter
  bool group_theme = false;  // set by the caller: grouped by theme

  // Fills `value` for `source` and sets the use_* flags (but use_theme/group_theme).
  void finish(Source source) noexcept;
  // Whether rows need the comment byte / theme index: blocks without them are skipped.
  bool needs_comment() const noexcept {
    return use_sentiment || source == Source::comment_count || source == Source::comment_values;
  }
};

// Blocks with from <= day <= to add `offset` to their rows' keys (in keys;
// the scan functions take them in counters, key x width).
struct Range {
  Day from = 0, to = 0;
  std::int32_t offset = 0;
};

// Counters of a scan: `lanes` copies of `total` counters (plus one dummy
// counter each) while scanning; fold() sums them into data[0, total).
inline constexpr std::size_t kLanes = 4;
inline constexpr std::size_t kLaneLimit = std::size_t{1} << 18;  // more counters: one lane
// Scans of more rows than this split the blocks between two threads.
inline constexpr std::size_t kParallelRows = 1'000'000;
struct Counters {
  std::vector<std::uint32_t> data;
  std::size_t total = 0;
  std::size_t lanes = 1;

  void reset(std::size_t counters);
  std::size_t lane_size() const noexcept;
  void fold();
};

// Counts the responses of the blocks in `ranges` into `acc` (layout.keys *
// layout.width counters, reset by the caller; fold afterwards), as
// tables.source says: the answers to the question `key` (blocks without it are
// skipped), responses that are not supplements, or comments. A scan of many
// rows runs on two threads.
void scan_responses(const Store& store, const Tables& tables, const std::vector<Range>& ranges,
                    const Layout& layout, std::optional<std::uint16_t> key, Counters& acc);
// Counts invitations (width 2: sent, used) of the invitation blocks in `ranges`.
void scan_invitations(const Store& store, const Tables& tables, const std::vector<Range>& ranges,
                      const Layout& layout, Counters& acc);

}  // namespace kaiku::analytics::detail
