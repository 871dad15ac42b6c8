#include "smo/remote/build.hpp"

#include "script_words.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <algorithm>

namespace smo::remote {
namespace {

bool inside_or_holding(const std::string& entry, const std::string& kept) {
    return entry == kept || entry.starts_with(kept + "/") || kept.starts_with(entry + "/");
}

// The lines of one listing of build_and_list's reply, as one text.
std::string listing_after(const std::string& out, const char* marker) {
    std::string listing;
    for (const auto& line : lines_after(out, marker)) {
        listing += line + "\n";
    }
    return listing;
}

// The staging path and its physical path, as $S; the live one as $L.
std::string enter_staging(const RemotePaths& paths) {
    return "cd " + q(paths.staging) + " || exit 1\nS=$(pwd -P)\nL=$(cd " + q(paths.live) +
           " && pwd -P)\n";
}

} // namespace

std::string build_and_list(const RemotePaths& paths, const std::string& build_text) {
    // The operator's text runs in a subshell on lines of its own, so that
    // its own `;`, `||` or `#` cannot reach the commands around it.
    const std::string build =
        build_text.empty() ? std::string() : "(\n" + run_in(paths.staging, build_text) + "\n) && ";
    // The listing before the build tells what the build itself created.
    return "echo " + m(k_before) + "\n" + staging_ignored(paths) + " || echo " +
           m(k_before_failed) + "\n" + build + "echo " + m(k_built) + " && " +
           staging_ignored(paths);
}

std::vector<std::string> parse_build_outputs(const std::string& status_out,
                                             const std::vector<std::string>& env_files) {
    std::vector<std::string> outputs;
    for (const auto& line : lines_of(status_out)) {
        if (!line.starts_with("!! ")) {
            continue;
        }
        const std::string entry = trim_slashes(line.substr(3));
        const bool is_env = std::find(env_files.begin(), env_files.end(), entry) != env_files.end();
        // git quotes names with unusual bytes ("…"); such a name is never a
        // build output worth a rename in the live tree.
        if (entry == "node_modules" || is_env || entry.front() == '"' ||
            !is_valid_swap_item(entry)) {
            continue;
        }
        outputs.push_back(entry);
    }
    return outputs;
}

BuildOutputs select_build_outputs(const std::string& before_out, const std::string& after_out,
                                  const std::vector<std::string>& env_files,
                                  const std::vector<std::string>& keep) {
    BuildOutputs result;
    const auto before = parse_build_outputs(before_out, env_files);
    for (const auto& entry : parse_build_outputs(after_out, env_files)) {
        // There before the build: made by the checkout or the install, so
        // not the build's to hand over.
        if (std::find(before.begin(), before.end(), entry) != before.end()) {
            continue;
        }
        const bool user_data = std::any_of(keep.begin(), keep.end(), [&](const std::string& kept) {
            return inside_or_holding(entry, trim_slashes(kept));
        });
        (user_data ? result.kept : result.swap).push_back(entry);
    }
    return result;
}

BuildReply parse_build_reply(const std::string& out, const std::vector<std::string>& env_files,
                             const std::vector<std::string>& keep) {
    BuildReply reply;
    reply.built = has_marker(out, k_built);
    reply.listed = has_marker(out, k_before) && !has_marker(out, k_before_failed);
    if (reply.built && reply.listed) {
        reply.outputs = select_build_outputs(listing_after(out, k_before),
                                             listing_after(out, k_built), env_files, keep);
    }
    return reply;
}

std::string find_baked_paths(const RemotePaths& paths, const std::vector<std::string>& outputs) {
    std::string words;
    for (const auto& output : outputs) {
        words += " " + q(output);
    }
    // grep -I treats a binary file as not matching: what grep finds and -I
    // does not is binary.
    const std::string patterns = " -e " + q(paths.staging) + " -e \"$S\"";
    return enter_staging(paths) + "grep -rlF --exclude-dir=cache --exclude-dir=node_modules" +
           patterns + " --" + words + " 2>/dev/null | while IFS= read -r f; do if grep -qIF" +
           patterns + " -- \"$f\"; then echo \"" + m(k_text) + "$f\"; else echo \"" + m(k_binary) +
           "$f\"; fi; done\necho " + m(k_searched);
}

BakedPaths parse_baked_paths(const std::string& out) {
    BakedPaths baked;
    const std::string text = k_text;
    const std::string binary = k_binary;
    for (const auto& line : raw_lines(out)) {
        if (line.starts_with(text)) {
            baked.text.push_back(line.substr(text.size()));
        } else if (line.starts_with(binary)) {
            baked.binary.push_back(line.substr(binary.size()));
        }
    }
    baked.searched = has_marker(out, k_searched);
    return baked;
}

std::string rewrite_baked_paths(const RemotePaths& paths, const std::vector<std::string>& files) {
    // Bytes in, bytes out (latin1 maps each byte to one char): a text file in
    // another encoding is not mangled.
    static const std::string k_script =
        "const fs = require('fs');"
        "const a = process.argv.slice(1);"
        "const b = (s) => Buffer.from(s).toString('latin1');"
        "const pairs = [[b(a[0]), b(a[1])], [b(a[2]), b(a[3])]];"
        "for (const f of a.slice(a.indexOf('--') + 1)) {"
        "  let t = fs.readFileSync(f, 'latin1');"
        "  for (const [from, to] of pairs) { if (from) t = t.split(from).join(to); }"
        "  fs.writeFileSync(f, t, 'latin1');"
        "  console.log('" +
        m(k_rewrote) +
        "' + f);"
        "}";
    std::string words;
    for (const auto& file : files) {
        words += " " + q(file);
    }
    return enter_staging(paths) + "node -e " + q(k_script) + " " + q(paths.staging) + " " +
           q(paths.live) + " \"$S\" \"$L\" --" + words;
}

} // namespace smo::remote
