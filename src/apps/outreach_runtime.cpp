#include "apps/outreach_runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "channels/fhir/fhir_mount.hpp"
#include "channels/hl7/hl7_intake.hpp"
#include "channels/hl7/mllp_listener.hpp"
#include "channels/sms/kannel_gateway.hpp"
#include "channels/sms/sms_mount.hpp"
#include "security/sealer.hpp"

namespace kaiku::apps {

namespace {

// Splits "HOST:PORT"; false when malformed.
bool split_host_port(const std::string& text, std::string& host, unsigned short& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long p = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + static_cast<unsigned long>(c - '0');
    if (p > 65535) return false;
  }
  port = static_cast<unsigned short>(p);
  return true;
}

}  // namespace

struct OutreachRuntime::Impl {
  const domain::Model& model;
  storage::Store& store;
  Clock& clock;
  Random& random;
  service::StoreObserver* observer;
  OutreachRuntimeOptions options;

  std::unique_ptr<security::Sealer> sealer;
  std::unique_ptr<service::OutreachService> outreach;
  std::unique_ptr<channels::hl7::Hl7Intake> hl7;
  std::unique_ptr<channels::hl7::MllpListener> mllp;
  unsigned short mllp_port = 0;
  std::unique_ptr<channels::sms::KannelGateway> gateway;
  std::unique_ptr<channels::fhir::FhirMount> fhir_mount;
  std::unique_ptr<channels::sms::SmsCallbackMount> sms_mount;
  std::string callback_key;

  std::thread dispatcher;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool started = false;

  Impl(const domain::Model& m, storage::Store& s, Clock& c, Random& r, service::StoreObserver* o,
       OutreachRuntimeOptions opt)
      : model(m), store(s), clock(c), random(r), observer(o), options(std::move(opt)) {}

  // The dispatcher: every `poll`, hands due messages to Kannel at most
  // `rate_per_s` a second (a token bucket refilled in real time).
  void dispatch_loop() {
    using namespace std::chrono;
    const double rate = std::max(0.1, options.service.rate_per_s);
    const double burst = std::max(1.0, rate);
    double tokens = burst;
    auto last = steady_clock::now();
    std::unique_lock lock(mu);
    while (!stopping) {
      lock.unlock();
      const auto t = steady_clock::now();
      tokens = std::min(burst, tokens + rate * duration<double>(t - last).count());
      last = t;
      int budget = static_cast<int>(tokens);
      service::DispatchStats stats;
      if (budget > 0) {
        try {
          stats = outreach->dispatch_once(*gateway, budget);
        } catch (const std::exception& e) {
          spdlog::error("sms: dispatch failed: {}", e.what());
        }
        tokens -= stats.claimed;
        if (stats.claimed > 0) {
          spdlog::info("sms: {} claimed, {} sent, {} to retry, {} deferred to sending hours, {} uncertain, {} failed, "
                       "{} skipped",
                       stats.claimed, stats.sent, stats.retried, stats.deferred, stats.uncertain, stats.failed,
                       stats.skipped);
        }
        if (stats.unrecorded > 0) {
          spdlog::warn("sms: {} message(s) were accepted by Kannel but their state could not be stored; they wait "
                       "for a delivery report before any resend",
                       stats.unrecorded);
        }
      }
      lock.lock();
      // More may be due at once when the budget ran out; otherwise sleep a poll.
      const bool more = stats.claimed >= budget && budget > 0;
      cv.wait_for(lock, more ? milliseconds(static_cast<int>(1000.0 / rate)) : options.poll,
                  [this] { return stopping; });
    }
  }
};

OutreachRuntime::OutreachRuntime(const domain::Model& model, storage::Store& store, Clock& clock, Random& random,
                                 service::StoreObserver* observer, OutreachRuntimeOptions options)
    : impl_(std::make_unique<Impl>(model, store, clock, random, observer, std::move(options))) {}

OutreachRuntime::~OutreachRuntime() {
  stop();
}

