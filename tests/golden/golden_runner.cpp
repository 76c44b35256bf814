// Runs one golden case: golden/<command>/<case>/ holds `cmd` (the arguments, one line), the
// inputs, and the expected `stdout`, `stderr`, `exit` (absent: empty, empty, 0) and `out/`.
// The binary runs in a scratch copy of the case so nothing is written into golden/.
// KAFKAMESH_UPDATE_GOLDEN=1 rewrites the expectations; the review is `git diff golden/`.
//
//   golden_runner KAFKAMESH CASE_DIR
//   golden_runner --catalogue GOLDEN_DIR   every diagnostic code has a case that emits it
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "diag/diagnostic.h"

namespace fs = std::filesystem;

namespace {

const std::set<std::string> k_expectation_files = {"cmd", "env", "stdout", "stderr", "exit", "out"};

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

/// Splits the cmd line on spaces; single quotes group words (enough for our cases). A word
/// starting with "@/" names a path from the repository root (how cases use examples/).
std::vector<std::string> split_args(const std::string& line) {
    std::vector<std::string> out;
    std::string current;
    bool quoted = false;
    bool any = false;
    for (char c : line) {
        if (c == '\'') {
            quoted = !quoted;
            any = true;
        } else if ((c == ' ' || c == '\n') && !quoted) {
            if (any) {
                out.push_back(current);
            }
            current.clear();
            any = false;
        } else {
            current += c;
            any = true;
        }
    }
    if (any) {
        out.push_back(current);
    }
    return out;
}

/// Every regular file under `dir`, relative path -> contents.
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> files;
    if (!fs::exists(dir)) {
        return files;
    }
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) {
            files[fs::relative(entry.path(), dir).string()] = read(entry.path());
        }
    }
    return files;
}

