// Independent pieces of work on the machine's cores: for stages whose parts read the same input
// and write only their own results, joined afterwards in a fixed order so that nothing a user
// sees depends on which thread ran what.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace km::util {

/// Calls `body(i)` once for every i in [0, count), on this thread and on up to `max_cores - 1`
/// more (never more than the machine's cores or `count`); each thread takes the next index not
/// yet taken. Returns when every index is done. When bodies throw, the exception of the lowest
/// index is rethrown here once all are done. On a single core, or when no thread can be started,
/// the indices run here in order.
template <class Body>
void run_indices(std::size_t count, std::size_t max_cores, Body&& body) {
    std::vector<std::exception_ptr> failures(count);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                body(i);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    std::size_t threads = std::min({cores, max_cores, count});
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < threads; ++t) {
        try {
            helpers.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // no thread to be had: the ones running do the rest
        }
    }
    work();
    for (std::thread& helper : helpers) {
        helper.join();
    }
    for (std::exception_ptr& failure : failures) {
        if (failure) {
            std::rethrow_exception(failure);
        }
    }
}

/// Runs `side` and `main` on two cores and returns when both have finished. An exception of
/// either is rethrown here once both are done (the side's first). On a single core, or when no
/// thread can be started, `side` runs before `main` on this thread.
template <class Side, class Main>
void run_beside(Side&& side, Main&& main) {
    run_indices(2, 2, [&](std::size_t i) {
        if (i == 0) {
            side();
        } else {
            main();
        }
    });
}

}  // namespace km::util
