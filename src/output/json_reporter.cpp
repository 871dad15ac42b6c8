#include "output/json_reporter.hpp"

#include "smo/records/rollback_record.hpp"
#include "smo/utc_time.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace smo {

namespace {

void emit(std::FILE* out, const nlohmann::json& event) {
    // Replace invalid UTF-8 (a remote command's bytes) rather than throw.
    const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fprintf(out, "%s\n", line.c_str());
    std::fflush(out);
}

double tenths(double seconds) {
    return std::round(seconds * 10) / 10;
}

nlohmann::json nullable(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json target_state(const LiveState& live) {
    return {{"live_tag", nullable(live.tag)},
            {"live_commit", nullable(live.commit)},
            {"served_commit", nullable(live.served_commit)},
            {"healthy", live.healthy ? nlohmann::json(*live.healthy) : nlohmann::json(nullptr)}};
}

} // namespace

std::string JsonReporter::timestamp() const {
    return utc_iso_millis(m_clock ? m_clock->wall_now() : std::chrono::system_clock::now());
}

void JsonReporter::start(const RunReport& report) {
    emit(m_out, {{"event", "start"},
                 {"kind", to_string(report.kind)},
                 {"project", report.project},
                 {"env", report.env},
                 {"target", report.target_label},
                 {"sla_seconds", report.sla_seconds},
                 {"started_at", report.started_at_utc}});
}

void JsonReporter::stage_started(int number, const std::string& name) {
    emit(m_out, {{"event", "stage"},
                 {"n", number},
                 {"name", name},
                 {"status", "running"},
                 {"ts", timestamp()}});
}

namespace {

nlohmann::json stage_event(const StageReport& stage) {
    return {{"event", "stage"},
            {"n", stage.number},
            {"name", stage.name},
            {"status", to_string(stage.status)},
            {"seconds", tenths(stage.seconds)},
            {"detail", stage.detail}};
}

// A fleet's hosts (docs/records.md): what each was left running.
nlohmann::json hosts_array(const RunReport& report) {
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& host : report.hosts) {
        hosts.push_back({{"name", host.name},
                         {"outcome", host.outcome},
                         {"from_commit", nullable(host.from_commit)},
                         {"to_commit", nullable(host.to_commit)},
                         {"served_commit", nullable(host.served_commit)},
                         {"seconds", tenths(host.seconds)},
                         {"detail", nullable(host.detail)}});
    }
    return hosts;
}

} // namespace

void JsonReporter::stage_finished(const StageReport& stage) {
    nlohmann::json event = stage_event(stage);
    event["ts"] = timestamp();
    emit(m_out, event);
}

void JsonReporter::poll(const PollReport& poll) {
    nlohmann::json event = {{"event", "poll"},
                            {"n", poll.stage},
                            {"poll", poll.number},
                            {"healthy", poll.healthy},
                            {"http_status", poll.http_status},
                            {"commit", nullable(poll.commit)},
                            {"detail", poll.text},
                            {"ts", timestamp()}};
    if (!poll.host.empty()) {
        event["host"] = poll.host;
    }
    emit(m_out, event);
}

void JsonReporter::host_stage_started(const std::string& host, int number,
                                      const std::string& name) {
    emit(m_out, {{"event", "stage"},
                 {"n", number},
                 {"name", name},
                 {"host", host},
                 {"status", "running"},
                 {"ts", timestamp()}});
}

void JsonReporter::host_stage_finished(const std::string& host, const StageReport& stage) {
    nlohmann::json event = stage_event(stage);
    event["host"] = host;
    event["ts"] = timestamp();
    emit(m_out, event);
}

void JsonReporter::warning(const std::string& text) {
    emit(m_out, {{"event", "warning"}, {"message", text}});
}

void JsonReporter::prompt(const std::string& question) {
    emit(m_out, {{"event", "prompt"}, {"question", question}});
}

namespace {

nlohmann::json result_event(const RunReport& report) {
    nlohmann::json event = {{"event", "result"},
                            {"outcome", outcome_name(report.exit_code)},
                            {"exit_code", to_int(report.exit_code)},
                            {"from", nullable(report.from_tag)},
                            {"to", nullable(report.to_tag)},
                            {"commit", nullable(report.to_commit)},
                            {"seconds", tenths(report.seconds)},
                            {"sla_seconds", report.sla_seconds},
                            {"within_sla", report.finished_within_sla()},
                            {"failed_stage", nullable(report.failed_stage)},
                            {"reason", nullable(report.failure_reason)},
                            {"log", nullable(report.log_path)},
                            {"telegram", nullable(report.telegram_result)},
                            {"next", next_step(report)},
                            {"target_state", target_state(report.live)}};
    if (!report.hosts.empty()) {
        event["hosts"] = hosts_array(report);
    }
    if (report.kind == RunKind::prepare) {
        event["standby"] = report.standby_path.empty()
                               ? nlohmann::json(nullptr)
                               : nlohmann::json{{"tag", report.to_tag},
                                                {"commit", report.to_commit},
                                                {"path", report.standby_path},
                                                {"built_at", report.standby_built_at}};
    }
    return event;
}

nlohmann::json planned_hosts_array(const std::vector<PlannedHost>& planned) {
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& host : planned) {
        hosts.push_back({{"name", host.name},
                         {"user", host.user},
                         {"address", host.address},
                         {"port", host.port},
                         {"path", host.path},
                         {"pm2_name", host.pm2_name},
                         {"health_url", nullable(host.health_url)},
                         {"runs_migrations", host.runs_migrations}});
    }
    return hosts;
}

} // namespace

void JsonReporter::result(const RunReport& report) {
    emit(m_out, result_event(report));
}

void JsonReporter::plan_result(const RunReport& report, const std::vector<PlannedHost>& hosts) {
    nlohmann::json event = result_event(report);
    event["hosts"] = planned_hosts_array(hosts);
    emit(m_out, event);
}

} // namespace smo
