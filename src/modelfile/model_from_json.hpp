// The inverse of model_to_json: rebuilds a model from its canonical JSON, as stored
// with each model version. Used to serve or administer a data directory without
// the YAML files at hand.
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "domain/model.hpp"

namespace kaiku::modelfile {

// Parses canonical model JSON (see model_json.hpp). The result is indexed and keeps
// the stored `version`. Errors: invalid_input naming the JSON path that is wrong.
Result<domain::Model> model_from_json(std::string_view json);

}  // namespace kaiku::modelfile
