#pragma once

#include "smo/ports/operator_prompt.hpp"

#include <cstdio>

namespace smo {

// Asks on stderr, reads a line from stdin (a terminal, or a pipe a wrapper
// feeds). With --auto there is nobody to ask: can_ask() is false.
class TerminalPrompt : public OperatorPrompt {
  public:
    TerminalPrompt(bool auto_mode, std::FILE* in) : m_auto_mode(auto_mode), m_in(in) {}

    bool can_ask() const override { return !m_auto_mode; }
    std::optional<bool> ask_yes_no(const std::string& question) override;

  private:
    bool m_auto_mode;
    std::FILE* m_in;
};

} // namespace smo
