// Private to the engine: the columnar store of answers and invitations.
// Rows are partitioned into blocks keyed by (Helsinki local day, survey); every
// per-row attribute is a small code, so a scan reads a few bytes per row and
// never touches a string. Not thread-safe: the Engine guards a Store with its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analytics/calendar.hpp"
#include "analytics/engine.hpp"
#include "domain/language.hpp"
#include "domain/model.hpp"
#include "domain/response.hpp"

namespace kaiku::analytics::detail {

inline constexpr std::uint8_t kNotAnswered = 0xFF;  // a question column's "no answer"
inline constexpr std::uint8_t kCantSay = 11;        // agreement "can't say"
inline constexpr std::uint8_t kFlagSupplement = 1;  // a kiosk follow-up (not counted)
inline constexpr int kChannelCount = 9;             // domain::Channel values
inline constexpr int kLanguageCount = 4;            // domain::Language values
inline constexpr int kAgeCount = domain::kAgeGroupCount;
inline constexpr int kRespondentCount = 4;        // domain::Respondent values
inline constexpr std::size_t kMaxCodes = 0xFFFF;  // codes are 0 .. kMaxCodes - 1
// A row's comment byte (the analysis of its open answers, see comment_code):
// kNoComment, or the combined sentiment (domain::Sentiment, 0..3) plus
// kCommentSuggestion when a comment proposes a change: codes 0..7.
inline constexpr std::uint8_t kNoComment = 0xFF;
inline constexpr std::uint8_t kCommentSuggestion = 4;
inline constexpr int kCommentCodes = 8;
inline constexpr int kSentimentCount = 4;  // domain::Sentiment values
// Themes are bits of a 64-bit mask: at most this many theme ids (Store::themes).
inline constexpr std::size_t kMaxThemes = 64;
// Distinct theme masks of one block (Block::theme_sets), index 0 = no themes.
inline constexpr std::size_t kMaxThemeSets = 0xFFFF;
// The per-row codes index arrays of these sizes: they must follow the enums.
static_assert(static_cast<int>(domain::Channel::api) + 1 == kChannelCount,
              "kChannelCount != domain::Channel");
static_assert(static_cast<int>(domain::Language::fi_selko) + 1 == kLanguageCount &&
                  domain::kAllLanguages.size() == static_cast<std::size_t>(kLanguageCount),
              "kLanguageCount != domain::Language");
static_assert(static_cast<int>(domain::Respondent::other) + 1 == kRespondentCount,
              "kRespondentCount != domain::Respondent");
static_assert(static_cast<int>(domain::AgeGroup::from_75) + 1 == domain::kAgeGroupCount,
              "domain::kAgeGroupCount != domain::AgeGroup");
static_assert(static_cast<int>(domain::Sentiment::mixed) + 1 == kSentimentCount &&
                  kSentimentCount == kCommentSuggestion,
              "kSentimentCount != domain::Sentiment");

// The sentiment of a response with several analysed comments: equal tones stay,
// neutral gives way to the other tone, positive with negative (or anything with
// mixed) is mixed.
domain::Sentiment combine_sentiment(domain::Sentiment a, domain::Sentiment b) noexcept;
// The comment byte of a response's insights: kNoComment when there are none,
// else the combined sentiment plus kCommentSuggestion if any insight is a suggestion.
std::uint8_t comment_code(const std::vector<domain::CommentInsight>& insights) noexcept;

// A grow-only mapping string <-> 16-bit code (unit ids, touchpoint ids, ...).
class Dictionary {
 public:
  // The code of `s`, adding it when new; nullopt when the dictionary is full.
  std::optional<std::uint16_t> intern(const std::string& s);
  // The code of `s` if present.
  std::optional<std::uint16_t> find(const std::string& s) const;
  const std::string& name(std::uint16_t code) const { return names_[code]; }
  std::size_t size() const noexcept { return names_.size(); }
  const std::vector<std::string>& names() const noexcept { return names_; }
  // Replaces the contents; false when `names` has duplicates or too many entries.
  bool assign(std::vector<std::string> names);
  std::size_t memory_bytes() const noexcept;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint16_t> codes_;
};

// One question's answers in a block: value 0..10, kCantSay, or an option index
// for single choice; kNotAnswered when the row has no answer to it.
struct Column {
  std::uint16_t key = 0;  // code in Store::questions
  std::vector<std::uint8_t> values;
};

// The responses answered on one local day to one survey.
struct Block {
  Day day = 0;
  std::uint16_t survey = 0;                     // code in Store::surveys
  std::vector<std::uint16_t> unit, touchpoint;  // codes in Store::units / touchpoints
  std::vector<std::uint8_t> channel, language, age, respondent, flags;
  // Free-text analysis, both empty while no row of the block has any: the
  // comment byte (kNoComment or a code 0..7, see comment_code), and the index of
  // the row's theme mask in theme_sets (0: no themes; bit i = Store::themes code i).
  std::vector<std::uint8_t> comment;
  std::vector<std::uint16_t> theme;
  std::vector<std::uint64_t> theme_sets;  // distinct masks, [0] = 0; empty with `theme`
  std::vector<Column> columns;
  // Pre-aggregates for queries that need no per-row dimension but the channel
  // (the whole county by period): kSummaryCounts responses that are not
  // supplements per channel, then per channel the count of each comment code
  // (12 slots, codes 0..7 used), then per column (in `columns` order) per channel
  // the count of each stored value 0..11. Kept up to date by add_response and
  // rebuilt after loading a snapshot.
  std::vector<std::uint32_t> summary;
  // Rows [0, sorted) are ordered by unit code, so that a query can look a unit
  // up once per run of equal units (and skip runs outside its subtree); `runs`
  // holds (unit code, end row) of each run there. Later rows are in arrival
  // order until the block is sorted again (sort_if_due).
  std::uint32_t sorted = 0;
  std::vector<std::pair<std::uint16_t, std::uint32_t>> runs;

