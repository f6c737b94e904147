// Loads and validates a county's measurement model from YAML (one file or a folder).
// The format is described in docs/model-format.md. Every problem is reported, not
// only the first; a model is returned only when there are none.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/model.hpp"
#include "modelfile/diagnostic.hpp"

namespace kaiku::modelfile {

using LoadResult = Result<domain::Model, std::vector<Diagnostic>>;

// One model source: a file name (used in diagnostics) and its YAML text.
struct SourceFile {
  std::string name;
  std::string text;
};

// Parses and validates one YAML document; `file_name` only labels diagnostics.
// On success the model is indexed (Model::index) and `version` holds its content hash.
LoadResult load_model_from_string(std::string_view yaml, std::string file_name);

// Parses several files as one model: each file may hold any of the top-level
// sections; list sections (units, journeys, ...) are concatenated in the given
// order; a scalar section (county, languages, reporting_threshold) defined twice,
// or an id defined in two files, is an error.
LoadResult load_model_sources(const std::vector<SourceFile>& files);

// Reads `path`: a single .yaml/.yml file, or a folder whose *.yaml and *.yml files
// (recursively, sorted by relative path) form one model. Unreadable files and an
// empty folder are diagnostics too. Pure apart from reading the files.
LoadResult load_model(const std::filesystem::path& path);

// Like load_model, for an explicit list of files and/or folders, merged in order
// (e.g. a template together with a small base model).
LoadResult load_model_paths(const std::vector<std::filesystem::path>& paths);

// Limits of a model uploaded as file contents (the API's model check and publish).
struct UploadLimits {
  std::size_t max_files = 200;                        // files given, YAML or not
  std::size_t max_file_bytes = std::size_t{1} << 20;  // one file's text (1 MiB)
  std::size_t max_total_bytes = std::size_t{4} << 20;  // all texts together (4 MiB)
};

// Loads a model from uploaded file contents, file name -> YAML text, as load_model
// loads a folder: only names ending in .yaml or .yml are read (others, such as a
// README.md, are skipped), in name order, and diagnostics name each file as given
// ("touchpoints.yaml:12:5: ..."). A name is a relative path of at most 255 bytes
// ("org.yaml", "hoito/polut.yml") without "." or ".." parts, empty parts,
// backslashes or control characters. A bad name, no YAML file at all or a limit
// exceeded is a diagnostic at line 1, column 1 and nothing is parsed. Pure.
LoadResult load_model_upload(const std::map<std::string, std::string>& files, const UploadLimits& limits = {});

// The model version: FNV-1a 64 over model_to_json(model) with `version` left
// empty, printed as 16 lower-case hex digits. Equal models give equal versions.
std::string model_content_hash(const domain::Model& model);

}  // namespace kaiku::modelfile
