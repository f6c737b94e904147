// bench_events [--messages N] [--window W] [--model DIR] [--fhir N] [--decisions N]
//
// The outreach intake, measured against a baseline in the same run:
//  1. HL7 v2 over MLLP: N ADT^A03 messages (distinct patients, numbers and visits at
//     the model's units) sent over ONE connection and over EIGHT, each connection
//     keeping up to W messages in flight (a pipelining interface engine), to
//     (a) Kaiku's MllpListener + Hl7Intake + OutreachService on a fresh SQLite store
//     (every ACK after the durable commit) and (b) a bare MLLP echo server that
//     answers each frame with a fixed ACK at once (the cost of TCP and framing
//     alone). Every ACK is checked (AA from Kaiku).
//  2. FHIR: Encounters posted through the FhirMount (parse, authenticate-free mount
//     call, durable intake) from 8 threads.
//  3. Decisions: domain::map_event + domain::decide on synthetic events, one thread.
// Last line:
//   RESULT mllp_msgs_per_s=… mllp_echo_ratio=… fhir_per_s=… decisions_per_s=… mllp8_msgs_per_s=…
// mllp_echo_ratio = Kaiku's one-connection rate / the echo server's one-connection rate.
#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "channels/fhir/fhir_mount.hpp"
#include "channels/hl7/hl7_intake.hpp"
#include "channels/hl7/mllp.hpp"
#include "channels/hl7/mllp_listener.hpp"
#include "domain/outreach.hpp"
#include "modelfile/loader.hpp"
#include "security/sealer.hpp"
#include "security/sodium_random.hpp"
#include "service/outreach_service.hpp"
#include "storage/sqlite_store.hpp"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;
using namespace kaiku;

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// Unit codes of the model that an HL7 PV1-3 can name (value only).
std::vector<std::string> unit_codes(const domain::Model& model) {
  std::vector<std::string> codes;
  for (const auto& u : model.units) {
    for (const auto& c : u.codes) codes.push_back(c.value);
  }
  if (codes.empty()) codes.push_back("UNKNOWN-UNIT");
  return codes;
}

// An ADT^A03 discharge, message number i, at one of `codes`.
std::string adt_a03(std::size_t i, const std::vector<std::string>& codes, const std::string& tag) {
  char id[32], phone[32], visit[32];
  std::snprintf(id, sizeof id, "%s%09zu", tag.c_str(), i);
  std::snprintf(phone, sizeof phone, "+35840%07zu", i % 10000000);
  std::snprintf(visit, sizeof visit, "V%s%09zu", tag.c_str(), i);
  const std::string& code = codes[i % codes.size()];
  std::string pv1 = "PV1|1|O|" + code + "^^^";
  for (int f = 4; f <= 18; ++f) pv1 += "|";
  pv1 += "|" + std::string(visit);  // PV1-19
  for (int f = 20; f <= 44; ++f) pv1 += "|";
  pv1 += "20261124090000|20261124094500";  // PV1-44, PV1-45
  return "MSH|^~\\&|LIFECARE|KSSHP|KAIKU|KAIKU|20261124094600||ADT^A03|" + std::string(id) +
         "|P|2.5|||||||UNICODE UTF-8\r"
         "EVN|A03|20261124094600\r"
         "PID|1||" + std::to_string(100000 + i) + "^^^KSSHP^MR||Testi^Potilas||19700101|F|||||^PRN^CP^^^^^^^^^" +
         phone + "||fi\r" + pv1 + "\r";
}

// A bare MLLP echo server: answers every frame with a fixed ACK at once.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
      for (;;) {
        tcp::socket s(io_);
        boost::system::error_code ec;
        acceptor_.accept(s, ec);
        if (ec || stop_) return;
        conns_.emplace_back([sock = std::move(s)]() mutable {
          channels::hl7::MllpDecoder decoder;
          const std::string ack = channels::hl7::frame("MSH|^~\\&|E|E|E|E|20261124||ACK|1|P|2.5\rMSA|AA|1\r");
          std::string buf(64 * 1024, '\0');
          boost::system::error_code e;
          for (;;) {
            const std::size_t n = sock.read_some(asio::buffer(buf), e);
            if (e) return;
            std::string out;
            for (const auto& f : decoder.feed(std::string_view(buf.data(), n))) {
              if (f) out += ack;
            }
            if (!out.empty()) asio::write(sock, asio::buffer(out), e);
            if (e) return;
          }
        });
      }
    });
  }
  ~EchoServer() {
    stop_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
    for (auto& t : conns_) t.join();
  }
  unsigned short port() const { return port_; }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> conns_;
};

