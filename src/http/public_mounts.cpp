#include "http/public_mounts.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "analytics/calendar.hpp"
#include "http/form.hpp"
#include "http/problem.hpp"
#include "web/pages.hpp"

namespace kaiku::http {
namespace {

using domain::Language;

web::PageContext page_context(const domain::Model& model, Language lang) {
  web::PageContext ctx;
  ctx.lang = lang;
  ctx.model = &model;
  return ctx;
}

Response page(int status, const std::string& html, Language lang, std::string_view cache) {
  Response res = html_response(status, html);
  res.set_header("Content-Language", std::string(domain::language_tag(lang)));
  if (!cache.empty()) res.set_header("Cache-Control", std::string(cache));
  return res;
}

Response error_page(const domain::Model& model, Language lang, int status, web::ErrorPage kind) {
  return page(status, web::render_error_page(page_context(model, lang), status, kind), lang, "");
}

// What a public mount serves: GET/HEAD of "<prefix>" or "<prefix>/<area>" (an
// optional trailing slash), no query string. Sets `area` ("" for the bare path);
// an error response otherwise.
std::optional<Response> read_target(const domain::Model& model, Language lang, std::string_view prefix,
                                    const Request& req, std::string& area) {
  if (req.method != "GET" && req.method != "HEAD") {
    Response res = error_page(model, lang, 405, web::ErrorPage::bad_request);
    res.set_header("Allow", "GET, HEAD");
    return res;
  }
  const auto [path, query] = split_target(req.target);
  (void)query;  // ignored, like the other respondent pages (tracking parameters)
  std::string_view rest = path.substr(prefix.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (!rest.empty()) rest.remove_prefix(1);  // the '/'
  if (rest.find('/') != std::string_view::npos) return error_page(model, lang, 404, web::ErrorPage::not_found);
  area = std::string(rest);
  if (!area.empty() && model.unit(area) == nullptr) return error_page(model, lang, 404, web::ErrorPage::not_found);
  return std::nullopt;
}

class PublicActionsMount final : public Mount {
 public:
  PublicActionsMount(Language lang, const domain::Model& model, const service::ActionService& actions)
      : lang_(lang), model_(model), actions_(actions) {}
  std::string_view prefix() const override { return web::actions_path(lang_); }
  bool wants_caller() const override { return false; }

  Response handle(const Request& req, const Result<domain::Principal>&) const override {
    std::string area;
    if (auto err = read_target(model_, lang_, prefix(), req, area)) return std::move(*err);
    const web::PageContext ctx = page_context(model_, lang_);
    if (area.empty()) {
      auto areas = actions_.areas_with_published();
      if (!areas) return error_page(model_, lang_, 503, web::ErrorPage::internal);
      return page(200, web::render_action_areas_page(ctx, *areas), lang_, "public, max-age=60");
    }
    auto list = actions_.published_in(area);
    if (!list) {
      if (list.error().kind == ErrorKind::not_found) return error_page(model_, lang_, 404, web::ErrorPage::not_found);
      return error_page(model_, lang_, 503, web::ErrorPage::internal);
    }
    web::ActionsPage p;
    p.area = model_.unit(area);
    p.actions = std::move(*list);
    return page(200, web::render_actions_page(ctx, p), lang_, "public, max-age=60");
  }

 private:
  Language lang_;
  const domain::Model& model_;
  const service::ActionService& actions_;
};

// The figure of a cell; not shown when suppressed.
web::PublicFigure figure_of(const analytics::Cell& cell) {
  web::PublicFigure out;
  out.target = cell.target;
  if (cell.suppression != analytics::Suppression::none || !cell.figure) return out;
  out.shown = true;
  out.value = cell.figure->value;
  out.ci_low = cell.figure->ci_low;
  out.ci_high = cell.figure->ci_high;
  out.n = cell.figure->n;
  return out;
}

// The figure of a one-cell table; not shown when suppressed or empty (no answers).
web::PublicFigure figure_of(const Result<analytics::Table>& table) {
  if (!table || table->cells.empty()) return {};
  return figure_of(table->cells.front());
}

// The figures of the results pages, shared by the three languages and kept for
// kResultsTtl by the clock: a public page may be asked often, and each page is a
// dozen engine queries. At most one entry per org node of the model.
constexpr std::chrono::minutes kResultsTtl{5};

class ResultsSource {
 public:
  ResultsSource(const domain::Model& model, const service::ReportService& reports, Clock& clock)
      : model_(model), reports_(reports), clock_(clock) {}

  // The figures of `area` (a unit of the model); unavailable when the engine fails.
  Result<web::ResultsPage> figures(const std::string& area) const {
    const TimePoint now = clock_.now();
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(area);
      if (it != cache_.end() && now >= it->second.first && now - it->second.first < kResultsTtl) {
        return it->second.second;
      }
    }
    auto fresh = compute(area, now);
    if (!fresh) return fresh;
    std::lock_guard lock(mu_);
    cache_[area] = {now, *fresh};
    return fresh;
  }

 private:
  // The published figures of the children of `parent` for one indicator (absent:
  // no answers). They come from ONE table grouped by unit, so the engine's
  // complementary suppression protects them against their margin, the parent's
  // total (docs/reporting.md). When that margin is itself hidden and every cell of
  // the table would be published, the smallest child is hidden as well: else the
  // hidden margin would be the sum of its children, and a hidden sibling of the
  // parent its own parent's total minus the rest. Memoised per (parent, indicator).
  using Children = std::map<std::string, web::PublicFigure>;
  using Memo = std::map<std::pair<std::string, std::string>, Children>;
  Result<const Children*> published_children(const std::string& parent, const std::string& indicator,
                                             const analytics::Day today, Memo& memo) const {
    if (auto it = memo.find({parent, indicator}); it != memo.end()) return &it->second;
    auto table = ask(parent, indicator, today, true);
    if (!table && table.error().kind != ErrorKind::invalid_input) return fail(table.error());
    Children out;
    if (table) {
      const domain::OrgUnit* unit = model_.unit(parent);
      bool margin_shown = false;
      if (unit == nullptr || unit->parent.empty()) {
        margin_shown = figure_of(ask(parent, indicator, today, false)).shown;
      } else {
        auto above = published_children(unit->parent, indicator, today, memo);
        if (!above) return fail(above.error());
        auto it = (*above)->find(parent);
        margin_shown = it != (*above)->end() && it->second.shown;
      }
      int unknown = 0;  // cells the public does not see: hidden ones and the parent's own answers
      for (const analytics::Cell& cell : table->cells) {
        const std::string& who = cell.group.empty() ? parent : cell.group.front().second;
        if (who == parent || !cell.figure) ++unknown;
        if (who != parent) out[who] = figure_of(cell);
      }
      if (!margin_shown && unknown == 0) {
        web::PublicFigure* smallest = nullptr;
        for (const analytics::Cell& cell : table->cells) {  // model order: ties go to the first
          if (cell.group.empty() || cell.group.front().second == parent) continue;
          auto& f = out[cell.group.front().second];
          if (f.shown && (smallest == nullptr || f.n < smallest->n)) smallest = &f;
        }
        if (smallest != nullptr) *smallest = web::PublicFigure{false, 0, std::nullopt, std::nullopt, 0, smallest->target};
      }
    }
    return &memo.emplace(std::make_pair(parent, indicator), std::move(out)).first->second;
  }

  // One engine query of the last 30 days in `unit`'s subtree, grouped by unit or not.
  Result<analytics::Table> ask(const std::string& unit, const std::string& indicator, analytics::Day today,
                               bool by_unit) const {
    // The public reads aggregates only, as a reader of the whole county; the
    // engine suppresses every cell below the model's threshold.
    const domain::Principal reader{0, "public", domain::Role::analyst, model_.county_id};
    analytics::Query q;
    q.indicator = indicator;
    q.unit = unit;
    q.from = today - 29;
    q.to = today;
    if (by_unit) q.group_by = {analytics::Dimension::unit};
    return reports_.indicators(reader, q);
  }

  Result<web::ResultsPage> compute(const std::string& area, TimePoint now) const {
    const analytics::Day today = analytics::TimeZone::helsinki().local_day(now);
    web::ResultsPage p;
    p.area = model_.unit(area);
    p.from = analytics::format_date(today - 29);
    p.to = analytics::format_date(today);
    p.threshold = model_.reporting_threshold;
    // The area's figures: the root's own table, any other area's cell in its
    // parent's table grouped by unit (see published_children).
    Memo memo;
    auto figure = [&](const std::string& indicator) -> Result<web::PublicFigure> {
      if (p.area == nullptr || p.area->parent.empty()) {
        auto table = ask(area, indicator, today, false);
        if (!table && table.error().kind != ErrorKind::invalid_input) return fail(table.error());
        return figure_of(table);
      }
      auto siblings = published_children(p.area->parent, indicator, today, memo);
      if (!siblings) return fail(siblings.error());
      auto it = (*siblings)->find(area);
      return it == (*siblings)->end() ? web::PublicFigure{} : it->second;
    };
    auto answers = figure("responses");
    if (!answers) return fail(answers.error());
    p.answers = *answers;
    auto nps = figure("nps");  // a model without an NPS question: shown as no figure
    if (!nps) return fail(nps.error());
    p.nps = *nps;
    for (const domain::Question* q : core_statements(model_, area)) {
      web::PublicStatement s;
      s.key = q->key;
      s.text = q->text;
      auto f = figure(q->key);
      if (!f) return fail(f.error());
      s.figure = *f;
      s.figure.target.reset();  // statement targets are on the mean; the page shows shares
      p.statements.push_back(std::move(s));
    }
    for (const auto& u : model_.units) {
      if (u.parent == area) p.children.push_back(&u);
    }
    return p;
  }

  const domain::Model& model_;
  const service::ReportService& reports_;
  Clock& clock_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::pair<TimePoint, web::ResultsPage>> cache_;
};

class PublicResultsMount final : public Mount {
 public:
  // `source` null: no reporting engine (503).
  PublicResultsMount(Language lang, const domain::Model& model, std::shared_ptr<const ResultsSource> source)
      : lang_(lang), model_(model), source_(std::move(source)) {}
  std::string_view prefix() const override { return web::results_path(lang_); }
  bool wants_caller() const override { return false; }

