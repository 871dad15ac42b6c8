#include "libssh2_internal.hpp"
#include "smo/adapters/ssh_key_material.hpp"
#include "smo/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace smo::libssh2 {

namespace {

struct KeyType {
    int libssh2_hostkey_type; // LIBSSH2_HOSTKEY_TYPE_*
    int knownhost_bits;       // LIBSSH2_KNOWNHOST_KEY_*
    const char* method;       // the host key algorithm name
    bool verifiable;          // can libssh2 1.10 check it against OpenSSH 9?
};

// In preference order: OpenSSH 9 clients offer ed25519 first.
constexpr KeyType k_key_types[] = {
    {LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519", true},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256", true},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384", true},
    {LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521", true},
    {LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa", false},
    {LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss", false},
};

const KeyType* key_type_for_hostkey(int hostkey_type) {
    for (const KeyType& type : k_key_types) {
        if (type.libssh2_hostkey_type == hostkey_type) {
            return &type;
        }
    }
    return nullptr;
}

// A fake key that never equals a real one: checking it tells whether the file
// has any line of that type for the host (MISMATCH) or none (NOTFOUND).
constexpr const char* k_probe_key = "AAAA";

int check(LIBSSH2_KNOWNHOSTS* hosts, const std::string& name, const char* key, size_t key_length,
          int encoding, int key_bits, libssh2_knownhost** found) {
    // Always pass the key type: without it a line of another type for the same
    // host reads as a changed key. Port -1: `name` is already OpenSSH's
    // spelling, so a `[host]:2222` lookup never falls back to plain `host`.
    return libssh2_knownhost_checkp(hosts, name.c_str(), -1, key, key_length,
                                    LIBSSH2_KNOWNHOST_TYPE_PLAIN | encoding | key_bits, found);
}

std::string fingerprint_of_known(const libssh2_knownhost* entry) {
    if (entry == nullptr || entry->key == nullptr) {
        return "an unreadable key";
    }
    std::string_view text = entry->key;
    text = text.substr(0, text.find_first_of(" \t\r\n"));
    std::optional<std::string> blob = base64_decode(text);
    return blob ? sha256_fingerprint(*blob) : "an unreadable key";
}

std::string server_fingerprint(LIBSSH2_SESSION* session, const char* key, size_t key_length) {
    const char* hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
    if (hash == nullptr) {
        return sha256_fingerprint(std::string_view(key, key_length));
    }
    return "SHA256:" + base64_encode(std::string_view(hash, 32), false);
}

void make_private_directory(const std::filesystem::path& dir) {
    if (dir.empty() || std::filesystem::exists(dir)) {
        return;
    }
    make_private_directory(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw TransportError(
            fmt::format("cannot create {}: {}", dir.string(), std::strerror(errno)));
    }
}

// "@revoked <hosts> <type> <base64> [comment]": OpenSSH never accepts that
// key. libssh2 1.10 cannot read marker lines, so the key is kept here; it is
// refused for any host, which is what a revocation means.
void remember_revoked(const std::string& line, std::vector<std::string>& revoked) {
    std::istringstream words(line);
    std::string marker;
    std::string hosts;
    std::string type;
    std::string key;
    words >> marker >> hosts >> type >> key;
    if (std::optional<std::string> blob = base64_decode(key); blob && !blob->empty()) {
        revoked.push_back(std::move(*blob));
    }
}

} // namespace

KnownHosts::KnownHosts(LIBSSH2_SESSION* session, const SshTarget& target)
    : m_hosts(libssh2_knownhost_init(session)), m_target(target),
      m_name(known_hosts_name(target.address, target.port)) {
    if (m_hosts == nullptr) {
        throw TransportError("cannot initialise libssh2 known hosts: " + last_error(session));
    }
    std::ifstream file(target.known_hosts_file);
    if (!file) {
        if (std::filesystem::exists(target.known_hosts_file)) {
            libssh2_knownhost_free(m_hosts);
            throw TransportError(fmt::format("cannot read known_hosts file {}: {}",
                                             target.known_hosts_file, std::strerror(errno)));
        }
        return; // no file yet: every host is unknown
    }
    std::stringstream text;
    text << file.rdbuf();
    const std::string content = text.str();
    m_ends_with_newline = content.empty() || content.back() == '\n';
    // Line by line, not libssh2_knownhost_readfile: that stops at the first
    // line it cannot parse (e.g. an sk-ssh-ed25519 key), hiding the rest.
    std::istringstream lines(content);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.starts_with("@revoked")) {
            remember_revoked(line, m_revoked);
            continue;
        }
        libssh2_knownhost_readline(m_hosts, line.c_str(), line.size(),
                                   LIBSSH2_KNOWNHOST_FILE_OPENSSH);
    }
}

KnownHosts::~KnownHosts() {
    if (m_hosts != nullptr) {
        libssh2_knownhost_free(m_hosts);
    }
}

std::vector<int> KnownHosts::known_key_types() const {
    std::vector<int> found;
    for (const KeyType& type : k_key_types) {
        int rc = check(m_hosts, m_name, k_probe_key, 0, LIBSSH2_KNOWNHOST_KEYENC_BASE64,
                       type.knownhost_bits, nullptr);
        if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH || rc == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
            found.push_back(type.libssh2_hostkey_type);
        }
    }
    return found;
}

