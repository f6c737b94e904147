#include "http/report_format.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <set>

#include "domain/model.hpp"
#include "service/csv.hpp"

namespace kaiku::http {
namespace json = boost::json;
using analytics::Cell;
using analytics::Comparison;
using analytics::IndicatorKind;
using analytics::Suppression;
using analytics::Table;

namespace {

bool is_share(IndicatorKind k) { return k == IndicatorKind::top_two_box || k == IndicatorKind::positive_share; }

json::value opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object comparison_json(const Comparison& c) {
  json::object o;
  o["from"] = analytics::format_date(c.from);
  o["to"] = analytics::format_date(c.to);
  o["suppressed"] = c.suppressed;
  const bool shown = !c.suppressed && c.figure.has_value();
  o["n"] = shown ? json::value(c.figure->n) : json::value(nullptr);
  o["value"] = shown ? json::value(c.figure->value) : json::value(nullptr);
  o["change"] = shown ? opt(c.change) : json::value(nullptr);
  o["significant"] = shown && c.change.has_value() && c.significant;
  return o;
}

json::object row_json(const Table& t, const Cell& c) {
  json::object row;
  json::object group;
  for (const auto& [dim, key] : c.group) group[analytics::dimension_name(dim)] = key;
  row["group"] = std::move(group);
  const bool shown = c.suppression == Suppression::none && c.figure.has_value();
  json::object period{{"from", analytics::format_date(c.from)},
                      {"to", analytics::format_date(c.to)},
                      {"widened", c.widened}};
  if (!shown) {
    row["n"] = nullptr;
    row["value"] = nullptr;
    row["ci_low"] = nullptr;
    row["ci_high"] = nullptr;
    row["suppressed"] = true;
    row["reason"] = suppression_reason(c.suppression == Suppression::none ? Suppression::below_threshold
                                                                           : c.suppression);
    row["note"] = suppression_note(c.suppression == Suppression::none ? Suppression::below_threshold
                                                                       : c.suppression,
                                   t.threshold);
    row["period"] = std::move(period);
    return row;
  }
  const analytics::Figure& f = *c.figure;
  row["n"] = f.n;
  row["value"] = f.value;
  row["ci_low"] = opt(f.ci_low);
  row["ci_high"] = opt(f.ci_high);
  row["suppressed"] = false;
  if (t.kind == IndicatorKind::nps) {
    row["promoters"] = f.promoters;
    row["passives"] = f.passives;
    row["detractors"] = f.detractors;
  } else if (is_share(t.kind)) {
    row["positive"] = f.positive;
    row["mean"] = opt(f.mean);
    row["cant_say"] = f.cant_say;
  } else if (t.kind == IndicatorKind::response_rate) {
    row["answered"] = f.positive;
  } else if (t.kind == IndicatorKind::comment_share) {
    row["matching"] = f.positive;
  }
  json::object mix;
  for (const auto& m : c.channel_mix) mix[domain::channel_name(m.channel)] = opt(m.share);
  row["channel_mix"] = std::move(mix);
  row["period"] = std::move(period);
  row["target"] = opt(c.target);
  row["target_met"] = c.target_met ? json::value(*c.target_met) : json::value(nullptr);
  if (c.standardised) {
    row["standardised"] = json::object{{"value", c.standardised->value},
                                       {"ci_low", c.standardised->ci_low},
                                       {"ci_high", c.standardised->ci_high},
                                       {"coverage", c.standardised->coverage}};
  }
  if (c.previous) row["previous"] = comparison_json(*c.previous);
  if (c.year_ago) row["year_ago"] = comparison_json(*c.year_ago);
  return row;
}

std::string num(double v);

// Serializes like boost::json::serialize, but doubles in plain shortest
// round-trip form ("64.35452793834297", not "6.435452793834297E1").
void write_json(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::value(k));
        out += ':';
        write_json(x, out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_json(x, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      const double d = v.get_double();
      if (std::isfinite(d)) {
        out += num(d);
      } else {
        out += "null";  // never produced by the engine; JSON has no NaN
      }
      return;
    }
    default:
      out += json::serialize(v);
  }
}

std::string num(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::string();
}
std::string num(const std::optional<double>& v) { return v ? num(*v) : std::string(); }

void comparison_csv(const std::optional<Comparison>& c, std::vector<std::string>& out) {
  if (!c) {
    out.insert(out.end(), 7, "");
    return;
  }
  const bool shown = !c->suppressed && c->figure.has_value();
  out.push_back(analytics::format_date(c->from));
  out.push_back(analytics::format_date(c->to));
  out.push_back(c->suppressed ? "true" : "false");
  out.push_back(shown ? std::to_string(c->figure->n) : "");
  out.push_back(shown ? num(c->figure->value) : "");
  out.push_back(shown ? num(c->change) : "");
  out.push_back(shown && c->change && c->significant ? "true" : "false");
}

}  // namespace

std::string_view suppression_reason(Suppression s) {
  switch (s) {
    case Suppression::none: return "";
    case Suppression::below_threshold: return "below_threshold";
    case Suppression::complementary: return "complementary";
  }
  return "";
}

std::string suppression_note(Suppression s, int threshold) {
  if (s == Suppression::complementary) return "hidden so that a smaller cell cannot be derived";
  if (s == Suppression::none) return "";
  return "fewer than " + std::to_string(threshold) + " answers";
}

