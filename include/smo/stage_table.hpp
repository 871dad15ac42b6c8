#pragma once

#include "smo/stages.hpp"

#include <array>
#include <memory>
#include <stdexcept>
#include <string_view>

// The twelve stages of docs/stages.md, in order: the one list from which the
// pipeline is built and every stage number and name is taken (the run's stage
// rows, the record, the live display, the plan). Stages 1–10 run until one
// fails; those marked `always_runs` (log, telegram) run after any outcome, so
// a rollback is never hidden.
namespace smo {

struct StageEntry {
    std::string_view name;
    bool always_runs;
    std::unique_ptr<Stage> (*make)();
};

inline constexpr std::array<StageEntry, 12> k_stage_table{{
    {"identify-previous", false,
     &make_identify_previous_stage},                         // records + served commit → from/to
    {"preflight", false, &make_preflight_stage},             // local checks, migration gate
    {"ssh-connect", false, &make_ssh_connect_stage},         // session, lock, tools, clean tree
    {"checkout-prev", false, &make_checkout_prev_stage},     // worktree beside the live tree
    {"install", false, &make_install_stage},                 // node_modules for the staged release
    {"build", false, &make_build_stage},                     // build the staged release
    {"migration-check", false, &make_migration_check_stage}, // down migrations from the live tree
    {"reload", false, &make_reload_stage},                   // checkout + renames + pm2 reload
    {"settle", false, &make_settle_stage},                   // wait for the app to come up
    {"health-check", false, &make_health_check_stage},       // stable, commit-matched health
    {"log", true, &make_log_stage},                          // record, trend, SLA breach
    {"telegram", true, &make_telegram_stage},                // alert
}};

inline constexpr int k_stage_count = static_cast<int>(k_stage_table.size());

// The number (1-based) of the stage called `name`; a misspelt name in a
// constant expression does not compile.
constexpr int stage_number(std::string_view name) {
    for (std::size_t i = 0; i < k_stage_table.size(); ++i) {
        if (k_stage_table[i].name == name) {
            return static_cast<int>(i) + 1;
        }
    }
    throw std::invalid_argument("no such stage");
}

constexpr std::string_view stage_name(int number) {
    return k_stage_table.at(static_cast<std::size_t>(number - 1)).name;
}

constexpr int first_always_stage() {
    for (std::size_t i = 0; i < k_stage_table.size(); ++i) {
        if (k_stage_table[i].always_runs) {
            return static_cast<int>(i) + 1;
        }
    }
    return k_stage_count + 1;
}

inline constexpr int k_first_always_stage = first_always_stage();

} // namespace smo
