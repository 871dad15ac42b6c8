#pragma once

#include <functional>
#include <string>

// File names of the rollback records (docs/records.md).
namespace smo {

// `YYYY-MM-DD-rollback-{from}-to-{to}.md`, or with `-2`, `-3`, … before `.md`
// when `exists(name)` says the name is taken (a second rollback the same day
// never overwrites the first). Tags go through tag_as_file_name: a '/' in
// one would make a subdirectory that history never reads.
std::string rollback_record_name(const std::string& date, const std::string& from_tag,
                                 const std::string& to_tag,
                                 const std::function<bool(const std::string&)>& exists);

} // namespace smo
