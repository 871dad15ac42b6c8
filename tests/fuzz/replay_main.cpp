// Runs a harness of tests/fuzz over files and directories of inputs without
// libFuzzer, so that every build (GCC too) replays the committed seed corpus and
// the reproducers of past findings (docs/fuzzing.md). A crash, a sanitizer
// report or a broken promise aborts after the input's name is printed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// A directory's regular files in name order; a file as itself; a missing path
// (a target with no reproducers yet) as nothing.
std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& path) {
    std::vector<std::filesystem::path> inputs;
    if (std::filesystem::is_directory(path)) {
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            if (entry.is_regular_file()) {
                inputs.push_back(entry.path());
            }
        }
        std::sort(inputs.begin(), inputs.end());
    } else if (std::filesystem::is_regular_file(path)) {
        inputs.push_back(path);
    }
    return inputs;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        for (const auto& input : inputs_in(argv[i])) {
            std::fprintf(stderr, "replay: %s\n", input.c_str());
            std::ifstream file(input, std::ios::binary);
            const std::string data{std::istreambuf_iterator<char>(file),
                                   std::istreambuf_iterator<char>()};
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
            ++replayed;
        }
    }
    std::fprintf(stderr, "replayed %zu inputs\n", replayed);
    return replayed == 0 ? 1 : 0;
}
