#include "smo/adapters/process_local_git.hpp"
#include "smo/errors.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace smo {
namespace {

// A real repository: v1 (app.js), v2 (+ db/migrations/002_add.sql, tagged
// twice), then a commit that renames a migration.
class GitRepo {
  public:
    GitRepo() {
        git("init -q -b main");
        m_dir.write("app.js", "console.log(1)\n");
        m_dir.write("db/migrations/001_init.sql", "create table t(x);\n");
        git("add -A");
        git("commit -q -m one");
        git("tag v1");
        m_dir.write("db/migrations/002_add.sql", "alter table t add y;\n");
        m_dir.write("src/x.js", "x\n");
        git("add -A");
        git("commit -q -m two");
        git("tag -a v2 -m release");
        git("tag v2-alias");
        git("mv db/migrations/001_init.sql db/migrations/001_renamed.sql");
        git("commit -q -m three");
        git("tag v3");
    }

    void git(const std::string& arguments) const {
        const std::string command = "git -C '" + m_dir.str() +
                                    "' -c user.name=t -c user.email=t@t -c commit.gpgsign=false "
                                    "-c tag.gpgsign=false " +
                                    arguments + " >/dev/null 2>&1";
        REQUIRE(std::system(command.c_str()) == 0);
    }

    std::string str() const { return m_dir.str(); }
    const test::TempDir& dir() const { return m_dir; }

  private:
    test::TempDir m_dir;
};

} // namespace

TEST_CASE("resolve_commit answers full commits for tags and nullopt otherwise",
          "[process_local_git]") {
    const GitRepo repo;
    ProcessLocalGit git(repo.str());
    const auto v1 = git.resolve_commit("v1");
    const auto v2 = git.resolve_commit("v2"); // annotated: peeled to the commit
    REQUIRE(v1);
    REQUIRE(v2);
    CHECK(v1->size() == 40);
    CHECK(*v1 != *v2);
    CHECK(git.resolve_commit(v1->substr(0, 8)) == v1);
    CHECK(git.resolve_commit("v2-alias") == v2);
    CHECK_FALSE(git.resolve_commit("v9"));
    CHECK_FALSE(git.resolve_commit("--all"));
    CHECK_FALSE(git.resolve_commit(""));
    CHECK_FALSE(git.resolve_commit("v1;touch pwned"));
    CHECK_FALSE(std::filesystem::exists(repo.dir().path() / "pwned"));
}

TEST_CASE("added_files lists files added under a directory between two revs",
          "[process_local_git]") {
    const GitRepo repo;
    ProcessLocalGit git(repo.str());
    CHECK(git.added_files("v1", "v2", "db/migrations") ==
          std::vector<std::string>{"db/migrations/002_add.sql"});
    CHECK(git.added_files("v2", "v1", "db/migrations").empty()); // only deletions that way
    std::vector<std::string> all = git.added_files("v1", "v2", "");
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::string>{"db/migrations/002_add.sql", "src/x.js"});
    // A rename counts as an addition: the migration gate must not miss it.
    CHECK(git.added_files("v2", "v3", "db/migrations") ==
          std::vector<std::string>{"db/migrations/001_renamed.sql"});
    CHECK_THROWS_AS(git.added_files("v1", "nope", "db/migrations"), Error);
    CHECK_THROWS_AS(git.added_files("--output=/tmp/x", "v2", "db"), Error);
}

TEST_CASE("tags_at and path_exists", "[process_local_git]") {
    const GitRepo repo;
    ProcessLocalGit git(repo.str());
    const auto v2 = git.resolve_commit("v2");
    REQUIRE(v2);
    CHECK(git.tags_at(*v2) == std::vector<std::string>{"v2", "v2-alias"});
    CHECK(git.tags_at("0000000000000000000000000000000000000000").empty());
    CHECK(git.path_exists("v1", "db/migrations"));
    CHECK(git.path_exists("v1", "./db/migrations/"));
    CHECK(git.path_exists("v2", "db/migrations/002_add.sql"));
    CHECK_FALSE(git.path_exists("v1", "db/migrations/002_add.sql"));
    CHECK_FALSE(git.path_exists("v1", "prisma/migrations"));
    CHECK_FALSE(git.path_exists("nope", "app.js"));
}

TEST_CASE("a missing git program or a hung git is an Error", "[process_local_git]") {
    const GitRepo repo;
    ProcessLocalGit missing(repo.str(), std::chrono::seconds(5), "/nonexistent/git");
    CHECK_THROWS_WITH(missing.resolve_commit("v1"), Catch::Contains("cannot run"));

    const test::TempDir bin;
    const auto slow = bin.write("slow-git", "#!/bin/sh\nsleep 30\n");
    std::filesystem::permissions(slow, std::filesystem::perms::owner_all);
    ProcessLocalGit hung(repo.str(), std::chrono::milliseconds(300), slow.string());
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(hung.resolve_commit("v1"), Catch::Contains("killed"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("git runs without the Telegram token or the SSH passphrase in its environment",
          "[process_local_git]") {
    const test::TempDir bin;
    const std::string env_file = bin.str() + "/env.txt";
    const auto spy = bin.write("spy-git", "#!/bin/sh\nenv > '" + env_file + "'\n");
    std::filesystem::permissions(spy, std::filesystem::perms::owner_all);
    ::setenv("TELEGRAM_BOT_TOKEN", "123:token-for-git-test", 1);
    ::setenv("SMO_SSH_PASSPHRASE", "passphrase-for-git-test", 1);
    ::setenv("SMO_GIT_TEST_KEEP", "kept", 1);
    ProcessLocalGit spied(bin.str(), std::chrono::seconds(5), spy.string());
    CHECK_FALSE(spied.resolve_commit("v1"));
    ::unsetenv("TELEGRAM_BOT_TOKEN");
    ::unsetenv("SMO_SSH_PASSPHRASE");
    ::unsetenv("SMO_GIT_TEST_KEEP");
    std::ifstream in(env_file);
    const std::string seen((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(seen.find("SMO_GIT_TEST_KEEP=kept") != std::string::npos);
    CHECK(seen.find("GIT_TERMINAL_PROMPT=0") != std::string::npos);
    CHECK(seen.find("token-for-git-test") == std::string::npos);
    CHECK(seen.find("passphrase-for-git-test") == std::string::npos);
}

} // namespace smo
