#include "channels/hl7/mllp.hpp"

#include <utility>

namespace kaiku::channels::hl7 {

std::string frame(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 3);
  out += kMllpStart;
  out.append(payload);
  out += kMllpEnd;
  out += kMllpCr;
  return out;
}

MllpDecoder::MllpDecoder(std::size_t max_frame_size) : max_(max_frame_size) {}

void MllpDecoder::flush_garbage(std::vector<Result<std::string>>& out) {
  if (garbage_count_ == 0) return;
  out.emplace_back(fail(Error::invalid(
      "MLLP: " + std::to_string(garbage_count_) + " byte(s) outside a frame at stream offset " +
      std::to_string(garbage_start_) + " (expected start block 0x0B)")));
  garbage_count_ = 0;
}

std::vector<Result<std::string>> MllpDecoder::feed(std::string_view bytes) {
  std::vector<Result<std::string>> out;
  for (const char c : bytes) {
    const std::uint64_t at = offset_++;
    switch (state_) {
      case State::outside:
        if (c == kMllpStart) {
          flush_garbage(out);
          state_ = State::in_frame;
          frame_start_ = at;
          buffer_.clear();
        } else if (c != '\r' && c != '\n') {
          if (garbage_count_ == 0) garbage_start_ = at;
          ++garbage_count_;
        }
        break;
      case State::skipping:  // the rest of an oversized or broken frame
        if (c == kMllpStart) {
          state_ = State::in_frame;
          frame_start_ = at;
          buffer_.clear();
        }
        break;
      case State::in_frame:
        if (c == kMllpEnd) {
          state_ = State::after_end;
        } else if (c == kMllpStart) {
          out.emplace_back(fail(Error::invalid(
              "MLLP: frame started at stream offset " + std::to_string(frame_start_) +
              " not ended before a new start block at offset " + std::to_string(at) +
              "; its " + std::to_string(buffer_.size()) + " byte(s) were dropped")));
          buffer_.clear();
          frame_start_ = at;
        } else if (buffer_.size() >= max_) {
          out.emplace_back(fail(Error{ErrorKind::too_large,
              "MLLP: frame started at stream offset " + std::to_string(frame_start_) +
              " exceeds the maximum of " + std::to_string(max_) + " bytes; dropped"}));
          buffer_.clear();
          buffer_.shrink_to_fit();
          state_ = State::skipping;
        } else {
          buffer_ += c;
        }
        break;
      case State::after_end:
        if (c == kMllpCr) {
          out.emplace_back(std::move(buffer_));
          buffer_ = std::string();
          state_ = State::outside;
        } else {
          out.emplace_back(fail(Error::invalid(
              "MLLP: end block at stream offset " + std::to_string(at - 1) +
              " not followed by CR (0x0D); frame started at offset " +
              std::to_string(frame_start_) + " dropped")));
          buffer_.clear();
          if (c == kMllpStart) {
            state_ = State::in_frame;
            frame_start_ = at;
          } else {
            state_ = State::skipping;
          }
        }
        break;
    }
  }
  // Report garbage seen so far now rather than waiting for the next start block.
  if (state_ == State::outside) flush_garbage(out);
  return out;
}

}  // namespace kaiku::channels::hl7
