// Free-text analysis in the engine: comment counts and shares, the theme and
// sentiment dimensions (multi-membership, filters, ordering), how several
// insights combine, kiosk follow-ups, suppression of theme cells, sorting of
// blocks, the 64-theme limit and the snapshot round trip of the new columns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "analytics/columns.hpp"
#include "analytics/engine.hpp"
#include "analytics/engine_test_util.hpp"
#include "analytics/stats.hpp"

namespace kaiku::analytics {
namespace {

using namespace testing;
using domain::Sentiment;
namespace fs = std::filesystem;

const Day kDay = date(2026, 3, 10);

// test_model() with a taxonomy of three themes: access_waiting, staff_kindness, premises.
std::shared_ptr<domain::Model> themed_model(int threshold = 5) {
  auto m = test_model(threshold);
  for (const char* id : {"access_waiting", "staff_kindness", "premises"}) {
    domain::Theme t;
    t.id = id;
    t.label = text(id);
    m->themes.push_back(t);
  }
  return m;
}

domain::CommentInsight insight(Sentiment s, std::vector<std::string> themes = {}, bool suggestion = false,
                               const std::string& key = "text") {
  domain::CommentInsight i;
  i.question_key = key;
  i.language = "fi";
  i.sentiment = s;
  i.themes = std::move(themes);
  i.suggestion = suggestion;
  return i;
}

// An NPS response at `unit` with one analysed comment (or none when `with` is empty).
domain::Response commented(std::int64_t id, const std::string& unit, int nps,
                           std::vector<domain::CommentInsight> with, Day d = kDay) {
  domain::Response r = nps_response(id, unit, d, nps);
  for (const auto& i : with) {
    domain::Answer a;
    a.key = i.question_key;
    a.text = "redacted text";
    r.answers.push_back(a);
  }
  r.insights = std::move(with);
  return r;
}

Table run(const Engine& e, Query q) {
  auto t = e.query(q);
  EXPECT_TRUE(t) << t.error().message;
  return t ? *t : Table{};
}

// Shown cells by their group values joined with "/"; hidden ones as -1.
std::map<std::string, std::int64_t> ns(const Table& t) {
  std::map<std::string, std::int64_t> out;
  for (const Cell& c : t.cells) {
    std::string key;
    for (const auto& [d, v] : c.group) key += (key.empty() ? "" : "/") + v;
    out[key] = c.figure ? c.figure->n : -1;
  }
  return out;
}

TEST(CommentCode, CombineRules) {
  EXPECT_EQ(detail::combine_sentiment(Sentiment::positive, Sentiment::positive), Sentiment::positive);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::positive, Sentiment::neutral), Sentiment::positive);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::neutral, Sentiment::negative), Sentiment::negative);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::neutral, Sentiment::neutral), Sentiment::neutral);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::positive, Sentiment::negative), Sentiment::mixed);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::negative, Sentiment::positive), Sentiment::mixed);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::mixed, Sentiment::neutral), Sentiment::mixed);
  EXPECT_EQ(detail::combine_sentiment(Sentiment::positive, Sentiment::mixed), Sentiment::mixed);

  EXPECT_EQ(detail::comment_code({}), detail::kNoComment);
  EXPECT_EQ(detail::comment_code({insight(Sentiment::negative)}), 2);
  EXPECT_EQ(detail::comment_code({insight(Sentiment::neutral), insight(Sentiment::positive, {}, true)}),
            0 + detail::kCommentSuggestion);
  EXPECT_EQ(detail::comment_code({insight(Sentiment::positive), insight(Sentiment::neutral),
                                  insight(Sentiment::negative)}),
            3);
}

