// Cluster: opening a librdkafka client and reading the cluster (confluentinc/librdkafka v2.0.2,
// src/rdkafka.h and src/rdkafka_admin.c).
#include <fmt/format.h>

#include <chrono>
#include <regex>

#include "admin/oauth_token.h"
#include "admin/rdkafka_client.h"

namespace km::admin {
namespace {

using diag::Code;

/// The client's last failure without its timing ("(after 3ms in state CONNECT)"), which changes
/// from run to run.
std::string stable(const std::string& text) {
    static const std::regex timing(
        R"( \(after [0-9]+ms in state [A-Z_]+(, [0-9]+ identical error\(s\) suppressed)?\))");
    static const std::regex thread(R"(^\[thrd:[^\]]*\]: )");
    return std::regex_replace(std::regex_replace(text, timing, ""), thread, "");
}

void log_cb(const rd_kafka_t* rk, int level, const char* /*facility*/, const char* message) {
    // Errors and warnings (syslog levels 0-4) say why a broker cannot be reached.
    if (level <= 4) {
        static_cast<ClientContext*>(rdk().rd_kafka_opaque(rk))->record(message);
    }
}

void error_cb(rd_kafka_t* /*rk*/, int /*err*/, const char* reason, void* opaque) {
    static_cast<ClientContext*>(opaque)->record(reason);
}

/// librdkafka asks for a token before the first OAUTHBEARER login and again before it expires
/// (rd_kafka_conf_set_oauthbearer_token_refresh_cb): the projected token file is read anew each
/// time, since the kubelet rotates it. Runs on librdkafka's background thread.
void token_refresh_cb(rd_kafka_t* rk, const char* /*config*/, void* opaque) {
    auto* context = static_cast<ClientContext*>(opaque);
    std::string error;
    std::optional<Token> token = read_token_file(context->token_file, error);
    if (!token) {
        context->record(error.c_str());
        rdk().rd_kafka_oauthbearer_set_token_failure(rk, error.c_str());
        return;
    }
    char errstr[512] = "";
    if (rdk().rd_kafka_oauthbearer_set_token(rk, token->value.c_str(), token->expires_ms,
                                             token->subject.c_str(), nullptr, 0, errstr,
                                             sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        context->record(errstr);
        rdk().rd_kafka_oauthbearer_set_token_failure(rk, errstr);
    }
}

/// The configuration, or nothing with KM804 naming the setting librdkafka refused.
rd_kafka_conf_t* make_conf(const ConnectOptions& o, ClientContext* context,
                           diag::DiagnosticSink& sink) {
    rd_kafka_conf_t* conf = rdk().rd_kafka_conf_new();
    char errstr[512];
    for (const Setting& s : o.settings.settings) {
        if (s.key == "bootstrap.servers") {
            continue;  // --bootstrap-server wins, as with Kafka's tools
        }
        if (rdk().rd_kafka_conf_set(conf, s.key.c_str(), s.value.c_str(), errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
            sink.report(Code::KM804, s.location,
                        fmt::format("'{}' cannot be given to librdkafka: {}", s.key, errstr));
            rdk().rd_kafka_conf_destroy(conf);
            return nullptr;
        }
    }
    rdk().rd_kafka_conf_set(conf, "bootstrap.servers", o.bootstrap.c_str(), errstr, sizeof errstr);
    rdk().rd_kafka_conf_set_opaque(conf, context);
    rdk().rd_kafka_conf_set_log_cb(conf, log_cb);
    rdk().rd_kafka_conf_set_error_cb(conf, error_cb);
    if (!context->token_file.empty()) {
        rdk().rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, token_refresh_cb);
        // The callback is served on librdkafka's background thread, so no call waits for a
        // poll of the main queue (rd_kafka_sasl_background_callbacks_enable, rdkafka.h).
        rdk().rd_kafka_conf_enable_sasl_queue(conf, 1);
    }
    return conf;
}

std::optional<model::ResourceType> resource_type(rd_kafka_ResourceType_t t) {
    switch (static_cast<int>(t)) {
        case RD_KAFKA_RESOURCE_TOPIC:
            return model::ResourceType::topic;
        case RD_KAFKA_RESOURCE_GROUP:
            return model::ResourceType::group;
        case RD_KAFKA_RESOURCE_BROKER:  // Kafka's CLUSTER (4) is librdkafka's BROKER
            return model::ResourceType::cluster;
        case 5:  // TRANSACTIONAL_ID, named from librdkafka 2.6.0 (reads as UNKNOWN before)
            return model::ResourceType::transactional_id;
        default:
            return std::nullopt;
    }
}

std::optional<model::Operation> operation(rd_kafka_AclOperation_t op) {
    using model::Operation;
    switch (op) {
        case RD_KAFKA_ACL_OPERATION_ALL:
            return Operation::All;
        case RD_KAFKA_ACL_OPERATION_READ:
            return Operation::Read;
        case RD_KAFKA_ACL_OPERATION_WRITE:
            return Operation::Write;
        case RD_KAFKA_ACL_OPERATION_CREATE:
            return Operation::Create;
        case RD_KAFKA_ACL_OPERATION_DELETE:
            return Operation::Delete;
        case RD_KAFKA_ACL_OPERATION_ALTER:
            return Operation::Alter;
        case RD_KAFKA_ACL_OPERATION_DESCRIBE:
            return Operation::Describe;
        case RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION:
            return Operation::ClusterAction;
        case RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS:
            return Operation::DescribeConfigs;
        case RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS:
            return Operation::AlterConfigs;
        case RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE:
            return Operation::IdempotentWrite;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::optional<AclBinding> binding_of(const rd_kafka_AclBinding_t* b) {
    auto type = resource_type(rdk().rd_kafka_AclBinding_restype(b));
    auto op = operation(rdk().rd_kafka_AclBinding_operation(b));
    rd_kafka_ResourcePatternType_t pattern = rdk().rd_kafka_AclBinding_resource_pattern_type(b);
    rd_kafka_AclPermissionType_t permission = rdk().rd_kafka_AclBinding_permission_type(b);
    if (!type || !op ||
        (pattern != RD_KAFKA_RESOURCE_PATTERN_LITERAL &&
         pattern != RD_KAFKA_RESOURCE_PATTERN_PREFIXED) ||
        (permission != RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW &&
         permission != RD_KAFKA_ACL_PERMISSION_TYPE_DENY)) {
        return std::nullopt;
    }
    AclBinding out;
    out.principal = rdk().rd_kafka_AclBinding_principal(b);
    out.acl.type = *type;
    out.acl.pattern = pattern == RD_KAFKA_RESOURCE_PATTERN_PREFIXED ? model::PatternType::prefix
                                                                    : model::PatternType::literal;
    out.acl.name = rdk().rd_kafka_AclBinding_name(b);
    out.acl.effect = permission == RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW ? model::Effect::allow
                                                                      : model::Effect::deny;
    out.acl.operation = *op;
    out.acl.host = rdk().rd_kafka_AclBinding_host(b);
    return out;
}

void ClientContext::record(const char* message) {
    std::lock_guard<std::mutex> lock(mutex);
    last_error = message ? message : "";
}

std::string ClientContext::last() {
    std::lock_guard<std::mutex> lock(mutex);
    return stable(last_error);
}

std::string error_text(const rd_kafka_error_t* error) {
    return error ? rdk().rd_kafka_error_string(error) : "";
}

Cluster::State::~State() {
    if (queue) {
        rdk().rd_kafka_queue_destroy(queue);
    }
    if (rk) {
        rdk().rd_kafka_destroy(rk);
    }
}

rd_kafka_AdminOptions_t* Cluster::State::options(rd_kafka_admin_op_t op, bool dry_run) const {
    rd_kafka_AdminOptions_t* o = rdk().rd_kafka_AdminOptions_new(rk, op);
    char errstr[256];
    int ms = static_cast<int>(timeout.count());
    rdk().rd_kafka_AdminOptions_set_request_timeout(o, ms, errstr, sizeof errstr);
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
        op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS) {
        rdk().rd_kafka_AdminOptions_set_operation_timeout(o, ms, errstr, sizeof errstr);
    }
    if (dry_run) {
        rdk().rd_kafka_AdminOptions_set_validate_only(o, 1, errstr, sizeof errstr);
    }
    return o;
}

Event Cluster::State::wait(rd_kafka_event_type_t type) {
    // librdkafka fails the call itself at the request timeout, waiting for a broker included
    // (rdkafka_admin.c, rd_kafka_admin_worker: "Timed out waiting for controller"); the
    // deadline here only guards against a result that never comes.
    auto deadline = std::chrono::steady_clock::now() + timeout + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        Event e(rdk().rd_kafka_queue_poll(queue, 100));
        rdk().rd_kafka_poll(rk, 0);  // serves the error callback
        if (e && rdk().rd_kafka_event_type(e.get()) == type) {
            return e;
        }
    }
    return nullptr;
}

bool Cluster::load_library(diag::DiagnosticSink& sink) {
    std::string error;
    if (!load_rdkafka(error)) {
        sink.report(Code::KM811, {}, error);
        return false;
    }
    return true;
}

int Cluster::library_version() {
    return rdk().rd_kafka_version();
}

bool Cluster::transactional_ids_supported() {
    return rdk().rd_kafka_version() >= 0x020600ff;
}

Cluster::Cluster(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Cluster::~Cluster() = default;

std::unique_ptr<Cluster> Cluster::open(const ConnectOptions& options, diag::DiagnosticSink& sink) {
    auto state = std::make_unique<State>();
    state->timeout = options.timeout;
    state->bootstrap = options.bootstrap;
    state->context->token_file = options.settings.token_file;
    if (!options.settings.token_file.empty()) {
        // A token that cannot be read is said before any connection is tried.
        std::string error;
        if (!read_token_file(options.settings.token_file, error)) {
            sink.report(Code::KM806, options.settings.token_location, error);
            return nullptr;
        }
    }
    rd_kafka_conf_t* conf = make_conf(options, state->context.get(), sink);
    if (!conf) {
        return nullptr;
    }
    char errstr[512] = "";
    state->rk = rdk().rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!state->rk) {
        rdk().rd_kafka_conf_destroy(conf);
        sink.report(Code::KM804, {},
                    fmt::format("librdkafka refused the client settings: {}", errstr));
        return nullptr;
    }
    if (!options.settings.token_file.empty()) {
        if (rd_kafka_error_t* e = rdk().rd_kafka_sasl_background_callbacks_enable(state->rk)) {
            sink.report(Code::KM804, options.settings.token_location,
                        fmt::format("librdkafka cannot serve the token callback: {}",
                                    rdk().rd_kafka_error_string(e)));
            rdk().rd_kafka_error_destroy(e);
            return nullptr;
        }
    }
    state->queue = rdk().rd_kafka_queue_new(state->rk);
    return std::unique_ptr<Cluster>(new Cluster(std::move(state)));
}

}  // namespace km::admin
