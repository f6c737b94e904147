#include "apps/text_tools.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <ostream>
#include <vector>

#include "modelfile/diagnostic.hpp"
#include "modelfile/loader.hpp"

namespace kaiku::apps {

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return content.str();
}

std::optional<TextTools> open_text_tools(const std::string& model_path, bool model_optional,
                                         std::string_view command, std::ostream& err,
                                         text::AnalyzerOptions analyzer_options) {
  TextTools tools;
  std::vector<domain::Theme> themes;
  if (model_optional && !std::filesystem::exists(model_path)) {
    err << command << ": no model at " << model_path << "; themes are not matched (pass --model PATH)\n";
  } else {
    auto loaded = modelfile::load_model(model_path);
    if (!loaded) {
      err << command << ": the model at " << model_path << " has " << loaded.error().size() << " problem(s):\n";
      for (const auto& d : loaded.error()) err << "  " << modelfile::format(d) << "\n";
      return std::nullopt;
    }
    themes = std::move(loaded->themes);
    tools.settings = std::move(loaded->free_text);
  }
  // Names, lemmas, negation and mood need Finnish morphology.
  std::string voikko_error;
  tools.voikko = text::Voikko::open(&voikko_error);
  if (!tools.voikko)
    err << command << ": " << voikko_error
        << "; Finnish names are not redacted and Finnish words are matched on stems\n";
  auto analyzer = text::Analyzer::create(themes, tools.voikko.get(), analyzer_options);
  if (!analyzer) {
    err << command << ": " << analyzer.error().message << "\n";
    return std::nullopt;
  }
  tools.analyzer = std::move(*analyzer);
  return tools;
}

}  // namespace kaiku::apps
