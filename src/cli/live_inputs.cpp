#include "cli/live_inputs.h"

#include "live/live_reader.h"

namespace km::cli {

std::optional<live::LiveState> read_live_paths(const std::vector<std::string>& paths,
                                               Session& session) {
    std::vector<std::uint32_t> files =
        read_inputs(paths, session, live::k_live_extensions, k_live_limits);
    if (session.sink.has_errors()) {
        return std::nullopt;
    }
    return live::read_live(files, session.sources, session.sink);
}

}  // namespace km::cli
