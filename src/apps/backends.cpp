#include "apps/backends.hpp"

#include <sstream>

#include "modelfile/loader.hpp"
#include "security/sealer.hpp"
#include "service/comment_processor.hpp"
#include "text/analyzer.hpp"
#include "text/voikko.hpp"
#include "modelfile/model_from_json.hpp"
#include "modelfile/model_json.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::apps {

Result<Backends> open_backends(const std::filesystem::path& data_dir, const std::string& model_path,
                               std::unique_ptr<Clock> clock) {
  Backends b;
  b.clock = clock ? std::move(clock) : std::make_unique<SystemClock>();
  auto store = storage::open_sqlite_store(data_dir, *b.clock);
  if (!store) return fail(store.error());
  b.store = std::move(*store);
  if (!model_path.empty()) {
    auto loaded = modelfile::load_model(model_path);
    if (!loaded) {
      std::ostringstream msg;
      msg << "the model at " << model_path << " has " << loaded.error().size() << " problem(s):";
      for (const auto& d : loaded.error()) msg << "\n  " << modelfile::format(d);
      return fail(Error::invalid(msg.str()));
    }
    b.model = std::move(*loaded);
    auto& versions = b.store->model_versions();
    auto remembered = versions.remember(b.model.version, modelfile::model_to_json(b.model), b.clock->now());
    if (!remembered) return fail(remembered.error());
    auto published = versions.published();
    if (!published && published.error().kind != ErrorKind::not_found) return fail(published.error());
    if (!published || *published != b.model.version) {
      // The file wins: it becomes the published model, by no user ("from a file").
      if (auto s = versions.publish(b.model.version, 0, "", b.clock->now()); !s) return fail(s.error());
    }
    return b;
  }
  auto model = load_served_model(*b.store);
  if (!model) {
    if (model.error().kind == ErrorKind::not_found) {
      return fail(Error::not_found("no model given and none stored in " + data_dir.string() +
                                   "; pass --model PATH (e.g. --model models/demo)"));
    }
    return fail(model.error());
  }
  b.model = std::move(*model);
  return b;
}

Result<domain::Model> load_served_model(storage::Store& store) {
  auto& versions = store.model_versions();
  auto version = versions.published();
  if (!version && version.error().kind == ErrorKind::not_found) version = versions.latest();
  if (!version) return fail(version.error());
  auto json = versions.load(*version);
  if (!json) return fail(json.error());
  auto model = modelfile::model_from_json(*json);
  if (!model) {
    return fail(Error{model.error().kind, "the stored model " + *version + " cannot be read: " + model.error().message});
  }
  return model;
}

CommentTools::CommentTools() = default;
CommentTools::CommentTools(CommentTools&&) noexcept = default;
CommentTools::~CommentTools() = default;

Result<CommentTools> open_comment_tools(const std::filesystem::path& data_dir, const std::string& key_file,
                                        const domain::Model& model, Clock& clock) {
  CommentTools t;
  const std::string path = key_file.empty() ? (data_dir / "kaiku.key").string() : key_file;
  auto key = security::load_or_create_key(path, key_file.empty());
  if (!key) return fail(Error{key.error().kind, "--key-file: " + key.error().message});
  t.sealer = std::make_unique<security::Sealer>(*key);
  t.voikko = text::Voikko::open(&t.voikko_error);
  auto analyzer = text::Analyzer::create(model.themes, t.voikko.get());
  if (!analyzer) {
    return fail(Error{analyzer.error().kind, "the free-text analyser of model " + model.version +
                                                 " could not be built: " + analyzer.error().message});
  }
  t.analyzer = std::move(*analyzer);
  t.processor = std::make_unique<service::CommentProcessor>(*t.analyzer, *t.sealer, clock);
  return t;
}

Result<std::unique_ptr<storage::Store>> open_store_only(const std::filesystem::path& data_dir) {
  static SystemClock clock;  // the process's clock; outlives every store opened here
  return storage::open_sqlite_store(data_dir, clock);
}

}  // namespace kaiku::apps
