// The storage interface: repositories behind one Store. Implementations:
// storage/sqlite (embedded default). A PostgreSQL implementation implements the
// same interfaces; nothing above this layer names a backend.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "domain/access.hpp"
#include "domain/response.hpp"

namespace kaiku::storage {

class OutreachRepository;  // storage/outreach_store.hpp
class SessionRepository;   // storage/session_store.hpp
class CaseRepository;      // storage/case_store.hpp
class ActionRepository;    // storage/action_store.hpp
class MailRepository;      // storage/mail_store.hpp

struct AppendOutcome {
  std::int64_t id = 0;      // the stored response's id
  bool duplicate = false;   // the submission key had been stored before; nothing new written
};

// Filter for listing responses. The caller (service layer) always restricts `units`
// to the principal's scope; an empty `units` means "no rows", never "all".
struct ResponseQuery {
  std::vector<std::string> units;
  std::optional<std::string> touchpoint;
  std::optional<domain::Channel> channel;
  std::optional<TimePoint> from;     // inclusive, by answered_at
  std::optional<TimePoint> to;       // exclusive
  std::int64_t after_id = 0;         // cursor: only ids greater than this
  int limit = 100;                   // 1..1000
};

// The start of the message of the conflict append() returns when a submission
// key comes back with different content (see ResponseRepository::append).
inline constexpr std::string_view kSubmissionKeyReused = "submission_key reused with different content";

class ResponseRepository {
 public:
  virtual ~ResponseRepository() = default;
  // Stores a response durably (the commit is fsync'd) before returning; concurrent
  // callers share commits (group commit). Idempotent on `submission_key`: a key seen
  // before returns the first id with duplicate = true. When `r.invitation` is set,
  // the invitation is marked used in the same transaction; a used or unknown
  // invitation fails with ErrorKind::conflict and stores nothing.
  // Since schema 2 (additions):
  //  - "the same submission" means the same content (storage/fingerprint.hpp:
  //    everything but answered_at and model_version); a key seen before with
  //    OTHER content fails with ErrorKind::conflict, message starting with
  //    kSubmissionKeyReused, and stores nothing;
  //  - a kiosk tap takes one follow-up: a second response with the same non-zero
  //    `supplements` (and another key) fails with ErrorKind::conflict,
  //    "response N already has a follow-up";
  //  - consuming an invitation also clears its event_ref (privacy).
  virtual Result<AppendOutcome> append(const domain::Response& r) = 0;
  // Since schema 3: stores many responses in one durable transaction (bulk loads
  // such as `kaiku gen`), with append()'s rules for each; one outcome per response,
  // in order. Fails as a whole (nothing stored) if any response fails.
  virtual Result<std::vector<AppendOutcome>> append_batch(const std::vector<domain::Response>& rs) = 0;
  // Responses matching `q`, ascending by id, without contact details.
  virtual Result<std::vector<domain::Response>> list(const ResponseQuery& q) = 0;
  // Every response with id > after_id whatever its unit, ascending by id, at most
  // `limit` (1..10000), without contact details. For internal consumers only (the
  // reporting engine's catch-up, the data-lake export), never for staff reads.
  virtual Result<std::vector<domain::Response>> scan(std::int64_t after_id, int limit) = 0;
  // One response by id, without contact details; not_found if absent.
  virtual Result<domain::Response> get(std::int64_t id) = 0;
  // The contact request stored with a response, if any (and not yet expired).
  virtual Result<std::optional<domain::ContactRequest>> contact_for(std::int64_t response_id) = 0;
  // Number of stored responses.
  virtual Result<std::int64_t> count() = 0;
  // Deletes contact details whose retention ended at or before `now` (privacy);
  // returns how many were deleted. The responses themselves stay. Backends that
  // cannot do this return ErrorKind::internal. (The SQLite store also runs this
  // by itself at open and every SqliteOptions::purge_interval.)
  virtual Result<std::int64_t> purge_expired_contacts(TimePoint now) {
    (void)now;
    return fail(Error::internal("purge_expired_contacts: not implemented by this storage backend"));
  }
};

// Since schema 5: free-text originals and analyses. Responses carry their
// CommentInsights (stored by append(), returned by list/scan/get) and their
// SealedOriginals (stored by append(), read only here). A response "needs analysis"
// when it has a non-empty open-text answer without an insight for that question
// (responses stored before schema 5, or by a writer without an analyser).
class CommentRepository {
 public:
  virtual ~CommentRepository() = default;
  // The sealed originals of a response that have not expired at `now` (empty when
  // none; not_found when the response does not exist).
  virtual Result<std::vector<domain::SealedOriginal>> originals(std::int64_t response_id, TimePoint now) = 0;
  // Responses with id > after_id that need analysis, ascending, at most `limit`
  // (1..10000), as list() returns them (text as stored).
  virtual Result<std::vector<domain::Response>> needing_analysis(std::int64_t after_id, int limit) = 0;
  // Replaces the open-text answers of an existing response by their redacted form
  // and stores its insights and sealed originals, in one durable transaction.
  // `redacted.answers` must have the same keys as the stored answers and differ only
  // in `text`; otherwise invalid_input and nothing changes. not_found for an unknown id.
  // The response's content fingerprint is recomputed over the redacted texts (so no
  // hash of an original stays): it equals the fingerprint of an append of the
  // redacted response, and a retry redacted the same way is still a duplicate.
  virtual Status store_analysis(const domain::Response& redacted) = 0;
  // Checkpoints and truncates the WAL so that replaced texts (store_analysis) leave
  // the disk; call it after a run of store_analysis (e.g. a backfill). unavailable
  // when readers keep the WAL busy; the store's periodic purge then tries again.
  virtual Status flush_replaced_texts() = 0;
  // Deletes sealed originals whose expiry is at or before `now`; returns how many.
  // (The SQLite store also runs this with the contact purge.)
  virtual Result<std::int64_t> purge_expired_originals(TimePoint now) = 0;
};

// A personal survey invitation (/i/{token}). The token itself is never stored,
// only its SHA-256 hash. Carries no personal data.
struct Invitation {
  // The store's sequence number, assigned by create(); for an SMS invitation made
  // by OutreachRepository's schedule() 0 until its invitation SMS is handed over
  // to the gateway (see outreach_store.hpp), and only then visible to list().
  std::int64_t seq = 0;
  std::string id;             // public id, random
  std::string token_hash;     // hex SHA-256 of the token
  std::string touchpoint;
  std::string unit;
  std::string event_ref;      // the outside event id (e.g. visit id), opaque; "" once used
  domain::Language language = domain::Language::fi;
  domain::Channel channel = domain::Channel::sms;
  domain::AgeGroup age_group = domain::AgeGroup::unknown;  // coarse, for reports (schema 3)
  TimePoint created_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> used_at;
};

class InvitationRepository {
 public:
  virtual ~InvitationRepository() = default;
  // Stores a new invitation; conflict if the token hash exists.
  virtual Status create(const Invitation& inv) = 0;
  // Finds by token hash; not_found if absent.
  virtual Result<Invitation> find_by_token_hash(const std::string& token_hash) = 0;
  // Finds by public id; not_found if absent.
  virtual Result<Invitation> get(const std::string& id) = 0;
  // Invitations with seq > after_seq, ascending, at most `limit` (1..10000); for the
  // reporting engine (response rates). Invitations without a seq yet (SMS
  // invitations not handed over) are not listed; seqs grow in commit order, so a
  // cursor never skips one that appears later.
  virtual Result<std::vector<Invitation>> list(std::int64_t after_seq, int limit) = 0;
};

struct User {
  std::int64_t id = 0;
  std::string login;
  std::string password_hash;  // argon2id, libsodium's encoded string
  domain::Role role = domain::Role::analyst;
  std::string scope_unit;
  bool disabled = false;
  std::string email;          // since schema 6 ("" = none): alerts are sent here
};

struct ApiToken {
  std::int64_t user_id = 0;
  std::string token_hash;     // hex SHA-256 of the bearer token
  TimePoint created_at{};
  std::optional<TimePoint> expires_at;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Adds a user; conflict if the login exists. Returns the new id.
  virtual Result<std::int64_t> add(const User& u) = 0;
  virtual Result<User> find_by_login(const std::string& login) = 0;
  virtual Result<User> find_by_id(std::int64_t id) = 0;
  virtual Status add_token(const ApiToken& t) = 0;
  // The user owning an unexpired, unrevoked token; unauthorized if none.
  virtual Result<User> user_for_token(const std::string& token_hash, TimePoint now) = 0;
  // Every user, by id (the workspace: assignees, alert recipients). Since schema 6
  // with `email`. Implemented by the sign-in work.
  virtual Result<std::vector<User>> list() = 0;
  // Sets a user's e-mail address ("" clears it); not_found for an unknown id.
  virtual Status set_email(std::int64_t user_id, const std::string& email) = 0;
};

// One read of response data by staff.
struct AuditEntry {
  TimePoint at{};
  std::int64_t user_id = 0;
  std::string login;
  std::string action;       // "responses.list", "responses.get", "contact.read", ...
  std::string object;       // what was read: query text or response ids
  std::int64_t count = 0;   // how many records were returned
  std::int64_t id = 0;      // the entry's id, ascending with time; set by query(), ignored by record()
};

// Which audit entries AuditLog::query returns. Empty fields match everything.
struct AuditFilter {
  std::string login;                 // exactly this login
  std::vector<std::string> actions;  // any of these actions, exactly
  std::optional<TimePoint> from;     // at or after
  std::optional<TimePoint> to;       // before
  std::int64_t before_id = 0;        // cursor: only ids below this (0: from the newest)
  int limit = 100;                   // 1..1000
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends durably. Reads that cannot be audited must not be served.
  virtual Status record(const AuditEntry& e) = 0;
  // Most recent entries first.
  virtual Result<std::vector<AuditEntry>> recent(int limit) = 0;
  // Since the workspace (additive): the entries matching `f`, newest (highest id)
  // first, at most f.limit, with their ids set; the next page is the same filter
  // with before_id = the last id returned. invalid_input for a limit outside
  // 1..1000. Backends that cannot do this return ErrorKind::internal.
  virtual Result<std::vector<AuditEntry>> query(const AuditFilter& f) {
    (void)f;
    return fail(Error::internal("audit query: not implemented by this storage backend"));
  }
};

// A remembered model version and its last publication (since schema 9).
struct ModelVersionInfo {
  std::string version;
  TimePoint remembered_at{};
  std::optional<TimePoint> published_at;  // the last time it was published; none: never
  std::int64_t published_by_user = 0;     // 0: loaded from a file at start (or never published)
  std::string published_by;               // the login; "" as above
  bool current = false;                   // the version published last (served)
};

class ModelVersionRepository {
 public:
  virtual ~ModelVersionRepository() = default;
  // Records a model version (content hash) and its canonical JSON once; a known
  // version is left untouched.
  virtual Status remember(const std::string& version, const std::string& model_json, TimePoint at) = 0;
  // The canonical JSON of a stored version; not_found if absent.
  virtual Result<std::string> load(const std::string& version) = 0;
  // The version remembered most recently; not_found when none.
  virtual Result<std::string> latest() = 0;

