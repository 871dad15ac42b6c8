#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

// A remote reply as the target prints it, built from the markers' k_
// constants (smo/remote/*.hpp) and the lines between them: each line ends
// with '\n'.
namespace smo::test {

inline std::string reply_of(std::initializer_list<std::string_view> lines) {
    std::string reply;
    for (const std::string_view line : lines) {
        reply.append(line);
        reply += '\n';
    }
    return reply;
}

} // namespace smo::test
