#include <doctest/doctest.h>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "emit/manifest_writer.h"
#include "pipeline.h"
#include "test_support.h"
#include "util/spool.h"

namespace {

/// Everything `write_manifests` writes, through a real file.
std::string written(const std::vector<km::emit::Manifest>& manifests) {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    REQUIRE(km::emit::write_manifests(out, manifests));
    std::string text(static_cast<std::size_t>(std::ftell(out)), '\0');
    std::rewind(out);
    REQUIRE(std::fread(text.data(), 1, text.size(), out) == text.size());
    std::fclose(out);
    return text;
}

}  // namespace

TEST_SUITE("util") {
    TEST_CASE("a spool gives back what was put, from any thread, once past its threshold") {
        // Blocks of 3,000 bytes: texts fill them, span two of them, or pass their size.
        std::unique_ptr<km::util::Spool> spool = km::util::Spool::open(10, 3000);
        REQUIRE(spool != nullptr);
        CHECK_FALSE(spool->wants(6));  // 6 of 10 held
        CHECK_FALSE(spool->wants(4));  // 10 of 10
        CHECK(spool->wants(1));
        std::vector<std::string> texts;
        for (int i = 0; i < 200; ++i) {
            texts.push_back(std::string(static_cast<std::size_t>(i * 37 % 5000), 'a' + i % 26) +
                            std::to_string(i));
        }
        std::vector<km::util::Spool::Span> spans(texts.size());
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (std::size_t i = t; i < texts.size(); i += 4) {
                    spans[i] = spool->put(texts[i]);
                }
            });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
        for (std::size_t i = texts.size(); i-- > 0;) {
            CHECK(spool->read(spans[i]) == texts[i]);
        }
        std::FILE* out = std::tmpfile();
        REQUIRE(out != nullptr);
        CHECK(spool->copy_to(out, spans[150]));
        std::string copied(texts[150].size() + 1, '\0');
        std::rewind(out);
        CHECK(std::fread(copied.data(), 1, copied.size(), out) == texts[150].size());
        std::fclose(out);
        copied.pop_back();
        CHECK(copied == texts[150]);
        CHECK_FALSE(spool->read({spans[0].offset + 1'000'000'000, 10}).has_value());
    }

    TEST_CASE("a spool keeps in memory the blocks the file refuses") {
        // The file may grow to 8 KiB: blocks of 4 KiB past that are refused (EFBIG, with the
        // signal that would end the process ignored) and read back from memory.
        std::unique_ptr<km::util::Spool> spool = km::util::Spool::open(0, 4096);
        REQUIRE(spool != nullptr);
        rlimit before{};
        REQUIRE(getrlimit(RLIMIT_FSIZE, &before) == 0);
        void (*handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = before;
        small.rlim_cur = 8192;
        REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
        std::vector<std::string> texts;
        std::vector<km::util::Spool::Span> spans;
        for (int i = 0; i < 12; ++i) {
            texts.push_back(std::string(3000, static_cast<char>('a' + i)));
            spans.push_back(spool->put(texts.back()));
        }
        std::vector<std::optional<std::string>> read;
        for (const km::util::Spool::Span& span : spans) {
            read.push_back(spool->read(span));  // the first read writes the open block
        }
        setrlimit(RLIMIT_FSIZE, &before);
        std::signal(SIGXFSZ, handler);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            CHECK(read[i] == texts[i]);
        }
        CHECK(spans.back().offset >= 8192);  // the last texts lie past the limit
    }

    TEST_CASE("a compile whose documents wait in a spool writes the same stream") {
        // A threshold of 0: every document's text waits in the spool, none in memory.
        for (const std::string& input : km::test::example_inputs()) {
            INFO(input);
            std::unique_ptr<km::util::Spool> spool = km::util::Spool::open(0);
            REQUIRE(spool != nullptr);
            km::CompileOptions spooled;
            spooled.spool = spool.get();
            km::Session held_session;
            km::Session spooled_session;
            auto held = km::compile_output({input}, km::CompileOptions{}, held_session);
            auto set_aside = km::compile_output({input}, spooled, spooled_session);
            REQUIRE(held.has_value());
            REQUIRE(set_aside.has_value());
            std::size_t in_spool = 0;
            for (const km::emit::Manifest& m : set_aside->manifests) {
                in_spool += m.spool != nullptr && m.yaml.empty() ? 1 : 0;
            }
            CHECK(in_spool == set_aside->manifests.size());
            CHECK(!held->manifests.empty());
            CHECK(written(set_aside->manifests) == written(held->manifests));
            CHECK(km::emit::write_stream(set_aside->manifests) == written(held->manifests));
        }
    }
}
