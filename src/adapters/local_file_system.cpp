#include "smo/adapters/local_file_system.hpp"

#include "smo/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace smo {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& action, int error) {
    throw FileError(path + ": cannot " + action + ": " + std::strerror(error));
}

void create_parent(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) {
        return;
    }
    std::error_code error;
    fs::create_directories(parent, error);
    if (error) {
        throw FileError(parent.string() + ": cannot create directory: " + error.message());
    }
}

// Writes all of `content`, retrying short writes and EINTR. Returns 0 or errno.
int write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

// So that the rename itself survives a crash.
void sync_directory(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    const int fd =
        ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

void LocalFileSystem::confine_writes_to(const std::string& dir) {
    std::error_code error;
    const fs::path real = fs::canonical(dir, error);
    if (error) {
        throw FileError(dir + ": cannot resolve the project directory: " + error.message());
    }
    m_root = real.string();
}

// The real path of the deepest existing ancestor decides: directories still
// to be created below it cannot be links.
void LocalFileSystem::check_confined(const std::string& path) const {
    if (m_root.empty()) {
        return;
    }
    std::error_code error;
    const fs::path real = fs::weakly_canonical(fs::absolute(path).parent_path(), error);
    const fs::path relative = real.lexically_relative(m_root);
    if (error || relative.empty() || *relative.begin() == "..") {
        throw FileError(path + ": refusing to write: its real directory " + real.string() +
                        " is outside the project directory " + m_root + " (a symlink in the way?)");
    }
}

std::optional<std::string> LocalFileSystem::read(const std::string& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return std::nullopt;
    }
    return text.str();
}

bool LocalFileSystem::exists(const std::string& path) {
    std::error_code error;
    return fs::exists(path, error);
}

std::vector<std::string> LocalFileSystem::list(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code error;
    fs::directory_iterator it(dir, error);
    if (error) {
        return names;
    }
    for (const fs::directory_entry& entry : it) {
        std::error_code type_error;
        if (entry.is_regular_file(type_error)) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

void LocalFileSystem::write_atomic(const std::string& path, const std::string& content) {
    check_confined(path);
    create_parent(path);
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    // O_EXCL: never through a link planted at the temporary name. The rename
    // replaces a link at `path` itself rather than writing where it points.
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail(temporary, "create", errno);
    }
    int error = write_all(fd, content);
    if (error == 0 && ::fsync(fd) != 0) {
        error = errno;
    }
    if (::close(fd) != 0 && error == 0) {
        error = errno;
    }
    if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) {
        error = errno;
    }
    if (error != 0) {
        ::unlink(temporary.c_str());
        fail(path, "write", error);
    }
    sync_directory(path);
}

void LocalFileSystem::append(const std::string& path, const std::string& content) {
    check_confined(path);
    create_parent(path);
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ELOOP) {
        throw FileError(path + ": refusing to append: it is a symbolic link");
    }
    if (fd < 0) {
        fail(path, "open for append", errno);
    }
    // One write(2): with O_APPEND the whole buffer lands at the end at once, so
    // a crash or a concurrent writer never splits a row. A retry after a short
    // write could interleave, so a short write is an error instead.
    ssize_t written = -1;
    do {
        written = ::write(fd, content.data(), content.size());
    } while (written < 0 && errno == EINTR);
    const int error = written < 0 ? errno : 0;
    ::close(fd);
    if (written < 0) {
        fail(path, "append", error);
    }
    if (static_cast<std::size_t>(written) != content.size()) {
        throw FileError(path + ": cannot append: short write (disk full?)");
    }
}

} // namespace smo
