#include "smo/local_user.hpp"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace smo {
namespace {

std::string variable(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

} // namespace

std::string operator_name() {
    // sudo sets SUDO_USER (sudo -u deploy too): the name is a label for
    // people, as spoofable as $USER, never used for access.
    if (std::string sudo_user = variable("SUDO_USER"); !sudo_user.empty()) {
        return sudo_user;
    }
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && *entry->pw_name != 0) {
        return entry->pw_name;
    }
    for (const char* name : {"USER", "LOGNAME"}) {
        if (std::string value = variable(name); !value.empty()) {
            return value;
        }
    }
    return "unknown";
}

} // namespace smo
