#pragma once

#include "smo/context.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/stage.hpp"

#include <optional>

// The warm standby in the stages (docs/prepare.md): stage 4 reuses a matching
// one (stages 5–6 then skip) or discards a stale one; a prepare run keeps its
// staged release once stage 6 passed.
namespace smo::stages {

// Stage 4, staged strategy, given the reply to remote::probe_standby: nullopt
// when there is no standby, or when a stale one was discarded (warned; its
// worktree goes as a leftover) and the release must be staged afresh; else
// the stage's outcome (the standby reused, state.standby_reused set).
std::optional<StageOutcome> reuse_standby(Context& context, const CommandResult& probed);

// A prepare run whose stages 1–6 passed: the manifest is written beside the
// staged release and older standbys pruned to rollback.keep_releases. Sets
// state.standby_kept and report.standby_* on success; on failure the run
// fails (exit 5) and the staged release is removed by the clean-up.
void keep_standby(Context& context);

} // namespace smo::stages
