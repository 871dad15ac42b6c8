#pragma once

#include "smo/errors.hpp"
#include "smo/ports/file_system.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace smo::test {

// Files in a map, keyed by path as given.
class FakeFileSystem : public FileSystem {
  public:
    std::optional<std::string> read(const std::string& path) override {
        auto found = files.find(path);
        if (found == files.end()) {
            return std::nullopt;
        }
        return found->second;
    }

    bool exists(const std::string& path) override {
        if (files.count(path) != 0) {
            return true;
        }
        const std::string prefix = path + "/";
        return std::any_of(files.begin(), files.end(),
                           [&](const auto& file) { return file.first.rfind(prefix, 0) == 0; });
    }

    std::vector<std::string> list(const std::string& dir) override {
        std::vector<std::string> names;
        const std::string prefix = dir + "/";
        for (const auto& [path, content] : files) {
            if (path.rfind(prefix, 0) == 0 && path.find('/', prefix.size()) == std::string::npos) {
                names.push_back(path.substr(prefix.size()));
            }
        }
        return names;
    }

    void write_atomic(const std::string& path, const std::string& content) override {
        check_writable(path);
        files[path] = content;
    }

    void append(const std::string& path, const std::string& content) override {
        check_writable(path);
        files[path] += content;
    }

    std::map<std::string, std::string> files;
    bool fail_writes = false;

  private:
    void check_writable(const std::string& path) const {
        if (fail_writes) {
            throw FileError(path + ": Permission denied");
        }
    }
};

} // namespace smo::test
