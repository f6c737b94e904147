// The county's public pages: "you said, we did" (the published development
// actions of an area) and the results page (NPS and the core statements of the
// last 30 days). Their fixed texts live here, in Finnish, Swedish and English.
#include <cmath>
#include <cstdlib>
#include <string>

#include "web/frame.hpp"
#include "web/pages.hpp"

namespace kaiku::web {

using domain::Language;

namespace {

// The fixed texts of these pages. {n} and {a} are filled in.
enum class P {
  actions_title,
  actions_intro,
  actions_none,
  areas_title,
  areas_intro,
  areas_none,
  what_done,
  why,
  all_areas,
  see_results,
  results_title,
  results_intro,
  answers,
  nps_heading,
  nps_explain,
  interval,
  target,
  statements_heading,
  statements_explain,
  col_statement,
  col_agree,
  col_interval,
  col_answers,
  fewer_than,
  privacy,
  children_heading,
  see_actions,
  language,
};

struct Row {
  const char* fi;
  const char* sv;
  const char* en;
};

// One row per P, in enum order.
constexpr Row kRows[] = {
    {"Te sanoitte, me teimme", "Ni sade, vi gjorde", "You said, we did"},
    {"Asiakkaiden palaute johtaa muutoksiin. Tälle sivulle kootaan, mitä olemme palautteen perusteella "
     "muuttaneet: mitä teimme, missä, milloin ja miksi.",
     "Kundernas respons leder till förändringar. Här berättar vi vad vi har ändrat utifrån responsen: vad vi "
     "gjorde, var, när och varför.",
     "Customer feedback leads to change. This page tells what we have changed because of feedback: what we "
     "did, where, when and why."},
    {"Alueelta ei ole vielä julkaistu kehittämistoimia.", "Inga utvecklingsåtgärder har publicerats för området ännu.",
     "No development actions have been published for this area yet."},
    {"Te sanoitte, me teimme", "Ni sade, vi gjorde", "You said, we did"},
    {"Valitse alue tai yksikkö nähdäksesi, mitä olemme muuttaneet asiakkaiden palautteen perusteella.",
     "Välj ett område eller en enhet för att se vad vi har ändrat utifrån kundernas respons.",
     "Choose an area or a unit to see what we have changed because of customer feedback."},
    {"Kehittämistoimia ei ole vielä julkaistu.", "Inga utvecklingsåtgärder har publicerats ännu.",
     "No development actions have been published yet."},
    {"Mitä teimme", "Vad vi gjorde", "What we did"},
    {"Miksi: mitä te sanoitte", "Varför: vad ni sade", "Why: what you said"},
    {"Kaikki alueet", "Alla områden", "All areas"},
    {"Alueen palautetulokset", "Områdets responsresultat", "Feedback results of the area"},
    {"Asiakaspalautteen tulokset", "Resultat av kundresponsen", "Customer feedback results"},
    {"Viimeisten 30 päivän palautteet: {a}.", "Responsen under de senaste 30 dagarna: {a}.",
     "Feedback of the last 30 days: {a}."},
    {"Vastauksia", "Svar", "Answers"},
    {"Suositteluindeksi (NPS)", "Rekommendationsindex (NPS)", "Net Promoter Score (NPS)"},
    {"Kysymme, kuinka todennäköisesti asiakas suosittelisi palvelua läheiselleen asteikolla 0–10. Indeksi on "
     "suosittelijoiden (9–10) osuus prosentteina miinus arvostelijoiden (0–6) osuus, välillä −100…100.",
     "Vi frågar hur sannolikt kunden skulle rekommendera tjänsten till andra på en skala 0–10. Indexet är "
     "andelen rekommendatörer (9–10) i procent minus andelen kritiker (0–6), mellan −100 och 100.",
     "We ask how likely the customer would be to recommend the service, on a scale of 0–10. The score is the "
     "percentage of promoters (9–10) minus the percentage of detractors (0–6), between −100 and 100."},
    {"95 %:n luottamusväli", "95 % konfidensintervall", "95% confidence interval"},
    {"Tavoite", "Mål", "Target"},
    {"Väittämät", "Påståenden", "Statements"},
    {"Osuus vastaajista, jotka olivat väittämän kanssa täysin tai jokseenkin samaa mieltä (4–5 asteikolla 1–5). "
     "”En osaa sanoa” -vastauksia ei lasketa mukaan.",
     "Andelen som var helt eller delvis av samma åsikt (4–5 på en skala 1–5). Svaren ”kan inte säga” räknas "
     "inte med.",
     "The share of respondents who strongly or somewhat agreed (4–5 on a scale of 1–5). “Can't say” answers "
     "are not counted."},
    {"Väittämä", "Påstående", "Statement"},
    {"Samaa mieltä", "Av samma åsikt", "Agree"},
    {"95 %:n luottamusväli", "95 % konfidensintervall", "95% confidence interval"},
    {"Vastauksia", "Svar", "Answers"},
    {"alle {n} vastausta", "färre än {n} svar", "fewer than {n} answers"},
    {"Vastaajien yksityisyyden suojaamiseksi lukua ei näytetä, jos vastauksia on alle {n}.",
     "För att skydda de svarandes integritet visas ingen siffra om det finns färre än {n} svar.",
     "To protect respondents' privacy, no figure is shown when there are fewer than {n} answers."},
    {"Alueen yksiköt", "Områdets enheter", "Units of the area"},
    {"Te sanoitte, me teimme: alueen kehittämistoimet", "Ni sade, vi gjorde: områdets utvecklingsåtgärder",
     "You said, we did: the area's development actions"},
    {"Kieli", "Språk", "Language"},
};
static_assert(sizeof(kRows) / sizeof(kRows[0]) == static_cast<std::size_t>(P::language) + 1,
              "one row per P");

Language page_lang(Language lang) { return lang == Language::fi_selko ? Language::fi : lang; }

std::string_view t(P key, Language lang) {
  const Row& r = kRows[static_cast<std::size_t>(key)];
  switch (page_lang(lang)) {
    case Language::sv:
      return r.sv;
    case Language::en:
      return r.en;
    default:
      return r.fi;
  }
}

std::string esc(std::string_view s) { return html_escape(s); }

std::string replace_all(std::string_view tmpl, std::string_view what, std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.compare(i, what.size(), what) == 0) {
      out += value;
      i += what.size();
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

// A localized text in `lang` and the language it is really in (the fallback of
// LocalizedText::get), so that a fallback can carry its own lang attribute.
struct Localized {
  std::string text;
  Language lang;
};
Localized pick(const domain::LocalizedText& text, Language lang) {
  lang = page_lang(lang);
  if (text.has(lang)) return {text.get(lang), lang};
  if (text.has(Language::fi)) return {text.get(Language::fi), Language::fi};
  for (const auto& [l, s] : text.texts) {
    if (!s.empty()) return {s, l};
  }
  return {"", lang};
}

// ` lang="sv"` when the text is in another language than the page, else "".
std::string lang_attr(const Localized& l, Language page) {
  if (l.lang == page_lang(page)) return "";
  return " lang=\"" + std::string(detail::html_lang(l.lang)) + "\"";
}

// Paragraphs of a text: split at line breaks, empty lines dropped, each escaped.
std::string paragraphs(const Localized& l, Language page) {
  std::string out;
  std::size_t start = 0;
  while (start <= l.text.size()) {
    std::size_t end = l.text.find('\n', start);
    if (end == std::string::npos) end = l.text.size();
    std::string line = l.text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out += "<p" + lang_attr(l, page) + ">" + esc(line) + "</p>";
    start = end + 1;
  }
  return out;
}

// "2026-10-01" -> "1.10.2026" (fi, sv) or "1 October 2026" (en).
std::string date_text(const std::string& iso, Language lang) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  const int y = std::atoi(iso.substr(0, 4).c_str());
  const int m = std::atoi(iso.substr(5, 2).c_str());
  const int d = std::atoi(iso.substr(8, 2).c_str());
  if (m < 1 || m > 12 || d < 1) return iso;
  if (page_lang(lang) == Language::en) {
    static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December"};
    return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
  }
  return std::to_string(d) + "." + std::to_string(m) + "." + std::to_string(y);
}

std::string time_element(const std::string& iso, Language lang) {
  return "<time datetime=\"" + esc(iso) + "\">" + esc(date_text(iso, lang)) + "</time>";
}

// A whole number with a real minus sign (read as "minus" by screen readers).
std::string number(double v) {
  const long r = std::lround(v);
  return r < 0 ? "\u2212" + std::to_string(-r) : std::to_string(r);
}

std::string percent(double v, Language lang) {
  return number(v) + (page_lang(lang) == Language::en ? "%" : "\u00a0%");
}

std::string range(const PublicFigure& f, bool as_percent, Language lang) {
  if (!f.ci_low || !f.ci_high) return "";
  std::string low = number(*f.ci_low), high = number(*f.ci_high);
  std::string out = low + "\u2013" + high;
  if (*f.ci_low < 0) out = low + " \u2026 " + high;
  if (as_percent) out += page_lang(lang) == Language::en ? "%" : "\u00a0%";
  return out;
}

std::string fewer_than(int threshold, Language lang) {
  return replace_all(t(P::fewer_than, lang), "{n}", std::to_string(threshold));
}

std::string unit_name(const PageContext& ctx, const std::string& id, Language lang, bool with_lang_attr) {
  const domain::OrgUnit* u = ctx.model != nullptr ? ctx.model->unit(id) : nullptr;
  if (u == nullptr) return esc(id);
  Localized l = pick(u->name, lang);
  if (with_lang_attr && !lang_attr(l, lang).empty()) return "<span" + lang_attr(l, lang) + ">" + esc(l.text) + "</span>";
  return esc(l.text);
}

// Links to the same page in the three languages; the current one marked.
std::string language_links(const std::string& suffix, std::string_view (*path)(Language) noexcept, Language lang) {
  static const struct {
    Language lang;
    const char* name;
  } kLangs[] = {{Language::fi, "Suomi"}, {Language::sv, "Svenska"}, {Language::en, "English"}};
  std::string out = "<nav class=\"lang-switch page-langs\" aria-label=\"" + esc(t(P::language, lang)) + "\"><ul>";
  for (const auto& l : kLangs) {
    const std::string tag(domain::language_tag(l.lang));
    out += "<li><a href=\"" + esc(std::string(path(l.lang)) + suffix) + "\" lang=\"" + tag + "\" hreflang=\"" + tag +
           "\"";
    if (l.lang == page_lang(lang)) out += " aria-current=\"page\"";
    out += ">" + std::string(l.name) + "</a></li>";
  }
  out += "</ul></nav>\n";
  return out;
}

PageContext page_context(const PageContext& ctx) {
  PageContext c = ctx;
  c.path.clear();  // the language switch of these pages changes the path, not ?lang
  return c;
}

std::string document(const PageContext& ctx, const std::string& title, const std::string& main) {
  detail::Frame frame;
  frame.title = title;
  return detail::document(page_context(ctx), frame, main);
}

}  // namespace

std::string_view actions_path(Language lang) noexcept {
  switch (lang) {
    case Language::sv:
      return "/ni-sade-vi-gjorde";
    case Language::en:
      return "/you-said-we-did";
    default:
      return "/sanoitte-teimme";
  }
}

std::string_view results_path(Language lang) noexcept {
  switch (lang) {
    case Language::sv:
      return "/resultat";
    case Language::en:
      return "/results";
    default:
      return "/tulokset";
  }
}

std::string render_actions_page(const PageContext& ctx, const ActionsPage& page) {
  const Language lang = ctx.lang;
  const std::string area_id = page.area != nullptr ? page.area->id : std::string();
  const Localized area = page.area != nullptr ? pick(page.area->name, lang) : Localized{"", lang};
  std::string main = language_links("/" + area_id, &actions_path, lang);
  main += "<h1>" + esc(t(P::actions_title, lang)) + ": <span" + lang_attr(area, lang) + ">" + esc(area.text) +
          "</span></h1>\n";
  main += "<p class=\"lead\">" + esc(t(P::actions_intro, lang)) + "</p>\n";
  if (page.actions.empty()) {
    main += "<p class=\"note\">" + esc(t(P::actions_none, lang)) + "</p>\n";
  } else {
    main += "<ol class=\"action-list\">\n";
    for (const auto& a : page.actions) {
      const std::string id = "action-" + std::to_string(a.id);
      const Localized title = pick(a.title, lang);
      main += "<li><article aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\"" + lang_attr(title, lang) + ">" +
              esc(title.text) + "</h2>";
      main += "<p class=\"action-meta\">" + time_element(a.done_on, lang) + " \u00b7 " +
              unit_name(ctx, a.unit, lang, true) + "</p>";
      const Localized what = pick(a.description, lang);
      if (!what.text.empty()) main += "<h3>" + esc(t(P::what_done, lang)) + "</h3>" + paragraphs(what, lang);
      const Localized why = pick(a.reason, lang);
      if (!why.text.empty()) main += "<h3>" + esc(t(P::why, lang)) + "</h3>" + paragraphs(why, lang);
      main += "</article></li>\n";
    }
    main += "</ol>\n";
  }
  main += "<ul class=\"links\"><li><a href=\"" + esc(std::string(results_path(lang)) + "/" + area_id) + "\">" +
          esc(t(P::see_results, lang)) + "</a></li><li><a href=\"" + esc(std::string(actions_path(lang))) + "\">" +
          esc(t(P::all_areas, lang)) + "</a></li></ul>\n";
  return document(ctx, std::string(t(P::actions_title, lang)) + ": " + area.text, main);
}

std::string render_action_areas_page(const PageContext& ctx, const std::vector<const domain::OrgUnit*>& areas) {
  const Language lang = ctx.lang;
  std::string main = language_links("", &actions_path, lang);
  main += "<h1>" + esc(t(P::areas_title, lang)) + "</h1>\n";
  if (areas.empty()) {
    main += "<p class=\"note\">" + esc(t(P::areas_none, lang)) + "</p>\n";
  } else {
    main += "<p class=\"lead\">" + esc(t(P::areas_intro, lang)) + "</p>\n<ul class=\"links\">\n";
    for (const auto* u : areas) {
      const Localized name = pick(u->name, lang);
      main += "<li><a href=\"" + esc(std::string(actions_path(lang)) + "/" + u->id) + "\"" + lang_attr(name, lang) +
              ">" + esc(name.text) + "</a></li>\n";
    }
    main += "</ul>\n";
  }
  return document(ctx, std::string(t(P::areas_title, lang)), main);
}

std::string render_results_page(const PageContext& ctx, const ResultsPage& page) {
  const Language lang = ctx.lang;
  const std::string area_id = page.area != nullptr ? page.area->id : std::string();
  const Localized area = page.area != nullptr ? pick(page.area->name, lang) : Localized{"", lang};
  const std::string none = fewer_than(page.threshold, lang);
  std::string main = language_links("/" + area_id, &results_path, lang);
  main += "<h1>" + esc(t(P::results_title, lang)) + ": <span" + lang_attr(area, lang) + ">" + esc(area.text) +
          "</span></h1>\n";
  const std::string period = time_element(page.from, lang) + "\u2013" + time_element(page.to, lang);
  main += "<p class=\"lead\">" + replace_all(esc(t(P::results_intro, lang)), "{a}", period) + "</p>\n";
  main += "<p>" + esc(t(P::answers, lang)) + ": <strong>" +
          esc(page.answers.shown ? number(page.answers.value) : none) + "</strong></p>\n";

  main += "<section aria-labelledby=\"nps-heading\"><h2 id=\"nps-heading\">" + esc(t(P::nps_heading, lang)) +
          "</h2>\n";
  if (page.nps.shown) {
    main += "<p class=\"figure\">" + esc(number(page.nps.value)) + "</p>\n<ul class=\"figure-facts\">";
    if (page.nps.ci_low && page.nps.ci_high) {
      main += "<li>" + esc(t(P::interval, lang)) + ": " + esc(range(page.nps, false, lang)) + "</li>";
    }
    main += "<li>" + esc(t(P::answers, lang)) + ": " + std::to_string(page.nps.n) + "</li>";
    if (page.nps.target) main += "<li>" + esc(t(P::target, lang)) + ": " + esc(number(*page.nps.target)) + "</li>";
    main += "</ul>\n";
  } else {
    main += "<p class=\"figure suppressed\">" + esc(none) + "</p>\n";
  }
  main += "<p class=\"hint\">" + esc(t(P::nps_explain, lang)) + "</p></section>\n";

  if (!page.statements.empty()) {
    main += "<section aria-labelledby=\"statements-heading\"><h2 id=\"statements-heading\">" +
            esc(t(P::statements_heading, lang)) + "</h2>\n<p class=\"hint\">" +
            esc(t(P::statements_explain, lang)) + "</p>\n";
    main += "<table class=\"results\"><thead><tr><th scope=\"col\">" + esc(t(P::col_statement, lang)) +
            "</th><th scope=\"col\">" + esc(t(P::col_agree, lang)) + "</th><th scope=\"col\">" +
            esc(t(P::col_interval, lang)) + "</th><th scope=\"col\">" + esc(t(P::col_answers, lang)) +
            "</th></tr></thead>\n<tbody>\n";
    for (const auto& s : page.statements) {
      const Localized text = pick(s.text, lang);
      main += "<tr><th scope=\"row\"" + lang_attr(text, lang) + ">" + esc(text.text) + "</th>";
      if (s.figure.shown) {
        main += "<td class=\"num\">" + esc(percent(s.figure.value, lang)) + "</td><td class=\"num\">" +
                esc(range(s.figure, true, lang)) + "</td><td class=\"num\">" + std::to_string(s.figure.n) +
                "</td>";
      } else {
        main += "<td colspan=\"3\">" + esc(none) + "</td>";
      }
      main += "</tr>\n";
    }
    main += "</tbody></table></section>\n";
  }
  main += "<p class=\"note\">" + esc(replace_all(t(P::privacy, lang), "{n}", std::to_string(page.threshold))) +
          "</p>\n";
  if (!page.children.empty()) {
    main += "<nav aria-labelledby=\"children-heading\"><h2 id=\"children-heading\">" +
            esc(t(P::children_heading, lang)) + "</h2><ul class=\"links\">";
    for (const auto* u : page.children) {
      const Localized name = pick(u->name, lang);
      main += "<li><a href=\"" + esc(std::string(results_path(lang)) + "/" + u->id) + "\"" + lang_attr(name, lang) +
              ">" + esc(name.text) + "</a></li>";
    }
    main += "</ul></nav>\n";
  }
  main += "<p><a href=\"" + esc(std::string(actions_path(lang)) + "/" + area_id) + "\">" +
          esc(t(P::see_actions, lang)) + "</a></p>\n";
  return document(ctx, std::string(t(P::results_title, lang)) + ": " + area.text, main);
}

}  // namespace kaiku::web
