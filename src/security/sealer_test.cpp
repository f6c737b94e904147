#include "security/sealer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace kaiku::security {
namespace {

SecretKey key_of(std::uint8_t fill) {
  SecretKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(fill + i);
  return k;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kaiku-sealer-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(path.c_str(), mode);
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(Sealer, RoundTripsIncludingUtf8AndEmpty) {
  Sealer s(key_of(1));
  for (std::string plain : {std::string(""), std::string("+358401234567"),
                            std::string("Kiitos käynnistä! Vastaa 0–10 😀 åäö"), std::string(5000, 'x'),
                            std::string("nul\0inside", 10)}) {
    auto sealed = s.seal(plain);
    EXPECT_EQ(sealed.size(), plain.size() + 40u);  // 24-byte nonce + 16-byte tag
    auto opened = s.open(sealed);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
}

TEST(Sealer, FreshNonceEachTime) {
  Sealer s(key_of(1));
  auto a = s.seal("+358401234567");
  auto b = s.seal("+358401234567");
  EXPECT_NE(a, b);
  EXPECT_NE(std::vector<std::uint8_t>(a.begin(), a.begin() + 24), std::vector<std::uint8_t>(b.begin(), b.begin() + 24));
}

TEST(Sealer, CiphertextDoesNotContainPlaintext) {
  Sealer s(key_of(1));
  std::string plain = "+358401234567";
  auto sealed = s.seal(plain);
  std::string bytes(sealed.begin(), sealed.end());
  EXPECT_EQ(bytes.find(plain), std::string::npos);
}

TEST(Sealer, DetectsTamperingAnywhere) {
  Sealer s(key_of(1));
  auto sealed = s.seal("+358401234567");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto bad = sealed;
    bad[i] ^= 0x01;
    auto opened = s.open(bad);
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(opened.error().message.find("358"), std::string::npos);
  }
}

TEST(Sealer, RejectsWrongKey) {
  Sealer a(key_of(1));
  Sealer b(key_of(2));
  auto opened = b.open(a.seal("secret"));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, ErrorKind::invalid_input);
}

TEST(Sealer, RejectsTruncatedAndEmpty) {
  Sealer s(key_of(1));
  auto sealed = s.seal("hello");
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{23}, std::size_t{24}, std::size_t{39},
                        std::size_t{40}, sealed.size() - 1}) {
    std::vector<std::uint8_t> cut(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(n));
    auto opened = s.open(cut);
    ASSERT_FALSE(opened) << n;
    EXPECT_EQ(opened.error().kind, ErrorKind::invalid_input) << n;
  }
  auto extended = sealed;
  extended.push_back(0);
  EXPECT_FALSE(s.open(extended));
}

TEST(Sealer, KeyedHashIsStableHexAndSeparatesPurposesAndKeys) {
  Sealer a(key_of(1));
  Sealer a2(key_of(1));
  Sealer b(key_of(2));
  std::string h = a.keyed_hash("number", "+358401234567");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(h, a2.keyed_hash("number", "+358401234567"));
  EXPECT_NE(h, a.keyed_hash("person", "+358401234567"));
  EXPECT_NE(h, a.keyed_hash("number", "+358401234568"));
  EXPECT_NE(h, b.keyed_hash("number", "+358401234567"));
  // Shifting bytes between purpose and value must not collide.
  EXPECT_NE(a.keyed_hash("ab", "c"), a.keyed_hash("a", "bc"));
  EXPECT_NE(a.keyed_hash("", ""), a.keyed_hash("x", ""));
}

TEST(Sealer, SealKeyAndHashKeyAreIndependentOfTheMasterKey) {
  // A hash of the empty value must not reveal the master key (sub-keys are derived).
  SecretKey k = key_of(7);
  Sealer s(k);
  std::string master_hex;
  static const char* digits = "0123456789abcdef";
  for (auto byte : k) {
    master_hex += digits[byte >> 4];
    master_hex += digits[byte & 15];
  }
  EXPECT_NE(s.keyed_hash("", ""), master_hex);
}

TEST(KeyFile, CreatesWithMode0600AndReloadsTheSameKey) {
  TempDir dir;
  std::string path = dir.file("secret.key");
  auto created = load_or_create_key(path, true);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), 65u);  // 64 hex digits + newline
  auto again = load_or_create_key(path, true);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*created, *again);
  auto read_only = load_or_create_key(path, false);
  ASSERT_TRUE(read_only);
  EXPECT_EQ(*created, *read_only);
  // No temporary file left behind.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
  // Two creations in different places differ.
  auto other = load_or_create_key(dir.file("other.key"), true);
  ASSERT_TRUE(other);
  EXPECT_NE(*created, *other);
}

TEST(KeyFile, MissingWithoutCreateIsNotFound) {
  TempDir dir;
  auto k = load_or_create_key(dir.file("absent.key"), false);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir.file("absent.key")));
}

TEST(KeyFile, MissingFolderIsUnavailable) {
  TempDir dir;
  auto k = load_or_create_key(dir.file("no/such/dir/secret.key"), true);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().kind, ErrorKind::unavailable);
}

TEST(KeyFile, ReadsHandWrittenKeyInEitherCaseWithOrWithoutNewline) {
  TempDir dir;
  SecretKey expected{};
  for (std::size_t i = 0; i < 32; ++i) expected[i] = static_cast<std::uint8_t>(i);
  std::string upper = kHexKey;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& content : {kHexKey, kHexKey + "\n", upper + "\r\n"}) {
    std::string path = dir.file("k");
    write_file(path, content, 0600);
    auto k = load_or_create_key(path, false);
    ASSERT_TRUE(k) << k.error().message;
    EXPECT_EQ(*k, expected);
  }
}

TEST(KeyFile, RejectsBadContentWithoutQuotingIt) {
  TempDir dir;
  std::string path = dir.file("k");
  for (const std::string& content :
       {std::string(""), kHexKey.substr(0, 62), kHexKey + "00", "zz" + kHexKey.substr(2), kHexKey + "\n\n",
        " " + kHexKey, std::string(10000, 'a')}) {
    write_file(path, content, 0600);
    auto k = load_or_create_key(path, true);
    ASSERT_FALSE(k) << content.size();
    EXPECT_EQ(k.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(k.error().message.find("64 hexadecimal digits"), std::string::npos) << k.error().message;
    EXPECT_EQ(k.error().message.find("0a0b0c"), std::string::npos);
  }
}

TEST(KeyFile, RefusesFilesAccessibleByGroupOrOthers) {
  TempDir dir;
  std::string path = dir.file("k");
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0660}) {
    write_file(path, kHexKey + "\n", mode);
    auto k = load_or_create_key(path, true);
    ASSERT_FALSE(k) << std::oct << mode;
    EXPECT_EQ(k.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(k.error().message.find("chmod 600"), std::string::npos) << k.error().message;
    EXPECT_EQ(k.error().message.find("0a0b0c"), std::string::npos);
  }
  write_file(path, kHexKey + "\n", 0400);
  EXPECT_TRUE(load_or_create_key(path, true));
}

TEST(KeyFile, RefusesSymlinksAndDirectories) {
  TempDir dir;
  std::string real = dir.file("real");
  write_file(real, kHexKey, 0600);
  std::string link = dir.file("link");
  std::filesystem::create_symlink(real, link);
  auto k = load_or_create_key(link, true);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().kind, ErrorKind::invalid_input);
  std::filesystem::create_directory(dir.file("d"));
  auto d = load_or_create_key(dir.file("d"), true);
  ASSERT_FALSE(d);
}

}  // namespace
}  // namespace kaiku::security
