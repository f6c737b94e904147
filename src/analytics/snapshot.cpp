// The engine's snapshot file (snapshot.hpp).
#include "analytics/snapshot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

namespace kaiku::analytics::detail {
namespace {

static_assert(std::endian::native == std::endian::little, "the snapshot format is little-endian");

constexpr char kMagic[8] = {'K', 'A', 'I', 'K', 'U', 'E', 'N', 'G'};
constexpr std::size_t kHeaderSize = 32;
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// FNV-1a over 64-bit little-endian words (then the tail bytes one by one), fed
// in pieces of any size.
class Hasher {
 public:
  void update(const void* data, std::size_t n) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    while (n > 0 && fill_ != 0) {
      buf_[fill_++] = *p++, --n;
      if (fill_ == 8) word(buf_), fill_ = 0;
    }
    for (; n >= 8; p += 8, n -= 8) word(p);
    while (n > 0) buf_[fill_++] = *p++, --n;
  }
  std::uint64_t finish() const noexcept {
    std::uint64_t h = h_;
    for (std::size_t i = 0; i < fill_; ++i) h = (h ^ buf_[i]) * kFnvPrime;
    return h;
  }

 private:
  void word(const unsigned char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h_ = (h_ ^ w) * kFnvPrime;
  }
  std::uint64_t h_ = kFnvOffset;
  unsigned char buf_[8]{};
  std::size_t fill_ = 0;
};

// Appends the payload to a byte buffer, hashing it; with no buffer it only
// counts the bytes (a first pass that sizes the buffer exactly).
class Writer {
 public:
  explicit Writer(std::vector<unsigned char>* out) : out_(out) {}
  template <class T>
  void put(T v) {
    bytes(&v, sizeof v);
  }
  template <class T>
  void array(const std::vector<T>& v) {
    bytes(v.data(), v.size() * sizeof(T));
  }
  void string(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void bytes(const void* p, std::size_t n) {
    if (n == 0) return;
    size_ += n;
    if (out_ == nullptr) return;
    hash_.update(p, n);
    const auto* b = static_cast<const unsigned char*>(p);
    out_->insert(out_->end(), b, b + n);
  }
  std::uint64_t size() const { return size_; }
  std::uint64_t checksum() const { return hash_.finish(); }

 private:
  std::vector<unsigned char>* out_;
  Hasher hash_;
  std::uint64_t size_ = 0;
};

// Bounds-checked reading from the payload; every failure names what was read.
class Reader {
 public:
  Reader(const unsigned char* p, std::size_t n) : p_(p), end_(p + n) {}
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }
  template <class T>
  bool get(T& v) {
    if (left() < sizeof v) return false;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return true;
  }
  template <class T>
  bool array(std::vector<T>& v, std::size_t count) {
    if (count > left() / sizeof(T)) return false;
    v.resize(count);
    if (count != 0) std::memcpy(v.data(), p_, count * sizeof(T));
    p_ += count * sizeof(T);
    return true;
  }
  bool string(std::string& s) {
    std::uint32_t len;
    if (!get(len) || len > left()) return false;
    s.assign(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    return true;
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

Error corrupt(const std::string& path, const std::string& why) {
  return Error::invalid("snapshot " + path + ": " + why);
}

template <class T>
bool all_below(const std::vector<T>& v, std::size_t limit) {
  for (T x : v)
    if (static_cast<std::size_t>(x) >= limit) return false;
  return true;
}

void write_payload(Writer& w, const Store& s) {
  w.put(s.response_count);
  w.put(s.max_response_id);
  w.put(s.max_invitation_seq);
  for (const Dictionary* d : {&s.units, &s.touchpoints, &s.surveys, &s.questions, &s.themes}) {
    w.put(static_cast<std::uint32_t>(d->size()));
    for (const std::string& name : d->names()) w.string(name);
  }
  w.put(static_cast<std::uint64_t>(s.seen.size()));
  w.array(s.seen);
  w.put(static_cast<std::uint64_t>(s.seen_large.size()));
  for (std::int64_t id : s.seen_large) w.put(id);
  w.put(static_cast<std::uint32_t>(s.by_day.size()));
  for (std::uint32_t bi : s.by_day) {
    const Block& b = s.blocks[bi];
    w.put(b.day);
    w.put(b.survey);
    w.put(static_cast<std::uint16_t>(b.columns.size()));
    w.put(static_cast<std::uint32_t>(b.rows()));
    w.put(b.sorted);
    w.array(b.unit);
    w.array(b.touchpoint);
    w.array(b.channel);
    w.array(b.language);
    w.array(b.age);
    w.array(b.respondent);
    w.array(b.flags);
    w.put(static_cast<std::uint8_t>(b.comment.empty() ? 0 : 1));
    if (!b.comment.empty()) w.array(b.comment);
    w.put(static_cast<std::uint32_t>(b.theme.empty() ? 0 : b.theme_sets.size()));
    if (!b.theme.empty()) {
      w.array(b.theme_sets);
      w.array(b.theme);
    }
    for (const Column& c : b.columns) {
      w.put(c.key);
      w.array(c.values);
    }
  }
  // Invitation blocks in day order; ids refer to that order.
  std::vector<std::uint32_t> position(s.inv_blocks.size());
  for (std::size_t i = 0; i < s.inv_by_day.size(); ++i)
    position[s.inv_by_day[i]] = static_cast<std::uint32_t>(i);
  w.put(static_cast<std::uint32_t>(s.inv_by_day.size()));
  for (std::uint32_t bi : s.inv_by_day) {
    const InvitationBlock& b = s.inv_blocks[bi];
    w.put(b.day);
    w.put(static_cast<std::uint32_t>(b.rows()));
    w.array(b.unit);
    w.array(b.touchpoint);
    w.array(b.channel);
    w.array(b.language);
    w.array(b.age);
    w.array(b.used);
  }
  w.put(static_cast<std::uint64_t>(s.invitations.size()));
  for (const auto& [id, at] : s.invitations) {
    w.string(id);
    w.put(position[at.first]);
    w.put(at.second);
  }
  w.put(static_cast<std::uint64_t>(s.pending_used.size()));
  for (const std::string& id : s.pending_used) w.string(id);
}

// Parses and checks a payload; "" on success, else the reason.
std::string read_payload(Reader& r, Store& s) {
  if (!r.get(s.response_count) || !r.get(s.max_response_id) || !r.get(s.max_invitation_seq))
    return "truncated counters";
  if (s.response_count < 0 || s.max_response_id < 0 || s.max_invitation_seq < 0) return "negative counters";
  const char* dict_names[5] = {"units", "touchpoints", "surveys", "questions", "themes"};
  Dictionary* dicts[5] = {&s.units, &s.touchpoints, &s.surveys, &s.questions, &s.themes};
  for (int i = 0; i < 5; ++i) {
    std::uint32_t n;
    if (!r.get(n) || n > (i == 4 ? kMaxThemes : kMaxCodes) || n > r.left() / 4)
      return std::string("bad size of the ") + dict_names[i] + " dictionary";
    std::vector<std::string> names(n);
    for (std::string& name : names)
      if (!r.string(name)) return std::string("truncated ") + dict_names[i] + " dictionary";
    if (!dicts[i]->assign(std::move(names)))
      return std::string("duplicate names in the ") + dict_names[i] + " dictionary";
  }
  std::uint64_t n64;
  if (!r.get(n64) || n64 > r.left() / 8 || !r.array(s.seen, static_cast<std::size_t>(n64)))
    return "bad seen-id bitset";
  if (!r.get(n64) || n64 > r.left() / 8) return "bad list of large ids";
  for (std::uint64_t i = 0; i < n64; ++i) {
    std::int64_t id;
    if (!r.get(id) || id <= 0) return "bad large id";
    s.seen_large.insert(id);
  }
  std::uint32_t nblocks;
  if (!r.get(nblocks) || nblocks > r.left() / 16) return "bad block count";
  s.blocks.resize(nblocks);
  std::int64_t rows_total = 0;
  for (std::uint32_t bi = 0; bi < nblocks; ++bi) {
    Block& b = s.blocks[bi];
    std::uint16_t ncols;
    std::uint32_t rows;
    if (!r.get(b.day) || !r.get(b.survey) || !r.get(ncols) || !r.get(rows) || !r.get(b.sorted))
      return "truncated block header";
    if (b.survey >= s.surveys.size()) return "block with an unknown survey";
    if (bi > 0 &&
        std::make_pair(s.blocks[bi - 1].day, s.blocks[bi - 1].survey) >= std::make_pair(b.day, b.survey))
      return "blocks out of order";
    if (rows == 0 || rows > r.left() / 9)
      return "bad row count in a block";  // 2 + 2 + 5 bytes a row at least
    if (!r.array(b.unit, rows) || !r.array(b.touchpoint, rows) || !r.array(b.channel, rows) ||
        !r.array(b.language, rows) || !r.array(b.age, rows) || !r.array(b.respondent, rows) ||
        !r.array(b.flags, rows))
      return "truncated block";
    if (!all_below(b.unit, s.units.size()) || !all_below(b.touchpoint, s.touchpoints.size()))
      return "unknown unit or touchpoint code in a block";
    if (!all_below(b.channel, kChannelCount) || !all_below(b.language, kLanguageCount) ||
        !all_below(b.age, kAgeCount) || !all_below(b.respondent, kRespondentCount) ||
        !all_below(b.flags, kFlagSupplement + 1))
      return "value out of range in a block";
    std::uint8_t has_comment;
    std::uint32_t nsets;
    if (!r.get(has_comment) || has_comment > 1) return "bad comment marker in a block";
    if (has_comment == 1 && !r.array(b.comment, rows)) return "truncated comment column";
    for (std::uint8_t c : b.comment)
      if (c >= kCommentCodes && c != kNoComment) return "comment code out of range in a block";
    if (!r.get(nsets) || nsets == 1 || nsets > kMaxThemeSets || nsets > r.left() / 8)
      return "bad theme set count in a block";
    if (nsets > 0) {
      if (!r.array(b.theme_sets, nsets) || !r.array(b.theme, rows)) return "truncated theme column";
      if (b.theme_sets[0] != 0) return "theme set 0 is not empty";
      const std::uint64_t known =
          s.themes.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << s.themes.size()) - 1;
      for (std::uint64_t m : b.theme_sets)
        if ((m & ~known) != 0) return "theme set with an unknown theme";
      if (!all_below(b.theme, nsets)) return "theme index out of range in a block";
    }
    b.columns.resize(ncols);
    for (std::uint16_t c = 0; c < ncols; ++c) {
      if (!r.get(b.columns[c].key) || !r.array(b.columns[c].values, rows)) return "truncated column";
      if (b.columns[c].key >= s.questions.size()) return "column of an unknown question";
      for (std::uint16_t d = 0; d < c; ++d)
        if (b.columns[d].key == b.columns[c].key) return "duplicate column in a block";
    }
    if (!b.rebuild_runs()) return "block rows not sorted by unit as stated";
    b.rebuild_summary();
    rows_total += rows;
  }
  if (rows_total != s.response_count) return "response count does not match the blocks";
  s.by_day.resize(nblocks);
  for (std::uint32_t i = 0; i < nblocks; ++i) s.by_day[i] = i;

  std::uint32_t ninv;
  if (!r.get(ninv) || ninv > r.left() / 8) return "bad invitation block count";
  s.inv_blocks.resize(ninv);
  std::uint64_t inv_rows = 0;
  for (std::uint32_t bi = 0; bi < ninv; ++bi) {
    InvitationBlock& b = s.inv_blocks[bi];
    std::uint32_t rows;
    if (!r.get(b.day) || !r.get(rows)) return "truncated invitation block";
    if (bi > 0 && s.inv_blocks[bi - 1].day >= b.day) return "invitation blocks out of order";
    if (rows == 0 || rows > r.left() / 8) return "bad row count in an invitation block";
    if (!r.array(b.unit, rows) || !r.array(b.touchpoint, rows) || !r.array(b.channel, rows) ||
        !r.array(b.language, rows) || !r.array(b.age, rows) || !r.array(b.used, rows))
      return "truncated invitation block";
    if (!all_below(b.unit, s.units.size()) || !all_below(b.touchpoint, s.touchpoints.size()) ||
        !all_below(b.channel, kChannelCount) || !all_below(b.language, kLanguageCount) ||
        !all_below(b.age, kAgeCount) || !all_below(b.used, 2))
      return "value out of range in an invitation block";
    inv_rows += rows;
  }
  s.inv_by_day.resize(ninv);
  for (std::uint32_t i = 0; i < ninv; ++i) s.inv_by_day[i] = i;
  if (!r.get(n64) || n64 != inv_rows || n64 > r.left() / 12) return "bad invitation id count";
  s.invitations.reserve(static_cast<std::size_t>(n64));
  for (std::uint64_t i = 0; i < n64; ++i) {
    std::string id;
    std::uint32_t block, row;
    if (!r.string(id) || !r.get(block) || !r.get(row)) return "truncated invitation ids";
    if (id.empty() || block >= ninv || row >= s.inv_blocks[block].rows()) return "bad invitation id entry";
    if (!s.invitations.emplace(std::move(id), std::make_pair(block, row)).second)
      return "duplicate invitation id";
  }
  if (!r.get(n64) || n64 > r.left() / 4) return "bad count of pending invitation ids";
  for (std::uint64_t i = 0; i < n64; ++i) {
    std::string id;
    if (!r.string(id)) return "truncated pending invitation ids";
    s.pending_used.insert(std::move(id));
  }
  if (r.left() != 0) return "trailing bytes after the payload";
  return "";
}

Status io_error(const std::string& what, const std::string& path) {
  return fail(Error::unavailable(what + " " + path + ": " + std::strerror(errno)));
}

}  // namespace

std::vector<unsigned char> serialize_store(const Store& s) {
  Writer counter(nullptr);
  write_payload(counter, s);
  std::vector<unsigned char> out;
  out.reserve(kHeaderSize + counter.size());
  out.resize(kHeaderSize);
  Writer w(&out);
  write_payload(w, s);
  const std::uint32_t version = kSnapshotVersion;
  const std::uint64_t size = w.size(), sum = w.checksum();
  std::memcpy(out.data(), kMagic, 8);
  std::memcpy(out.data() + 8, &version, 4);
  std::memcpy(out.data() + 16, &size, 8);
  std::memcpy(out.data() + 24, &sum, 8);
  return out;
}

Status write_snapshot(const std::vector<unsigned char>& bytes, const std::string& path) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create", tmp);
  bool ok = true;
  for (std::size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (::close(fd) != 0) ok = false;
  if (!ok) {
    Status st = io_error("cannot write", tmp);
    std::remove(tmp.c_str());
    return st;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = io_error("cannot rename to", path);
    std::remove(tmp.c_str());
    return st;
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? std::string(1, '.') : parent.string();
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Status save_store(const Store& s, const std::string& path) {
  return write_snapshot(serialize_store(s), path);
}

Status load_store(Store& out, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) return fail(Error::not_found("snapshot " + path + " does not exist"));
    return io_error("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(corrupt(path, "not a regular file"));
  }
  const auto file_size = static_cast<std::uint64_t>(st.st_size);
  if (file_size < kHeaderSize) {
    ::close(fd);
    return fail(corrupt(path, "truncated header"));
  }
  std::vector<unsigned char> data(static_cast<std::size_t>(file_size));
  std::size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != data.size()) return fail(corrupt(path, "short read"));
  if (std::memcmp(data.data(), kMagic, 8) != 0)
    return fail(corrupt(path, "not an engine snapshot (bad magic)"));
  std::uint32_t version;
  std::uint64_t size, sum;
  std::memcpy(&version, data.data() + 8, 4);
  std::memcpy(&size, data.data() + 16, 8);
  std::memcpy(&sum, data.data() + 24, 8);
  if (version != kSnapshotVersion)
    return fail(corrupt(path, "format version " + std::to_string(version) + ", expected " +
                                  std::to_string(kSnapshotVersion)));
  if (size != file_size - kHeaderSize) return fail(corrupt(path, "truncated or padded payload"));
  Hasher h;
  h.update(data.data() + kHeaderSize, static_cast<std::size_t>(size));
  if (h.finish() != sum) return fail(corrupt(path, "checksum mismatch"));
  Store s;
  Reader r(data.data() + kHeaderSize, static_cast<std::size_t>(size));
  const std::string why = read_payload(r, s);
  if (!why.empty()) return fail(corrupt(path, why));
  out = std::move(s);
  return {};
}

}  // namespace kaiku::analytics::detail
