#include "util/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iterator>
#include <utility>
#include <vector>

namespace km::util {

namespace {

/// Writes all of `data` at `offset`; false on an error.
bool write_at(int fd, std::uint64_t offset, std::string_view data) {
    for (std::size_t done = 0; done < data.size();) {
        ssize_t n =
            pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads up to `length` bytes at `offset` into `into`: fewer only at the file's end; nothing on
/// an error.
std::optional<std::size_t> read_at(int fd, std::uint64_t offset, char* into, std::size_t length) {
    std::size_t done = 0;
    while (done < length) {
        ssize_t n = pread(fd, into + done, length - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::nullopt;
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    return done;
}

}  // namespace

std::unique_ptr<Spool> Spool::open(std::size_t hold, std::size_t block) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : P_tmpdir) + "/kafkamesh-spool-XXXXXX";
    std::vector<char> name(path.begin(), path.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) {
        return nullptr;
    }
    unlink(name.data());
    return std::unique_ptr<Spool>(new Spool(fd, hold, std::max<std::size_t>(block, 1)));
}

Spool::~Spool() {
    close(m_fd);
}

bool Spool::wants(std::size_t size) {
    std::size_t held = m_held.load();
    do {
        if (held + size > m_hold) {
            return true;
        }
    } while (!m_held.compare_exchange_weak(held, held + size));
    return false;
}

Spool::Span Spool::put(std::string_view text) {
    std::lock_guard lock(m_mutex);
    Block& block = m_open[std::this_thread::get_id()];
    if (!block.data.empty() && block.data.size() + text.size() > m_block) {
        store(std::exchange(block, Block{}));
    }
    if (block.data.empty()) {
        // The block's whole range is taken now, so a text's place is known when it is put.
        block.offset = m_end.fetch_add(std::max<std::uint64_t>(m_block, text.size()));
        block.data.reserve(std::max(m_block, text.size()));
    }
    Span span{block.offset + block.data.size(), text.size()};
    block.data.append(text);
    return span;
}

void Spool::store(Block&& block) const {
    if (!write_at(m_fd, block.offset, block.data)) {
        m_unwritten.emplace(block.offset, std::move(block.data));
    }
}

void Spool::store_open_blocks() const {
    for (auto& [thread, block] : m_open) {
        if (!block.data.empty()) {
            store(std::move(block));
        }
    }
    m_open.clear();
}

std::optional<std::string_view> Spool::view(Span span) const {
    std::lock_guard lock(m_mutex);
    store_open_blocks();
    // The block kept in memory that starts last at or before the span, if it holds the span.
    if (auto after = m_unwritten.upper_bound(span.offset); after != m_unwritten.begin()) {
        const auto& [offset, data] = *std::prev(after);
        if (offset + data.size() >= span.offset + span.length) {
            return std::string_view(data).substr(span.offset - offset, span.length);
        }
    }
    if (span.offset < m_window_offset ||
        span.offset + span.length > m_window_offset + m_window.size()) {
        // Texts are mostly read in the order they were put: one read serves the next many.
        m_window.resize(std::max<std::uint64_t>(m_block, span.length));
        std::optional<std::size_t> got =
            read_at(m_fd, span.offset, m_window.data(), m_window.size());
        m_window.resize(got.value_or(0));
        m_window_offset = span.offset;
        if (m_window.size() < span.length) {
            return std::nullopt;
        }
    }
    return std::string_view(m_window).substr(span.offset - m_window_offset, span.length);
}

std::optional<std::string> Spool::read(Span span) const {
    std::optional<std::string_view> text = view(span);
    return text ? std::optional<std::string>(*text) : std::nullopt;
}

bool Spool::copy_to(std::FILE* out, Span span) const {
    std::optional<std::string_view> text = view(span);
    return text && std::fwrite(text->data(), 1, text->size(), out) == text->size();
}

}  // namespace km::util
