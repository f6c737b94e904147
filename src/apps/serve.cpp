#include "apps/serve.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/backends.hpp"
#include "apps/engine_keeper.hpp"
#include "apps/outreach_runtime.hpp"
#include "apps/steered_clock.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "service/comment_processor.hpp"
#include "service/report_service.hpp"
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
  bool allow_no_voikko = false;
  // SMS outreach
  std::string mllp;
  std::string key_file;
  std::string kannel_url;
  std::string kannel_user = "kaiku";
  std::string kannel_password_env = "KAIKU_KANNEL_PASSWORD";
  std::string sms_callback_base;
  std::string sms_callback_key;
  double sms_rate = 20.0;
  std::string clock_offset_file;  // tests only
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

// Why serve refuses to start without Voikko; `why` is Voikko's own error.
std::string no_voikko_message(const std::string& why) {
  return "Finnish morphology (voikko-fi) is missing: names in comments would not be redacted; install voikko-fi "
         "or pass --allow-no-voikko (" + why + ")";
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
  std::unique_ptr<Clock> clock;
  if (!args.clock_offset_file.empty()) {
    clock = std::make_unique<SteeredClock>(args.clock_offset_file);
    spdlog::warn("clock: steered by {} (tests only)", args.clock_offset_file);
  }
  auto backends = open_backends(args.data, args.model, std::move(clock));
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
  // Free text: the server key (shared with SMS outreach), Voikko and the analyser
  // of the model's themes. Responses stored without analysis (before schema 5,
  // or by an older binary) are redacted now, before the engine reads them.
  auto comments = open_comment_tools(args.data, args.key_file, backends->model, *backends->clock);
  if (!comments) {
    std::cerr << "kaiku serve: " << comments.error().message << "\n";
    return 1;
  }
  if (!comments->voikko) {
    if (!args.allow_no_voikko) {
      std::cerr << "kaiku serve: " << no_voikko_message(comments->voikko_error) << "\n";
      return 1;
    }
    spdlog::warn("text: Voikko is not available ({}); --allow-no-voikko: Finnish names are redacted only "
                 "after titles and Finnish themes match on stems",
                 comments->voikko_error);
  }
  auto backfilled = service::backfill_comments(backends->model, *backends->store, *comments->processor);
  if (!backfilled) {
    std::cerr << "kaiku serve: " << backfilled.error().message << "\n";
    return 1;
  }
  if (!backfilled->flush_error.empty()) {
    spdlog::warn("text: the replaced texts of earlier responses may remain in the database's files until "
                 "its next checkpoint: {}",
                 backfilled->flush_error);
  }
  spdlog::info("text: {} earlier responses analysed and redacted; {} themes", backfilled->updated,
               backends->model.themes.size());
  // The reporting engine: snapshot + catch-up before the first request.
  EngineKeeperOptions keep;
  keep.data_dir = args.data;  // the snapshot: DATA/analytics-<instance id>.snapshot
  EngineKeeper keeper(std::make_shared<const domain::Model>(backends->model), *backends->store, keep);
  if (auto started = keeper.start(); !started) {
    std::cerr << "kaiku serve: " << started.error().message << "\n";
    return 1;
  }
  // SMS outreach: key, service, MLLP listener, Kannel dispatcher, /fhir and /sms.
  OutreachRuntimeOptions ro;
  ro.data_dir = args.data;
  ro.key_file = args.key_file;
  ro.mllp = args.mllp;
  ro.kannel_url = args.kannel_url;
  ro.kannel_user = args.kannel_user;
  if (const char* pw = std::getenv(args.kannel_password_env.c_str())) ro.kannel_password = pw;
  ro.callback_base = args.sms_callback_base;
  ro.callback_key = args.sms_callback_key;
  ro.service.base_url = args.base_url;
  if (args.base_url.empty() && backends->model.outreach.enabled) {
    // Links in SMS must carry the public address: a listen address would send
    // patients to http://127.0.0.1:8080/i/...
    const domain::Touchpoint* link = nullptr;
    for (const auto& tp : backends->model.touchpoints) {
      if (tp.has_channel(domain::Channel::sms) && tp.sms.mode == domain::TouchpointSms::Mode::link) link = &tp;
    }
    if (link != nullptr && !args.kannel_url.empty()) {
      std::cerr << "kaiku serve: --base-url is required when sending SMS: touchpoint '" << link->id
                << "' sends links (sms: mode link), and they must carry the public address, e.g. "
                   "--base-url https://palaute.example.fi\n";
      return 1;
    }
    if (link != nullptr && options.port != 0) {
      // Not sending: a local demo. Links carry the listen address.
      ro.service.base_url = "http://" + (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) +
                            ":" + std::to_string(options.port);
    }
  }
  ro.service.rate_per_s = args.sms_rate;
  ro.service.comments = comments->processor.get();
  service::EngineFeed feed(keeper.engine());  // SMS answers reach the reports at once
  OutreachRuntime outreach(backends->model, *backends->store, *backends->clock, random, &feed, ro);
  if (auto started = outreach.start(); !started) {
    std::cerr << "kaiku serve: " << started.error().message << "\n";
    keeper.stop();
    return 1;
  }
  http::Services services{backends->model, *backends->store, *backends->clock, random, &keeper.engine()};
  services.outreach = &outreach.service();
  services.mounts = outreach.mounts();
  services.comments = comments->processor.get();
  services.sealer = comments->sealer.get();
  http::Router router(services, config);
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  const int code = http::run_server(options, router, [&](unsigned short port) {
    if (auto sending = outreach.start_sending("http://" + host + ":" + std::to_string(port)); !sending) {
      spdlog::error("sms: not sending: {}", sending.error().message);
    }
  });
  outreach.stop();
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
  cmd->add_flag("--allow-no-voikko", args->allow_no_voikko,
                "Start even without Finnish morphology (voikko-fi): names in comments are then found only after titles");
  cmd->add_option("--mllp", args->mllp, "HOST:PORT to receive HL7 v2 visit events over MLLP (e.g. 127.0.0.1:2575)");
  cmd->add_option("--key-file", args->key_file,
                  "Server secret key (64 hex digits) sealing phone numbers and original comments; default DATA/kaiku.key, created if absent");
  cmd->add_option("--kannel-url", args->kannel_url,
                  "Kannel sendsms URL to send SMS through, e.g. http://127.0.0.1:13013/cgi-bin/sendsms");
  cmd->add_option("--kannel-user", args->kannel_user, "Kannel sendsms username")->capture_default_str();
  cmd->add_option("--kannel-password-env", args->kannel_password_env,
                  "Environment variable holding the Kannel sendsms password")
      ->capture_default_str();
  cmd->add_option("--sms-callback-base", args->sms_callback_base,
                  "Base URL Kannel calls back on (delivery reports, replies); default http://LISTEN");
  cmd->add_option("--sms-callback-key", args->sms_callback_key,
                  "Secret in Kannel's callback URLs (/sms/mo?key=...), at least 16 of [A-Za-z0-9_-]; required with --kannel-url");
  cmd->add_option("--sms-rate", args->sms_rate, "SMS hand-overs to Kannel per second at most")
      ->check(CLI::Range(0.1, 10000.0))
      ->capture_default_str();
  cmd->add_option("--clock-offset-file", args->clock_offset_file,
                  "TESTS ONLY: run on the system time plus the milliseconds in this file");
  cmd->callback([args, &exit_code] { exit_code = serve(*args); });
}

}  // namespace kaiku::apps
