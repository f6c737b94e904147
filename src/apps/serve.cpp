#include "apps/serve.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/backends.hpp"
#include "apps/engine_keeper.hpp"
#include "apps/outreach_runtime.hpp"
#include "apps/steered_clock.hpp"
#include "apps/workspace.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "service/comment_processor.hpp"
#include "service/report_service.hpp"
#include "security/sodium_random.hpp"

namespace kaiku::apps {
namespace {

// The body limit of /api/v1/models (a whole model folder as JSON); elsewhere the
// server's 64 KiB. The loader's own limits (modelfile::UploadLimits) are the same 4 MiB.
constexpr std::size_t kModelUploadLimit = std::size_t{4} << 20;

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
  WorkspaceArgs workspace;        // the staff workspace (apps/workspace.hpp)
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

// The public address SMS links carry when --base-url is not given, or an error
// when the model sends links through Kannel and the address is unknown.
Result<std::string> sms_base_url(const ServeArgs& args, const domain::Model& model, const http::ServerOptions& options) {
  if (!args.base_url.empty() || !model.outreach.enabled) return args.base_url;
  // Links in SMS must carry the public address: a listen address would send
  // patients to http://127.0.0.1:8080/i/...
  const domain::Touchpoint* link = nullptr;
  for (const auto& tp : model.touchpoints) {
    if (tp.has_channel(domain::Channel::sms) && tp.sms.mode == domain::TouchpointSms::Mode::link) link = &tp;
  }
  if (link != nullptr && !args.kannel_url.empty()) {
    return fail(Error::invalid("--base-url is required when sending SMS: touchpoint '" + link->id +
                               "' sends links (sms: mode link), and they must carry the public address, e.g. "
                               "--base-url https://palaute.example.fi"));
  }
  if (link != nullptr && options.port != 0) {
    // Not sending: a local demo. Links carry the listen address.
    return "http://" + (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) + ":" +
           std::to_string(options.port);
  }
  return std::string();
}

// What every stack shares: built once per process.
struct ServeContext {
  const ServeArgs& args;
  const http::ServerOptions& options;
  const http::RouterConfig& config;
  Backends& backends;
  Random& random;
  EngineKeeper& keeper;
  std::function<void()> request_model_reload;
};

// Everything built from one model: the free-text tools, SMS outreach, the
// workspace and the router. Members are destroyed in reverse order (router first).
struct Stack {
  std::shared_ptr<const domain::Model> model;
  std::unique_ptr<CommentTools> comments;
  std::unique_ptr<service::EngineFeed> feed;
  std::unique_ptr<OutreachRuntime> outreach;
  std::unique_ptr<Workspace> workspace;
  std::unique_ptr<http::Router> router;
  ~Stack() {
    router.reset();
    workspace.reset();
    if (outreach) outreach->stop();
  }
};

// Starts sending SMS through Kannel (when configured), callbacks at `listen_base`.
void start_sending(Stack& stack, const std::string& listen_base) {
  if (auto sending = stack.outreach->start_sending(listen_base); !sending) {
    spdlog::error("sms: not sending: {}", sending.error().message);
  }
}

// The free-text tools of `model`: the server key (shared with SMS outreach),
// Voikko and the analyser of the model's themes. `first`: at start (a missing
// Voikko is logged). Errors name the part at fault.
Result<std::unique_ptr<CommentTools>> comment_tools(const ServeArgs& args, const domain::Model& m, Clock& clock,
                                                    bool first) {
  auto comments = open_comment_tools(args.data, args.key_file, m, clock);
  if (!comments) return fail(comments.error());
  auto tools = std::make_unique<CommentTools>(std::move(*comments));
  if (!tools->voikko) {
    if (!args.allow_no_voikko) return fail(Error::invalid(no_voikko_message(tools->voikko_error)));
    if (first) {
      spdlog::warn("text: Voikko is not available ({}); --allow-no-voikko: Finnish names are redacted only "
                   "after titles and Finnish themes match on stems",
                   tools->voikko_error);
    }
  }
  return tools;
}

// Builds the stack of `model` with its free-text `tools`. `port`: 0 at start
// (SMS sending starts once the server listens); else the running server's port
// after a model switch (sending starts at once). Errors name the part at fault.
Result<std::unique_ptr<Stack>> build_stack(const ServeContext& cx, std::shared_ptr<const domain::Model> model,
                                           std::unique_ptr<CommentTools> tools, unsigned short port) {
  const ServeArgs& args = cx.args;
  Backends& b = cx.backends;
  auto stack = std::make_unique<Stack>();
  stack->model = std::move(model);
  stack->comments = std::move(tools);
  const domain::Model& m = *stack->model;
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
  auto base_url = sms_base_url(args, m, cx.options);
  if (!base_url) return fail(base_url.error());
  ro.service.base_url = *base_url;
  ro.service.rate_per_s = args.sms_rate;
  ro.service.comments = stack->comments->processor.get();
  stack->feed = std::make_unique<service::EngineFeed>(cx.keeper.engine());  // SMS answers reach the reports at once
  stack->outreach = std::make_unique<OutreachRuntime>(m, *b.store, *b.clock, cx.random, stack->feed.get(), ro);
  if (auto started = stack->outreach->start(); !started) return fail(started.error());
  http::Services services{m, *b.store, *b.clock, cx.random, &cx.keeper.engine()};
  services.outreach = &stack->outreach->service();
  services.mounts = stack->outreach->mounts();
  services.comments = stack->comments->processor.get();
  services.sealer = stack->comments->sealer.get();
  const std::string host = cx.options.host.find(':') != std::string::npos ? "[" + cx.options.host + "]" : cx.options.host;
  const std::string listen_base = port == 0 ? "" : "http://" + host + ":" + std::to_string(port);
  WorkspaceDeps deps{m,
                     *b.store,
                     *b.clock,
                     cx.random,
                     &cx.keeper.engine(),
                     stack->comments->sealer.get(),
                     args.kannel_url.empty() ? nullptr : &stack->outreach->service(),
                     listen_base,
                     cx.request_model_reload};
  deps.base_url = args.base_url;
  deps.trusted_proxies = cx.config.trusted_proxies;
  deps.rate_limit_enabled = cx.config.rate_limit_enabled;
  auto workspace = start_workspace(args.workspace, deps);
  if (!workspace) return fail(workspace.error());
  stack->workspace = std::move(*workspace);
  for (const http::Mount* mount : stack->workspace->mounts()) services.mounts.push_back(mount);
  stack->router = std::make_unique<http::Router>(services, cx.config);
  if (port != 0) start_sending(*stack, listen_base);
  return stack;
}

void log_model(const domain::Model& m, const std::string& what) {
  spdlog::info("{} {} ({} units, {} touchpoints, {} surveys, {} themes)", what, m.version, m.units.size(),
               m.touchpoints.size(), m.surveys.size(), m.themes.size());
}

// After a publish that cannot be served: publishes `served` (the version served
// again) once more in the store, by no user with the login "rollback", so that the
// next start without --model serves it rather than the failed `failed`. Logged.
void republish_after_rollback(const ServeContext& cx, const std::string& served, const std::string& failed) {
  const TimePoint now = cx.backends.clock->now();
  if (auto s = cx.backends.store->model_versions().publish(served, 0, "rollback", now); !s) {
    spdlog::error("model: {} could not be published again after {} failed; the next start without --model may "
                  "fail: {}",
                  served, failed, s.error().message);
    return;
  }
  storage::AuditEntry entry{now, 0, "rollback", "model.publish", "version=" + served + " (rollback)", 1};
  if (auto s = cx.backends.store->audit().record(entry); !s) {
    spdlog::warn("model: the rollback to {} could not be audited: {}", served, s.error().message);
  }
  spdlog::warn("model: {} published again (by \"rollback\") because {} cannot be served", served, failed);
}

// Switches the running server to the store's published model (after a publish):
// the server holds new requests, the running ones finish, the old stack stops
// (outreach, workspace), the new one is built and the held requests go to it. When
// the new model cannot be served, the old one is built again.
Status switch_model(const ServeContext& cx, http::Server& server, std::unique_ptr<Stack>& stack) {
  const auto started = std::chrono::steady_clock::now();
  server.wait_idle();
  auto loaded = load_served_model(*cx.backends.store);
  if (!loaded) {
    spdlog::error("model: the published model cannot be loaded; still serving {}: {}", stack->model->version,
                  loaded.error().message);
    republish_after_rollback(cx, stack->model->version, "the published one");
    server.resume(*stack->router);
    return {};
  }
  if (loaded->version == stack->model->version) {
    server.resume(*stack->router);
    return {};
  }
  auto next_model = std::make_shared<const domain::Model>(std::move(*loaded));
  auto old_model = stack->model;
  stack.reset();
  cx.keeper.engine().set_model(next_model);
  auto build = [&](std::shared_ptr<const domain::Model> m) -> Result<std::unique_ptr<Stack>> {
    auto tools = comment_tools(cx.args, *m, *cx.backends.clock, false);
    if (!tools) return fail(tools.error());
    return build_stack(cx, std::move(m), std::move(*tools), server.port());
  };
  auto next = build(next_model);
  if (!next) {
    spdlog::error("model: {} cannot be served ({}); serving {} again", next_model->version, next.error().message,
                  old_model->version);
    republish_after_rollback(cx, old_model->version, next_model->version);
    cx.keeper.engine().set_model(old_model);
    next = build(old_model);
    if (!next) return fail(next.error());
  }
  stack = std::move(*next);
  server.resume(*stack->router);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  log_model(*stack->model, "model: now serving");
  spdlog::info("model: switched in {} ms (requests held meanwhile)", ms);
  return {};
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
  // A whole model folder is uploaded to check and publish it (docs/workspace-api.md).
  options.body_limits = {{"/api/v1/models", kModelUploadLimit}};
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
  config.body_limits = options.body_limits;
  config.rate_limit_enabled = !args.no_rate_limit;
  // The kiosk resets itself for the next customer with an HTTP Refresh header
  // (see docs/decisions.md).
  config.kiosk_refresh_in_markup = false;
  log_model(backends->model, args.model.empty() ? "model (published)" : "model (from " + args.model + ")");
  spdlog::info("data in {}", args.data);
  auto model = std::make_shared<const domain::Model>(std::move(backends->model));
  auto tools = comment_tools(args, *model, *backends->clock, true);
  if (!tools) {
    std::cerr << "kaiku serve: " << tools.error().message << "\n";
    return 1;
  }
  {
    // Responses stored without analysis (before schema 5, or by an older binary)
    // are redacted now, before the engine reads them.
    auto backfilled = service::backfill_comments(*model, *backends->store, *(*tools)->processor);
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
                 model->themes.size());
  }
  // The reporting engine: snapshot + catch-up before the first request. It lives
  // across model switches (Engine::set_model).
  EngineKeeperOptions keep;
  keep.data_dir = args.data;  // the snapshot: DATA/analytics-<instance id>.snapshot
  EngineKeeper keeper(model, *backends->store, keep);
  if (auto started = keeper.start(); !started) {
    std::cerr << "kaiku serve: " << started.error().message << "\n";
    return 1;
  }
  // A publish (models API) holds new requests at once and wakes this thread,
  // which switches the model (switch_model) between requests.
  boost::asio::io_context events(1);
  auto work = boost::asio::make_work_guard(events);
  std::atomic<http::Server*> running{nullptr};
  std::atomic<bool> reload_pending{false};
  ServeContext cx{args, options, config, *backends, random, keeper, [&] {
                    if (http::Server* s = running.load()) s->pause();
                    if (!reload_pending.exchange(true)) boost::asio::post(events, [] {});
                  }};
  auto first = build_stack(cx, model, std::move(*tools), 0);
  if (!first) {
    std::cerr << "kaiku serve: " << first.error().message << "\n";
    keeper.stop();
    return 1;
  }
  std::unique_ptr<Stack> stack = std::move(*first);
  http::Server server(options, *stack->router);
  auto port = server.start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    std::cerr << "kaiku: " << port.error().message << "\n";
    stack.reset();
    keeper.stop();
    return 1;
  }
  running.store(&server);
  boost::asio::signal_set signals(events, SIGINT, SIGTERM);
  int received = 0;
  bool stopping = false;
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) received = sig;
    stopping = true;
  });
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  start_sending(*stack, "http://" + host + ":" + std::to_string(*port));
  std::printf("listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(*port));
  std::fflush(stdout);
  spdlog::info("listening on http://{}:{}", host, *port);
  int code = 0;
  while (!stopping) {
    events.run_one();
    if (!stopping && reload_pending.exchange(false)) {
      if (auto switched = switch_model(cx, server, stack); !switched) {
        spdlog::error("model: no model can be served: {}; stopping", switched.error().message);
        code = 1;
        break;
      }
    }
  }
  if (stopping) spdlog::info("signal {} received: stopping (draining in-flight requests)", received);
  running.store(nullptr);
  server.stop();
  spdlog::info("stopped");
  stack.reset();
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
  add_workspace_options(*cmd, args->workspace);
  cmd->callback([args, &exit_code] { exit_code = serve(*args); });
}

}  // namespace kaiku::apps
