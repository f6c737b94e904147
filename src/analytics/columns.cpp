// The engine's columnar store (columns.hpp).
#include "analytics/columns.hpp"

#include <algorithm>

namespace kaiku::analytics::detail {
namespace {

// Ids at or above this go to the hash set instead of the bitset.
constexpr std::int64_t kBitsetLimit = std::int64_t{1} << 32;

template <class T>
std::size_t vec_bytes(const std::vector<T>& v) noexcept {
  return v.capacity() * sizeof(T);
}

// The stored code of a numeric answer, or nullopt when it is not a value.
std::optional<std::uint8_t> value_code(const domain::Answer& a, const domain::Question* q) {
  using domain::QuestionType;
  if (q != nullptr) {
    switch (q->type) {
      case QuestionType::single_choice: {
        if (a.choices.size() != 1) return std::nullopt;
        for (std::size_t i = 0; i < q->options.size() && i < kNotAnswered; ++i)
          if (q->options[i].key == a.choices[0]) return static_cast<std::uint8_t>(i);
        return std::nullopt;
      }
      case QuestionType::multi_choice:
      case QuestionType::open_text:
      case QuestionType::contact_request:
        return std::nullopt;
      case QuestionType::agreement:
        if (a.cant_say) return kCantSay;
        if (a.number && *a.number >= 1 && *a.number <= 5) return static_cast<std::uint8_t>(*a.number);
        return std::nullopt;
      case QuestionType::smiley3:
        if (a.number && *a.number >= 1 && *a.number <= 3) return static_cast<std::uint8_t>(*a.number);
        return std::nullopt;
      case QuestionType::smiley5:
        if (a.number && *a.number >= 1 && *a.number <= 5) return static_cast<std::uint8_t>(*a.number);
        return std::nullopt;
      case QuestionType::nps:
        if (a.number && *a.number >= 0 && *a.number <= 10) return static_cast<std::uint8_t>(*a.number);
        return std::nullopt;
    }
    return std::nullopt;
  }
  // A survey the current model does not know: keep plain numbers and can't say.
  if (a.cant_say) return kCantSay;
  if (a.number && *a.number >= 0 && *a.number <= 10) return static_cast<std::uint8_t>(*a.number);
  return std::nullopt;
}

template <class Blocks>
std::pair<std::size_t, std::size_t> range_of(const Blocks& blocks, const std::vector<std::uint32_t>& by_day,
                                             Day from, Day to) noexcept {
  auto first = std::lower_bound(by_day.begin(), by_day.end(), from,
                                [&](std::uint32_t b, Day d) { return blocks[b].day < d; });
  auto last =
      std::upper_bound(first, by_day.end(), to, [&](Day d, std::uint32_t b) { return d < blocks[b].day; });
  if (from > to) last = first;
  return {static_cast<std::size_t>(first - by_day.begin()), static_cast<std::size_t>(last - by_day.begin())};
}

}  // namespace

domain::Sentiment combine_sentiment(domain::Sentiment a, domain::Sentiment b) noexcept {
  using domain::Sentiment;
  if (a == b || b == Sentiment::neutral) return a;
  if (a == Sentiment::neutral) return b;
  return Sentiment::mixed;  // positive with negative, or anything with mixed
}

std::uint8_t comment_code(const std::vector<domain::CommentInsight>& insights) noexcept {
  if (insights.empty()) return kNoComment;
  domain::Sentiment s = insights.front().sentiment;
  bool suggestion = false;
  for (const domain::CommentInsight& i : insights) {
    s = combine_sentiment(s, i.sentiment);
    suggestion = suggestion || i.suggestion;
  }
  const auto code = static_cast<std::uint8_t>(s);
  if (code >= kSentimentCount) return kNoComment;  // not a Sentiment value
  return static_cast<std::uint8_t>(code + (suggestion ? kCommentSuggestion : 0));
}

std::optional<std::uint16_t> Dictionary::intern(const std::string& s) {
  auto it = codes_.find(s);
  if (it != codes_.end()) return it->second;
  if (names_.size() >= kMaxCodes) return std::nullopt;
  const auto code = static_cast<std::uint16_t>(names_.size());
  names_.push_back(s);
  codes_.emplace(s, code);
  return code;
}

std::optional<std::uint16_t> Dictionary::find(const std::string& s) const {
  auto it = codes_.find(s);
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

bool Dictionary::assign(std::vector<std::string> names) {
  names_.clear();
  codes_.clear();
  if (names.size() > kMaxCodes) return false;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (!codes_.emplace(names[i], static_cast<std::uint16_t>(i)).second) {
      codes_.clear();
      return false;
    }
  names_ = std::move(names);
  return true;
}

std::size_t Dictionary::memory_bytes() const noexcept {
  std::size_t bytes = vec_bytes(names_) + codes_.bucket_count() * sizeof(void*);
  for (const auto& n : names_) bytes += 2 * (n.capacity() + 1) + 32;  // name twice, node overhead
  return bytes;
}

const Column* Block::column(std::uint16_t key) const noexcept {
  for (const Column& c : columns)
    if (c.key == key) return &c;
  return nullptr;
}

const std::uint32_t* Block::summary_of(const Column* column) const noexcept {
  if (column == nullptr) return summary.data();
  const auto index = static_cast<std::size_t>(column - columns.data());
  return summary.data() + kSummaryHead + index * kSummaryPerColumn;
}

const std::uint32_t* Block::summary_of_comments() const noexcept {
  return summary.data() + kSummaryCounts;
}

void Block::rebuild_summary() {
  summary.assign(kSummaryHead + columns.size() * kSummaryPerColumn, 0);
  for (std::size_t i = 0; i < rows(); ++i)
    if ((flags[i] & kFlagSupplement) == 0) summary[channel[i]] += 1;
  if (!comment.empty())
    for (std::size_t i = 0; i < rows(); ++i)
      if (comment[i] < kCommentCodes) summary[kSummaryCounts + channel[i] * 12U + comment[i]] += 1;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::uint32_t* s = summary.data() + kSummaryHead + c * kSummaryPerColumn;
    const std::uint8_t* v = columns[c].values.data();
    for (std::size_t i = 0; i < rows(); ++i)
      if (v[i] < 12) s[channel[i] * 12U + v[i]] += 1;
  }
}

void Block::sort_if_due() {
  const std::size_t tail = rows() - sorted;
  if (tail >= kMinUnsortedTail && tail >= sorted) sort_rows();
}

namespace {

template <class T>
void permute(std::vector<T>& v, const std::vector<std::uint32_t>& order) {
  std::vector<T> out(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) out[i] = v[order[i]];
  out.reserve(v.capacity());  // keep the growth headroom of appends
  v.swap(out);
}

}  // namespace

void Block::sort_rows() {
  std::vector<std::uint32_t> order(rows());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return unit[a] < unit[b]; });
  permute(unit, order);
  permute(touchpoint, order);
  permute(channel, order);
  permute(language, order);
  permute(age, order);
  permute(respondent, order);
  permute(flags, order);
  if (!comment.empty()) permute(comment, order);
  if (!theme.empty()) permute(theme, order);
  for (Column& c : columns) permute(c.values, order);
  sorted = static_cast<std::uint32_t>(rows());
  rebuild_runs();
}

