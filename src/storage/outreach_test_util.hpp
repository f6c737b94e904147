// Test helpers for the outreach storage tests: a store with a manual clock and
// sample events, schedulings and messages. Sealed bytes are stand-ins (storage
// only keeps bytes; sealing is tested in security/sealer_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/outreach_store.hpp"
#include "storage/sqlite_store.hpp"
#include "storage/storage_test_util.hpp"

namespace kaiku::storage::testing {

using namespace std::chrono_literals;

inline TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }
inline std::vector<std::uint8_t> bytes(const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); }

class OutreachTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  // Periodic purges are off unless a test asks for them: the clock jumps days.
  static SqliteOptions no_periodic_purge() {
    SqliteOptions o;
    o.purge_interval = std::chrono::milliseconds(0);
    return o;
  }
  void open(SqliteOptions options = no_periodic_purge()) {
    store_.reset();
    auto s = open_sqlite_store(dir_.path(), clock_, options);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  OutreachRepository& repo() { return store_->outreach(); }
  std::filesystem::path db() const { return sqlite_database_file(dir_.path()); }
  std::string scalar(const std::string& sql) { return raw_scalar(db(), sql); }

  // An event as the service records it.
  EventRecord event(const std::string& key, domain::Decision decision = domain::Decision::scheduled,
                    const std::string& unit = "u-1", const std::string& visit_key = "") {
    EventRecord e;
    e.source = domain::EventSource::mllp;
    e.sender = "LIFECARE^KSSHP";
    e.message_id = "msg-" + key;
    e.dedup_key = "dedup-" + key;
    e.visit_key = visit_key.empty() ? "visit-" + key : visit_key;
    e.trigger = "A03";
    e.received_at = clock_.now();
    e.visit_time = clock_.now() - 2h;
    e.unit = unit;
    e.touchpoint = unit.empty() ? "" : "tp-" + unit;
    e.decision = decision;
    if (decision == domain::Decision::excluded) e.reasons = {domain::Reason::under_age, domain::Reason::no_mobile};
    if (decision == domain::Decision::scheduled) e.send_at = clock_.now() + 20h;
    return e;
  }

  // What the service passes to schedule() for event `key`.
  Scheduling scheduling(const std::string& key, const std::string& person = "person-1",
                        const std::string& number = "number-1", bool reply_mode = false) {
    Scheduling s;
    s.person_key = person;
    s.number_key = number;
    s.sealed_number = bytes("sealed:" + number);
    s.contact_expires_at = clock_.now() + 14 * 24h;
    s.visit_time = clock_.now() - 2h;
    s.invitation.id = "inv-" + key;
    s.invitation.token_hash = "hash-" + key;
    s.invitation.touchpoint = "tp-u-1";
    s.invitation.unit = "u-1";
    s.invitation.event_ref = "visit-" + key;
    s.invitation.language = domain::Language::sv;
    s.invitation.channel = domain::Channel::sms;
    s.invitation.age_group = domain::AgeGroup::from_50_to_64;
    s.invitation.created_at = clock_.now();
    s.invitation.expires_at = clock_.now() + 14 * 24h;
    s.message.kind = OutboxKind::invite;
    s.message.sealed_text = bytes("sealed text " + key);
    s.message.created_at = clock_.now();
    s.message.not_before = clock_.now() + 20h;
    s.message.next_attempt_at = s.message.not_before;
    s.message.expires_at = clock_.now() + 3 * 24h;
    s.message.reference = "ref-" + key;
    s.reply_mode = reply_mode;
    return s;
  }

  struct Scheduled {
    std::int64_t event_id = 0;
    std::int64_t message_id = 0;
  };
  // Records a scheduled event and schedules it, in one intake work.
  Scheduled schedule(const std::string& key, Scheduling s, const std::string& day = "2023-11-15",
                     const std::string& visit_key = "") {
    Scheduled out;
    EventRecord e = event(key, domain::Decision::scheduled, "u-1", visit_key);
    auto r = repo().intake({[&](IntakeTransaction& tx) -> Status {
      auto id = tx.insert_event(e);
      if (!id) return fail(id.error());
      out.event_id = *id;
      auto m = tx.schedule(*id, day, s);
      if (!m) return fail(m.error());
      out.message_id = *m;
      return {};
    }});
    EXPECT_TRUE(r) << r.error().message;
    if (r) {
      EXPECT_TRUE((*r)[0]) << (*r)[0].error().message;
    }
    return out;
  }
  Scheduled schedule(const std::string& key) { return schedule(key, scheduling(key)); }

  // A dialogue or confirmation message to contact `contact_id`.
  OutboxMessage message(std::int64_t contact_id, OutboxKind kind, const std::string& ref) {
    OutboxMessage m;
    m.contact_id = contact_id;
    m.kind = kind;
    m.sealed_text = bytes("text " + ref);
    m.created_at = clock_.now();
    m.not_before = clock_.now();
    m.next_attempt_at = clock_.now();
    m.expires_at = clock_.now() + 24h;
    m.reference = ref;
    return m;
  }
  std::int64_t add_contact(const std::string& number_key, std::chrono::milliseconds ttl = 14 * 24h) {
    ContactRecord c;
    c.number_key = number_key;
    c.sealed_number = bytes("sealed:" + number_key);
    c.expires_at = clock_.now() + ttl;
    auto id = repo().add_contact(c);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
  // Inserts one event in its own intake; returns its id.
  std::int64_t insert(const EventRecord& e) {
    std::int64_t id = 0;
    auto r = repo().intake({[&](IntakeTransaction& tx) -> Status {
      auto i = tx.insert_event(e);
      if (!i) return fail(i.error());
      id = *i;
      return {};
    }});
    EXPECT_TRUE(r && (*r)[0]);
    return id;
  }
  // Runs `f` inside an intake and returns its status.
  Status in_tx(const std::function<Status(IntakeTransaction&)>& f) {
    auto r = repo().intake({f});
    if (!r) return fail(r.error());
    return (*r)[0];
  }

  OutboxState state(std::int64_t message_id) {
    auto m = repo().get_message(message_id);
    EXPECT_TRUE(m) << m.error().message;
    return m ? m->state : OutboxState::pending;
  }

  TempDir dir_;
  ManualClock clock_{at_ms(1'700'000'000'000)};
  std::unique_ptr<Store> store_;
};

}  // namespace kaiku::storage::testing
