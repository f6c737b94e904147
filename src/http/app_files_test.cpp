// /app: the built staff app from a directory.
#include "http/app_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "http/router.hpp"
#include "service/test_support.hpp"

namespace kaiku::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

TEST(AppRelativePath, DecodesAndRefusesTheUnsafe) {
  EXPECT_EQ(app_relative_path(""), "");
  EXPECT_EQ(app_relative_path("index.html"), "index.html");
  EXPECT_EQ(app_relative_path("assets/index-AbC1.js"), "assets/index-AbC1.js");
  EXPECT_EQ(app_relative_path("assets//x.js"), "assets/x.js");
  EXPECT_EQ(app_relative_path("cases/812/"), "cases/812");
  EXPECT_EQ(app_relative_path("a%20b"), "a b");
  EXPECT_FALSE(app_relative_path(".."));
  EXPECT_FALSE(app_relative_path("../etc/passwd"));
  EXPECT_FALSE(app_relative_path("assets/../../x"));
  EXPECT_FALSE(app_relative_path("%2e%2e/x"));
  EXPECT_FALSE(app_relative_path("%2E%2E%2Fx"));
  EXPECT_FALSE(app_relative_path("a%2fb"));
  EXPECT_FALSE(app_relative_path("a%5cb"));
  EXPECT_FALSE(app_relative_path("a%00b"));
  EXPECT_FALSE(app_relative_path("a%zz"));
  EXPECT_FALSE(app_relative_path("a%2"));
  EXPECT_FALSE(app_relative_path(".env"));
  EXPECT_FALSE(app_relative_path("./index.html"));
}

TEST(AppContentType, ByExtension) {
  EXPECT_EQ(app_content_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(app_content_type("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(app_content_type("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(app_content_type("a.svg"), "image/svg+xml");
  EXPECT_EQ(app_content_type("a.png"), "image/png");
  EXPECT_EQ(app_content_type("a.json"), "application/json");
  EXPECT_EQ(app_content_type("a.js.map"), "application/json");
  EXPECT_EQ(app_content_type("a.woff2"), "font/woff2");
  EXPECT_EQ(app_content_type("noext"), "application/octet-stream");
}

class AppFilesTest : public ::testing::Test {
 protected:
  AppFilesTest() {
    write(root_ / "index.html", "<!doctype html><title>app</title>");
    write(root_ / "assets" / "index-abc123.js", "console.log(1)");
    write(root_ / "assets" / "index-abc123.css", "body{}");
    write(root_ / "favicon.svg", "<svg/>");
    write(dir_.path() / "secret.txt", "secret");
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "assets" / "link.txt");
    Services s{fx_.model, *fx_.store, fx_.clock, fx_.random};
    s.mounts = {&files_};
    router_ = std::make_unique<Router>(s, RouterConfig{});
  }
  Response get(const std::string& target, const std::string& method = "GET") {
    return router_->handle(make_request(method, target));
  }

  kaiku::testing::Fixture fx_;
  kaiku::testing::TempDir dir_;
  fs::path root_ = dir_.path() / "dist";
  AppFiles files_{root_};
  std::unique_ptr<Router> router_;
};

TEST_F(AppFilesTest, ServesIndexAndAssetsWithTheirCaching) {
  Response slash = get("/app/");
  ASSERT_EQ(slash.status, 200);
  EXPECT_EQ(slash.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(slash.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(slash.header("Cache-Control"), "no-cache");
  EXPECT_FALSE(slash.header("Content-Security-Policy").empty());
  Response js = get("/app/assets/index-abc123.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/app/assets/index-abc123.css").header("Content-Type"), "text/css; charset=utf-8");
  Response icon = get("/app/favicon.svg");
  EXPECT_EQ(icon.header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(icon.header("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/app/index.html").header("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/app/assets/index-abc123.js", "HEAD").status, 200);
}

TEST_F(AppFilesTest, RedirectsAndSpaFallback) {
  Response bare = get("/app");
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.header("Location"), "/app/");
  EXPECT_EQ(get("/app?lang=sv").header("Location"), "/app/?lang=sv");
  Response route = get("/app/cases/812");
  ASSERT_EQ(route.status, 200);
  EXPECT_EQ(route.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(route.header("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/app/dashboard?unit=x").status, 200);
  EXPECT_EQ(get("/app/assets/missing-123.js").status, 404);
  EXPECT_EQ(get("/app/missing.png").status, 404);
  EXPECT_EQ(get("/appx").status, 404);  // not the mount's
  EXPECT_EQ(router_->handle(make_request("POST", "/app/", "x")).status, 405);
}

TEST_F(AppFilesTest, NoTraversal) {
  for (const char* t : {"/app/../secret.txt", "/app/assets/../../secret.txt", "/app/%2e%2e/secret.txt",
                        "/app/%2E%2E%2Fsecret.txt", "/app/..%2fsecret.txt", "/app/assets/link.txt",
                        "/app/%2fetc%2fpasswd", "/app/.%2e/secret.txt", "/app/..%2f..%2fetc%2fpasswd"}) {
    Response r = get(t);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << t;
  }
  // An absolute path after the prefix stays inside the directory (here: an app route).
  Response abs = get("/app//etc/passwd");
  EXPECT_EQ(abs.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(get("/app//etc/passwd.txt").status, 404);
}

TEST(AppFilesMissing, A503PageSaysHowToBuild) {
  kaiku::testing::Fixture fx;
  AppFiles files(fx.dir.path() / "no-such-dist");
  Services s{fx.model, *fx.store, fx.clock, fx.random};
  s.mounts = {&files};
  Router router(s, RouterConfig{});
  Response r = router.handle(make_request("GET", "/app/"));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("make app"), std::string::npos);
  EXPECT_NE(r.body.find("--app-dir"), std::string::npos);
  // The server's paths are not shown to whoever asks.
  EXPECT_EQ(r.body.find("no-such-dist"), std::string::npos);
  EXPECT_EQ(r.body.find(fx.dir.path().string()), std::string::npos);
}

}  // namespace
}  // namespace kaiku::http
