// LeakSanitizer suppressions, linked into the programs that load libssh2 keys
// or known_hosts: the integration tests, the binary of a -DSMO_SANITIZE=ON
// build (the integration suite runs it) and the known_hosts fuzz harness. An
// unused function in a build without sanitizers.
//
// libssh2 1.10 leaks a 24-byte OpenSSL BIGNUM (BN_new inside its ECDSA key
// loading) each time libssh2_userauth_publickey_fromfile_ex reads an ECDSA key;
// fixed in later libssh2. Likewise each check of a hashed known_hosts line
// (|1|salt|hash) leaks the 32-byte HMAC_CTX it creates (found by the
// known_hosts fuzzer, docs/fuzzing.md). OpenSSL is built without frame pointers, so with the
// default fast unwinder the report stops at CRYPTO_zalloc and can only be
// matched there. Our code never calls OpenSSL itself: an allocation made inside
// it can only be a library's own. A leaked libssh2 or curl handle of ours is
// still reported through its own (non-OpenSSL) allocations.
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __lsan_default_suppressions() {
    return "leak:CRYPTO_zalloc\n";
}
