#include "telegram/telegram_stub_fixture.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace smo::integration {

namespace {

std::filesystem::path make_temp_dir() {
    std::string pattern = "/tmp/smo-tg-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Waits for the child to exit, at most `limit`; true when it did.
bool reap(pid_t pid, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || done < 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

} // namespace

TelegramStub::TelegramStub(const std::vector<std::string>& script,
                           const std::string& expect_token) {
    m_dir = make_temp_dir();
    {
        std::ofstream out(m_dir / "script");
        for (const auto& line : script) {
            out << line << "\n";
        }
    }
    const std::string stub = std::string(SMO_SOURCE_DIR) + "/scripts/sandbox/telegram_stub.js";
    const std::string port_file = (m_dir / "port").string();
    const std::string log_file = (m_dir / "log.jsonl").string();
    const std::string script_file = (m_dir / "script").string();
    const std::string output = (m_dir / "stub.out").string();
    std::vector<std::string> args{"node",  stub,     "--port-file", port_file,
                                  "--log", log_file, "--script",    script_file};
    if (!expect_token.empty()) {
        args.push_back("--expect-token");
        args.push_back(expect_token);
    }
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {
        const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        ::execvp("node", argv.data());
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string port = read_text(m_dir / "port");
        if (!port.empty()) {
            m_port = std::stoi(port);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string said = read_text(m_dir / "stub.out");
    stop();
    std::filesystem::remove_all(m_dir);
    throw std::runtime_error("telegram stub did not start: " + said);
}

TelegramStub::~TelegramStub() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

void TelegramStub::stop() {
    if (m_pid <= 0) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    if (!reap(m_pid, std::chrono::seconds(3))) {
        ::kill(m_pid, SIGKILL);
        reap(m_pid, std::chrono::seconds(3));
    }
    m_pid = -1;
}

std::vector<nlohmann::json> TelegramStub::requests() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(read_text(m_dir / "log.jsonl"));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(nlohmann::json::parse(line));
        }
    }
    return lines;
}

} // namespace smo::integration
