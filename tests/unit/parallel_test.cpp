#include <doctest/doctest.h>

#include "util/parallel.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

TEST_SUITE("util") {
    TEST_CASE("run_indices") {
        SUBCASE("every index runs exactly once, whatever the number of cores asked for") {
            for (std::size_t cores : {1, 2, 4, 64}) {
                std::vector<std::atomic<int>> runs(1000);
                km::util::run_indices(runs.size(), cores, [&](std::size_t i) { ++runs[i]; });
                for (const std::atomic<int>& r : runs) {
                    REQUIRE(r.load() == 1);
                }
            }
        }
        SUBCASE("no index: nothing runs") {
            km::util::run_indices(0, 4, [](std::size_t) { FAIL("ran"); });
        }
        SUBCASE("the lowest failing index is rethrown, after every other index ran") {
            std::atomic<int> ran{0};
            auto body = [&](std::size_t i) {
                ++ran;
                if (i == 3 || i == 7 || i == 90) {
                    throw std::runtime_error(std::to_string(i));
                }
            };
            std::string thrown;
            try {
                km::util::run_indices(100, 2, body);
            } catch (const std::runtime_error& e) {
                thrown = e.what();
            }
            CHECK(thrown == "3");
            CHECK(ran.load() == 100);
        }
    }
    TEST_CASE("run_beside") {
        SUBCASE("both run, and the side's failure is the one rethrown") {
            bool side_ran = false;
            bool main_ran = false;
            std::string thrown;
            try {
                km::util::run_beside(
                    [&] {
                        side_ran = true;
                        throw std::runtime_error("side");
                    },
                    [&] {
                        main_ran = true;
                        throw std::runtime_error("main");
                    });
            } catch (const std::runtime_error& e) {
                thrown = e.what();
            }
            CHECK(side_ran);
            CHECK(main_ran);
            CHECK(thrown == "side");
        }
    }
}
