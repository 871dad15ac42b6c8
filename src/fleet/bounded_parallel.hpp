#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace smo::fleet {

// `work(i)` once per index below `count`, at most `limit` at a time, each
// worker on a thread of its own (none when one is enough).
template <typename Work>
void bounded_parallel(std::size_t count, int limit, Work work) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            work(i);
        }
    };
    const std::size_t threads =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(1, limit)), count);
    if (threads <= 1) {
        worker();
        return;
    }
    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < threads; ++i) {
        pool.emplace_back(worker);
    }
    for (auto& thread : pool) {
        thread.join();
    }
}

} // namespace smo::fleet