// Sends messages [first, first+count) over one connection with up to `window` in
// flight; returns the number of ACKs whose MSA-1 is AA.
std::size_t run_connection(unsigned short port, std::size_t first, std::size_t count, std::size_t window,
                           const std::vector<std::string>& codes, const std::string& tag) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  s.set_option(tcp::no_delay(true));
  channels::hl7::MllpDecoder decoder(std::size_t{1} << 20);
  std::size_t sent = 0, acked = 0, ok = 0;
  std::string buf(64 * 1024, '\0');
  while (acked < count) {
    std::string out;
    while (sent < count && sent - acked < window) {
      out += channels::hl7::frame(adt_a03(first + sent, codes, tag));
      ++sent;
    }
    if (!out.empty()) asio::write(s, asio::buffer(out));
    const std::size_t n = s.read_some(asio::buffer(buf));
    for (const auto& f : decoder.feed(std::string_view(buf.data(), n))) {
      if (!f) continue;
      ++acked;
      if (f->find("MSA|AA|") != std::string::npos) ++ok;
    }
  }
  return ok;
}

// Messages per second over `conns` connections; `ok` gets the AA count.
double mllp_rate(unsigned short port, std::size_t messages, int conns, std::size_t window,
                 const std::vector<std::string>& codes, const std::string& tag, std::size_t& ok) {
  std::vector<std::thread> threads;
  std::vector<std::size_t> oks(static_cast<std::size_t>(conns), 0);
  const std::size_t per = messages / static_cast<std::size_t>(conns);
  const auto t0 = Steady::now();
  for (int c = 0; c < conns; ++c) {
    threads.emplace_back([&, c] {
      oks[static_cast<std::size_t>(c)] = run_connection(port, static_cast<std::size_t>(c) * per, per, window, codes, tag);
    });
  }
  for (auto& t : threads) t.join();
  const double s = seconds_since(t0);
  ok = 0;
  for (auto n : oks) ok += n;
  return static_cast<double>(per * static_cast<std::size_t>(conns)) / s;
}

