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
            return std::string(type.kind == TypeKind::one_of ? "one of " : "set of ") + member_list(f.members) + " (" +
                   type_owner(program, type.fact) + ")";
        }
    }
    return "?";
}

std::string type_owner(const Program& program, std::int32_t fact) {
    const auto& f = program.facts[static_cast<std::size_t>(fact)];
    if (f.element_of < 0) return f.path;
    const auto& list = program.facts[static_cast<std::size_t>(f.element_of)];
    return program.records[static_cast<std::size_t>(list.record)].name + f.path.substr(f.path.rfind('.'));
}

Program check_pack(const std::vector<syntax::File>& files, const std::vector<detail::SourceText>& sources,
                   detail::DiagnosticSink& sink, bool parsed_fully) {
    return Checker(files, sources, sink, parsed_fully).run();
}

}  // namespace bia::check
