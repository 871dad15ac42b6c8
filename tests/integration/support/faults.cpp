#include "support/faults.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace smo::integration {

namespace {

// The parent pid of `pid` from /proc/<pid>/stat (0 when gone).
pid_t parent_of(pid_t pid) {
    const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    pid_t parent = 0;
    rest >> state >> parent;
    return parent;
}

std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (parent_of(pid) == parent) {
            children.push_back(pid);
        }
    }
    return children;
}

} // namespace

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void set_rollback_command(const Sandbox& sandbox, const std::string& name,
                          const std::string& text) {
    const auto file = sandbox.operator_dir() / ".smorch" / "project.json";
    auto config = nlohmann::json::parse(read_text(file));
    config["deploy"]["production"]["rollback"]["commands"][name] = text;
    std::ofstream(file) << config.dump(2) << "\n";
}

bool wait_for_path(SpawnedProcess& process, const std::filesystem::path& path,
                   std::chrono::seconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!std::filesystem::exists(path)) {
        if (std::chrono::steady_clock::now() > give_up ||
            process.pump_for(std::chrono::milliseconds(50))) {
            return false;
        }
    }
    return true;
}

bool wait_for_stage_event(SpawnedProcess& process, int number, const std::string& status,
                          std::chrono::seconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    std::size_t read = 0;
    while (std::chrono::steady_clock::now() <= give_up) {
        const std::string& out = process.output().out;
        std::size_t end = 0;
        while ((end = out.find('\n', read)) != std::string::npos) {
            const auto event = nlohmann::json::parse(out.substr(read, end - read), nullptr, false);
            read = end + 1;
            if (event.is_object() && event.value("event", "") == "stage" &&
                event.value("n", 0) == number && event.value("status", "") == status) {
                return true;
            }
        }
        if (process.pump_for(std::chrono::milliseconds(20))) {
            return false;
        }
    }
    return false;
}

std::vector<pid_t> ssh_session_pids(const Sandbox& sandbox) {
    std::vector<pid_t> found;
    std::vector<pid_t> parents{static_cast<pid_t>(sandbox.sshd_pid())};
    while (!parents.empty()) {
        const pid_t parent = parents.back();
        parents.pop_back();
        for (const pid_t child : children_of(parent)) {
            found.push_back(child);
            parents.push_back(child);
        }
    }
    return found;
}

int kill_ssh_sessions(const Sandbox& sandbox) {
    int killed = 0;
    for (const pid_t session : children_of(static_cast<pid_t>(sandbox.sshd_pid()))) {
        if (::kill(session, SIGKILL) == 0) {
            ++killed;
        }
    }
    return killed;
}

std::filesystem::path rollback_record(const Sandbox& sandbox, const std::string& from,
                                      const std::string& to) {
    std::vector<std::filesystem::path> found;
    const std::string part = "-rollback-" + from + "-to-" + to;
    for (const auto& entry :
         std::filesystem::directory_iterator(sandbox.operator_dir() / "docs" / "deploys")) {
        if (entry.path().filename().string().find(part) != std::string::npos) {
            found.push_back(entry.path());
        }
    }
    // "-2", "-3" suffixes sort before ".md": the newest is the last written.
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::filesystem::last_write_time(a) < std::filesystem::last_write_time(b);
    });
    return found.empty() ? std::filesystem::path() : found.back();
}

std::string line_starting(const std::string& text, const std::string& start) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(start, 0) == 0) {
            return line;
        }
    }
    return {};
}

std::string remote_text(const Sandbox& sandbox, const std::string& command) {
    std::string out = sandbox.remote(command).out;
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
    std::vector<nlohmann::json> events;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        INFO(line);
        REQUIRE_NOTHROW(events.push_back(nlohmann::json::parse(line)));
    }
    return events;
}

} // namespace smo::integration
