// Schema version 4 of the SQLite store (SMS outreach): the intake transaction and
// its savepoints, events, person history, schedule/cancel, opt-outs, dialogues,
// purge, durability across reopening, and the migration from schema version 3.
// The outbox state machine is tested in outbox_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "storage/storage_test_util.hpp"
#include "storage/outreach_test_util.hpp"
#include "storage/sqlite/schema.hpp"

namespace kaiku::storage {
namespace {

using namespace std::chrono_literals;
using testing::at_ms;
using testing::bytes;
using Decision = domain::Decision;
using Reason = domain::Reason;

using OutreachStoreTest = testing::OutreachTest;

// ---- intake ----

TEST_F(OutreachStoreTest, IntakeRollsBackOnlyTheFailingWork) {
  std::int64_t a = 0, c = 0;
  bool saw_a = false;
  std::vector<OutreachRepository::IntakeWork> works;
  works.push_back([&](IntakeTransaction& tx) -> Status {
    auto id = tx.insert_event(event("a"));
    if (!id) return fail(id.error());
    a = *id;
    return {};
  });
  works.push_back([&](IntakeTransaction& tx) -> Status {
    auto id = tx.insert_event(event("b"));
    if (!id) return fail(id.error());
    auto m = tx.schedule(*id, "2023-11-15", scheduling("b"));
    if (!m) return fail(m.error());
    return fail(Error::invalid("work b changed its mind"));
  });
  works.push_back([&](IntakeTransaction&) -> Status { throw std::runtime_error("boom"); });
  works.push_back([&](IntakeTransaction& tx) -> Status {
    auto found = tx.find_by_dedup_key("dedup-a");  // written by an earlier work of this intake
    if (!found) return fail(found.error());
    saw_a = found->has_value() && (*found)->id == a;
    auto id = tx.insert_event(event("c"));
    if (!id) return fail(id.error());
    c = *id;
    return {};
  });
  auto r = repo().intake(std::move(works));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_TRUE((*r)[0]);
  ASSERT_FALSE((*r)[1]);
  EXPECT_EQ((*r)[1].error().kind, ErrorKind::invalid_input);
  EXPECT_EQ((*r)[1].error().message, "work b changed its mind");
  ASSERT_FALSE((*r)[2]);
  EXPECT_EQ((*r)[2].error().kind, ErrorKind::internal);
  EXPECT_TRUE((*r)[3]);
  EXPECT_TRUE(saw_a);

  EXPECT_TRUE(repo().get_event(a));
  EXPECT_TRUE(repo().get_event(c));
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), "2");
  EXPECT_EQ(scalar("SELECT count(*) FROM events WHERE dedup_key = 'dedup-b'"), "0");
  // Nothing of b's scheduling survived either.
  for (const char* t : {"contacts", "outbox", "person_history", "dialogues"}) {
    EXPECT_EQ(scalar(std::string("SELECT count(*) FROM ") + t), "0") << t;
  }
  EXPECT_FALSE(store_->invitations().find_by_token_hash("hash-b"));
}

TEST_F(OutreachStoreTest, IntakeStorageErrorCommitsNothing) {
  std::vector<OutreachRepository::IntakeWork> works;
  works.push_back([&](IntakeTransaction& tx) -> Status {
    auto id = tx.insert_event(event("a"));
    return id ? Status{} : Status(fail(id.error()));
  });
  works.push_back([](IntakeTransaction&) -> Status { return fail(Error::unavailable("disk gone")); });
  auto r = repo().intake(std::move(works));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), "0");
  // The store goes on working.
  EXPECT_GT(insert(event("later")), 0);
}

