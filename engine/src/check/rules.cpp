// Domains and rules: their clauses, citations and conditions.
#include "check/checker_impl.hpp"

#include <limits>

namespace bia::check {

std::optional<Citation> Checker::citation(const syntax::CiteClause& c) {
    auto it = source_index_.find(c.source.text);
    if (it == source_index_.end()) {
        error("E0206", c.source.span, "unknown source " + quote(c.source.text) + "; declare it with: source " +
                                          c.source.text + " \"title\"");
        return std::nullopt;
    }
    Citation out{it->second, std::nullopt};
    if (c.ref) out.ref = c.ref->value;
    return out;
}

void Checker::check_domains() {
    for (std::size_t i = 0; i < domain_decls_.size(); ++i) {
        for (const auto& c : domain_decls_[i]->cites) {
            if (auto cite = citation(c)) p_.domains[i].cites.push_back(*cite);
        }
    }
}

void Checker::check_rules() {
    // Every score a case can get (score, possible_score) is a sum of some rules' scores, so a
    // pack whose scores together stay under half the largest double never makes an infinite
    // score (JSON has no infinity: it printed `null`), whatever the order of the additions.
    constexpr double max_total_score = std::numeric_limits<double>::max() / 2;
    double total_score = 0;
    bool score_reported = false;
    for (const auto* d : rule_decls_) {
        Rule r;
        r.name = d->name.text;
        r.title = d->title.value;
        r.span = d->span;
        std::map<std::string, Span> seen;
        auto once = [&](const char* clause, Span span) {
            auto [it, inserted] = seen.emplace(clause, span);
            if (!inserted) {
                error("E0210", span, std::string("rule ") + quote(r.name) + " has a second `" + clause +
                                         "` clause; the first is at " + where(it->second));
            }
            return inserted;
        };
        for (const auto& clause : d->clauses) {
            std::visit([&](const auto& c) { rule_clause(r, c, once); }, clause);
        }
        if (!r.when) {
            error("E0210", d->name.span, "rule " + quote(r.name) + " has no `when` clause; every rule needs one");
        }
        total_score += r.score;
        if (total_score > max_total_score && !score_reported) {
            score_reported = true;  // once: every later score would repeat it
            const auto at = seen.find("score");
            error("E0502", at != seen.end() ? at->second : d->name.span,
                  "the scores of the rules up to " + quote(r.name) +
                      " add up to more than 8.98e307 (half the largest number), so a case's score could "
                      "overflow; scores must add up to at most that over the whole pack");
        }
        p_.rules.push_back(std::move(r));
    }
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::DomainClause& c, Once& once) {
    if (!once("domain", c.span)) return;
    auto it = domain_index_.find(c.domain.text);
    if (it == domain_index_.end()) {
        error("E0206", c.domain.span, "unknown domain " + quote(c.domain.text) +
                                          "; declare it with: domain " + c.domain.text + " \"title\"");
        return;
    }
    r.domain = it->second;
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::SeverityClause& c, Once& once) {
    if (!once("severity", c.span)) return;
    auto it = level_index_.find(c.level.text);
    if (it == level_index_.end()) {
        std::string known;
        for (const auto& l : p_.levels) known += (known.empty() ? "" : ", ") + l.name;
        error("E0206", c.level.span, "unknown level " + quote(c.level.text) + "; the levels are: " + known);
        return;
    }
    r.severity = it->second;
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::ScoreClause& c, Once& once) {
    if (!once("score", c.span)) return;
    r.score = c.score.value;
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::WhenClause& c, Once& once) {
    if (!once("when", c.span)) return;
    r.when = &c.condition;
    require(c.condition, infer(c.condition), TypeKind::boolean, "the `when` condition");
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::ActionClause& c, Once&) {
    Action a;
    a.text = c.text.value;
    if (c.within) {
        const auto& w = *c.within;
        const lang::CalendarUnitRow& unit = lang::row(w.unit);
        const double amount = w.amount.value;
        if (w.immediately) {
            language_has(2, w.span, "`immediately`");
            a.immediate = true;
        } else {
            language_has(unit.since, w.span, "`within N " + std::string(unit.plural) + "`");
        }
        if (amount != std::floor(amount)) {
            error("E0307", w.amount.span, "`within` takes a whole number of " + std::string(unit.plural) + ", not " +
                                              w.amount.text);
        } else if (amount > unit.max_within) {
            const std::string most = std::to_string(unit.max_within) + " " + std::string(unit.plural);
            error("E0502", w.amount.span,
                  "a time frame may be at most " + (unit.unit == lang::CalendarUnit::years ? most : most + " (100 years)"));
        }
        a.has_within = true;
        a.shift = unit.op;
        a.amount = static_cast<std::int32_t>(std::min(amount, static_cast<double>(unit.max_within))) * unit.per_unit;
        if (w.anchor) {
            a.anchor = &*w.anchor;
            require(*w.anchor, infer(*w.anchor), TypeKind::date, "the anchor after `of`");
        }
    }
    r.actions.push_back(std::move(a));
}

template <typename Once>
void Checker::rule_clause(Rule& r, const syntax::CiteClause& c, Once&) {
    if (auto cite = citation(c)) r.cites.push_back(*cite);
}

}  // namespace bia::check
