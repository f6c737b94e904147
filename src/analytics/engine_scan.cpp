// The engine's scan loop (engine_scan.hpp). Rows are processed a chunk at a
// time, one column at a time, so that each inner loop is a tight pass over one
// byte or 16-bit column.
#include "analytics/engine_scan.hpp"

#include <algorithm>
#include <bit>
#include <system_error>
#include <thread>

namespace kaiku::analytics::detail {
namespace {

constexpr std::size_t kChunk = 1024;

template <class Code, std::size_t N>
void add_table(std::uint32_t* keys, const Code* codes, const std::array<std::uint32_t, N>& table,
               std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) keys[i] += table[codes[i]];
}

template <class Code>
void add_table(std::uint32_t* keys, const Code* codes, const std::vector<std::uint32_t>& table,
               std::size_t n) {
  const std::uint32_t* t = table.data();
  for (std::size_t i = 0; i < n; ++i) keys[i] += t[codes[i]];
}

// Fills keys[0..n) for rows [start, start + n) of a block-like set of columns.
template <class B>
void row_keys(const B& b, const Tables& t, std::uint32_t offset, std::size_t start, std::size_t n,
              std::uint32_t* keys) {
  if (t.use_channel) {
    const std::uint8_t* ch = b.channel.data() + start;
    for (std::size_t i = 0; i < n; ++i) keys[i] = offset + t.channel[ch[i]];
  } else {
    std::fill(keys, keys + n, offset);
  }
  if (t.use_unit) add_table(keys, b.unit.data() + start, t.unit, n);
  if (t.use_touchpoint) add_table(keys, b.touchpoint.data() + start, t.touchpoint, n);
  if (t.use_language) add_table(keys, b.language.data() + start, t.language, n);
  if (t.use_age) add_table(keys, b.age.data() + start, t.age, n);
}

// The counter index of each row of a chunk, in one fused pass over the common
// columns (channel, and unit and age group when used) and the values; `extra`
// holds the offsets of the rarer dimensions when kExtra. Rows that do not
// count (an entry was kOut) go to `dummy`: no branch, since filtered rows are
// unpredictable and a mispredicted branch costs more than the whole row.
template <bool kUnit, bool kAge, bool kExtra>
void fused_index(const Block& b, const Tables& t, std::uint32_t offset, std::size_t start, std::size_t n,
                 const std::uint32_t* extra, const std::uint8_t* vals, std::uint32_t dummy,
                 std::uint32_t* idx) {
  const std::uint8_t* ch = b.channel.data() + start;
  const std::uint16_t* u = b.unit.data() + start;
  const std::uint8_t* ag = b.age.data() + start;
  const std::uint8_t* v = vals + start;
  const std::uint32_t* ut = t.unit.data();
  const std::uint32_t* ct = t.channel.data();
  const std::uint32_t* at = t.age.data();
  const std::uint32_t* vt = t.value.data();
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t k = (kExtra ? extra[i] : offset) + ct[ch[i]] + vt[v[i]];
    if constexpr (kUnit) k += ut[u[i]];
    if constexpr (kAge) k += at[ag[i]];
    idx[i] = std::min(k, dummy);
  }
}

using FusedFn = void (*)(const Block&, const Tables&, std::uint32_t, std::size_t, std::size_t,
                         const std::uint32_t*, const std::uint8_t*, std::uint32_t, std::uint32_t*);

template <bool U, bool A>
FusedFn pick_extra(bool extra) {
  return extra ? &fused_index<U, A, true> : &fused_index<U, A, false>;
}

FusedFn pick(bool unit, bool age, bool extra) {
  if (unit) return age ? pick_extra<true, true>(extra) : pick_extra<true, false>(extra);
  return age ? pick_extra<false, true>(extra) : pick_extra<false, false>(extra);
}

}  // namespace

void Layout::finish() noexcept {
  stride_age = 1;
  stride_channel = ages;
  stride_step = channels * ages;
  stride_g1 = steps * stride_step;
  stride_g0 = g1 * stride_g1;
  keys = static_cast<std::size_t>(g0) * static_cast<std::size_t>(stride_g0);
}

void Tables::finish(Source s) noexcept {
  source = s;
  for (std::size_t code = 0; code < value.size(); ++code) {
    switch (s) {
      case Source::answers:  // 0..10 and can't say; anything else (choice indexes) is no value
        value[code] = code < 12 ? static_cast<std::uint32_t>(code) : kOut;
        break;
      case Source::responses:  // the flags byte: supplements are not counted
        value[code] = (code & kFlagSupplement) != 0 ? kOut : 0;
        break;
      case Source::comment_count:
        value[code] = code < kCommentCodes ? 0 : kOut;
        break;
      case Source::comment_values:
        value[code] = code < kCommentCodes ? static_cast<std::uint32_t>(code) : kOut;
        break;
    }
  }
  auto nonzero = [](const auto& table) {
    return std::any_of(table.begin(), table.end(), [](std::uint32_t v) { return v != 0; });
  };
  use_channel = nonzero(channel);
  use_unit = nonzero(unit);
  use_touchpoint = nonzero(touchpoint);
  use_language = nonzero(language);
  use_age = nonzero(age);
  use_respondent = nonzero(respondent);
  use_sentiment = nonzero(sentiment);
}

