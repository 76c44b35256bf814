#include "admin/rdkafka_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>

namespace km::admin {
namespace {

/// The system's librdkafka by its soname (Debian's librdkafka1), or the one the user names.
std::string library_name() {
    const char* named = std::getenv("KAFKAMESH_LIBRDKAFKA");
    return named && *named ? named : "librdkafka.so.1";
}

struct Loaded {
    RdKafka functions;
    std::string error;  ///< empty when every function was found
};

Loaded load() {
    Loaded loaded;
    std::string name = library_name();
    // Never closed: librdkafka's threads may outlive the client that started them.
    void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        loaded.error = fmt::format("librdkafka cannot be loaded: {}", why ? why : name);
        return loaded;
    }
#define KM_RDKAFKA_LOOKUP(function)                                                                \
    loaded.functions.function = reinterpret_cast<decltype(&::function)>(dlsym(handle, #function)); \
    if (!loaded.functions.function) {                                                              \
        loaded.error = fmt::format("{} has no {}: kafkamesh needs librdkafka 2.0.2 or later",      \
                                   name, #function);                                               \
        return loaded;                                                                             \
    }
    KM_RDKAFKA_FUNCTIONS(KM_RDKAFKA_LOOKUP)
#undef KM_RDKAFKA_LOOKUP
    return loaded;
}

const Loaded& loaded_once() {
    static const Loaded loaded = load();
    return loaded;
}

}  // namespace

bool load_rdkafka(std::string& error) {
    error = loaded_once().error;
    return error.empty();
}

const RdKafka& rdk() {
    return loaded_once().functions;
}

}  // namespace km::admin
