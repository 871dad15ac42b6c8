#pragma once

// The process exit codes of docs/usage.md: stable, documented in docs/exit-codes.md.
namespace smo {

enum class ExitCode : int {
    success = 0,      // rolled back and healthy, drill passed, or plan printed
    usage = 2,        // usage, config or records error: nothing was touched
    halted = 3,       // stopped safely before the live app changed
    sev1 = 4,         // no known-good version: previous tag does not build or is unhealthy
    failed = 5,       // another failure (SSH, host key, timeout, tool missing)
    drill_failed = 6, // --dry-run found a problem
    interrupted = 130 // Ctrl-C: lock released, log written
};

inline int to_int(ExitCode code) {
    return static_cast<int>(code);
}

// "success", "usage", "halted", "sev1", "failed", "drill_failed", "interrupted".
const char* outcome_name(ExitCode code);

} // namespace smo
