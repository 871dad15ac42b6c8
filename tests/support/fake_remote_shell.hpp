#pragma once

#include "smo/errors.hpp"
#include "smo/ports/remote_shell.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace smo::test {

// Records every command and answers from a script: the first rule whose
// `contains` text occurs in the command wins (rules are tried newest first, so
// a test can override a default); no rule means exit 0 with no output.
class FakeRemoteShell : public RemoteShell {
  public:
    struct Rule {
        std::string contains;
        std::function<CommandResult(const std::string&)> reply;
    };

    void connect(const SshTarget& target) override {
        connected_to = target;
        if (connect_error) {
            throw TransportError(*connect_error);
        }
        connected = true;
    }

    CommandResult run(const std::string& command, std::chrono::seconds timeout) override {
        commands.push_back(command);
        timeouts.push_back(timeout);
        for (auto rule = m_rules.rbegin(); rule != m_rules.rend(); ++rule) {
            if (command.find(rule->contains) != std::string::npos) {
                return rule->reply(command);
            }
        }
        return {};
    }

    void disconnect() override { connected = false; }

    // Answer commands containing `contains` with this exit status and output.
    void on(std::string contains, int exit_status, std::string out = {}, std::string err = {}) {
        CommandResult result;
        result.exit_status = exit_status;
        result.out = std::move(out);
        result.err = std::move(err);
        m_rules.push_back({std::move(contains), [result](const std::string&) { return result; }});
    }

    void on(std::string contains, std::function<CommandResult(const std::string&)> reply) {
        m_rules.push_back({std::move(contains), std::move(reply)});
    }

    // Commands containing `contains`, in order.
    std::vector<std::string> commands_with(const std::string& contains) const {
        std::vector<std::string> found;
        for (const auto& command : commands) {
            if (command.find(contains) != std::string::npos) {
                found.push_back(command);
            }
        }
        return found;
    }

    bool ran(const std::string& contains) const { return !commands_with(contains).empty(); }

    // Index of the first command containing `contains`, or -1.
    int index_of(const std::string& contains) const {
        for (size_t i = 0; i < commands.size(); ++i) {
            if (commands[i].find(contains) != std::string::npos) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    std::optional<std::string> connect_error;
    std::optional<SshTarget> connected_to;
    bool connected = false;
    std::vector<std::string> commands;
    std::vector<std::chrono::seconds> timeouts;

  private:
    std::vector<Rule> m_rules;
};

} // namespace smo::test
