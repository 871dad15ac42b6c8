#include "fleet_served.hpp"

#include "smo/health.hpp"
#include "smo/records/history.hpp"
#include "smo/ref_name.hpp"
#include "stage_support.hpp"

namespace smo::stages {
namespace {

constexpr std::chrono::seconds k_health_timeout{5};

// Position in the history of the newest event that put `commit` live; -1
// when no record explains it.
long history_rank(const History& history, const std::string& commit) {
    const auto release = find_current(history, commit);
    if (!release) {
        return -1;
    }
    for (long i = static_cast<long>(history.events.size()) - 1; i >= 0; --i) {
        if (history.events[static_cast<std::size_t>(i)].tag == release->tag) {
            return i;
        }
    }
    return -1;
}

} // namespace

std::string learn_fleet_served(Context& context) {
    auto& state = context.state;
    state.host_readings.clear();
    long best_rank = -2;
    std::string detail;
    for (const auto& host : context.config.hosts) {
        const HealthReading reading =
            read_health(context.ports.http, host.env.health_url, k_health_timeout);
        HostReading mine{host.name, {}, false};
        if (reading.answered && is_valid_commit(reading.commit)) {
            mine.commit = reading.commit;
            mine.healthy =
                reading.http_status == 200 && (reading.status.empty() || reading.status == "ok");
        }
        state.host_readings.push_back(mine);
        detail += (detail.empty() ? "; " : ", ") + host.name + " reports " +
                  (mine.commit.empty() ? std::string("nothing") : short_commit(mine.commit));
        const long rank = mine.commit.empty() ? -2 : history_rank(state.history, mine.commit);
        if (rank > best_rank) {
            best_rank = rank;
            state.served_commit = mine.commit;
            state.served_healthy = mine.healthy;
        }
    }
    return detail;
}

} // namespace smo::stages
