#pragma once

namespace smo {

// What stage 7 will do, decided at preflight from the migrations added between
// the two tags and the environment's reversibility.
enum class MigrationPlan { none_added, run_auto, ask_manual, irreversible };

const char* to_string(MigrationPlan plan);

} // namespace smo