/// `env` holds NAME=VALUE lines added to the run's environment (a case about a variable kafkamesh
/// reads, KAFKAMESH_LIBRDKAFKA say); most cases have none.
int run(const std::string& binary, const std::vector<std::string>& args, const fs::path& cwd,
        const std::vector<std::string>& env, std::string& out, std::string& err) {
    fs::path out_file = cwd / ".golden-stdout";
    fs::path err_file = cwd / ".golden-stderr";
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(cwd.c_str()) != 0) {
            _exit(127);
        }
        int o = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(binary.c_str()));
        for (const std::string& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        // A hermetic environment: no colour, locale or user settings leak into the output.
        std::vector<char*> environment{const_cast<char*>("LC_ALL=C")};
        for (const std::string& e : env) {
            environment.push_back(const_cast<char*>(e.c_str()));
        }
        environment.push_back(nullptr);
        execve(binary.c_str(), argv.data(), environment.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    out = read(out_file);
    err = read(err_file);
    fs::remove(out_file);
    fs::remove(err_file);
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

bool compare(const std::string& what, const std::string& expected, const std::string& actual,
             const fs::path& case_dir) {
    if (expected == actual) {
        return true;
    }
    std::cerr << "golden mismatch in " << case_dir.string() << ": " << what << "\n--- expected\n"
              << expected << "\n+++ actual\n"
              << actual << "\n";
    return false;
}

int run_case(const std::string& binary, const fs::path& case_dir) {
    bool update = std::getenv("KAFKAMESH_UPDATE_GOLDEN") != nullptr &&
                  std::string(std::getenv("KAFKAMESH_UPDATE_GOLDEN")) == "1";
    fs::path scratch = fs::temp_directory_path() / ("kafkamesh-golden-" + std::to_string(getpid()));
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    for (const auto& entry : fs::directory_iterator(case_dir)) {
        std::string name = entry.path().filename().string();
        if (!k_expectation_files.count(name)) {
            fs::copy(entry.path(), scratch / name, fs::copy_options::recursive);
        }
    }
    std::vector<std::string> args = split_args(read(case_dir / "cmd"));
    fs::path repo = case_dir.parent_path().parent_path().parent_path();
    for (std::string& a : args) {
        if (a.rfind("@/", 0) == 0) {
            a = (repo / a.substr(2)).string();
        }
    }
    std::string out;
    std::string err;
    std::vector<std::string> env;
    std::istringstream env_lines(read(case_dir / "env"));
    for (std::string line; std::getline(env_lines, line);) {
        if (!line.empty()) {
            env.push_back(line);
        }
    }
    int code = run(binary, args, scratch, env, out, err);
    // A path into the repository is written back as the case wrote it ("@/..."), so no
    // expectation holds the checkout's own location.
    for (std::string* text : {&out, &err}) {
        const std::string root = repo.string() + "/";
        for (std::size_t at = text->find(root); at != std::string::npos;
             at = text->find(root, at + 2)) {
            text->replace(at, root.size(), "@/");
        }
    }
    std::map<std::string, std::string> out_tree = tree(scratch / "out");
    fs::remove_all(scratch);

    if (update) {
        auto keep = [&](const std::string& name, const std::string& text) {
            if (text.empty()) {
                fs::remove(case_dir / name);
            } else {
                write(case_dir / name, text);
            }
        };
        keep("stdout", out);
        keep("stderr", err);
        keep("exit", code == 0 ? "" : std::to_string(code) + "\n");
        fs::remove_all(case_dir / "out");
        for (const auto& [path, text] : out_tree) {
            write(case_dir / "out" / path, text);
        }
    }
    auto expected = [&](const std::string& name) {
        return fs::exists(case_dir / name) ? read(case_dir / name) : std::string();
    };
    bool ok = compare("stdout", expected("stdout"), out, case_dir);
    ok = compare("stderr", expected("stderr"), err, case_dir) && ok;
    std::string exit_text = expected("exit");
    ok = compare("exit", exit_text.empty() ? "0" : exit_text.substr(0, exit_text.find('\n')),
                 std::to_string(code), case_dir) &&
         ok;
    std::map<std::string, std::string> expected_tree = tree(case_dir / "out");
    for (const auto& [path, text] : expected_tree) {
        auto it = out_tree.find(path);
        ok = compare("out/" + path, text, it == out_tree.end() ? "<missing>" : it->second,
                     case_dir) &&
             ok;
    }
    for (const auto& [path, text] : out_tree) {
        if (!expected_tree.count(path)) {
            ok = compare("out/" + path, "<absent>", text, case_dir) && ok;
        }
    }
    if (!ok) {
        std::cerr << "update this case with: KAFKAMESH_UPDATE_GOLDEN=1 ctest -R '"
                  << case_dir.filename().string() << "' and review git diff golden/\n";
        return 1;
    }
    std::cout << "ok " << case_dir.string() << "\n";
    return 0;
}

/// The broker test that makes the codes only a running cluster can make (codes.def, KM8xx).
const char* const k_broker_check =
    "tests/broker/src/main/java/dev/kafkamesh/broker/ApplyCheck.java";

/// Every code of the catalogue has a case named after it, and every such case emits its code.
int check_catalogue(const fs::path& golden) {
    std::map<std::string, std::vector<fs::path>> cases;
    for (const auto& command : fs::directory_iterator(golden)) {
        if (!command.is_directory()) {
            continue;
        }
        for (const auto& c : fs::directory_iterator(command.path())) {
            std::string name = c.path().filename().string();
            for (const std::string prefix : {"error.", "warning.", "note."}) {
                if (name.rfind(prefix, 0) == 0 && name.size() >= prefix.size() + 5) {
                    cases[name.substr(prefix.size(), 5)].push_back(c.path());
                }
            }
        }
    }
    int failures = 0;
    for (km::diag::Code code : km::diag::all_codes()) {
        std::string id(km::diag::code_string(code));
        if (km::diag::code_name(code).rfind("internal", 0) == 0 ||
            km::diag::code_name(code).rfind("retired", 0) == 0) {
            continue;  // an internal error (KM001, KM530) or a retired code has no input
        }
        if (id.rfind("KM8", 0) == 0 && km::diag::code_name(code).rfind("cluster_", 0) == 0) {
            // Only a running cluster makes these (plan and apply): the broker test does, and
            // names each code it checks.
            std::string check = read(golden.parent_path() / k_broker_check);
            if (check.find(id) == std::string::npos) {
                std::cerr << k_broker_check << " checks no " << id << " ("
                          << km::diag::code_name(code) << ")\n";
                ++failures;
            }
            continue;
        }
        if (!cases.count(id)) {
            std::cerr << "no golden case for " << id << " (" << km::diag::code_name(code) << ")\n";
            ++failures;
        }
    }
    for (const auto& [id, dirs] : cases) {
        km::diag::Code code;
        for (const fs::path& dir : dirs) {
            std::string output = read(dir / "stderr") + read(dir / "stdout");
            if (!km::diag::parse_code(id, code)) {
                std::cerr << dir.string() << " is named after unknown code " << id << "\n";
                ++failures;
            } else if (output.find("[" + id + "]") == std::string::npos &&
                       output.find("\"" + id + "\"") == std::string::npos) {
                std::cerr << dir.string() << " does not emit " << id << "\n";
                ++failures;
            }
        }
    }
    std::cout << (km::diag::all_codes().size() - 1) << " codes checked, " << failures
              << " problems\n";
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--catalogue") {
        return check_catalogue(argv[2]);
    }
    if (argc != 3) {
        std::cerr << "usage: golden_runner KAFKAMESH CASE_DIR | --catalogue GOLDEN_DIR\n";
        return 2;
    }
    return run_case(fs::absolute(argv[1]).string(), fs::absolute(argv[2]));
}
