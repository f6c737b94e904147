// bench_report [--responses N] [--seed S] [--reps R] [--sqlite-reps R] [--model DIR]
//              [--no-sqlite]
//
// The reporting engine at national scale, against SQL GROUP BY on SQLite over the
// same data, in the same run:
//  1. loads the demo model (models/demo, or --model), generates N synthetic
//     responses (default 10,000,000) over three years with generate_responses and
//     adds them to an analytics::Engine (ids 1..N), timing the additions; the same
//     rows go into a wide SQLite table (one transaction, prepared statement);
//  2. saves a snapshot and loads it into a fresh Engine in a fresh process
//     (load_s), measuring the resident memory that engine holds there
//     (/proc/self/statm, after minus before, per response) next to its own
//     memory_bytes(); then loads it into a fresh Engine here for the queries;
//  3. runs a dashboard query mix on the engine (>= 20 repetitions each): county
//     NPS by month for 13 months; every unit under an area with NPS and
//     intervals for a year; unit x touchpoint for a quarter; a statement (THL
//     agreement) by unit; rolling 30 days NPS by channel; and the area query
//     with standardisation and comparisons (engine only). Then the same
//     aggregations as SQL on SQLite (indexes on (day) and (unit, day); a subtree
//     as unit IN (...), rolled up to the area's children in C++), fewer reps;
//  4. checks that every group's n agrees between the two (MISMATCH -> exit 1).
// Last line:
//   RESULT p95_ms=… sqlite_speedup=… load_s=… bytes_per_answer=…
// p95_ms is over the five-query dashboard mix of the issue (the standardised +
// compare query is reported on its own line and in an "all queries" p95);
// load_s is the load in a fresh process; sqlite_speedup is the geometric mean over the shared queries of SQLite's median
// time over the engine's median time; bytes_per_answer is resident bytes per response.
#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytics/engine.hpp"
#include "analytics/synthetic.hpp"
#include "modelfile/loader.hpp"

namespace {

using namespace kaiku;
using namespace kaiku::analytics;
using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

// The temporary directory of this run, removed at exit (also after an error).
std::filesystem::path g_dir;

void remove_dir() {
  std::error_code ec;
  if (!g_dir.empty()) std::filesystem::remove_all(g_dir, ec);
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_report: %s\n", what.c_str());
  std::exit(1);
}

std::int64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

struct Args {
  std::int64_t responses = 10'000'000;
  std::uint64_t seed = 1;
  int reps = 25;
  int sqlite_reps = 3;
  bool sqlite = true;
  std::string model;
};

Args parse_args(int argc, char** argv) {
  Args a;
  if (const char* src = std::getenv("KAIKU_SOURCE_DIR")) a.model = std::string(src) + "/models/demo";
  else a.model = "models/demo";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + ": needs a value");
      return argv[++i];
    };
    auto number = [&](const std::string& v) -> long long {
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 0) die(arg + ": expected a non-negative whole number, got '" + v + "'");
      return n;
    };
    if (arg == "--responses") a.responses = number(value());
    else if (arg == "--seed") a.seed = static_cast<std::uint64_t>(number(value()));
    else if (arg == "--reps") a.reps = std::max<int>(1, static_cast<int>(number(value())));
    else if (arg == "--sqlite-reps") a.sqlite_reps = std::max<int>(1, static_cast<int>(number(value())));
    else if (arg == "--model") a.model = value();
    else if (arg == "--no-sqlite") a.sqlite = false;
    else if (arg == "--help" || arg == "-h") {
      std::printf("usage: bench_report [--responses N] [--seed S] [--reps R] [--sqlite-reps R] [--model DIR] [--no-sqlite]\n");
      std::exit(0);
    } else {
      die("unknown argument '" + arg + "' (see --help)");
    }
  }
  if (a.responses < 1) die("--responses: at least 1");
  return a;
}

// ---------------------------------------------------------------------------
// SQLite: the wide table.

