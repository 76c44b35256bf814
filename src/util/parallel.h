// Two independent pieces of work on two cores: for stages whose parts read the same input and
// write only their own results, joined afterwards in a fixed order so that nothing a user sees
// depends on which thread ran what.
#pragma once

#include <exception>
#include <system_error>
#include <thread>
#include <utility>

namespace km::util {

/// Runs `side` on a second thread while `main` runs on this one, and returns when both have
/// finished. An exception of either is rethrown here once both are done (the side's first). On a
/// single core, or when no thread can be started, `side` runs here before `main`.
template <class Side, class Main>
void run_beside(Side&& side, Main&& main) {
    std::exception_ptr side_failure;
    auto guarded = [&] {
        try {
            side();
        } catch (...) {
            side_failure = std::current_exception();
        }
    };
    std::thread helper;
    if (std::thread::hardware_concurrency() > 1) {
        try {
            helper = std::thread(guarded);
        } catch (const std::system_error&) {
            // no thread to be had: both run here
        }
    }
    if (!helper.joinable()) {
        guarded();
    }
    std::exception_ptr main_failure;
    try {
        main();
    } catch (...) {
        main_failure = std::current_exception();
    }
    if (helper.joinable()) {
        helper.join();
    }
    if (side_failure) {
        std::rethrow_exception(side_failure);
    }
    if (main_failure) {
        std::rethrow_exception(main_failure);
    }
}

}  // namespace km::util
