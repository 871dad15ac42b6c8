#include "smo/remote/lock.hpp"

#include "script_words.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

namespace smo::remote {
namespace {

std::string owner_file_of(const RemotePaths& paths) {
    return paths.lock + "/owner";
}

// printf of the owner file: every value quoted, so a strange user or host
// name stays data.
std::string owner_printf(const LockOwner& owner, const std::string& file) {
    return "printf '" + m(k_owner_user) + "%s\\n" + k_owner_host + "%s\\n" + k_owner_pid + "%s\\n" +
           k_owner_time + "%s\\n' " + q(owner.user) + " " + q(owner.host) + " " + q(owner.pid) +
           " " + q(owner.time) + " > " + q(file);
}

// The value of a `key=value` line into `field` when the line has that key.
bool take_value(const std::string& line, const char* key, std::string& field) {
    if (!line.starts_with(key)) {
        return false;
    }
    field = line.substr(std::string(key).size());
    return true;
}

} // namespace

std::string LockOwner::describe() const {
    return user + "@" + host + " pid " + pid + " since " + time;
}

std::string lock_acquire(const RemotePaths& paths, const LockOwner& owner) {
    const std::string lock = q(paths.lock);
    const std::string owner_file = owner_file_of(paths);
    // mkdir is atomic: of two runs racing, exactly one creates the directory.
    // The age comes from the server's own clock, so local clock skew cannot
    // make a fresh lock look stale.
    return ensure_private_dir(parent_of(paths.lock)) + " && if mkdir " + lock +
           " 2>/dev/null; then " + owner_printf(owner, owner_file) + " && echo " + k_acquired +
           "; else echo " + k_held + "; echo \"" + k_age_seconds +
           "$(( $(date +%s) - "
           "$(stat -c %Y " +
           lock + ") ))\"; cat " + q(owner_file) + " 2>/dev/null; true; fi";
}

std::string lock_take_over(const RemotePaths& paths, const LockOwner& owner) {
    const std::string owner_file = owner_file_of(paths);
    const std::string next = paths.lock + "/owner.next";
    return owner_printf(owner, next) + " && mv -f " + q(next) + " " + q(owner_file) + " && touch " +
           q(paths.lock) + " && echo " + k_taken;
}

std::string with_heartbeat(const RemotePaths& paths, const std::string& command) {
    const std::string touch = "touch -c " + q(paths.lock) + " 2>/dev/null";
    // $$ is the command's own shell even inside the loop's subshell: the loop
    // ends with it. Its output goes nowhere, so the SSH channel closes when
    // the command ends, not when the loop does.
    return touch + "; (while sleep " + std::to_string(k_heartbeat_seconds) +
           "; do kill -0 $$ 2>/dev/null || exit 0; " + touch +
           "; done) </dev/null >/dev/null 2>&1 &\n" + command;
}

std::string lock_release(const RemotePaths& paths, const LockOwner& owner) {
    const std::string owner_file = owner_file_of(paths);
    // Only our own lock: after a --break-lock elsewhere the directory belongs
    // to someone else and must stay.
    return "if grep -qxF " + q(k_owner_pid + owner.pid) + " " + q(owner_file) + " && grep -qxF " +
           q(k_owner_host + owner.host) + " " + q(owner_file) + " && grep -qxF " +
           q(k_owner_time + owner.time) + " " + q(owner_file) + "; then rm -f " + q(owner_file) +
           " && rmdir " + q(paths.lock) + " && echo " + k_released + "; else echo " +
           q(k_not_ours) + "; fi";
}

LockReply parse_lock_reply(const std::string& out) {
    LockReply reply;
    std::string age;
    for (const auto& line : lines_of(out)) {
        if (line == k_acquired) {
            reply.acquired = true;
        } else if (take_value(line, k_age_seconds, age)) {
            reply.age_seconds = to_long(age, -1);
        } else if (!take_value(line, k_owner_user, reply.holder.user) &&
                   !take_value(line, k_owner_host, reply.holder.host) &&
                   !take_value(line, k_owner_pid, reply.holder.pid)) {
            take_value(line, k_owner_time, reply.holder.time);
        }
    }
    return reply;
}

bool lock_taken(const std::string& out) {
    return out.find(k_taken) != std::string::npos;
}

} // namespace smo::remote
