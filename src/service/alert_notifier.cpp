// AlertNotifier: e-mail to the unit's managers when a case opens with an alert.
#include "service/alert_notifier.hpp"

#include <algorithm>
#include <vector>

#include "domain/access.hpp"
#include "service/reply_sender.hpp"
#include "storage/mail_store.hpp"

namespace kaiku::service {

namespace {

struct AlertWords {
  const char* subject;      // + unit name
  const char* contact;      // a detractor asked to be contacted
  const char* safety;       // a possible safety concern
  const char* at;           // " at " / " i " ...
  const char* open;         // "Open the case"
  const char* note;         // what the mail does not contain
};

AlertWords words(domain::Language lang) {
  switch (lang) {
    case domain::Language::sv:
      return {"Kaiku: nytt larm", "Nytt larm: en kritiker (betyg 0-6) bad om att bli kontaktad",
              "Nytt larm: en möjlig säkerhetsrisk", "Enhet", "Öppna ärendet",
              "Meddelandet innehåller varken responsens text eller kundens kontaktuppgifter; läs dem i Kaiku."};
    case domain::Language::en:
      return {"Kaiku: new alert", "New alert: a detractor (score 0-6) asked to be contacted",
              "New alert: a possible safety concern", "Unit", "Open the case",
              "This message contains neither the feedback nor the customer's contact details; read them in Kaiku."};
    case domain::Language::fi:
    case domain::Language::fi_selko:
      break;
  }
  return {"Kaiku: uusi hälytys", "Uusi hälytys: arvion 0-6 antanut asiakas pyysi yhteydenottoa",
          "Uusi hälytys: mahdollinen turvallisuushuoli", "Yksikkö", "Avaa tapaus",
          "Viesti ei sisällä palautteen tekstiä eikä asiakkaan yhteystietoja; lue ne Kaikussa."};
}

}  // namespace

AlertMail alert_mail(const storage::CaseRecord& c, const std::string& unit_name, const std::string& link,
                     domain::Language lang) {
  const AlertWords w = words(lang);
  AlertMail m;
  m.subject = std::string(w.subject) + " - " + unit_name;
  // A safety concern first: it is the more urgent; both when both hold.
  if (c.safety) m.body += std::string(w.safety) + ".\n";
  if (c.has_contact && (c.band == domain::ScoreBand::detractor || !c.safety)) m.body += std::string(w.contact) + ".\n";
  if (m.body.empty()) m.body += std::string(w.safety) + ".\n";
  m.body += std::string(w.at) + ": " + unit_name + "\n\n";
  m.body += std::string(w.open) + ": " + link + "\n\n";
  m.body += std::string(w.note) + "\n";
  return m;
}

AlertNotifier::AlertNotifier(const domain::Model& model, storage::Store& store, const security::Sealer& sealer,
                             Clock& clock, AlertOptions options)
    : model_(model), store_(store), sealer_(sealer), clock_(clock), options_(std::move(options)) {}

Result<AlertStats> AlertNotifier::run_once() {
  AlertStats stats;
  const int batch = std::clamp(options_.batch, 1, 1000);
  auto pending = store_.cases().pending_alerts(0, batch);
  if (!pending) return fail(Error::unavailable("alerts: could not read the cases: " + pending.error().message));
  if (pending->empty()) return stats;
  auto users = store_.users().list();
  if (!users) return fail(Error::unavailable("alerts: could not read the users: " + users.error().message));

  const TimePoint now = clock_.now();
  for (const storage::CaseRecord& c : *pending) {
    const domain::OrgUnit* unit = model_.unit(c.unit);
    const bool stale = c.opened_at + options_.max_age < now;
    bool ok = true;
    for (const storage::User& u : stale ? std::vector<storage::User>{} : *users) {
      if (u.disabled || u.email.empty() || !plausible_email_address(u.email)) continue;
      const std::string role(domain::role_name(u.role));
      const auto& roles = model_.handling.alert_roles;
      if (std::find(roles.begin(), roles.end(), role) == roles.end()) continue;
      if (!model_.in_subtree(c.unit, u.scope_unit)) continue;
      // Users have no language setting yet: Finnish, the county's working language.
      const domain::Language lang = domain::Language::fi;
      const std::string unit_name = unit != nullptr ? unit->name.get(lang) : c.unit;
      const AlertMail text = alert_mail(c, unit_name, options_.base_url + "/app/cases/" + std::to_string(c.id), lang);
      storage::MailMessage m;
      m.kind = storage::MailKind::alert;
      m.case_id = c.id;
      m.user_id = u.id;
      m.dedup_key = "alert:" + std::to_string(c.id) + ":" + std::to_string(u.id);
      m.sealed_to = sealer_.seal(u.email);
      m.subject = text.subject;
      m.sealed_body = sealer_.seal(text.body);
      m.created_at = clock_.now();
      m.next_attempt_at = m.created_at;
      if (auto id = store_.mail().enqueue(m); !id) {
        ok = false;
        break;
      }
      ++stats.queued;
    }
    if (!ok || !store_.cases().set_alert_notified(c.id, clock_.now())) {
      ++stats.failed;
      continue;
    }
    ++stats.cases;
    if (stale) ++stats.stale;
  }
  return stats;
}

}  // namespace kaiku::service
