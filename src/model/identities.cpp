#include "model/identities.h"

#include <algorithm>

#include "model/derived.h"

namespace km::model {

std::vector<IdentityInfo> collect_identities(const Topology& t) {
    std::vector<const Service*> services;
    services.reserve(t.services.size());
    for (const Service& s : t.services) {
        services.push_back(&s);
    }
    // Keys are compared through (namespace, account) to avoid building strings for the sort.
    std::stable_sort(services.begin(), services.end(), [](const Service* a, const Service* b) {
        int c = a->ns.value.compare(b->ns.value);
        return c != 0 ? c < 0 : a->account() < b->account();
    });
    std::vector<IdentityInfo> out;
    for (const Service* s : services) {
        if (out.empty() || out.back().ns != s->ns.value ||
            out.back().service_account != s->account()) {
            IdentityInfo info;
            info.ns = s->ns.value;
            info.service_account = s->account();
            info.key = info.ns + "/" + info.service_account;
            out.push_back(std::move(info));
        }
        IdentityInfo& id = out.back();
        id.services.push_back(s);
        if (s->user && !id.user_source) {
            id.user_source = &*s->user;
        }
        if (s->quotas && !id.quotas) {
            id.quotas = &*s->quotas;
        }
    }
    for (IdentityInfo& id : out) {
        id.user = id.user_source ? id.user_source->value : id.ns + "-" + id.service_account;
    }
    return out;
}

}  // namespace km::model
