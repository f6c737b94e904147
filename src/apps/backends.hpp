// Opening the backends the binary runs on: the SQLite store in a data directory and
// the measurement model (from YAML, or the version last stored in the directory).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "storage/store.hpp"

namespace kaiku::security {
class Sealer;
}
namespace kaiku::text {
class Voikko;
class Analyzer;
}
namespace kaiku::service {
class CommentProcessor;
}

namespace kaiku::apps {

struct Backends {
  std::unique_ptr<Clock> clock;
  std::unique_ptr<storage::Store> store;
  domain::Model model;
};

// Opens the store in `data_dir` and loads the model: from `model_path` when given
// (validated; its version is remembered in the store and, unless it already is the
// published one, published as "loaded from a file": a model given on the command
// line always wins), else the store's published model (load_served_model). Errors
// say which file or directory is at fault; model problems are listed as
// file:line:column: message. `clock` (default: the system clock) becomes the
// backends' clock.
Result<Backends> open_backends(const std::filesystem::path& data_dir, const std::string& model_path,
                               std::unique_ptr<Clock> clock = nullptr);

// The model to serve from `store`: the version published last (a database from
// before publications: the version remembered last), rebuilt from its stored
// canonical JSON. not_found when the store holds no model.
Result<domain::Model> load_served_model(storage::Store& store);

// What free text needs: the server key's sealer, Finnish morphology (may be
// missing), the analyser of the model's themes and the comment processor.
struct CommentTools {
  CommentTools();
  CommentTools(CommentTools&&) noexcept;
  ~CommentTools();
  std::unique_ptr<security::Sealer> sealer;
  std::unique_ptr<text::Voikko> voikko;      // null when voikko-fi is not installed
  std::string voikko_error;                  // why it is null
  std::unique_ptr<text::Analyzer> analyzer;
  std::unique_ptr<service::CommentProcessor> processor;
};

// Loads the server key from `key_file` ("" = DATA/kaiku.key, created when absent;
// a given file must exist), opens Voikko (missing: names found only after titles,
// voikko_error says why) and builds the analyser of `model.themes`. Errors name
// the option or the theme at fault. `clock` must outlive the tools.
Result<CommentTools> open_comment_tools(const std::filesystem::path& data_dir, const std::string& key_file,
                                        const domain::Model& model, Clock& clock);

// Opens only the store (for commands that do not need the model). The clock lives
// as long as the process.
Result<std::unique_ptr<storage::Store>> open_store_only(const std::filesystem::path& data_dir);

}  // namespace kaiku::apps