bool Block::rebuild_runs() {
  runs.clear();
  if (sorted > rows()) return false;
  for (std::uint32_t i = 0; i < sorted; ++i) {
    if (i > 0 && unit[i] < unit[i - 1]) {
      runs.clear();
      return false;
    }
    if (runs.empty() || runs.back().first != unit[i])
      runs.emplace_back(unit[i], i + 1);
    else
      runs.back().second = i + 1;
  }
  return true;
}

void Store::clear() {
  *this = Store{};
}

bool Store::seen_id(std::int64_t id) const noexcept {
  if (id >= kBitsetLimit) return seen_large.count(id) != 0;
  const auto word = static_cast<std::size_t>(id >> 6);
  return word < seen.size() && ((seen[word] >> (id & 63)) & 1U) != 0;
}

void Store::mark_seen(std::int64_t id) {
  if (id >= kBitsetLimit) {
    seen_large.insert(id);
    return;
  }
  const auto word = static_cast<std::size_t>(id >> 6);
  if (word >= seen.size()) {
    std::size_t want = std::max<std::size_t>(word + 1, seen.size() + seen.size() / 2);
    seen.resize(want, 0);
  }
  seen[word] |= std::uint64_t{1} << (id & 63);
}

bool Store::add_response(const domain::Response& r, const domain::Model& model, const TimeZone& zone) {
  if (r.id <= 0 || seen_id(r.id)) return false;
  auto unit = units.intern(r.unit);
  auto tp = touchpoints.intern(r.touchpoint);
  auto survey = surveys.intern(r.survey);
  if (!unit || !tp || !survey) return false;
  // Question codes first, so that a full dictionary drops nothing half-added.
  const domain::Survey* s = model.survey(r.survey);
  struct Value {
    std::uint16_t key;
    std::uint8_t code;
  };
  std::vector<Value> values;
  values.reserve(r.answers.size());
  for (const domain::Answer& a : r.answers) {
    const domain::Question* q = s != nullptr ? s->question(a.key) : nullptr;
    if (s != nullptr && q == nullptr) continue;  // not a question of this survey
    auto code = value_code(a, q);
    if (!code) continue;
    auto key = questions.intern(a.key);
    if (!key) continue;
    bool repeated = false;  // a key answered twice: the first answer counts
    for (const Value& v : values) repeated = repeated || v.key == *key;
    if (!repeated) values.push_back({*key, *code});
  }
  // Free text: the combined comment byte and the union of the themes (ids beyond
  // the 64 codes are left out).
  const std::uint8_t comment_byte = comment_code(r.insights);
  std::uint64_t theme_mask = 0;
  for (const domain::CommentInsight& in : r.insights)
    for (const std::string& id : in.themes) {
      std::optional<std::uint16_t> t = themes.find(id);
      if (!t && themes.size() < kMaxThemes) t = themes.intern(id);
      if (t) theme_mask |= std::uint64_t{1} << *t;
    }

  const Day day = zone.local_day(r.answered_at);
  auto pos = std::lower_bound(by_day.begin(), by_day.end(), std::make_pair(day, *survey),
                              [&](std::uint32_t b, const std::pair<Day, std::uint16_t>& k) {
                                return std::make_pair(blocks[b].day, blocks[b].survey) < k;
                              });
  std::uint32_t bi;
  if (pos != by_day.end() && blocks[*pos].day == day && blocks[*pos].survey == *survey) {
    bi = *pos;
  } else {
    bi = static_cast<std::uint32_t>(blocks.size());
    Block b;
    b.day = day;
    b.survey = *survey;
    blocks.push_back(std::move(b));
    by_day.insert(pos, bi);
  }
  Block& b = blocks[bi];
  const std::size_t row = b.rows();
  b.unit.push_back(*unit);
  b.touchpoint.push_back(*tp);
  b.channel.push_back(static_cast<std::uint8_t>(r.channel));
  b.language.push_back(static_cast<std::uint8_t>(r.language));
  b.age.push_back(static_cast<std::uint8_t>(r.age_group));
  b.respondent.push_back(static_cast<std::uint8_t>(r.respondent));
  b.flags.push_back(r.supplements != 0 ? kFlagSupplement : 0);
  if (b.summary.empty()) b.summary.assign(kSummaryHead, 0);
  const auto ch = static_cast<std::size_t>(r.channel);
  if (r.supplements == 0) b.summary[ch] += 1;
  if (comment_byte != kNoComment || !b.comment.empty()) {  // allocated with the first comment
    b.comment.resize(row, kNoComment);
    b.comment.push_back(comment_byte);
  }
  if (comment_byte != kNoComment) b.summary[kSummaryCounts + ch * 12 + comment_byte] += 1;
  std::uint16_t set = 0;
  if (theme_mask != 0) {
    if (b.theme_sets.empty()) b.theme_sets.push_back(0);
    auto it = std::find(b.theme_sets.begin(), b.theme_sets.end(), theme_mask);
    if (it != b.theme_sets.end()) {
      set = static_cast<std::uint16_t>(it - b.theme_sets.begin());
    } else if (b.theme_sets.size() < kMaxThemeSets) {
      set = static_cast<std::uint16_t>(b.theme_sets.size());
      b.theme_sets.push_back(theme_mask);
    }
  }
  if (set != 0 || !b.theme.empty()) {  // allocated with the first row that has themes
    b.theme.resize(row, 0);
    b.theme.push_back(set);
  }
  for (Column& c : b.columns) c.values.push_back(kNotAnswered);
  for (const Value& v : values) {
    std::size_t ci = 0;
    while (ci < b.columns.size() && b.columns[ci].key != v.key) ++ci;
    if (ci == b.columns.size()) {
      Column c;
      c.key = v.key;
      c.values.assign(row + 1, kNotAnswered);  // back-fill earlier rows
      b.columns.push_back(std::move(c));
      b.summary.resize(b.summary.size() + kSummaryPerColumn, 0);
    }
    b.columns[ci].values[row] = v.code;
    if (v.code < 12) b.summary[kSummaryHead + ci * kSummaryPerColumn + ch * 12 + v.code] += 1;
  }
  b.sort_if_due();

  mark_seen(r.id);
  response_count += 1;
  max_response_id = std::max(max_response_id, r.id);
  if (!r.invitation.empty()) {
    auto it = invitations.find(r.invitation);
    if (it != invitations.end())
      inv_blocks[it->second.first].used[it->second.second] = 1;
    else
      pending_used.insert(r.invitation);
  }
  return true;
}

