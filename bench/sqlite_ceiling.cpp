// bench_sqlite_ceiling [SECONDS=5] [BATCH=256]
//
// The raw SQLite ceiling for bench/ingest: how many response rows per second one
// thread can insert with the same durability as Kaiku (WAL, synchronous=FULL, so
// one fsync per commit), into a fresh database with Kaiku's real schema (the
// responses table with its UNIQUE submission_key, indexes and append-only
// triggers), BATCH rows per transaction, each with a ~300-byte answers JSON.
// Run with BATCH=1 for the one-commit-per-row figure.
// Last line: "rows_per_s=<n> batch=<B> rows=<n> seconds=<s> commits_per_s=<n>".
//
// bench_sqlite_ceiling SECONDS BATCH store THREADS
// instead measures Kaiku's own path: THREADS callers of
// Store::responses().append() through the group-commit writer (BATCH is its
// max_batch). Last line: "rows_per_s=<n> threads=<T> rows=<n> seconds=<s> p99_ms=<x>".
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite_store.hpp"

namespace {

int die(const char* what, sqlite3* db) {
  std::fprintf(stderr, "bench_sqlite_ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  return 1;
}

const char* kAnswers =
    R"({"nps":9,"treated_well":4,"understood":5,"involved":"cant_say","information":4,"safe":5,)"
    R"("channels":["phone","web"],"went_well":"Hoitaja oli ystävällinen ja selitti asiat selkeästi.",)"
    R"("improve":"Odotusaika oli pitkä ja aulassa oli kylmä. Parkkipaikkoja oli vähän."})";

// THREADS callers appending through the real Store for SECONDS.
int store_mode(const std::filesystem::path& dir, double seconds, long batch, int threads) {
  using Clock = std::chrono::steady_clock;
  kaiku::SystemClock clock;
  kaiku::storage::SqliteOptions options;
  options.max_batch = static_cast<std::size_t>(batch);
  auto store = kaiku::storage::open_sqlite_store(dir, clock, options);
  if (!store) {
    std::fprintf(stderr, "bench_sqlite_ceiling: %s\n", store.error().message.c_str());
    return 1;
  }
  kaiku::domain::Response r;
  r.model_version = "mv";
  r.touchpoint = "tp-outpatient";
  r.unit = "u-1";
  r.survey = "core";
  for (const char* k : {"nps", "treated_well", "understood", "information", "safe"}) {
    kaiku::domain::Answer a;
    a.key = k;
    a.number = 4;
    r.answers.push_back(a);
  }
  kaiku::domain::Answer text;
  text.key = "went_well";
  text.text = "Hoitaja oli ystävällinen ja selitti asiat selkeästi. Odotusaika oli pitkä ja aulassa oli kylmä.";
  r.answers.push_back(text);

  std::atomic<long> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::vector<double> latencies_ms;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      kaiku::domain::Response mine = r;
      std::vector<double> local;
      while (Clock::now() < deadline && !failed) {
        mine.submission_key = std::to_string(next++);
        mine.submission_key.insert(0, 1, 'k');
        const auto t0 = Clock::now();
        auto out = (*store)->responses().append(mine);
        if (!out) {
          std::fprintf(stderr, "append: %s\n", out.error().message.c_str());
          failed = true;
          break;
        }
        local.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), local.begin(), local.end());
    });
  }
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed || latencies_ms.empty()) return 1;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p99 = latencies_ms[static_cast<std::size_t>(0.99 * (latencies_ms.size() - 1))];
  std::printf("rows_per_s=%.0f threads=%d rows=%zu seconds=%.2f p99_ms=%.2f\n", latencies_ms.size() / elapsed,
              threads, latencies_ms.size(), elapsed, p99);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const long batch = argc > 2 ? std::atol(argv[2]) : 256;
  if (seconds <= 0 || batch < 1) {
    std::fprintf(stderr, "usage: bench_sqlite_ceiling [SECONDS>0] [BATCH>=1] [store THREADS]\n");
    return 2;
  }

  std::string tmpl = (std::filesystem::temp_directory_path() / "kaiku-sqlite-ceiling-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = tmpl;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};

  if (argc > 4 && std::string(argv[3]) == "store") return store_mode(dir, seconds, batch, std::atoi(argv[4]));

  using namespace kaiku::storage::sqlite;
  auto conn = Connection::open(dir / "kaiku.db", ConnectionOptions{true, false, std::chrono::milliseconds(5000), 0});
  if (!conn) {
    std::fprintf(stderr, "bench_sqlite_ceiling: %s\n", conn.error().message.c_str());
    return 1;
  }
  auto mode = (*conn)->scalar_text("PRAGMA journal_mode=WAL");
  auto sync = (*conn)->scalar_text("PRAGMA synchronous");
  if (!mode || *mode != "wal" || !sync || *sync != "2") {
    std::fprintf(stderr, "bench_sqlite_ceiling: could not set WAL + synchronous=FULL\n");
    return 1;
  }
  if (auto v = migrate(**conn, 0); !v) {
    std::fprintf(stderr, "bench_sqlite_ceiling: %s\n", v.error().message.c_str());
    return 1;
  }
  sqlite3* db = (*conn)->raw();

  // ~300 bytes: the shape of a core-survey answer.
  const std::string answers = kAnswers;

  sqlite3_stmt* ins = nullptr;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO responses(submission_key, model_version, touchpoint, unit, survey, channel,"
                         " language, respondent, answered_at, answers, feedback_kind, created_at)"
                         " VALUES(?1, 'mv', 'tp-outpatient', 'u-1', 'core', 'web', 'fi', 'self', ?2, ?3, '', ?2)"
                         " ON CONFLICT(submission_key) DO NOTHING",
                         -1, &ins, nullptr) != SQLITE_OK) {
    return die("prepare", db);
  }
  sqlite3_stmt *begin = nullptr, *commit = nullptr;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);

  long rows = 0, commits = 0;
  char key[32];
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    if (sqlite3_step(begin) != SQLITE_DONE) return die("BEGIN", db);
    sqlite3_reset(begin);
    for (long i = 0; i < batch; ++i) {
      // 22 characters like a form's one-time key; sequential but unique.
      std::snprintf(key, sizeof key, "k%021ld", rows + i);
      sqlite3_bind_text(ins, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(ins, 2, 1'700'000'000'000 + rows + i);
      sqlite3_bind_text(ins, 3, answers.data(), static_cast<int>(answers.size()), SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) return die("INSERT", db);
      sqlite3_reset(ins);
    }
    if (sqlite3_step(commit) != SQLITE_DONE) return die("COMMIT", db);
    sqlite3_reset(commit);
    rows += batch;
    ++commits;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(ins);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  std::printf("rows_per_s=%.0f batch=%ld rows=%ld seconds=%.2f commits_per_s=%.0f\n", rows / elapsed, batch, rows,
              elapsed, commits / elapsed);
  return 0;
}
