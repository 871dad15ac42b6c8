#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

// Remote command texts run for real by a local bash (tests of the scripts
// themselves, against throwaway repositories): the exit status and the
// output, stdout and stderr together.
namespace smo::test {

struct LocalShellResult {
    int exit_status = -1; // -1: killed by a signal
    std::string output;
};

inline LocalShellResult run_local_shell(const std::string& command) {
    const std::string file = std::filesystem::temp_directory_path().string() + "/smo-shell-" +
                             std::to_string(::getpid());
    std::ofstream(file + ".sh") << command << "\n";
    const int status = std::system(("bash '" + file + ".sh' > '" + file + ".out' 2>&1").c_str());
    std::ifstream in(file + ".out");
    std::stringstream output;
    output << in.rdbuf();
    std::filesystem::remove(file + ".sh");
    std::filesystem::remove(file + ".out");
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output.str()};
}

} // namespace smo::test