TEST_F(OutreachStoreTest, IntakeOfNothingIsEmpty) {
  auto r = repo().intake({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST_F(OutreachStoreTest, ConcurrentIntakesAllCommit) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string key = std::to_string(t) + "-" + std::to_string(i);
        EventRecord e = event(key);
        auto r = repo().intake({[&](IntakeTransaction& tx) -> Status {
          auto id = tx.insert_event(e);
          if (!id) return fail(id.error());
          auto m = tx.schedule(*id, "2023-11-15", scheduling(key, "p-" + key, "n-" + key));
          return m ? Status{} : Status(fail(m.error()));
        }});
        if (r && (*r)[0]) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(scalar("SELECT count(*) FROM outbox"), "100");
  ASSERT_TRUE(in_tx([](IntakeTransaction& tx) -> Status {
    auto n = tx.scheduled_on("tp-u-1", "2023-11-15");
    EXPECT_TRUE(n);
    if (n) {
      EXPECT_EQ(*n, 100);
    }
    return {};
  }));
}

// ---- events ----

TEST_F(OutreachStoreTest, EventsRoundTripEveryField) {
  EventRecord e = event("x", Decision::excluded);
  e.source = domain::EventSource::fhir;
  e.detail = "";
  e.send_at.reset();
  std::int64_t id = insert(e);
  EventRecord dup = event("x", Decision::duplicate);
  dup.reasons = {Reason::duplicate};
  dup.duplicate_of = id;
  dup.visit_time.reset();
  std::int64_t dup_id = insert(dup);
  EventRecord bad = event("y", Decision::rejected, "");
  bad.reasons = {Reason::unreadable};
  bad.detail = "PID-3: missing";
  bad.message_id = "";
  std::int64_t bad_id = insert(bad);

  auto got = repo().get_event(id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->source, domain::EventSource::fhir);
  EXPECT_EQ(got->sender, e.sender);
  EXPECT_EQ(got->message_id, e.message_id);
  EXPECT_EQ(got->dedup_key, e.dedup_key);
  EXPECT_EQ(got->visit_key, e.visit_key);
  EXPECT_EQ(got->trigger, "A03");
  EXPECT_EQ(got->received_at, e.received_at);
  EXPECT_EQ(got->visit_time, e.visit_time);
  EXPECT_EQ(got->unit, "u-1");
  EXPECT_EQ(got->touchpoint, "tp-u-1");
  EXPECT_EQ(got->decision, Decision::excluded);
  EXPECT_EQ(got->reasons, (std::vector<Reason>{Reason::under_age, Reason::no_mobile}));
  EXPECT_EQ(got->duplicate_of, 0);
  EXPECT_FALSE(got->send_at);

  auto d = repo().get_event(dup_id);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::duplicate);
  EXPECT_EQ(d->duplicate_of, id);
  EXPECT_FALSE(d->visit_time);
  auto b = repo().get_event(bad_id);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->detail, "PID-3: missing");
  EXPECT_EQ(b->unit, "");
  EXPECT_EQ(b->reasons, std::vector<Reason>{Reason::unreadable});

  auto missing = repo().get_event(999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);

  auto counts = repo().count_events_by_decision();
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 5u);
  EXPECT_EQ((*counts)[static_cast<int>(Decision::scheduled)], 0);
  EXPECT_EQ((*counts)[static_cast<int>(Decision::excluded)], 1);
  EXPECT_EQ((*counts)[static_cast<int>(Decision::duplicate)], 1);
  EXPECT_EQ((*counts)[static_cast<int>(Decision::rejected)], 1);

  // A duplicate_of that names no event is refused.
  EventRecord orphan = event("z", Decision::duplicate);
  orphan.duplicate_of = 12345;
  Status s = in_tx([&](IntakeTransaction& tx) -> Status {
    auto r = tx.insert_event(orphan);
    return r ? Status{} : Status(fail(r.error()));
  });
  EXPECT_FALSE(s);
}

