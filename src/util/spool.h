// Texts set aside in a temporary file instead of memory, and read back by place. A compile
// writes nothing until every document has passed its checks, so a large topology's whole output
// would be held at once (23 MB at 10,000 services); past a threshold its documents wait here
// instead, as `sort` spills to temporary files. The file is unlinked as soon as it is made: it
// goes with the process, whatever way that ends.
//
// Each writing thread fills a block of its own and writes it whole, and reads go through a
// window of the file, so a text costs no system call of its own either way. A block that cannot
// be written (a full disk) stays in memory and is read from there: a spool never loses a text.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace km::util {

class Spool {
  public:
    struct Span {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };

    /// A spool in $TMPDIR (else the system's temporary directory) that takes texts once `hold`
    /// bytes of them are held in memory; nullptr when no file can be made there. `block`: the
    /// bytes a thread gathers before it writes them.
    static std::unique_ptr<Spool> open(std::size_t hold, std::size_t block = 256 * 1024);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    /// Whether a text of `size` bytes goes here: the texts held in memory already reach the
    /// threshold. Otherwise it is counted as held. Safe from any thread.
    bool wants(std::size_t size);
    /// Appends the text and tells where it is. Safe from any thread.
    Span put(std::string_view text);
    /// The text at `span`; nothing when it cannot be read. Reads come from one thread at a time,
    /// after the puts.
    std::optional<std::string> read(Span span) const;
    /// Writes the text at `span` to `out`; false when it cannot be read or written.
    bool copy_to(std::FILE* out, Span span) const;

  private:
    Spool(int fd, std::size_t hold, std::size_t block) : m_fd(fd), m_hold(hold), m_block(block) {}

    struct Block {
        std::uint64_t offset = 0;
        std::string data;
    };
    /// Writes a block, or keeps it in memory when it cannot be written.
    void store(Block&& block) const;
    /// Writes every thread's open block: before the first read.
    void store_open_blocks() const;
    /// The text at `span` from the window (read anew around it when it is not there) or a block
    /// kept in memory; nothing when it cannot be read.
    std::optional<std::string_view> view(Span span) const;

    int m_fd;
    std::size_t m_hold;
    std::size_t m_block;
    std::atomic<std::size_t> m_held{0};
    std::atomic<std::uint64_t> m_end{0};  ///< each block takes its range when it starts
    mutable std::mutex m_mutex;
    mutable std::map<std::thread::id, Block> m_open;           ///< each thread's unwritten block
    mutable std::map<std::uint64_t, std::string> m_unwritten;  ///< blocks the file refused
    mutable std::string m_window;  ///< the file's bytes from m_window_offset
    mutable std::uint64_t m_window_offset = 0;
};

}  // namespace km::util
