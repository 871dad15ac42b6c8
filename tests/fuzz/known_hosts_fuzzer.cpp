// known_hosts (docs/ssh.md): plain, [host]:port, hashed (|1|salt|hash),
// markers, comments, keys libssh2 cannot read. The input is written to a temp
// file and loaded the way a connection loads it, before any handshake.
// Promises: loading never throws (bad lines are skipped); choosing the host
// key algorithms throws only TransportError and names only algorithms libssh2
// can verify. The key material helpers the adapter uses on the same text never
// throw, and base64 round-trips.
#include "adapters/libssh2_internal.hpp"
#include "fuzz/fuzz_support.hpp"
#include "smo/adapters/ssh_key_material.hpp"
#include "smo/errors.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

// One libssh2 session for the whole run: KnownHosts only borrows it for
// allocation and error text, no socket is involved.
LIBSSH2_SESSION* session() {
    static LIBSSH2_SESSION* const s_session = [] {
        libssh2_init(0);
        return libssh2_session_init();
    }();
    return s_session;
}

const std::string& temp_file() {
    static const std::string s_path = [] {
        std::atexit([] { std::remove(temp_file().c_str()); });
        return "/tmp/smo-fuzz-known-hosts-" + std::to_string(::getpid()) + ".txt";
    }();
    return s_path;
}

void check_preference(const std::string& preference) {
    SMO_FUZZ_CHECK(!preference.empty());
    SMO_FUZZ_CHECK(preference.find("ssh-rsa") == std::string::npos);
    SMO_FUZZ_CHECK(preference.find("ssh-dss") == std::string::npos);
}

void load_for(const std::string& address, int port) {
    smo::SshTarget target;
    target.address = address;
    target.port = port;
    target.known_hosts_file = temp_file();
    std::string preference;
    smo::fuzz::never_throws([&] {
        const smo::libssh2::KnownHosts hosts(session(), target);
        if (smo::fuzz::returns_or_throws<smo::TransportError>(
                [&] { preference = hosts.hostkey_preference(); })) {
            check_preference(preference);
        }
    });
}

// What the adapter does with a line's key field, and with key files.
void key_material(std::string_view text) {
    smo::fuzz::never_throws([&] {
        const std::string_view first = smo::fuzz::split_first_line(text).head;
        const std::size_t space = first.rfind(' ');
        const std::string_view field =
            space == std::string_view::npos ? first : first.substr(0, space);
        if (const auto blob = smo::base64_decode(field)) {
            (void)smo::key_blob_type(*blob);
            SMO_FUZZ_CHECK(smo::sha256_fingerprint(*blob).rfind("SHA256:", 0) == 0);
        }
        SMO_FUZZ_CHECK(smo::base64_decode(smo::base64_encode(text)) == std::string(text));
        const smo::PrivateKeyInfo info = smo::inspect_private_key(text, first);
        SMO_FUZZ_CHECK(!info.is_rsa() || info.key_type == "ssh-rsa");
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = smo::fuzz::as_text(data, size);
    {
        std::ofstream file(temp_file(), std::ios::binary | std::ios::trunc);
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    load_for("127.0.0.1", 2222);
    load_for("smo-sandbox", 22);
    key_material(text);
    return 0;
}
