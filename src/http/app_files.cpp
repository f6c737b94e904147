#include "http/app_files.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "http/form.hpp"
#include "http/problem.hpp"

namespace kaiku::http {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64u * 1024 * 1024;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view extension_of(std::string_view name) {
  const auto slash = name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return base.substr(dot + 1);
}

Response not_found() {
  Response res;
  res.status = 404;
  res.set_header("Content-Type", "text/plain; charset=utf-8");
  res.body = "Not found\n";
  return res;
}

// The 503 page. It does not name the directory (an absolute server path on a page
// anyone can fetch); the log does (AppFiles::unavailable).
Response not_built() {
  Response res = html_response(
      503,
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kaiku: the staff app is not "
      "built"
      "</title></head><body><main><h1>The staff app is not built</h1><p>The directory Kaiku serves the staff "
      "web app from (see the server's log) does not exist. Build it with <code>make app</code> (or "
      "<code>cd app &amp;&amp; npm ci &amp;&amp; npm run build</code>; <code>make run</code> does it too), "
      "or start the server with <code>--app-dir</code> naming the built app.</p></main></body></html>\n");
  res.set_header("Retry-After", "60");
  return res;
}

// The file's bytes, or nullopt when it cannot be read.
std::optional<std::string> read_file(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body(static_cast<std::size_t>(size), '\0');
  in.read(body.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) return std::nullopt;
  return body;
}

// True when `p` (which exists) lies inside `root` once symbolic links are resolved.
bool inside(const fs::path& root, const fs::path& p) {
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return false;
  const fs::path real = fs::canonical(p, ec);
  if (ec) return false;
  const std::string r = real_root.string();
  const std::string f = real.string();
  return f.size() > r.size() && f.compare(0, r.size(), r) == 0 && f[r.size()] == '/';
}

}  // namespace

Response AppFiles::unavailable() const {
  if (!logged_missing_.exchange(true)) {
    spdlog::warn("/app: the staff app is not built: {} has no index.html (make app, or --app-dir)",
                 (dir_ / "index.html").string());
  }
  return not_built();
}

std::string_view app_content_type(std::string_view filename) {
  std::string ext(extension_of(filename));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> app_relative_path(std::string_view raw) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t end = raw.find('/', pos);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view seg_raw = raw.substr(pos, end - pos);
    pos = end + 1;
    if (seg_raw.empty()) {
      if (end == raw.size()) break;
      continue;  // "//" : an empty segment is skipped
    }
    std::string seg;
    for (std::size_t i = 0; i < seg_raw.size(); ++i) {
      char c = seg_raw[i];
      if (c == '%') {
        if (i + 2 >= seg_raw.size()) return std::nullopt;
        const int hi = hex_value(seg_raw[i + 1]);
        const int lo = hex_value(seg_raw[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        c = static_cast<char>(hi * 16 + lo);
        i += 2;
      }
      if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
      seg += c;
    }
    if (seg.front() == '.') return std::nullopt;  // ".", "..", hidden files
    if (!out.empty()) out += '/';
    out += seg;
    if (end == raw.size()) break;
  }
  return out;
}

AppFiles::AppFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

Response AppFiles::handle(const Request& req, const Result<domain::Principal>&) const {
  if (req.method != "GET" && req.method != "HEAD") {
    Response res = problem(405, "method_not_allowed",
                           "method " + req.method + " is not allowed here; allowed: GET, HEAD",
                           split_target(req.target).first);
    res.set_header("Allow", "GET, HEAD");
    return res;
  }
  const auto [path, query] = split_target(req.target);
  if (path == "/app") {
    Response res;
    res.status = 301;
    res.set_header("Location", query.empty() ? std::string("/app/") : "/app/?" + std::string(query));
    res.set_header("Content-Type", "text/plain; charset=utf-8");
    res.body = "Moved Permanently\n";
    return res;
  }
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return unavailable();
  const auto rel = app_relative_path(path.substr(5));  // after "/app/"
  if (!rel) return not_found();
  const fs::path index = dir_ / "index.html";
  fs::path file = rel->empty() ? index : dir_ / *rel;
  bool is_index = rel->empty();
  if (!is_index && !fs::is_regular_file(file, ec)) {
    if (!extension_of(*rel).empty()) return not_found();
    file = index;  // one of the app's own routes
    is_index = true;
  }
  if (!fs::is_regular_file(file, ec)) return is_index ? unavailable() : not_found();
  if (!inside(dir_, file)) return not_found();
  auto body = read_file(file);
  if (!body) return not_found();
  Response res;
  res.set_header("Content-Type", std::string(app_content_type(file.filename().string())));
  res.set_header("Cache-Control", !is_index && rel->rfind("assets/", 0) == 0
                                      ? "public, max-age=31536000, immutable"
                                      : "no-cache");
  res.body = std::move(*body);
  return res;
}

}  // namespace kaiku::http
