// What a compiled pack tells about itself: names, facts, rules, levels, and
// the paths of its facts (for case ids and "did you mean").
#include "api/internal.hpp"

#include "common/source.hpp"

#include <bia/version.hpp>

#include <algorithm>

namespace bia {

const char* version() noexcept { return BIA_VERSION_STRING; }

std::string FactInfo::type_text() const {
    switch (type) {
        case FactType::boolean: return "bool";
        case FactType::number: return "number";
        case FactType::text: return "text";
        case FactType::date: return never ? "date or never" : "date";
        case FactType::one_of:
        case FactType::set_of: {
            std::string out = type == FactType::one_of ? "one of {" : "set of {";
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (i) out += ", ";
                out += "\"" + members[i] + "\"";
            }
            return out + "}";
        }
        case FactType::list: return "list of " + record + " up to " + std::to_string(capacity);
    }
    return "";
}

const std::string& Pack::name() const { return impl_->name; }
const std::string& Pack::version() const { return impl_->version; }
const std::string& Pack::title() const { return impl_->title; }
const std::string& Pack::digest() const { return impl_->digest; }
const std::string& Pack::origin() const { return impl_->origin; }
const std::vector<SourceFile>& Pack::sources() const { return impl_->sources; }
const std::vector<FactInfo>& Pack::facts() const { return impl_->facts; }
const std::vector<std::string>& Pack::fact_paths() const { return impl_->slot_paths; }
const std::vector<RuleInfo>& Pack::rules() const { return impl_->rules; }
const std::vector<LevelInfo>& Pack::levels() const { return impl_->levels; }
const std::vector<DomainInfo>& Pack::domains() const { return impl_->domains; }
const std::vector<SourceInfo>& Pack::citation_sources() const { return impl_->citation_sources; }

namespace {

// The key node at `path`, declared segment by segment from the root; else none,
// with `parent` the deepest declared node on the way and `rest` the first segment under it
// that is not declared.
std::uint32_t find_key(const compiler::Plan& plan, std::string_view path, std::uint32_t& parent, std::string_view& rest) {
    std::uint32_t node = 0;
    while (true) {
        const std::size_t dot = path.find('.');
        const std::string_view segment = path.substr(0, dot);
        const auto& children = plan.keys[node].children;
        const auto it = std::find_if(children.begin(), children.end(), [&](const auto& c) { return c.first == segment; });
        if (it == children.end()) {
            parent = node;
            rest = segment;
            return compiler::none;
        }
        node = it->second;
        if (dot == std::string_view::npos) return node;
        path.remove_prefix(dot + 1);
    }
}

}  // namespace

std::string Pack::closest_path(std::string_view path) const {
    std::uint32_t parent = 0;
    std::string_view rest;
    if (find_key(impl_->plan, path, parent, rest) != compiler::none) return "";
    return eval::closest_key(impl_->plan, parent, rest);
}

std::string Pack::id_field_problem(std::string_view path) const {
    if (path.empty()) return "the id field's path is empty";
    std::uint32_t parent = 0;
    std::string_view rest;
    const std::uint32_t node = find_key(impl_->plan, path, parent, rest);
    if (node == compiler::none) return "";
    return detail::quoted(path) + (impl_->plan.keys[node].fact != compiler::none ? " is a fact" : " is an object of facts") +
           " of this pack, so it cannot be the case id";
}

}  // namespace bia