class Sqlite {
 public:
  explicit Sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) die("sqlite open: " + std::string(sqlite3_errmsg(db_)));
    exec("PRAGMA journal_mode=OFF");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA cache_size=-262144");  // 256 MiB page cache
    exec("PRAGMA temp_store=MEMORY");
    exec("PRAGMA mmap_size=4294967296");
  }
  ~Sqlite() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      die("sqlite: " + msg + " in: " + sql);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      die("sqlite prepare: " + std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    return st;
  }
  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Dictionary codes for the SQLite columns (integers, the sensible schema).
struct Codes {
  std::map<std::string, int> unit, touchpoint, journey;
  std::vector<std::string> unit_ids, touchpoint_ids;
  std::vector<std::string> statements;        // numeric question keys other than nps
  std::map<std::string, int> statement_index;

  explicit Codes(const domain::Model& m) {
    for (const auto& u : m.units) {
      unit.emplace(u.id, static_cast<int>(unit_ids.size()));
      unit_ids.push_back(u.id);
    }
    for (const auto& t : m.touchpoints) {
      touchpoint.emplace(t.id, static_cast<int>(touchpoint_ids.size()));
      touchpoint_ids.push_back(t.id);
    }
    for (std::size_t i = 0; i < m.journeys.size(); ++i) journey.emplace(m.journeys[i].id, static_cast<int>(i));
    for (const auto& s : m.surveys)
      for (const auto& q : s.questions) {
        const bool scale = q.type == domain::QuestionType::agreement || q.type == domain::QuestionType::smiley3 ||
                           q.type == domain::QuestionType::smiley5;
        if (scale && statement_index.emplace(q.key, static_cast<int>(statements.size())).second)
          statements.push_back(q.key);
      }
  }
};

// ---------------------------------------------------------------------------
// The query mix.

// A group's key ("unit|touchpoint") -> n; for the engine, -1 = suppressed (n hidden).
using Groups = std::map<std::string, std::int64_t>;