  std::size_t rows() const noexcept { return unit.size(); }
  // Sorts all rows by unit when the unsorted tail has grown as long as the
  // sorted part (and at least kMinUnsortedTail rows): amortised O(log n) per row.
  void sort_if_due();
  // Sorts every row by unit (stable) and rebuilds `runs`.
  void sort_rows();
  // Rebuilds `runs` from the sorted prefix; false when it is not sorted.
  bool rebuild_runs();
  // The column of a question key code; nullptr when no row of the block has one.
  const Column* column(std::uint16_t key) const noexcept;
  // The summary counters of a column (kChannelCount x 12), or of the responses
  // (kChannelCount) when `column` is nullptr.
  const std::uint32_t* summary_of(const Column* column) const noexcept;
  // The summary counters of the comment codes (kChannelCount x 12).
  const std::uint32_t* summary_of_comments() const noexcept;
  // The theme mask of row i (0 when the block has no themes).
  std::uint64_t themes_of(std::size_t i) const noexcept { return theme.empty() ? 0 : theme_sets[theme[i]]; }
  // Recomputes `summary` from the rows.
  void rebuild_summary();
};

inline constexpr std::size_t kMinUnsortedTail = 64;
inline constexpr std::size_t kSummaryCounts = kChannelCount;
inline constexpr std::size_t kSummaryPerColumn = kChannelCount * 12;
inline constexpr std::size_t kSummaryHead = kSummaryCounts + kSummaryPerColumn;  // responses, comments

// The invitations created on one local day.
struct InvitationBlock {
  Day day = 0;
  std::vector<std::uint16_t> unit, touchpoint;
  std::vector<std::uint8_t> channel, language, age, used;

  std::size_t rows() const noexcept { return unit.size(); }
};

struct Store {
  Dictionary units, touchpoints, surveys, questions;
  Dictionary themes;  // theme ids as first seen (or from the model), at most kMaxThemes
  std::vector<Block> blocks;                // in creation order
  std::vector<std::uint32_t> by_day;        // indexes of blocks sorted by (day, survey)
  std::vector<InvitationBlock> inv_blocks;  // in creation order
  std::vector<std::uint32_t> inv_by_day;    // indexes of inv_blocks sorted by day
  // Invitation id -> (inv block index, row).
  std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> invitations;
  // Invitations named by a response before they were added.
  std::unordered_set<std::string> pending_used;
  std::vector<std::uint64_t> seen;              // bit i: response id i was added
  std::unordered_set<std::int64_t> seen_large;  // ids too large for the bitset
  std::int64_t response_count = 0;
  std::int64_t max_response_id = 0;
  std::int64_t max_invitation_seq = 0;

  void clear();
  // Adds a response (see Engine::add); `model` decides single-choice option
  // indexes and value ranges. Returns false when ignored (seen before, id <= 0,
  // a dictionary full).
  bool add_response(const domain::Response& r, const domain::Model& model, const TimeZone& zone);
  // Adds an invitation; false when its id was added before.
  bool add_invitation(const InvitationFact& inv, const TimeZone& zone);
  // Gives the model's theme ids codes (in taxonomy order) while there is room, so
  // that the taxonomy is not crowded out of the 64 codes by ids seen before.
  void intern_themes(const domain::Model& model);
  // Index range [first, last) in by_day of the blocks with from <= day <= to.
  std::pair<std::size_t, std::size_t> blocks_between(Day from, Day to) const noexcept;
  std::pair<std::size_t, std::size_t> inv_blocks_between(Day from, Day to) const noexcept;
  // Capacity-based size of everything held.
  std::size_t memory_bytes() const noexcept;

  bool seen_id(std::int64_t id) const noexcept;
  void mark_seen(std::int64_t id);
};

}  // namespace kaiku::analytics::detail
