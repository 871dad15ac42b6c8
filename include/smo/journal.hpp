#pragma once

#include <optional>
#include <string>
#include <vector>

// The switch journal on the target (docs/safety.md): what a rollback is
// doing to the live app, written in the work area before stage 7 changes
// anything and updated by the detached switch as each step completes, so
// that a killed client, a lost link or a reboot never leaves a state nobody
// knows. Line based (`key=value`), rewritten whole to a temporary file and
// renamed over, so a POSIX shell can update it atomically.
//
//   smo-journal 1
//   from_tag=v1.2.0  from_commit=<sha>  to_tag=v1.1.0  to_commit=<sha>
//   strategy=staged  staging=<path>     aside=<path>   item=node_modules ...
//   opened_at=<ISO-8601>  holder=user@host pid N
//   runner=<pid of the detached switch>
//   begin=<step>  done=<step>  failed=<step> <status>  result=ok|failed
//   closed=<outcome> <ISO-8601>          (the tool, once the run's verdict is in)
//
// Steps: db_rollback, checkout, out:<item> (the live item moved aside),
// in:<item> (the staged item moved in), install, build (in-place), reload.
namespace smo::journal {

inline constexpr const char* k_magic = "smo-journal 1";

struct Journal {
    bool present = false; // a journal file was there
    bool valid = false;   // it starts with k_magic and names from/to commits
    std::string from_tag;
    std::string from_commit;
    std::string to_tag;
    std::string to_commit;
    std::string strategy; // "staged" or "in-place"
    std::string staging;
    std::string aside;
    std::vector<std::string> items;
    std::string opened_at;
    std::string holder;
    std::string runner; // pid of the detached switch on the target, may be empty
    std::vector<std::string> begun;
    std::vector<std::string> done;
    std::string result;      // "", "ok" or "failed"
    std::string failed_step; // with result "failed"
    int failed_status = 0;
    std::string closed; // "<outcome> <time>" once the run that owned it ended

    bool has_done(const std::string& step) const;
    // Begun and neither done nor failed: the runner died inside it.
    bool cut_short(const std::string& step) const;
    // Open: valid and not closed; the rollback it describes is unfinished.
    bool open() const { return valid && closed.empty(); }
    // Anything on the target changed (a step begun or done).
    bool changed_anything() const { return !begun.empty() || !done.empty(); }
};

Journal parse(const std::string& text);

// The header a fresh journal starts with. Throws std::logic_error when a
// value holds a newline (it would forge a line).
struct Header {
    std::string from_tag;
    std::string from_commit;
    std::string to_tag;
    std::string to_commit;
    std::string strategy;
    std::string staging;
    std::string aside;
    std::vector<std::string> items;
    std::string opened_at;
    std::string holder;
};

std::string render_header(const Header& header);

// What a run does with what it found on the target.
enum class Resume {
    none,   // no journal, or a closed one: compute the rollback from the records
    resume, // finish the journal's rollback (same from/to, idempotent steps)
    refuse, // unsafe to go on either way: halt (exit 3) saying why
};

struct ResumeDecision {
    Resume action = Resume::none;
    std::string why; // for resume: what is left; for refuse: what to check
};

// `live_head`: `git rev-parse HEAD` of the live tree now; `to_option`: --to;
// `runner_alive`: the journal's runner pid still runs on the target.
ResumeDecision decide(const Journal& journal, const std::string& live_head,
                      const std::optional<std::string>& to_option, bool runner_alive);

} // namespace smo::journal
