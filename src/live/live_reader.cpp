#include "live/live_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "live/acl_listing.h"
#include "live/config_listing.h"
#include "live/kubernetes_documents.h"
#include "live/text_lines.h"
#include "source/yaml_loader.h"

namespace km::live {

LivePrincipal& LiveState::principal(const std::string& name) {
    LivePrincipal& p = principals[name];
    p.principal = name;
    return p;
}

std::string kafka_user_principal(const std::string& user, const std::string& authentication) {
    return "User:" + (authentication == "tls" ? "CN=" + user : user);
}

namespace {

enum class FileKind : std::uint8_t { kubernetes, acls, configs, unknown };

/// The first line that is neither blank nor a comment decides; anything that is not the text
/// of kafka-acls.sh or kafka-configs.sh is read as YAML, whose documents must be Kubernetes
/// objects (KM700 otherwise).
FileKind recognise(const std::string& text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string_view line = trim(std::string_view(text.data() + begin, end - begin));
        begin = end + 1;
        if (line.empty() || line.starts_with("#")) {
            continue;
        }
        if (line.starts_with("Current ACLs for resource `") ||
            line.starts_with("ACLs for principal `")) {
            return FileKind::acls;
        }
        if (line.starts_with("Quota configs for ") ||
            line.starts_with("SCRAM credential configs for ")) {
            return FileKind::configs;
        }
        return FileKind::kubernetes;
    }
    return FileKind::unknown;
}

void report_unrecognised(diag::DiagnosticSink& sink, diag::Location where) {
    auto& d = sink.report(diag::Code::KM700, where,
                          "neither a Kubernetes document nor the output of kafka-acls.sh "
                          "--list or kafka-configs.sh --describe --entity-type users");
    diag::add_help(d,
                   "export with 'kubectl get kafkausers,kafkatopics,... -o yaml', "
                   "'kafka-acls.sh --list' or 'kafka-configs.sh --describe --entity-type users'");
}

/// Sorted and deduplicated, so every later step reads one canonical order.
void normalise(LiveState& state) {
    for (auto& [name, p] : state.principals) {
        std::stable_sort(p.acls.begin(), p.acls.end());
        p.acls.erase(std::unique(p.acls.begin(), p.acls.end()), p.acls.end());
    }
}

}  // namespace

void read_live_document(const source::YamlDocument& doc, LiveState& state,
                        diag::DiagnosticSink& sink) {
    const source::YamlNode& root = doc.node(doc.root);
    bool object = false;
    if (root.kind == source::NodeKind::mapping) {
        for (std::size_t i = 0; i < doc.entry_count(doc.root); ++i) {
            object = object || doc.node(doc.key(doc.root, i)).value == "kind";
        }
    }
    if (!object) {
        report_unrecognised(sink, root.location);
        return;
    }
    read_kubernetes_document(doc, state, sink);
}

std::optional<LiveState> finish_live(LiveState state, const diag::DiagnosticSink& sink) {
    if (sink.has_errors()) {
        return std::nullopt;
    }
    normalise(state);
    return state;
}

std::optional<LiveState> read_live(const std::vector<std::uint32_t>& files,
                                   const source::SourceManager& sources,
                                   diag::DiagnosticSink& sink) {
    LiveState state;
    // An export is as large as the platform: the node and string budgets follow the size limit
    // of live files (k_live_limits), about 30 bytes of kubectl's JSON per node. Aliases, which
    // kubectl never writes, keep the topology's budget.
    source::LoadLimits limits;
    limits.max_nodes = 16'000'000;
    limits.max_expanded_bytes = 512 * 1024 * 1024;
    for (std::uint32_t file : files) {
        const std::string& text = sources.file(file).text;
        LineReader lines{sources, file, sink};
        switch (recognise(text)) {
            case FileKind::acls:
                read_acl_text(lines, state);
                break;
            case FileKind::configs:
                read_configs_text(lines, state);
                break;
            case FileKind::kubernetes: {
                auto docs = source::load_yaml_stream(sources, file, sink, limits);
                if (!docs) {
                    break;
                }
                for (const source::YamlDocument& doc : *docs) {
                    limits.used_nodes += doc.nodes.size();
                    read_live_document(doc, state, sink);
                }
                break;
            }
            case FileKind::unknown:
                report_unrecognised(sink, diag::Location{file, 0, 0, 0});
                break;
        }
    }
    return finish_live(std::move(state), sink);
}

}  // namespace km::live
