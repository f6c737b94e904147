#include "apps/data_commands.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analytics/calendar.hpp"
#include "analytics/synthetic.hpp"
#include "apps/backends.hpp"
#include "service/export.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::apps {
namespace {

struct GenArgs {
  std::string data, model, from, to;
  std::int64_t responses = 0;
  std::uint64_t seed = 1;
  int batch = 5000;
};

int gen(const GenArgs& a) {
  auto fail_with = [](const std::string& msg) {
    std::cerr << "kaiku gen: " << msg << "\n";
    return 1;
  };
  if (a.responses < 0) return fail_with("--responses: must be 0 or more");
  const analytics::TimeZone& zone = analytics::TimeZone::helsinki();
  auto backends = open_backends(a.data, a.model);
  if (!backends) return fail_with(backends.error().message);
  analytics::Day to = zone.local_day(backends->clock->now()) - 1;  // yesterday
  if (!a.to.empty()) {
    auto d = analytics::parse_date(a.to);
    if (!d) return fail_with("--to: expected a date YYYY-MM-DD, got '" + a.to + "'");
    to = *d;
  }
  analytics::Day from = to - 365;
  if (!a.from.empty()) {
    auto d = analytics::parse_date(a.from);
    if (!d) return fail_with("--from: expected a date YYYY-MM-DD, got '" + a.from + "'");
    from = *d;
  }
  if (from > to) return fail_with("--from: must not be after --to");
  if (backends->model.touchpoints.empty()) return fail_with("the model has no touchpoints");

  analytics::SyntheticOptions o;
  o.responses = a.responses;
  o.seed = a.seed;
  o.from = from;
  o.to = to;
  std::vector<domain::Response> batch;
  batch.reserve(static_cast<std::size_t>(a.batch));
  std::int64_t stored = 0, present = 0;
  std::optional<Error> error;
  auto flush = [&] {
    if (batch.empty() || error) return;
    auto out = backends->store->responses().append_batch(batch);
    if (!out) {
      error = out.error();
    } else {
      for (const auto& r : *out) (r.duplicate ? present : stored) += 1;
    }
    batch.clear();
  };
  analytics::generate_responses(backends->model, o, [&](domain::Response&& r) {
    if (error) return;  // a failed batch: generation runs out, nothing more is stored
    batch.push_back(std::move(r));
    if (static_cast<int>(batch.size()) >= a.batch) flush();
  });
  flush();
  if (error) {
    std::cerr << "kaiku gen: storing failed after " << stored << " new responses: " << error->message << "\n";
    return 1;
  }
  std::cout << "stored " << stored << " new responses (" << present << " already present) for model "
            << backends->model.version << ", seed " << a.seed << ", " << analytics::format_date(from) << " to "
            << analytics::format_date(to) << "\n";
  return 0;
}

struct ExportArgs {
  std::string data, model, format = "csv", out;
  std::int64_t since = 0;
};

int export_command(const ExportArgs& a) {
  auto fail_with = [](const std::string& msg) {
    std::cerr << "kaiku export: " << msg << "\n";
    return 1;
  };
  auto format = service::parse_export_format(a.format);
  if (!format) return fail_with("--format: expected csv or jsonl, got '" + a.format + "'");
  if (a.since < 0) return fail_with("--since: expected a cursor printed by an earlier export (0 or more)");
  // A mistyped --data must not pass for an empty county: a data-lake job would
  // silently get nothing. Export reads an existing database and creates nothing.
  const std::filesystem::path db = storage::sqlite_database_file(a.data);
  std::error_code exists_ec;
  if (!std::filesystem::is_regular_file(db, exists_ec)) {
    return fail_with("--data: no Kaiku database at " + db.string() +
                     " (export reads an existing data directory and creates nothing; is the path right?)");
  }
  auto backends = open_backends(a.data, a.model);
  if (!backends) return fail_with(backends.error().message);
  service::ExportOptions o;
  o.format = *format;
  o.since = a.since;
  Result<service::ExportSummary> sum = service::ExportSummary{};
  if (a.out.empty()) {
    sum = service::export_answers(backends->store->responses(), backends->model, o, std::cout);
  } else {
    // Written beside the target and renamed into place: a reader never sees half a file.
    const std::filesystem::path target(a.out);
    const std::filesystem::path tmp = target.string() + ".partial";
    {
      std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
      if (!file) return fail_with("--out: cannot write " + tmp.string());
      sum = service::export_answers(backends->store->responses(), backends->model, o, file);
      file.close();
      if (sum && !file) sum = fail(Error::unavailable("writing " + tmp.string() + " failed"));
    }
    std::error_code ec;
    if (sum) std::filesystem::rename(tmp, target, ec);
    if (ec) sum = fail(Error::unavailable("cannot move the export into " + target.string() + ": " + ec.message()));
    if (!sum) std::filesystem::remove(tmp, ec);
  }
  if (!sum) return fail_with(sum.error().message);
  std::cerr << "kaiku export: " << sum->rows << " rows from " << sum->responses << " responses\n";
  std::cerr << "next_cursor=" << sum->next_cursor << "\n";
  return 0;
}

}  // namespace

void add_data_commands(CLI::App& app, int& exit_code) {
  auto g = std::make_shared<GenArgs>();
  auto* gen_cmd = app.add_subcommand("gen", "Store deterministic synthetic answers (tests, benchmarks, demos)");
  gen_cmd->add_option("--data", g->data, "Data directory")->required();
  gen_cmd->add_option("--responses", g->responses, "How many responses to generate")->required();
  gen_cmd->add_option("--seed", g->seed, "Seed: the same seed, model and dates give the same answers")->required();
  gen_cmd->add_option("--from", g->from, "First answer date YYYY-MM-DD (default: 365 days before --to)");
  gen_cmd->add_option("--to", g->to, "Last answer date YYYY-MM-DD (default: yesterday, Europe/Helsinki)");
  gen_cmd->add_option("--model", g->model, "Model path (default: the model last served from --data)");
  gen_cmd->callback([g, &exit_code] { exit_code = gen(*g); });

  auto e = std::make_shared<ExportArgs>();
  auto* exp = app.add_subcommand(
      "export", "Write every answer, one row per question answered, for a data lake (no open text, no identifiers)");
  exp->add_option("--data", e->data, "Data directory")->required();
  exp->add_option("--format", e->format, "csv | jsonl")->required();
  exp->add_option("--since", e->since, "Cursor: only responses after it (the next_cursor of the previous export)");
  exp->add_option("--out", e->out, "Output file (default: standard output)");
  exp->add_option("--model", e->model, "Model path (default: the model last served from --data)");
  exp->callback([e, &exit_code] { exit_code = export_command(*e); });
}

}  // namespace kaiku::apps
