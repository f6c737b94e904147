#include "modelfile/loader.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <system_error>

#include "modelfile/builder.hpp"
#include "modelfile/model_json.hpp"

namespace kaiku::modelfile {

namespace fs = std::filesystem;

std::string model_content_hash(const domain::Model& model) {
  domain::Model copy = model;
  copy.version.clear();
  const std::string json = model_to_json(copy);
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : json) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
  return out;
}

LoadResult load_model_sources(const std::vector<SourceFile>& files) {
  detail::Sink sink;
  domain::Model model;
  try {  // yaml-cpp reports by exceptions; none should escape this pure function
    detail::Builder builder(sink);
    for (const SourceFile& f : files) builder.add(f);
    model = builder.finish();
  } catch (const std::exception& e) {
    sink.error({files.empty() ? std::string("model") : files.front().name, 1, 1},
               std::string("internal error while reading the model: ") + e.what());
  }
  if (!sink.empty()) {
    std::vector<Diagnostic> diags = std::move(sink.diagnostics());
    std::stable_sort(diags.begin(), diags.end());
    return unexpected(std::move(diags));
  }
  model.version = model_content_hash(model);
  model.index();
  return model;
}

LoadResult load_model_from_string(std::string_view yaml, std::string file_name) {
  return load_model_sources({SourceFile{std::move(file_name), std::string(yaml)}});
}

namespace {

bool is_yaml(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

// Appends the files under `path` (a file, or a folder searched recursively).
void gather(const fs::path& path, std::vector<SourceFile>& out, std::vector<Diagnostic>& diags) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && is_yaml(it->path())) found.push_back(it->path());
    }
    if (ec) {
      diags.push_back({path.string(), 1, 1, "cannot list folder: " + ec.message()});
      return;
    }
    std::sort(found.begin(), found.end(), [&](const fs::path& a, const fs::path& b) {
      return a.lexically_relative(path).generic_string() < b.lexically_relative(path).generic_string();
    });
    if (found.empty()) {
      diags.push_back({path.string(), 1, 1, "no .yaml or .yml files in this folder"});
    }
    files = std::move(found);
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    diags.push_back({path.string(), 1, 1, "no such file or folder"});
    return;
  }
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      diags.push_back({f.string(), 1, 1, "cannot read file"});
      continue;
    }
    out.push_back({f.string(), text.str()});
  }
}

}  // namespace

namespace {

// Why `name` is not an acceptable uploaded file name ("" when it is).
std::string bad_upload_name(const std::string& name) {
  if (name.empty()) return "a file name must not be empty";
  if (name.size() > 255) return "the file name is longer than 255 bytes";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "the file name contains a control character";
    if (c == '\\') return "the file name contains a backslash; separate folders with /";
  }
  if (name.front() == '/') return "the file name must be relative, not start with /";
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = name.find('/', start);
    const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty()) return "the file name has an empty folder part (//, or / at the end)";
    if (part == "." || part == "..") return "the file name must not contain . or .. parts";
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return "";
}

bool has_yaml_extension(const std::string& name) {
  auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  };
  return ends(".yaml") || ends(".yml");
}

}  // namespace

LoadResult load_model_upload(const std::map<std::string, std::string>& files, const UploadLimits& limits) {
  std::vector<Diagnostic> diags;
  if (files.size() > limits.max_files) {
    diags.push_back({"model", 1, 1,
                     "too many files: " + std::to_string(files.size()) + " (at most " +
                         std::to_string(limits.max_files) + ")"});
    return unexpected(std::move(diags));
  }
  std::vector<SourceFile> sources;
  std::size_t total = 0;
  for (const auto& [name, text] : files) {  // std::map: name order, as a folder is read
    if (std::string why = bad_upload_name(name); !why.empty()) {
      diags.push_back({name.empty() ? std::string("model") : name, 1, 1, why});
      continue;
    }
    total += text.size();
    if (text.size() > limits.max_file_bytes) {
      diags.push_back({name, 1, 1,
                       "the file is too large: " + std::to_string(text.size()) + " bytes (at most " +
                           std::to_string(limits.max_file_bytes) + ")"});
      continue;
    }
    if (has_yaml_extension(name)) sources.push_back({name, text});
  }
  if (total > limits.max_total_bytes) {
    diags.push_back({"model", 1, 1,
                     "the files are too large together: " + std::to_string(total) + " bytes (at most " +
                         std::to_string(limits.max_total_bytes) + ")"});
  }
  if (diags.empty() && sources.empty()) {
    diags.push_back({"model", 1, 1, "no .yaml or .yml files were given"});
  }
  if (!diags.empty()) {
    std::stable_sort(diags.begin(), diags.end());
    return unexpected(std::move(diags));
  }
  return load_model_sources(sources);
}

LoadResult load_model_paths(const std::vector<fs::path>& paths) {
  std::vector<SourceFile> sources;
  std::vector<Diagnostic> diags;
  for (const fs::path& p : paths) gather(p, sources, diags);
  if (!diags.empty()) return unexpected(std::move(diags));
  return load_model_sources(sources);
}

LoadResult load_model(const fs::path& path) {
  return load_model_paths({path});
}

}  // namespace kaiku::modelfile
