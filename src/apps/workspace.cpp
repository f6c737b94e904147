#include "apps/workspace.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "http/app_files.hpp"             // --- sign-in and the app's files
#include "http/session_api.hpp"           // --- sign-in and the app's files
#include "service/session_service.hpp"    // --- sign-in and the app's files

#include "http/actions_api.hpp"  // --- development actions and public pages
#include "http/cases_api.hpp"    // --- cases, replies and alerts
#include "channels/mail/mail_worker.hpp"   // --- cases, replies and alerts
#include "channels/mail/smtp_client.hpp"   // --- cases, replies and alerts
#include "service/alert_notifier.hpp"      // --- cases, replies and alerts
#include "service/mail_dispatch.hpp"       // --- cases, replies and alerts
#include "service/reply_sender.hpp"        // --- cases, replies and alerts
#include "http/insight_api.hpp"  // --- exports and audit
#include "http/models_api.hpp"   // --- the model
#include "http/public_mounts.hpp"  // --- development actions and public pages

namespace kaiku::apps {
namespace {

class RunningWorkspace final : public Workspace {
 public:
  std::vector<const http::Mount*> mounts() const override {
    std::vector<const http::Mount*> out;
    for (const auto& m : owned_mounts) out.push_back(m.get());
    return out;
  }

