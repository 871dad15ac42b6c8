#include "smo/stage.hpp"

namespace smo {

const char* to_string(StageStatus status) {
    switch (status) {
    case StageStatus::running:
        return "running";
    case StageStatus::ok:
        return "ok";
    case StageStatus::skipped:
        return "skipped";
    case StageStatus::failed:
        return "failed";
    }
    return "unknown";
}

} // namespace smo
