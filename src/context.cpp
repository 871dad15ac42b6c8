#include "smo/context.hpp"

#include "smo/ref_name.hpp"
#include "smo/utc_time.hpp"

#include <filesystem>

namespace smo {

const char* to_string(MigrationPlan plan) {
    switch (plan) {
    case MigrationPlan::none_added:
        return "none added";
    case MigrationPlan::run_auto:
        return "auto";
    case MigrationPlan::ask_manual:
        return "manual";
    case MigrationPlan::irreversible:
        return "irreversible";
    }
    return "unknown";
}

} // namespace smo