Status OutreachRuntime::start() {
  Impl& m = *impl_;
  const std::string key_file =
      m.options.key_file.empty() ? (std::filesystem::path(m.options.data_dir) / "kaiku.key").string() : m.options.key_file;
  auto key = security::load_or_create_key(key_file, m.options.key_file.empty());
  if (!key) return fail(Error{key.error().kind, "--key-file: " + key.error().message});
  m.sealer = std::make_unique<security::Sealer>(*key);
  m.outreach = std::make_unique<service::OutreachService>(m.model, m.store, *m.sealer, m.clock, m.random, m.observer,
                                                          m.options.service);
  auto recovered = m.outreach->recover();
  if (!recovered) return fail(recovered.error());
  if (*recovered > 0) {
    spdlog::warn("sms: {} message(s) were being handed to the gateway when the server stopped; they are sent again "
                 "unless a delivery report arrives within the grace period",
                 *recovered);
  }
  if (!m.options.kannel_url.empty() && m.options.callback_key.size() < 16) {
    return fail(Error::invalid(
        "--sms-callback-key: with --kannel-url give a secret of at least 16 characters [A-Za-z0-9_-]; the same "
        "secret goes into Kannel's get-url (http://KAIKU/sms/mo?key=SECRET&from=%p&to=%P&text=%b)"));
  }
  for (char c : m.options.callback_key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return fail(Error::invalid("--sms-callback-key: only letters, digits, '-' and '_' (it travels in URLs)"));
    }
  }
  // Without Kannel nobody calls back; a random key keeps /sms closed.
  m.callback_key = m.options.callback_key.empty() ? m.sealer->keyed_hash("callback", random_token(m.random, 16))
                                                  : m.options.callback_key;
  m.fhir_mount = std::make_unique<channels::fhir::FhirMount>(*m.outreach);
  m.sms_mount = std::make_unique<channels::sms::SmsCallbackMount>(*m.outreach, m.callback_key);

  if (!m.options.mllp.empty()) {
    channels::hl7::MllpOptions mo;
    if (!split_host_port(m.options.mllp, mo.host, mo.port)) {
      return fail(Error::invalid("--mllp must be HOST:PORT, got '" + m.options.mllp + "'"));
    }
    m.hl7 = std::make_unique<channels::hl7::Hl7Intake>(*m.outreach, m.clock, m.random);
    m.mllp = std::make_unique<channels::hl7::MllpListener>(mo, *m.hl7);
    auto port = m.mllp->start();
    if (!port) return fail(port.error());
    m.mllp_port = *port;
    std::printf("mllp listening on %s:%u\n", mo.host.c_str(), static_cast<unsigned>(*port));
    std::fflush(stdout);
  }

  if (!m.options.kannel_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(m.options.kannel_url);
    if (!url || url->scheme() != "http" || url->host().empty()) {
      return fail(Error::invalid("--kannel-url must be an http:// URL such as "
                                 "http://127.0.0.1:13013/cgi-bin/sendsms, got '" + m.options.kannel_url + "'"));
    }
  }
  if (m.options.kannel_url.empty() && m.model.outreach.enabled) {
    spdlog::warn("sms: outreach is enabled in the model but no --kannel-url is given: events are recorded and "
                 "messages queued, nothing is sent");
  }
  m.started = true;
  return {};
}

Status OutreachRuntime::start_sending(const std::string& callback_base) {
  Impl& m = *impl_;
  if (!m.started || m.gateway) return {};
  if (!m.options.kannel_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(m.options.kannel_url);
    if (!url || url->scheme() != "http" || url->host().empty()) {
      return fail(Error::invalid("--kannel-url must be an http:// URL such as "
                                 "http://127.0.0.1:13013/cgi-bin/sendsms, got '" + m.options.kannel_url + "'"));
    }
    channels::sms::KannelOptions ko;
    ko.host = url->host();
    ko.port = url->has_port() ? static_cast<unsigned short>(url->port_number()) : 80;
    if (!url->path().empty()) ko.path = url->path();
    ko.username = m.options.kannel_user;
    ko.password = m.options.kannel_password;
    const std::string base = m.options.callback_base.empty() ? callback_base : m.options.callback_base;
    ko.dlr_base_url = base + "/sms/dlr?key=" + m.callback_key;
    m.gateway = std::make_unique<channels::sms::KannelGateway>(ko);
    m.stopping = false;
    m.dispatcher = std::thread([this] { impl_->dispatch_loop(); });
    spdlog::info("sms: sending through Kannel at {}:{}, at most {} a second; replies on {}/sms/mo?key=…", ko.host,
                 ko.port, m.options.service.rate_per_s, base);
  }
  return {};
}

void OutreachRuntime::stop() {
  Impl& m = *impl_;
  if (m.mllp) m.mllp->stop();
  {
    std::lock_guard lock(m.mu);
    m.stopping = true;
  }
  m.cv.notify_all();
  if (m.dispatcher.joinable()) m.dispatcher.join();
}

service::OutreachService& OutreachRuntime::service() {
  return *impl_->outreach;
}

std::vector<const http::Mount*> OutreachRuntime::mounts() const {
  std::vector<const http::Mount*> out;
  if (impl_->fhir_mount) out.push_back(impl_->fhir_mount.get());
  if (impl_->sms_mount) out.push_back(impl_->sms_mount.get());
  return out;
}

unsigned short OutreachRuntime::mllp_port() const {
  return impl_->mllp_port;
}

const std::string& OutreachRuntime::callback_key() const {
  return impl_->callback_key;
}

}  // namespace kaiku::apps
