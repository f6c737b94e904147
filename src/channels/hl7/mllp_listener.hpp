// The MLLP listener of `kaiku serve --mllp HOST:PORT`: a thin TCP front of
// Hl7Intake. One thread per connection (interface engines keep a few long-lived
// connections); each read is fed to an MllpDecoder, every frame completed by it is
// answered as one batch (so a sender that pipelines gets group commit), and the
// ACKs are written in order. Idle connections are closed after the idle timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "channels/hl7/hl7_intake.hpp"

namespace kaiku::channels::hl7 {

struct MllpOptions {
  std::string host = "127.0.0.1";          // address to bind
  unsigned short port = 2575;              // 0: any free port (start() returns it)
  std::size_t max_connections = 64;        // more are accepted and closed at once
  std::size_t max_frame = std::size_t{1} << 20;  // larger frames are answered AR and dropped
  std::chrono::seconds idle_timeout{300};  // a connection silent this long is closed
};

class MllpListener {
 public:
  // `intake` must outlive the listener.
  MllpListener(MllpOptions options, Hl7Intake& intake);
  ~MllpListener();  // stop()
  MllpListener(const MllpListener&) = delete;
  MllpListener& operator=(const MllpListener&) = delete;

  // Binds and starts accepting. Returns the bound port; unavailable when the
  // address cannot be bound.
  Result<unsigned short> start();
  // Stops accepting, closes every connection (a batch being recorded finishes and
  // is answered first when its connection is still open), joins all threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::channels::hl7
