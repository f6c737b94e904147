#include "apps/commands.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <string>

#include "apps/backends.hpp"
#include "apps/data_commands.hpp"
#include "apps/event_commands.hpp"
#include "apps/serve.hpp"
#include "domain/access.hpp"
#include "modelfile/check.hpp"
#include "security/sodium_random.hpp"
#include "service/auth_service.hpp"
#include "storage/session_store.hpp"

namespace kaiku::apps {
namespace {

int g_exit_code = 0;

// Prints an error for a person at a terminal and records exit code 1.
void report(const std::string& what, const Error& e) {
  std::cerr << "kaiku: " << what << ": " << e.message << "\n";
  g_exit_code = 1;
}

void add_model_commands(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Work with measurement model files");
  model->require_subcommand(1);
  auto* check = model->add_subcommand("check", "Validate a model file or folder; print every problem");
  auto path = std::make_shared<std::string>();
  check->add_option("PATH", *path, "A .yaml file or a folder of them")->required();
  check->callback([path] { g_exit_code = modelfile::check_model_command(*path, std::cout, std::cerr); });
}

void add_user_commands(CLI::App& app) {
  struct Args {
    std::string data, login, role, unit, model, email;
    bool password_stdin = false;
  };
  auto args = std::make_shared<Args>();
  auto* user = app.add_subcommand("user", "Manage staff users");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add a staff user with a role scoped to a subtree of the org tree");
  add->add_option("--data", args->data, "Data directory")->required();
  add->add_option("--login", args->login, "Login name")->required();
  add->add_option("--role", args->role,
                  "admin | cx_specialist | director | unit_manager | analyst | integration")
      ->required();
  add->add_option("--unit", args->unit,
                  "Root of the user's scope; required for unit_manager and director "
                  "(default for the other roles: the whole county)");
  add->add_option("--model", args->model, "Model path (default: the model last served from --data)");
  add->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input")->required();
  add->add_option("--email", args->email, "E-mail address for alerts (optional)");
  add->callback([args] {
    auto role = domain::parse_role(args->role);
    if (!role) return report("user add", Error::invalid("unknown role '" + args->role + "'"));
    if (!args->email.empty() && (args->email.find('@') == std::string::npos ||
                                 args->email.find_first_of(" \t\r\n<>") != std::string::npos)) {
      return report("user add", Error::invalid("--email: expected an e-mail address, got '" + args->email + "'"));
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    auto backends = open_backends(args->data, args->model);
    if (!backends) return report("user add", backends.error());
    auto id = service::add_user(*backends->store, backends->model, args->login, *role, args->unit, password);
    if (!id) return report("user add", id.error());
    if (!args->email.empty()) {
      if (auto st = backends->store->users().set_email(*id, args->email); !st) return report("user add", st.error());
    }
    std::cout << "added user " << args->login << " (" << domain::role_name(*role) << ", scope "
              << (args->unit.empty() ? backends->model.county_id : args->unit) << ")\n";
  });
  // Sign-in administration (docs/workspace-api.md): lift a lock-out, remove a lost second factor.
  auto* unlock = user->add_subcommand("unlock", "Lift a sign-in lock-out (after repeated failed sign-ins)");
  unlock->add_option("--data", args->data, "Data directory")->required();
  unlock->add_option("--login", args->login, "Login name")->required();
  unlock->callback([args] {
    auto store = open_store_only(args->data);
    if (!store) return report("user unlock", store.error());
    std::string key = args->login;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto cleared = (*store)->sessions().clear_failures(key);
    if (!cleared) return report("user unlock", cleared.error());
    std::cout << (*cleared ? "unlocked " : "nothing to unlock for ") << args->login << "\n";
  });
  auto* totp_reset = user->add_subcommand("totp-reset", "Remove a user's second factor (TOTP), e.g. a lost phone");
  totp_reset->add_option("--data", args->data, "Data directory")->required();
  totp_reset->add_option("--login", args->login, "Login name")->required();
  totp_reset->callback([args] {
    auto store = open_store_only(args->data);
    if (!store) return report("user totp-reset", store.error());
    auto u = (*store)->users().find_by_login(args->login);
    if (!u) return report("user totp-reset", u.error());
    if (auto st = (*store)->sessions().clear_totp(u->id); !st) return report("user totp-reset", st.error());
    std::cout << "removed the second factor of " << args->login << "; they sign in with their password\n";
  });
}

void add_token_commands(CLI::App& app) {
  struct Args {
    std::string data, login;
    int days = 365;
  };
  auto args = std::make_shared<Args>();
  auto* token = app.add_subcommand("token", "Manage API bearer tokens");
  token->require_subcommand(1);
  auto* issue = token->add_subcommand("issue", "Print a new bearer token for a user");
  issue->add_option("--data", args->data, "Data directory")->required();
  issue->add_option("--login", args->login, "Login name")->required();
  const int max_days = static_cast<int>(service::kMaxTokenTtl.count() / 24);
  issue->add_option("--days", args->days,
                    "Days until the token expires, 1.." + std::to_string(max_days) + " (default 365)");
  issue->callback([args, max_days] {
    if (args->days < 1 || args->days > max_days) {
      return report("token issue", Error::invalid("--days: must be between 1 and " + std::to_string(max_days) +
                                                  ", got " + std::to_string(args->days) +
                                                  " (every token expires)"));
    }
    auto store = open_store_only(args->data);
    if (!store) return report("token issue", store.error());
    security::SodiumRandom random;
    ManualClock clock(SystemClock().now());  // one instant: the stored expiry is exactly what we print
    const std::chrono::hours ttl(24 * args->days);
    auto token = service::issue_token(**store, args->login, random, clock, ttl);
    if (!token) return report("token issue", token.error());
    std::cout << *token << "\n";
    std::cerr << "kaiku: token for " << args->login << " expires at " << format_rfc3339(clock.now() + ttl) << " ("
              << args->days << (args->days == 1 ? " day" : " days") << "; --days N to choose)\n";
  });
}

}  // namespace

void register_commands(CLI::App& app) {
  add_model_commands(app);
  add_user_commands(app);
  add_token_commands(app);
  add_serve_command(app, g_exit_code);
  add_data_commands(app, g_exit_code);
  add_event_commands(app, g_exit_code);
}

int exit_code() { return g_exit_code; }

}  // namespace kaiku::apps
