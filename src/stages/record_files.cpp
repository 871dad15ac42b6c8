#include "record_files.hpp"

#include "smo/ports/clock.hpp"
#include "smo/ports/file_system.hpp"
#include "smo/records/incident.hpp"
#include "smo/utc_time.hpp"

namespace smo::stages {

std::string in_project(const Context& context, std::string_view relative) {
    return (context.config.project_dir / std::string(relative)).string();
}

void append_csv_rows(FileSystem& files, const std::string& path, std::string_view header,
                     const std::string& rows) {
    const auto existing = files.read(path);
    std::string text;
    if (!existing || existing->find_first_not_of(" \t\r\n") == std::string::npos) {
        text = std::string(header) + "\n";
    } else if (existing->back() != '\n') {
        text = "\n";
    }
    files.append(path, text + rows);
}

void fill_record_defaults(Context& context) {
    RunReport& report = context.report;
    Clock& clock = context.ports.clock;
    if (context.drill()) {
        report.kind = RunKind::drill;
    }
    if (report.started_at_utc.empty()) {
        // The wall time at the SLA clock's start.
        const auto elapsed = clock.now() - context.started;
        report.started_at_utc =
            utc_iso(clock.wall_now() -
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed));
    }
    if (report.date.empty()) {
        report.date = report.started_at_utc.substr(0, 10);
    }
    if (report.seconds <= 0) {
        report.seconds = seconds_between(context.started, clock.now());
    }
    if (report.triggered_by.empty()) {
        report.triggered_by = context.options.triggered_by.value_or(
            context.options.auto_mode ? "/smo-deploy --auto" : "operator");
    }
    if (report.incident.empty()) {
        report.incident =
            choose_incident(context.options.incident, report.date,
                            context.ports.files.list(in_project(context, k_incidents_dir)));
    }
}

RunReport with_stage(const RunReport& report, int number, std::string_view name, StageStatus status,
                     double seconds, const std::string& detail) {
    RunReport copy = report;
    StageReport stage;
    stage.number = number;
    stage.name = std::string(name);
    stage.status = status;
    stage.seconds = seconds;
    stage.detail = detail;
    copy.stages.push_back(stage);
    return copy;
}

} // namespace smo::stages
