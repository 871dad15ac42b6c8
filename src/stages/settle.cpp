// settle: gives the reloaded app up to settle_seconds to come up, polling the
//   health URL four times a second; ends at the first answer reporting the
//   to-commit.
// Reads: health_url, rollback.settle_seconds, report.to_commit; the clock.
// Writes: nothing (it never fails: stage 10 judges).
// Drill: one GET: the health URL must answer (the app was not reloaded).
#include "smo/errors.hpp"
#include "smo/health.hpp"
#include "smo/ports/clock.hpp"
#include "smo/stages.hpp"
#include "stage_support.hpp"

#include <algorithm>

namespace smo::stages {
namespace {

class SettleStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        const std::string& url = context.env().health_url;
        if (context.drill()) {
            const HealthReading reading =
                read_health(context.ports.http, url, k_health_request_timeout);
            report_poll(context, 9, 1, reading, context.report.from_commit);
            if (!reading.answered) {
                return StageOutcome::drill_fail("the health URL does not answer: " + reading.error);
            }
            const std::string& live = context.report.from_commit;
            if (!is_healthy(reading, live)) {
                // Not "ok": the health-check's polls decide how bad it is.
                return StageOutcome::skipped("the health URL answers, unhealthy: " +
                                             describe_health(reading, live));
            }
            return StageOutcome::ok("the health URL answers: " + describe_health(reading, live));
        }
        Clock& clock = context.ports.clock;
        const auto start = clock.now();
        const auto deadline =
            start + std::chrono::seconds(std::max(0, context.env().rollback.settle_seconds));
        const std::string& expected = context.report.to_commit;
        HealthReading reading;
        int polls = 0;
        while (true) {
            if (context.interrupted()) {
                throw Interrupted();
            }
            reading = poll_health(context, deadline);
            report_poll(context, 9, ++polls, reading, expected);
            if (is_healthy(reading, expected)) {
                return StageOutcome::ok("reports " + short_commit(expected) + " after " +
                                        seconds_text(clock.now() - start));
            }
            if (clock.now() >= deadline) {
                break;
            }
            clock.sleep_for(std::min(
                k_health_quick_interval,
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now())));
        }
        return StageOutcome::ok("waited " + seconds_text(clock.now() - start) +
                                "; last: " + describe_health(reading, expected));
    }

    StagePlan plan(const Context& context) const override {
        return {"poll " + context.env().health_url + " until it reports the to-commit (≤ " +
                    std::to_string(context.env().rollback.settle_seconds) + "s)",
                {}};
    }

  private:
    static std::string seconds_text(std::chrono::steady_clock::duration elapsed) {
        const auto tenths =
            std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() / 100;
        return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
    }
};

} // namespace
} // namespace smo::stages

std::unique_ptr<smo::Stage> smo::make_settle_stage() {
    return std::make_unique<stages::SettleStage>();
}