TEST(EngineComments, CountsAndSharesOfAnalysedComments) {
  Engine e(themed_model());
  std::int64_t id = 1;
  for (int i = 0; i < 6; ++i) e.add(commented(id++, "a1", 9, {insight(Sentiment::positive, {}, i < 2)}));
  for (int i = 0; i < 3; ++i) e.add(commented(id++, "a1", 3, {insight(Sentiment::negative, {}, i == 0)}));
  e.add(commented(id++, "a1", 7, {insight(Sentiment::neutral)}));
  e.add(commented(id++, "a1", 7, {insight(Sentiment::positive), insight(Sentiment::negative, {}, false, "t2")}));
  for (int i = 0; i < 4; ++i) e.add(commented(id++, "a1", 8, {}));  // no comment

  const Day d = kDay;
  Table comments = run(e, query("comments", "c", d, d));
  EXPECT_EQ(comments.kind, IndicatorKind::count);
  ASSERT_EQ(comments.cells.size(), 1u);
  EXPECT_EQ(comments.cells[0].figure->n, 11);
  EXPECT_EQ(comments.cells[0].figure->value, 11);
  EXPECT_EQ(run(e, query("responses", "c", d, d)).cells[0].figure->n, 15);

  struct Want {
    const char* indicator;
    std::int64_t k;
  };
  for (const Want& w : {Want{"positive_comments", 6}, Want{"negative_comments", 3}, Want{"suggestions", 3}}) {
    // The whole county (pre-aggregated per block) and by unit (row by row) agree.
    for (bool by_unit : {false, true}) {
      Table t = run(e, by_unit ? query(w.indicator, "a", d, d, {Dimension::unit}) : query(w.indicator, "c", d, d));
      EXPECT_EQ(t.kind, IndicatorKind::comment_share) << w.indicator;
      const Cell* cell = nullptr;
      for (const Cell& c : t.cells)
        if (!by_unit || group_of(c, Dimension::unit) == "a1") cell = &c;
      ASSERT_NE(cell, nullptr) << w.indicator;
      ASSERT_TRUE(cell->figure) << w.indicator;
      SCOPED_TRACE(by_unit ? "by unit" : "county");
      const Estimate want = share_estimate(w.k, 11);
      EXPECT_EQ(cell->figure->n, 11) << w.indicator;
      EXPECT_EQ(cell->figure->positive, w.k) << w.indicator;
      EXPECT_DOUBLE_EQ(cell->figure->value, want.value) << w.indicator;
      EXPECT_DOUBLE_EQ(*cell->figure->ci_low, want.ci_low) << w.indicator;
      EXPECT_DOUBLE_EQ(*cell->figure->ci_high, want.ci_high) << w.indicator;
      EXPECT_FALSE(cell->figure->mean) << "a share of comments has no mean";
    }
  }
}

TEST(EngineComments, SentimentDimensionAndFilter) {
  Engine e(themed_model());
  std::int64_t id = 1;
  for (int i = 0; i < 7; ++i) e.add(commented(id++, "a1", 10, {insight(Sentiment::positive)}));
  for (int i = 0; i < 5; ++i) e.add(commented(id++, "a2", 2, {insight(Sentiment::negative)}));
  for (int i = 0; i < 5; ++i)
    e.add(commented(id++, "a2", 6, {insight(Sentiment::positive), insight(Sentiment::negative, {}, false, "t2")}));
  for (int i = 0; i < 9; ++i) e.add(commented(id++, "a3", 8, {}));
  const Day d = kDay;

  Table by = run(e, query("responses", "c", d, d, {Dimension::sentiment}));
  EXPECT_EQ(ns(by), (std::map<std::string, std::int64_t>{{"positive", 7}, {"negative", 5}, {"mixed", 5}}))
      << "no neutral group (empty), no group for the 9 without a comment";
  ASSERT_EQ(by.cells.size(), 3u);
  EXPECT_EQ(group_of(by.cells[0], Dimension::sentiment), "positive") << "enum order";
  EXPECT_EQ(group_of(by.cells[2], Dimension::sentiment), "mixed");

  // NPS of those who wrote negatively or mixed: 5 detractors (2) and 5 detractors (6).
  Query q = query("nps", "c", d, d);
  q.filters.sentiments = {Sentiment::negative, Sentiment::mixed};
  Table nps = run(e, q);
  ASSERT_EQ(nps.cells.size(), 1u);
  EXPECT_EQ(nps.cells[0].figure->n, 10);
  EXPECT_EQ(nps.cells[0].figure->detractors, 10);

  q = query("comments", "c", d, d, {Dimension::sentiment});
  q.filters.sentiments = {Sentiment::positive};
  EXPECT_EQ(ns(run(e, q)), (std::map<std::string, std::int64_t>{{"positive", 7}}));
}

