// identify-previous: chooses the release to leave (from) and the one to go
//   back to (to) from the deploy records and the commit the app reports.
// Reads: the records in <project>/docs/deploys, options.to_tag, the health URL
//   (a fleet's: every host's; the newest release served is the from).
// Writes: state.history, state.served_commit, host_readings, report.from_*/to_*.
// Drill: the same; reading files and one GET change nothing.
#include "fleet_served.hpp"
#include "smo/health.hpp"
#include "smo/ports/local_git.hpp"
#include "smo/ref_name.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <algorithm>
#include <variant>

namespace smo::stages {
namespace {

constexpr std::chrono::seconds k_health_timeout{5};

StageOutcome usage_error(std::string detail) {
    return {StageStatus::failed, std::move(detail), ExitCode::usage};
}

std::string deploys_dir(const Context& context) {
    return (context.config.project_dir / "docs" / "deploys").string();
}

// A commit the records do not explain may still carry a tag locally (a deploy
// whose record was never written).
std::optional<Release> release_from_tags(Context& context, const std::string& commit) {
    LocalGit& git = context.ports.git;
    const std::string full = git.resolve_commit(commit).value_or(commit);
    std::vector<std::string> tags = git.tags_at(full);
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [](const std::string& tag) { return !is_valid_tag_name(tag); }),
               tags.end());
    if (tags.empty()) {
        return std::nullopt;
    }
    // Prefer a tag the records know: the history then places it in time.
    const auto& events = context.state.history.events;
    for (const auto& tag : tags) {
        const bool known = std::any_of(events.begin(), events.end(),
                                       [&](const DeployEvent& e) { return e.tag == tag; });
        if (known) {
            return Release{tag, full};
        }
    }
    return Release{tags.front(), full};
}

std::string commit_in_records(const History& history, const std::string& tag) {
    for (auto it = history.events.rbegin(); it != history.events.rend(); ++it) {
        if (it->tag == tag && !it->commit.empty()) {
            return it->commit;
        }
    }
    return {};
}

// What runs now. nullopt with an outcome set means stop.
std::optional<Release> current_release(Context& context, std::optional<StageOutcome>& stop) {
    const History& history = context.state.history;
    const std::string& served = context.state.served_commit;
    std::optional<Release> current = find_current(history, served);
    if (current || served.empty()) {
        return current;
    }
    if ((current = release_from_tags(context, served))) {
        warn(context, "no deploy record explains the served commit " + short_commit(served) +
                          "; the local tag " + current->tag + " names it");
        return current;
    }
    if (context.options.to_tag) {
        warn(context, "no deploy record or local tag explains the served commit " +
                          short_commit(served) + "; rolling back from it to --to " +
                          *context.options.to_tag);
        return Release{"", served};
    }
    const auto newest = find_current(history, "");
    stop = StageOutcome::halt(
        "the app reports commit " + short_commit(served) +
        ", which no deploy record and no local tag explains (newest deploy in the records: " +
        (newest ? release_name(newest->tag, newest->commit) : std::string("none")) +
        "); check what runs on the target, then re-run with --to TAG");
    return std::nullopt;
}

// The app serves an older release than the newest one the records put live,
// and the records name nothing to go back to from it (or --to names it): a
// rollback to it may have been cut short after its switch (docs/safety.md).
// Only the target's switch journal can tell, so the pair newest → served is
// taken and stage 3 decides: it resumes that rollback, or stops with `stop`.
std::optional<StageOutcome> defer_to_journal(Context& context, const Release& current,
                                             StageOutcome stop) {
    const auto newest = find_current(context.state.history, "");
    if (context.state.served_commit.empty() || !newest || newest->tag == current.tag ||
        current.tag.empty()) {
        return std::nullopt;
    }
    auto& report = context.report;
    report.from_tag = newest->tag;
    report.from_commit = newest->commit;
    report.to_tag = current.tag;
    report.to_commit = context.state.served_commit;
    context.state.stop_unless_resumed = std::move(stop.detail);
    return StageOutcome::ok(
        "the app already serves " + release_name(current.tag, context.state.served_commit) +
        ", older than the newest deploy " + release_name(newest->tag, newest->commit) +
        ": stage 3 looks for an interrupted rollback to finish");
}

