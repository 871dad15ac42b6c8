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

} // namespace smo