std::size_t Counters::lane_size() const noexcept {
  return total + 1;
}

void Counters::reset(std::size_t counters) {
  total = counters;
  lanes = counters <= kLaneLimit ? kLanes : 1;
  data.assign(lanes * lane_size(), 0);
}

void Counters::fold() {
  for (std::size_t l = 1; l < lanes; ++l)
    for (std::size_t i = 0; i < total; ++i) data[i] += data[l * lane_size() + i];
  data.resize(total);
  lanes = 1;
}

namespace {

// A block to scan: its rows add `offset`; `values` is the question column (or
// the flags or comment byte).
struct Piece {
  const Block* block;
  std::uint32_t offset;
  const std::uint8_t* values;
  const std::uint32_t* summary;  // the block's pre-aggregates of those values
};

// When no per-row dimension but the channel matters, a block's pre-aggregated
// counts per channel stand for its rows: one count per channel for responses,
// else 12 per channel (values or comment codes) mapped through `value`.
void add_summaries(const Piece* first, const Piece* last, const Tables& t, Counters& acc) {
  std::uint32_t* out = acc.data.data();
  for (const Piece* p = first; p != last; ++p)
    for (std::size_t ch = 0; ch < static_cast<std::size_t>(kChannelCount); ++ch) {
      if (t.channel[ch] >= kOut) continue;
      const std::uint32_t base = p->offset + t.channel[ch];
      if (t.source == Source::responses) {
        out[base] += p->summary[ch];
      } else {
        const std::uint32_t* s = p->summary + ch * 12;
        for (std::uint32_t code = 0; code < 12; ++code)
          if (t.value[code] < kOut) out[base + t.value[code]] += s[code];
      }
    }
}

void scan_pieces(const Piece* first, const Piece* last, const Tables& t, Counters& acc) {
  std::uint32_t keys[kChunk];
  std::uint32_t idx[kChunk];
  // Rows go round-robin to the lanes (separate copies of the counters), so that
  // runs of equal keys do not wait on each other's increments. A row that does
  // not count goes to the dummy counter after each lane's real ones.
  const std::size_t lanes = acc.lanes, lane = acc.lane_size();
  std::uint32_t* out[kLanes];
  for (std::size_t l = 0; l < kLanes; ++l) out[l] = acc.data.data() + (l < lanes ? l : 0) * lane;
  const auto dummy = static_cast<std::uint32_t>(acc.total);
  const bool extra = t.use_touchpoint || t.use_language || t.use_respondent || t.use_sentiment;
  const FusedFn index = pick(t.use_unit, t.use_age, extra);
  // The sorted part of a block goes run by run: the unit is looked up once per
  // run, and runs outside the query are skipped.
  const bool by_runs = t.use_unit;
  const FusedFn run_index = pick(false, t.use_age, extra);
  auto add_rows = [&](const std::uint32_t* index_out, std::size_t n) {
    std::size_t i = 0;
    if (lanes == kLanes)
      for (; i + kLanes <= n; i += kLanes) {
        out[0][index_out[i]] += 1;
        out[1][index_out[i + 1]] += 1;
        out[2][index_out[i + 2]] += 1;
        out[3][index_out[i + 3]] += 1;
      }
    for (; i < n; ++i) out[0][index_out[i]] += 1;
  };
  // Rows with themes: once if a theme of the query is among them, or grouped by
  // theme once in each (the key so far has no theme offset).
  auto add_theme_rows = [&](const Block& b, std::size_t start, std::size_t n) {
    const std::uint16_t* set = b.theme.data() + start;
    const std::uint64_t* sets = b.theme_sets.data();
    for (std::size_t i = 0; i < n; ++i) {
      if (idx[i] >= dummy) continue;
      std::uint64_t bits = sets[set[i]] & t.theme_mask;
      if (bits == 0) continue;
      if (!t.group_theme) {
        out[0][idx[i]] += 1;
        continue;
      }
      for (; bits != 0; bits &= bits - 1)
        out[0][idx[i] + t.theme[static_cast<std::size_t>(std::countr_zero(bits))]] += 1;
    }
  };
  // Rows [start, start + n) of block b whose keys start at `offset`.
  auto add_chunk = [&](const Block& b, const std::uint8_t* values, FusedFn fn, std::uint32_t offset,
                       std::size_t start, std::size_t n) {
    if (extra) {
      std::fill(keys, keys + n, offset);
      if (t.use_touchpoint) add_table(keys, b.touchpoint.data() + start, t.touchpoint, n);
      if (t.use_language) add_table(keys, b.language.data() + start, t.language, n);
      if (t.use_respondent) add_table(keys, b.respondent.data() + start, t.respondent, n);
      if (t.use_sentiment) add_table(keys, b.comment.data() + start, t.sentiment, n);
    }
    fn(b, t, offset, start, n, keys, values, dummy, idx);
    if (t.use_theme)
      add_theme_rows(b, start, n);
    else
      add_rows(idx, n);
  };
  for (const Piece* p = first; p != last; ++p) {
    const Block& b = *p->block;
    const std::size_t rows = b.rows();
    std::size_t begin = 0;
    if (by_runs) {
      for (const auto& [unit, end] : b.runs) {
        const std::uint32_t unit_offset = t.unit[unit];
        if (unit_offset < kOut)
          for (std::size_t start = begin; start < end; start += kChunk)
            add_chunk(b, p->values, run_index, p->offset + unit_offset, start,
                      std::min<std::size_t>(kChunk, end - start));
        begin = end;
      }
    }
    for (std::size_t start = begin; start < rows; start += kChunk)
      add_chunk(b, p->values, index, p->offset, start, std::min(kChunk, rows - start));
  }
}

}  // namespace

