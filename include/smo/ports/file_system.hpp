#pragma once

#include <optional>
#include <string>
#include <vector>

// The local file-system port: project.json, records, trend files. Paths are
// plain strings; relative ones are relative to the process's directory.
namespace smo {

class FileSystem {
  public:
    virtual ~FileSystem() = default;

    virtual std::optional<std::string> read(const std::string& path) = 0;
    virtual bool exists(const std::string& path) = 0;

    // File names (not paths) in `dir`, sorted; empty when dir does not exist.
    virtual std::vector<std::string> list(const std::string& dir) = 0;

    // Writes a temporary file beside `path` and renames it over: readers see
    // the old file or the new one, never half. Creates parent directories.
    // Throws FileError.
    virtual void write_atomic(const std::string& path, const std::string& content) = 0;

    // One write(2) with O_APPEND of whole lines, so a crash never leaves half a
    // row. Creates the file and parent directories. Throws FileError.
    virtual void append(const std::string& path, const std::string& content) = 0;
};

} // namespace smo
