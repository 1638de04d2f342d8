// What a result holds, counted while it is built, against Limits::max_result_bytes
// (docs/reliability.md): each entry's size in memory (sizeof) and the bytes of
// its strings. That is at least the result's memory, heap capacity aside, and
// at least half its compact JSON (escaping a quote doubles it; the keys and
// punctuation of an entry take less than its sizeof).
#pragma once

#include "compile/plan.hpp"

#include <bia/result.hpp>

#include <string>

namespace bia::eval {

// Adds up the result's bytes; full() once they pass the pack's limit.
class ResultSize {
public:
    explicit ResultSize(std::size_t limit) : limit_(limit) {}

    // A fired rule, with its actions and citations.
    bool add_fired(const detail::CompiledPack& pack, std::uint32_t rule) {
        const RuleInfo& info = pack.rules[rule];
        std::size_t n = sizeof(FiredRule) + info.name.size() + info.title.size() + (info.domain ? info.domain->size() : 0) +
                        (info.severity ? info.severity->size() : 0);
        for (const std::string& text : info.actions) n += sizeof(ActionDue) + text.size();
        for (const compiler::CitePlan& c : pack.plan.rules[rule].cites) {
            const SourceInfo& source = pack.citation_sources[c.source];
            n += sizeof(Citation) + source.id.size() + source.title.size() + (c.ref ? c.ref->size() : 0);
        }
        return add(n);
    }
    // An undetermined rule (its missing facts are added one by one).
    bool add_rule(const detail::CompiledPack& pack, std::uint32_t rule) {
        return add(sizeof(UndeterminedRule) + pack.rules[rule].name.size());
    }
    // A fact's path in a list.
    bool add_fact(const detail::CompiledPack& pack, std::uint32_t slot) {
        return add(sizeof(std::string) + pack.slot_paths[slot].size());
    }
    bool add_domains(const detail::CompiledPack& pack) {
        std::size_t n = 0;
        for (const auto& d : pack.domains) n += sizeof(DomainScore) + d.name.size() + d.title.size();
        return add(n);
    }

    bool add(std::size_t n) {
        bytes_ += n;
        return bytes_ <= limit_;
    }
    std::size_t bytes() const { return bytes_; }

private:
    std::size_t limit_;
    std::size_t bytes_ = 0;
};

// The case's error when its result is over the limit: at `$`, like a case over max_case_bytes.
inline FactError result_too_large(const detail::CompiledPack& pack, std::size_t reached) {
    return FactError{"$", "the result reached " + std::to_string(reached) + " bytes, over the limit of " +
                              std::to_string(pack.limits.max_result_bytes) +
                              " bytes (max_result_bytes); counting stopped there"};
}

}  // namespace bia::eval
