#pragma once

#include "smo/stage.hpp"

#include <memory>

// One factory per stage of docs/stages.md; src/pipeline.cpp orders them.
namespace smo {

struct Context;

std::unique_ptr<Stage> make_identify_previous_stage(); // 1 identify-previous
std::unique_ptr<Stage> make_preflight_stage();         // 2 preflight
std::unique_ptr<Stage> make_ssh_connect_stage();       // 3 ssh-connect
std::unique_ptr<Stage> make_checkout_prev_stage();     // 4 checkout-prev
std::unique_ptr<Stage> make_install_stage();           // 5 install
std::unique_ptr<Stage> make_build_stage();             // 6 build
std::unique_ptr<Stage> make_migration_check_stage();   // 7 migration-check
std::unique_ptr<Stage> make_reload_stage();            // 8 reload
std::unique_ptr<Stage> make_settle_stage();            // 9 settle
std::unique_ptr<Stage> make_health_check_stage();      // 10 health-check
std::unique_ptr<Stage> make_log_stage();               // 11 log
std::unique_ptr<Stage> make_telegram_stage();          // 12 telegram (see also telegram.hpp)

// After stage 10, or after any failure, before stage 11: removes the staging
// worktree unless it is still needed (stage 8 stopped half-way: it is kept
// and a warning says where), then releases the lock if this run holds it.
// Best effort, never throws: problems become warnings in context.report.
void clean_up_target(Context& context);

// What clean_up_target would run after a complete rollback, for --plan.
StagePlan plan_clean_up(const Context& context);

// `text` (which may quote the target: stderr tails, health bodies) without
// URL passwords and env-file values. With `read_env`, the first call after
// the session is up reads the live env files (one quick command: only
// failures and warnings pay for it); before that, or without a session, only
// URL passwords are redacted. The pipeline applies it to every stage's detail.
std::string redacted_target_text(Context& context, const std::string& text, bool read_env);

} // namespace smo