TEST_F(OutreachStoreTest, DedupLookupFindsTheFirstNonDuplicate) {
  std::int64_t first = insert(event("a"));
  EventRecord dup = event("a", Decision::duplicate);
  dup.duplicate_of = first;
  insert(dup);
  EventRecord only_dup = event("b", Decision::duplicate);
  only_dup.duplicate_of = first;
  insert(only_dup);
  Status s = in_tx([&](IntakeTransaction& tx) -> Status {
    auto a = tx.find_by_dedup_key("dedup-a");
    EXPECT_TRUE(a && a->has_value());
    if (a && *a) {
      EXPECT_EQ((*a)->id, first);
    }
    auto b = tx.find_by_dedup_key("dedup-b");
    EXPECT_TRUE(b && !b->has_value()) << "an event recorded only as a duplicate is not an original";
    auto none = tx.find_by_dedup_key("nope");
    EXPECT_TRUE(none && !none->has_value());
    auto empty = tx.find_by_dedup_key("");
    EXPECT_TRUE(empty && !empty->has_value());
    return {};
  });
  EXPECT_TRUE(s);
}

TEST_F(OutreachStoreTest, ListEventsScopesFiltersAndPages) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 10; ++i) {
    EventRecord e = event("e" + std::to_string(i), i % 2 == 0 ? Decision::scheduled : Decision::excluded,
                          i < 8 ? "u-" + std::to_string(i % 3) : "");
    e.source = i % 4 == 0 ? domain::EventSource::csv : domain::EventSource::mllp;
    e.received_at = at_ms(1'000'000 + i * 1000);
    ids.push_back(insert(e));
    clock_.advance(1s);
  }
  auto list = [&](EventQuery q) {
    auto r = repo().list_events(q);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::int64_t> out;
    if (r) {
      for (auto& e : *r) out.push_back(e.id);
    }
    return out;
  };
  EventQuery q;
  EXPECT_TRUE(list(q).empty()) << "no units: no rows";
  q.units = {"u-0"};
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[0], ids[3], ids[6]}));
  q.units = {"u-0", "u-1", "u-2"};
  EXPECT_EQ(list(q).size(), 8u);
  // A wide scope (another plan) means the same.
  EventQuery wide;
  for (int i = 0; i < 20; ++i) wide.units.push_back("other-" + std::to_string(i));
  wide.units.push_back("u-0");
  EXPECT_EQ(list(wide), (std::vector<std::int64_t>{ids[0], ids[3], ids[6]}));
  wide.include_unmapped = true;
  wide.limit = 3;
  EXPECT_EQ(list(wide), (std::vector<std::int64_t>{ids[0], ids[3], ids[6]}));
  wide.after_id = ids[6];
  EXPECT_EQ(list(wide), (std::vector<std::int64_t>{ids[8], ids[9]}));
  q.include_unmapped = true;
  EXPECT_EQ(list(q).size(), 10u);
  EventQuery unmapped_only;
  unmapped_only.include_unmapped = true;
  EXPECT_EQ(list(unmapped_only), (std::vector<std::int64_t>{ids[8], ids[9]}));
  EventQuery empty_unit_name;
  empty_unit_name.units = {""};
  EXPECT_TRUE(list(empty_unit_name).empty()) << "\"\" is not a unit: unmapped rows need include_unmapped";

  q.decision = Decision::scheduled;
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[0], ids[2], ids[4], ids[6], ids[8]}));
  q.source = domain::EventSource::csv;
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[0], ids[4], ids[8]}));
  q.decision.reset();
  q.source.reset();
  q.from = at_ms(1'002'000);
  q.to = at_ms(1'005'000);
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[2], ids[3], ids[4]}));
  q.from.reset();
  q.to.reset();
  q.limit = 4;
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[0], ids[1], ids[2], ids[3]}));
  q.after_id = ids[3];
  EXPECT_EQ(list(q), (std::vector<std::int64_t>{ids[4], ids[5], ids[6], ids[7]}));
  q.after_id = ids[9];
  EXPECT_TRUE(list(q).empty());
  q.limit = 0;
  EXPECT_FALSE(repo().list_events(q));
  q.limit = 1001;
  EXPECT_FALSE(repo().list_events(q));
}

