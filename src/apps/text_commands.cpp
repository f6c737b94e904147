#include "apps/text_commands.hpp"

#include <boost/json.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "text/language.hpp"
#include "text/redact.hpp"
#include "text/voikko.hpp"

namespace kaiku::apps {

int analyze_lines(std::istream& in, std::ostream& out, bool json) {
  // Names need Finnish morphology; without voikko-fi only titled names are found.
  std::string voikko_error;
  std::unique_ptr<text::Voikko> voikko = text::Voikko::open(&voikko_error);
  if (!voikko) std::cerr << "kaiku text analyze: " << voikko_error << "; Finnish names are not redacted\n";
  text::RedactOptions options;
  options.voikko = voikko.get();
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    text::Redacted r = text::redact(line, options);
    if (!r.valid_utf8) {
      if (json) {
        boost::json::object o;
        o["line"] = number;
        o["error"] = r.error;
        out << boost::json::serialize(o) << '\n';
      } else {
        out << "error\tline " << number << ": " << r.error << '\n';
      }
      continue;
    }
    // Language from the redacted text: placeholders are neutral, digits carry no cue.
    text::Language lang = text::identify_language(r.text);
    if (json) {
      boost::json::object o;
      o["redacted"] = r.text;
      o["language"] = std::string(text::language_code(lang));
      boost::json::array kinds;
      for (const text::Finding& f : r.findings) kinds.emplace_back(std::string(text::placeholder_name(f.kind)));
      o["placeholders"] = std::move(kinds);
      o["themes"] = nullptr;
      o["sentiment"] = nullptr;
      o["suggestion"] = nullptr;
      out << boost::json::serialize(o) << '\n';
    } else {
      out << text::language_code(lang) << '\t';
      for (std::size_t k = 0; k < r.findings.size(); ++k)
        out << (k ? "," : "") << text::placeholder_name(r.findings[k].kind);
      out << '\t' << r.text << '\n';
    }
  }
  out.flush();
  if (in.bad() || !out) return 1;
  return 0;
}

void add_text_commands(CLI::App& app, int& exit_code) {
  CLI::App* text = app.add_subcommand("text", "Free-text comments: redaction and language");
  text->require_subcommand(1);
  auto json = std::make_shared<bool>(false);
  CLI::App* analyze = text->add_subcommand(
      "analyze",
      "Read one comment per line (UTF-8) on standard input; write one result per line: the "
      "redacted text ([hetu], [puhelin], [email], [iban], [osoite], [nimi]; names "
      "need the Finnish Voikko dictionary, voikko-fi), the language (fi, sv, en, other) and the placeholders found. themes, sentiment "
      "and suggestion are null: not implemented yet. A line that is not valid UTF-8 gives "
      "{\"line\": n, \"error\": ...} and processing continues.");
  analyze->add_flag("--json", *json, "One JSON object per line (default: tab-separated)");
  analyze->callback([json, &exit_code] {
    try {
      exit_code = analyze_lines(std::cin, std::cout, *json);
    } catch (const std::exception& e) {
      std::cerr << "kaiku text analyze: " << e.what() << "\n";
      exit_code = 1;
    }
  });
}

}  // namespace kaiku::apps
