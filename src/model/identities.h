// Groups services into identities: one per (namespace, serviceAccount), as topology.md defines.
#pragma once

#include <string>
#include <vector>

#include "model/topology.h"

namespace km::model {

struct IdentityInfo {
    std::string key;  ///< "<namespace>/<serviceAccount>"
    std::string ns;
    std::string service_account;
    std::string user;                      ///< the first explicit `user`, else "<ns>-<sa>"
    const Text* user_source = nullptr;     ///< where an explicit user was written
    std::vector<const Service*> services;  ///< in declaration order
    const Quotas* quotas = nullptr;        ///< the first service's quotas, if any
};

/// Identities sorted by key; services of one identity keep their declaration order.
std::vector<IdentityInfo> collect_identities(const Topology& t);

}  // namespace km::model