// ---- history ----

TEST_F(OutreachStoreTest, HistoryLookups) {
  const TimePoint scheduled_at = clock_.now();
  auto s = scheduling("a", "person-1", "number-1");
  s.visit_time = at_ms(1'699'990'000'000);
  schedule("a", s, "2023-11-15");
  auto s2 = scheduling("b", "person-2", "number-2");
  schedule("b", s2, "2023-11-16");
  clock_.advance(1h);

  Status st = in_tx([&](IntakeTransaction& tx) -> Status {
    auto last = tx.last_contacted("person-1");
    EXPECT_TRUE(last && last->has_value());
    if (last && *last) {
      EXPECT_EQ(**last, scheduled_at);
    }
    EXPECT_FALSE(tx.last_contacted("person-3")->has_value());
    EXPECT_FALSE(tx.last_contacted("")->has_value()) << "no person key matches no one";
    auto visit = tx.last_surveyed_visit("person-1", "tp-u-1");
    EXPECT_TRUE(visit && visit->has_value());
    if (visit && *visit) {
      EXPECT_EQ(**visit, at_ms(1'699'990'000'000));
    }
    EXPECT_FALSE(tx.last_surveyed_visit("person-1", "tp-other")->has_value());
    EXPECT_FALSE(tx.last_surveyed_visit("", "tp-u-1")->has_value());
    EXPECT_EQ(*tx.scheduled_on("tp-u-1", "2023-11-15"), 1);
    EXPECT_EQ(*tx.scheduled_on("tp-u-1", "2023-11-16"), 1);
    EXPECT_EQ(*tx.scheduled_on("tp-u-1", "2023-11-17"), 0);
    EXPECT_EQ(*tx.scheduled_on("tp-other", "2023-11-15"), 0);
    return {};
  });
  ASSERT_TRUE(st);

  // Without a person key the event still counts for the daily cap.
  auto anon = scheduling("c", "", "number-3");
  schedule("c", anon, "2023-11-15");
  st = in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_EQ(*tx.scheduled_on("tp-u-1", "2023-11-15"), 2);
    EXPECT_FALSE(tx.last_contacted("")->has_value());
    return {};
  });
  ASSERT_TRUE(st);

  // Older than the retention: forgotten by the lookups even before a purge.
  clock_.advance(std::chrono::hours(24 * 401));
  st = in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_FALSE(tx.last_contacted("person-1")->has_value());
    EXPECT_FALSE(tx.last_surveyed_visit("person-1", "tp-u-1")->has_value());
    return {};
  });
  ASSERT_TRUE(st);
}

TEST_F(OutreachStoreTest, HistoryRetentionIsAnOption) {
  SqliteOptions o = no_periodic_purge();
  o.person_history_retention = 24h;
  open(o);
  schedule("a");
  clock_.advance(25h);
  Status st = in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_FALSE(tx.last_contacted("person-1")->has_value());
    return {};
  });
  ASSERT_TRUE(st);
  // Reopening purges what is older than the retention.
  EXPECT_EQ(scalar("SELECT count(*) FROM person_history"), "1");
  open(o);
  EXPECT_EQ(scalar("SELECT count(*) FROM person_history"), "0");
}