std::string encounter_json(std::size_t i, const std::string& code) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                R"({"resourceType":"Encounter","id":"b%zu","status":"finished",)"
                R"("class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},)"
                R"("identifier":[{"system":"urn:bench","value":"enc-%zu"}],)"
                R"("period":{"start":"2026-11-24T09:00:00+02:00","end":"2026-11-24T09:40:00+02:00"},)"
                R"("contained":[{"resourceType":"Patient","id":"p","identifier":[{"system":"urn:bench:mr","value":"%zu"}],)"
                R"("birthDate":"1970-01-01","telecom":[{"system":"phone","use":"mobile","value":"+35850%07zu"}]},)"
                R"({"resourceType":"Organization","id":"o","identifier":[{"value":"%s"}]}],)"
                R"("subject":{"reference":"#p"},"serviceProvider":{"reference":"#o"}})",
                i, i, i, i % 10000000, code.c_str());
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t messages = 20000, window = 256, fhir_n = 4000, decisions_n = 200000;
  std::string model_dir = "models/demo";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--messages") messages = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--window") window = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--model") model_dir = argv[i + 1];
    else if (a == "--fhir") fhir_n = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--decisions") decisions_n = std::strtoull(argv[i + 1], nullptr, 10);
    else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }
  auto loaded = modelfile::load_model(model_dir);
  if (!loaded) { std::fprintf(stderr, "cannot load the model %s\n", model_dir.c_str()); return 1; }
  domain::Model model = std::move(*loaded);
  const auto codes = unit_codes(model);

  const auto dir = std::filesystem::temp_directory_path() / ("kaiku-bench-events-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SystemClock clock;
  security::SodiumRandom random;
  auto store = storage::open_sqlite_store(dir, clock);
  if (!store) { std::fprintf(stderr, "store: %s\n", store.error().message.c_str()); return 1; }
  security::SecretKey key{};
  random.fill(key.data(), key.size());
  security::Sealer sealer(key);
  service::OutreachOptions oo;
  oo.base_url = "https://palaute.example.fi";
  service::OutreachService outreach(model, **store, sealer, clock, random, nullptr, oo);
  channels::hl7::Hl7Intake intake(outreach, clock, random);
  channels::hl7::MllpOptions mo;
  mo.port = 0;
  channels::hl7::MllpListener listener(mo, intake);
  auto port = listener.start();
  if (!port) { std::fprintf(stderr, "%s\n", port.error().message.c_str()); return 1; }
  EchoServer echo;

  std::printf("model %s: %zu unit codes; %zu messages per run, window %zu\n", model_dir.c_str(), codes.size(),
              messages, window);
  std::size_t ok = 0;
  const double echo1 = mllp_rate(echo.port(), messages, 1, window, codes, "E", ok);
  std::printf("echo    1 connection : %10.0f msgs/s\n", echo1);
  const double echo8 = mllp_rate(echo.port(), messages, 8, window, codes, "F", ok);
  std::printf("echo    8 connections: %10.0f msgs/s\n", echo8);
  const double kaiku1 = mllp_rate(*port, messages, 1, window, codes, "K", ok);
  std::printf("kaiku   1 connection : %10.0f msgs/s  (%zu AA of %zu)\n", kaiku1, ok, messages);
  const double kaiku8 = mllp_rate(*port, messages, 8, window, codes, "L", ok);
  std::printf("kaiku   8 connections: %10.0f msgs/s  (%zu AA of %zu)\n", kaiku8, ok, messages / 8 * 8);
  const double kaiku1_stop = mllp_rate(*port, 2000, 1, 1, codes, "S", ok);
  std::printf("kaiku   1 connection, one at a time (no pipelining): %8.0f msgs/s\n", kaiku1_stop);

  // FHIR through the mount, 8 threads.
  channels::fhir::FhirMount mount(outreach);
  domain::Principal integration{1, "bench-fhir", domain::Role::integration, model.county_id};
  std::atomic<std::size_t> created{0};
  const auto t_fhir = Steady::now();
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = static_cast<std::size_t>(t); i < fhir_n; i += 8) {
          auto req = http::make_request("POST", "/fhir/Encounter", encounter_json(i, codes[i % codes.size()]),
                                        {{"content-type", "application/fhir+json"}});
          auto res = mount.handle(req, Result<domain::Principal>(integration));
          if (res.status == 201) created++;
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  const double fhir_rate = static_cast<double>(fhir_n) / seconds_since(t_fhir);
  std::printf("fhir    8 threads    : %10.0f encounters/s (%zu created of %zu)\n", fhir_rate, created.load(), fhir_n);

  // Pure decisions.
  std::vector<domain::CareEvent> events;
  for (std::size_t i = 0; i < 1000; ++i) {
    domain::CareEvent e;
    e.sender = "LIFECARE^KSSHP";
    e.message_id = "D" + std::to_string(i);
    e.trigger = "A03";
    e.visit_id = "V" + std::to_string(i);
    e.visit_time = clock.now();
    e.unit_codes.push_back({"", codes[i % codes.size()]});
    e.person_id = std::to_string(i);
    e.birth_date = std::chrono::year_month_day{std::chrono::year{1950 + static_cast<int>(i % 60)}, std::chrono::month{1},
                                               std::chrono::day{1}};
    e.mobiles.push_back("+3584000" + std::to_string(10000 + i));
    e.language = i % 5 == 0 ? "sv" : "fi";
    events.push_back(std::move(e));
  }
  std::size_t scheduled = 0;
  const auto now = clock.now();
  const auto t_dec = Steady::now();
  for (std::size_t i = 0; i < decisions_n; ++i) {
    const auto& e = events[i % events.size()];
    const auto mapping = domain::map_event(model, model.outreach, e);
    if (mapping.touchpoint.empty() || mapping.meaning != domain::EventMeaning::completed) continue;
    const auto d = domain::decide(model, model.outreach, e, mapping, domain::PersonHistory{}, now, now);
    if (d.decision == domain::Decision::scheduled) ++scheduled;
  }
  const double decisions_rate = static_cast<double>(decisions_n) / seconds_since(t_dec);
  std::printf("decide  1 thread     : %10.0f decisions/s (%zu scheduled)\n", decisions_rate, scheduled);

  listener.stop();
  store->reset();
  std::filesystem::remove_all(dir);
  std::printf("RESULT mllp_msgs_per_s=%.0f mllp_echo_ratio=%.3f fhir_per_s=%.0f decisions_per_s=%.0f mllp8_msgs_per_s=%.0f\n",
              kaiku1, kaiku1 / echo1, fhir_rate, decisions_rate, kaiku8);
  return 0;
}
