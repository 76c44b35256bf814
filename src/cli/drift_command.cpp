// kafkamesh drift: what a running cluster holds against what the topology declares, offline,
// from files an operator exported.
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "cli/commands.h"
#include "cli/live_inputs.h"
#include "cli/reporting.h"
#include "emit/document_tree.h"
#include "emit/emit.h"
#include "live/drift.h"
#include "live/live_reader.h"

namespace km::cli {
namespace {

struct DriftArgs {
    std::vector<std::string> topology;
    std::vector<std::string> live;
    std::string format = "text";
    std::string environment;
};

/// With service-account tokens no KafkaUser carries an identity's ACLs (kafkamesh apply places
/// them), so the compiled documents hold none to read back: the principals come from the graph,
/// the same bindings apply places.
void add_token_principals(const graph::AccessGraph& graph, live::LiveState& state) {
    for (const graph::Identity& id : graph.identities) {
        if (id.authentication != model::Authentication::service_account_token) {
            continue;
        }
        live::LivePrincipal p;
        p.principal = "User:" + id.principal_name;
        for (const graph::AclEntry& e : graph::kafka_acls(id)) {
            live::LiveAcl acl;
            acl.type = e.type;
            acl.pattern = e.pattern;
            acl.name = e.name;
            acl.effect = e.effect;
            acl.operation = e.operation;
            p.acls.push_back(std::move(acl));
        }
        std::sort(p.acls.begin(), p.acls.end());
        p.acls.erase(std::unique(p.acls.begin(), p.acls.end()), p.acls.end());
        if (!p.acls.empty() || id.super_user) {
            state.principals.emplace(p.principal, std::move(p));
        }
    }
}

/// The documents the topology compiles to, read back by the live readers.
std::optional<live::Expected> expected_of(const FrontEnd& front, Session& session) {
    auto templates = emit::Templates::load(std::nullopt, session.sources, session.sink);
    if (!templates) {
        return std::nullopt;
    }
    emit::EmitContext context{front.topology, front.graph, *templates};
    Session compiled;
    std::uint32_t file = compiled.sources.add("<compiled topology>", "");
    live::LiveState read;
    std::mutex reading;
    // Each document is read as it is made; the order does not matter (compare matches by name).
    std::function<void(const emit::Value&)> reader = [&](const emit::Value& document) {
        source::YamlDocument tree = emit::as_yaml_document(document, file);
        std::lock_guard<std::mutex> lock(reading);
        live::read_live_document(tree, read, compiled.sink);
    };
    context.read_document = &reader;
    emit::emit_manifests(context, emit::all_groups);
    std::optional<live::LiveState> state = live::finish_live(std::move(read), compiled.sink);
    if (!state) {
        // What kafkamesh emits must read back; anything else is a bug, said as one.
        session.sink.append(std::move(compiled.sink));
        session.sink.report(diag::Code::KM001, {},
                            "the compiled documents cannot be read back as live state");
        return std::nullopt;
    }
    add_token_principals(front.graph, *state);
    return live::expected_state(front.topology, std::move(*state));
}

/// The live files read on a thread of their own, into a session of their own: nothing is shared
/// with the compile of the topology running meanwhile.
class LiveReading {
  public:
    explicit LiveReading(const std::vector<std::string>& paths)
        : m_thread([this, paths] {
              try {
                  m_state = read_live_paths(paths, m_session);
              } catch (...) {
                  m_failure = std::current_exception();
              }
          }) {}
    LiveReading(const LiveReading&) = delete;
    LiveReading& operator=(const LiveReading&) = delete;
    ~LiveReading() { wait(); }

    /// Waits for the read; rethrows what it threw.
    Session& session() {
        wait();
        if (m_failure) {
            std::rethrow_exception(std::exchange(m_failure, nullptr));
        }
        return m_session;
    }

    /// Adds its files to `into`'s sources and its diagnostics, renumbered to them, to `into`'s
    /// sink; hands over the state read.
    std::optional<live::LiveState> adopt_into(Session& into) {
        Session& read = session();
        std::vector<std::uint32_t> renumbered;
        for (std::uint32_t i = 0; i < read.sources.size(); ++i) {
            const source::SourceFile& f = read.sources.file(i);
            renumbered.push_back(into.sources.add(f.path, f.text));
        }
        auto moved = [&](diag::Location where) {
            if (where.known()) {
                where.file = renumbered[where.file];
            }
            return where;
        };
        for (diag::Diagnostic d : read.sink.raw()) {
            d.location = moved(d.location);
            for (diag::Note& n : d.notes) {
                n.location = moved(n.location);
            }
            into.sink.report(d.code, d.location, d.message) = std::move(d);
        }
        return std::move(m_state);
    }

