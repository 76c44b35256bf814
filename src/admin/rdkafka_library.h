// librdkafka's functions, looked up in the shared library when a command first talks to a cluster
// (plan, apply) rather than linked: the other commands neither load it nor the TLS, SASL and
// compression libraries it brings (2.5 MB of every run's resident memory; DECISIONS.md, "Loaded
// when needed, not linked"). KAFKAMESH_LIBRDKAFKA names another build of the library (a newer
// librdkafka than the system's). Only src/admin includes this.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>

namespace km::admin {

// Every librdkafka function kafkamesh calls; a call to one not listed here fails to link.
#define KM_RDKAFKA_FUNCTIONS(X)                       \
    X(rd_kafka_AclBindingFilter_new)                  \
    X(rd_kafka_AclBinding_destroy)                    \
    X(rd_kafka_AclBinding_destroy_array)              \
    X(rd_kafka_AclBinding_host)                       \
    X(rd_kafka_AclBinding_name)                       \
    X(rd_kafka_AclBinding_new)                        \
    X(rd_kafka_AclBinding_operation)                  \
    X(rd_kafka_AclBinding_permission_type)            \
    X(rd_kafka_AclBinding_principal)                  \
    X(rd_kafka_AclBinding_resource_pattern_type)      \
    X(rd_kafka_AclBinding_restype)                    \
    X(rd_kafka_AdminOptions_destroy)                  \
    X(rd_kafka_AdminOptions_new)                      \
    X(rd_kafka_AdminOptions_set_operation_timeout)    \
    X(rd_kafka_AdminOptions_set_request_timeout)      \
    X(rd_kafka_AdminOptions_set_validate_only)        \
    X(rd_kafka_AlterConfigs)                          \
    X(rd_kafka_AlterConfigs_result_resources)         \
    X(rd_kafka_ConfigEntry_is_sensitive)              \
    X(rd_kafka_ConfigEntry_name)                      \
    X(rd_kafka_ConfigEntry_source)                    \
    X(rd_kafka_ConfigEntry_value)                     \
    X(rd_kafka_ConfigResource_configs)                \
    X(rd_kafka_ConfigResource_destroy_array)          \
    X(rd_kafka_ConfigResource_error)                  \
    X(rd_kafka_ConfigResource_error_string)           \
    X(rd_kafka_ConfigResource_name)                   \
    X(rd_kafka_ConfigResource_new)                    \
    X(rd_kafka_ConfigResource_set_config)             \
    X(rd_kafka_CreateAcls)                            \
    X(rd_kafka_CreateAcls_result_acls)                \
    X(rd_kafka_CreatePartitions)                      \
    X(rd_kafka_CreatePartitions_result_topics)        \
    X(rd_kafka_CreateTopics)                          \
    X(rd_kafka_CreateTopics_result_topics)            \
    X(rd_kafka_DeleteAcls)                            \
    X(rd_kafka_DeleteAcls_result_response_error)      \
    X(rd_kafka_DeleteAcls_result_responses)           \
    X(rd_kafka_DeleteTopic_destroy_array)             \
    X(rd_kafka_DeleteTopic_new)                       \
    X(rd_kafka_DeleteTopics)                          \
    X(rd_kafka_DeleteTopics_result_topics)            \
    X(rd_kafka_DescribeAcls)                          \
    X(rd_kafka_DescribeAcls_result_acls)              \
    X(rd_kafka_DescribeConfigs)                       \
    X(rd_kafka_DescribeConfigs_result_resources)      \
    X(rd_kafka_NewPartitions_destroy_array)           \
    X(rd_kafka_NewPartitions_new)                     \
    X(rd_kafka_NewTopic_destroy_array)                \
    X(rd_kafka_NewTopic_new)                          \
    X(rd_kafka_NewTopic_set_config)                   \
    X(rd_kafka_acl_result_error)                      \
    X(rd_kafka_conf_destroy)                          \
    X(rd_kafka_conf_enable_sasl_queue)                \
    X(rd_kafka_conf_new)                              \
    X(rd_kafka_conf_set)                              \
    X(rd_kafka_conf_set_error_cb)                     \
    X(rd_kafka_conf_set_log_cb)                       \
    X(rd_kafka_conf_set_oauthbearer_token_refresh_cb) \
    X(rd_kafka_conf_set_opaque)                       \
    X(rd_kafka_destroy)                               \
    X(rd_kafka_err2str)                               \
    X(rd_kafka_error_destroy)                         \
    X(rd_kafka_error_string)                          \
    X(rd_kafka_event_AlterConfigs_result)             \
    X(rd_kafka_event_CreateAcls_result)               \
    X(rd_kafka_event_CreatePartitions_result)         \
    X(rd_kafka_event_CreateTopics_result)             \
    X(rd_kafka_event_DeleteAcls_result)               \
    X(rd_kafka_event_DeleteTopics_result)             \
    X(rd_kafka_event_DescribeAcls_result)             \
    X(rd_kafka_event_DescribeConfigs_result)          \
    X(rd_kafka_event_destroy)                         \
    X(rd_kafka_event_error)                           \
    X(rd_kafka_event_error_string)                    \
    X(rd_kafka_event_type)                            \
    X(rd_kafka_metadata)                              \
    X(rd_kafka_metadata_destroy)                      \
    X(rd_kafka_new)                                   \
    X(rd_kafka_oauthbearer_set_token)                 \
    X(rd_kafka_oauthbearer_set_token_failure)         \
    X(rd_kafka_opaque)                                \
    X(rd_kafka_poll)                                  \
    X(rd_kafka_queue_destroy)                         \
    X(rd_kafka_queue_new)                             \
    X(rd_kafka_queue_poll)                            \
    X(rd_kafka_sasl_background_callbacks_enable)      \
    X(rd_kafka_topic_result_error)                    \
    X(rd_kafka_topic_result_error_string)             \
    X(rd_kafka_topic_result_name)                     \
    X(rd_kafka_version)

/// The library's functions, each under its own name.
struct RdKafka {
#define KM_RDKAFKA_POINTER(name) decltype(&::name) name = nullptr;
    KM_RDKAFKA_FUNCTIONS(KM_RDKAFKA_POINTER)
#undef KM_RDKAFKA_POINTER
};

/// Loads the library named by KAFKAMESH_LIBRDKAFKA, else librdkafka.so.1, once: false when it
/// cannot be loaded or lacks a function, and `error` says which library and why.
bool load_rdkafka(std::string& error);

/// The library that load_rdkafka loaded; only after it succeeded.
const RdKafka& rdk();

}  // namespace km::admin
