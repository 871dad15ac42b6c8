#pragma once

#include <optional>
#include <string>

// What the operator asked for on the command line (docs/usage.md), before any file
// is read.
namespace smo {

// What to do: the rollback (or its drill/plan), or one of the subcommands.
enum class Command {
    rollback, // smo-rollback [flags]
    status,   // smo-rollback status: what runs now (read-only, docs/usage.md)
    list,     // smo-rollback list: releases it could go back to (offline)
    prepare   // smo-rollback prepare: the warm standby
};

const char* to_string(Command command); // "rollback", "status", "list", "prepare"

struct Options {
    Command command = Command::rollback;
    std::string env = "production";
    std::optional<std::string> to_tag;
    bool dry_run = false;
    bool plan = false;
    bool auto_mode = false;
    bool yes = false; // roll back a healthy live release without asking; never implied by --auto
    bool json = false;
    std::optional<std::string> project_dir;
    std::optional<std::string> triggered_by;
    std::optional<std::string> incident;
    bool notify = false;
    bool accept_new_host_key = false;
    bool break_lock = false;
    bool verbose = false;
    bool quiet = false;
    bool no_color = false;
};

// What parse_command_line decided: run with these options, or exit now with
// this code after --help/--version or a usage error (the text is already
// printed).
struct CommandLine {
    Options options;
    std::optional<int> exit_now;
};

CommandLine parse_command_line(int argc, const char* const* argv);

// The git commit this binary was built from ("9a667f0c1234", "…-dirty", or
// "unknown" outside a git checkout); generated at build time.
const char* build_commit();

} // namespace smo