  // Since schema 9: publications (which version is served; docs/model-format.md).
  // Every remembered version, the most recently remembered first, each with its
  // last publication (if any) and whether it is the current one.
  virtual Result<std::vector<ModelVersionInfo>> list() {
    return fail(Error::internal("model_versions().list: not implemented by this storage backend"));
  }
  // Makes a remembered `version` the published (served) one, durably: by `user_id`
  // and `login`, or user_id 0 and login "" for a model loaded from a file at start.
  // Publishing the current version again records another publication. not_found
  // when the version was never remembered.
  virtual Status publish(const std::string& version, std::int64_t user_id, const std::string& login,
                         TimePoint at) {
    (void)version, (void)user_id, (void)login, (void)at;
    return fail(Error::internal("model_versions().publish: not implemented by this storage backend"));
  }
  // The version published last (the one to serve); not_found when none ever was.
  virtual Result<std::string> published() {
    return fail(Error::internal("model_versions().published: not implemented by this storage backend"));
  }
};

// All repositories of one database. Thread-safe: every method may be called from
// any thread.
class Store {
 public:
  virtual ~Store() = default;
  virtual ResponseRepository& responses() = 0;
  virtual InvitationRepository& invitations() = 0;
  virtual UserRepository& users() = 0;
  virtual AuditLog& audit() = 0;
  virtual ModelVersionRepository& model_versions() = 0;
  // Since schema 4: SMS outreach (events, outbox, contacts, dialogues, opt-outs).
  virtual OutreachRepository& outreach() = 0;
  // Since schema 5: sealed originals and analyses of free text.
  virtual CommentRepository& comments() = 0;
  // Since schema 6: staff sessions, login failures, second factors.
  virtual SessionRepository& sessions() = 0;
  // Since schema 7: the feedback inbox (cases, their handling and history).
  virtual CaseRepository& cases() = 0;
  // Since schema 8: development actions ("you said, we did").
  virtual ActionRepository& actions() = 0;
  // Since schema 10: outgoing e-mail and alert notifications.
  virtual MailRepository& mail() = 0;
  // Current schema version (number of applied migrations).
  virtual int schema_version() = 0;
  // Since schema 3: this database's instance id, 32 lowercase hex digits, drawn at
  // random when the database was created (or migrated to schema 3) and never
  // changed. A copy of the database (a backup) keeps the id; any other database
  // has another. Caches derived from the database (the reporting engine's
  // snapshot) are named after it so that they never apply to another database.
  virtual std::string instance_id() = 0;
};

}  // namespace kaiku::storage
