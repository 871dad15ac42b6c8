#pragma once

#include <optional>
#include <string>

// The operator at the terminal. With --auto or without a TTY there is nobody
// to ask: the stage halts instead (exit 3).
namespace smo {

class OperatorPrompt {
  public:
    virtual ~OperatorPrompt() = default;
    virtual bool can_ask() const = 0;
    // true for y/yes, false for n/no; nullopt when input ended.
    virtual std::optional<bool> ask_yes_no(const std::string& question) = 0;
};

} // namespace smo
