#include "smo/adapters/ssh_key_material.hpp"

#include <cstring>
#include <vector>

namespace smo {

namespace {

constexpr std::string_view k_base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

constexpr std::array<std::uint32_t, 64> k_sha256_rounds = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}

void sha256_block(std::array<std::uint32_t, 8>& state, const unsigned char* block) {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i) {
        w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
               (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
        std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = state;
    for (int i = 0; i < 64; ++i) {
        std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
        std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        std::uint32_t t1 = v[7] + s1 + ch + k_sha256_rounds[i] + w[i];
        std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
        std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        std::uint32_t t2 = s0 + maj;
        v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) {
        state[i] += v[i];
    }
}

// Reads one SSH wire-format string (uint32 length + bytes) at `pos`.
std::optional<std::string_view> read_ssh_string(std::string_view data, std::size_t& pos) {
    if (pos > data.size() || data.size() - pos < 4) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) {
        length = (length << 8) | static_cast<unsigned char>(data[pos + i]);
    }
    pos += 4;
    if (data.size() - pos < length) {
        return std::nullopt;
    }
    std::string_view value = data.substr(pos, length);
    pos += length;
    return value;
}

// The base64 body between the PEM armour lines (headers such as Proc-Type skipped).
std::string pem_body(std::string_view text) {
    std::string body;
    std::size_t begin = text.find('\n');
    std::size_t end = text.find("-----END");
    if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
        return body;
    }
    for (std::size_t pos = begin + 1; pos < end;) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, (eol == std::string_view::npos ? end : eol) - pos);
        if (line.find(':') == std::string_view::npos) {
            body += line;
        }
        pos = eol == std::string_view::npos ? end : eol + 1;
    }
    return body;
}

PrivateKeyInfo inspect_openssh_key(std::string_view text) {
    PrivateKeyInfo info;
    std::optional<std::string> raw = base64_decode(pem_body(text));
    constexpr std::string_view k_magic{"openssh-key-v1\0", 15};
    if (!raw || raw->compare(0, k_magic.size(), k_magic) != 0) {
        return info;
    }
    std::string_view data = *raw;
    std::size_t pos = k_magic.size();
    std::optional<std::string_view> cipher = read_ssh_string(data, pos);
    std::optional<std::string_view> kdf = read_ssh_string(data, pos);
    std::optional<std::string_view> kdf_options = read_ssh_string(data, pos);
    if (!cipher || !kdf || !kdf_options || data.size() - pos < 4) {
        return info;
    }
    info.encrypted = *cipher != "none";
    pos += 4; // number of keys; the first public key follows
    if (std::optional<std::string_view> public_blob = read_ssh_string(data, pos)) {
        info.key_type = key_blob_type(*public_blob);
    }
    return info;
}

std::string public_file_type(std::string_view public_text) {
    std::size_t end = public_text.find_first_of(" \t\r\n");
    return std::string(public_text.substr(0, end));
}

} // namespace

std::string base64_encode(std::string_view bytes, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        std::uint32_t n = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                          (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                          static_cast<unsigned char>(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) {
            out += k_base64_alphabet[(n >> shift) & 63];
        }
    }
    std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        if (rest == 2) {
            n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
        }
        out += k_base64_alphabet[(n >> 18) & 63];
        out += k_base64_alphabet[(n >> 12) & 63];
        if (rest == 2) {
            out += k_base64_alphabet[(n >> 6) & 63];
        }
        if (pad) {
            out.append(3 - rest, '=');
        }
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string out;
    std::uint32_t bits = 0;
    int bit_count = 0;
    bool padding = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        if (c == '=') {
            padding = true;
            continue;
        }
        int value = base64_value(c);
        if (value < 0 || padding) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>((bits >> bit_count) & 0xff);
        }
    }
    return out;
}

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
    std::array<std::uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::size_t full = bytes.size() / 64 * 64;
    for (std::size_t i = 0; i < full; i += 64) {
        sha256_block(state, reinterpret_cast<const unsigned char*>(bytes.data() + i));
    }
    // Padding: 0x80, zeros, then the bit length big-endian, in one or two blocks.
    std::vector<unsigned char> tail(bytes.begin() + static_cast<std::ptrdiff_t>(full), bytes.end());
    tail.push_back(0x80);
    while (tail.size() % 64 != 56) {
        tail.push_back(0);
    }
    std::uint64_t bit_length = static_cast<std::uint64_t>(bytes.size()) * 8;
    for (int shift = 56; shift >= 0; shift -= 8) {
        tail.push_back(static_cast<unsigned char>((bit_length >> shift) & 0xff));
    }
    for (std::size_t i = 0; i < tail.size(); i += 64) {
        sha256_block(state, tail.data() + i);
    }
    std::array<std::uint8_t, 32> digest{};
    for (int i = 0; i < 8; ++i) {
        for (int b = 0; b < 4; ++b) {
            digest[4 * i + b] = static_cast<std::uint8_t>((state[i] >> (24 - 8 * b)) & 0xff);
        }
    }
    return digest;
}

std::string sha256_fingerprint(std::string_view key_blob) {
    std::array<std::uint8_t, 32> digest = sha256(key_blob);
    std::string_view raw(reinterpret_cast<const char*>(digest.data()), digest.size());
    return "SHA256:" + base64_encode(raw, false);
}

std::string key_blob_type(std::string_view key_blob) {
    std::size_t pos = 0;
    std::optional<std::string_view> type = read_ssh_string(key_blob, pos);
    return type ? std::string(*type) : std::string();
}

std::string known_hosts_name(std::string_view host, int port) {
    if (port == 22) {
        return std::string(host);
    }
    return "[" + std::string(host) + "]:" + std::to_string(port);
}

std::string known_hosts_line(std::string_view host, int port, std::string_view key_blob) {
    return known_hosts_name(host, port) + " " + key_blob_type(key_blob) + " " +
           base64_encode(key_blob);
}

PrivateKeyInfo inspect_private_key(std::string_view private_text, std::string_view public_text) {
    PrivateKeyInfo info;
    if (private_text.find("-----BEGIN OPENSSH PRIVATE KEY-----") != std::string_view::npos) {
        info = inspect_openssh_key(private_text);
    } else if (private_text.find("-----BEGIN RSA PRIVATE KEY-----") != std::string_view::npos) {
        info.key_type = "ssh-rsa";
    } else if (private_text.find("-----BEGIN EC PRIVATE KEY-----") != std::string_view::npos) {
        info.key_type = "ecdsa-sha2";
    } else if (private_text.find("-----BEGIN DSA PRIVATE KEY-----") != std::string_view::npos) {
        info.key_type = "ssh-dss";
    }
    if (private_text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
        private_text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos) {
        info.encrypted = true;
    }
    if (std::string from_public = public_file_type(public_text); !from_public.empty()) {
        if (info.key_type.empty() || info.key_type == "ecdsa-sha2") {
            info.key_type = from_public;
        }
    }
    return info;
}

} // namespace smo
