// IntakeTransaction lookups added for the review fixes: the scheduled event of a
// visit (one invitation per visit) and the person history by number key (contact
// cap and follow-up rule for events without identity code).
#include <gtest/gtest.h>

#include "storage/outreach_test_util.hpp"

namespace kaiku::storage::testing {
namespace {

using IntakeLookupTest = OutreachTest;

TEST_F(IntakeLookupTest, ScheduledForVisitFindsTheFirstScheduledEventOfTheVisit) {
  const Scheduled first = schedule("a", scheduling("a"), "2023-11-15", "visit-x");
  insert(event("b", domain::Decision::excluded, "u-1", "visit-y"));  // not scheduled
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    auto x = tx.scheduled_for_visit("visit-x");
    if (!x) return fail(x.error());
    EXPECT_TRUE(x->has_value());
    if (*x) {
      EXPECT_EQ((*x)->id, first.event_id);
      EXPECT_EQ((*x)->decision, domain::Decision::scheduled);
    }
    auto y = tx.scheduled_for_visit("visit-y");
    EXPECT_TRUE(y && !y->has_value()) << "an excluded event is no scheduled one";
    auto none = tx.scheduled_for_visit("visit-z");
    EXPECT_TRUE(none && !none->has_value());
    auto empty = tx.scheduled_for_visit("");
    EXPECT_TRUE(empty && !empty->has_value()) << "no visit key matches no visit";
    return {};
  }));
  // Cancelled: the visit has no scheduled event any more.
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    auto n = tx.cancel_visit("visit-x");
    if (!n) return fail(n.error());
    EXPECT_EQ(*n, 1);
    auto x = tx.scheduled_for_visit("visit-x");
    EXPECT_TRUE(x && !x->has_value());
    return {};
  }));
}

TEST_F(IntakeLookupTest, HistoryIsFoundByNumberKeyWhenThePersonIsUnknown) {
  schedule("a", scheduling("a", "", "number-1"));
  schedule("b", scheduling("b", "person-2", "number-2"));
  EXPECT_EQ(scalar("SELECT group_concat(number_key, ',') FROM person_history ORDER BY id"), "number-1,number-2");
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_TRUE(tx.last_contacted("", {"number-1"})->has_value());
    EXPECT_EQ(tx.last_contacted("", {"number-9", "number-1"})->value_or(TimePoint{}), clock_.now());
    EXPECT_FALSE(tx.last_contacted("", {"number-9"})->has_value());
    EXPECT_FALSE(tx.last_contacted("", {})->has_value());
    EXPECT_FALSE(tx.last_contacted("", {""})->has_value()) << "an empty key matches no row without a number";
    // A known person's row is found by its number too, and by the person alone.
    EXPECT_TRUE(tx.last_contacted("", {"number-2"})->has_value());
    EXPECT_TRUE(tx.last_contacted("person-2")->has_value());
    EXPECT_TRUE(tx.last_contacted("person-9", {"number-1"})->has_value());
    EXPECT_FALSE(tx.last_contacted("person-9", {"number-9"})->has_value());
    // Follow-up: the visit time at the touchpoint, by number.
    auto here = tx.last_surveyed_visit("", "tp-u-1", {"number-1"});
    EXPECT_TRUE(here && here->has_value());
    if (here && *here) {
      EXPECT_EQ(**here, clock_.now() - 2h);
    }
    EXPECT_FALSE(tx.last_surveyed_visit("", "tp-other", {"number-1"})->has_value());
    EXPECT_FALSE(tx.last_surveyed_visit("", "tp-u-1", {})->has_value());
    return {};
  }));
  // Beyond the history's retention nothing is found.
  clock_.advance(24h * 401);
  ASSERT_TRUE(in_tx([&](IntakeTransaction& tx) -> Status {
    EXPECT_FALSE(tx.last_contacted("", {"number-1"})->has_value());
    EXPECT_FALSE(tx.last_surveyed_visit("", "tp-u-1", {"number-1"})->has_value());
    return {};
  }));
}

}  // namespace
}  // namespace kaiku::storage::testing
