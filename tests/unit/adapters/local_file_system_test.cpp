#include "smo/adapters/local_file_system.hpp"
#include "smo/errors.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace smo {

TEST_CASE("read, exists and list", "[local_file_system]") {
    const test::TempDir dir;
    dir.write("docs/deploys/b.md", "B");
    dir.write("docs/deploys/a.md", std::string("A\0binary", 8));
    std::filesystem::create_directories(dir.path() / "docs/deploys/subdir");
    LocalFileSystem files;

    CHECK(files.read(dir.str() + "/docs/deploys/a.md") == std::string("A\0binary", 8));
    CHECK_FALSE(files.read(dir.str() + "/docs/deploys/missing.md"));
    CHECK_FALSE(files.read(dir.str() + "/docs/deploys")); // a directory is not a file
    CHECK(files.exists(dir.str() + "/docs/deploys"));
    CHECK(files.exists(dir.str() + "/docs/deploys/b.md"));
    CHECK_FALSE(files.exists(dir.str() + "/nope"));
    CHECK(files.list(dir.str() + "/docs/deploys") == std::vector<std::string>{"a.md", "b.md"});
    CHECK(files.list(dir.str() + "/nope").empty());
}

TEST_CASE("write_atomic creates parents, replaces whole and leaves no temp file",
          "[local_file_system]") {
    const test::TempDir dir;
    LocalFileSystem files;
    const std::string path = dir.str() + "/docs/deploys/new/record.md";
    files.write_atomic(path, "first version, rather long\n");
    files.write_atomic(path, "second\n");
    CHECK(files.read(path) == "second\n");
    CHECK(files.list(dir.str() + "/docs/deploys/new") == std::vector<std::string>{"record.md"});
    CHECK_FALSE(std::filesystem::exists(path + ".tmp-" + std::to_string(::getpid())));
}

TEST_CASE("append adds whole lines and creates the file", "[local_file_system]") {
    const test::TempDir dir;
    LocalFileSystem files;
    const std::string path = dir.str() + "/docs/deploys/trend.csv";
    files.append(path, "date,kind\n");
    files.append(path, "2026-04-19,rollback\n");
    files.append(path, "");
    CHECK(files.read(path) == "date,kind\n2026-04-19,rollback\n");
}

TEST_CASE("write failures throw FileError naming the path", "[local_file_system]") {
    if (::geteuid() == 0) {
        // root ignores directory permissions: use a path under a regular file.
        const test::TempDir dir;
        dir.write("plain", "x");
        LocalFileSystem files;
        const std::string path = dir.str() + "/plain/record.md";
        CHECK_THROWS_AS(files.write_atomic(path, "x"), FileError);
        CHECK_THROWS_WITH(files.append(path, "x"), Catch::Contains(dir.str() + "/plain"));
        return;
    }
    const test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "ro");
    ::chmod((dir.path() / "ro").c_str(), 0555);
    LocalFileSystem files;
    const std::string path = dir.str() + "/ro/record.md";
    CHECK_THROWS_WITH(files.write_atomic(path, "x"), Catch::Contains(dir.str() + "/ro/record.md"));
    CHECK_THROWS_AS(files.append(path, "x"), FileError);
    ::chmod((dir.path() / "ro").c_str(), 0755);
}

TEST_CASE("append never follows a symlink: the linked file keeps its bytes",
          "[local_file_system]") {
    const test::TempDir dir;
    const test::TempDir outside;
    const auto profile = outside.write(".bashrc", "# profile\n");
    std::filesystem::create_directories(dir.path() / "docs/deploys");
    std::filesystem::create_symlink(profile, dir.path() / "docs/deploys/trend.csv");
    LocalFileSystem files;
    CHECK_THROWS_AS(files.append(dir.str() + "/docs/deploys/trend.csv", "x,$(touch pwned)\n"),
                    FileError);
    CHECK(files.read(profile.string()) == "# profile\n");
}

TEST_CASE("writes whose real directory leaves the project are refused", "[local_file_system]") {
    const test::TempDir project;
    const test::TempDir outside;
    std::filesystem::create_directories(project.path() / "docs");
    std::filesystem::create_symlink(outside.path(), project.path() / "docs/deploys");
    LocalFileSystem files;
    files.confine_writes_to(project.str());
    CHECK_THROWS_WITH(files.write_atomic(project.str() + "/docs/deploys/x.md", "record\n"),
                      Catch::Contains("outside the project directory"));
    CHECK_THROWS_AS(files.append(project.str() + "/docs/deploys/new/trend.csv", "row\n"),
                    FileError);
    CHECK(std::filesystem::is_empty(outside.path())); // nothing written, nothing created
    // Inside the project (even through a link that stays inside) is fine.
    std::filesystem::create_directories(project.path() / "real");
    std::filesystem::create_symlink(project.path() / "real", project.path() / "inside");
    files.write_atomic(project.str() + "/inside/sub/y.md", "ok\n");
    CHECK(files.read(project.str() + "/real/sub/y.md") == "ok\n");
}

} // namespace smo