  std::vector<std::unique_ptr<http::Mount>> owned_mounts;
  // Services and workers the mounts use (kept alive as long as the workspace).
  std::vector<std::shared_ptr<void>> owned_parts;
};

}  // namespace

// --- sign-in and the app's files
namespace {

// True when the HOST of a --listen HOST:PORT is a loopback address.
bool loopback_listen(std::string_view listen) {
  std::string_view host = listen;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') == std::string_view::npos ? std::string_view::npos : host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The built staff app: --app-dir, else app/dist here, else under the source tree.
std::filesystem::path app_dir(const std::string& given) {
  namespace fs = std::filesystem;
  if (!given.empty()) return fs::absolute(given);
  std::error_code ec;
  fs::path here = fs::absolute("app/dist");
  if (fs::is_directory(here, ec)) return here;
#ifdef KAIKU_SOURCE_DIR
  fs::path source = fs::path(KAIKU_SOURCE_DIR) / "app" / "dist";
  if (fs::is_directory(source, ec)) return source;
#endif
  return here;
}

}  // namespace

// --- cases, replies and alerts
namespace {

// Replies to customers (SMS through the outreach outbox, e-mail through the mail
// outbox) and, with --smtp-url, the mail worker sending e-mail and alerts.
// Members are destroyed in reverse order: the worker stops first.
struct ReplyParts {
  std::unique_ptr<security::Sealer> own_sealer;
  std::unique_ptr<channels::mail::SmtpClient> smtp;
  std::unique_ptr<service::MailDispatcher> dispatcher;
  std::unique_ptr<service::AlertNotifier> alerts;
  std::unique_ptr<service::ReplySender> sender;
  std::unique_ptr<channels::mail::MailWorker> worker;
};

Result<std::unique_ptr<ReplyParts>> start_reply_parts(const WorkspaceArgs& args, const WorkspaceDeps& deps) {
  auto parts = std::make_unique<ReplyParts>();
  if (deps.sealer == nullptr) return fail(Error::internal("replies: the server key is not loaded"));
  const bool email = !args.smtp_url.empty();
  service::ReplyOptions ro;
  ro.email = email;
  parts->sender =
      std::make_unique<service::ReplySender>(deps.model, deps.store, *deps.sealer, deps.clock, deps.outreach, ro);
  if (!email) {
    if (!args.smtp_from.empty()) return fail(Error::invalid("--smtp-from: give --smtp-url too"));
    return parts;
  }
  channels::mail::SmtpOptions so;
  so.url = args.smtp_url;
  so.username = args.smtp_user;
  if (!args.smtp_user.empty()) {
    const char* pw = std::getenv(args.smtp_password_env.c_str());
    if (pw == nullptr) {
      return fail(Error::invalid("--smtp-user: the password is read from the environment variable " +
                                 args.smtp_password_env + ", which is not set"));
    }
    so.password = pw;
  }
  if (auto ok = channels::mail::check_smtp_options(so); !ok) return fail(ok.error());
  if (args.smtp_from.empty()) return fail(Error::invalid("--smtp-from is required with --smtp-url"));
  if (auto from = channels::mail::parse_mailbox(args.smtp_from); !from) {
    return fail(Error::invalid("--smtp-from: " + from.error().message));
  }
  parts->smtp = std::make_unique<channels::mail::SmtpClient>(so);
  service::MailDispatchOptions mo;
  mo.from = args.smtp_from;
  parts->dispatcher =
      std::make_unique<service::MailDispatcher>(deps.store, *deps.sealer, deps.clock, *parts->smtp, mo);
  service::AlertOptions ao;
  ao.base_url = deps.base_url;
  while (!ao.base_url.empty() && ao.base_url.back() == '/') ao.base_url.pop_back();
  if (ao.base_url.empty()) {
    spdlog::warn("mail: no --base-url: alert e-mails link to /app/cases/<id> without the server's address");
  }
  parts->alerts = std::make_unique<service::AlertNotifier>(deps.model, deps.store, *deps.sealer, deps.clock, ao);
  parts->worker = std::make_unique<channels::mail::MailWorker>(*parts->dispatcher, parts->alerts.get());
  if (auto started = parts->worker->start(); !started) return fail(started.error());
  spdlog::info("mail: replies and alerts through {} from {}", args.smtp_url, args.smtp_from);
  return parts;
}

}  // namespace

void add_workspace_options(CLI::App& serve, WorkspaceArgs& args) {
  // --- sign-in and the app's files
  serve.add_option("--app-dir", args.app_dir,
                   "The built staff web app served at /app/ (default: app/dist in the current directory)");
  CLI::Option* secure = serve.add_flag(
      "--secure-cookies{true}", args.secure_cookies,
      "Mark the session cookie Secure (the server is behind TLS); default: on when --listen is not a loopback "
      "address; --secure-cookies=false turns it off");
  serve.parse_complete_callback([&serve, &args, secure] {
    if (secure->count() > 0) return;
    const CLI::Option* listen = serve.get_option_no_throw("--listen");
    if (listen != nullptr && listen->count() > 0) args.secure_cookies = !loopback_listen(listen->as<std::string>());
  });
  // --- cases, replies and alerts
  serve.add_option("--smtp-url", args.smtp_url,
                   "SMTP relay for replies to customers and alert e-mails: smtp://HOST:PORT (STARTTLS when offered) "
                   "or smtps://HOST:PORT; default: no e-mail");
  serve.add_option("--smtp-from", args.smtp_from,
                   "From of Kaiku's e-mail, \"palaute@example.fi\" or \"Name <palaute@example.fi>\"; required with --smtp-url");
  serve.add_option("--smtp-user", args.smtp_user, "SMTP user name (default: no authentication)");
  serve.add_option("--smtp-password-env", args.smtp_password_env,
                   "Environment variable holding the SMTP password")
      ->capture_default_str();
  // --- development actions and public pages
  // --- exports and audit
  // --- the model
  (void)serve;
  (void)args;
}

Result<std::unique_ptr<Workspace>> start_workspace(const WorkspaceArgs& args, const WorkspaceDeps& deps) {
  auto ws = std::make_unique<RunningWorkspace>();
  // --- sign-in and the app's files
  {
    auto sessions = std::make_shared<service::SessionService>(deps.store, deps.clock, deps.random, deps.sealer);
    http::SignInLimit limit;
    limit.enabled = deps.rate_limit_enabled;
    limit.trusted_proxies = deps.trusted_proxies;
    ws->owned_mounts.push_back(
        std::make_unique<http::SessionApi>(deps.model, *sessions, args.secure_cookies, deps.clock, limit));
    ws->owned_mounts.push_back(std::make_unique<http::AppFiles>(app_dir(args.app_dir)));
    ws->owned_parts.push_back(sessions);
  }
  // --- cases, replies and alerts
  // The "reply" part sets `messenger` (SMS through Kannel, e-mail through --smtp-url)
  // just above this line; null: replies and muistutus notices are unavailable (503).
  service::CustomerMessenger* messenger = nullptr;  // <- set by the reply part
  {
    auto parts = start_reply_parts(args, deps);
    if (!parts) return fail(parts.error());
    messenger = (*parts)->sender.get();
    ws->owned_parts.push_back(std::shared_ptr<ReplyParts>(std::move(*parts)));
  }
  {
    auto cases = std::make_shared<service::CaseService>(deps.model, deps.store, deps.clock, messenger);
    ws->owned_mounts.push_back(std::make_unique<http::CasesApi>(deps.model, *cases));
    ws->owned_parts.push_back(cases);
  }
  // --- development actions and public pages
  {
    auto actions = std::make_shared<service::ActionService>(deps.model, deps.store, deps.clock);
    std::shared_ptr<service::ReportService> reports;
    if (deps.engine != nullptr) reports = std::make_shared<service::ReportService>(deps.model, *deps.engine);
    ws->owned_mounts.push_back(std::make_unique<http::ActionsApi>(deps.model, *actions));
    for (auto& m : http::make_public_mounts(deps.model, *actions, reports.get(), deps.clock)) {
      ws->owned_mounts.push_back(std::move(m));
    }
    ws->owned_parts.push_back(actions);
    if (reports) ws->owned_parts.push_back(reports);
  }
  // --- exports and audit
  ws->owned_mounts.push_back(std::make_unique<http::OrgApi>(deps.model));
  ws->owned_mounts.push_back(std::make_unique<http::AuditApi>(deps.store, deps.clock));
  // --- the model
  ws->owned_mounts.push_back(
      std::make_unique<http::ModelsApi>(deps.model, deps.store, deps.clock, deps.request_model_reload));
  ws->owned_mounts.push_back(std::make_unique<http::TouchpointStatsApi>(deps.model, deps.engine, deps.clock));
  (void)args;
  (void)deps;
  return std::unique_ptr<Workspace>(std::move(ws));
}

}  // namespace kaiku::apps
