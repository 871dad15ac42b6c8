#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <typeinfo>

// Shared by the harnesses of tests/fuzz (docs/fuzzing.md). A broken promise
// aborts with a message: libFuzzer records it as a crash and saves the input,
// the replay tests name the input that broke it.
namespace smo::fuzz {

[[noreturn]] inline void fail(const char* what, const char* detail = "") {
    std::fprintf(stderr, "fuzz: broken promise: %s %s\n", what, detail);
    std::abort();
}

inline void check(bool ok, const char* what) {
    if (!ok) {
        fail(what);
    }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The first line of `text` (a file name, a host alias, a status code …) and
// the rest: seed files stay plain text.
struct Split {
    std::string_view head;
    std::string_view rest;
};

inline Split split_first_line(std::string_view text) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
        return {text, {}};
    }
    return {text.substr(0, newline), text.substr(newline + 1)};
}

// Runs `body`; true when it returned, false when it threw `Allowed` (the
// parser's own error type). Anything else thrown is a broken promise.
template <typename Allowed, typename Body>
bool returns_or_throws(Body&& body) {
    try {
        body();
        return true;
    } catch (const Allowed&) {
        return false;
    } catch (const std::exception& error) {
        fail(typeid(error).name(), error.what());
    } catch (...) {
        fail("a non-std exception escaped");
    }
}

// Runs `body`, which promises never to throw.
template <typename Body>
void never_throws(Body&& body) {
    try {
        body();
    } catch (const std::exception& error) {
        fail(typeid(error).name(), error.what());
    } catch (...) {
        fail("a non-std exception escaped");
    }
}

} // namespace smo::fuzz

#define SMO_FUZZ_CHECK(condition) ::smo::fuzz::check((condition), #condition)
