// The running parts of SMS outreach in `kaiku serve`: the server key and sealer,
// the OutreachService, the MLLP listener (--mllp), the HTTP mounts (/fhir, /sms),
// and the outbox dispatcher thread sending through Kannel (--kannel-url).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "domain/model.hpp"
#include "http/mount.hpp"
#include "service/outreach_service.hpp"
#include "service/survey_service.hpp"
#include "storage/store.hpp"

namespace kaiku::apps {

struct OutreachRuntimeOptions {
  std::string data_dir;              // the key file defaults to DATA/kaiku.key
  std::string key_file;              // "" = DATA/kaiku.key (created at first start, mode 0600)
  std::string mllp;                  // "HOST:PORT" to listen for HL7 v2 over MLLP; "" = none
  std::string kannel_url;            // Kannel sendsms URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms; "" = no sending
  std::string kannel_user;
  std::string kannel_password;
  // Base URL Kannel reaches Kaiku's /sms callbacks on (delivery reports), e.g.
  // http://127.0.0.1:8080; "" = the address the HTTP server listens on.
  std::string callback_base;
  std::string callback_key;          // secret in the /sms callback URLs (>= 16 of [A-Za-z0-9_-]); required with kannel_url
  service::OutreachOptions service;  // base_url, rate, backoff...
  std::chrono::milliseconds poll{200};  // dispatcher wake-up interval (real time)
};

class OutreachRuntime {
 public:
  // All references must outlive the runtime.
  OutreachRuntime(const domain::Model& model, storage::Store& store, Clock& clock, Random& random,
                  service::StoreObserver* observer, OutreachRuntimeOptions options);
  ~OutreachRuntime();  // stop()
  OutreachRuntime(const OutreachRuntime&) = delete;
  OutreachRuntime& operator=(const OutreachRuntime&) = delete;

  // Loads (or creates) the key, recovers the outbox, makes the mounts and starts
  // the MLLP listener as configured. Errors say which option is at fault.
  Status start();
  // Starts sending through Kannel when --kannel-url is configured (else nothing):
  // delivery reports are asked for at `callback_base` (options.callback_base when
  // set) + "/sms/dlr". Call after start(), once the HTTP server is listening.
  Status start_sending(const std::string& callback_base);
  // Stops the listener and the dispatcher (a hand-over in progress finishes). Idempotent.
  void stop();

  // Valid after start().
  service::OutreachService& service();
  // The mounts to give the Router (/fhir, /sms); valid after start().
  std::vector<const http::Mount*> mounts() const;
  // The MLLP port bound (0 when not listening).
  unsigned short mllp_port() const;
  // The callback key Kannel's URLs must carry (for printing the Kannel configuration).
  const std::string& callback_key() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::apps
