// Cluster's changes, each one Admin API call for all its items, each item's own result kept
// (confluentinc/librdkafka v2.0.2, src/rdkafka.h: CreateAcls, DeleteAcls, CreateTopics,
// CreatePartitions, AlterConfigs, DeleteTopics).
#include <fmt/format.h>

#include "admin/rdkafka_client.h"

namespace km::admin {
namespace {

rd_kafka_ResourceType_t resource_type(model::ResourceType t) {
    switch (t) {
        case model::ResourceType::topic:
            return RD_KAFKA_RESOURCE_TOPIC;
        case model::ResourceType::group:
            return RD_KAFKA_RESOURCE_GROUP;
        case model::ResourceType::cluster:
            return RD_KAFKA_RESOURCE_BROKER;  // Kafka's CLUSTER, 4
        case model::ResourceType::transactional_id:
            // TRANSACTIONAL_ID, 5: librdkafka 2.6.0 names it; the plan holds none before.
            return static_cast<rd_kafka_ResourceType_t>(5);
    }
    return RD_KAFKA_RESOURCE_UNKNOWN;
}

rd_kafka_AclOperation_t operation(model::Operation op) {
    using model::Operation;
    switch (op) {
        case Operation::All:
            return RD_KAFKA_ACL_OPERATION_ALL;
        case Operation::Alter:
            return RD_KAFKA_ACL_OPERATION_ALTER;
        case Operation::AlterConfigs:
            return RD_KAFKA_ACL_OPERATION_ALTER_CONFIGS;
        case Operation::ClusterAction:
            return RD_KAFKA_ACL_OPERATION_CLUSTER_ACTION;
        case Operation::Create:
            return RD_KAFKA_ACL_OPERATION_CREATE;
        case Operation::Delete:
            return RD_KAFKA_ACL_OPERATION_DELETE;
        case Operation::Describe:
            return RD_KAFKA_ACL_OPERATION_DESCRIBE;
        case Operation::DescribeConfigs:
            return RD_KAFKA_ACL_OPERATION_DESCRIBE_CONFIGS;
        case Operation::IdempotentWrite:
            return RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE;
        case Operation::Read:
            return RD_KAFKA_ACL_OPERATION_READ;
        case Operation::Write:
            return RD_KAFKA_ACL_OPERATION_WRITE;
    }
    return RD_KAFKA_ACL_OPERATION_UNKNOWN;
}

/// The binding, or as a filter matching exactly it (a filter with no ANY/MATCH field matches one
/// binding, Kafka's AclBindingFilter).
rd_kafka_AclBinding_t* binding(const AclBinding& b, bool filter, std::string& error) {
    char errstr[256] = "";
    auto make = filter ? rdk().rd_kafka_AclBindingFilter_new : rdk().rd_kafka_AclBinding_new;
    rd_kafka_AclBinding_t* out =
        make(resource_type(b.acl.type), b.acl.name.c_str(),
             b.acl.pattern == model::PatternType::prefix ? RD_KAFKA_RESOURCE_PATTERN_PREFIXED
                                                         : RD_KAFKA_RESOURCE_PATTERN_LITERAL,
             b.principal.c_str(), b.acl.host.c_str(), operation(b.acl.operation),
             b.acl.effect == model::Effect::allow ? RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW
                                                  : RD_KAFKA_ACL_PERMISSION_TYPE_DENY,
             errstr, sizeof errstr);
    if (!out) {
        error = errstr;
    }
    return out;
}

/// Every item failed with the same reason (the call itself failed, or never answered).
std::vector<ItemResult> all_failed(std::size_t n, const std::string& why) {
    return std::vector<ItemResult>(n, ItemResult{why.empty() ? "no answer" : why});
}

std::string call_error(const Event& e) {
    if (!e) {
        return "no answer within the timeout";
    }
    return rdk().rd_kafka_event_error(e.get()) ? rdk().rd_kafka_event_error_string(e.get()) : "";
}

/// Results per topic name, in the order of `names`.
std::vector<ItemResult> by_topic(const std::vector<std::string>& names,
                                 const rd_kafka_topic_result_t** results, std::size_t n) {
    std::map<std::string, std::string> errors;
    for (std::size_t i = 0; i < n; ++i) {
        rd_kafka_resp_err_t err = rdk().rd_kafka_topic_result_error(results[i]);
        const char* text = rdk().rd_kafka_topic_result_error_string(results[i]);
        errors[rdk().rd_kafka_topic_result_name(results[i])] =
            err == RD_KAFKA_RESP_ERR_NO_ERROR ? "" : (text ? text : rdk().rd_kafka_err2str(err));
    }
    std::vector<ItemResult> out;
    for (const std::string& name : names) {
        auto it = errors.find(name);
        out.push_back({it == errors.end() ? "no result for this topic" : it->second});
    }
    return out;
}

}  // namespace

std::vector<ItemResult> Cluster::create_acls(const std::vector<AclBinding>& acls) {
    if (acls.empty()) {
        return {};
    }
    std::vector<rd_kafka_AclBinding_t*> list;
    std::string error;
    for (const AclBinding& b : acls) {
        rd_kafka_AclBinding_t* made = binding(b, false, error);
        if (!made) {
            rdk().rd_kafka_AclBinding_destroy_array(list.data(), list.size());
            return all_failed(acls.size(), error);
        }
        list.push_back(made);
    }
    rd_kafka_AdminOptions_t* options = m_state->options(RD_KAFKA_ADMIN_OP_CREATEACLS);
    rdk().rd_kafka_CreateAcls(m_state->rk, list.data(), list.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_AclBinding_destroy_array(list.data(), list.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_CREATEACLS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(acls.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_acl_result_t** results =
        rdk().rd_kafka_CreateAcls_result_acls(rdk().rd_kafka_event_CreateAcls_result(e.get()), &n);
    // Kafka answers CreateAcls in the order of the request (CreateAclsResponse.results).
    std::vector<ItemResult> out;
    for (std::size_t i = 0; i < acls.size(); ++i) {
        out.push_back(
            {i < n ? error_text(rdk().rd_kafka_acl_result_error(results[i])) : "no answer"});
    }
    return out;
}

std::vector<ItemResult> Cluster::delete_acls(const std::vector<AclBinding>& acls) {
    if (acls.empty()) {
        return {};
    }
    std::vector<rd_kafka_AclBindingFilter_t*> filters;
    std::string error;
    for (const AclBinding& b : acls) {
        rd_kafka_AclBindingFilter_t* made = binding(b, true, error);
        if (!made) {
            rdk().rd_kafka_AclBinding_destroy_array(filters.data(), filters.size());
            return all_failed(acls.size(), error);
        }
        filters.push_back(made);
    }
    rd_kafka_AdminOptions_t* options = m_state->options(RD_KAFKA_ADMIN_OP_DELETEACLS);
    rdk().rd_kafka_DeleteAcls(m_state->rk, filters.data(), filters.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_AclBinding_destroy_array(filters.data(), filters.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_DELETEACLS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(acls.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_DeleteAcls_result_response_t** responses =
        rdk().rd_kafka_DeleteAcls_result_responses(rdk().rd_kafka_event_DeleteAcls_result(e.get()),
                                                   &n);
    std::vector<ItemResult> out;
    for (std::size_t i = 0; i < acls.size(); ++i) {
        out.push_back(
            {i < n ? error_text(rdk().rd_kafka_DeleteAcls_result_response_error(responses[i]))
                   : "no answer"});
    }
    return out;
}

std::vector<ItemResult> Cluster::create_topics(const std::vector<TopicCreation>& topics,
                                               bool dry_run) {
    if (topics.empty()) {
        return {};
    }
    std::vector<rd_kafka_NewTopic_t*> list;
    std::vector<std::string> names;
    char errstr[256];
    for (const TopicCreation& t : topics) {
        rd_kafka_NewTopic_t* made = rdk().rd_kafka_NewTopic_new(t.name.c_str(), t.partitions,
                                                                t.replicas, errstr, sizeof errstr);
        if (!made) {
            rdk().rd_kafka_NewTopic_destroy_array(list.data(), list.size());
            return all_failed(topics.size(), errstr);
        }
        for (const auto& [key, value] : t.config) {
            rdk().rd_kafka_NewTopic_set_config(made, key.c_str(), value.c_str());
        }
        list.push_back(made);
        names.push_back(t.name);
    }
    rd_kafka_AdminOptions_t* options = m_state->options(RD_KAFKA_ADMIN_OP_CREATETOPICS, dry_run);
    rdk().rd_kafka_CreateTopics(m_state->rk, list.data(), list.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_NewTopic_destroy_array(list.data(), list.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_CREATETOPICS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(topics.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_topic_result_t** results = rdk().rd_kafka_CreateTopics_result_topics(
        rdk().rd_kafka_event_CreateTopics_result(e.get()), &n);
    return by_topic(names, results, n);
}

std::vector<ItemResult> Cluster::add_partitions(const std::vector<PartitionIncrease>& topics,
                                                bool dry_run) {
    if (topics.empty()) {
        return {};
    }
    std::vector<rd_kafka_NewPartitions_t*> list;
    std::vector<std::string> names;
    char errstr[256];
    for (const PartitionIncrease& p : topics) {
        list.push_back(rdk().rd_kafka_NewPartitions_new(p.name.c_str(), static_cast<size_t>(p.to),
                                                        errstr, sizeof errstr));
        names.push_back(p.name);
    }
    rd_kafka_AdminOptions_t* options =
        m_state->options(RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, dry_run);
    rdk().rd_kafka_CreatePartitions(m_state->rk, list.data(), list.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_NewPartitions_destroy_array(list.data(), list.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(topics.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_topic_result_t** results = rdk().rd_kafka_CreatePartitions_result_topics(
        rdk().rd_kafka_event_CreatePartitions_result(e.get()), &n);
    return by_topic(names, results, n);
}

std::vector<ItemResult> Cluster::set_configs(const std::vector<ConfigUpdate>& updates,
                                             bool dry_run) {
    if (updates.empty()) {
        return {};
    }
    // Non-incremental AlterConfigs replaces the topic's whole dynamic config: `send` holds every
    // setting the topic keeps (DECISIONS.md: the race this leaves).
    std::vector<rd_kafka_ConfigResource_t*> list;
    for (const ConfigUpdate& u : updates) {
        rd_kafka_ConfigResource_t* r =
            rdk().rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, u.name.c_str());
        for (const auto& [key, value] : u.send) {
            rdk().rd_kafka_ConfigResource_set_config(r, key.c_str(), value.c_str());
        }
        list.push_back(r);
    }
    rd_kafka_AdminOptions_t* options = m_state->options(RD_KAFKA_ADMIN_OP_ALTERCONFIGS, dry_run);
    rdk().rd_kafka_AlterConfigs(m_state->rk, list.data(), list.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_ConfigResource_destroy_array(list.data(), list.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_ALTERCONFIGS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(updates.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_ConfigResource_t** results = rdk().rd_kafka_AlterConfigs_result_resources(
        rdk().rd_kafka_event_AlterConfigs_result(e.get()), &n);
    std::map<std::string, std::string> errors;
    for (std::size_t i = 0; i < n; ++i) {
        const char* text = rdk().rd_kafka_ConfigResource_error_string(results[i]);
        errors[rdk().rd_kafka_ConfigResource_name(results[i])] =
            rdk().rd_kafka_ConfigResource_error(results[i]) == RD_KAFKA_RESP_ERR_NO_ERROR
                ? ""
                : (text ? text
                        : rdk().rd_kafka_err2str(rdk().rd_kafka_ConfigResource_error(results[i])));
    }
    std::vector<ItemResult> out;
    for (const ConfigUpdate& u : updates) {
        auto it = errors.find(u.name);
        out.push_back({it == errors.end() ? "no result for this topic" : it->second});
    }
    return out;
}

std::vector<ItemResult> Cluster::delete_topics(const std::vector<std::string>& topics) {
    if (topics.empty()) {
        return {};
    }
    std::vector<rd_kafka_DeleteTopic_t*> list;
    for (const std::string& t : topics) {
        list.push_back(rdk().rd_kafka_DeleteTopic_new(t.c_str()));
    }
    rd_kafka_AdminOptions_t* options = m_state->options(RD_KAFKA_ADMIN_OP_DELETETOPICS);
    rdk().rd_kafka_DeleteTopics(m_state->rk, list.data(), list.size(), options, m_state->queue);
    rdk().rd_kafka_AdminOptions_destroy(options);
    rdk().rd_kafka_DeleteTopic_destroy_array(list.data(), list.size());
    Event e = m_state->wait(RD_KAFKA_EVENT_DELETETOPICS_RESULT);
    if (std::string why = call_error(e); !why.empty()) {
        return all_failed(topics.size(), why);
    }
    std::size_t n = 0;
    const rd_kafka_topic_result_t** results = rdk().rd_kafka_DeleteTopics_result_topics(
        rdk().rd_kafka_event_DeleteTopics_result(e.get()), &n);
    return by_topic(topics, results, n);
}

}  // namespace km::admin