  private:
    void wait() {
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    Session m_session;
    std::optional<live::LiveState> m_state;
    std::exception_ptr m_failure;
    std::thread m_thread;  ///< last: it starts once the members it writes exist
};

ExitCode run_drift(const DriftArgs& args) {
    Session session;
    session.environment = args.environment;
    // The export (often ten times the topology's size) is read while the topology compiles.
    LiveReading live(args.live);
    std::optional<FrontEnd> loaded = run_front_end(args.topology, session);
    if (!loaded) {
        // Swapped arguments read a running platform's export as a topology: say so once,
        // rather than leave the reader with the schema errors alone.
        const diag::DiagnosticSink& probe = live.session().sink;
        bool swapped =
            std::any_of(probe.raw().begin(), probe.raw().end(),
                        [](const diag::Diagnostic& d) { return d.code == diag::Code::KM705; });
        if (swapped) {
            auto& d = session.sink.report(
                diag::Code::KM705, {},
                "the --live input is a kafkamesh topology: the arguments look swapped");
            diag::add_help(d, "kafkamesh drift TOPOLOGY --live LIVE...");
        }
        return report_and_exit(session, {});
    }
    std::optional<live::Expected> expected = expected_of(*loaded, session);
    loaded.reset();  // the model and graph are done with
    std::optional<live::LiveState> state = expected ? live.adopt_into(session) : std::nullopt;
    if (!expected || !state) {
        return report_and_exit(session, {});
    }
    live::DriftReport report = live::compare(*expected, *state);
    print_diagnostics(session, {});
    std::string text = args.format == "json"       ? live::render_json(report)
                       : args.format == "markdown" ? live::render_markdown(report)
                                                   : live::render_text(report);
    if (!write_stdout(text)) {
        return stdout_failed();
    }
    return report.in_sync() ? ExitCode::ok : ExitCode::findings;
}

}  // namespace

void register_drift(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<DriftArgs>();
    CLI::App* cmd = app.add_subcommand(
        "drift", "Compare what a running cluster holds, exported to files, with the topology");
    cmd->footer(
        "LIVE files are recognised by their content: Kubernetes documents as 'kubectl get ... -o\n"
        "yaml' or '-o json' writes them (Kafka, KafkaNodePool, KafkaUser, KafkaTopic, "
        "KafkaAccess,\n"
        "Namespace, PeerAuthentication, AuthorizationPolicy; a List or a stream), the output of\n"
        "'kafka-acls.sh --list' (Kafka 3.x and 4.x) and of 'kafka-configs.sh --describe\n"
        "--entity-type users'. Only the kinds the live input holds are compared.\n"
        "Reported per principal: ACLs the cluster holds and the topology does not (a risk), ACLs\n"
        "it lacks, KafkaUsers and principals nobody declared, quotas; the principals of the\n"
        "client AuthorizationPolicies (every ALLOW policy in the Kafka namespace that selects\n"
        "pods and admits the listener port); PeerAuthentication modes; topics (partitions,\n"
        "replicas, config); super users.\n"
        "JSON (--format json): {\"inSync\": bool, \"risks\": n, \"differences\": [{\"category\":\n"
        "acl|principal|quota|client-policy|peer-authentication|topic|super-user, \"subject\",\n"
        "\"change\": extra|missing|differs, \"risk\": bool, \"detail\", \"acl\": {resourceType,\n"
        "patternType, name, operation, effect, host} for acl items}], \"notCompared\": [...]}.\n"
        "Examples:\n"
        "  kubectl get kafkausers,kafkatopics,authorizationpolicies,peerauthentications -A -o yaml "
        "> live.yaml\n"
        "  kafkamesh drift topology/ --live live.yaml\n"
        "  kafkamesh drift topology/ --live live.yaml acls.txt --format markdown\n"
        "Exit codes: 0 in sync, 1 drift (or an error in the topology or live files), 2 usage,\n"
        "3 an input unavailable.");
    cmd->add_option("topology", args->topology, "Topology files or directories")->required();
    cmd->add_option("--live", args->live,
                    "Live-state files (or directories) exported from the cluster")
        ->required();
    cmd->add_option("--format", args->format, "text, markdown or json")
        ->check(CLI::IsMember({"text", "markdown", "json"}));
    add_env_option(*cmd, args->environment);
    cmd->callback([args, &result] { result = run_drift(*args); });
}

}  // namespace km::cli