struct Mix {
  std::string name;
  std::function<Query(int rep)> engine;
  std::function<Groups(int rep, Sqlite&)> sql;  // empty: engine only
  std::vector<double> engine_ms, sqlite_ms;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

Groups groups_of(const Table& t) {
  Groups g;
  for (const Cell& c : t.cells) {
    std::string key;
    for (const auto& [dim, value] : c.group) key += (key.empty() ? "" : "|") + value;
    g[key] = c.figure ? c.figure->n : -1;
  }
  return g;
}

void check(const std::string& name, int rep, const Groups& engine, const Groups& sql, int threshold) {
  bool ok = true;
  for (const auto& [key, n] : engine) {
    auto it = sql.find(key);
    const std::int64_t s = it == sql.end() ? 0 : it->second;
    if (n >= 0 ? n != s : s <= 0) {
      std::printf("MISMATCH %s rep %d group '%s': engine n=%lld sqlite n=%lld\n", name.c_str(), rep, key.c_str(),
                  static_cast<long long>(n), static_cast<long long>(s));
      ok = false;
    }
  }
  for (const auto& [key, s] : sql) {
    if (!engine.count(key)) {
      std::printf("MISMATCH %s rep %d group '%s': missing in the engine (sqlite n=%lld)\n", name.c_str(), rep,
                  key.c_str(), static_cast<long long>(s));
      ok = false;
    }
  }
  for (const auto& [key, n] : engine)
    if (n >= 0 && n < threshold) {
      std::printf("MISMATCH %s rep %d group '%s': shown with n=%lld below the threshold\n", name.c_str(), rep,
                  key.c_str(), static_cast<long long>(n));
      ok = false;
    }
  if (!ok) std::exit(1);
}

// `bench_report --measure-load SNAPSHOT MODEL N`: in a fresh process (no heap left
// over from generating, no SQLite cache), the resident memory a loaded engine
// holds and the load time. Prints "LOAD <seconds> <resident bytes> <memory_bytes>".
int measure_load(const std::string& snapshot, const std::string& model_dir) {
  auto loaded = modelfile::load_model(model_dir);
  if (!loaded) die("cannot load the model at " + model_dir);
  auto model = std::make_shared<const domain::Model>(std::move(*loaded));
  (void)TimeZone::helsinki();
  malloc_trim(0);
  const std::int64_t before = resident_bytes();
  auto engine = std::make_unique<Engine>(model);
  const auto t0 = SteadyClock::now();
  if (auto st = engine->load_snapshot(snapshot); !st) die("load_snapshot: " + st.error().message);
  const double load_s = seconds_since(t0);
  malloc_trim(0);
  const std::int64_t after = resident_bytes();
  std::printf("LOAD %.6f %lld %zu\n", load_s, static_cast<long long>(after - before), engine->memory_bytes());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--measure-load") return measure_load(argv[2], argv[3]);
  const Args args = parse_args(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  auto loaded = modelfile::load_model(args.model);
  if (!loaded) die("cannot load the model at " + args.model + " (" + std::to_string(loaded.error().size()) + " problems)");
  auto model = std::make_shared<const domain::Model>(std::move(*loaded));
  const domain::Model& m = *model;
  const Codes codes(m);
  const TimeZone& zone = TimeZone::helsinki();

  const Day last = parse_date("2026-11-30").value();
  const Day first = add_years(last, -3) + 1;
  const auto dir = std::filesystem::temp_directory_path() / ("kaiku-bench-report-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  g_dir = dir;
  std::atexit(remove_dir);
  std::printf("bench_report: %lld responses, %s .. %s, model %s (%zu units, %zu touchpoints), dir %s\n",
              static_cast<long long>(args.responses), format_date(first).c_str(), format_date(last).c_str(),
              args.model.c_str(), m.units.size(), m.touchpoints.size(), dir.c_str());

  // --- 1. generate, add to the engine and to SQLite ---------------------------------
  auto engine = std::make_unique<Engine>(model);
  std::unique_ptr<Sqlite> sql;
  sqlite3_stmt* insert = nullptr;
  const std::size_t fixed_columns = 10;
  if (args.sqlite) {
    sql = std::make_unique<Sqlite>((dir / "answers.db").string());
    std::string ddl =
        "CREATE TABLE answers (id INTEGER PRIMARY KEY, day INTEGER NOT NULL, unit INTEGER NOT NULL, "
        "touchpoint INTEGER, journey INTEGER, channel INTEGER NOT NULL, language INTEGER NOT NULL, "
        "age_group INTEGER NOT NULL, respondent INTEGER NOT NULL, nps INTEGER";
    std::string marks = "?,?,?,?,?,?,?,?,?,?";
    for (std::size_t i = 0; i < codes.statements.size(); ++i) {
      ddl += ", s" + std::to_string(i) + " INTEGER";  // 1-5 (1-3), 0 = can't say, NULL = not answered
      marks += ",?";
    }
    sql->exec(ddl + ")");
    sql->exec("BEGIN");
    insert = sql->prepare("INSERT INTO answers VALUES (" + marks + ")");
  }

  SyntheticOptions options;
  options.responses = args.responses;
  options.seed = args.seed;
  options.from = first;
  options.to = last;
  options.open_text = true;
  double add_s = 0, insert_s = 0;
  std::int64_t next_id = 0;
  const auto t_gen = SteadyClock::now();
  generate_responses(m, options, [&](domain::Response&& r) {
    r.id = ++next_id;
    const auto t0 = SteadyClock::now();
    engine->add(r);
    const auto t1 = SteadyClock::now();
    add_s += std::chrono::duration<double>(t1 - t0).count();
    if (insert == nullptr) return;
    sqlite3_reset(insert);
    sqlite3_clear_bindings(insert);
    sqlite3_bind_int64(insert, 1, r.id);
    sqlite3_bind_int(insert, 2, zone.local_day(r.answered_at));
    auto u = codes.unit.find(r.unit);
    sqlite3_bind_int(insert, 3, u == codes.unit.end() ? -1 : u->second);
    auto tp = codes.touchpoint.find(r.touchpoint);
    if (tp != codes.touchpoint.end()) {
      sqlite3_bind_int(insert, 4, tp->second);
      auto j = codes.journey.find(m.touchpoints[static_cast<std::size_t>(tp->second)].journey);
      if (j != codes.journey.end()) sqlite3_bind_int(insert, 5, j->second);
    }
    sqlite3_bind_int(insert, 6, static_cast<int>(r.channel));
    sqlite3_bind_int(insert, 7, static_cast<int>(r.language));
    sqlite3_bind_int(insert, 8, static_cast<int>(r.age_group));
    sqlite3_bind_int(insert, 9, static_cast<int>(r.respondent));
    for (const auto& a : r.answers) {
      if (a.key == "nps") {
        if (a.number) sqlite3_bind_int(insert, 10, *a.number);
        continue;
      }
      auto s = codes.statement_index.find(a.key);
      if (s == codes.statement_index.end()) continue;
      const int col = static_cast<int>(fixed_columns) + 1 + s->second;
      if (a.cant_say) sqlite3_bind_int(insert, col, 0);
      else if (a.number) sqlite3_bind_int(insert, col, *a.number);
    }
    if (sqlite3_step(insert) != SQLITE_DONE) die("sqlite insert: " + std::string(sqlite3_errmsg(sql->db())));
    insert_s += seconds_since(t1);
  });
  const double total_s = seconds_since(t_gen);
  if (engine->response_count() != args.responses)
    die("the engine counted " + std::to_string(engine->response_count()) + " responses, expected " +
        std::to_string(args.responses));
  std::printf("generate: %.1f s for %lld responses (%.2f M/s, generation alone)\n", total_s - add_s - insert_s,
              static_cast<long long>(args.responses),
              static_cast<double>(args.responses) / std::max(1e-9, total_s - add_s - insert_s) / 1e6);
  std::printf("engine add: %.2f s, %.2f M responses/s\n", add_s, static_cast<double>(args.responses) / add_s / 1e6);
  if (sql) {
    sqlite3_finalize(insert);
    const auto t_idx = SteadyClock::now();
    sql->exec("COMMIT");
    const double commit_s = seconds_since(t_idx);
    const auto t_ix = SteadyClock::now();
    sql->exec("CREATE INDEX answers_day ON answers(day)");
    sql->exec("CREATE INDEX answers_unit_day ON answers(unit, day)");
    sql->exec("ANALYZE");
    std::printf("sqlite insert: %.2f s (%.2f M rows/s, %.1fx the engine's add time) + commit %.1f s + indexes %.1f s\n",
                insert_s, static_cast<double>(args.responses) / insert_s / 1e6, insert_s / add_s, commit_s,
                seconds_since(t_ix));
  }

  // --- 2. snapshot, fresh engine, memory --------------------------------------------
  const std::string snap = (dir / "engine.snapshot").string();
  const auto t_save = SteadyClock::now();
  if (auto st = engine->save_snapshot(snap); !st) die("save_snapshot: " + st.error().message);
  const double save_s = seconds_since(t_save);
  engine.reset();
  // Load time and resident memory in a fresh process: this one's heap still holds
  // what generating and SQLite left behind, which would hide the engine's pages.
  double load_s = 0, bytes_per_answer = 0, engine_bytes = 0;
  {
    const std::string cmd = "'/proc/" + std::to_string(getpid()) + "/exe' --measure-load '" + snap + "' '" +
                            args.model + "'";
    FILE* child = popen(cmd.c_str(), "r");
    if (child == nullptr) die("cannot start the load measurement");
    char line[256] = {};
    double secs = 0, resident = 0, held = 0;
    bool got = false;
    while (std::fgets(line, sizeof line, child) != nullptr)
      if (std::sscanf(line, "LOAD %lf %lf %lf", &secs, &resident, &held) == 3) got = true;
    if (pclose(child) != 0 || !got) die("the load measurement failed");
    const double n = static_cast<double>(args.responses);
    load_s = secs;
    bytes_per_answer = resident / n;
    engine_bytes = held / n;
  }
  auto fresh = std::make_unique<Engine>(model);
  const auto t_load = SteadyClock::now();
  if (auto st = fresh->load_snapshot(snap); !st) die("load_snapshot: " + st.error().message);
  const double load_here_s = seconds_since(t_load);
  std::printf("snapshot: %.1f MiB, save %.2f s, load in a fresh process %.2f s (goal < 5 s: %.2fx the goal), "
              "load here %.2f s\n",
              static_cast<double>(std::filesystem::file_size(snap)) / 1048576.0, save_s, load_s, load_s / 5.0,
              load_here_s);
  std::printf("memory: resident %.1f bytes/response (goal < 32: %.2fx), engine memory_bytes %.1f bytes/response\n",
              bytes_per_answer, bytes_per_answer / 32.0, engine_bytes);
  if (fresh->response_count() != args.responses) die("the loaded engine lost responses");

  // --- 3. the query mix -------------------------------------------------------------
  std::vector<std::string> areas;
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& u : m.units) children[u.parent].push_back(u.id);
  for (const auto& a : children[m.county_id])
    if (!children[a].empty()) areas.push_back(a);
  if (areas.empty()) areas.push_back(m.county_id);
  std::string statement;
  for (const auto& s : m.surveys)
    for (const auto& q : s.questions)
      if (statement.empty() && q.type == domain::QuestionType::agreement && q.key.rfind("thl_", 0) == 0)
        statement = q.key;
  if (statement.empty() && !codes.statements.empty()) statement = codes.statements.front();

  // A unit's group under `parent`: the child of `parent` whose subtree holds it.
  auto child_of = [&](const std::string& parent, const std::string& unit) -> std::string {
    for (const auto& c : children[parent])
      if (m.in_subtree(unit, c)) return c;
    return parent;
  };
  auto subtree_list = [&](const std::string& root) {
    std::string list;
    for (const auto& id : m.subtree(root)) {
      auto it = codes.unit.find(id);
      if (it == codes.unit.end()) continue;
      if (!list.empty()) list += ',';
      list += std::to_string(it->second);
    }
    return list;
  };
  auto area_of = [&](int rep) { return areas[static_cast<std::size_t>(rep) % areas.size()]; };
  auto to_of = [&](int rep) { return last - rep; };  // each rep a day earlier: no answer reuse
  auto year_from = [&](int rep) { return to_of(rep) - 364; };
  auto quarter_from = [&](int rep) { return shift_period(Period::quarter, to_of(rep), -1); };
  auto quarter_to = [&](int rep) { return period_end(Period::quarter, quarter_from(rep)); };
  auto month_from = [&](int rep) { return shift_period(Period::month, to_of(rep), -12); };

  // Runs a statement whose first `key_cols` columns form the group (the first a unit
  // code when `unit_first`, rolled up to `parent`'s children) and whose last is n.
  auto run_sql = [&](Sqlite& db, const std::string& text, const std::string& parent, bool unit_first,
                     int key_cols) {
    Groups g;
    sqlite3_stmt* st = db.prepare(text);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string key;
      int col = 0;
      if (unit_first) {
        const int u = sqlite3_column_int(st, col++);
        key = child_of(parent, codes.unit_ids.at(static_cast<std::size_t>(u)));
      }
      for (; col < key_cols; ++col) {
        const char* v = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
        if (!key.empty()) key += '|';
        key += v ? v : "";
      }
      g[key] += sqlite3_column_int64(st, sqlite3_column_count(st) - 1);
    }
    if (rc != SQLITE_DONE) die("sqlite query: " + std::string(sqlite3_errmsg(db.db())));
    sqlite3_finalize(st);
    for (auto it = g.begin(); it != g.end();) it = it->second == 0 ? g.erase(it) : std::next(it);
    return g;
  };
  auto range = [](Day a, Day b) { return " day BETWEEN " + std::to_string(a) + " AND " + std::to_string(b); };
  // The aggregates of an NPS cell; n (the last column) is compared with the engine.
  const std::string nps_n = "SUM(nps >= 9), SUM(nps <= 6), COUNT(nps)";

  std::vector<Mix> mix;
  mix.push_back({"county NPS by month, 13 months",
                 [&](int rep) {
                   Query q;
                   q.unit = m.county_id;
                   q.from = month_from(rep);
                   q.to = to_of(rep);
                   q.group_by = {Dimension::month};
                   return q;
                 },
                 [&](int rep, Sqlite& db) {
                   // The county is the whole table: no unit filter needed.
                   const std::string text =
                       "SELECT strftime('%Y-%m', day * 86400, 'unixepoch') AS month, " + nps_n +
                       " FROM answers WHERE" + range(month_from(rep), to_of(rep)) +
                       " AND nps IS NOT NULL GROUP BY month";
                   return run_sql(db, text, "", false, 1);
                 },
                 {},
                 {}});
  mix.push_back({"units under an area, NPS, 12 months",
                 [&](int rep) {
                   Query q;
                   q.unit = area_of(rep);
                   q.from = year_from(rep);
                   q.to = to_of(rep);
                   q.group_by = {Dimension::unit};
                   return q;
                 },
                 [&](int rep, Sqlite& db) {
                   const std::string text = "SELECT unit, " + nps_n + " FROM answers WHERE unit IN (" +
                                            subtree_list(area_of(rep)) + ") AND" +
                                            range(year_from(rep), to_of(rep)) +
                                            " AND nps IS NOT NULL GROUP BY unit";
                   return run_sql(db, text, area_of(rep), true, 1);
                 },
                 {},
                 {}});
  mix.push_back({"unit x touchpoint, NPS, a quarter",
                 [&](int rep) {
                   Query q;
                   q.unit = area_of(rep);
                   q.from = quarter_from(rep);
                   q.to = quarter_to(rep);
                   q.group_by = {Dimension::unit, Dimension::touchpoint};
                   return q;
                 },
                 [&](int rep, Sqlite& db) {
                   const std::string text = "SELECT unit, touchpoint, COUNT(nps) FROM answers WHERE unit IN (" +
                                            subtree_list(area_of(rep)) + ") AND" +
                                            range(quarter_from(rep), quarter_to(rep)) +
                                            " AND nps IS NOT NULL GROUP BY unit, touchpoint";
                   Groups raw = run_sql(db, text, area_of(rep), true, 2);
                   Groups g;  // touchpoint codes -> ids
                   for (auto& [k, v] : raw) {
                     const auto bar = k.find('|');
                     const int tp = std::stoi(k.substr(bar + 1));
                     g[k.substr(0, bar) + "|" + codes.touchpoint_ids.at(static_cast<std::size_t>(tp))] += v;
                   }
                   return g;
                 },
                 {},
                 {}});
  const std::string scol =
      statement.empty() ? "" : "s" + std::to_string(codes.statement_index.at(statement));
  mix.push_back({"statement " + statement + " by unit, 12 months",
                 [&](int rep) {
                   Query q;
                   q.indicator = statement;
                   q.unit = area_of(rep);
                   q.from = year_from(rep);
                   q.to = to_of(rep);
                   q.group_by = {Dimension::unit};
                   return q;
                 },
                 [&](int rep, Sqlite& db) {
                   const std::string text = "SELECT unit, SUM(" + scol + " >= 4), COUNT(" + scol +
                                            ") FROM answers WHERE unit IN (" + subtree_list(area_of(rep)) +
                                            ") AND" + range(year_from(rep), to_of(rep)) + " AND " + scol +
                                            " BETWEEN 1 AND 5 GROUP BY unit";
                   return run_sql(db, text, area_of(rep), true, 1);
                 },
                 {},
                 {}});
  mix.push_back({"county NPS by channel, rolling 30 days",
                 [&](int rep) {
                   Query q;
                   q.unit = m.county_id;
                   q.from = to_of(rep) - 29;
                   q.to = to_of(rep);
                   q.group_by = {Dimension::channel};
                   return q;
                 },
                 [&](int rep, Sqlite& db) {
                   const std::string text = "SELECT channel, " + nps_n + " FROM answers WHERE" +
                                            range(to_of(rep) - 29, to_of(rep)) +
                                            " AND nps IS NOT NULL GROUP BY channel";
                   Groups raw = run_sql(db, text, "", false, 1);
                   Groups g;
                   for (auto& [k, v] : raw) {
                     const int ch = std::stoi(k);
                     g[std::string(domain::channel_name(static_cast<domain::Channel>(ch)))] += v;
                   }
                   return g;
                 },
                 {},
                 {}});
  mix.push_back({"units under an area + standardised + changes (engine only)",
                 [&](int rep) {
                   Query q;
                   q.unit = area_of(rep);
                   q.from = year_from(rep);
                   q.to = to_of(rep);
                   q.group_by = {Dimension::unit};
                   q.standardise = true;
                   q.compare = true;
                   return q;
                 },
                 {},
                 {},
                 {}});

  std::vector<double> all_engine_ms, mix_engine_ms;  // every query; the five-query mix
  std::vector<std::vector<Groups>> engine_groups(mix.size());
  for (std::size_t k = 0; k < mix.size(); ++k) {
    for (int rep = 0; rep < args.reps; ++rep) {
      const Query q = mix[k].engine(rep);
      const auto t0 = SteadyClock::now();
      auto table = fresh->query(q);
      const double ms = seconds_since(t0) * 1000;
      if (!table) die("engine query '" + mix[k].name + "': " + table.error().message);
      mix[k].engine_ms.push_back(ms);
      all_engine_ms.push_back(ms);
      if (mix[k].sql) mix_engine_ms.push_back(ms);
      if (rep < args.sqlite_reps) engine_groups[k].push_back(groups_of(*table));
      if (rep == 0)
        std::printf("  %-58s %zu cells\n", mix[k].name.c_str(), table->cells.size());
    }
  }
  if (sql) {
    for (std::size_t k = 0; k < mix.size(); ++k) {
      if (!mix[k].sql) continue;
      for (int rep = 0; rep < args.sqlite_reps; ++rep) {
        const auto t0 = SteadyClock::now();
        Groups g = mix[k].sql(rep, *sql);
        mix[k].sqlite_ms.push_back(seconds_since(t0) * 1000);
        check(mix[k].name, rep, engine_groups[k][static_cast<std::size_t>(rep)], g, m.reporting_threshold);
      }
    }
  }

  // --- 4. figures -------------------------------------------------------------------
  std::printf("\n%-58s %10s %10s %12s %9s\n", "query", "engine p50", "engine p95", "sqlite p50", "speedup");
  double log_sum = 0;
  int shared = 0;
  for (const Mix& q : mix) {
    const double e50 = percentile(q.engine_ms, 0.5), e95 = percentile(q.engine_ms, 0.95);
    if (q.sqlite_ms.empty()) {
      std::printf("%-58s %8.2fms %8.2fms %12s %9s\n", q.name.c_str(), e50, e95, "-", "-");
      continue;
    }
    const double s50 = percentile(q.sqlite_ms, 0.5);
    std::printf("%-58s %8.2fms %8.2fms %10.1fms %8.1fx\n", q.name.c_str(), e50, e95, s50, s50 / e50);
    log_sum += std::log(s50 / std::max(e50, 1e-6));
    ++shared;
  }
  const double p50 = percentile(mix_engine_ms, 0.5), p95 = percentile(mix_engine_ms, 0.95);
  const double speedup = shared > 0 ? std::exp(log_sum / shared) : 0;
  std::printf("\nengine, the dashboard mix (%zu queries): p50 %.2f ms, p95 %.2f ms (goal < 20 ms: %.2fx the goal)\n",
              mix_engine_ms.size(), p50, p95, p95 / 20.0);
  std::printf("engine, with the standardised + compare query too (%zu queries): p50 %.2f ms, p95 %.2f ms\n",
              all_engine_ms.size(), percentile(all_engine_ms, 0.5), percentile(all_engine_ms, 0.95));
  if (shared > 0)
    std::printf("sqlite speedup (geometric mean of median ratios): %.1fx (goal >= 50x: %.2fx the goal); n per "
                "group identical in %d queries x %d reps\n",
                speedup, speedup / 50.0, shared, args.sqlite_reps);

  fresh.reset();
  sql.reset();
  std::printf("RESULT p95_ms=%.2f sqlite_speedup=%.1f load_s=%.2f bytes_per_answer=%.1f\n", p95, speedup, load_s,
              bytes_per_answer);
  return 0;
}
