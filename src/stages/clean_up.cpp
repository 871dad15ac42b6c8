#include "smo/ports/remote_shell.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <exception>

// After stage 10 or a failure. Runs through the shell directly rather than
// run_remote: after Ctrl-C the lock must still be released.
namespace smo {
namespace {

void attempt(Context& context, const std::string& what, const std::string& command, bool& done) {
    try {
        const auto timeout = stages::quick_timeout(context);
        context.ports.reporter.info("$ " + command);
        const CommandResult result = context.ports.shell.run(command, timeout);
        if (result.succeeded()) {
            done = true;
            return;
        }
        stages::warn(context,
                     "clean-up: could not " + what + ": " + stages::why_failed(result, timeout));
    } catch (const std::exception& error) {
        stages::warn(context, "clean-up: could not " + what + ": " + error.what());
    }
}

// After a complete switch, the oldest asides go so that keep_releases stay
// (this run's among them); after a half switch nothing is removed: the
// operator may need every file to put things back.
void rotate_asides(Context& context) {
    if (!context.state.reloaded) {
        return;
    }
    try {
        bool rotated = false;
        attempt(context, "rotate the asides in " + context.state.paths.asides,
                remote::rotate_asides(context.state.paths, context.env().rollback.keep_releases),
                rotated);
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
}

} // namespace

void clean_up_target(Context& context) {
    auto& state = context.state;
    if (!state.connected) {
        return;
    }
    try {
        // Stage 8 stopped between the checkout and the reload: the staged
        // files may be all that is left of a working release.
        const bool needed = state.live_changed && !state.reloaded;
        if (state.staged && needed) {
            stages::warn(context, "staging worktree kept at " + state.paths.staging +
                                      ": the switch stopped half-way; the from-release's "
                                      "files are in " +
                                      state.paths.aside);
        } else if (state.staged) {
            bool removed = false;
            attempt(context, "remove the staging worktree " + state.paths.staging,
                    remote::remove_staging(state.paths), removed);
            state.staged = !removed;
        }
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
    rotate_asides(context);
    try {
        if (state.lock_held) {
            bool released = false;
            attempt(context, "release the lock " + state.paths.lock,
                    remote::lock_release(state.paths, stages::lock_owner(context)), released);
            state.lock_held = !released;
        }
    } catch (const std::exception& error) {
        stages::warn(context, std::string("clean-up: ") + error.what());
    }
}

} // namespace smo
