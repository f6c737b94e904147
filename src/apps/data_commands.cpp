#include "apps/data_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/calendar.hpp"
#include "analytics/synthetic.hpp"
#include "apps/backends.hpp"
#include "security/sealer.hpp"
#include "service/export.hpp"
#include "storage/answers_json.hpp"
#include "text/analyzer.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::apps {
namespace {

struct GenArgs {
  std::string data, model, from, to, key_file;
  std::int64_t responses = 0;
  std::uint64_t seed = 1;
  int batch = 5000;
  bool no_text = false;
  bool synthetic_labels = false;
};

// Free text of generated responses, as service::CommentProcessor does it (the same
// answers: storage::carries_free_text), with the analysis memoised per distinct text
// (synthetic comments repeat from a phrase bank); every original is still sealed on
// its own.
class GenComments {
 public:
  GenComments(const domain::Model& model, const CommentTools& tools, TimePoint now)
      : tools_(tools), expires_(now + std::chrono::days(model.free_text.original_retention_days)) {
    options_.redact_staff_names = model.free_text.redact_staff_names;
  }

  // Analyses, redacts and seals every free-text answer of `r` without an insight
  // (the generator's planted labels, when kept, count as analysed).
  void process(domain::Response& r) {
    for (auto& a : r.answers) {
      if (!storage::carries_free_text(a)) continue;
      if (std::any_of(r.insights.begin(), r.insights.end(),
                      [&](const domain::CommentInsight& i) { return i.question_key == a.key; })) {
        ++planted_;
        continue;
      }
      ++analysed_;
      auto it = memo_.find(a.text);
      if (it == memo_.end()) {
        text::Analysis an = tools_.analyzer->analyze(a.text, options_);
        Memo m{an.redacted.valid_utf8 ? an.redacted.text : std::string(), an.insight(""), an.redacted.valid_utf8};
        it = memo_.emplace(a.text, std::move(m)).first;
      }
      if (!it->second.valid) {
        a.text.clear();
        continue;
      }
      const std::vector<std::uint8_t> sealed = tools_.sealer->seal(a.text);
      domain::SealedOriginal original;
      original.question_key = a.key;
      original.sealed.assign(sealed.begin(), sealed.end());
      original.expires_at = expires_;
      r.originals.push_back(std::move(original));
      domain::CommentInsight insight = it->second.insight;
      insight.question_key = a.key;
      r.insights.push_back(std::move(insight));
      a.text = it->second.redacted;
    }
  }
  std::size_t distinct() const { return memo_.size(); }
  std::int64_t analysed() const { return analysed_; }
  std::int64_t planted() const { return planted_; }

 private:
  struct Memo {
    std::string redacted;
    domain::CommentInsight insight;
    bool valid = true;
  };
  const CommentTools& tools_;
  TimePoint expires_;
  text::RedactOptions options_;
  std::unordered_map<std::string, Memo> memo_;
  std::int64_t analysed_ = 0, planted_ = 0;
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
  // Open answers are redacted and analysed like those the server takes (the
  // originals sealed with the server's key), unless --no-text.
  std::optional<CommentTools> tools;
  std::optional<GenComments> comments;
  if (!a.no_text) {
    auto t = open_comment_tools(a.data, a.key_file, backends->model, *backends->clock);
    if (!t) return fail_with(t.error().message);
    tools.emplace(std::move(*t));
    comments.emplace(backends->model, *tools, backends->clock->now());
  }

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
    // The generator's hand-written labels are not the analyser's output: dropped,
    // so that every comment is analysed (now, or with --no-text at serve's backfill),
    // unless --synthetic-labels keeps them (engine tests and benchmarks).
    if (!a.synthetic_labels) r.insights.clear();
    if (comments) comments->process(r);
    r.case_opening = domain::open_case(backends->model, r);  // the inbox case, stored with it
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
  if (comments) {
    std::cout << "open answers: " << comments->analysed() << " redacted and analysed (" << comments->distinct()
              << " distinct texts)";
    if (a.synthetic_labels) std::cout << ", " << comments->planted() << " kept with the generator's synthetic labels";
    std::cout << "\n";
  }
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
  gen_cmd->add_option("--key-file", g->key_file,
                      "Server secret key sealing the original comments, as for serve; default DATA/kaiku.key, created if absent");
  gen_cmd->add_flag("--no-text", g->no_text,
                    "Store open answers as generated, without redaction and analysis (backfilled at serve)");
  gen_cmd->add_flag("--synthetic-labels", g->synthetic_labels,
                    "Keep the generator's hand-written comment labels instead of analysing those comments "
                    "(their text then stays unsealed; engine tests and benchmarks only)");
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
