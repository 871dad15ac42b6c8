// Stage 3's last check: a live release that answers healthy is rolled back
// only with a yes (docs/safety.md). Rolling back a healthy app is a decision,
// not an emergency: a retried or repeated run must never walk further back
// by itself.
#include "smo/health.hpp"
#include "smo/ports/operator_prompt.hpp"
#include "smo/reporter.hpp"
#include "stage_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

// "migrations/002_add_email.up.sql" → "002_add_email".
std::string migration_name(const std::string& file) {
    std::string name = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
    for (const char* suffix : {".up.sql", ".down.sql", ".sql", ".js", ".ts", ".cjs", ".mjs"}) {
        const std::string ending = suffix;
        if (name.size() > ending.size() &&
            name.compare(name.size() - ending.size(), ending.size(), ending) == 0) {
            return name.substr(0, name.size() - ending.size());
        }
    }
    return name;
}

std::string undone_migrations(const Context& context) {
    std::vector<std::string> names;
    for (const auto& file : context.state.added_migrations) {
        const std::string name = migration_name(file);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    return text::join(names, ", ");
}

} // namespace

std::string healthy_question(const Context& context) {
    const auto& report = context.report;
    const std::string undone = undone_migrations(context);
    const std::string from =
        report.from_tag.empty() ? short_commit(report.from_commit) : report.from_tag;
    const std::string to = report.to_tag.empty() ? short_commit(report.to_commit) : report.to_tag;
    return from + " is healthy. Roll back to " + to + " anyway" +
           (undone.empty() ? std::string() : " (undoes " + undone + ")") + "? [y/N]";
}

std::optional<StageOutcome> confirm_healthy_rollback(Context& context) {
    const auto& state = context.state;
    // A drill and prepare change nothing live: nothing to confirm.
    if (context.drill() || context.preparing() || !state.served_healthy ||
        state.live_commit.empty() || !commit_matches(state.served_commit, state.live_commit)) {
        return std::nullopt; // unhealthy or unreachable: the emergency this tool is for
    }
    const std::string from = release_name(context.report.from_tag, context.report.from_commit);
    if (context.options.yes) {
        warn(context, from + " answers healthy; rolling back anyway (--yes)");
        return std::nullopt;
    }
    const std::string healthy = from + " answers healthy (200, status ok, serving the live HEAD): ";
    const std::string rerun = "; nothing was changed. If it must go, re-run with --yes";
    if (context.options.auto_mode) {
        return StageOutcome::halt(healthy + "--auto never rolls back a healthy release" + rerun);
    }
    if (!context.ports.prompt.can_ask()) {
        return StageOutcome::halt(healthy + "no terminal to ask for a yes" + rerun);
    }
    const std::string question = healthy_question(context);
    context.ports.reporter.prompt(question);
    const std::optional<bool> answer = context.ports.prompt.ask_yes_no(question);
    if (!answer) {
        return StageOutcome::halt(healthy + "no answer (input ended: no terminal?)" + rerun);
    }
    if (!*answer) {
        return StageOutcome::halt(healthy + "the operator said no; nothing was changed");
    }
    return std::nullopt;
}

} // namespace smo::stages
