// Resolves names, checks types and orders lets; collects every problem it
// finds. The Checker's parts are in the other files of check/ (checker_impl.hpp).
#include "check/checker_impl.hpp"

namespace bia::check {

std::string describe(const Program& program, Type type) {
    switch (type.kind) {
        case TypeKind::boolean: return "bool";
        case TypeKind::number: return "number";
        case TypeKind::text: return "text";
        case TypeKind::date: return "date";
        case TypeKind::string: return "a string";
        case TypeKind::string_set: return "a set literal";
        case TypeKind::error: return "an erroneous expression";
        case TypeKind::one_of:
        case TypeKind::set_of: {
            const auto& f = program.facts[static_cast<std::size_t>(type.fact)];
            // An element's field is named by its record: member.relation, not family.members[0].relation.
            std::string owner = f.path;
            if (f.element_of >= 0) {
                const auto& list = program.facts[static_cast<std::size_t>(f.element_of)];
                owner = program.records[static_cast<std::size_t>(list.record)].name + owner.substr(owner.rfind('.'));
            }
            return std::string(type.kind == TypeKind::one_of ? "one of " : "set of ") + member_list(f.members) + " (" +
                   owner + ")";
        }
    }
    return "?";
}

Program check_pack(const std::vector<syntax::File>& files, const std::vector<detail::SourceText>& sources,
                   detail::DiagnosticSink& sink, bool parsed_fully) {
    return Checker(files, sources, sink, parsed_fully).run();
}

}  // namespace bia::check
