#include "emit/token_auth.h"

#include <fmt/format.h>

namespace km::emit {

// The JWKS client (jose4j's Get, as Kafka 4.1.1 uses it) sends no Authorization header, and
// Kubernetes binds system:service-account-issuer-discovery to system:serviceaccounts only,
// deferring wider binding to the cluster admin (k8s.io/kubernetes v1.36.3
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). The role grants GET on
// /.well-known/openid-configuration and /openid/v1/jwks: public keys, nothing else.
void emit_issuer_discovery_binding(const EmitContext& c, std::vector<Manifest>& out) {
    std::string name =
        fmt::format("kafkamesh-{}-issuer-discovery", c.topology.metadata->name.value);
    Value binding = base_document(c, "ClusterRoleBinding", name, "");
    Value& subject = binding.set("subjects", Value::sequence()).push(Value::mapping());
    subject.set("apiGroup", Value::string("rbac.authorization.k8s.io"));
    subject.set("kind", Value::string("Group"));
    subject.set("name", Value::string("system:unauthenticated"));
    Value& ref = binding.set("roleRef", Value::mapping());
    ref.set("apiGroup", Value::string("rbac.authorization.k8s.io"));
    ref.set("kind", Value::string("ClusterRole"));
    ref.set("name", Value::string("system:service-account-issuer-discovery"));
    add_document(c, out, rank::role_binding, "ClusterRoleBinding", "", name, binding);
}

}  // namespace km::emit
