#include "smo/adapters/ssh_key_material.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace smo;

namespace {

std::string hex(const std::array<std::uint8_t, 32>& digest) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : digest) {
        out += k_digits[byte >> 4];
        out += k_digits[byte & 15];
    }
    return out;
}

std::string ssh_string(std::string_view value) {
    std::string out;
    auto length = static_cast<std::uint32_t>(value.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((length >> shift) & 0xff);
    }
    out += value;
    return out;
}

// An openssh-key-v1 container up to the first public key: enough for inspection.
std::string openssh_private_key(std::string_view cipher, std::string_view key_type) {
    std::string raw("openssh-key-v1\0", 15);
    raw += ssh_string(cipher);
    raw += ssh_string(cipher == "none" ? "none" : "bcrypt");
    raw += ssh_string(cipher == "none" ? "" : "salt-and-rounds");
    raw += std::string("\0\0\0\1", 4);
    raw += ssh_string(ssh_string(key_type) + ssh_string("public-part"));
    raw += ssh_string("private-part");
    return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + base64_encode(raw) +
           "\n-----END OPENSSH PRIVATE KEY-----\n";
}

// A real ed25519 public key and the fingerprint `ssh-keygen -lf` printed for it.
constexpr const char* k_ed25519_base64 =
    "AAAAC3NzaC1lZDI1NTE5AAAAIFM0QTBcWSAyPl0PoWu0oW+QxKf9b6nkCfklDvBNFv3L";
constexpr const char* k_ed25519_fingerprint = "SHA256:pEUFy7j1A0KifYp4t67BeGg0/VeawkexnP1MgOebx/8";

} // namespace

TEST_CASE("base64 round-trips every tail length and matches RFC 4648", "[ssh]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba", false) == "Zm9vYmE");
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all += static_cast<char>(i);
    }
    for (std::size_t n = 0; n < all.size(); n += 37) {
        std::string part = all.substr(0, n);
        CHECK(base64_decode(base64_encode(part)) == part);
        CHECK(base64_decode(base64_encode(part, false)) == part);
    }
    CHECK(base64_decode("Zm9v\nYmFy") == std::string("foobar"));
    CHECK_FALSE(base64_decode("Zm9v!").has_value());
}

TEST_CASE("sha256 matches the FIPS 180-4 examples", "[ssh]") {
    CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(hex(sha256(std::string(1000000, 'a'))) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("fingerprints and key types of a public key blob look like OpenSSH's", "[ssh]") {
    std::string blob = base64_decode(k_ed25519_base64).value();
    CHECK(sha256_fingerprint(blob) == k_ed25519_fingerprint);
    CHECK(key_blob_type(blob) == "ssh-ed25519");
    CHECK(key_blob_type("\0\0\1") == "");
    CHECK(key_blob_type(std::string("\0\0\0\x09short", 9)) == "");
}

TEST_CASE("known_hosts names use [host]:port off port 22", "[ssh]") {
    CHECK(known_hosts_name("10.0.0.5", 22) == "10.0.0.5");
    CHECK(known_hosts_name("127.0.0.1", 2222) == "[127.0.0.1]:2222");
    std::string blob = base64_decode(k_ed25519_base64).value();
    CHECK(known_hosts_line("127.0.0.1", 2222, blob) ==
          std::string("[127.0.0.1]:2222 ssh-ed25519 ") + k_ed25519_base64);
}

TEST_CASE("private key inspection tells type and encryption without a passphrase", "[ssh]") {
    SECTION("OpenSSH format, plain and encrypted") {
        PrivateKeyInfo plain = inspect_private_key(openssh_private_key("none", "ssh-ed25519"), "");
        CHECK(plain.key_type == "ssh-ed25519");
        CHECK_FALSE(plain.encrypted);
        PrivateKeyInfo locked =
            inspect_private_key(openssh_private_key("aes256-ctr", "ssh-rsa"), "");
        CHECK(locked.key_type == "ssh-rsa");
        CHECK(locked.is_rsa());
        CHECK(locked.encrypted);
    }
    SECTION("PEM formats") {
        CHECK(inspect_private_key("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n", "").is_rsa());
        PrivateKeyInfo pem = inspect_private_key(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n\nMIIB\n"
            "-----END RSA PRIVATE KEY-----\n",
            "");
        CHECK(pem.encrypted);
        PrivateKeyInfo pkcs8 = inspect_private_key("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n",
                                                   "ecdsa-sha2-nistp256 AAAAE2VjZHNh comment\n");
        CHECK(pkcs8.encrypted);
        CHECK(pkcs8.key_type == "ecdsa-sha2-nistp256");
    }
    SECTION("unknown text") {
        PrivateKeyInfo junk = inspect_private_key("hello", "");
        CHECK(junk.key_type.empty());
        CHECK_FALSE(junk.encrypted);
        CHECK_FALSE(inspect_private_key("hello", "ssh-rsa AAAAB3 x").key_type.empty());
    }
}
