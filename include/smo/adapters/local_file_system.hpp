#pragma once

#include "smo/ports/file_system.hpp"

namespace smo {

// The real file system through POSIX calls. write_atomic writes
// `<path>.tmp-<pid>`, fsyncs it and renames it over `path`; append is one
// write(2) on an O_APPEND descriptor (a short write throws rather than
// retrying, which could interleave with another writer). list names regular
// files only (symlinks to files count), sorted. Failures throw FileError
// naming the path and the system's reason.
//
// Writes never follow a symlink: the file itself is opened with O_NOFOLLOW,
// and once confine_writes_to(dir) was called, a write whose directory's real
// path is outside dir's real path is refused before anything is created (a
// committed `docs/deploys -> ~` must not let a record land in $HOME).
class LocalFileSystem : public FileSystem {
  public:
    void confine_writes_to(const std::string& dir);

    std::optional<std::string> read(const std::string& path) override;
    bool exists(const std::string& path) override;
    std::vector<std::string> list(const std::string& dir) override;
    void write_atomic(const std::string& path, const std::string& content) override;
    void append(const std::string& path, const std::string& content) override;

  private:
    void check_confined(const std::string& path) const;

    std::string m_root; // real path; empty: not confined
};

} // namespace smo
