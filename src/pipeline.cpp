#include "smo/pipeline.hpp"

#include "smo/context.hpp"
#include "smo/drill_rules.hpp"
#include "smo/errors.hpp"
#include "smo/health.hpp"
#include "smo/ports/clock.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "stages/stage_support.hpp"
#include "stages/standby_support.hpp"

namespace smo {

// The runbook, in order: k_stage_table (smo/stage_table.hpp) is the rollback.
std::vector<std::unique_ptr<Stage>> make_stages() {
    std::vector<std::unique_ptr<Stage>> stages;
    for (const StageEntry& entry : k_stage_table) {
        stages.push_back(entry.make());
    }
    return stages;
}

namespace {

// Runs one stage, turning breakage (a lost link, Ctrl-C) into its failure so
// that the log and the alert still happen.
StageOutcome run_guarded(Stage& stage, int number, Context& context) {
    try {
        // After Ctrl-C the record is still written and the alert still sent.
        // A detached switch under way is followed to its end first, so that
        // its result is reported rather than guessed.
        if (number < k_first_always_stage && context.interrupted() &&
            !context.state.switch_in_flight) {
            throw Interrupted();
        }
        return stage.run(context);
    } catch (const Interrupted& e) {
        return {StageStatus::failed, e.what(), ExitCode::interrupted};
    } catch (const Error& e) {
        return {StageStatus::failed, e.what(), e.code()};
    } catch (const std::exception& e) {
        return StageOutcome::fail(std::string("internal error: ") + e.what());
    }
}

ExitCode outcome_exit_code(const Context& context, const StageOutcome& outcome) {
    return context.drill() ? drill_exit_code(outcome.exit_code) : outcome.exit_code;
}

StageReport run_one(Stage& stage, int number, Context& context) {
    Clock& clock = context.ports.clock;
    context.ports.reporter.stage_started(number, std::string(stage_name(number)));
    const auto begin = clock.now();
    StageOutcome outcome = run_guarded(stage, number, context);
    if (outcome.status == StageStatus::failed && !context.state.switch_begun &&
        !context.state.live_changed && context.state.connected &&
        context.report.target_state.empty()) {
        // Stages 3–6 never touch the live tree or the database, whatever
        // broke (a lost link, Ctrl-C, a failed install): say so.
        context.report.target_state =
            "live app untouched: still " +
            stages::release_name(context.report.from_tag, context.report.from_commit);
    }
    // The one place where every stage's words pass on to the terminal, the
    // record and the alert: target text in them loses its secrets here.
    const bool failed = outcome.status == StageStatus::failed;
    RunReport& run_report = context.report;
    outcome.detail = redacted_target_text(context, outcome.detail, failed);
    run_report.target_state = redacted_target_text(context, run_report.target_state, failed);
    run_report.health_summary = redacted_target_text(context, run_report.health_summary, failed);
    StageReport report{number, std::string(stage_name(number)), outcome.status,
                       seconds_between(begin, clock.now()), outcome.detail};
    context.report.stages.push_back(report);
    context.ports.reporter.stage_finished(report);
    // The first failure of stages 1–10 decides the outcome; the log and the
    // alert report problems of their own but never turn a rollback's result.
    if (outcome.status == StageStatus::failed && number < k_first_always_stage &&
        context.report.failed_stage.empty()) {
        context.report.exit_code = outcome_exit_code(context, outcome);
        context.report.failed_stage = report.name;
        context.report.failure_reason = outcome.detail;
    }
    return report;
}

void mark_not_run(Context& context, int number, const char* why = "not run") {
    context.report.stages.push_back(
        {number, std::string(stage_name(number)), StageStatus::skipped, 0, why});
}

// What production runs now, as last seen, for the summary's `Live:` line: the
// from-release until stage 8 touched the live tree, the to-release after.
void note_live_state(Context& context) {
    const RunState& state = context.state;
    const RunReport& report = context.report;
    LiveState& live = context.report.live;
    const HealthReading* reading = &state.first_reading;
    if (state.live_changed) {
        live.tag = report.to_tag;
        live.commit = report.to_commit;
        reading = &state.last_reading;
    } else {
        live.tag = report.from_tag;
        live.commit = state.live_commit.empty() ? report.from_commit : state.live_commit;
        if (context.drill() && state.last_reading.answered) {
            reading = &state.last_reading; // the drill's own polls of the live app
        }
    }
    if (reading->answered) {
        const std::string& expected = live.commit.empty() ? reading->commit : live.commit;
        live.served_commit = reading->commit;
        live.healthy = !expected.empty() && is_healthy(*reading, expected);
        live.health = describe_health(*reading, expected);
    } else if (!reading->error.empty()) {
        live.health = "no answer: " + reading->error;
    }
}

// A usage error found before the target was contacted (a typo in --to, no
// usable record) changed nothing anywhere: it is not an event to record or
// alert about, only an error to print (exit 2).
// So is the one stage 3 confirms for stage 1 (no interrupted rollback found).
bool nothing_to_record(const Context& context) {
    return context.report.exit_code == ExitCode::usage &&
           (!context.state.connected || !context.state.stop_unless_resumed.empty());
}

} // namespace

StageReport run_stage(Stage& stage, int number, Context& context) {
    return run_one(stage, number, context);
}

void run_pipeline(Context& context, const std::vector<std::unique_ptr<Stage>>& stages) {
    Clock& clock = context.ports.clock;
    bool stopped = false;
    int number = 0;
    for (const auto& stage : stages) {
        ++number;
        if (number == k_first_always_stage) {
            clean_up_target(context);
            note_live_state(context);
            if (context.report.seconds <= 0) {
                // The SLA clock stops when health goes green; otherwise, now.
                context.report.seconds = seconds_between(context.started, clock.now());
            }
        }
        if (stopped && number < k_first_always_stage) {
            mark_not_run(context, number);
            continue;
        }
        if (number >= k_first_always_stage && nothing_to_record(context)) {
            mark_not_run(context, number, "not run: nothing was touched");
            continue;
        }
        const StageReport report = run_one(*stage, number, context);
        if (report.status == StageStatus::failed && number < k_first_always_stage) {
            stopped = true;
        }
    }
}

void run_prepare_pipeline(Context& context, const std::vector<std::unique_ptr<Stage>>& stages) {
    bool stopped = false;
    int number = 0;
    for (const auto& stage : stages) {
        if (++number > k_last_prepare_stage) {
            break;
        }
        if (stopped) {
            mark_not_run(context, number);
            continue;
        }
        stopped = run_one(*stage, number, context).status == StageStatus::failed;
    }
    if (!stopped) {
        stages::keep_standby(context);
    }
    clean_up_target(context);
    context.report.seconds = seconds_between(context.started, context.ports.clock.now());
}

} // namespace smo
