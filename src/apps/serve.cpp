#include "apps/serve.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/backends.hpp"
#include "apps/engine_keeper.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "security/sodium_random.hpp"

namespace kaiku::apps {
namespace {

struct ServeArgs {
  std::string data = "./data";
  std::string listen = "127.0.0.1:8080";
  std::string model;
  std::string base_url;
  std::vector<std::string> trusted_proxies;
  int io_threads = 2;
  int worker_threads = 64;
  bool no_rate_limit = false;
  bool quiet = false;
};

// Splits "HOST:PORT" ("[::1]:8080" for IPv6). False when malformed.
bool split_listen(const std::string& listen, std::string& host, unsigned short& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size()) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  unsigned long p = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + static_cast<unsigned long>(c - '0');
    if (p > 65535) return false;
  }
  port = static_cast<unsigned short>(p);
  return true;
}

int serve(const ServeArgs& args) {
  http::ServerOptions options;
  if (!split_listen(args.listen, options.host, options.port)) {
    std::cerr << "kaiku serve: --listen must be HOST:PORT, got '" << args.listen << "'\n";
    return 1;
  }
  options.io_threads = args.io_threads;
  options.worker_threads = args.worker_threads;
  options.access_log = !args.quiet;
  auto backends = open_backends(args.data, args.model);
  if (!backends) {
    std::cerr << "kaiku serve: " << backends.error().message << "\n";
    return 1;
  }
  security::SodiumRandom random;
  http::RouterConfig config;
  config.base_url = args.base_url;
  config.trusted_proxies = args.trusted_proxies;
  config.body_limit = options.body_limit;
  config.rate_limit_enabled = !args.no_rate_limit;
  // The kiosk resets itself for the next customer with an HTTP Refresh header
  // (see docs/decisions.md).
  config.kiosk_refresh_in_markup = false;
  spdlog::info("model {} ({} units, {} touchpoints, {} surveys), data in {}", backends->model.version,
               backends->model.units.size(), backends->model.touchpoints.size(), backends->model.surveys.size(),
               args.data);
  // The reporting engine: snapshot + catch-up before the first request.
  EngineKeeperOptions keep;
  keep.data_dir = args.data;  // the snapshot: DATA/analytics-<instance id>.snapshot
  EngineKeeper keeper(std::make_shared<const domain::Model>(backends->model), *backends->store, keep);
  if (auto started = keeper.start(); !started) {
    std::cerr << "kaiku serve: " << started.error().message << "\n";
    return 1;
  }
  http::Router router(
      http::Services{backends->model, *backends->store, *backends->clock, random, &keeper.engine()}, config);
  const int code = http::run_server(options, router);
  keeper.stop();  // saves the snapshot
  return code;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the Kaiku web server");
  cmd->add_option("--data", args->data, "Data directory (SQLite database kaiku.db)")->capture_default_str();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--model", args->model, "Model file or folder (default: the model last served from --data)");
  cmd->add_option("--base-url", args->base_url, "Public base URL for QR codes and posters, e.g. https://palaute.example.fi");
  cmd->add_option("--io-threads", args->io_threads, "Socket I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  cmd->add_option("--worker-threads", args->worker_threads, "Request worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", args->trusted_proxies,
                  "IP address of a reverse proxy whose X-Forwarded-For is believed (repeatable)");
  cmd->add_flag("--no-rate-limit", args->no_rate_limit, "Disable per-client rate limits (load tests only)");
  cmd->add_flag("--quiet", args->quiet, "No access log");
  cmd->callback([args, &exit_code] { exit_code = serve(*args); });
}

}  // namespace kaiku::apps
