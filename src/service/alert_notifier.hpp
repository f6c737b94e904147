// Alerts: when a case opens with `alert` (a detractor 0-6 asking to be contacted,
// or a comment with a safety theme), the managers of its unit get an e-mail --
// every enabled user with an e-mail address whose role is in the model's
// handling.alert_roles and whose scope contains the case's unit. The e-mail says
// only what happened, where, and the link to the case in the app: never the
// comment or the customer's contact details. See docs/mail.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/language.hpp"
#include "domain/model.hpp"
#include "security/sealer.hpp"
#include "storage/case_store.hpp"
#include "storage/store.hpp"

namespace kaiku::service {

struct AlertOptions {
  // The public address of the app without trailing slash
  // (links: base_url + "/app/cases/<id>"); "" gives the path alone.
  std::string base_url;
  int batch = 100;  // cases looked at per pass (1..1000)
  // A case opened longer ago than this is marked without e-mail (e.g. the first
  // start with --smtp-url on a database with old alerts: no flood of stale mail).
  std::chrono::hours max_age{24 * 7};
};

// The subject and body of an alert e-mail in `lang` (fi, sv, en; plain Finnish
// gets Finnish) about `c` at the unit named `unit_name`, linking to `link`. Pure.
struct AlertMail {
  std::string subject;
  std::string body;
};
AlertMail alert_mail(const storage::CaseRecord& c, const std::string& unit_name, const std::string& link,
                     domain::Language lang);

struct AlertStats {
  int cases = 0;     // alerts handled (marked notified)
  int stale = 0;     // of them, older than max_age: marked without e-mail
  int queued = 0;    // e-mails queued
  int failed = 0;    // cases left for the next pass (storage failed)
};

class AlertNotifier {
 public:
  // All references must outlive the notifier.
  AlertNotifier(const domain::Model& model, storage::Store& store, const security::Sealer& sealer, Clock& clock,
                AlertOptions options);
  // One pass: every case with a pending alert (CaseRepository::pending_alerts) gets
  // one e-mail per recipient queued in the mail outbox (idempotent per case and
  // user: a pass repeated after a crash queues nothing twice), then is marked
  // notified. A case without recipients, or opened more than max_age ago, is
  // marked too (without e-mail). Errors: unavailable when
  // the cases or users cannot be read (nothing lost: the next pass retries).
  Result<AlertStats> run_once();

 private:
  const domain::Model& model_;
  storage::Store& store_;
  const security::Sealer& sealer_;
  Clock& clock_;
  AlertOptions options_;
};

}  // namespace kaiku::service
