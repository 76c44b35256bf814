// The baselines the benchmark compares against, yaml-cpp alone and nothing else:
//   kafkamesh_yaml_load FILE           YAML::LoadFile (yaml-cpp's node tree)
//   kafkamesh_yaml_load --events FILE  yaml-cpp's event parser with a handler that does nothing,
//                                      the floor for any reader built on this library
// and, to make the live dump kubectl's other format:
//   kafkamesh_yaml_load --kubectl-json FILE   the documents of a YAML stream as the List that
//                                      `kubectl get -o json` writes (four-space indentation)
//   kafkamesh_yaml_load --json-line FILE      the same List on one line
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

class Discard : public YAML::EventHandler {
  public:
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string& value) override {
        bytes += value.size();
    }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
    std::size_t bytes = 0;
};

/// A plain scalar is what YAML 1.2's core schema makes of it; a quoted one is a string.
nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            nlohmann::json object = nlohmann::json::object();
            for (const auto& entry : node) {
                object[entry.first.as<std::string>()] = to_json(entry.second);
            }
            return object;
        }
        case YAML::NodeType::Sequence: {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& item : node) {
                array.push_back(to_json(item));
            }
            return array;
        }
        case YAML::NodeType::Scalar: {
            const std::string& text = node.Scalar();
            if (node.Tag() == "?") {
                if (text == "true" || text == "false") {
                    return text == "true";
                }
                if (!text.empty() && text.find_first_not_of("-0123456789") == std::string::npos) {
                    return std::stoll(text);
                }
            }
            return text;
        }
        default:
            return nullptr;
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc == 3 ? argv[1] : "";
    if ((argc != 2 && argc != 3) ||
        (argc == 3 && mode != "--events" && mode != "--kubectl-json" && mode != "--json-line")) {
        std::cerr << "usage: kafkamesh_yaml_load [--events | --kubectl-json | --json-line] FILE\n";
        return 2;
    }
    const char* file = argv[argc - 1];
    if (mode == "--events") {
        std::ifstream in(file, std::ios::binary);
        YAML::Parser parser(in);
        Discard handler;
        while (parser.HandleNextDocument(handler)) {
        }
        return handler.bytes > 0 ? 0 : 1;
    }
    if (mode == "--kubectl-json" || mode == "--json-line") {
        nlohmann::json items = nlohmann::json::array();
        for (const YAML::Node& doc : YAML::LoadAllFromFile(file)) {
            if (doc.IsMap()) {
                items.push_back(to_json(doc));
            }
        }
        nlohmann::json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
        std::cout << list.dump(mode == "--json-line" ? -1 : 4) << '\n';
        return 0;
    }
    YAML::Node root = YAML::LoadFile(file);
    // Touch the result so the load cannot be optimised away.
    return root.IsMap() ? 0 : 1;
}
