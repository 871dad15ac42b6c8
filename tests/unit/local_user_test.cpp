#include "smo/local_user.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <pwd.h>
#include <string>
#include <unistd.h>

namespace {

// Sets (or unsets) a variable for one scope.
class ScopedVariable {
  public:
    ScopedVariable(const char* name, std::optional<std::string> value) : m_name(name) {
        if (const char* old = std::getenv(name); old != nullptr) {
            m_old = old;
        }
        set(value);
    }
    ~ScopedVariable() { set(m_old); }
    ScopedVariable(const ScopedVariable&) = delete;
    ScopedVariable& operator=(const ScopedVariable&) = delete;

  private:
    void set(const std::optional<std::string>& value) {
        if (value) {
            ::setenv(m_name, value->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("local user: under sudo the person who ran sudo, not root", "[local_user]") {
    ScopedVariable sudo("SUDO_USER", "alice");
    ScopedVariable user("USER", "root");
    CHECK(smo::operator_name() == "alice");
}

TEST_CASE("local user: without sudo the login name of the real user", "[local_user]") {
    ScopedVariable sudo("SUDO_USER", std::nullopt);
    ScopedVariable user("USER", "someone-else");
    const passwd* entry = ::getpwuid(::getuid());
    REQUIRE(entry != nullptr);
    CHECK(smo::operator_name() == entry->pw_name);
}