TEST(EngineComments, ThemeGroupsOverlapAndFollowTheTaxonomy) {
  Engine e(themed_model());
  std::int64_t id = 1;
  // 5 about waiting only, 5 about waiting and kindness, 6 about kindness and a
  // retired theme "old_signs", 4 with a comment but no theme, 3 without comment.
  for (int i = 0; i < 5; ++i) e.add(commented(id++, "a1", 3, {insight(Sentiment::negative, {"access_waiting"})}));
  for (int i = 0; i < 5; ++i)
    e.add(commented(id++, "a1", 8, {insight(Sentiment::mixed, {"access_waiting", "staff_kindness"})}));
  for (int i = 0; i < 6; ++i)
    e.add(commented(id++, "a2", 10, {insight(Sentiment::positive, {"old_signs", "staff_kindness"})}));
  for (int i = 0; i < 4; ++i) e.add(commented(id++, "a2", 9, {insight(Sentiment::positive)}));
  for (int i = 0; i < 3; ++i) e.add(commented(id++, "a3", 9, {}));
  const Day d = kDay;

  Table t = run(e, query("comments", "c", d, d, {Dimension::theme}));
  EXPECT_EQ(ns(t), (std::map<std::string, std::int64_t>{
                       {"access_waiting", 10}, {"staff_kindness", 11}, {"old_signs", 6}}));
  ASSERT_EQ(t.cells.size(), 3u);
  EXPECT_EQ(group_of(t.cells[0], Dimension::theme), "access_waiting");
  EXPECT_EQ(group_of(t.cells[1], Dimension::theme), "staff_kindness");
  EXPECT_EQ(group_of(t.cells[2], Dimension::theme), "old_signs") << "ids not in the model come last";

  // A theme filter: rows with any of the themes, counted once.
  Query q = query("responses", "c", d, d);
  q.filters.themes = {"access_waiting", "staff_kindness"};
  EXPECT_EQ(run(e, q).cells[0].figure->n, 16);
  // Grouped and filtered: only the filtered themes' groups.
  q = query("nps", "c", d, d, {Dimension::theme});
  q.filters.themes = {"staff_kindness"};
  Table k = run(e, q);
  ASSERT_EQ(k.cells.size(), 1u);
  EXPECT_EQ(k.cells[0].figure->n, 11);
  EXPECT_EQ(k.cells[0].figure->promoters, 6);
  EXPECT_EQ(k.cells[0].figure->passives, 5);
  // An unknown id matches nothing.
  q = query("responses", "c", d, d);
  q.filters.themes = {"no_such_theme"};
  EXPECT_TRUE(run(e, q).cells.empty());

  // Theme x sentiment, and the share of positive comments per theme.
  Table ts = run(e, query("comments", "c", d, d, {Dimension::theme, Dimension::sentiment}));
  EXPECT_EQ(ns(ts)["staff_kindness/positive"], 6);
  EXPECT_EQ(ns(ts)["staff_kindness/mixed"], 5);
  Table pos = run(e, query("positive_comments", "c", d, d, {Dimension::theme}));
  for (const Cell& c : pos.cells)
    if (group_of(c, Dimension::theme) == "staff_kindness") {
      ASSERT_TRUE(c.figure);
      EXPECT_EQ(c.figure->positive, 6);
      EXPECT_EQ(c.figure->n, 11);
    }
}

