#include "smo/remote/live_checks.hpp"

#include "script_words.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

namespace smo::remote {
std::string live_status(const RemotePaths& paths) {
    return git_live(paths) + " status --porcelain --untracked-files=no";
}

std::string live_head(const RemotePaths& paths) {
    return git_live(paths) + " rev-parse HEAD";
}

std::string live_checks(const RemotePaths& paths) {
    return "for tool in git node npm pm2; do command -v \"$tool\" >/dev/null 2>&1 || echo \"" +
           m(k_missing) + "$tool\"; done\necho " + k_status + "\n" + live_status(paths) +
           " || echo \"" + k_status_failed + " $?\"\necho " + k_head + "\n" + live_head(paths) +
           " || echo \"" + k_head_failed + " $?\"";
}

LiveChecks parse_live_checks(const std::string& out) {
    LiveChecks checks;
    const std::string missing = k_missing;
    for (const auto& line : lines_of(out)) {
        if (line.starts_with(missing)) {
            checks.missing_tools.push_back(line.substr(missing.size()));
        }
    }
    checks.status_ok = has_marker(out, k_status);
    checks.changes = lines_after(out, k_status);
    checks.head_ok = has_marker(out, k_head);
    const auto head = lines_after(out, k_head);
    checks.head = head.empty() ? std::string() : head.front();
    for (const auto& line : lines_of(out)) {
        if (line.starts_with(k_status_failed)) {
            checks.status_ok = false;
        } else if (line.starts_with(k_head_failed)) {
            checks.head_ok = false;
        }
    }
    return checks;
}

} // namespace smo::remote
