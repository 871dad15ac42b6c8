#include "smo/app.hpp"

#include "smo/options.hpp"

// Wiring lands once the adapters do (same session); the command line works.
namespace smo {

int app_main(int argc, const char* const* argv) {
    const CommandLine command_line = parse_command_line(argc, argv);
    return command_line.exit_now.value_or(0);
}

} // namespace smo
