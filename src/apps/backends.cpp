#include "apps/backends.hpp"

#include <sstream>

#include "modelfile/loader.hpp"
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
    auto remembered = b.store->model_versions().remember(b.model.version, modelfile::model_to_json(b.model),
                                                          b.clock->now());
    if (!remembered) return fail(remembered.error());
    return b;
  }
  auto latest = b.store->model_versions().latest();
  if (!latest) {
    return fail(Error::not_found("no model given and none stored in " + data_dir.string() +
                                 "; pass --model PATH (e.g. --model models/demo)"));
  }
  auto json = b.store->model_versions().load(*latest);
  if (!json) return fail(json.error());
  auto model = modelfile::model_from_json(*json);
  if (!model) return fail(model.error());
  b.model = std::move(*model);
  return b;
}

Result<std::unique_ptr<storage::Store>> open_store_only(const std::filesystem::path& data_dir) {
  static SystemClock clock;  // the process's clock; outlives every store opened here
  return storage::open_sqlite_store(data_dir, clock);
}

}  // namespace kaiku::apps
