#include "smo/remote/status_probe.hpp"

#include "script_words.hpp"
#include "smo/remote/live_checks.hpp"
#include "smo/shell_quote.hpp"

namespace smo::remote {
std::string status_probe(const RemotePaths& paths) {
    const std::string lock = q(paths.lock);
    return "echo " + m(k_head) + "\n" + live_head(paths) + " || echo " + k_head_failed + "\necho " +
           k_status + "\n" + live_status(paths) + " || echo " + k_status_failed + "\necho " +
           k_lock + "\nif [ -d " + lock + " ]; then echo \"" + k_age_seconds +
           "$(( $(date +%s) - $(stat -c %Y " + lock + ") ))\"; cat " + q(paths.lock + "/owner") +
           " 2>/dev/null; fi\necho " + k_now_ms + "\ndate +%s%3N\necho " + k_pm2 +
           "\npm2 jlist 2>/dev/null; true";
}

StatusProbe parse_status_probe(const std::string& out, const std::string& pm2_name) {
    StatusProbe probe;
    const auto head = lines_after(out, k_head);
    if (!head.empty() && !has_marker(out, k_head_failed)) {
        probe.head = head.front();
    }
    probe.status_ok = has_marker(out, k_status) && !has_marker(out, k_status_failed);
    probe.changes = lines_after(out, k_status);
    std::string lock_text;
    for (const auto& line : lines_after(out, k_lock)) {
        lock_text += line + "\n";
    }
    probe.locked = !lock_text.empty();
    probe.lock = parse_lock_reply(lock_text);
    const auto now = lines_after(out, k_now_ms);
    probe.now_ms = now.empty() ? 0 : to_long(now.front(), 0);
    const std::string pm2 = m(k_pm2) + "\n";
    const auto at = out.find(pm2);
    probe.pm2 = find_pm2_process(
        at == std::string::npos ? std::string() : out.substr(at + pm2.size()), pm2_name);
    return probe;
}

} // namespace smo::remote
