#include "smo/adapters/terminal_prompt.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace smo {

// The question itself is printed by the reporter (so --json shows a prompt
// event); this reads the answer, asking again on anything but yes or no.
std::optional<bool> TerminalPrompt::ask_yes_no(const std::string&) {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, m_in) != nullptr) {
        std::string answer(buffer);
        answer.erase(std::remove_if(answer.begin(), answer.end(),
                                    [](unsigned char c) { return std::isspace(c) != 0; }),
                     answer.end());
        std::transform(answer.begin(), answer.end(), answer.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (answer == "y" || answer == "yes") {
            return true;
        }
        if (answer == "n" || answer == "no") {
            return false;
        }
        std::fputs("Please answer y or n: ", stderr);
        std::fflush(stderr);
    }
    return std::nullopt;
}

} // namespace smo