// --to, or the newest good release before `current` in the records whose
// tag the local repository knows; a stop when there is none.
std::variant<Release, StageOutcome> choose_to_release(Context& context, const Release& current,
                                                      const std::string& from_commit) {
    const History& history = context.state.history;
    const auto& to_option = context.options.to_tag;
    if (to_option) {
        if (!is_valid_tag_name(*to_option)) {
            return usage_error("--to " + *to_option + " is not a valid tag name");
        }
        if (*to_option == current.tag) {
            StageOutcome running =
                usage_error("--to " + *to_option + " is the release already running");
            return defer_to_journal(context, current, running).value_or(running);
        }
        const auto bad = rolled_back_from(history);
        if (std::find(bad.begin(), bad.end(), *to_option) != bad.end()) {
            warn(context, "--to " + *to_option + " was rolled back from before (known bad)");
        }
        return Release{*to_option, commit_in_records(history, *to_option)};
    }
    // Only a real release is a candidate: a record whose tag the local
    // repository does not know is skipped, named, and the next one taken.
    auto previous = find_previous(history, current.tag, [&](const DeployEvent& event) {
        if (context.ports.git.resolve_commit(event.tag)) {
            return true;
        }
        warn(context, "skipped " + deploys_dir(context) + "/" + event.file + ": tag " + event.tag +
                          " does not resolve in the local repository (not a release?); "
                          "taking the next candidate");
        return false;
    });
    if (!previous) {
        StageOutcome none = usage_error("no earlier good release of " + context.env().name +
                                        " in " + deploys_dir(context) + " before " +
                                        release_name(current.tag, from_commit) + "; pass --to TAG");
        return defer_to_journal(context, current, none).value_or(none);
    }
    return *previous;
}

} // namespace

StageOutcome identify_release(Context& context) {
    const History& history = context.state.history;
    const auto& to_option = context.options.to_tag;
    if (history.events.empty() && !to_option) {
        return usage_error("no usable deploy record in " + deploys_dir(context) + " for " +
                           context.env().name +
                           ": cannot tell the previous release; pass --to TAG");
    }
    std::optional<StageOutcome> stop;
    std::optional<Release> current = current_release(context, stop);
    if (stop) {
        return *stop;
    }
    if (!current) {
        if (!to_option) {
            return usage_error("no successful deploy of " + context.env().name + " in " +
                               deploys_dir(context) + "; pass --to TAG");
        }
        current = Release{}; // stage 3 learns it from the live tree
    }
    std::string from_commit = current->commit;
    if (context.state.served_commit.size() > from_commit.size() &&
        (from_commit.empty() || context.state.served_commit.starts_with(from_commit))) {
        from_commit = context.state.served_commit;
    }
    auto& report = context.report;
    // Known even when no release to go back to is found (`list`, the Live: line).
    report.from_tag = current->tag;
    report.from_commit = from_commit;
    auto to = choose_to_release(context, *current, from_commit);
    if (auto* none = std::get_if<StageOutcome>(&to)) {
        return *none;
    }
    report.to_tag = std::get<Release>(to).tag;
    report.to_commit = std::get<Release>(to).commit;
    return StageOutcome::ok("from " + release_name(report.from_tag, report.from_commit) + " to " +
                            release_name(report.to_tag, report.to_commit));
}

namespace {

class IdentifyPreviousStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        const std::string dir = deploys_dir(context);
        context.state.history = load_history(context.ports.files, dir, context.env().name);
        for (const auto& problem : context.state.history.problems) {
            warn(context, "skipped " + dir + "/" + problem.file + ": " + problem.reason);
        }
        const std::string served = context.config.hosts.empty() ? learn_served_commit(context)
                                                                : learn_fleet_served(context);
        StageOutcome outcome = identify_release(context);
        if (outcome.status == StageStatus::ok) {
            outcome.detail += served;
        }
        return outcome;
    }

    StagePlan plan(const Context& context) const override {
        const auto& hosts = context.config.hosts;
        const std::string get = hosts.empty() ? "GET " + context.env().health_url
                                              : "GET the health URL of each of " +
                                                    std::to_string(hosts.size()) + " hosts";
        return {get + " (read-only), records in " + deploys_dir(context), {}};
    }

  private:
    // The read-only GET: what the app itself says it runs.
    static std::string learn_served_commit(Context& context) {
        const std::string& url = context.env().health_url;
        const HealthReading reading = read_health(context.ports.http, url, k_health_timeout);
        context.state.first_reading = reading;
        if (!reading.answered) {
            context.ports.reporter.info("health endpoint unreachable (" + reading.error +
                                        "): current release taken from the records");
            return "; app unreachable, current from the records";
        }
        if (!is_valid_commit(reading.commit)) {
            return "; app reports no commit (" + std::to_string(reading.http_status) +
                   "), current from the records";
        }
        context.state.served_commit = reading.commit;
        context.state.served_healthy =
            reading.http_status == 200 && (reading.status.empty() || reading.status == "ok");
        return "; app reports " + short_commit(reading.commit) +
               (context.state.served_healthy ? " (healthy)" : "");
    }
};

} // namespace

} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_identify_previous_stage() {
    return std::make_unique<stages::IdentifyPreviousStage>();
}
