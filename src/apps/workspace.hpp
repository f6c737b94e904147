// The staff workspace inside `kaiku serve`: its command-line options and the parts
// (HTTP mounts, background workers) built from the opened backends. Each part of the
// workspace adds its options in add_workspace_options and its construction in
// start_workspace (workspace.cpp); serve.cpp only calls these two.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "domain/model.hpp"
#include "http/mount.hpp"
#include "storage/store.hpp"

namespace kaiku::analytics {
class Engine;
}  // namespace kaiku::analytics
namespace kaiku::security {
class Sealer;
}  // namespace kaiku::security
namespace kaiku::service {
class OutreachService;
}  // namespace kaiku::service

namespace kaiku::apps {

// Options of the workspace (set by add_workspace_options).
struct WorkspaceArgs {
  std::string app_dir;        // --app-dir: the built staff app (default: app/dist beside the binary's sources)
  bool secure_cookies = false;  // --secure-cookies
  std::string smtp_url;       // --smtp-url smtp://host:port
  std::string smtp_from;      // --smtp-from
  std::string smtp_user;      // --smtp-user ("" = no authentication)
  std::string smtp_password_env = "KAIKU_SMTP_PASSWORD";  // --smtp-password-env
};

// Adds the workspace's options to the `serve` subcommand.
void add_workspace_options(CLI::App& serve, WorkspaceArgs& args);

// What the workspace needs from serve. All must outlive the Workspace.
struct WorkspaceDeps {
  const domain::Model& model;
  storage::Store& store;
  Clock& clock;
  Random& random;
  analytics::Engine* engine = nullptr;           // the reporting engine
  const security::Sealer* sealer = nullptr;      // the server key
  service::OutreachService* outreach = nullptr;  // SMS (null when not configured)
  std::string listen_base;                       // http://HOST:PORT once known ("" before)
  // Called after a new model version was published (the models API): serve holds
  // new requests at once, and once the running ones are answered rebuilds the
  // workspace (and everything else) on the published model. Empty: no switching.
  std::function<void()> request_model_reload;
  // The public address of the server (--base-url; links in alert e-mails), "" when
  // not given.
  std::string base_url;
  // The Router's rate-limit settings (RouterConfig), for the sign-in limit.
  std::vector<std::string> trusted_proxies;
  bool rate_limit_enabled = true;
};

// The running workspace: owns its mounts and background workers; stops them when
// destroyed.
class Workspace {
 public:
  virtual ~Workspace() = default;
  // The routes to mount on the Router (valid for the Workspace's life).
  virtual std::vector<const http::Mount*> mounts() const = 0;
};

// Builds the workspace. An error names the part and the reason.
Result<std::unique_ptr<Workspace>> start_workspace(const WorkspaceArgs& args, const WorkspaceDeps& deps);

}  // namespace kaiku::apps
