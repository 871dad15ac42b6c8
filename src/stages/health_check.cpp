// health-check: the proof: health_stable_polls good readings in a row (200,
//   status "ok" when present, commit matching the to-commit) within
//   health_timeout_seconds; else SEV1 with the last reading. After a good
//   reading the next poll comes sooner.
// Reads: health_url, rollback.health_*, report.to_commit; the clock.
// Writes: report.health_summary, seconds (the SLA clock stops at green),
//   target_state; state.health_summary, last_served_commit.
// Drill: the same polls, expecting the CURRENT (from) commit.
#include "smo/errors.hpp"
#include "smo/health.hpp"
#include "smo/ports/clock.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

class HealthCheckStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        const auto& rollback = context.env().rollback;
        const auto& report = context.report;
        const std::string& expected = context.drill() ? report.from_commit : report.to_commit;
        const int needed = std::max(1, rollback.health_stable_polls);
        Clock& clock = context.ports.clock;
        const auto deadline =
            clock.now() + std::chrono::seconds(std::max(0, rollback.health_timeout_seconds));
        HealthReading reading;
        int streak = 0;
        int bad_streak = 0; // answered, but unhealthy
        int polls = 0;
        while (true) {
            if (context.interrupted()) {
                throw Interrupted();
            }
            reading = poll_health(context, deadline);
            ++polls;
            report_poll(context, 10, polls, reading, expected);
            context.state.last_served_commit = reading.commit;
            context.state.last_reading = reading;
            streak = is_healthy(reading, expected) ? streak + 1 : 0;
            bad_streak = reading.answered && streak == 0 ? bad_streak + 1 : 0;
            if (streak >= needed) {
                return green(context, describe_health(reading, expected), polls);
            }
            // A drill during an incident: the live app answers, unhealthy, as
            // often in a row as a rollback needs good answers. Waiting for the
            // timeout would only say so later.
            if (context.drill() && bad_streak >= needed) {
                context.report.next = "the live app is unhealthy now — roll back: smo-rollback";
                return StageOutcome::drill_fail(
                    "the live app is unhealthy now: " + std::to_string(bad_streak) +
                    " bad answers in a row; last: " + describe_health(reading, expected));
            }
            if (clock.now() >= deadline) {
                break;
            }
            // Like settle: the last wait ends at the deadline, for one last poll there.
            clock.sleep_for(std::min<std::chrono::milliseconds>(
                streak > 0 ? k_health_quick_interval : k_health_poll_interval,
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now())));
        }
        const std::string last = describe_health(reading, expected);
        if (context.drill()) {
            return StageOutcome::drill_fail(
                "the health URL did not report the current commit " + short_commit(expected) + " " +
                std::to_string(needed) + " times in a row within " +
                std::to_string(rollback.health_timeout_seconds) + "s; last: " + last);
        }
        context.report.target_state = release_name(report.to_tag, report.to_commit) +
                                      " reloaded but unhealthy (" + last + ")";
        return StageOutcome::sev1("not healthy within " +
                                  std::to_string(rollback.health_timeout_seconds) + "s (" +
                                  std::to_string(needed) + " good polls in a row needed, " +
                                  std::to_string(polls) + " polls); last: " + last);
    }

    StagePlan plan(const Context& context) const override {
        const auto& rollback = context.env().rollback;
        return {std::to_string(std::max(1, rollback.health_stable_polls)) +
                    " good polls in a row within " +
                    std::to_string(rollback.health_timeout_seconds) + "s",
                {}};
    }

  private:
    static StageOutcome green(Context& context, const std::string& summary, int polls) {
        auto& report = context.report;
        report.health_summary = summary;
        context.state.health_summary = summary;
        if (!context.drill()) {
            report.seconds = seconds_between(context.started, context.ports.clock.now());
            report.target_state =
                release_name(report.to_tag, report.to_commit) + " live and healthy";
        }
        return StageOutcome::ok(summary + ", " + std::to_string(polls) + " poll(s)");
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_health_check_stage() {
    return std::make_unique<stages::HealthCheckStage>();
}
