#include "smo/records/record_names.hpp"

#include "smo/ref_name.hpp"

namespace smo {

std::string rollback_record_name(const std::string& date, const std::string& from_tag,
                                 const std::string& to_tag,
                                 const std::function<bool(const std::string&)>& exists) {
    const std::string stem =
        date + "-rollback-" + tag_as_file_name(from_tag) + "-to-" + tag_as_file_name(to_tag);
    std::string name = stem + ".md";
    for (int suffix = 2; exists(name); ++suffix) {
        name = stem + "-" + std::to_string(suffix) + ".md";
    }
    return name;
}

} // namespace smo
