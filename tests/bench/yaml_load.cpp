// The baseline the benchmark compares against: yaml-cpp's YAML::LoadFile alone, nothing else.
#include <yaml-cpp/yaml.h>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: kafkamesh_yaml_load FILE\n";
        return 2;
    }
    YAML::Node root = YAML::LoadFile(argv[1]);
    // Touch the result so the load cannot be optimised away.
    return root.IsMap() ? 0 : 1;
}
