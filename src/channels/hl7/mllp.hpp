// MLLP (Minimal Lower Layer Protocol) framing for HL7 v2 over TCP:
// 0x0B, the message bytes, then 0x1C 0x0D. Pure; no sockets here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kaiku::channels::hl7 {

inline constexpr char kMllpStart = '\x0B';  // VT, start block
inline constexpr char kMllpEnd = '\x1C';    // FS, end block
inline constexpr char kMllpCr = '\x0D';     // CR after the end block
inline constexpr std::size_t kDefaultMaxFrame = std::size_t{1} << 20;  // 1 MiB

// Returns `payload` wrapped in an MLLP frame. The payload is not inspected.
std::string frame(std::string_view payload);

// An incremental MLLP decoder for one connection: feed it bytes as they arrive, in
// chunks of any size, and it hands back each complete frame's payload. Problems are
// reported in the same ordered list, as errors naming the byte offset in the stream:
// bytes outside a frame (CR and LF between frames are ignored silently), a start
// block inside an unfinished frame (the unfinished frame is dropped and the new one
// read), an end block not followed by CR, and a frame longer than the maximum (it
// is dropped, not buffered). After any error the decoder resynchronises at the
// next start block. Not thread-safe; one decoder per connection.
class MllpDecoder {
 public:
  // `max_frame_size` is the largest accepted payload in bytes.
  explicit MllpDecoder(std::size_t max_frame_size = kDefaultMaxFrame);

  // Consumes `bytes` and returns, in stream order, each frame completed by them
  // (value: the payload without framing) and each problem found (error: invalid_input
  // or too_large). Bytes of an unfinished frame are kept for the next call.
  std::vector<Result<std::string>> feed(std::string_view bytes);

  // True while a frame has been started but not yet ended.
  bool in_frame() const noexcept { return state_ == State::in_frame || state_ == State::after_end; }
  // Returns the number of payload bytes buffered for the unfinished frame.
  std::size_t buffered() const noexcept { return buffer_.size(); }
  // Returns the number of bytes consumed since construction.
  std::uint64_t stream_offset() const noexcept { return offset_; }

 private:
  enum class State { outside, in_frame, after_end, skipping };
  void flush_garbage(std::vector<Result<std::string>>& out);

  std::size_t max_;
  State state_ = State::outside;
  std::string buffer_;
  std::uint64_t offset_ = 0;        // stream offset of the next byte
  std::uint64_t frame_start_ = 0;   // offset of the current frame's start block
  std::uint64_t garbage_start_ = 0;
  std::uint64_t garbage_count_ = 0;
};

}  // namespace kaiku::channels::hl7
