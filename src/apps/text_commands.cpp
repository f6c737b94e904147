#include "apps/text_commands.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include "apps/text_tools.hpp"
#include "text/language.hpp"
#include "text/voikko.hpp"

namespace kaiku::apps {

namespace {

struct AnalyzeArgs {
  bool json = false;
  std::string model;
  bool keep_staff_names = false;
};

constexpr const char* kDefaultModel = "models/demo";

// Loads the model, Voikko and the analyzer, then analyses standard input.
int run_analyze(const AnalyzeArgs& args) {
  // Without --model, a missing models/demo only costs the themes (redaction,
  // language and tone still work).
  auto tools = open_text_tools(args.model.empty() ? kDefaultModel : args.model, args.model.empty(),
                               "kaiku text analyze", std::cerr);
  if (!tools) return 2;
  text::RedactOptions options;
  options.redact_staff_names = tools->settings.redact_staff_names && !args.keep_staff_names;
  std::ios::sync_with_stdio(false);
  return analyze_lines(std::cin, std::cout, *tools->analyzer, options, args.json);
}

// A longer input line is reported as an error and not analysed.
constexpr std::size_t kMaxLineBytes = 100'000;

// Reads one line (without its '\n') into `line`, keeping at most kMaxLineBytes + 1
// bytes (room for a CR) and discarding the rest, so a huge line never sits in memory.
// `too_long` tells whether bytes were discarded. False at the end of input with
// nothing read.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* sb = in.rdbuf();
  if (sb == nullptr || !in.good()) return false;
  bool any = false;
  for (;;) {
    const int c = sb->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (line.size() <= kMaxLineBytes) line.push_back(static_cast<char>(c));
    else too_long = true;
  }
}

void join(std::ostream& out, const std::vector<std::string>& items) {
  for (std::size_t k = 0; k < items.size(); ++k) out << (k ? "," : "") << items[k];
}

}  // namespace

int analyze_lines(std::istream& in, std::ostream& out, const text::Analyzer& analyzer,
                  const text::RedactOptions& options, bool json) {
  std::string line;
  long number = 0;
  bool too_long = false;
  auto report = [&](const std::string& error) {
    if (json) {
      boost::json::object o;
      o["line"] = number;
      o["error"] = error;
      out << boost::json::serialize(o) << '\n';
    } else {
      out << "error\tline " << number << ": " << error << '\n';
    }
  };
  while (read_line(in, line, too_long)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (too_long || line.size() > kMaxLineBytes) {
      report("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
      continue;
    }
    text::Analysis a = analyzer.analyze(line, options);
    if (!a.redacted.valid_utf8) {
      report(a.redacted.error);
      continue;
    }
    domain::CommentInsight insight = a.insight("");
    if (json) {
      boost::json::object o;
      o["redacted"] = a.redacted.text;
      o["language"] = insight.language;
      boost::json::array themes;
      for (const std::string& t : insight.themes) themes.emplace_back(t);
      o["themes"] = std::move(themes);
      o["sentiment"] = std::string(domain::sentiment_name(insight.sentiment));
      o["suggestion"] = insight.suggestion;
      boost::json::array kinds;
      for (const std::string& p : insight.placeholders) kinds.emplace_back(p);
      o["placeholders"] = std::move(kinds);
      boost::json::object evidence;
      // Rounded to 3 decimals: the evidence is a tuning aid, not a measurement.
      evidence["positive"] = std::round(a.positive * 1000) / 1000;
      evidence["negative"] = std::round(a.negative * 1000) / 1000;
      evidence["rules"] = std::string(domain::sentiment_name(a.rules_sentiment));
      o["evidence"] = std::move(evidence);
      out << boost::json::serialize(o) << '\n';
    } else {
      out << insight.language << '\t' << domain::sentiment_name(insight.sentiment) << '\t'
          << (insight.suggestion ? 1 : 0) << '\t';
      join(out, insight.themes);
      out << '\t';
      join(out, insight.placeholders);
      out << '\t' << a.redacted.text << '\n';
    }
  }
  out.flush();
  if (in.bad() || !out) return 1;
  return 0;
}

void add_text_commands(CLI::App& app, int& exit_code) {
  CLI::App* text = app.add_subcommand("text", "Free-text comments: redaction, language, themes, tone");
  text->require_subcommand(1);
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* analyze = text->add_subcommand(
      "analyze",
      "Read one comment per line (UTF-8) on standard input; write one result per line: the "
      "redacted text ([hetu], [puhelin], [email], [iban], [osoite], [nimi]; names need the "
      "Finnish Voikko dictionary, voikko-fi), the language (fi, sv, en, other), the themes of "
      "the model's taxonomy, the sentiment (positive, neutral, negative, mixed), whether the "
      "comment suggests a change, and the placeholders found. A line that is not valid UTF-8 "
      "or longer than 100000 bytes gives {\"line\": n, \"error\": ...} and processing continues.");
  analyze->add_flag("--json", args->json, "One JSON object per line (default: tab-separated)");
  analyze->add_option("--model", args->model,
                      std::string("Model file or folder for the themes and free_text settings (default: ") +
                          kDefaultModel + ")");
  analyze->add_flag("--keep-staff-names", args->keep_staff_names,
                    "Keep names right after a staff title (hoitaja, läkaren, nurse…) whatever the model says");
  analyze->callback([args, &exit_code] {
    try {
      exit_code = run_analyze(*args);
    } catch (const std::exception& e) {
      std::cerr << "kaiku text analyze: " << e.what() << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace kaiku::apps