TEST(EngineComments, TopThemesByUnitAreSuppressedLikeAnyTable) {
  Engine e(themed_model());
  std::int64_t id = 1;
  auto add = [&](const std::string& unit, const std::string& theme, int count) {
    for (int i = 0; i < count; ++i) e.add(commented(id++, unit, 5, {insight(Sentiment::negative, {theme})}));
  };
  add("a1", "access_waiting", 8);
  add("a1", "staff_kindness", 2);  // below the threshold
  add("a1", "premises", 6);
  add("a2", "access_waiting", 7);
  add("a2", "staff_kindness", 9);
  add("a2", "premises", 12);
  const Day d = kDay;
  Table t = run(e, query("comments", "a", d, d, {Dimension::unit, Dimension::theme}));
  std::map<std::string, Suppression> status;
  for (const Cell& c : t.cells) {
    status[group_of(c, Dimension::unit) + "/" + group_of(c, Dimension::theme)] = c.suppression;
    if (c.suppression != Suppression::none) {
      EXPECT_FALSE(c.figure) << "a hidden cell carries no figure";
      EXPECT_TRUE(c.channel_mix.empty());
    }
  }
  EXPECT_EQ(status["a1/staff_kindness"], Suppression::below_threshold);
  // No row (unit) and no column (theme) has exactly one hidden cell, so none can
  // be derived from a published total; here two in each line that has any.
  std::map<std::string, int> hidden_in;
  int complementary = 0;
  for (const auto& [key, s] : status) {
    const auto slash = key.find('/');
    const int h = s == Suppression::none ? 0 : 1;
    hidden_in["unit " + key.substr(0, slash)] += h;
    hidden_in["theme " + key.substr(slash + 1)] += h;
    complementary += s == Suppression::complementary ? 1 : 0;
  }
  for (const auto& [line, h] : hidden_in) EXPECT_NE(h, 1) << line;
  EXPECT_GE(complementary, 3);
  EXPECT_EQ(status.size(), 6u);
}

TEST(EngineComments, KioskFollowUpCommentsCountAsComments) {
  Engine e(themed_model());
  for (int i = 0; i < 6; ++i) {
    domain::Response tap;
    tap.id = 100 + 2 * i;
    tap.unit = "a1";
    tap.touchpoint = "tp3";
    tap.survey = "kiosk";
    tap.channel = domain::Channel::kiosk;
    tap.answered_at = at(kDay);
    tap.answers.push_back(number("face", 2));
    e.add(tap);
    domain::Response follow = tap;
    follow.id = tap.id + 1;
    follow.supplements = tap.id;
    follow.answers.clear();
    domain::Answer a;
    a.key = "followup";
    a.choices = {"x"};
    follow.answers.push_back(a);
    follow.insights = {insight(Sentiment::negative, {"premises"}, false, "followup_text")};
    e.add(follow);
  }
  const Day d = kDay;
  EXPECT_EQ(run(e, query("responses", "c", d, d)).cells[0].figure->n, 6) << "taps only";
  EXPECT_EQ(run(e, query("comments", "c", d, d)).cells[0].figure->n, 6) << "each follow-up's comment once";
  EXPECT_EQ(run(e, query("negative_comments", "c", d, d)).cells[0].figure->value, 100);
  EXPECT_EQ(ns(run(e, query("comments", "c", d, d, {Dimension::theme}))),
            (std::map<std::string, std::int64_t>{{"premises", 6}}));
  EXPECT_TRUE(run(e, query("responses", "c", d, d, {Dimension::sentiment})).cells.empty())
      << "\"responses\" never counts follow-ups, so it has no kiosk comment";
}