bool Store::add_invitation(const InvitationFact& inv, const TimeZone& zone) {
  if (inv.id.empty() || invitations.count(inv.id) != 0) return false;
  auto unit = units.intern(inv.unit);
  auto tp = touchpoints.intern(inv.touchpoint);
  if (!unit || !tp) return false;
  const Day day = zone.local_day(inv.created_at);
  auto pos = std::lower_bound(inv_by_day.begin(), inv_by_day.end(), day,
                              [&](std::uint32_t b, Day d) { return inv_blocks[b].day < d; });
  std::uint32_t bi;
  if (pos != inv_by_day.end() && inv_blocks[*pos].day == day) {
    bi = *pos;
  } else {
    bi = static_cast<std::uint32_t>(inv_blocks.size());
    InvitationBlock b;
    b.day = day;
    inv_blocks.push_back(std::move(b));
    inv_by_day.insert(pos, bi);
  }
  InvitationBlock& b = inv_blocks[bi];
  const auto row = static_cast<std::uint32_t>(b.rows());
  bool used = inv.used;
  if (auto it = pending_used.find(inv.id); it != pending_used.end()) {
    used = true;
    pending_used.erase(it);
  }
  b.unit.push_back(*unit);
  b.touchpoint.push_back(*tp);
  b.channel.push_back(static_cast<std::uint8_t>(inv.channel));
  b.language.push_back(static_cast<std::uint8_t>(inv.language));
  b.age.push_back(static_cast<std::uint8_t>(inv.age_group));
  b.used.push_back(used ? 1 : 0);
  invitations.emplace(inv.id, std::make_pair(bi, row));
  max_invitation_seq = std::max(max_invitation_seq, inv.seq);
  return true;
}

