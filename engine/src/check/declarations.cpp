// The pack's declarations: pack, levels, sources, domains, facts, lets and rules by name.
#include "check/checker_impl.hpp"

namespace bia::check {

void Checker::declare() {
    const syntax::PackDecl* pack = nullptr;
    const syntax::LanguageDecl* language = nullptr;
    std::vector<Span> level_spans, source_spans, domain_spans, rule_spans;
    std::map<std::string, Span, std::less<>> value_span_of;

    for (const auto& file : files_) {
        for (const auto& item : file.items) {
            if (const auto* d = std::get_if<syntax::PackDecl>(&item)) {
                if (pack) {
                    error("E0205", d->span, "the pack is already declared at " + where(pack->span) +
                                                "; a pack has exactly one `pack` declaration");
                    continue;
                }
                pack = d;
                check_name(d->name, "pack");
                p_.name = d->name.text;
                p_.version = d->version.value;
                p_.title = d->title.value;
                check_version(d->version);
            } else if (const auto* d = std::get_if<syntax::LanguageDecl>(&item)) {
                if (language) {
                    error("E0212", d->span, "the language is already declared at " + where(language->span) +
                                                "; a pack declares its language once");
                    continue;
                }
                language = d;
                const double v = d->version.value;
                if (v == 1 || v == 2) {
                    p_.language = static_cast<std::uint8_t>(v);
                } else {
                    error("E0212", d->version.span,
                          "this engine reads language 1 and language 2, not language " + d->version.text +
                              "; a newer bia may read it");
                }
            } else if (const auto* d = std::get_if<syntax::SourceDecl>(&item)) {
                if (!check_name(d->id, "source")) continue;
                source_spans.push_back(d->id.span);
                if (claim(source_index_, d->id, static_cast<std::uint32_t>(p_.sources.size()), "source", source_spans)) {
                    p_.sources.push_back({d->id.text, d->title.value});
                } else {
                    source_spans.pop_back();
                }
            } else if (const auto* d = std::get_if<syntax::FactDecl>(&item)) {
                declare_fact(*d, value_span_of);
            } else if (const auto* d = std::get_if<syntax::RecordDecl>(&item)) {
                record_decls_.push_back(d);
            } else if (const auto* d = std::get_if<syntax::LetDecl>(&item)) {
                if (!check_name(d->name, "let")) continue;
                if (auto it = value_span_of.find(d->name.text); it != value_span_of.end()) {
                    error("E0201", d->name.span, quote(d->name.text) + " is already declared at " + where(it->second) +
                                                     " (facts and lets share one name space)");
                    continue;
                }
                value_span_of.emplace(d->name.text, d->name.span);
                values_.emplace(d->name.text, Reference{Reference::Kind::let, static_cast<std::uint32_t>(p_.lets.size())});
                p_.lets.push_back({d->name.text, &d->value, Type{}, d->span});
                let_decls_.push_back(d);
            } else if (const auto* d = std::get_if<syntax::LevelDecl>(&item)) {
                if (!check_name(d->name, "level")) continue;
                level_spans.push_back(d->name.span);
                if (claim(level_index_, d->name, static_cast<std::uint32_t>(p_.levels.size()), "level", level_spans)) {
                    Level l{d->name.text, std::nullopt, d->span};
                    if (d->at) l.at = d->at->value;
                    p_.levels.push_back(std::move(l));
                } else {
                    level_spans.pop_back();
                }
            } else if (const auto* d = std::get_if<syntax::DomainDecl>(&item)) {
                if (!check_name(d->name, "domain")) continue;
                domain_spans.push_back(d->name.span);
                if (claim(domain_index_, d->name, static_cast<std::uint32_t>(p_.domains.size()), "domain", domain_spans)) {
                    p_.domains.push_back({d->name.text, d->title.value, {}});
                    domain_decls_.push_back(d);
                } else {
                    domain_spans.pop_back();
                }
            } else if (const auto* d = std::get_if<syntax::RuleDecl>(&item)) {
                if (!check_name(d->name, "rule")) continue;
                rule_spans.push_back(d->name.span);
                if (claim(rule_index_, d->name, static_cast<std::uint32_t>(rule_decls_.size()), "rule", rule_spans)) {
                    rule_decls_.push_back(d);
                } else {
                    rule_spans.pop_back();
                }
            } else if (const auto* d = std::get_if<syntax::TestDecl>(&item)) {
                test_decls_.emplace_back(d, file.index);
            }
        }
    }
    if (!pack && parsed_fully_) {
        error("E0205", Span{0, 0, 0},
              "the pack has no `pack` declaration; start it with: pack NAME version \"1.0.0\" \"title\"");
    }
    check_fact_prefixes();
    p_.declared_facts = static_cast<std::uint32_t>(p_.facts.size());
    declare_records();
    declare_lists();
    settle_precision();
}

void Checker::settle_precision() {
    for (std::size_t i = 0; i < p_.facts.size(); ++i) {
        Fact& f = p_.facts[i];
        const bool measured = f.kind == FactKind::date || f.kind == FactKind::number;
        if (const auto& never = never_[i]) f.never = language_has(2, *never, "`date or never`");
        if (const auto& exact = exact_[i]) {
            if (!language_has(2, *exact, "`exact`")) continue;
            if (!measured) error("E0301", *exact, "`exact` applies to number and date facts, which a case may otherwise give as a range or a partial date");
            continue;
        }
        f.imprecise = measured && p_.language >= 2;
    }
}

void Checker::check_version(const syntax::StringLit& v) {
    // Semantic version: MAJOR.MINOR.PATCH, optionally -prerelease.
    const std::string& s = v.value;
    int parts = 0;
    std::size_t i = 0;
    bool ok = true;
    while (ok && parts < 3) {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        if (i == start || (i - start > 1 && s[start] == '0')) ok = false;
        ++parts;
        if (parts < 3) {
            if (i < s.size() && s[i] == '.') ++i;
            else ok = false;
        }
    }
    if (ok && i < s.size() && s[i] != '-' && s[i] != '+') ok = false;
    if (!ok) error("E0308", v.span, "the pack version must be a semantic version such as \"1.0.0\"");
}

void Checker::declare_fact(const syntax::FactDecl& d, std::map<std::string, Span, std::less<>>& value_span_of) {
    if (!check_name(d.path, "fact")) return;
    if (auto it = value_span_of.find(d.path.text); it != value_span_of.end()) {
        error("E0201", d.path.span, "fact " + quote(d.path.text) + " is already declared at " + where(it->second));
        return;
    }
    Fact f = typed_fact(d.path, d.type, d.description);
    if (d.type.kind == FactKind::list) list_decls_.emplace_back(static_cast<std::uint32_t>(p_.facts.size()), &d.type);
    value_span_of.emplace(f.path, f.span);
    values_.emplace(f.path, Reference{Reference::Kind::fact, static_cast<std::uint32_t>(p_.facts.size())});
    exact_.push_back(d.type.exact);
    never_.push_back(d.type.never);
    p_.facts.push_back(std::move(f));
}

Fact Checker::typed_fact(const syntax::Name& name, const syntax::TypeExpr& type,
                         const std::optional<syntax::StringLit>& description) {
    Fact f;
    f.path = name.text;
    f.kind = type.kind;
    f.span = name.span;
    if (description) f.description = description->value;
    take_members(f, type);
    return f;
}

void Checker::take_members(Fact& f, const syntax::TypeExpr& type) {
    if (type.kind == FactKind::one_of || type.kind == FactKind::set_of) {
        if (type.members.empty()) {
            error("E0211", type.span, "a `one of` or `set of` type needs at least one member");
        }
        std::set<std::string, std::less<>> seen;
        for (const auto& m : type.members) {
            if (!seen.insert(m.value).second) {
                error("E0211", m.span, "\"" + m.value + "\" is listed twice in this type");
                continue;
            }
            f.members.push_back(m.value);
        }
        if (type.kind == FactKind::set_of && f.members.size() > max_set_members) {
            error("E0502", type.span,
                  "a `set of` type may have at most " + std::to_string(max_set_members) + " members; this one has " +
                      std::to_string(f.members.size()));
        }
        if (type.kind == FactKind::one_of && f.members.size() > 65535) {
            error("E0502", type.span, "a `one of` type may have at most 65535 members");
        }
    }
}

void Checker::check_fact_prefixes() {
    // `a` and `a.b` cannot both be facts: a JSON value cannot be both.
    std::vector<std::uint32_t> order(p_.facts.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return p_.facts[a].path < p_.facts[b].path; });
    for (std::size_t k = 0; k + 1 < order.size(); ++k) {
        const auto& a = p_.facts[order[k]];
        for (std::size_t j = k + 1; j < order.size(); ++j) {
            const auto& b = p_.facts[order[j]];
            if (b.path.size() <= a.path.size() || b.path.compare(0, a.path.size(), a.path) != 0) break;
            if (b.path[a.path.size()] != '.') continue;
            const auto& later = order[k] > order[j] ? a : b;
            const auto& earlier = order[k] > order[j] ? b : a;
            error("E0204", later.span,
                  "fact " + quote(later.path) + " clashes with fact " + quote(earlier.path) + " at " +
                      where(earlier.span) + ": a fact path cannot be a prefix of another");
        }
    }
}

void Checker::resolve_levels() {
    if (p_.levels.empty() && parsed_fully_ && !sink_.full()) {
        error("E0208", Span{0, 0, 0}, "the pack declares no level; declare at least one, lowest first: level low");
    }
    std::optional<double> last;
    for (const auto& l : p_.levels) {
        if (!l.at) continue;
        if (last && *l.at <= *last) {
            error("E0209", l.span,
                  "level " + quote(l.name) + " has threshold " + fmt(*l.at) +
                      ", which does not rise above the previous threshold " + fmt(*last) +
                      "; levels are declared lowest first");
        }
        last = l.at;
    }
}

std::string Checker::fmt(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

}  // namespace bia::check
