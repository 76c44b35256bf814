#include "cli/output_layout.h"

#include <algorithm>
#include <map>

#include "emit/manifest_writer.h"

namespace km::cli {

std::vector<OutputFile> layout_output(emit::Output&& output, Layout layout) {
    // Manifests arrive in apply order; file names start with the kind's place in it. Each text
    // moves into its file's stream and is freed, so a large output is never held twice. A file
    // holds one kind, so listing the files in the order they first appear keeps the apply order
    // in either layout.
    std::vector<std::string> order;
    std::map<std::string, std::vector<emit::Manifest*>> by_file;
    for (emit::Manifest& m : output.manifests) {
        std::string name = emit::output_file_name(m);
        if (layout == Layout::by_namespace && !m.owner.empty()) {
            name = std::string(k_teams_dir) + "/" + m.owner + "/" + name;
        }
        auto [it, added] = by_file.try_emplace(name);
        if (added) {
            order.push_back(name);
        }
        it->second.push_back(&m);
    }
    std::vector<OutputFile> files;
    for (const std::string& name : order) {
        std::string stream;
        std::size_t size = 0;
        for (const emit::Manifest* m : by_file[name]) {
            size += 4 + m->yaml.size();
        }
        stream.reserve(size);
        for (emit::Manifest* m : by_file[name]) {
            stream += "---\n";
            stream += m->yaml;
            std::string().swap(m->yaml);
        }
        files.push_back({name, std::move(stream)});
    }
    if (!order.empty()) {
        // fifo keeps kafkamesh's apply order (ALLOW policies before allow-nothing); kustomize's
        // default would reorder the kinds it does not know.
        emit::Value k = emit::Value::mapping();
        k.set("apiVersion", emit::Value::string("kustomize.config.k8s.io/v1beta1"));
        k.set("kind", emit::Value::string("Kustomization"));
        k.set("sortOptions", emit::Value::mapping()).set("order", emit::Value::string("fifo"));
        emit::Value& resources = k.set("resources", emit::Value::sequence());
        for (const std::string& name : order) {
            resources.push(emit::Value::string(name));
        }
        files.push_back({k_kustomization, emit::write_yaml(k)});
    }
    if (output.helm_values) {
        files.push_back({k_helm_values, emit::write_yaml(*output.helm_values)});
    }
    std::sort(files.begin(), files.end(),
              [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
    return files;
}

}  // namespace km::cli
