#include "support/sandbox.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace smo::integration {

namespace {

const std::string k_script = std::string(SMO_SOURCE_DIR) + "/scripts/sandbox/sandbox.sh";

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int read_pid(const std::filesystem::path& file) {
    const std::string text = read_file(file);
    return text.empty() ? 0 : std::atoi(text.c_str());
}

// Sends the request and reads until the server closes, within the deadline.
std::string exchange(int fd, const std::string& request, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    auto left_ms = [&] {
        return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    };
    pollfd connecting{fd, POLLOUT, 0};
    if (::poll(&connecting, 1, left_ms()) <= 0) {
        return {};
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0 || ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
                          static_cast<ssize_t>(request.size())) {
        return {};
    }
    std::string response;
    char buffer[4096];
    while (left_ms() > 0) {
        pollfd reading{fd, POLLIN, 0};
        if (::poll(&reading, 1, left_ms()) <= 0) {
            return {}; // a partial answer is no answer
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return n == 0 ? response : std::string();
        }
        response.append(buffer, static_cast<std::size_t>(n));
    }
    return {};
}

} // namespace

std::map<std::string, std::string> parse_env_lines(const std::string& text) {
    std::map<std::string, std::string> values;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos) {
            continue;
        }
        values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return values;
}

HttpResponse http_get_local(int port, const std::string& path, int timeout_ms) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket() failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 ||
        errno == EINPROGRESS) {
        response = exchange(fd,
                            "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nConnection: close\r\n\r\n",
                            timeout_ms);
    }
    ::close(fd);
    HttpResponse result;
    const auto space = response.find(' ');
    const auto body = response.find("\r\n\r\n");
    if (response.rfind("HTTP/", 0) != 0 || space == std::string::npos ||
        body == std::string::npos) {
        return result;
    }
    result.status = std::atoi(response.c_str() + space + 1);
    result.body = response.substr(body + 4);
    return result;
}

Sandbox::Sandbox(const std::vector<std::string>& options) {
    std::string pattern = "/tmp/smo.XXXXXX"; // short: PM2 sockets live under it
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp /tmp/smo.XXXXXX failed");
    }
    m_dir = pattern;
    ProcessSpec spec;
    spec.argv = {k_script, "up", m_dir.string()};
    spec.argv.insert(spec.argv.end(), options.begin(), options.end());
    spec.timeout = std::chrono::minutes(5); // a loaded CI machine: up is seconds when idle
    const ProcessResult result = run_process(spec);
    if (result.exit_code != 0) {
        const std::string log = read_file(m_dir / "up.log");
        down();
        throw std::runtime_error("sandbox up failed: " + describe(spec, result) + "\nup.log:\n" +
                                 log);
    }
    m_values = parse_env_lines(read_file(m_dir / "sandbox.env"));
}

Sandbox::~Sandbox() {
    try {
        down();
    } catch (...) {
        // Never throw from a destructor; down() already did its best.
    }
}

const std::string& Sandbox::value(const std::string& key) const {
    const auto found = m_values.find(key);
    if (found == m_values.end()) {
        throw std::out_of_range("sandbox.env has no " + key);
    }
    return found->second;
}

ProcessSpec Sandbox::binary_spec(const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& extra_env) const {
    std::filesystem::create_directories(m_dir / "home");
    ProcessSpec spec;
    spec.argv = {SMO_BINARY};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.cwd = operator_dir().string();
    spec.unset_env = {"SSH_AUTH_SOCK", "TELEGRAM_CHAT_ID", "SMO_TELEGRAM_API"};
    spec.set_env = {{"HOME", (m_dir / "home").string()},
                    {"NO_COLOR", "1"},
                    {"TELEGRAM_BOT_TOKEN", value("TELEGRAM_BOT_TOKEN")}};
    if (!value("SMO_TELEGRAM_API").empty()) {
        spec.set_env["SMO_TELEGRAM_API"] = value("SMO_TELEGRAM_API");
    }
    for (const auto& [name, text] : extra_env) {
        spec.set_env[name] = text;
    }
    return spec;
}

ProcessResult Sandbox::run_binary(const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& extra_env,
                                  std::optional<std::string> stdin_text) const {
    ProcessSpec spec = binary_spec(args, extra_env);
    spec.stdin_text = std::move(stdin_text);
    return run_process(spec);
}

ProcessResult Sandbox::remote(const std::string& command) const {
    ProcessSpec spec;
    spec.argv = {"bash", "-lc", command};
    spec.cwd = live_path().string();
    spec.set_env = {{"PM2_HOME", value("PM2_HOME")},
                    {"npm_config_cache", (m_dir / "npm-cache").string()}};
    return run_process(spec);
}

HttpResponse Sandbox::health() const {
    return http_get("/api/health");
}

HttpResponse Sandbox::http_get(const std::string& path) const {
    return http_get_local(std::stoi(value("APP_PORT")), path);
}

Pm2Process Sandbox::pm2_describe() const {
    const ProcessResult result = remote("pm2 jlist");
    if (result.exit_code != 0) {
        throw std::runtime_error("pm2 jlist failed: " + result.err);
    }
    // The first call may print daemon lines before the JSON.
    const auto start = result.out.find("\n[");
    const std::string json = result.out.rfind('[', 0) == 0
                                 ? result.out
                                 : (start == std::string::npos ? "" : result.out.substr(start));
    const auto list = nlohmann::json::parse(json);
    Pm2Process process;
    for (const auto& entry : list) {
        if (entry.value("name", "") != value("PM2_NAME")) {
            continue;
        }
        process.found = true;
        process.pid = entry.value("pid", 0);
        const auto& env = entry.at("pm2_env");
        process.restarts = env.value("restart_time", 0);
        process.status = env.value("status", "");
    }
    return process;
}

int Sandbox::sshd_pid() const {
    return read_pid(m_dir / "ssh" / "sshd.pid");
}

int Sandbox::pm2_daemon_pid() const {
    return read_pid(m_dir / "pm2" / "pm2.pid");
}

ProcessResult Sandbox::down() {
    if (m_down) {
        return {};
    }
    m_down = true;
    ProcessSpec spec;
    spec.argv = {k_script, "down", m_dir.string(), "--purge"};
    spec.timeout = std::chrono::minutes(1);
    const ProcessResult result = run_process(spec);
    if (result.exit_code != 0) {
        throw std::runtime_error("sandbox down failed: " + describe(spec, result));
    }
    return result;
}

} // namespace smo::integration
