// The base document of each emitted kind: data from templates/, compiled in, optionally extended
// by an organisation's own templates directory (--templates). Emits KM005.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "diag/diagnostic_sink.h"
#include "source/source_manager.h"

namespace km::emit {

struct Template {
    std::string api_version;
    std::string kind;
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> annotations;
};

class Templates {
  public:
    /// The built-in templates, extended by every <Kind>.yaml in `user_dir` when given, and for
    /// one object by <Kind>.<name>.yaml on top of that. User templates may only add labels and
    /// annotations; they cannot change what kafkamesh owns.
    static std::optional<Templates> load(const std::optional<std::string>& user_dir,
                                         source::SourceManager& sources,
                                         diag::DiagnosticSink& sink);

    const Template& get(const std::string& kind) const;
    /// The template of the object of this kind and name: its own when one was given.
    const Template& get(const std::string& kind, const std::string& name) const;

  private:
    std::map<std::string, Template> m_templates;
    std::map<std::pair<std::string, std::string>, Template> m_named;
};

}  // namespace km::emit
