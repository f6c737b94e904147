#include "apps/event_commands.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "apps/backends.hpp"
#include "channels/csv/events_csv.hpp"
#include "security/digest.hpp"
#include "security/sealer.hpp"
#include "security/sodium_random.hpp"
#include "service/outreach_service.hpp"

namespace kaiku::apps {
namespace {

struct ImportArgs {
  std::string file, data = "./data", model, key_file;
  int batch = 500;
};

int import_events(const ImportArgs& a) {
  auto fail_with = [](const std::string& msg) {
    std::cerr << "kaiku events import: " << msg << "\n";
    return 1;
  };
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return fail_with(a.file + ": cannot be read");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto parsed = channels::csv::parse_events_csv(bytes);
  for (const auto& e : parsed.errors) {
    std::cerr << a.file << ":" << e.line << (e.column.empty() ? "" : ": " + e.column) << ": " << e.message << "\n";
  }
  if (!parsed.file_ok) return fail_with(a.file + ": the file cannot be imported (see above); nothing was recorded");

  if (!std::filesystem::exists(std::filesystem::path(a.data) / "kaiku.db") && a.model.empty()) {
    return fail_with("no database in " + a.data + "; start the server once or pass --model");
  }
  auto backends = open_backends(a.data, a.model);
  if (!backends) return fail_with(backends.error().message);
  const bool default_key = a.key_file.empty();
  const std::string key_file = default_key ? (std::filesystem::path(a.data) / "kaiku.key").string() : a.key_file;
  auto key = security::load_or_create_key(key_file, default_key);
  if (!key) return fail_with("--key-file: " + key.error().message);
  security::Sealer sealer(*key);
  security::SodiumRandom random;
  service::OutreachService outreach(backends->model, *backends->store, sealer, *backends->clock, random, nullptr, {});

  std::map<std::string, int> decisions;
  std::size_t done = 0;
  // Rows that could not be read are recorded too (decision rejected, the reason in
  // the detail), so that they are counted and never silently dropped.
  {
    std::map<std::size_t, std::string> bad_rows;
    for (const auto& e : parsed.errors) {
      if (e.line == 0) continue;
      std::string& text = bad_rows[e.line];
      text += (text.empty() ? "line " + std::to_string(e.line) + ": " : "; ") +
              (e.column.empty() ? "" : e.column + ": ") + e.message;
    }
    const std::string file_digest = security::sha256_hex(bytes);
    std::vector<service::IntakeItem> items;
    for (const auto& [line, text] : bad_rows) {
      service::IntakeItem item;
      item.source = domain::EventSource::csv;
      item.sender = std::filesystem::path(a.file).filename().string();
      item.message_id = "line-" + std::to_string(line);
      item.content_digest = file_digest;
      item.error = text;
      items.push_back(std::move(item));
    }
    if (!items.empty()) {
      auto results = outreach.intake(items);
      if (!results) return fail_with("storage: " + results.error().message + "; nothing was recorded");
      decisions["rejected"] += static_cast<int>(results->size());
    }
  }
  for (std::size_t start = 0; start < parsed.events.size(); start += static_cast<std::size_t>(a.batch)) {
    const std::size_t end = std::min(parsed.events.size(), start + static_cast<std::size_t>(a.batch));
    std::vector<service::IntakeItem> items;
    for (std::size_t i = start; i < end; ++i) {
      const auto& row = parsed.events[i];
      service::IntakeItem item;
      item.source = domain::EventSource::csv;
      item.sender = row.event.sender;
      item.message_id = row.event.message_id;
      // The same row imported twice is a duplicate; another row with the same id is not.
      std::ostringstream content;
      content << row.event.trigger << '|' << row.event.visit_id << '|' << row.event.person_id << '|'
              << (row.event.visit_time ? row.event.visit_time->time_since_epoch().count() : 0);
      for (const auto& c : row.event.unit_codes) content << '|' << c.system << ':' << c.value;
      item.content_digest = security::sha256_hex(content.str());
      item.event = row.event;
      items.push_back(std::move(item));
    }
    auto results = outreach.intake(items);
    if (!results) {
      return fail_with("storage: " + results.error().message + "; " + std::to_string(done) +
                       " rows were recorded before, the rest were not (importing the file again is safe)");
    }
    for (std::size_t k = 0; k < results->size(); ++k) {
      const auto& r = (*results)[k];
      decisions[std::string(domain::decision_name(r.decision))]++;
      std::cout << "line " << parsed.events[start + k].line << ": event " << r.event_id << " "
                << domain::decision_name(r.decision);
      for (std::size_t j = 0; j < r.reasons.size(); ++j) {
        std::cout << (j == 0 ? " (" : ", ") << domain::reason_name(r.reasons[j]);
      }
      std::cout << (r.reasons.empty() ? "" : ")") << "\n";
    }
    done += results->size();
  }
  std::cout << "rows=" << parsed.rows << " recorded=" << done << " row_errors=" << parsed.rows - parsed.events.size();
  for (const auto& [name, n] : decisions) std::cout << " " << name << "=" << n;
  std::cout << "\n";
  return parsed.events.size() == parsed.rows ? 0 : 2;
}

}  // namespace

void add_event_commands(CLI::App& app, int& exit_code) {
  auto* events = app.add_subcommand("events", "Patient-record visit events (SMS outreach)");
  events->require_subcommand(1);
  auto args = std::make_shared<ImportArgs>();
  auto* imp = events->add_subcommand("import", "Record the visit events of a CSV file (docs/events-csv.md)");
  imp->add_option("FILE", args->file, "CSV file")->required();
  imp->add_option("--data", args->data, "Data directory")->capture_default_str();
  imp->add_option("--model", args->model, "Model (default: the one last served from --data)");
  imp->add_option("--key-file", args->key_file, "Server secret key (default DATA/kaiku.key)");
  imp->add_option("--batch", args->batch, "Rows per durable transaction")->check(CLI::Range(1, 10000));
  imp->callback([args, &exit_code] { exit_code = import_events(*args); });
}

}  // namespace kaiku::apps
