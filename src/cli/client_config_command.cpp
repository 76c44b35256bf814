// kafkamesh client-config: what one service's Kafka client must set, from the model the ACLs
// come from, so the ids it prints are the ones Kafka allows.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/reporting.h"
#include "cli/review_support.h"
#include "emit/client_config.h"
#include "emit/token_auth.h"

namespace km::cli {
namespace {

struct ClientConfigArgs {
    std::vector<std::string> inputs;
    std::string service;
    std::string environment;
    std::string format = "properties";
    bool warnings_as_errors = false;
};

ExitCode run_client_config(const ClientConfigArgs& args) {
    Session session;
    session.warnings_as_errors = args.warnings_as_errors;
    session.environment = args.environment;
    std::variant<FrontEnd, ExitCode> loaded = front_end_or_exit(args.inputs, session);
    if (const ExitCode* failed = std::get_if<ExitCode>(&loaded)) {
        return *failed;
    }
    const FrontEnd& front = std::get<FrontEnd>(loaded);
    std::optional<std::string> name = resolve_service(front, args.service, session);
    const model::Service* service = nullptr;
    for (const model::Service& s : front.topology.services) {
        if (name && s.ns.value + "/" + s.name.value == *name) {
            service = &s;
        }
    }
    if (!service) {
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    emit::ClientFormat format = *emit::parse_client_format(args.format);
    emit::ClientConfig config = emit::client_config(front.topology, front.graph, *service);
    if (std::optional<std::string> why = emit::unsupported_format(config, format)) {
        session.sink.report(
            diag::Code::KM008,
            service->kind_location.line ? service->kind_location : service->location,
            fmt::format("format '{}' cannot configure service '{}': {}", args.format, *name, *why));
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    const model::Kafka& kafka = *front.topology.kafka;
    if (format == emit::ClientFormat::librdkafka &&
        kafka.authentication == model::Authentication::service_account_token) {
        // librdkafka's OAUTHBEARER takes a token from the application's refresh callback or
        // from an OIDC token endpoint, never from a file (CONFIGURATION.md,
        // sasl.oauthbearer.method; rdkafka.h rd_kafka_oauthbearer_set_token).
        auto& d = session.sink.report(
            diag::Code::KM010,
            kafka.authentication_location.known() ? kafka.authentication_location : kafka.location,
            fmt::format("format 'librdkafka' cannot configure service '{}': librdkafka cannot "
                        "read a service-account token from a file by configuration",
                        *name));
        diag::add_help(d, fmt::format("set an oauthbearer token refresh callback that reads {} "
                                      "and calls rd_kafka_oauthbearer_set_token, or use a Java "
                                      "client (properties, spring, quarkus)",
                                      emit::k_client_token_path));
        print_diagnostics(session, {});
        return ExitCode::findings;
    }
    if (format == emit::ClientFormat::spring && !config.transactional_id.empty() &&
        !config.transactional_prefix && service->transactional_id) {
        auto& d = session.sink.report(
            diag::Code::KM009, service->transactional_id->location,
            fmt::format("Spring appends a number to transaction-id-prefix, and service '{}' "
                        "is allowed the literal transactional id '{}' only",
                        *name, config.transactional_id));
        diag::add_help(d, fmt::format("write transactionalId: '{}*' to grant it as a prefix",
                                      config.transactional_id));
        if (session.warnings_as_errors) {
            session.sink.promote_warnings();
        }
    }
    print_diagnostics(session, {});
    if (session.sink.has_errors()) {
        return ExitCode::findings;
    }
    return write_result(emit::render_client_config(config, format));
}

}  // namespace

void register_client_config(CLI::App& app, ExitCode& result) {
    auto args = std::make_shared<ClientConfigArgs>();
    CLI::App* cmd = app.add_subcommand(
        "client-config",
        "Print what a service's Kafka client must set: bootstrap, security, its ids, where its "
        "credential is");
    cmd->footer(
        "Examples:\n"
        "  kafkamesh client-config topology.yaml --service shop/checkout\n"
        "  kafkamesh client-config topology/ --service shop/checkout --format spring\n"
        "  kafkamesh client-config topology/ --service shop/fraud --format json --env prod");
    add_topology_inputs(*cmd, args->inputs);
    add_service_option(*cmd, args->service);
    add_env_option(*cmd, args->environment);
    add_warnings_as_errors_flag(*cmd, args->warnings_as_errors);
    std::vector<std::string> formats;
    for (std::string_view f : emit::client_format_names()) {
        formats.emplace_back(f);
    }
    cmd->add_option("--format", args->format,
                    "properties (Java client), env (KAFKA_* variables), json, librdkafka, spring "
                    "(Spring Boot application.yaml) or quarkus (application.properties)")
        ->check(CLI::IsMember(formats));
    cmd->callback([args, &result] { result = run_client_config(*args); });
}

}  // namespace km::cli
