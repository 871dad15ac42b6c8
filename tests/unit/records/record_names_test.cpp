#include "smo/records/record_names.hpp"
#include "smo/ref_name.hpp"

#include <catch2/catch.hpp>
#include <set>

using smo::rollback_record_name;

TEST_CASE("rollback record name: date, from and to", "[record-names]") {
    const auto none = [](const std::string&) { return false; };
    CHECK(rollback_record_name("2026-04-19", "v1.4.2", "v1.4.1", none) ==
          "2026-04-19-rollback-v1.4.2-to-v1.4.1.md");
}

TEST_CASE("rollback record name: -2, -3 … when the name is taken", "[record-names]") {
    std::set<std::string> taken{"2026-04-19-rollback-v1.4.2-to-v1.4.1.md"};
    std::vector<std::string> asked;
    const auto exists = [&](const std::string& name) {
        asked.push_back(name);
        return taken.count(name) != 0;
    };
    CHECK(rollback_record_name("2026-04-19", "v1.4.2", "v1.4.1", exists) ==
          "2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md");
    taken.insert("2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md");
    CHECK(rollback_record_name("2026-04-19", "v1.4.2", "v1.4.1", exists) ==
          "2026-04-19-rollback-v1.4.2-to-v1.4.1-3.md");
    CHECK(asked.back() == "2026-04-19-rollback-v1.4.2-to-v1.4.1-3.md");
    // Another day or another pair starts again without a suffix.
    CHECK(rollback_record_name("2026-04-20", "v1.4.2", "v1.4.1", exists) ==
          "2026-04-20-rollback-v1.4.2-to-v1.4.1.md");
}

TEST_CASE("rollback record name: a '/' in a tag stays inside the file name", "[record-names]") {
    const auto none = [](const std::string&) { return false; };
    CHECK(rollback_record_name("2026-04-19", "release/1.3", "release/50%", none) ==
          "2026-04-19-rollback-release%2F1.3-to-release%2F50%25.md");
    CHECK(smo::tag_from_file_name(smo::tag_as_file_name("a/b%2Fc%")) == "a/b%2Fc%");
}