TEST_F(OutreachStoreTest, DailyCountsFollowScheduleCancelAndPurge) {
  schedule("a", scheduling("a"), "2023-11-15", "visit-A");
  schedule("b", scheduling("b", "person-2", "number-2"), "2023-11-15", "visit-B");
  schedule("c", scheduling("c", "person-3", "number-3"), "2023-11-16", "visit-C");
  auto count = [&](const std::string& day) {
    int n = -1;
    EXPECT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
      auto r = tx.scheduled_on("tp-u-1", day);
      if (!r) return fail(r.error());
      n = *r;
      return {};
    }));
    return n;
  };
  EXPECT_EQ(count("2023-11-15"), 2);
  EXPECT_EQ(count("2023-11-16"), 1);
  ASSERT_TRUE(in_tx([](IntakeTransaction& tx) -> Status {
    auto n = tx.cancel_visit("visit-B");
    return n ? Status{} : Status(fail(n.error()));
  }));
  EXPECT_EQ(count("2023-11-15"), 1);
  EXPECT_EQ(count("2023-11-16"), 1);
  // Days well before the history retention go with the purge.
  clock_.advance(10 * 24h);
  auto deleted = repo().purge_outreach(clock_.now(), clock_.now() - 24h);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(scalar("SELECT count(*) FROM daily_counts"), "0");
  EXPECT_EQ(count("2023-11-15"), 0);
}

// ---- schedule ----

TEST_F(OutreachStoreTest, ScheduleCreatesInvitationContactMessageDialogueAndHistory) {
  auto s = scheduling("a", "person-1", "number-1", /*reply_mode=*/true);
  auto done = schedule("a", s);
  ASSERT_GT(done.message_id, 0);

  auto m = repo().get_message(done.message_id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->event_id, done.event_id);
  EXPECT_GT(m->contact_id, 0);
  EXPECT_GT(m->dialogue_id, 0);
  EXPECT_EQ(m->invitation_id, "inv-a");
  EXPECT_EQ(m->touchpoint, "tp-u-1");
  EXPECT_EQ(m->unit, "u-1");
  EXPECT_EQ(m->kind, OutboxKind::invite);
  EXPECT_EQ(m->sealed_text, bytes("sealed text a"));
  EXPECT_EQ(m->state, OutboxState::pending);
  EXPECT_EQ(m->attempts, 0);
  EXPECT_EQ(m->not_before, s.message.not_before);
  EXPECT_EQ(m->next_attempt_at, s.message.not_before);
  EXPECT_EQ(m->expires_at, s.message.expires_at);
  EXPECT_EQ(m->reference, "ref-a");
  EXPECT_FALSE(m->sent_at);

  auto contact = repo().get_contact(m->contact_id);
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_EQ(contact->number_key, "number-1");
  EXPECT_EQ(contact->sealed_number, bytes("sealed:number-1"));
  EXPECT_EQ(contact->expires_at, s.contact_expires_at);

  auto inv = store_->invitations().find_by_token_hash("hash-a");
  ASSERT_TRUE(inv) << inv.error().message;
  EXPECT_EQ(inv->id, "inv-a");
  EXPECT_EQ(inv->channel, domain::Channel::sms);
  EXPECT_EQ(inv->language, domain::Language::sv);
  EXPECT_EQ(inv->age_group, domain::AgeGroup::from_50_to_64);

  auto d = repo().get_dialogue(m->dialogue_id);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->contact_id, m->contact_id);
  EXPECT_EQ(d->number_key, "number-1");
  EXPECT_EQ(d->invitation_id, "inv-a");
  EXPECT_EQ(d->touchpoint, "tp-u-1");
  EXPECT_EQ(d->language, domain::Language::sv);
  EXPECT_EQ(d->age_group, domain::AgeGroup::from_50_to_64);
  EXPECT_EQ(d->state, DialogueState::awaiting_score);
  EXPECT_FALSE(d->reprompted);
  EXPECT_EQ(d->expires_at, s.contact_expires_at);

  auto msgs = repo().messages_for_event(done.event_id);
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 1u);
  EXPECT_EQ(scalar("SELECT person_key || '|' || touchpoint || '|' || send_day FROM person_history"),
            "person-1|tp-u-1|2023-11-15");

  // Link mode opens no dialogue.
  auto link = schedule("b", scheduling("b", "person-2", "number-2", false));
  EXPECT_EQ(repo().get_message(link.message_id)->dialogue_id, 0);
}

