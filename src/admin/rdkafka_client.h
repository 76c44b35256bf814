// What kafka_admin.cpp and kafka_changes.cpp share: the librdkafka handle, the queue its admin
// results arrive on, and waiting for one result within the timeout. Only src/admin includes it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "admin/kafka_admin.h"
#include "admin/rdkafka_library.h"

namespace km::admin {

/// What librdkafka's callbacks, on its own threads, share with the caller (the client's
/// opaque): the last failure they reported, which is what a timed-out call has to say about
/// why, and the OAUTHBEARER token file.
struct ClientContext {
    std::mutex mutex;
    std::string last_error;
    std::string token_file;
    void record(const char* message);
    std::string last();
};

struct EventDeleter {
    void operator()(rd_kafka_event_t* e) const { rdk().rd_kafka_event_destroy(e); }
};
using Event = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

struct Cluster::State {
    rd_kafka_t* rk = nullptr;
    rd_kafka_queue_t* queue = nullptr;
    std::chrono::milliseconds timeout{30000};
    std::string bootstrap;
    std::unique_ptr<ClientContext> context = std::make_unique<ClientContext>();

    ~State();
    /// Admin options for `op` bounded by the timeout (request and, where the broker waits for
    /// the change, operation timeout); `dry_run` sets validate_only.
    rd_kafka_AdminOptions_t* options(rd_kafka_admin_op_t op, bool dry_run = false) const;
    /// The result event of the call just made, or nothing when none came within the timeout
    /// (librdkafka times its own calls out first; this is the backstop).
    Event wait(rd_kafka_event_type_t type);
};

/// One binding as the model names it; nothing for what this librdkafka cannot name.
std::optional<AclBinding> binding_of(const rd_kafka_AclBinding_t* binding);

/// "Broker: Topic authorization failed" and the like, for an rd_kafka_error_t.
std::string error_text(const rd_kafka_error_t* error);

}  // namespace km::admin
