#include "smo/remote/paths.hpp"

#include "smo/ref_name.hpp"
#include "smo/utc_time.hpp"

#include <filesystem>

namespace smo {

// The work root sits beside the live tree, not inside it: Node resolves
// modules by walking up from the script's directory, so nothing staged can be
// picked up by the live app, and a rename between the two stays on one file
// system.
RemotePaths remote_paths_for(const std::string& live_path, const std::string& from_tag,
                             const std::string& to_tag, const std::string& stamp) {
    std::filesystem::path live = std::filesystem::path(live_path).lexically_normal();
    if (!live.has_filename()) {
        live = live.parent_path();
    }
    const std::string app = live.filename().string();
    const std::filesystem::path work_root = live.parent_path() / ".smo-rollback" / app;
    RemotePaths paths;
    paths.live = live.string();
    paths.work_root = work_root.string();
    // One directory each, even for a tag like release/1.3.
    const std::string from_name = tag_as_file_name(from_tag);
    paths.staging = (work_root / ("staged-" + tag_as_file_name(to_tag))).string();
    paths.asides = (work_root / "asides").string();
    paths.aside =
        (work_root / "asides" / (stamp.empty() ? from_name : stamp + "-" + from_name)).string();
    paths.lock = work_root.string() + ".lock";
    return paths;
}

std::string aside_stamp(std::chrono::system_clock::time_point when) {
    return utc_format(when, "%Y%m%dT%H%M%SZ");
}

} // namespace smo