TEST_F(OutreachStoreTest, ScheduleIsAtomicAndGuarded) {
  schedule("a");
  const std::string before = scalar("SELECT (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM outbox)");
  // The same token hash again: the invitation insert fails, the whole work is undone.
  auto s = scheduling("b");
  s.invitation.token_hash = "hash-a";
  std::int64_t event_id = 0;
  Status st = in_tx([&](IntakeTransaction& tx) -> Status {
    auto id = tx.insert_event(event("b"));
    if (!id) return fail(id.error());
    event_id = *id;
    auto m = tx.schedule(*id, "2023-11-15", s);
    return m ? Status{} : Status(fail(m.error()));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::conflict);
  EXPECT_EQ(scalar("SELECT (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM outbox)"), before);
  EXPECT_FALSE(repo().get_event(event_id)) << "the event of the failed work is rolled back with it";

  std::int64_t excluded = insert(event("c", Decision::excluded));
  std::int64_t scheduled = insert(event("d"));
  st = in_tx([&](IntakeTransaction& tx) -> Status {
    auto m = tx.schedule(excluded, "2023-11-15", scheduling("c"));
    EXPECT_FALSE(m);
    if (!m) {
      EXPECT_EQ(m.error().kind, ErrorKind::conflict);
    }
    auto unknown = tx.schedule(9999, "2023-11-15", scheduling("x"));
    EXPECT_FALSE(unknown);
    if (!unknown) {
      EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
    }
    auto first = tx.schedule(scheduled, "2023-11-15", scheduling("d"));
    EXPECT_TRUE(first);
    auto second = tx.schedule(scheduled, "2023-11-15", scheduling("d2"));
    EXPECT_FALSE(second) << "an event is scheduled once";
    auto no_number = scheduling("e");
    no_number.sealed_number.clear();
    EXPECT_FALSE(tx.schedule(scheduled, "2023-11-15", no_number));
    return {};
  });
  EXPECT_TRUE(st);
}

// ---- cancel ----

TEST_F(OutreachStoreTest, CancelVisitUndoesScheduledEventsOfThatVisitOnly) {
  auto a = schedule("a", scheduling("a", "person-1", "number-1", true), "2023-11-15", "visit-V");
  auto b = schedule("b", scheduling("b", "person-1", "number-1"), "2023-11-15", "visit-V");
  auto other = schedule("c", scheduling("c", "person-2", "number-2"), "2023-11-15", "visit-W");
  const std::int64_t contact_a = repo().get_message(a.message_id)->contact_id;
  const std::int64_t dialogue_a = repo().get_message(a.message_id)->dialogue_id;
  // An excluded event of the same visit is left alone.
  std::int64_t excluded = insert(event("x", Decision::excluded, "u-1", "visit-V"));

  int cancelled = -1;
  Status st = in_tx([&](IntakeTransaction& tx) -> Status {
    auto n = tx.cancel_visit("visit-V");
    if (!n) return fail(n.error());
    cancelled = *n;
    EXPECT_EQ(*tx.cancel_visit(""), 0);
    EXPECT_EQ(*tx.cancel_visit("visit-unknown"), 0);
    EXPECT_EQ(*tx.scheduled_on("tp-u-1", "2023-11-15"), 1) << "only visit-W is still scheduled";
    EXPECT_FALSE(tx.last_contacted("person-1")->has_value());
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(cancelled, 2);

  for (auto id : {a, b}) {
    EXPECT_EQ(state(id.message_id), OutboxState::cancelled);
    auto e = repo().get_event(id.event_id);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->decision, Decision::excluded);
    EXPECT_EQ(e->reasons, std::vector<Reason>{Reason::cancelled});
  }
  EXPECT_EQ(repo().get_event(excluded)->reasons, (std::vector<Reason>{Reason::under_age, Reason::no_mobile}));
  auto gone = repo().get_contact(contact_a);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(repo().get_dialogue(dialogue_a));
  EXPECT_EQ(repo().get_message(a.message_id)->contact_id, 0);
  auto inv = store_->invitations().find_by_token_hash("hash-a");
  ASSERT_TRUE(inv);
  EXPECT_LE(inv->expires_at, clock_.now()) << "the invitation of a cancelled visit can no longer be used";

  EXPECT_EQ(state(other.message_id), OutboxState::pending);
  EXPECT_EQ(repo().get_event(other.event_id)->decision, Decision::scheduled);
}

TEST_F(OutreachStoreTest, CancelVisitAfterTheInviteWentOutKeepsTheEvent) {
  auto a = schedule("a", scheduling("a"), "2023-11-15", "visit-V");
  clock_.advance(21h);
  auto claimed = repo().claim_due(clock_.now(), 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_TRUE(repo().mark_sent(a.message_id, clock_.now(), "0: Accepted for delivery"));
  int cancelled = -1;
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    cancelled = *tx.cancel_visit("visit-V");
    return {};
  }));
  EXPECT_EQ(cancelled, 0);
  EXPECT_EQ(state(a.message_id), OutboxState::sent);
  EXPECT_EQ(repo().get_event(a.event_id)->decision, Decision::scheduled);
  EXPECT_TRUE(repo().get_contact(repo().get_message(a.message_id)->contact_id));
}

