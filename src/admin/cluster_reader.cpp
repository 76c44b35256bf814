// Cluster::read: everything plan and apply need, read before anything is changed, so that a
// read that fails changes nothing. librdkafka v2.0.2 has no DescribeTopics (2.3.0) nor
// IncrementalAlterConfigs (2.2.0): topics come from the metadata, settings from DescribeConfigs.
#include <fmt/format.h>

#include <set>

#include "admin/rdkafka_client.h"

namespace km::admin {
namespace {

using diag::Code;

struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* m) const { rdk().rd_kafka_metadata_destroy(m); }
};

std::string seconds(std::chrono::milliseconds t) {
    return t.count() % 1000 == 0 ? fmt::format("{} s", t.count() / 1000)
                                 : fmt::format("{} ms", t.count());
}

}  // namespace

/// The steps of a read, each reporting its own failure.
class Reader {
  public:
    Reader(Cluster::State& s, const Ownership& o, diag::DiagnosticSink& sink)
        : m_state(s), m_ownership(o), m_sink(sink) {}

    /// Every topic the cluster lets the client see, with partition and replica counts. Also the
    /// first contact: a cluster that does not answer is KM801.
    bool topics(ClusterState& out) {
        const rd_kafka_metadata_t* raw = nullptr;
        rd_kafka_resp_err_t err = rdk().rd_kafka_metadata(
            m_state.rk, 1, nullptr, &raw, static_cast<int>(m_state.timeout.count()));
        std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> md(raw);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            auto& d = m_sink.report(
                Code::KM801, {},
                fmt::format("no broker of '{}' answered within {}: {}", m_state.bootstrap,
                            seconds(m_state.timeout), rdk().rd_kafka_err2str(err)));
            if (std::string why = m_state.context->last(); !why.empty()) {
                diag::add_note(d, {}, "librdkafka: " + why);
            }
            diag::add_help(d,
                           "check --bootstrap-server, the listener's security.protocol in "
                           "--command-config and the credentials; --timeout waits longer");
            return false;
        }
        for (int i = 0; i < md->topic_cnt; ++i) {
            const rd_kafka_metadata_topic_t& t = md->topics[i];
            if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR || !m_ownership.owns_topic(t.topic)) {
                continue;
            }
            TopicState state;
            state.partitions = t.partition_cnt;
            state.replicas = t.partition_cnt > 0 ? t.partitions[0].replica_cnt : 0;
            out.topics.emplace(t.topic, std::move(state));
        }
        return true;
    }

    /// Every ACL, cut down to the owned principals (DescribeAcls needs Describe on the
    /// cluster: refused, it is KM802).
    bool acls(ClusterState& out) {
        char errstr[256];
        rd_kafka_AclBindingFilter_t* filter = rdk().rd_kafka_AclBindingFilter_new(
            RD_KAFKA_RESOURCE_ANY, nullptr, RD_KAFKA_RESOURCE_PATTERN_ANY, nullptr, nullptr,
            RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY, errstr, sizeof errstr);
        rd_kafka_AdminOptions_t* options = m_state.options(RD_KAFKA_ADMIN_OP_DESCRIBEACLS);
        rdk().rd_kafka_DescribeAcls(m_state.rk, filter, options, m_state.queue);
        rdk().rd_kafka_AdminOptions_destroy(options);
        rdk().rd_kafka_AclBinding_destroy(filter);
        Event e = m_state.wait(RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
        if (!e || rdk().rd_kafka_event_error(e.get())) {
            refused("list the ACLs (DescribeAcls)",
                    e ? rdk().rd_kafka_event_error_string(e.get()) : "no answer",
                    "the admin needs Describe on the cluster, or to be a super user");
            return false;
        }
        std::size_t n = 0;
        const rd_kafka_AclBinding_t** list = rdk().rd_kafka_DescribeAcls_result_acls(
            rdk().rd_kafka_event_DescribeAcls_result(e.get()), &n);
        if (n == 0) {
            // librdkafka drops the error of a refused DescribeAcls and answers an empty list
            // (src/rdkafka_admin.c, rd_kafka_DescribeAclsResponse_parse, v2.0.2 and later): an
            // empty cluster and a refused listing look the same.
            auto& d = m_sink.report(
                Code::KM810, {},
                fmt::format("the cluster at '{}' lists no ACL at all: either it holds none, or it "
                            "refused the listing, which librdkafka reports the same way",
                            m_state.bootstrap));
            diag::add_help(d,
                           "make sure the admin is a super user or holds Describe on the "
                           "cluster; otherwise the plan adds ACLs that may exist and deletes "
                           "none");
        }
        std::set<std::string> foreign;
        for (std::size_t i = 0; i < n; ++i) {
            std::string principal = rdk().rd_kafka_AclBinding_principal(list[i]);
            if (!m_ownership.owns_principal(principal)) {
                ++out.foreign_acls;
                foreign.insert(principal);
            } else if (std::optional<AclBinding> b = binding_of(list[i])) {
                out.acls.push_back(std::move(*b));
            } else {
                ++out.unreadable_acls;
            }
        }
        out.foreign_principals = foreign.size();
        std::sort(out.acls.begin(), out.acls.end());
        out.acls.erase(std::unique(out.acls.begin(), out.acls.end()), out.acls.end());
        return true;
    }

    /// The owned topics' own settings (DescribeConfigs), asked also for every declared topic the
    /// metadata did not list: the metadata leaves out what the client may not describe, and only
    /// DescribeConfigs tells a topic that is missing from one that is hidden.
    bool configs(ClusterState& out) {
        std::set<std::string> names;
        for (const auto& entry : out.topics) {
            names.insert(entry.first);
        }
        for (const std::string& t : m_ownership.declared_topics) {
            if (!m_ownership.external_topics.contains(t)) {
                names.insert(t);
            }
        }
        if (names.empty()) {
            return true;
        }
        std::vector<rd_kafka_ConfigResource_t*> resources;
        for (const std::string& name : names) {
            resources.push_back(
                rdk().rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name.c_str()));
        }
        rd_kafka_AdminOptions_t* options = m_state.options(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
        rdk().rd_kafka_DescribeConfigs(m_state.rk, resources.data(), resources.size(), options,
                                       m_state.queue);
        rdk().rd_kafka_AdminOptions_destroy(options);
        rdk().rd_kafka_ConfigResource_destroy_array(resources.data(), resources.size());
        Event e = m_state.wait(RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT);
        if (!e || rdk().rd_kafka_event_error(e.get())) {
            refused("describe the topics' configs (DescribeConfigs)",
                    e ? rdk().rd_kafka_event_error_string(e.get()) : "no answer",
                    "the admin needs DescribeConfigs on the topics, or to be a super user");
            return false;
        }
        std::size_t n = 0;
        const rd_kafka_ConfigResource_t** results = rdk().rd_kafka_DescribeConfigs_result_resources(
            rdk().rd_kafka_event_DescribeConfigs_result(e.get()), &n);
        for (std::size_t i = 0; i < n; ++i) {
            std::string name = rdk().rd_kafka_ConfigResource_name(results[i]);
            rd_kafka_resp_err_t err = rdk().rd_kafka_ConfigResource_error(results[i]);
            bool listed = out.topics.contains(name);
            if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && !listed) {
                continue;  // a declared topic the cluster does not have yet
            }
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char* why = rdk().rd_kafka_ConfigResource_error_string(results[i]);
                refused(fmt::format("describe the config of topic '{}'", name),
                        why ? why : rdk().rd_kafka_err2str(err),
                        "the admin needs Describe and DescribeConfigs on the topic");
                return false;
            }
            if (!listed) {
                refused(fmt::format("see topic '{}' in its metadata", name),
                        "the topic exists but the metadata leaves it out",
                        "the admin needs Describe on the topic");
                return false;
            }
            TopicState& topic = out.topics[name];
            std::size_t entries = 0;
            const rd_kafka_ConfigEntry_t** config =
                rdk().rd_kafka_ConfigResource_configs(results[i], &entries);
            for (std::size_t c = 0; c < entries; ++c) {
                if (rdk().rd_kafka_ConfigEntry_source(config[c]) !=
                    RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG) {
                    continue;
                }
                const char* value = rdk().rd_kafka_ConfigEntry_value(config[c]);
                if (rdk().rd_kafka_ConfigEntry_is_sensitive(config[c]) || !value) {
                    topic.hidden_config.insert(rdk().rd_kafka_ConfigEntry_name(config[c]));
                } else {
                    topic.dynamic_config[rdk().rd_kafka_ConfigEntry_name(config[c])] = value;
                }
            }
        }
        return true;
    }

  private:
    void refused(const std::string& what, const std::string& why, const std::string& help) {
        auto& d = m_sink.report(Code::KM802, {},
                                fmt::format("the cluster at '{}' did not let kafkamesh {}: {}",
                                            m_state.bootstrap, what, why));
        diag::add_help(d, help);
        diag::add_note(d, {}, "nothing was changed");
    }

    Cluster::State& m_state;
    const Ownership& m_ownership;
    diag::DiagnosticSink& m_sink;
};

std::optional<ClusterState> Cluster::read(const Ownership& ownership, diag::DiagnosticSink& sink) {
    ClusterState out;
    Reader r(*m_state, ownership, sink);
    if (!r.topics(out) || !r.configs(out) || !r.acls(out)) {
        return std::nullopt;
    }
    return out;
}

}  // namespace km::admin
