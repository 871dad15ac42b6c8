#include "support/target_snapshot.hpp"

namespace smo::integration {

namespace {

std::string section(const Sandbox& sandbox, const std::string& title, const std::string& command) {
    const ProcessResult result = sandbox.remote(command);
    return "== " + title + " (exit " + std::to_string(result.exit_code) + ")\n" + result.out;
}

// The health body without uptime_seconds, which moves on its own.
std::string served(const Sandbox& sandbox) {
    HttpResponse response = sandbox.health();
    std::string body = response.body;
    const auto at = body.find("\"uptime_seconds\":");
    if (at != std::string::npos) {
        const auto end = body.find_first_of(",}", at);
        body.erase(at, end - at);
    }
    return "== served\n" + std::to_string(response.status) + " " + body + "\n";
}

} // namespace

std::string TargetSnapshot::live_part() const {
    std::string kept;
    bool keep = true;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        end = end == std::string::npos ? text.size() : end + 1;
        const std::string line = text.substr(start, end - start);
        if (line.rfind("== ", 0) == 0) {
            keep = line.rfind("== worktrees", 0) != 0 && line.rfind("== work area", 0) != 0;
        }
        if (keep) {
            kept += line;
        }
        start = end;
    }
    return kept;
}

TargetSnapshot TargetSnapshot::take(const Sandbox& sandbox) {
    TargetSnapshot snapshot;
    std::string& text = snapshot.text;
    text += section(sandbox, "HEAD", "git rev-parse HEAD");
    text += section(sandbox, "status", "git status --porcelain --ignored --untracked-files=all");
    text += section(sandbox, "files",
                    "find . -path ./.git -prune -o -type f -print0 | sort -z | "
                    "xargs -0 sha256sum");
    text +=
        section(sandbox, "links", "find . -path ./.git -prune -o -type l -printf '%p -> %l\\n'");
    text += section(sandbox, "worktrees", "git worktree list --porcelain");
    text += section(
        sandbox, "work area",
        "find ../.smo-rollback \\( -name 'staged-*' -o -name 'aside-*' -o -name '*.lock' -o "
        "-path '*/asides/*' \\) -prune -print 2>/dev/null | sort; true");
    text += section(sandbox, "schema",
                    "sqlite3 '" + sandbox.value("DATABASE_PATH") + "' .schema && sqlite3 '" +
                        sandbox.value("DATABASE_PATH") +
                        "' 'select name, batch from knex_migrations order by name'");
    const Pm2Process process = sandbox.pm2_describe();
    text += "== pm2\n" + process.status + " pid " + std::to_string(process.pid) + " restarts " +
            std::to_string(process.restarts) + "\n";
    text += served(sandbox);
    return snapshot;
}

} // namespace smo::integration