TEST(EngineComments, ResponseRateHasNoCommentDimensions) {
  Engine e(themed_model());
  const Day d = kDay;
  auto r = e.query(query("response_rate", "c", d, d, {Dimension::theme}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("group_by:", 0), 0u);
  Query q = query("response_rate", "c", d, d);
  q.filters.sentiments = {Sentiment::positive};
  r = e.query(q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("sentiments:", 0), 0u);
  q.filters.sentiments.clear();
  q.filters.themes = {"premises"};
  r = e.query(q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("themes:", 0), 0u);
}

TEST(EngineComments, SortedBlocksKeepTheirCommentsAndThemes) {
  Engine e(themed_model(1));
  // Rows arrive in alternating units, so the block is re-sorted by unit; a1's
  // rows are positive about premises, a2's negative about waiting.
  for (int i = 0; i < 300; ++i) {
    const bool one = i % 2 == 0;
    e.add(commented(i + 1, one ? "a2" : "a1", 5,
                    {insight(one ? Sentiment::negative : Sentiment::positive,
                             {one ? "access_waiting" : "premises"})}));
  }
  const Day d = kDay;
  EXPECT_EQ(ns(run(e, query("comments", "a", d, d, {Dimension::unit, Dimension::theme}))),
            (std::map<std::string, std::int64_t>{{"a1/premises", 150}, {"a2/access_waiting", 150}}));
  EXPECT_EQ(ns(run(e, query("comments", "a", d, d, {Dimension::unit, Dimension::sentiment}))),
            (std::map<std::string, std::int64_t>{{"a1/positive", 150}, {"a2/negative", 150}}));
}

TEST(EngineComments, AtMostSixtyFourThemes) {
  Engine e(themed_model(1));
  std::vector<std::string> many;
  for (int i = 0; i < 70; ++i) many.push_back("t" + std::to_string(i));
  e.add(commented(1, "a1", 5, {insight(Sentiment::neutral, many)}));
  Table t = run(e, query("comments", "c", kDay, kDay, {Dimension::theme}));
  EXPECT_EQ(t.cells.size(), 64u - 3u) << "the taxonomy's three codes, then the first 61 ids seen";
  EXPECT_EQ(group_of(t.cells.front(), Dimension::theme), "t0");
  EXPECT_EQ(group_of(t.cells.back(), Dimension::theme), "t60");
}

TEST(EngineComments, SnapshotKeepsCommentsAndThemes) {
  const fs::path dir = fs::temp_directory_path() / ("kaiku-comments-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "engine.snap").string();
  auto model = themed_model();
  Engine e(model);
  std::int64_t id = 1;
  for (int day = 0; day < 3; ++day) {
    for (int i = 0; i < 7; ++i)
      e.add(commented(id++, i % 2 ? "a1" : "a2", 9, {insight(Sentiment::positive, {"staff_kindness"}, i == 0)},
                      kDay + day));
    for (int i = 0; i < 6; ++i)
      e.add(commented(id++, "b1", 2, {insight(Sentiment::negative, {"access_waiting", "retired"})}, kDay + day));
    for (int i = 0; i < 5; ++i) e.add(commented(id++, "a3", 8, {}, kDay + day));
  }
  ASSERT_TRUE(e.save_snapshot(path));
  Engine loaded(model);
  ASSERT_TRUE(loaded.load_snapshot(path));
  EXPECT_EQ(loaded.response_count(), e.response_count());
  const Day from = kDay, to = kDay + 2;
  for (const char* ind : {"comments", "positive_comments", "suggestions", "responses"})
    for (std::vector<Dimension> g : {std::vector<Dimension>{Dimension::theme},
                                     std::vector<Dimension>{Dimension::unit, Dimension::sentiment},
                                     std::vector<Dimension>{Dimension::day, Dimension::theme},
                                     std::vector<Dimension>{}}) {
      Table a = run(e, query(ind, "c", from, to, g)), b = run(loaded, query(ind, "c", from, to, g));
      EXPECT_EQ(ns(a), ns(b)) << ind;
      ASSERT_EQ(a.cells.size(), b.cells.size());
      for (std::size_t i = 0; i < a.cells.size(); ++i)
        if (a.cells[i].figure) { EXPECT_EQ(a.cells[i].figure->value, b.cells[i].figure->value) << ind; }
    }
  EXPECT_EQ(ns(run(loaded, query("comments", "c", from, to, {Dimension::theme}))),
            (std::map<std::string, std::int64_t>{{"access_waiting", 18}, {"staff_kindness", 21}, {"retired", 18}}));
  // New rows after loading keep adding to the right columns.
  loaded.add(commented(id++, "b1", 2, {insight(Sentiment::negative, {"access_waiting"})}, kDay));
  EXPECT_EQ(ns(run(loaded, query("comments", "c", from, to, {Dimension::theme})))["access_waiting"], 19);

  // A file of format version 1 is foreign now: refused, the engine left empty
  // (engine_keeper then rebuilds it from storage).
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::uint32_t version;
  std::memcpy(&version, bytes.data() + 8, 4);
  EXPECT_EQ(version, 2u);
  version = 1;
  std::memcpy(bytes.data() + 8, &version, 4);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  Status old = loaded.load_snapshot(path);
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("format version 1, expected 2"), std::string::npos) << old.error().message;
  EXPECT_EQ(loaded.response_count(), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kaiku::analytics
