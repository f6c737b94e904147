// /app: the built staff web app (Vite output: index.html and hashed files under
// assets/) served from a directory. GET/HEAD only. /app redirects to /app/;
// files under /app/assets/ are cached for a year (their names change with their
// content), everything else is revalidated (no-cache); a path without a file
// extension that names no file is the app's own route (index.html, the SPA
// fallback); anything else missing is 404. Paths are checked before the disk is
// touched: no "..", "." or hidden segments, no encoded slashes or NUL, and a file
// whose real path (symbolic links resolved) leaves the directory is 404. Without
// the directory every request answers a 503 page saying how to build the app
// (without naming the directory: that goes to the log, once).
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/mount.hpp"

namespace kaiku::http {

// The Content-Type for a file name by its extension (html, js, mjs, css, svg, png,
// jpg, ico, webp, json, map, woff2, woff, txt, webmanifest); application/octet-stream
// otherwise. Pure.
std::string_view app_content_type(std::string_view filename);

// The relative file path named by `raw` (the request path below "/app/", still
// percent-encoded): segments decoded and joined with '/'; "" for the app's root.
// nullopt when it is unsafe or malformed: a "." / ".." / hidden (".x") segment, an
// encoded '/' or '\\', a NUL or control byte, a bad %XX. Pure.
std::optional<std::string> app_relative_path(std::string_view raw);

class AppFiles final : public Mount {
 public:
  // `dir`: the built app (normally app/dist). It may not exist yet (503 until it does).
  explicit AppFiles(std::filesystem::path dir);

  std::string_view prefix() const override { return "/app"; }
  bool wants_caller() const override { return false; }
  Response handle(const Request& req, const Result<domain::Principal>& caller) const override;

 private:
  // The 503 page (which does not name the directory); logs the directory once.
  Response unavailable() const;

  std::filesystem::path dir_;
  mutable std::atomic<bool> logged_missing_{false};
};

}  // namespace kaiku::http
