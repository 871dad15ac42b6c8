#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Pure helpers for the SSH adapter: encodings, fingerprints and what a key
// file is, without libssh2 or OpenSSL (libssh2 only fingerprints the key the
// server just sent; a known_hosts key needs its own SHA-256). Unit-tested.
namespace smo {

// Standard base64 (RFC 4648 alphabet); `pad` = false drops the trailing '='.
std::string base64_encode(std::string_view bytes, bool pad = true);

// Decodes standard base64, skipping whitespace; nullopt on any other junk.
std::optional<std::string> base64_decode(std::string_view text);

// FIPS 180-4 SHA-256.
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

// "SHA256:<base64 without padding>" of a raw public key blob, as `ssh-keygen -l`.
std::string sha256_fingerprint(std::string_view key_blob);

// The key type named at the start of an SSH wire-format public key blob
// ("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"…); empty when malformed.
std::string key_blob_type(std::string_view key_blob);

// The name OpenSSH uses for a host in known_hosts: `host` on port 22, else `[host]:port`.
std::string known_hosts_name(std::string_view host, int port);

// A plain known_hosts line (no newline) for a raw key blob.
std::string known_hosts_line(std::string_view host, int port, std::string_view key_blob);

// What can be told about a private key file without its passphrase.
struct PrivateKeyInfo {
    std::string key_type; // "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"…; empty if unknown
    bool encrypted = false;

    bool is_rsa() const { return key_type == "ssh-rsa"; }
};

// Reads an OpenSSH ("openssh-key-v1") or PEM private key's text; `public_text`
// is the `.pub` file beside it (may be empty) and names the type when the
// private key alone does not (PKCS#8).
PrivateKeyInfo inspect_private_key(std::string_view private_text, std::string_view public_text);

} // namespace smo
