#pragma once

// Private to the libssh2 adapter files (src/adapters/libssh2_*.cpp): the only
// place libssh2.h is included.
#include "smo/ssh_target.hpp"

#include <libssh2.h>
#include <string>
#include <vector>

namespace smo::libssh2 {

// libssh2's own text for the session's last error, e.g. "Unable to exchange
// encryption keys"; "error <n>" when it has none.
std::string last_error(LIBSSH2_SESSION* session);

// "root@127.0.0.1:2222", for messages.
std::string describe_target(const SshTarget& target);

// True for the error codes that mean the TCP link or the transport is gone.
bool is_link_error(int rc);

// The known_hosts file as libssh2 sees it, loaded before the handshake so the
// host key algorithms can be chosen from it, then used to check the key.
class KnownHosts {
  public:
    // A missing file is empty; an unreadable one throws TransportError. Lines
    // libssh2 cannot parse (certificates, security keys, markers) are skipped;
    // the keys of `@revoked` lines are kept aside and never accepted.
    KnownHosts(LIBSSH2_SESSION* session, const SshTarget& target);
    ~KnownHosts();
    KnownHosts(const KnownHosts&) = delete;
    KnownHosts& operator=(const KnownHosts&) = delete;

    // The host key algorithms, in the order to offer them: the types the file
    // holds for this host when it holds any libssh2 can verify, else all of
    // them (ed25519 first, like OpenSSH). Throws TransportError when the file
    // holds only RSA/DSA keys for the host.
    std::string hostkey_preference() const;

    // After the handshake: a revoked key throws; MATCH returns, MISMATCH
    // throws, NOTFOUND throws or, with target.accept_new_host_key, appends the
    // key, logs its SHA256 fingerprint (warning) and returns.
    void verify(LIBSSH2_SESSION* session);

  private:
    std::vector<int> known_key_types() const;
    void append(const std::string& line) const;

    LIBSSH2_KNOWNHOSTS* m_hosts = nullptr;
    SshTarget m_target;
    std::string m_name; // "[host]:port" or "host"
    bool m_ends_with_newline = true;
    std::vector<std::string> m_revoked; // raw key blobs of @revoked lines
};

// Public-key authentication: agent identities, then identity files. Throws
// TransportError listing everything tried.
void authenticate(LIBSSH2_SESSION* session, const SshTarget& target);

} // namespace smo::libssh2
