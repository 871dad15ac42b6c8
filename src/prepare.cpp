// `smo-rollback prepare`: the warm standby (docs/usage.md). Its place in the
// command line and in app_main exists; the work itself is not built yet.
#include "smo/errors.hpp"
#include "smo/subcommands.hpp"

namespace smo {

int run_prepare(const Options&, const ProjectConfig&, const SshTarget&, LocalFileSystem&) {
    throw Error(ExitCode::usage, "prepare is not available in this build yet");
}

} // namespace smo