  Response handle(const Request& req, const Result<domain::Principal>&) const override {
    std::string area;
    if (auto err = read_target(model_, lang_, prefix(), req, area)) return std::move(*err);
    if (area.empty()) return see_other(std::string(prefix()) + "/" + model_.county_id);
    if (source_ == nullptr) return error_page(model_, lang_, 503, web::ErrorPage::internal);
    auto p = source_->figures(area);
    if (!p) return error_page(model_, lang_, 503, web::ErrorPage::internal);
    return page(200, web::render_results_page(page_context(model_, lang_), *p), lang_, "public, max-age=300");
  }

 private:
  Language lang_;
  const domain::Model& model_;
  std::shared_ptr<const ResultsSource> source_;
};

}  // namespace

std::vector<const domain::Question*> core_statements(const domain::Model& model, const std::string& area) {
  std::vector<const domain::Question*> out;
  std::set<std::string> seen;
  for (const auto& tp : model.touchpoints) {
    const bool here = std::any_of(tp.units.begin(), tp.units.end(), [&](const std::string& u) {
      return model.in_subtree(u, area) || model.in_subtree(area, u);
    });
    if (!here) continue;
    const domain::Survey* survey = model.survey(tp.survey);
    if (survey == nullptr) continue;
    for (const auto& q : survey->questions) {
      if (q.type == domain::QuestionType::agreement && seen.insert(q.key).second) out.push_back(&q);
    }
  }
  return out;
}

std::vector<std::unique_ptr<Mount>> make_public_mounts(const domain::Model& model,
                                                       const service::ActionService& actions,
                                                       const service::ReportService* reports, Clock& clock) {
  std::vector<std::unique_ptr<Mount>> out;
  std::shared_ptr<const ResultsSource> source;
  if (reports != nullptr) source = std::make_shared<const ResultsSource>(model, *reports, clock);
  for (Language lang : {Language::fi, Language::sv, Language::en}) {
    out.push_back(std::make_unique<PublicActionsMount>(lang, model, actions));
    out.push_back(std::make_unique<PublicResultsMount>(lang, model, source));
  }
  return out;
}

}  // namespace kaiku::http
