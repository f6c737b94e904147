// What the `kaiku text` commands open before analysing: the model's theme taxonomy
// and free-text settings, Finnish morphology (Voikko) and the analyzer.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/free_text.hpp"
#include "text/analyzer.hpp"
#include "text/voikko.hpp"

namespace kaiku::apps {

struct TextTools {
  domain::FreeTextSettings settings;        // the model's, or the defaults without a model
  std::unique_ptr<text::Voikko> voikko;     // null when voikko-fi is missing (warned)
  std::unique_ptr<text::Analyzer> analyzer;
};

// The whole content of the file at `path`; nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

// Loads the model at `model_path` (when it is absent and `model_optional`, warns and
// goes on without themes), opens Voikko (warns when missing) and creates the analyzer.
// Every message goes to `err` prefixed with "<command>: "; nullopt when the model has
// problems or the analyzer cannot be created.
std::optional<TextTools> open_text_tools(const std::string& model_path, bool model_optional,
                                         std::string_view command, std::ostream& err,
                                         text::AnalyzerOptions analyzer_options = {});

}  // namespace kaiku::apps
