#include "apps/steered_clock.hpp"

#include <sys/stat.h>

#include <fstream>

namespace kaiku::apps {

SteeredClock::SteeredClock(std::string path) : path_(std::move(path)) {}

TimePoint SteeredClock::now() const {
  const TimePoint system = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::lock_guard lock(mu_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    offset_ms_ = 0;
    seen_mtime_ns_ = -1;
  } else {
    const std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (mtime != seen_mtime_ns_ || st.st_size != seen_size_) {
      std::ifstream in(path_);
      long long v = 0;
      if (in >> v) offset_ms_ = v;
      seen_mtime_ns_ = mtime;
      seen_size_ = st.st_size;
    }
  }
  return system + std::chrono::milliseconds(offset_ms_);
}

}  // namespace kaiku::apps
