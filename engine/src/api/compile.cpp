// bia::compile: a pack's sources through the stages (parse, check, compile) to
// a compiled pack, or its diagnostics.
#include "api/digest.hpp"
#include "api/internal.hpp"

#include "check/checker.hpp"
#include "common/source.hpp"
#include "compile/compiler.hpp"
#include "syntax/parser.hpp"

namespace bia {
namespace api {

Diagnostic file_problem(const std::string& path, std::string code, std::string message) {
    Diagnostic d;
    d.code = std::move(code);
    d.path = path;
    d.message = std::move(message);
    return d;
}

namespace {

FactType public_type(lang::FactKind k) { return lang::row(k).public_type; }

}  // namespace

CompileResult compile_files(std::vector<SourceFile> files, std::string origin, const Limits& limits) {
    CompileResult out;
    std::size_t total = 0;
    for (const auto& f : files) total += f.text.size();
    if (total > limits.max_source_bytes) {
        out.diagnostics.push_back(file_problem(files.empty() ? origin : files.front().name, "E0503",
                                               "the pack source is " + std::to_string(total) +
                                                   " bytes, over the limit of " +
                                                   std::to_string(limits.max_source_bytes) +
                                                   " bytes (max_source_bytes)"));
        return out;
    }
    std::vector<detail::SourceText> sources;
    sources.reserve(files.size());
    for (const auto& f : files) sources.emplace_back(f.name, f.text);

    detail::DiagnosticSink sink(sources, limits.max_diagnostics);
    const auto ast = syntax::parse_files(sources, limits, sink);
    const auto program = check::check_pack(ast, sources, sink, !sink.has_errors());
    if (sink.has_errors()) {
        out.diagnostics = sink.take();
        return out;
    }

    auto pack = std::make_shared<detail::CompiledPack>();
    pack->name = program.name;
    pack->version = program.version;
    pack->title = program.title;
    pack->origin = std::move(origin);
    pack->limits = limits;
    pack->digest = sha256_hex(files, files.size() != 1);
    auto info = [](const check::Fact& f) {
        FactInfo out;
        out.path = f.path;
        out.type = public_type(f.kind);
        out.members = f.members;
        out.description = f.description;
        out.imprecise = f.imprecise;
        out.never = f.never;
        return out;
    };
    for (std::uint32_t i = 0; i < program.declared_facts; ++i) {
        const check::Fact& f = program.facts[i];
        FactInfo fact = info(f);
        if (f.record >= 0) {
            const check::Record& record = program.records[static_cast<std::size_t>(f.record)];
            fact.record = record.name;
            fact.capacity = f.capacity;
            // The first element's fields: settled as the pack's language says (imprecise unless exact).
            for (std::size_t k = 0; k < record.fields.size(); ++k) {
                FactInfo field = info(program.facts[f.first_element + k]);
                field.path = record.fields[k].path;
                fact.fields.push_back(std::move(field));
            }
        }
        pack->facts.push_back(std::move(fact));
    }
    for (const auto& f : program.facts) pack->slot_paths.push_back(f.path);
    for (const auto& l : program.levels) pack->levels.push_back(LevelInfo{l.name, l.at});
    for (const auto& d : program.domains) pack->domains.push_back(DomainInfo{d.name, d.title});
    for (const auto& s : program.sources) pack->citation_sources.push_back(SourceInfo{s.id, s.title});
    for (const auto& r : program.rules) {
        RuleInfo info;
        info.name = r.name;
        info.title = r.title;
        if (r.domain) info.domain = program.domains[*r.domain].name;
        if (r.severity) info.severity = program.levels[*r.severity].name;
        info.score = r.score;
        for (const auto& a : r.actions) info.actions.push_back(a.text);
        pack->rules.push_back(std::move(info));
    }
    compiler::build_plan(program, pack->plan);
    pack->sources = std::move(files);
    out.pack = detail::PackAccess::make(std::move(pack));
    return out;
}

}  // namespace api

CompileResult compile(std::string_view source, std::string name, const Limits& limits) {
    std::vector<SourceFile> files;
    files.push_back(SourceFile{name, std::string(source)});
    return api::compile_files(std::move(files), std::move(name), limits);
}

CompileResult compile(std::vector<SourceFile> files, std::string origin, const Limits& limits) {
    if (files.empty()) {
        CompileResult out;
        out.diagnostics.push_back(api::file_problem(origin, "E0002", "the pack has no source files"));
        return out;
    }
    return api::compile_files(std::move(files), std::move(origin), limits);
}

}  // namespace bia
