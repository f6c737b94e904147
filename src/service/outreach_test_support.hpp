// Test support for the outreach service tests (header only; not part of any
// library): a model with outreach rules, care events, a recording SMS gateway, a
// store observer that records, and a scan of the database for a string.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "domain/outreach.hpp"
#include "security/digest.hpp"
#include "security/sealer.hpp"
#include "service/outreach_service.hpp"
#include "service/test_support.hpp"
#include "storage/outreach_store.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::testing {

// An instant given in UTC.
inline TimePoint utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  using namespace std::chrono;
  return TimePoint(sys_days(year{y} / month{mo} / day{d}) + hours(h) + minutes(mi));
}

// The usual visit: Tuesday 22 September 2026 at 13:00 Helsinki (UTC+3), reported an
// hour later (the fixture's clock starts there); its invitation goes on Wednesday at
// 12:00 Helsinki.
inline const TimePoint kVisit = utc(2026, 9, 22, 10);
inline const TimePoint kNow = utc(2026, 9, 22, 11);
inline const TimePoint kSendAt = utc(2026, 9, 23, 9);

// The test model with outreach on: unit codes ("oid"), SMS only where said.
//  tp1 (unit_a1, code 1.2.246.1): link mode;
//  tp_sms (unit_a2x, code 1.2.246.2): reply mode;
//  tp_b (unit_b1, code 1.2.246.3): reply mode, daily cap 2;
//  tp_sampled (unit_b2 under area_b, code 1.2.246.4): link mode, sampled 50 %;
//  area_b has code 1.2.246.9 but no SMS touchpoint; unit_a2 (1.2.246.5) neither.
// Sensitive service "psy"; follow-up 30 days; contact cap 30 days.
inline domain::Model outreach_model() {
  using namespace domain;
  Model m = test_model();
  auto code = [&](const std::string& unit, const std::string& value) {
    for (auto& u : m.units) {
      if (u.id == unit) u.codes.push_back({"oid", value});
    }
  };
  OrgUnit b2;
  b2.id = "unit_b2";
  b2.parent = "area_b";
  b2.kind = "unit";
  b2.name = tr("unit_b2");
  m.units.push_back(b2);
  code("unit_a1", "1.2.246.1");
  code("unit_a2x", "1.2.246.2");
  code("unit_b1", "1.2.246.3");
  code("unit_b2", "1.2.246.4");
  code("unit_a2", "1.2.246.5");
  code("area_b", "1.2.246.9");
  for (auto& tp : m.touchpoints) {
    if (tp.id == "tp_multi" || tp.id == "tp_kiosk" || tp.id == "tp_kiosk_multi") {
      tp.channels = {Channel::web, Channel::qr, Channel::kiosk};
    }
    if (tp.id == "tp_sms") tp.sms.mode = TouchpointSms::Mode::reply;
    if (tp.id == "tp_b") {
      tp.sms.mode = TouchpointSms::Mode::reply;
      tp.sms.daily_cap = 2;
    }
  }
  Touchpoint sampled = m.touchpoints.front();
  sampled.id = "tp_sampled";
  sampled.name = tr("tp_sampled");
  sampled.units = {"unit_b2"};
  sampled.child_survey = "";
  sampled.channels = {Channel::sms};
  sampled.frequency.kind = Frequency::Kind::sampled;
  sampled.frequency.sample_share = 0.5;
  m.touchpoints.push_back(sampled);
  m.outreach.enabled = true;
  m.outreach.sensitive_services = {"psy"};
  m.index();
  return m;
}

inline security::SecretKey test_key() {
  security::SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return k;
}

// The mobile number most tests use, as a record writes it and in international form.
inline const char* kMobile = "040 123 4567";
inline const char* kMobileE164 = "+358401234567";

// A completed visit (A03) at `unit_code` by an adult Finnish speaker with one mobile.
inline domain::CareEvent visit_event(const std::string& unit_code, const std::string& visit_id, TimePoint at) {
  domain::CareEvent e;
  e.source = domain::EventSource::mllp;
  e.sender = "LIFECARE";
  e.message_id = "MSG-" + visit_id;
  e.trigger = "A03";
  e.visit_id = visit_id;
  e.visit_time = at;
  e.unit_codes = {{"oid", unit_code}};
  e.person_id = "person-" + visit_id;
  e.age = 45;
  e.mobiles = {kMobile};
  e.language = "fi";
  e.municipality = "179";
  return e;
}

inline service::IntakeItem item_of(const domain::CareEvent& e, const std::string& content = "") {
  service::IntakeItem i;
  i.source = e.source;
  i.sender = e.sender;
  i.message_id = e.message_id;
  i.content_digest = security::sha256_hex(content.empty() ? e.message_id + "|" + e.trigger + "|" + e.visit_id : content);
  i.event = e;
  return i;
}

// Records every hand-over; answers with the scripted outcomes, then with `fallback`.
class RecordingGateway : public service::SmsGateway {
 public:
  service::SendOutcome::Kind fallback = service::SendOutcome::Kind::accepted;
  std::deque<service::SendOutcome::Kind> script;
  std::vector<service::OutgoingSms> sent;  // every call, whatever the outcome

  service::SendOutcome send(const service::OutgoingSms& sms) override {
    sent.push_back(sms);
    service::SendOutcome out;
    out.kind = fallback;
    if (!script.empty()) {
      out.kind = script.front();
      script.pop_front();
    }
    out.detail = out.kind == service::SendOutcome::Kind::accepted   ? "0: Accepted for delivery"
                 : out.kind == service::SendOutcome::Kind::rejected ? "refused"
                                                                    : "connection refused";
    return out;
  }
};

class RecordingObserver : public service::StoreObserver {
 public:
  std::vector<domain::Response> responses;
  std::vector<storage::Invitation> invitations;
  void response_stored(const domain::Response& r) override { responses.push_back(r); }
  void invitation_created(const storage::Invitation& inv) override { invitations.push_back(inv); }
};

// Every (table, column) of the database at `db_file` whose text or blob contains `needle`.
inline std::vector<std::string> find_in_database(const std::filesystem::path& db_file, const std::string& needle) {
  std::vector<std::string> hits;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    hits.push_back("cannot open " + db_file.string());
    return hits;
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    std::string sql = "SELECT * FROM \"" + t + "\"";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const void* data = sqlite3_column_blob(st, c);
        int n = sqlite3_column_bytes(st, c);
        if (data == nullptr || n <= 0) continue;
        std::string value(static_cast<const char*>(data), static_cast<std::size_t>(n));
        if (value.find(needle) != std::string::npos) hits.push_back(t + "." + sqlite3_column_name(st, c));
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return hits;
}

// The fixture of the outreach tests: the outreach model, a store, a sealer, a
// recording observer, and the service (made by make(), after the test adjusted the
// model or options).
struct OutreachFixture {
  Fixture fx;
  security::Sealer sealer{test_key()};
  RecordingObserver observer;
  service::OutreachOptions options;
  std::unique_ptr<service::OutreachService> svc;

  OutreachFixture() {
    fx.clock.set(kNow);
    fx.model = outreach_model();
    options.base_url = "https://palaute.example.fi";
  }
  service::OutreachService& make() {
    svc = std::make_unique<service::OutreachService>(fx.model, *fx.store, sealer, fx.clock, fx.random, &observer,
                                                     options);
    return *svc;
  }
  storage::OutreachRepository& repo() { return fx.store->outreach(); }
  std::filesystem::path db_file() const { return storage::sqlite_database_file(fx.dir.path()); }
};

}  // namespace kaiku::testing