std::string report_json(const Table& t) {
  json::object o;
  o["indicator"] = t.indicator;
  o["kind"] = analytics::indicator_kind_name(t.kind);
  o["unit"] = t.unit;
  o["from"] = analytics::format_date(t.from);
  o["to"] = analytics::format_date(t.to);
  o["threshold"] = t.threshold;
  json::array group_by;
  for (auto d : t.group_by) group_by.emplace_back(analytics::dimension_name(d));
  o["group_by"] = std::move(group_by);
  json::array rows;
  for (const auto& c : t.cells) rows.push_back(row_json(t, c));
  o["rows"] = std::move(rows);
  std::string out;
  write_json(o, out);
  return out;
}

std::string report_csv(const Table& t) {
  std::string out;
  for (const auto& fields : report_fields(t)) {
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : ",") + service::csv_field(fields[i]);
    out += "\r\n";
  }
  return out;
}

std::vector<std::vector<std::string>> report_fields(const Table& t) {
  std::set<int> channels;
  bool any_std = false, any_prev = false, any_year = false;
  for (const auto& c : t.cells) {
    for (const auto& m : c.channel_mix) channels.insert(static_cast<int>(m.channel));
    any_std = any_std || c.standardised.has_value();
    any_prev = any_prev || c.previous.has_value();
    any_year = any_year || c.year_ago.has_value();
  }
  std::vector<std::string> head;
  for (auto d : t.group_by) head.emplace_back(analytics::dimension_name(d));
  for (const char* h : {"n", "value", "ci_low", "ci_high", "suppressed", "reason", "note", "period_from",
                        "period_to", "widened"}) {
    head.emplace_back(h);
  }
  if (t.kind == IndicatorKind::nps) head.insert(head.end(), {"promoters", "passives", "detractors"});
  if (is_share(t.kind)) head.insert(head.end(), {"positive", "mean", "cant_say"});
  if (t.kind == IndicatorKind::response_rate) head.emplace_back("answered");
  if (t.kind == IndicatorKind::comment_share) head.emplace_back("matching");
  head.insert(head.end(), {"target", "target_met"});
  for (int ch : channels) head.push_back("mix_" + std::string(domain::channel_name(static_cast<domain::Channel>(ch))));
  if (any_std) head.insert(head.end(), {"standardised", "standardised_ci_low", "standardised_ci_high", "coverage"});
  for (auto [any, prefix] : {std::pair{any_prev, "previous_"}, std::pair{any_year, "year_ago_"}}) {
    if (!any) continue;
    for (const char* h : {"from", "to", "suppressed", "n", "value", "change", "significant"}) {
      head.push_back(std::string(prefix) + h);
    }
  }
  std::vector<std::vector<std::string>> out;
  out.push_back(std::move(head));
  for (const auto& c : t.cells) {
    std::vector<std::string> f;
    for (const auto& g : c.group) f.push_back(g.second);
    const bool shown = c.suppression == Suppression::none && c.figure.has_value();
    const Suppression why = c.suppression == Suppression::none ? Suppression::below_threshold : c.suppression;
    f.push_back(shown ? std::to_string(c.figure->n) : "");
    f.push_back(shown ? num(c.figure->value) : "");
    f.push_back(shown ? num(c.figure->ci_low) : "");
    f.push_back(shown ? num(c.figure->ci_high) : "");
    f.push_back(shown ? "false" : "true");
    f.push_back(shown ? "" : std::string(suppression_reason(why)));
    f.push_back(shown ? "" : suppression_note(why, t.threshold));
    f.push_back(analytics::format_date(c.from));
    f.push_back(analytics::format_date(c.to));
    f.push_back(c.widened ? "true" : "false");
    if (t.kind == IndicatorKind::nps) {
      for (auto v : {&analytics::Figure::promoters, &analytics::Figure::passives, &analytics::Figure::detractors}) {
        f.push_back(shown ? std::to_string((*c.figure).*v) : "");
      }
    }
    if (is_share(t.kind)) {
      f.push_back(shown ? std::to_string(c.figure->positive) : "");
      f.push_back(shown ? num(c.figure->mean) : "");
      f.push_back(shown ? std::to_string(c.figure->cant_say) : "");
    }
    if (t.kind == IndicatorKind::response_rate || t.kind == IndicatorKind::comment_share) {
      f.push_back(shown ? std::to_string(c.figure->positive) : "");
    }
    f.push_back(shown ? num(c.target) : "");
    f.push_back(shown && c.target_met ? (*c.target_met ? "true" : "false") : "");
    for (int ch : channels) {
      std::string v;
      if (shown) {
        for (const auto& m : c.channel_mix) {
          if (static_cast<int>(m.channel) == ch) v = num(m.share);
        }
      }
      f.push_back(v);
    }
    if (any_std) {
      const bool s = shown && c.standardised.has_value();
      f.push_back(s ? num(c.standardised->value) : "");
      f.push_back(s ? num(c.standardised->ci_low) : "");
      f.push_back(s ? num(c.standardised->ci_high) : "");
      f.push_back(s ? num(c.standardised->coverage) : "");
    }
    if (any_prev) comparison_csv(shown ? c.previous : std::nullopt, f);
    if (any_year) comparison_csv(shown ? c.year_ago : std::nullopt, f);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kaiku::http
