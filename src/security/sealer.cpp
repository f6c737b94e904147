#include "security/sealer.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "security/sodium_random.hpp"

namespace kaiku::security {
namespace {

static_assert(crypto_kdf_KEYBYTES == 32, "SecretKey is 32 bytes");
static_assert(crypto_secretbox_KEYBYTES == 32, "seal key is 32 bytes");
static_assert(crypto_generichash_KEYBYTES_MAX >= 32, "hash key is 32 bytes");

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "kaikuKEY";
constexpr std::uint64_t kSealSubkey = 1;
constexpr std::uint64_t kHashSubkey = 2;
constexpr std::size_t kMaxKeyFileBytes = 256;  // a key file is 64 hex digits and a newline

std::string errno_text(int err) { return std::strerror(err); }

// Closes a descriptor when leaving scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the content of a key file; the message never quotes the content.
Result<SecretKey> parse_key(std::string text, const std::string& path) {
  if (text.size() >= 1 && text.back() == '\n') text.pop_back();
  if (text.size() >= 1 && text.back() == '\r') text.pop_back();
  SecretKey key{};
  bool ok = text.size() == 64;
  for (std::size_t i = 0; ok && i < 32; ++i) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      ok = false;
    } else {
      key[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
  }
  sodium_memzero(text.data(), text.size());
  if (!ok) {
    sodium_memzero(key.data(), key.size());
    return fail(Error::invalid("secret key file " + path +
                               " must hold exactly 64 hexadecimal digits (32 bytes) and an optional newline"));
  }
  return key;
}

// Reads an existing key file: a regular file accessible by its owner only.
Result<SecretKey> read_key_file(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (f.fd < 0) {
    int err = errno;
    if (err == ELOOP) return fail(Error::invalid("secret key file " + path + " is a symbolic link; refusing it"));
    return fail(Error::unavailable("cannot open secret key file " + path + ": " + errno_text(err)));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) {
    return fail(Error::unavailable("cannot stat secret key file " + path + ": " + errno_text(errno)));
  }
  if (!S_ISREG(st.st_mode)) return fail(Error::invalid("secret key file " + path + " is not a regular file"));
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(Error::invalid("secret key file " + path + " has mode " + mode +
                               ": it must not be accessible by group or others (run: chmod 600 " + path + ")"));
  }
  std::string text(kMaxKeyFileBytes + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      sodium_memzero(text.data(), text.size());
      return fail(Error::unavailable("cannot read secret key file " + path + ": " + errno_text(err)));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return parse_key(std::move(text), path);
}

Status write_all(int fd, const char* data, std::size_t size, const std::string& what) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Error::unavailable("cannot write " + what + ": " + errno_text(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Status fsync_dir(const std::filesystem::path& dir) {
  Fd d{::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd < 0) return fail(Error::unavailable("cannot open folder " + dir.string() + ": " + errno_text(errno)));
  if (::fsync(d.fd) != 0) return fail(Error::unavailable("cannot fsync folder " + dir.string() + ": " + errno_text(errno)));
  return {};
}

// Draws a new key and publishes it at `path` atomically: written and fsync'd in a
// temporary file of the same folder, then hard-linked into place (which fails if
// another process created the key meanwhile: then that key is used).
Result<SecretKey> create_key_file(const std::string& path) {
  ensure_sodium();
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.parent_path();
  std::string tmpl = (dir / (target.filename().string() + ".tmp-XXXXXX")).string();
  Fd f{::mkstemp(tmpl.data())};  // mode 0600
  if (f.fd < 0) {
    return fail(Error::unavailable("cannot create secret key file in " + (dir.empty() ? std::string(".") : dir.string()) +
                                   ": " + errno_text(errno)));
  }
  struct Unlink {
    std::string p;
    ~Unlink() { ::unlink(p.c_str()); }
  } cleanup{tmpl};
  if (::fchmod(f.fd, 0600) != 0) {
    return fail(Error::unavailable("cannot set mode 0600 on " + tmpl + ": " + errno_text(errno)));
  }
  SecretKey key{};
  randombytes_buf(key.data(), key.size());
  char hex[2 * 32 + 2];
  sodium_bin2hex(hex, 2 * 32 + 1, key.data(), key.size());
  hex[64] = '\n';
  Status w = write_all(f.fd, hex, 65, "secret key file " + tmpl);
  sodium_memzero(hex, sizeof hex);
  if (!w) return fail(w.error());
  if (::fsync(f.fd) != 0) return fail(Error::unavailable("cannot fsync " + tmpl + ": " + errno_text(errno)));
  if (::link(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    sodium_memzero(key.data(), key.size());
    if (err == EEXIST) return read_key_file(path);  // created by someone else meanwhile
    return fail(Error::unavailable("cannot create secret key file " + path + ": " + errno_text(err)));
  }
  Status s = fsync_dir(dir);
  if (!s) return fail(s.error());
  return key;
}

}  // namespace

Result<SecretKey> load_or_create_key(const std::string& path, bool create) {
  if (path.empty()) return fail(Error::invalid("secret key file: no path given"));
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err != ENOENT) return fail(Error::unavailable("cannot stat secret key file " + path + ": " + errno_text(err)));
    if (!create) return fail(Error::not_found("secret key file " + path + " does not exist"));
    return create_key_file(path);
  }
  return read_key_file(path);
}

Sealer::Sealer(const SecretKey& key) {
  ensure_sodium();
  crypto_kdf_derive_from_key(seal_key_.data(), seal_key_.size(), kSealSubkey, kKdfContext, key.data());
  crypto_kdf_derive_from_key(hash_key_.data(), hash_key_.size(), kHashSubkey, kKdfContext, key.data());
}

Sealer::~Sealer() {
  sodium_memzero(seal_key_.data(), seal_key_.size());
  sodium_memzero(hash_key_.data(), hash_key_.size());
}

std::vector<std::uint8_t> Sealer::seal(std::string_view plain) const {
  std::vector<std::uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), out.data(), seal_key_.data());
  return out;
}

Result<std::string> Sealer::open(const std::vector<std::uint8_t>& sealed) const {
  constexpr std::size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < overhead) {
    return fail(Error::invalid("sealed data is shorter than a sealed box (" + std::to_string(sealed.size()) +
                               " bytes, at least " + std::to_string(overhead) + " needed)"));
  }
  std::string plain(sealed.size() - overhead, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 sealed.data() + crypto_secretbox_NONCEBYTES, sealed.size() - crypto_secretbox_NONCEBYTES,
                                 sealed.data(), seal_key_.data()) != 0) {
    return fail(Error::invalid("sealed data cannot be opened: altered, truncated or sealed with another key"));
  }
  return plain;
}

std::string Sealer::keyed_hash(std::string_view purpose, std::string_view value) const {
  // Domain separation: the purpose's length, the purpose, then the value, so
  // that no (purpose, value) pair can collide with another by shifting bytes.
  crypto_generichash_state st;
  crypto_generichash_init(&st, hash_key_.data(), hash_key_.size(), 32);
  std::uint8_t len[8];
  std::uint64_t n = purpose.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(n >> (8 * i));
  crypto_generichash_update(&st, len, sizeof len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  std::uint8_t digest[32];
  crypto_generichash_final(&st, digest, sizeof digest);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, 64);
}

}  // namespace kaiku::security
