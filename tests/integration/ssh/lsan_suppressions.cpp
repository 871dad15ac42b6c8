// LeakSanitizer suppressions for the integration tests (used only in a
// -DSMO_SANITIZE=ON build; an unused function otherwise).
//
// libssh2 1.10 leaks a 24-byte OpenSSL BIGNUM (BN_new inside its ECDSA key
// loading) each time libssh2_userauth_publickey_fromfile_ex reads an ECDSA key;
// fixed in later libssh2. OpenSSL is built without frame pointers, so with the
// default fast unwinder the report stops at CRYPTO_zalloc and can only be
// matched there. Our code never calls OpenSSL itself: an allocation made inside
// it can only be a library's own. A leaked libssh2 or curl handle of ours is
// still reported through its own (non-OpenSSL) allocations.
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __lsan_default_suppressions() {
    return "leak:CRYPTO_zalloc\n";
}
