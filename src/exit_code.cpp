#include "smo/exit_code.hpp"

namespace smo {

const char* outcome_name(ExitCode code) {
    switch (code) {
    case ExitCode::success:
        return "success";
    case ExitCode::usage:
        return "usage";
    case ExitCode::halted:
        return "halted";
    case ExitCode::sev1:
        return "sev1";
    case ExitCode::failed:
        return "failed";
    case ExitCode::drill_failed:
        return "drill_failed";
    case ExitCode::interrupted:
        return "interrupted";
    }
    return "unknown";
}

} // namespace smo
