#include "ssh/sshd_fixture.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace smo::integration {

namespace {

const std::string k_sshd_script = std::string(SMO_SOURCE_DIR) + "/scripts/sandbox/sshd.sh";

} // namespace

std::string must_run(const std::vector<std::string>& argv) {
    ProcessSpec spec;
    spec.argv = argv;
    spec.timeout = std::chrono::seconds(60);
    ProcessResult result = run_process(spec);
    if (result.exit_code != 0) {
        throw std::runtime_error(describe(spec, result));
    }
    return result.out;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream file(path, std::ios::trunc);
    file << text;
}

SshdFixture::SshdFixture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "smo-ssh.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_dir = pattern;
    // Sessions get an empty home, like a fresh server user: this machine's root
    // profile (pyenv) costs seconds per session and would swamp the timeouts.
    std::filesystem::create_directories(m_dir / "ssh" / "home");
    std::ofstream(m_dir / "ssh" / "setenv") << "HOME=" << (m_dir / "ssh" / "home").string() << "\n";
    std::string out = must_run({"bash", k_sshd_script, "start", m_dir.string()});
    std::size_t at = out.find("SSH_PORT=");
    if (at == std::string::npos) {
        throw std::runtime_error("sshd.sh start printed no SSH_PORT=: " + out);
    }
    m_port = std::stoi(out.substr(at + 9));
}

SshdFixture::~SshdFixture() {
    ProcessSpec spec;
    spec.argv = {"bash", k_sshd_script, "stop", m_dir.string()};
    run_process(spec);
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

SshTarget SshdFixture::target(const std::string& key) const {
    SshTarget target;
    target.label = "sandbox";
    target.address = "127.0.0.1";
    target.port = m_port;
    target.user = trim(must_run({"id", "-un"}));
    target.identity_files = {(ssh_dir() / key).string()};
    target.use_agent = false;
    target.known_hosts_file = known_hosts();
    target.connect_timeout_seconds = 5;
    target.keepalive_seconds = 15;
    return target;
}

pid_t SshdFixture::sshd_pid() const {
    return static_cast<pid_t>(std::stol(read_file(ssh_dir() / "sshd.pid")));
}

std::vector<pid_t> SshdFixture::session_pids() const {
    return descendants_of(sshd_pid());
}

int SshdFixture::log_lines_with(const std::string& text) const {
    std::istringstream log(read_file(ssh_dir() / "sshd.log"));
    int count = 0;
    for (std::string line; std::getline(log, line);) {
        count += line.find(text) != std::string::npos ? 1 : 0;
    }
    return count;
}

std::string keygen_fingerprint(const std::filesystem::path& public_key) {
    // "256 SHA256:abc... comment (ED25519)"
    std::istringstream words(must_run({"ssh-keygen", "-l", "-E", "sha256", "-f", public_key}));
    std::string bits;
    std::string fingerprint;
    words >> bits >> fingerprint;
    return fingerprint;
}

std::vector<pid_t> processes_with(const std::string& marker) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::string cmdline = read_file(entry.path() / "cmdline");
        if (cmdline.find(marker) != std::string::npos && std::stoi(name) != ::getpid()) {
            found.push_back(std::stoi(name));
        }
    }
    return found;
}

std::vector<pid_t> descendants_of(pid_t pid) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces.
        std::string stat = read_file(entry.path() / "stat");
        std::size_t close = stat.rfind(')');
        if (close == std::string::npos) {
            continue;
        }
        std::istringstream rest(stat.substr(close + 2));
        std::string state;
        pid_t parent = 0;
        rest >> state >> parent;
        if (parent == pid) {
            pid_t child = std::stoi(name);
            found.push_back(child);
            std::vector<pid_t> below = descendants_of(child);
            found.insert(found.end(), below.begin(), below.end());
        }
    }
    return found;
}

int unused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find an unused port");
    }
    ::close(fd); // never listened: connecting is refused
    return ntohs(address.sin_port);
}

ChildProcess::ChildProcess(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    int rc = ::posix_spawnp(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        m_pid = -1;
        throw std::runtime_error("cannot start " + args[0]);
    }
}

ChildProcess::~ChildProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
}

RsaOnlySshd::RsaOnlySshd(const SshdFixture& base) : m_port(unused_port()) {
    const std::filesystem::path dir = base.ssh_dir();
    must_run({"ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f",
              (dir / "ssh_host_rsa_key").string()});
    // The fixture's config with the RSA key as the only host key.
    std::istringstream config(read_file(dir / "sshd_config"));
    std::string rewritten;
    for (std::string line; std::getline(config, line);) {
        if (line.rfind("HostKey ", 0) == 0 || line.rfind("Port ", 0) == 0 ||
            line.rfind("PidFile ", 0) == 0) {
            continue;
        }
        rewritten += line + "\n";
    }
    rewritten += "HostKey " + (dir / "ssh_host_rsa_key").string() + "\nPort " +
                 std::to_string(m_port) + "\nPidFile " + (dir / "rsa_sshd.pid").string() + "\n";
    write_file(dir / "rsa_sshd_config", rewritten);
    m_sshd = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/sbin/sshd", "-D", "-e", "-f", (dir / "rsa_sshd_config").string(), "-E",
        (dir / "rsa_sshd.log").string()});
    for (int i = 0; i < 250; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(m_port));
        bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (up) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("the RSA-only sshd did not start: " + read_file(dir / "rsa_sshd.log"));
}

SshAgent::SshAgent(const std::filesystem::path& socket)
    : m_socket(socket), m_agent({"ssh-agent", "-D", "-a", socket.string()}) {
    for (int i = 0; i < 250 && !std::filesystem::exists(m_socket); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!std::filesystem::exists(m_socket)) {
        throw std::runtime_error("ssh-agent did not create " + m_socket.string());
    }
}

void SshAgent::add(const std::filesystem::path& key, const std::string& passphrase) const {
    const std::filesystem::path askpass = m_socket.parent_path() / "askpass.sh";
    write_file(askpass, "#!/bin/sh\nprintf '%s\\n' '" + passphrase + "'\n");
    std::filesystem::permissions(askpass, std::filesystem::perms::owner_all);
    ProcessSpec spec;
    spec.argv = {"ssh-add", key.string()};
    spec.set_env = {{"SSH_AUTH_SOCK", m_socket.string()},
                    {"SSH_ASKPASS", askpass.string()},
                    {"SSH_ASKPASS_REQUIRE", "force"},
                    {"DISPLAY", "none"}};
    spec.timeout = std::chrono::seconds(30);
    ProcessResult result = run_process(spec);
    if (result.exit_code != 0) {
        throw std::runtime_error(describe(spec, result));
    }
}

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value)
    : m_name(std::move(name)) {
    if (const char* old = std::getenv(m_name.c_str())) {
        m_saved = old;
    }
    if (value) {
        ::setenv(m_name.c_str(), value->c_str(), 1);
    } else {
        ::unsetenv(m_name.c_str());
    }
}

ScopedEnv::~ScopedEnv() {
    if (m_saved) {
        ::setenv(m_name.c_str(), m_saved->c_str(), 1);
    } else {
        ::unsetenv(m_name.c_str());
    }
}

} // namespace smo::integration