void Store::intern_themes(const domain::Model& model) {
  for (const domain::Theme& t : model.themes)
    if (themes.size() < kMaxThemes) themes.intern(t.id);
}

std::pair<std::size_t, std::size_t> Store::blocks_between(Day from, Day to) const noexcept {
  return range_of(blocks, by_day, from, to);
}

std::pair<std::size_t, std::size_t> Store::inv_blocks_between(Day from, Day to) const noexcept {
  return range_of(inv_blocks, inv_by_day, from, to);
}

std::size_t Store::memory_bytes() const noexcept {
  std::size_t bytes =
      units.memory_bytes() + touchpoints.memory_bytes() + surveys.memory_bytes() + questions.memory_bytes() +
      themes.memory_bytes();
  bytes += vec_bytes(blocks) + vec_bytes(by_day) + vec_bytes(inv_blocks) + vec_bytes(inv_by_day);
  for (const Block& b : blocks) {
    bytes += vec_bytes(b.unit) + vec_bytes(b.touchpoint) + vec_bytes(b.channel) + vec_bytes(b.language) +
             vec_bytes(b.age) + vec_bytes(b.respondent) + vec_bytes(b.flags) + vec_bytes(b.columns) +
             vec_bytes(b.comment) + vec_bytes(b.theme) + vec_bytes(b.theme_sets);
    for (const Column& c : b.columns) bytes += vec_bytes(c.values);
    bytes += vec_bytes(b.summary) + vec_bytes(b.runs);
  }
  for (const InvitationBlock& b : inv_blocks)
    bytes += vec_bytes(b.unit) + vec_bytes(b.touchpoint) + vec_bytes(b.channel) + vec_bytes(b.language) +
             vec_bytes(b.age) + vec_bytes(b.used);
  // Hash tables: bucket array plus one node (key, value, next pointer) per entry.
  bytes += invitations.bucket_count() * sizeof(void*);
  for (const auto& [id, pos] : invitations) bytes += id.capacity() + 1 + sizeof(std::string) + 24;
  bytes += pending_used.bucket_count() * sizeof(void*) + pending_used.size() * (sizeof(std::string) + 24);
  bytes += vec_bytes(seen) + seen_large.bucket_count() * sizeof(void*) + seen_large.size() * 24;
  return bytes;
}

}  // namespace kaiku::analytics::detail
