#pragma once

#include "smo/remote/switch.hpp"
#include "support/fake_remote_shell.hpp"
#include "support/fake_reply.hpp"

#include <string>
#include <vector>

namespace smo::test {

// The target's side of the detached switch (remote::launch_switch,
// read_journal, open_journal, append_journal) on a FakeRemoteShell: a journal
// in memory, a runner that "advances" by one scripted chunk of journal lines
// per poll, and links that drop on chosen polls.
struct FakeSwitch {
    std::string journal;                 // the journal file's text ("" = none)
    std::vector<std::string> progress;   // appended one per poll after a launch
    bool runner_alive = false;           // before any launch (a resumed runner)
    bool keeps_running = false;          // the runner never ends by itself
    std::vector<int> drop_link_on_polls; // 1-based poll numbers that throw TransportError
    int launches = 0;
    int polls = 0;
    std::string launched; // the last launch command (holds the script)

    void install(FakeRemoteShell& shell) {
        shell.on("journal.tmp", [this](const std::string& command) {
            journal += quoted_after(command, "printf '%s\\n' ") + "\n";
            return CommandResult{};
        });
        shell.on("echo " + std::string(remote::k_journal_open), [this](const std::string& command) {
            journal = header_in(command);
            return ok(reply_of({remote::k_journal_open}));
        });
        shell.on("echo " + std::string(remote::k_journal) + ";",
                 [this](const std::string&) { return poll(); });
        shell.on("setsid nohup bash", [this](const std::string& command) {
            ++launches;
            launched = command;
            if (command.find("smo-journal 1") != std::string::npos) {
                journal = header_in(command);
            }
            journal += "runner=4711\n";
            m_next = 0;
            m_running = true;
            return ok(reply_of({remote::k_runner + std::string("4711")}));
        });
    }

    bool done(const std::string& step) const {
        return journal.find("\ndone=" + step + "\n") != std::string::npos;
    }

  private:
    static CommandResult ok(std::string out) {
        CommandResult result;
        result.out = std::move(out);
        return result;
    }

    // The text of the single-quoted word after `prefix` (no '\'' inside).
    static std::string quoted_after(const std::string& command, const std::string& prefix) {
        const auto at = command.find(prefix + "'");
        if (at == std::string::npos) {
            return {};
        }
        const auto start = at + prefix.size() + 1;
        return command.substr(start, command.find('\'', start) - start);
    }

    static std::string header_in(const std::string& command) {
        const auto start = command.find("smo-journal 1");
        return command.substr(start, command.find('\'', start) - start);
    }

    CommandResult poll() {
        ++polls;
        for (const int drop : drop_link_on_polls) {
            if (drop == polls) {
                throw TransportError("Connection reset by peer");
            }
        }
        const bool running = m_running || runner_alive;
        if (running && m_next < progress.size()) {
            journal += progress[m_next++];
        }
        // The runner lives while it has progress to make (or forever when
        // told so) and until it journals its result.
        const bool ended = journal.find("\nresult=") != std::string::npos;
        const bool alive = running && !ended && (keeps_running || m_next < progress.size());
        return ok(reply_of({remote::k_journal, journal, remote::k_journal_end}) +
                  (alive ? reply_of({remote::k_runner_alive}) : std::string()));
    }

    std::size_t m_next = 0;
    bool m_running = false;
};

} // namespace smo::test