std::string KnownHosts::hostkey_preference() const {
    std::vector<int> known = known_key_types();
    std::string preference;
    for (const KeyType& type : k_key_types) {
        bool listed = known.empty() || std::find(known.begin(), known.end(),
                                                 type.libssh2_hostkey_type) != known.end();
        if (type.verifiable && listed) {
            preference += (preference.empty() ? "" : ",") + std::string(type.method);
        }
    }
    if (preference.empty()) {
        throw TransportError(fmt::format(
            "{} lists only RSA/DSA host keys for {}, and libssh2 1.10 cannot verify rsa-sha2 "
            "host keys: add the server's ed25519 key (ssh-keyscan -t ed25519 -p {} {} >> {}, after "
            "checking its fingerprint out of band)",
            m_target.known_hosts_file, m_name, m_target.port, m_target.address,
            m_target.known_hosts_file));
    }
    return preference;
}

void KnownHosts::verify(LIBSSH2_SESSION* session) {
    size_t key_length = 0;
    int hostkey_type = LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
    const char* key = libssh2_session_hostkey(session, &key_length, &hostkey_type);
    const KeyType* type = key_type_for_hostkey(hostkey_type);
    if (key == nullptr || type == nullptr) {
        throw TransportError(fmt::format("{} sent a host key of a type libssh2 cannot check",
                                         describe_target(m_target)));
    }
    const std::string offered = server_fingerprint(session, key, key_length);
    if (std::find(m_revoked.begin(), m_revoked.end(), std::string_view(key, key_length)) !=
        m_revoked.end()) {
        throw TransportError(fmt::format(
            "host key {} {} of {} is marked @revoked in {}; refusing it whatever else the file "
            "says",
            type->method, offered, m_name, m_target.known_hosts_file));
    }
    libssh2_knownhost* entry = nullptr;
    int rc = check(m_hosts, m_name, key, key_length, LIBSSH2_KNOWNHOST_KEYENC_RAW,
                   type->knownhost_bits, &entry);
    if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
        return;
    }
    if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
        throw TransportError(fmt::format(
            "host key for {} has CHANGED: known_hosts says {} {}, server offers {}; refusing "
            "(possible man-in-the-middle). If the change is expected, remove the old line from {} "
            "(ssh-keygen -R '{}' -f {}) and connect again with --accept-new-host-key",
            m_name, type->method, fingerprint_of_known(entry), offered, m_target.known_hosts_file,
            m_name, m_target.known_hosts_file));
    }
    if (rc != LIBSSH2_KNOWNHOST_CHECK_NOTFOUND) {
        throw TransportError(fmt::format("cannot check the host key of {} against {}: {}", m_name,
                                         m_target.known_hosts_file, last_error(session)));
    }
    if (!m_target.accept_new_host_key) {
        throw TransportError(fmt::format(
            "host {} is not in {} (it offers {} key {}); refusing an unknown host. Check the "
            "fingerprint with the server's owner (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on "
            "it), then rerun with --accept-new-host-key to add it",
            m_name, m_target.known_hosts_file, type->method, offered));
    }
    append(known_hosts_line(m_target.address, m_target.port, std::string_view(key, key_length)));
    // Trust on first use is only as good as a later look at what was trusted.
    spdlog::warn("added {} to {}: {} key {} (--accept-new-host-key); compare it with "
                 "`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the server",
                 m_name, m_target.known_hosts_file, type->method, offered);
}

void KnownHosts::append(const std::string& line) const {
    const std::filesystem::path path(m_target.known_hosts_file);
    make_private_directory(path.parent_path());
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw TransportError(
            fmt::format("cannot add the host key to {}: {}", path.string(), std::strerror(errno)));
    }
    const std::string text = (m_ends_with_newline ? "" : "\n") + line + "\n";
    ssize_t written = ::write(fd, text.data(), text.size());
    int write_errno = errno;
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size())) {
        throw TransportError(fmt::format("cannot add the host key to {}: {}", path.string(),
                                         std::strerror(write_errno)));
    }
}

} // namespace smo::libssh2
