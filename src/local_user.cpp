#include "smo/local_user.hpp"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>
#include <vector>

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
    // getpwuid_r, not getpwuid: a fleet's hosts ask from several threads at
    // once, and getpwuid's one static entry is overwritten under the reader.
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
        found != nullptr && found->pw_name != nullptr && *found->pw_name != 0) {
        return found->pw_name;
    }
    for (const char* name : {"USER", "LOGNAME"}) {
        if (std::string value = variable(name); !value.empty()) {
            return value;
        }
    }
    return "unknown";
}

} // namespace smo