// ---- durability ----

// Response rates: an SMS invitation is visible to reports (list, by seq) only once
// its invitation message has been handed over -- by mark_sent, or by a delivery
// report for a message in flight at a crash -- never when cancelled or refused.
TEST_F(OutreachStoreTest, AnSmsInvitationIsListedOnlyOnceItsMessageIsHandedOver) {
  Invitation plain;
  plain.id = "inv-plain";
  plain.token_hash = "hash-plain";
  plain.touchpoint = "tp-u-1";
  plain.unit = "u-1";
  plain.channel = domain::Channel::qr;
  plain.created_at = clock_.now();
  plain.expires_at = clock_.now() + 24h;
  ASSERT_TRUE(store_->invitations().create(plain));
  std::map<std::string, Scheduled> sched;
  for (const char* key : {"a", "b", "c"}) {
    auto s = scheduling(key, std::string("person-") + key, std::string("number-") + key);
    s.message.not_before = clock_.now();
    s.message.next_attempt_at = clock_.now();
    sched[key] = schedule(key, s);
  }
  auto listed = [&] {
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto rows = store_->invitations().list(0, 100);
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) {
      for (const auto& inv : *rows) out.emplace_back(inv.id, inv.seq);
    }
    return out;
  };
  using Listed = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(listed(), (Listed{{"inv-plain", 1}})) << "created by create(): listed at once";
  auto a = store_->invitations().get("inv-a");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->seq, 0) << "scheduled, not yet released";
  EXPECT_EQ(store_->invitations().get("nope").error().kind, ErrorKind::not_found);

  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 3u);
  ASSERT_TRUE(repo().mark_sent(sched["a"].message_id, clock_.now(), "ok"));
  ASSERT_TRUE(repo().mark_failed(sched["c"].message_id, clock_.now(), "refused"));
  EXPECT_EQ(listed(), (Listed{{"inv-plain", 1}, {"inv-a", 2}}));
  EXPECT_EQ(store_->invitations().list(1, 10)->front().id, "inv-a") << "after the engine's cursor";
  // A second mark (the report got there first) releases nothing twice.
  ASSERT_TRUE(repo().delivery_report("ref-a", 1, clock_.now()));
  EXPECT_EQ(listed(), (Listed{{"inv-plain", 1}, {"inv-a", 2}}));

  // b was in flight at a crash; its delivery report says it went.
  ASSERT_EQ(*repo().recover_in_flight(clock_.now()), 1);
  EXPECT_EQ(listed().size(), 2u);
  ASSERT_TRUE(repo().delivery_report("ref-b", 8, clock_.now()));
  EXPECT_EQ(listed(), (Listed{{"inv-plain", 1}, {"inv-a", 2}, {"inv-b", 3}}));
  // A later plain invitation takes the next seq.
  plain.id = "inv-plain-2";
  plain.token_hash = "hash-plain-2";
  ASSERT_TRUE(store_->invitations().create(plain));
  EXPECT_EQ(listed().back(), (std::pair<std::string, std::int64_t>{"inv-plain-2", 4}));
  EXPECT_EQ(store_->invitations().get("inv-c")->seq, 0) << "refused: never an invitation for reports";
}

