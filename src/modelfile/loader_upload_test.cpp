// load_model_upload: a model given as file contents (the API's upload) loads and is
// diagnosed exactly as the same files in a folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "modelfile/loader.hpp"
#include "modelfile/test_support.hpp"

namespace kaiku::modelfile {
namespace {

namespace fs = std::filesystem;
using testing::has_diag;

// The demo model's files as an upload: relative name -> text (README.md included).
std::map<std::string, std::string> demo_upload() {
  const fs::path dir = fs::path(KAIKU_SOURCE_DIR) / "models/demo";
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[e.path().filename().string()] = text.str();
  }
  return files;
}

TEST(LoaderUpload, TheDemoFolderUploadedGivesTheSameModelAsFromDisk) {
  auto files = demo_upload();
  ASSERT_TRUE(files.count("README.md")) << "the demo folder has a README that must be skipped";
  auto uploaded = load_model_upload(files);
  ASSERT_TRUE(uploaded) << testing::dump(uploaded.error());
  auto disk = load_model(fs::path(KAIKU_SOURCE_DIR) / "models/demo");
  ASSERT_TRUE(disk);
  EXPECT_EQ(uploaded->version, disk->version);
  EXPECT_NE(uploaded->touchpoint(disk->touchpoints.front().id), nullptr) << "the model is indexed";
}

TEST(LoaderUpload, DiagnosticsNameTheUploadedFileLineAndColumn) {
  auto files = demo_upload();
  std::string& tp = files["touchpoints.yaml"];
  const auto at = tp.find("survey: ydinkysely");
  ASSERT_NE(at, std::string::npos);
  tp.replace(at, std::string("survey: ydinkysely").size(), "survey: no_such_survey");
  const int line = 1 + static_cast<int>(std::count(tp.begin(), tp.begin() + static_cast<long>(at), '\n'));
  const int column = static_cast<int>(at - tp.rfind('\n', at)) + std::string("survey: ").size();
  auto r = load_model_upload(files);
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "touchpoints.yaml", line, column, "no_such_survey")) << testing::dump(r.error());
}

TEST(LoaderUpload, ASingleFileIsAModel) {
  auto files = demo_upload();
  std::string all;  // the whole demo in one file: its sections concatenated
  for (const auto& [name, text] : files) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml") all += text + "\n";
  }
  auto r = load_model_upload({{"model.yaml", all}});
  ASSERT_TRUE(r) << testing::dump(r.error());
  EXPECT_EQ(r->version, load_model(fs::path(KAIKU_SOURCE_DIR) / "models/demo")->version);
}

TEST(LoaderUpload, FilesInSubfoldersAreReadInNameOrder) {
  auto files = demo_upload();
  std::map<std::string, std::string> nested;
  for (auto& [name, text] : files) nested["malli/" + name] = text;
  auto r = load_model_upload(nested);
  ASSERT_TRUE(r) << testing::dump(r.error());
  // An id defined twice is reported in the second file (name order).
  nested["malli/zz.yaml"] = files["journeys.yaml"];
  auto dup = load_model_upload(nested);
  ASSERT_FALSE(dup);
  bool in_zz = false;
  for (const auto& d : dup.error()) in_zz = in_zz || d.file == "malli/zz.yaml";
  EXPECT_TRUE(in_zz) << testing::dump(dup.error());
}

TEST(LoaderUpload, BadNamesAreRefusedWithoutParsing) {
  for (const std::string& name : std::vector<std::string>{"", "/etc/org.yaml", "../org.yaml", "a/./b.yaml", "a//b.yaml", "a\\b.yaml",
                                 std::string("a\nb.yaml"), std::string(256, 'a') + ".yaml", "dir/"}) {
    auto r = load_model_upload({{name, "languages: [fi]\n"}, {"org.yaml", "county: {id: c\n"}});
    ASSERT_FALSE(r) << name;
    ASSERT_EQ(r.error().size(), 1u) << name << ": " << testing::dump(r.error());
    EXPECT_EQ(r.error()[0].line, 1);
    EXPECT_EQ(r.error()[0].message.find("YAML"), std::string::npos) << "nothing parsed: " << name;
  }
}

TEST(LoaderUpload, NoYamlFileIsADiagnostic) {
  auto r = load_model_upload({{"README.md", "# hello"}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(has_diag(r.error(), "model", 1, 1, "no .yaml or .yml files"));
  auto none = load_model_upload({});
  ASSERT_FALSE(none);
  EXPECT_TRUE(has_diag(none.error(), "model", 1, 1, "no .yaml or .yml files"));
}

TEST(LoaderUpload, LimitsAreEnforced) {
  UploadLimits small;
  small.max_files = 2;
  small.max_file_bytes = 10;
  small.max_total_bytes = 15;
  auto many = load_model_upload({{"a.yaml", ""}, {"b.yaml", ""}, {"c.yaml", ""}}, small);
  ASSERT_FALSE(many);
  EXPECT_TRUE(has_diag(many.error(), "model", 1, 1, "too many files: 3 (at most 2)"));
  auto big = load_model_upload({{"a.yaml", std::string(11, '#')}}, small);
  ASSERT_FALSE(big);
  EXPECT_TRUE(has_diag(big.error(), "a.yaml", 1, 1, "too large: 11 bytes (at most 10)"));
  auto total = load_model_upload({{"a.yaml", std::string(8, '#')}, {"b.yaml", std::string(8, '#')}}, small);
  ASSERT_FALSE(total);
  EXPECT_TRUE(has_diag(total.error(), "model", 1, 1, "too large together: 16 bytes (at most 15)"));
}

}  // namespace
}  // namespace kaiku::modelfile