void scan_responses(const Store& store, const Tables& t, const std::vector<Range>& ranges,
                    const Layout& layout, std::optional<std::uint16_t> key, Counters& acc) {
  std::vector<Piece> pieces;
  std::size_t rows = 0;
  const bool comments = t.needs_comment();
  for (const Range& r : ranges) {
    const auto [first, last] = store.blocks_between(r.from, r.to);
    for (std::size_t bi = first; bi < last; ++bi) {
      const Block& b = store.blocks[store.by_day[bi]];
      // Rows without a comment (or themes) do not count when these matter.
      if ((comments && b.comment.empty()) || (t.use_theme && b.theme.empty())) continue;
      const std::uint8_t* vals;
      const std::uint32_t* summary;
      if (t.source == Source::answers) {
        const Column* column = key ? b.column(*key) : nullptr;
        if (column == nullptr) continue;
        vals = column->values.data();
        summary = b.summary_of(column);
      } else if (t.source == Source::responses) {
        vals = b.flags.data();
        summary = b.summary_of(nullptr);
      } else {
        vals = b.comment.data();
        summary = b.summary_of_comments();
      }
      pieces.push_back({&b, static_cast<std::uint32_t>(r.offset) * static_cast<std::uint32_t>(layout.width),
                        vals, summary});
      rows += b.rows();
    }
  }
  const Piece* begin = pieces.data();
  const Piece* end = begin + pieces.size();
  if (!t.use_unit && !t.use_touchpoint && !t.use_language && !t.use_age && !t.use_respondent &&
      !t.use_sentiment && !t.use_theme) {
    add_summaries(begin, end, t, acc);
    return;
  }
  if (rows < kParallelRows || std::thread::hardware_concurrency() < 2) {
    scan_pieces(begin, end, t, acc);
    return;
  }
  // A large scan: a helper thread takes the first half of the rows.
  const Piece* middle = begin;
  for (std::size_t half = 0; middle != end && half < rows / 2; ++middle) half += middle->block->rows();
  Counters other;
  other.reset(acc.total);
  std::thread helper;
  try {
    helper = std::thread([&] { scan_pieces(begin, middle, t, other); });
  } catch (const std::system_error&) {  // no thread to be had: scan it here
    scan_pieces(begin, middle, t, other);
  }
  scan_pieces(middle, end, t, acc);
  if (helper.joinable()) helper.join();
  other.fold();
  acc.fold();
  for (std::size_t i = 0; i < acc.total; ++i) acc.data[i] += other.data[i];
}

void scan_invitations(const Store& store, const Tables& t, const std::vector<Range>& ranges,
                      const Layout& layout, Counters& acc) {
  std::uint32_t keys[kChunk];
  std::uint32_t* out = acc.data.data();
  const std::size_t total = acc.total;
  for (const Range& r : ranges) {
    const auto offset = static_cast<std::uint32_t>(r.offset) * static_cast<std::uint32_t>(layout.width);
    const auto [first, last] = store.inv_blocks_between(r.from, r.to);
    for (std::size_t bi = first; bi < last; ++bi) {
      const InvitationBlock& b = store.inv_blocks[store.inv_by_day[bi]];
      const std::size_t rows = b.rows();
      for (std::size_t start = 0; start < rows; start += kChunk) {
        const std::size_t n = std::min(kChunk, rows - start);
        row_keys(b, t, offset, start, n, keys);
        const std::uint8_t* used = b.used.data() + start;
        for (std::size_t i = 0; i < n; ++i) {
          if (keys[i] >= total) continue;
          out[keys[i]] += 1;
          out[keys[i] + 1] += used[i] != 0 ? 1 : 0;
        }
      }
    }
  }
}

}  // namespace kaiku::analytics::detail