TEST_F(OutreachStoreTest, EverythingSurvivesReopening) {
  auto a = schedule("a", scheduling("a", "person-1", "number-1", true));
  ASSERT_TRUE(repo().add_opt_out("number-7", "person-7", clock_.now()));
  clock_.advance(21h);
  ASSERT_EQ(repo().claim_due(clock_.now(), 10)->size(), 1u);
  open();
  auto m = repo().get_message(a.message_id);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->state, OutboxState::sending);
  EXPECT_EQ(m->attempts, 1);
  EXPECT_TRUE(repo().get_event(a.event_id));
  EXPECT_TRUE(repo().get_contact(m->contact_id));
  EXPECT_TRUE(repo().get_dialogue(m->dialogue_id));
  EXPECT_TRUE(*repo().is_opted_out("number-7"));
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_TRUE(*tx.opted_out("person-7", {}));
    EXPECT_TRUE(tx.last_contacted("person-1")->has_value());
    return {};
  }));
}

// ---- responses.late ----

TEST_F(OutreachStoreTest, ResponseLateRoundTrips) {
  auto on_time = testing::sample_response("k1");
  auto late = testing::sample_response("k2");
  late.late = true;
  auto a = store_->responses().append(on_time);
  auto b = store_->responses().append(late);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(store_->responses().get(a->id)->late);
  EXPECT_TRUE(store_->responses().get(b->id)->late);
  EXPECT_EQ(scalar("SELECT group_concat(late) FROM responses"), "0,1");
}

TEST(OutreachMigration, DatabaseWrittenByVersion3Migrates) {
  testing::TempDir dir;
  const auto db = sqlite_database_file(dir.path());
  ManualClock clock(at_ms(1'700'000'000'000));
  std::string sql = "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations("
                    " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
  for (int i = 0; i < 3; ++i) sql += std::string(sqlite::migrations().at(static_cast<std::size_t>(i)));
  sql += "INSERT INTO schema_migrations VALUES(1, 0), (2, 0), (3, 0);"
         "INSERT INTO responses(id, submission_key, model_version, touchpoint, unit, survey, channel, language,"
         " respondent, answered_at, answers, created_at) VALUES(1, 'old', 'mv', 'tp', 'u-1', 'core', 'sms', 'fi',"
         " 'relative', 1700000000000, '{\"nps\":9}', 0);";
  std::string err;
  ASSERT_EQ(testing::raw_exec(db, sql, &err), SQLITE_OK) << err;
  {
    auto store = open_sqlite_store(dir.path(), clock);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->schema_version(), kaiku::storage::testing::latest_schema_version());
    auto old = (*store)->responses().get(1);
    ASSERT_TRUE(old) << old.error().message;
    EXPECT_FALSE(old->late);
    ASSERT_TRUE((*store)->outreach().add_opt_out("n", "", clock.now()));
  }
  auto again = open_sqlite_store(dir.path(), clock);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(testing::raw_scalar(db, "SELECT count(*) FROM schema_migrations"),
            std::to_string(kaiku::storage::testing::latest_schema_version()));
  EXPECT_TRUE(*(*again)->outreach().is_opted_out("n"));
}

}  // namespace
}  // namespace kaiku::storage
