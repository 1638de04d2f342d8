// Property tests on generated packs and cases (seeded, reproducible): the engine agrees with a
// small reference evaluator written from the language contract, obeys Kleene's laws, is
// deterministic, bounds the outcome by possible_score / possible_level, and is monotone in the
// facts for packs without known(), and evaluates a block of cases as it evaluates each alone. BIA_PROPERTY_SEED picks another seed, BIA_PROPERTY_SCALE
// multiplies the number of packs and cases (1 by default).
#include <bia/bia.hpp>

#include "compile/plan.hpp"
#include "compile/steps.hpp"
#include "eval/block.hpp"
#include "eval/evaluator.hpp"
#include "eval/facts.hpp"
#include "eval_oracle.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

// ---- the generator's model of a pack --------------------------------------

enum class Ty { B, N, D, T, E, S, Str, L };  // bool, number, date, text, one of, set of, string literal, set literal

struct FactDef {
    std::string path;
    Ty ty;
    std::vector<std::string> members;  // E and S
};

enum class Op { eq, ne, lt, le, gt, ge, in, add, sub, mul, div };

struct Ex {
    enum Kind {
        lit_bool, lit_num, lit_date, lit_str, lit_set, today, fact, let, not_, neg, and_, or_, bin, known, years, days, count,
        possibly, certainly,  // language 2
        shift                 // language 2: kids[0] + num units; `ref` is the unit (0 days, 1 weeks, 2 months, 3 years)
    };
    Kind k = lit_bool;
    Ty ty = Ty::B;
    Op op = Op::eq;
    std::vector<Ex> kids;
    int ref = -1;  // fact or let index
    bool b = false;
    double num = 0;
    std::int32_t date = 0;
    std::string str;
    std::vector<std::string> members;
};

Ex make(Ex::Kind k) {
    Ex e;
    e.k = k;
    return e;
}

struct LetDef {
    std::string name;
    Ex value;
};

struct ActionDef {
    int days = 0;  // within, in days (or in months, when `months`); -1: no time frame
    bool months = false;  // `within N months` (language 2)
    std::optional<Ex> anchor;
};

struct RuleDef {
    std::string name;
    Ex when;
    int severity = -1;
    double score = 0;
    int domain = -1;
    std::vector<ActionDef> actions;
};

struct PackDef {
    std::vector<FactDef> facts;
    std::vector<LetDef> lets;
    std::vector<std::optional<double>> thresholds;  // per level
    int domains = 0;
    std::vector<RuleDef> rules;
    bool v2 = false;  // declare `language 2` even if no v2 construct is used: its number and date facts are imprecise
};

struct Options {
    bool known = true;     // may use known()
    bool division = true;  // may divide (division by zero is unknown whatever the facts)
};

std::uint64_t base_seed() {
    const char* s = std::getenv("BIA_PROPERTY_SEED");
    return s ? std::strtoull(s, nullptr, 10) : 20260301;
}

int scale() {
    const char* s = std::getenv("BIA_PROPERTY_SCALE");
    return s ? std::max(1, std::atoi(s)) : 1;
}

const std::int32_t epoch_2000 = bia::Date::from_ymd(2000, 1, 1)->days();
const bia::Date as_of_default = *bia::Date::from_ymd(2026, 3, 1);

class Gen {
public:
    explicit Gen(std::uint64_t seed, Options o = {}) : rng_(seed), opt_(o) {}

    std::mt19937_64& rng() { return rng_; }
    int below(int n) { return n <= 0 ? 0 : static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    bool chance(int percent) { return below(100) < percent; }

    PackDef pack() {
        PackDef p;
        p_ = &p;
        static const std::vector<std::string> pool = {"a", "b", "c", "d", "e"};
        // Mostly a few members of a small pool; sometimes a long list of up to
        // `most`, so that member indexes reach past the 64 bits of a mask (a
        // `one of` has no limit on its members, a `set of` holds 64).
        auto some_members = [&](int min, int most) {
            if (chance(15)) {
                std::vector<std::string> m;
                for (int i = 0, n = 2 + below(most - 1); i < n; ++i) m.push_back("m" + std::to_string(i));
                std::shuffle(m.begin(), m.end(), rng_);
                return m;
            }
            std::vector<std::string> m = pool;
            std::shuffle(m.begin(), m.end(), rng_);
            m.resize(static_cast<std::size_t>(min + below(static_cast<int>(pool.size()) - min + 1)));
            return m;
        };
        const int groups = 1 + below(3);
        auto path = [&](const char* kind, int i) {
            const int g = below(groups);
            return (g == 2 ? std::string("g2.sub.") : "g" + std::to_string(g) + ".") + kind + std::to_string(i);
        };
        for (int i = 0, n = 2 + below(3); i < n; ++i) p.facts.push_back({path("b", i), Ty::B, {}});
        for (int i = 0, n = 1 + below(3); i < n; ++i) p.facts.push_back({path("n", i), Ty::N, {}});
        for (int i = 0, n = 1 + below(3); i < n; ++i) p.facts.push_back({path("d", i), Ty::D, {}});
        for (int i = 0, n = 1 + below(2); i < n; ++i) p.facts.push_back({path("t", i), Ty::T, {}});
        for (int i = 0, n = 1 + below(2); i < n; ++i) {
            auto m = some_members(2, 130);
            p.facts.push_back({path("e", 2 * i), Ty::E, m});
            // A twin with the same members in another order: comparing them maps member indexes.
            std::shuffle(m.begin(), m.end(), rng_);
            p.facts.push_back({path("e", 2 * i + 1), Ty::E, m});
        }
        for (int i = 0, n = 1 + below(2); i < n; ++i) p.facts.push_back({path("s", i), Ty::S, some_members(1, 64)});
        std::shuffle(p.facts.begin(), p.facts.end(), rng_);  // declaration order is not grouped by type

        for (int i = 0, n = below(4); i < n; ++i) {
            const Ty ty = chance(60) ? Ty::B : Ty::N;
            p.lets.push_back({"v" + std::to_string(i), gen(ty, 2)});
        }
        const int levels = 1 + below(4);
        double last = 0;
        for (int i = 0; i < levels; ++i) {
            if (i > 0 && chance(60)) {
                last += 1 + below(8) + (chance(20) ? 0.5 : 0);
                p.thresholds.push_back(last);
            } else {
                p.thresholds.push_back(std::nullopt);
            }
        }
        p.domains = below(3);
        for (int i = 0, n = 2 + below(6); i < n; ++i) {
            RuleDef r;
            r.name = "r" + std::to_string(i);
            r.when = gen(Ty::B, 1 + below(4));
            r.severity = chance(50) ? below(levels) : -1;
            r.score = chance(70) ? below(10) + (chance(10) ? 0.5 : 0) : 0;
            r.domain = p.domains > 0 && chance(70) ? below(p.domains) : -1;
            for (int a = 0, m = below(3); a < m; ++a) {
                ActionDef act;
                act.days = chance(80) ? below(30) * (chance(30) ? 7 : 1) : -1;
                act.months = act.days >= 0 && chance(15);
                if (act.days >= 0 && chance(60)) act.anchor = gen(Ty::D, 0);
                r.actions.push_back(std::move(act));
            }
            p.rules.push_back(std::move(r));
        }
        p_ = nullptr;
        return p;
    }

    // A random expression of type `ty` over the pack's facts and lets, at most `depth` deep.
    Ex gen(Ty ty, int depth) {
        switch (ty) {
            case Ty::B: return gen_bool(depth);
            case Ty::N: return gen_number(depth);
            case Ty::D: return gen_date();
            case Ty::T: return chance(70) && has(Ty::T) ? fact_of(Ty::T) : string_literal();
            default: break;
        }
        return fact_of(ty);
    }

    void set_pack(PackDef* p) { p_ = p; }

private:
    std::mt19937_64 rng_;
    Options opt_;
    PackDef* p_ = nullptr;

    bool has(Ty ty) const {
        return std::any_of(p_->facts.begin(), p_->facts.end(), [&](const FactDef& f) { return f.ty == ty; });
    }
    int pick_fact(Ty ty) {
        std::vector<int> c;
        for (int i = 0; i < static_cast<int>(p_->facts.size()); ++i) {
            if (p_->facts[i].ty == ty) c.push_back(i);
        }
        return c[static_cast<std::size_t>(below(static_cast<int>(c.size())))];
    }
    Ex fact_of(Ty ty) {
        Ex e = make(Ex::fact);
        e.ty = ty;
        e.ref = pick_fact(ty);
        return e;
    }
    std::optional<Ex> let_of(Ty ty) {
        std::vector<int> c;
        for (int i = 0; i < static_cast<int>(p_->lets.size()); ++i) {
            if (p_->lets[i].value.ty == ty) c.push_back(i);
        }
        if (c.empty()) return std::nullopt;
        Ex e = make(Ex::let);
        e.ty = ty;
        e.ref = c[static_cast<std::size_t>(below(static_cast<int>(c.size())))];
        return e;
    }
    Ex string_literal(const std::vector<std::string>* from = nullptr) {
        static const std::vector<std::string> pool = {"a", "b", "x", "", "\xc3\xa9", "q\"x"};
        Ex e = make(Ex::lit_str);
        e.ty = Ty::Str;
        e.str = from ? (*from)[static_cast<std::size_t>(below(static_cast<int>(from->size())))]
                     : pool[static_cast<std::size_t>(below(static_cast<int>(pool.size())))];
        return e;
    }
    Ex set_literal(const std::vector<std::string>& from) {
        Ex e = make(Ex::lit_set);
        e.ty = Ty::L;
        if (from.size() > 8) {
            // A few members of a long list: all below the 64th (a mask) or not (a list of names).
            std::set<std::string> picked;
            for (int i = 0, n = 1 + below(4); i < n; ++i) picked.insert(from[static_cast<std::size_t>(below(static_cast<int>(from.size())))]);
            e.members.assign(picked.begin(), picked.end());
        } else {
            for (const auto& m : from) {
                if (chance(50)) e.members.push_back(m);
            }
        }
        std::shuffle(e.members.begin(), e.members.end(), rng_);
        return e;
    }
    static Ex node(Ex::Kind k, Ty ty, std::vector<Ex> kids, Op op = Op::eq) {
        Ex e = make(k);
        e.ty = ty;
        e.op = op;
        e.kids = std::move(kids);
        return e;
    }

    Ex gen_bool(int depth) {
        if (depth <= 0 || chance(15)) {
            const int pick = below(10);
            if (pick == 0) {
                Ex e = make(Ex::lit_bool);
                e.b = chance(50);
                return e;
            }
            if (pick == 1 && opt_.known) {
                Ex e = make(Ex::known);
                e.ref = below(static_cast<int>(p_->facts.size()));
                return e;
            }
            if (pick == 2) {
                if (auto l = let_of(Ty::B)) return *l;
            }
            return fact_of(Ty::B);
        }
        switch (below(9)) {
            case 0:
                // The presumptions, like known(), are not monotone: a fact given can turn them from true to false.
                if (opt_.known && chance(40)) return node(chance(50) ? Ex::possibly : Ex::certainly, Ty::B, {gen_bool(depth - 1)});
                return node(Ex::not_, Ty::B, {gen_bool(depth - 1)});
            case 1:
            case 2: {
                std::vector<Ex> kids;
                for (int i = 0, n = 2 + below(3); i < n; ++i) kids.push_back(gen_bool(depth - 1));
                return node(chance(50) ? Ex::and_ : Ex::or_, Ty::B, std::move(kids));
            }
            case 3: {
                static const Op ops[] = {Op::lt, Op::le, Op::gt, Op::ge, Op::eq, Op::ne};
                return node(Ex::bin, Ty::B, {gen_number(depth - 1), gen_number(depth - 1)}, ops[below(6)]);
            }
            case 4: {
                static const Op ops[] = {Op::lt, Op::le, Op::gt, Op::ge, Op::eq, Op::ne};
                return node(Ex::bin, Ty::B, {gen_date(), gen_date()}, ops[below(6)]);
            }
            case 5: {
                const Op op = chance(50) ? Op::eq : Op::ne;
                switch (below(4)) {
                    case 0: return node(Ex::bin, Ty::B, {gen_bool(depth - 1), gen_bool(depth - 1)}, op);
                    case 1: return node(Ex::bin, Ty::B, {gen(Ty::T, 0), gen(Ty::T, 0)}, op);
                    case 2: {
                        Ex e = fact_of(Ty::E);
                        Ex lit = string_literal(&p_->facts[static_cast<std::size_t>(e.ref)].members);
                        return chance(50) ? node(Ex::bin, Ty::B, {e, lit}, op) : node(Ex::bin, Ty::B, {lit, e}, op);
                    }
                    default: {
                        Ex e = fact_of(Ty::E);
                        // Its twin (or itself): the same members, maybe in another order.
                        const auto& members = p_->facts[static_cast<std::size_t>(e.ref)].members;
                        std::vector<int> twins;
                        for (int i = 0; i < static_cast<int>(p_->facts.size()); ++i) {
                            auto a = p_->facts[static_cast<std::size_t>(i)].members, b = members;
                            std::sort(a.begin(), a.end());
                            std::sort(b.begin(), b.end());
                            if (p_->facts[static_cast<std::size_t>(i)].ty == Ty::E && a == b) twins.push_back(i);
                        }
                        Ex other = make(Ex::fact);
                        other.ty = Ty::E;
                        other.ref = twins[static_cast<std::size_t>(below(static_cast<int>(twins.size())))];
                        return node(Ex::bin, Ty::B, {e, other}, op);
                    }
                }
            }
            default: {
                // Membership, in each of its forms.
                switch (below(6)) {
                    case 0: {
                        static const std::vector<std::string> pool = {"a", "b", "x", "", "\xc3\xa9"};
                        return node(Ex::bin, Ty::B, {gen(Ty::T, 0), set_literal(pool)}, Op::in);
                    }
                    case 1: {
                        Ex e = fact_of(Ty::E);
                        return node(Ex::bin, Ty::B, {e, set_literal(p_->facts[static_cast<std::size_t>(e.ref)].members)},
                                    Op::in);
                    }
                    case 2: {
                        Ex s = fact_of(Ty::S);
                        return node(Ex::bin, Ty::B,
                                    {string_literal(&p_->facts[static_cast<std::size_t>(s.ref)].members), s}, Op::in);
                    }
                    case 3: return node(Ex::bin, Ty::B, {fact_of(Ty::E), fact_of(Ty::S)}, Op::in);
                    case 4: return node(Ex::bin, Ty::B, {fact_of(Ty::T), fact_of(Ty::S)}, Op::in);
                    default: {
                        static const std::vector<std::string> pool = {"a", "b", "x"};
                        return node(Ex::bin, Ty::B, {string_literal(), set_literal(pool)}, Op::in);
                    }
                }
            }
        }
    }

    Ex gen_number(int depth) {
        if (depth <= 0 || chance(25)) {
            const int pick = below(6);
            if (pick == 0 || pick == 1) {
                Ex e = make(Ex::lit_num);
                e.ty = Ty::N;
                e.num = below(25) + (chance(15) ? 0.5 : 0);
                return e;
            }
            if (pick == 2) {
                if (auto l = let_of(Ty::N)) return *l;
            }
            return fact_of(Ty::N);
        }
        switch (below(8)) {
            case 0: return node(Ex::neg, Ty::N, {gen_number(depth - 1)});
            case 1: return node(Ex::years, Ty::N, {gen_date(), gen_date()});
            case 2: return node(Ex::days, Ty::N, {gen_date(), gen_date()});
            case 3:
                if (chance(70)) return node(Ex::count, Ty::N, {fact_of(Ty::S)});
                return node(Ex::count, Ty::N, {set_literal({"a", "b", "c"})});
            default: {
                std::vector<Op> ops = {Op::add, Op::sub, Op::mul};
                if (opt_.division) ops.push_back(Op::div);
                return node(Ex::bin, Ty::N, {gen_number(depth - 1), gen_number(depth - 1)},
                            ops[static_cast<std::size_t>(below(static_cast<int>(ops.size())))]);
            }
        }
    }

    Ex gen_date() {
        if (chance(15)) {
            Ex e = node(Ex::shift, Ty::D, {gen_date()});
            e.ref = below(4);
            e.num = e.ref == 0 ? below(801) - 400 : below(41) - 20;
            return e;
        }
        const int pick = below(5);
        if (pick == 0) return node(Ex::today, Ty::D, {});
        if (pick == 1) {
            Ex e = make(Ex::lit_date);
            e.ty = Ty::D;
            e.date = epoch_2000 + below(365 * 30);
            if (chance(10)) e.date = bia::Date::from_ymd(2012, 2, 29)->days();
            return e;
        }
        return fact_of(Ty::D);
    }
};

// ---- writing the pack ------------------------------------------------------

std::string number_text(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string members_text(const std::vector<std::string>& m) {
    std::string out = "{";
    for (std::size_t i = 0; i < m.size(); ++i) out += (i ? ", " : "") + quoted(m[i]);
    return out + "}";
}

const char* op_text(Op op) {
    switch (op) {
        case Op::eq: return "=";
        case Op::ne: return "!=";
        case Op::lt: return "<";
        case Op::le: return "<=";
        case Op::gt: return ">";
        case Op::ge: return ">=";
        case Op::in: return "in";
        case Op::add: return "+";
        case Op::sub: return "-";
        case Op::mul: return "*";
        case Op::div: return "/";
    }
    return "?";
}

std::string text_of(const PackDef& p, const Ex& e) {
    switch (e.k) {
        case Ex::lit_bool: return e.b ? "true" : "false";
        case Ex::lit_num: return number_text(e.num);
        case Ex::lit_date: return bia::Date::from_days(e.date).to_string();
        case Ex::lit_str: return quoted(e.str);
        case Ex::lit_set: return members_text(e.members);
        case Ex::today: return "today";
        case Ex::fact: return p.facts[static_cast<std::size_t>(e.ref)].path;
        case Ex::let: return p.lets[static_cast<std::size_t>(e.ref)].name;
        case Ex::not_: return "(not " + text_of(p, e.kids[0]) + ")";
        case Ex::neg: return "(-" + text_of(p, e.kids[0]) + ")";
        case Ex::and_:
        case Ex::or_: {
            std::string out = "(";
            for (std::size_t i = 0; i < e.kids.size(); ++i) {
                out += (i ? (e.k == Ex::and_ ? " and " : " or ") : "") + text_of(p, e.kids[i]);
            }
            return out + ")";
        }
        case Ex::bin: return "(" + text_of(p, e.kids[0]) + " " + op_text(e.op) + " " + text_of(p, e.kids[1]) + ")";
        case Ex::known: return "known(" + p.facts[static_cast<std::size_t>(e.ref)].path + ")";
        case Ex::years: return "years(" + text_of(p, e.kids[0]) + ", " + text_of(p, e.kids[1]) + ")";
        case Ex::days: return "days(" + text_of(p, e.kids[0]) + ", " + text_of(p, e.kids[1]) + ")";
        case Ex::count: return "count(" + text_of(p, e.kids[0]) + ")";
        case Ex::possibly: return "possibly(" + text_of(p, e.kids[0]) + ")";
        case Ex::certainly: return "certainly(" + text_of(p, e.kids[0]) + ")";
        case Ex::shift: {
            static const char* const units[] = {"days", "weeks", "months", "years"};
            return "(" + text_of(p, e.kids[0]) + (e.num < 0 ? " - " : " + ") + number_text(std::abs(e.num)) + " " +
                   units[e.ref] + ")";
        }
    }
    return "?";
}

// Whether an expression uses language 2.
bool uses_v2(const Ex& e) {
    if (e.k == Ex::possibly || e.k == Ex::certainly || e.k == Ex::shift) return true;
    return std::any_of(e.kids.begin(), e.kids.end(), uses_v2);
}

bool uses_v2(const PackDef& p) {
    for (const auto& l : p.lets) {
        if (uses_v2(l.value)) return true;
    }
    for (const auto& r : p.rules) {
        if (uses_v2(r.when)) return true;
        for (const auto& a : r.actions) {
            if (a.months || (a.anchor && uses_v2(*a.anchor))) return true;
        }
    }
    return false;
}

std::string source_of(const PackDef& p) {
    std::string s = "pack gen version \"1.0.0\" \"Generated\"\n";
    if (p.v2 || uses_v2(p)) s += "language 2\n";
    for (const auto& f : p.facts) {
        s += "fact " + f.path + " : ";
        switch (f.ty) {
            case Ty::B: s += "bool"; break;
            case Ty::N: s += "number"; break;
            case Ty::D: s += "date"; break;
            case Ty::T: s += "text"; break;
            case Ty::E: s += "one of " + members_text(f.members); break;
            case Ty::S: s += "set of " + members_text(f.members); break;
            default: break;
        }
        s += "\n";
    }
    for (const auto& l : p.lets) s += "let " + l.name + " = " + text_of(p, l.value) + "\n";
    for (std::size_t i = 0; i < p.thresholds.size(); ++i) {
        s += "level l" + std::to_string(i);
        if (p.thresholds[i]) s += " at " + number_text(*p.thresholds[i]);
        s += "\n";
    }
    for (int d = 0; d < p.domains; ++d) s += "domain dom" + std::to_string(d) + " \"Domain " + std::to_string(d) + "\"\n";
    for (const auto& r : p.rules) {
        s += "rule " + r.name + " \"Rule " + r.name + "\"\n";
        if (r.domain >= 0) s += "  domain dom" + std::to_string(r.domain) + "\n";
        if (r.severity >= 0) s += "  severity l" + std::to_string(r.severity) + "\n";
        if (r.score != 0) s += "  score " + number_text(r.score) + "\n";
        s += "  when " + text_of(p, r.when) + "\n";
        for (const auto& a : r.actions) {
            s += "  action \"act\"";
            if (a.days >= 0) {
                s += " within " + std::to_string(a.days) + (a.months ? " months" : " days");
                if (a.anchor) s += " of " + text_of(p, *a.anchor);
            }
            s += "\n";
        }
    }
    return s;
}

// ---- cases -----------------------------------------------------------------

// A fact's value in a case, in the reference evaluator's terms.
struct RVal {
    bool known = false;
    double num = 0;                // bool (0/1), number, date (days)
    std::string text;              // text, one-of member, string literal
    std::set<std::string> set;     // set members by name
};

using Case = std::vector<std::optional<RVal>>;  // per fact; nothing = absent (or null) in the JSON

RVal random_value(Gen& g, const FactDef& f) {
    static const double numbers[] = {0, 1, 2, 3, 5, 10, 17, 18, 24, -1, 2.5, 0.5};
    static const std::vector<std::string> texts = {"a", "b", "x", "", "\xc3\xa9", "q\"x", "zz"};
    RVal v;
    v.known = true;
    switch (f.ty) {
        case Ty::B: v.num = g.chance(50); break;
        case Ty::N: v.num = numbers[g.below(static_cast<int>(std::size(numbers)))]; break;
        case Ty::D: v.num = epoch_2000 + g.below(365 * 30); break;
        case Ty::T: v.text = texts[static_cast<std::size_t>(g.below(static_cast<int>(texts.size())))]; break;
        case Ty::E: v.text = f.members[static_cast<std::size_t>(g.below(static_cast<int>(f.members.size())))]; break;
        case Ty::S:
            for (const auto& m : f.members) {
                if (g.chance(40)) v.set.insert(m);
            }
            break;
        default: break;
    }
    return v;
}

Case random_case(Gen& g, const PackDef& p, int unknown_percent = 35) {
    Case c(p.facts.size());
    for (std::size_t i = 0; i < p.facts.size(); ++i) {
        if (!g.chance(unknown_percent)) c[i] = random_value(g, p.facts[i]);
    }
    return c;
}

void put(nlohmann::json& root, const std::string& path, nlohmann::json value) {
    nlohmann::json* node = &root;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (dot == std::string::npos) {
            (*node)[key] = std::move(value);
            return;
        }
        node = &(*node)[key];
        start = dot + 1;
    }
}

std::string json_of(const PackDef& p, const Case& c, Gen* g = nullptr) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < p.facts.size(); ++i) {
        const auto& f = p.facts[i];
        if (!c[i]) {
            if (g && g->chance(15)) put(j, f.path, nullptr);  // null is unknown too
            continue;
        }
        const RVal& v = *c[i];
        switch (f.ty) {
            case Ty::B: put(j, f.path, v.num != 0); break;
            case Ty::N: put(j, f.path, v.num); break;
            case Ty::D: put(j, f.path, bia::Date::from_days(static_cast<std::int32_t>(v.num)).to_string()); break;
            case Ty::T:
            case Ty::E: put(j, f.path, v.text); break;
            case Ty::S: {
                nlohmann::json a = nlohmann::json::array();
                for (const auto& m : v.set) a.push_back(m);
                put(j, f.path, std::move(a));
                break;
            }
            default: break;
        }
    }
    return j.dump();
}

// ---- the reference evaluator ---------------------------------------------
// Written from the contract (issue 2, "Semantics" and "Settled details"), not from the engine.

int whole_years(std::int32_t from_days, std::int32_t to_days) {
    if (to_days < from_days) return -whole_years(to_days, from_days);
    const bia::Date from = bia::Date::from_days(from_days), to = bia::Date::from_days(to_days);
    int years = to.year() - from.year();
    int month = from.month(), day = from.day();
    const int y = to.year();
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (month == 2 && day == 29 && !leap) {
        month = 3;
        day = 1;
    }
    if (to.month() < month || (to.month() == month && to.day() < day)) --years;
    return years;
}

// `date + amount unit` as std::chrono's calendar computes it, with the language's rules for the days
// it does not have: the month's last day for months, and for 29 February in a common year, 1 March
// going forward (chrono's own reading of the day past February's end) and 28 February going back.
std::optional<std::int32_t> chrono_shift(std::int32_t date, int unit, long amount) {
    using namespace std::chrono;
    const year_month_day from{sys_days{std::chrono::days{date}}};
    year_month_day to = from;
    switch (unit) {
        case 0: to = year_month_day{sys_days{std::chrono::days{date + amount}}}; break;
        case 1: to = year_month_day{sys_days{std::chrono::days{date + 7 * amount}}}; break;
        case 2:
            to = from + std::chrono::months{amount};
            if (!to.ok()) to = to.year() / to.month() / last;
            break;
        default:
            to = from + std::chrono::years{amount};
            if (!to.ok()) to = amount > 0 ? year_month_day{sys_days{to}} : to.year() / February / 28;
            break;
    }
    if (to.year() < year{1} || to.year() > year{9999}) return std::nullopt;
    return static_cast<std::int32_t>(sys_days{to}.time_since_epoch().count());
}

class Reference {
public:
    Reference(const PackDef& p, const Case& c, bia::Date as_of) : p_(p), c_(c), as_of_(as_of) {}

    RVal eval(const Ex& e) {
        RVal v;
        switch (e.k) {
            case Ex::lit_bool: return known_num(e.b ? 1 : 0);
            case Ex::lit_num: return known_num(e.num);
            case Ex::lit_date: return known_num(e.date);
            case Ex::lit_str: v.known = true; v.text = e.str; return v;
            case Ex::lit_set: v.known = true; v.set = {e.members.begin(), e.members.end()}; return v;
            case Ex::today: return known_num(as_of_.days());
            case Ex::fact: return c_[static_cast<std::size_t>(e.ref)] ? *c_[static_cast<std::size_t>(e.ref)] : RVal{};
            case Ex::let: return eval(p_.lets[static_cast<std::size_t>(e.ref)].value);
            case Ex::known: return known_num(c_[static_cast<std::size_t>(e.ref)].has_value());
            case Ex::possibly: {
                const RVal a = eval(e.kids[0]);
                return known_num(!a.known || a.num != 0);
            }
            case Ex::certainly: {
                const RVal a = eval(e.kids[0]);
                return known_num(a.known && a.num != 0);
            }
            case Ex::not_: {
                const RVal a = eval(e.kids[0]);
                return a.known ? known_num(a.num == 0) : RVal{};
            }
            case Ex::and_:
            case Ex::or_: {
                // Kleene: a false operand decides `and`, a true one decides `or`; else unknown wins.
                const double decisive = e.k == Ex::and_ ? 0 : 1;
                bool unknown = false;
                for (const auto& k : e.kids) {
                    const RVal a = eval(k);
                    if (!a.known) unknown = true;
                    else if ((a.num != 0) == (decisive != 0)) return known_num(decisive);
                }
                return unknown ? RVal{} : known_num(1 - decisive);
            }
            default: break;
        }
        std::vector<RVal> args;
        for (const auto& k : e.kids) args.push_back(eval(k));
        for (const auto& a : args) {
            if (!a.known) return RVal{};
        }
        switch (e.k) {
            case Ex::neg: return finite(-args[0].num);
            case Ex::years:
                return known_num(whole_years(static_cast<std::int32_t>(args[0].num), static_cast<std::int32_t>(args[1].num)));
            case Ex::days: return known_num(args[1].num - args[0].num);
            case Ex::count: return known_num(static_cast<double>(args[0].set.size()));
            case Ex::shift: {
                const auto to = chrono_shift(static_cast<std::int32_t>(args[0].num), e.ref, static_cast<long>(e.num));
                return to ? known_num(*to) : RVal{};
            }
            case Ex::bin: break;
            default: return RVal{};
        }
        const RVal& a = args[0];
        const RVal& b = args[1];
        const bool textual = e.kids[0].ty == Ty::T || e.kids[0].ty == Ty::E || e.kids[0].ty == Ty::Str;
        switch (e.op) {
            case Op::add: return finite(a.num + b.num);
            case Op::sub: return finite(a.num - b.num);
            case Op::mul: return finite(a.num * b.num);
            case Op::div: return b.num == 0 ? RVal{} : finite(a.num / b.num);
            case Op::lt: return known_num(a.num < b.num);
            case Op::le: return known_num(a.num <= b.num);
            case Op::gt: return known_num(a.num > b.num);
            case Op::ge: return known_num(a.num >= b.num);
            case Op::eq: return known_num(textual ? a.text == b.text : a.num == b.num);
            case Op::ne: return known_num(textual ? a.text != b.text : a.num != b.num);
            case Op::in: return known_num(b.set.count(a.text) > 0);
        }
        return RVal{};
    }

    // The contract's `missing`: unknown facts reached by descending only into unknown
    // sub-expressions, through lets, never into known().
    // A presumption is known, but the facts its unknown operand misses are what would settle it.
    void missing(const Ex& e, std::set<int>& out) {
        const bool presumption = e.k == Ex::possibly || e.k == Ex::certainly;
        if (e.k == Ex::known || (eval(e).known && !(presumption && !eval(e.kids[0]).known))) return;
        if (e.k == Ex::fact) {
            out.insert(e.ref);
            return;
        }
        if (e.k == Ex::let) {
            missing(p_.lets[static_cast<std::size_t>(e.ref)].value, out);
            return;
        }
        for (const auto& k : e.kids) missing(k, out);
    }

    // Whether known `e`'s value could change once the unknown operands of the presumptions below it
    // are given: a presumption's when its operand is unknown; `and` false (`or` true) only when every
    // operand that decides it could; any other when one of its operands could.
    bool rests(const Ex& e) {
        const RVal v = eval(e);
        if (!v.known) return false;
        switch (e.k) {
            case Ex::let: return rests(p_.lets[static_cast<std::size_t>(e.ref)].value);
            case Ex::possibly:
            case Ex::certainly: return !eval(e.kids[0]).known || rests(e.kids[0]);
            case Ex::and_:
            case Ex::or_: {
                const bool decided = (e.k == Ex::and_) == (v.num == 0);  // a false `and`, a true `or`
                bool every = true, any = false;
                for (const auto& k : e.kids) {
                    const RVal x = eval(k);
                    const bool r = rests(k);
                    any |= r;
                    if (x.known && (x.num != 0) == (v.num != 0)) every &= r;
                }
                return decided ? every : any;
            }
            default:
                return std::any_of(e.kids.begin(), e.kids.end(), [&](const Ex& k) { return rests(k); });
        }
    }

    // The facts that would settle the presumptions known `e` rests on.
    void presumed(const Ex& e, std::set<int>& out) {
        if (!rests(e)) return;
        if ((e.k == Ex::possibly || e.k == Ex::certainly) && !eval(e.kids[0]).known) return missing(e.kids[0], out);
        if (e.k == Ex::let) return presumed(p_.lets[static_cast<std::size_t>(e.ref)].value, out);
        for (const auto& k : e.kids) presumed(k, out);
    }

private:
    const PackDef& p_;
    const Case& c_;
    bia::Date as_of_;

    static RVal known_num(double v) {
        RVal r;
        r.known = true;
        r.num = v;
        return r;
    }
    static RVal finite(double v) { return std::isfinite(v) ? known_num(v) : RVal{}; }
};

enum class Outcome { fired, not_fired, undetermined };

const char* outcome_name(Outcome o) {
    return o == Outcome::fired ? "fired" : o == Outcome::not_fired ? "not fired" : "undetermined";
}

Outcome outcome_of(const bia::Result& r, const std::string& rule) {
    if (bia_test::fired(r, rule)) return Outcome::fired;
    if (bia_test::undetermined(r, rule)) return Outcome::undetermined;
    return Outcome::not_fired;
}

std::size_t level_index(const bia::Pack& pack, const std::string& name) {
    const auto& levels = pack.levels();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (levels[i].name == name) return i;
    }
    ADD_FAILURE() << "unknown level " << name;
    return 0;
}

// What the contract says the result must be, computed by the reference evaluator.
struct Expected {
    std::vector<Outcome> outcomes;
    std::vector<std::vector<std::string>> missing;  // per rule
    double score = 0, possible_score = 0;
    std::size_t level = 0, possible_level = 0;
    std::vector<std::string> case_missing, ask_first;
    std::vector<std::vector<std::optional<std::int32_t>>> due;  // per rule, per action
};

Expected expect(const PackDef& p, const Case& c, bia::Date as_of) {
    Reference ref(p, c, as_of);
    Expected x;
    auto for_score = [&](double score) {
        std::size_t level = 0;
        for (std::size_t i = 0; i < p.thresholds.size(); ++i) {
            if (p.thresholds[i] && score >= *p.thresholds[i]) level = i;
        }
        return level;
    };
    std::size_t fired_severity = 0, undetermined_severity = 0;
    double undetermined_score = 0;
    std::vector<std::set<int>> missing_sets(p.rules.size());
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        const auto& r = p.rules[i];
        const RVal w = ref.eval(r.when);
        const Outcome o = !w.known ? Outcome::undetermined : w.num != 0 ? Outcome::fired : Outcome::not_fired;
        x.outcomes.push_back(o);
        std::vector<std::optional<std::int32_t>> due;
        if (o == Outcome::fired) {
            x.score += r.score;
            if (r.severity >= 0) fired_severity = std::max(fired_severity, static_cast<std::size_t>(r.severity));
            for (const auto& a : r.actions) {
                if (a.days < 0) {
                    due.push_back(std::nullopt);
                    continue;
                }
                const RVal anchor = a.anchor ? ref.eval(*a.anchor) : RVal{true, static_cast<double>(as_of.days()), {}, {}};
                due.push_back(anchor.known ? chrono_shift(static_cast<std::int32_t>(anchor.num), a.months ? 2 : 0, a.days)
                                           : std::nullopt);
            }
        }
        x.due.push_back(due);
        if (o == Outcome::undetermined) {
            undetermined_score += r.score;
            if (r.severity >= 0) undetermined_severity = std::max(undetermined_severity, static_cast<std::size_t>(r.severity));
            ref.missing(r.when, missing_sets[i]);
        }
        std::vector<std::string> names;
        for (int f : missing_sets[i]) names.push_back(p.facts[static_cast<std::size_t>(f)].path);
        x.missing.push_back(names);
    }
    x.possible_score = x.score + undetermined_score;
    x.level = std::max(for_score(x.score), fired_severity);
    x.possible_level = std::max({for_score(x.possible_score), fired_severity, undetermined_severity});

    // Case-level missing: ranked by the level a rule could reach if it alone fired, then by
    // declaration order; anchors of fired rules' actions rank at the current level.
    std::vector<long> rank(p.facts.size(), -1);
    // For ask_first: the highest severity among a fact's open rules (-1: none has one), how many miss it.
    std::vector<long> severity(p.facts.size(), -1), open_rules(p.facts.size(), 0);
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        if (x.outcomes[i] != Outcome::undetermined) continue;
        const auto& r = p.rules[i];
        const long reach = static_cast<long>(std::max({for_score(x.score + r.score), fired_severity,
                                                       r.severity >= 0 ? static_cast<std::size_t>(r.severity) : 0}));
        for (int f : missing_sets[i]) {
            const auto k = static_cast<std::size_t>(f);
            rank[k] = std::max(rank[k], reach);
            severity[k] = std::max(severity[k], static_cast<long>(r.severity));
            ++open_rules[k];
        }
    }
    // A rule a presumption decided: what would settle it ranks as an anchor's facts if it fired, as
    // an undetermined rule's if it did not.
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        if (x.outcomes[i] == Outcome::undetermined) continue;
        std::set<int> m;
        ref.presumed(p.rules[i].when, m);
        const auto& r = p.rules[i];
        const long reach = x.outcomes[i] == Outcome::fired
                               ? static_cast<long>(x.level)
                               : static_cast<long>(std::max({for_score(x.score + r.score), fired_severity,
                                                             r.severity >= 0 ? static_cast<std::size_t>(r.severity) : 0}));
        for (int f : m) rank[static_cast<std::size_t>(f)] = std::max(rank[static_cast<std::size_t>(f)], reach);
    }
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
        if (x.outcomes[i] != Outcome::fired) continue;
        for (const auto& a : p.rules[i].actions) {
            if (a.days < 0 || !a.anchor) continue;
            std::set<int> m;
            ref.missing(*a.anchor, m);
            for (int f : m) rank[static_cast<std::size_t>(f)] = std::max(rank[static_cast<std::size_t>(f)], static_cast<long>(x.level));
        }
    }
    std::vector<std::size_t> order;
    for (std::size_t f = 0; f < rank.size(); ++f) {
        if (rank[f] >= 0) order.push_back(f);
    }
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return rank[a] > rank[b]; });
    for (auto f : order) x.case_missing.push_back(p.facts[f].path);
    // Ask first: the facts ranked above the level, by rank, severity, open rules, declaration order; five at most.
    std::erase_if(order, [&](auto f) { return rank[f] <= static_cast<long>(x.level); });
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
        if (rank[a] != rank[b]) return rank[a] > rank[b];
        if (severity[a] != severity[b]) return severity[a] > severity[b];
        return open_rules[a] > open_rules[b];
    });
    for (std::size_t i = 0; i < order.size() && i < 5; ++i) x.ask_first.push_back(p.facts[order[i]].path);
    return x;
}

bia::Result evaluate(const bia::Pack& pack, const std::string& json, bia::Date as_of = as_of_default) {
    bia::EvalOptions options;
    options.as_of = as_of;
    auto e = pack.evaluate(json, options);
    if (!e.ok()) {
        ADD_FAILURE() << "fact errors:\n" << bia_test::describe_errors(e.errors) << json;
        throw std::runtime_error("fact errors");
    }
    return std::move(*e.result);
}

struct Generated {
    PackDef def;
    std::string source;
    bia::Pack pack;
};

// With `v2`, a language 2 pack: the same rules, every number and date fact imprecise.
Generated generate(Gen& g, bool v2 = false) {
    PackDef def = g.pack();
    def.v2 = v2;
    std::string source = source_of(def);
    auto compiled = bia::compile(source, "gen.bia");
    if (!compiled.ok()) {
        ADD_FAILURE() << "a generated pack did not compile:\n" << bia::format_diagnostics(compiled.diagnostics) << source;
        throw std::runtime_error("generated pack");
    }
    return Generated{std::move(def), std::move(source), std::move(*compiled.pack)};
}

std::size_t packs() { return static_cast<std::size_t>(150 * scale()); }
std::size_t cases() { return static_cast<std::size_t>(40 * scale()); }

// ---- the engine against the reference ------------------------------------

TEST(Property, EngineAgreesWithTheReferenceEvaluator) {
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() + n);
        const Generated gp = generate(g);
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case c = random_case(g, gp.def);
            const bia::Date as_of = g.chance(80) ? as_of_default : bia::Date::from_days(epoch_2000 + g.below(365 * 40));
            const std::string json = json_of(gp.def, c, &g);
            const bia::Result r = evaluate(gp.pack, json, as_of);
            const Expected x = expect(gp.def, c, as_of);
            SCOPED_TRACE("pack seed " + std::to_string(base_seed() + n) + ", case " + json + ", as of " +
                         as_of.to_string() + "\n" + gp.source);
            for (std::size_t i = 0; i < gp.def.rules.size(); ++i) {
                const auto& name = gp.def.rules[i].name;
                ASSERT_EQ(outcome_name(outcome_of(r, name)), std::string(outcome_name(x.outcomes[i]))) << "rule " << name;
                if (x.outcomes[i] == Outcome::undetermined) {
                    EXPECT_EQ(bia_test::undetermined(r, name)->missing, x.missing[i]) << "missing of rule " << name;
                }
                if (x.outcomes[i] == Outcome::fired) {
                    const auto* f = bia_test::fired_rule(r, name);
                    ASSERT_EQ(f->actions.size(), x.due[i].size());
                    for (std::size_t a = 0; a < x.due[i].size(); ++a) {
                        const auto& due = f->actions[a].due;
                        ASSERT_EQ(due.has_value(), x.due[i][a].has_value()) << "due date of an action of " << name;
                        if (due) {
                            EXPECT_EQ(due->days(), *x.due[i][a]);
                            EXPECT_EQ(f->actions[a].overdue, *x.due[i][a] < as_of.days());
                        } else {
                            EXPECT_FALSE(f->actions[a].overdue);
                        }
                    }
                }
            }
            EXPECT_EQ(r.score, x.score);
            EXPECT_EQ(r.possible_score, x.possible_score);
            EXPECT_EQ(r.level, "l" + std::to_string(x.level));
            EXPECT_EQ(r.possible_level, "l" + std::to_string(x.possible_level));
            EXPECT_EQ(r.missing, x.case_missing);
            EXPECT_EQ(r.ask_first, x.ask_first);
            if (::testing::Test::HasFailure()) return;  // one reproducible failure is enough to read
        }
    }
}

// ---- Kleene's laws, engine against engine ---------------------------------

TEST(Property, KleeneLaws) {
    // Each law is a pair of rules that must have the same outcome on every case.
    struct Law {
        const char* name;
        std::string left, right;
    };
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 7 + n);
        PackDef def = g.pack();
        g.set_pack(&def);
        const std::string a = text_of(def, g.gen(Ty::B, 2)), b = text_of(def, g.gen(Ty::B, 2)),
                          c = text_of(def, g.gen(Ty::B, 1));
        const std::vector<Law> laws = {
            {"de_morgan_and", "not (" + a + " and " + b + ")", "(not " + a + ") or (not " + b + ")"},
            {"de_morgan_or", "not (" + a + " or " + b + ")", "(not " + a + ") and (not " + b + ")"},
            {"absorption_or", a + " or (" + a + " and " + b + ")", a},
            {"absorption_and", a + " and (" + a + " or " + b + ")", a},
            {"double_negation", "not (not " + a + ")", a},
            {"commutative_and", a + " and " + b, b + " and " + a},
            {"commutative_or", a + " or " + b, b + " or " + a},
            {"associative_and", "(" + a + " and " + b + ") and " + c, a + " and (" + b + " and " + c + ")"},
            {"distributive", a + " and (" + b + " or " + c + ")", "(" + a + " and " + b + ") or (" + a + " and " + c + ")"},
            {"identity", a + " and true", a + " or false"},
            // The presumptions are each other's duals, and agree with their operand where it is known.
            {"presumptions_dual", "possibly(" + a + ")", "not certainly(not " + a + ")"},
            {"certainty_within_possibility", "possibly(" + a + ") and certainly(" + a + ")", "certainly(" + a + ")"},
        };
        std::string source = source_of(PackDef{def.facts, def.lets, {std::nullopt}, 0, {}});
        if (source.find("\nlanguage 2\n") == std::string::npos) source = "language 2\n" + source;
        for (std::size_t i = 0; i < laws.size(); ++i) {
            source += "rule " + std::string(laws[i].name) + "_l \"l\" when " + laws[i].left + "\n";
            source += "rule " + std::string(laws[i].name) + "_r \"r\" when " + laws[i].right + "\n";
        }
        // known() is total: never unknown, true exactly when the fact has a (non-null) value.
        for (std::size_t f = 0; f < def.facts.size(); ++f) {
            source += "rule known_" + std::to_string(f) + " \"k\" when known(" + def.facts[f].path + ")\n";
            source += "rule known_or_not_" + std::to_string(f) + " \"k\" when known(" + def.facts[f].path +
                      ") or not known(" + def.facts[f].path + ")\n";
        }
        const bia::Pack pack = bia_test::must_compile(source, "laws.bia");
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case cs = random_case(g, def, 50);
            const bia::Result r = evaluate(pack, json_of(def, cs, &g));
            SCOPED_TRACE("seed " + std::to_string(base_seed() * 7 + n) + "\n" + source);
            for (const auto& law : laws) {
                EXPECT_EQ(outcome_name(outcome_of(r, std::string(law.name) + "_l")),
                          std::string(outcome_name(outcome_of(r, std::string(law.name) + "_r"))))
                    << law.name << ": " << law.left << "  vs  " << law.right;
            }
            for (std::size_t f = 0; f < def.facts.size(); ++f) {
                EXPECT_EQ(outcome_of(r, "known_" + std::to_string(f)), cs[f] ? Outcome::fired : Outcome::not_fired);
                EXPECT_EQ(outcome_of(r, "known_or_not_" + std::to_string(f)), Outcome::fired);
            }
            if (::testing::Test::HasFailure()) return;
        }
    }
}

// ---- determinism and bounds ----------------------------------------------

TEST(Property, EvaluationIsDeterministic) {
    for (std::size_t n = 0; n < packs() / 3; ++n) {
        Gen g(base_seed() * 11 + n);
        const Generated gp = generate(g);
        const auto again = bia::compile(gp.source, "gen.bia");
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(again.pack->digest(), gp.pack.digest());
        for (std::size_t k = 0; k < cases() / 2; ++k) {
            const std::string json = json_of(gp.def, random_case(g, gp.def), &g);
            const std::string first = bia::render_json(evaluate(gp.pack, json));
            EXPECT_EQ(bia::render_json(evaluate(gp.pack, json)), first);
            EXPECT_EQ(bia::render_json(evaluate(*again.pack, json)), first);
            bia::EvalOptions options;
            options.as_of = as_of_default;
            const auto from_value = gp.pack.evaluate(nlohmann::json::parse(json), options);
            ASSERT_TRUE(from_value.ok());
            EXPECT_EQ(bia::render_json(*from_value.result), first) << "JSON text and parsed value differ";
            const bia::Result r = evaluate(gp.pack, json);
            EXPECT_EQ(bia::render_text(r, gp.pack), bia::render_text(evaluate(gp.pack, json), gp.pack));
        }
    }
}

TEST(Property, PossibleBoundsTheOutcome) {
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 13 + n);
        const Generated gp = generate(g);
        for (std::size_t k = 0; k < cases(); ++k) {
            const bia::Result r = evaluate(gp.pack, json_of(gp.def, random_case(g, gp.def), &g));
            EXPECT_GE(r.possible_score, r.score);
            EXPECT_GE(level_index(gp.pack, r.possible_level), level_index(gp.pack, r.level));
        }
    }
}

// ---- monotonicity in the facts, for packs without known() ------------------

// Gives values to some of the unknown facts of `c` and checks the new result stays within the
// old [score, possible_score] and [level, possible_level]; fired and not-fired rules keep their
// outcome (Kleene logic is monotone in what is known).
void check_monotone(const bia::Pack& pack, const std::string& before_json, const std::string& after_json,
                    const std::string& trace) {
    const bia::Result before = evaluate(pack, before_json);
    const bia::Result after = evaluate(pack, after_json);
    SCOPED_TRACE(trace + "\nbefore: " + before_json + "\nafter: " + after_json);
    EXPECT_GE(after.score, before.score);
    EXPECT_LE(after.score, before.possible_score);
    EXPECT_GE(level_index(pack, after.level), level_index(pack, before.level));
    EXPECT_LE(level_index(pack, after.level), level_index(pack, before.possible_level));
    EXPECT_LE(after.possible_score, before.possible_score);
    EXPECT_LE(level_index(pack, after.possible_level), level_index(pack, before.possible_level));
    for (const auto& rule : pack.rules()) {
        const Outcome was = outcome_of(before, rule.name);
        if (was != Outcome::undetermined) {
            EXPECT_EQ(outcome_of(after, rule.name), was) << "rule " << rule.name << " changed once more was known";
        }
    }
}

TEST(Property, GivingAValueStaysWithinPossibleForPacksWithoutKnown) {
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 17 + n, Options{false, true});
        const Generated gp = generate(g);
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case before = random_case(g, gp.def, 60);
            Case after = before;
            for (std::size_t f = 0; f < after.size(); ++f) {
                if (!after[f] && g.chance(50)) after[f] = random_value(g, gp.def.facts[f]);
            }
            check_monotone(gp.pack, json_of(gp.def, before), json_of(gp.def, after),
                           "seed " + std::to_string(base_seed() * 17 + n) + "\n" + gp.source);
            if (::testing::Test::HasFailure()) return;
        }
    }
}

// ---- undetermined rules and their missing facts ---------------------------

TEST(Property, AnUndeterminedRuleIsDecidedByItsMissingFacts) {
    // Without division (x / 0 is unknown whatever x is) and without known() (see the two tests
    // below), giving every fact a rule lists as missing a value decides the rule: so some value
    // of them changes its outcome.
    std::size_t checked = 0;
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 19 + n, Options{false, false});
        const Generated gp = generate(g);
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case c = random_case(g, gp.def, 60);
            const bia::Result r = evaluate(gp.pack, json_of(gp.def, c));
            for (const auto& u : r.undetermined) {
                EXPECT_FALSE(u.missing.empty()) << "rule " << u.rule << " is undetermined but misses nothing";
                for (int attempt = 0; attempt < 3; ++attempt) {
                    Case filled = c;
                    for (std::size_t f = 0; f < gp.def.facts.size(); ++f) {
                        if (std::find(u.missing.begin(), u.missing.end(), gp.def.facts[f].path) != u.missing.end()) {
                            filled[f] = random_value(g, gp.def.facts[f]);
                        }
                    }
                    const bia::Result after = evaluate(gp.pack, json_of(gp.def, filled));
                    ++checked;
                    EXPECT_NE(outcome_of(after, u.rule), Outcome::undetermined)
                        << "rule " << u.rule << " stays undetermined once " << ::testing::PrintToString(u.missing)
                        << " are known\n"
                        << json_of(gp.def, filled) << "\n"
                        << gp.source;
                }
                if (::testing::Test::HasFailure()) return;
            }
        }
    }
    EXPECT_GT(checked, 100u);
}

TEST(Property, DivisionByZeroKeepsARuleUndeterminedWhateverItsMissingFacts) {
    // The documented exception to the rule above: `missing` is structural, so a rule whose
    // outcome hangs on a division by zero lists a fact that cannot decide it.
    const auto pack = bia_test::must_compile(
        "pack p version \"1.0.0\" \"t\"\nlevel low\nfact n : number\nfact m : number\n"
        "rule r \"t\" when n / (m - m) > 1\n");
    const auto r = bia_test::must_evaluate(pack, R"({"n": 1})");
    ASSERT_NE(bia_test::undetermined(r, "r"), nullptr);
    EXPECT_EQ(bia_test::undetermined(r, "r")->missing, std::vector<std::string>{"m"});
    for (int m : {-1, 0, 1, 7}) {
        const auto after = bia_test::must_evaluate(pack, "{\"n\": 1, \"m\": " + std::to_string(m) + "}");
        EXPECT_NE(bia_test::undetermined(after, "r"), nullptr);
    }
}

TEST(Property, KnownCanKeepARuleUndeterminedWhateverItsMissingFacts) {
    // The other documented exception: known(x) is false while x is unknown, so `known(x) and b`
    // is false and b is not missing; once x has any value, b decides the rule.
    const auto pack = bia_test::must_compile(
        "pack p version \"1.0.0\" \"t\"\nlevel low\nfact x : number\nfact b : bool\n"
        "rule r \"t\" when (x > 0 or x <= 0) and not (known(x) and b)\n");
    const auto r = bia_test::must_evaluate(pack, "{}");
    ASSERT_NE(bia_test::undetermined(r, "r"), nullptr);
    EXPECT_EQ(bia_test::undetermined(r, "r")->missing, std::vector<std::string>{"x"});
    for (int x : {-1, 0, 1}) {
        const auto after = bia_test::must_evaluate(pack, "{\"x\": " + std::to_string(x) + "}");
        ASSERT_NE(bia_test::undetermined(after, "r"), nullptr);
        EXPECT_EQ(bia_test::undetermined(after, "r")->missing, std::vector<std::string>{"b"});
    }
}

// ---- the same properties on the PROTECT pack -----------------------------

struct Protect {
    bia::Pack full;
    bia::Pack qualifying;             // only the rules that do not reach known()
    std::vector<std::string> dropped; // rules left out of `qualifying`
    std::vector<nlohmann::json> cases;
};

// Splits a pack file into top-level items (a declaration starts a line with a keyword).
std::vector<std::string> items_of(const std::string& text) {
    static const std::regex start(R"(^(pack|source|fact|let|level|domain|rule|test)\b)");
    std::vector<std::string> items;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (std::regex_search(line, start) || items.empty()) items.emplace_back();
        items.back() += line + "\n";
    }
    return items;
}

const Protect& protect() {
    static const Protect p = [] {
        const std::filesystem::path dir = std::filesystem::path(BIA_SOURCE_DIR) / "rules" / "protect";
        auto full = bia::load(dir);
        if (!full.ok()) throw std::runtime_error(bia::format_diagnostics(full.diagnostics));
        // Lets that reach known(), found by a fixed point over the let definitions.
        std::vector<std::string> items;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (e.path().extension() == ".bia") files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            for (auto& item : items_of(bia_test::read_file(f))) items.push_back(std::move(item));
        }
        // Nearly every rule reads presumed_child, which reaches known() and, since 1.3, possibly():
        // neither is monotone. Held true, it leaves the rest of each rule to test.
        for (auto& item : items) {
            if (std::regex_search(item, std::regex(R"(^let presumed_child\b)"))) item = "let presumed_child = true\n";
        }
        std::set<std::string> tainted;
        auto reaches_known = [&](const std::string& item) {
            // known() and the presumptions (language 2) are the operations that are not monotone.
            for (const char* op : {"known(", "possibly(", "certainly("}) {
                if (item.find(op) != std::string::npos) return true;
            }
            for (const auto& t : tainted) {
                if (std::regex_search(item, std::regex("\\b" + t + "\\b"))) return true;
            }
            return false;
        };
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& item : items) {
                std::smatch m;
                if (std::regex_search(item, m, std::regex(R"(^let (\w+))")) && !tainted.count(m[1]) && reaches_known(item)) {
                    tainted.insert(m[1]);
                    grew = true;
                }
            }
        }
        std::string source;
        std::vector<std::string> dropped;
        for (const auto& item : items) {
            if (item.rfind("test", 0) == 0) continue;  // the pack's own tests name dropped rules
            std::smatch m;
            if (std::regex_search(item, m, std::regex(R"(^(rule|let) (\w+))")) && reaches_known(item)) {
                if (m[1] == "rule") dropped.push_back(m[2]);
                continue;
            }
            source += item;
        }
        auto qualifying = bia::compile(source, "protect-without-known.bia");
        if (!qualifying.ok()) throw std::runtime_error(bia::format_diagnostics(qualifying.diagnostics));
        std::vector<nlohmann::json> cases;
        for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(BIA_SOURCE_DIR) / "examples" / "cases")) {
            if (e.path().extension() == ".json") cases.push_back(nlohmann::json::parse(bia_test::read_file(e.path())));
        }
        return Protect{*full.pack, *qualifying.pack, dropped, cases};
    }();
    return p;
}

// The leaf paths of a case with their values.
void leaves(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, nlohmann::json>>& out) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
        // A number range ({"min": a, "max": b}, language 2) is one fact's value, not an object of facts.
        const bool range = it.value().is_object() && (it.value().contains("min") || it.value().contains("max"));
        if (it.value().is_object() && !range) leaves(it.value(), path, out);
        else out.emplace_back(path, it.value());
    }
}

nlohmann::json from_leaves(const std::vector<std::pair<std::string, nlohmann::json>>& ls) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [path, value] : ls) put(j, path, value);
    return j;
}

// A random value of a PROTECT fact, for giving an unknown fact a value.
nlohmann::json protect_value(std::mt19937_64& rng, const bia::FactInfo& f) {
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    switch (f.type) {
        case bia::FactType::boolean: return below(2) == 0;
        case bia::FactType::number: return static_cast<double>(below(6));
        case bia::FactType::text: return "x";
        case bia::FactType::date:
            return bia::Date::from_days(as_of_default.days() - static_cast<std::int32_t>(below(365 * 20))).to_string();
        case bia::FactType::one_of: return f.members[below(f.members.size())];
        case bia::FactType::list: return nlohmann::json::array();
        case bia::FactType::set_of: {
            nlohmann::json a = nlohmann::json::array();
            for (const auto& m : f.members) {
                if (below(4) == 0) a.push_back(m);
            }
            return a;
        }
    }
    return nullptr;
}

TEST(Property, ProtectRulesWithoutKnownAreMonotone) {
    const Protect& p = protect();
    // With presumed_child held true, what is left must still be real.
    EXPECT_GE(p.qualifying.rules().size(), 10u) << "rules left out: " << ::testing::PrintToString(p.dropped);
    std::printf("PROTECT rules without known(): %zu of %zu\n", p.qualifying.rules().size(), p.full.rules().size());
    std::mt19937_64 rng(base_seed());
    for (int round = 0; round < 30 * scale(); ++round) {
        for (const auto& full_case : p.cases) {
            // Forget some of the case's facts, then give some of the unknown ones a value.
            std::vector<std::pair<std::string, nlohmann::json>> ls;
            leaves(full_case, "", ls);
            std::vector<std::pair<std::string, nlohmann::json>> kept;
            for (const auto& l : ls) {
                if (rng() % 3 != 0) kept.push_back(l);
            }
            std::vector<std::pair<std::string, nlohmann::json>> more = kept;
            for (const auto& f : p.qualifying.facts()) {
                const bool present = std::any_of(kept.begin(), kept.end(), [&](const auto& l) { return l.first == f.path; });
                if (!present && rng() % 3 == 0) more.emplace_back(f.path, protect_value(rng, f));
            }
            check_monotone(p.qualifying, from_leaves(kept).dump(), from_leaves(more).dump(), "PROTECT without known()");
            if (::testing::Test::HasFailure()) return;
        }
    }
}

TEST(Property, ProtectUndeterminedRulesAreDecidedByTheirMissingFacts) {
    // PROTECT has no division, so giving all of a rule's missing facts values must decide it;
    // and for each undetermined rule some value of them must change its outcome.
    const Protect& p = protect();
    std::mt19937_64 rng(base_seed() + 1);
    std::map<std::string, const bia::FactInfo*> facts;
    for (const auto& f : p.full.facts()) facts[f.path] = &f;
    std::size_t checked = 0;
    for (const auto& full_case : p.cases) {
        std::vector<std::pair<std::string, nlohmann::json>> ls;
        leaves(full_case, "", ls);
        for (int round = 0; round < 3 * scale(); ++round) {
            std::vector<std::pair<std::string, nlohmann::json>> kept;
            for (const auto& l : ls) {
                if (rng() % 4 != 0) kept.push_back(l);
            }
            const std::string json = from_leaves(kept).dump();
            const bia::Result r = evaluate(p.full, json);
            for (const auto& u : r.undetermined) {
                auto filled = kept;
                for (const auto& m : u.missing) filled.emplace_back(m, protect_value(rng, *facts.at(m)));
                const bia::Result after = evaluate(p.full, from_leaves(filled).dump());
                ++checked;
                EXPECT_NE(outcome_of(after, u.rule), Outcome::undetermined)
                    << "rule " << u.rule << " stays undetermined once " << ::testing::PrintToString(u.missing)
                    << " are known\nbefore: " << json << "\nafter: " << from_leaves(filled).dump();
            }
            if (::testing::Test::HasFailure()) return;
        }
    }
    EXPECT_GT(checked, 50u);
}

// ---- a block of cases against one case at a time ---------------------------

// Evaluates the cases in blocks of 1 to 64, one at a time, and one at a time
// over the plan with a step for every node (what explanations run), and checks
// that every node with a test or a step has the value the oracle (each node's
// meaning applied to every node) gives it on each path, and every column of
// the block the same value.
void check_blocks_agree(const bia::Pack& pack, const std::vector<std::string>& cases, std::int32_t as_of,
                        std::mt19937_64& rng, const std::string& context) {
    const auto& plan = bia::detail::compiled(pack).plan;
    const auto every_plan = bia::compiler::with_every_node(plan);
    // What explain runs: every node of one rule's cone (a rule picked per call), and no other.
    const std::uint32_t cone_root = plan.rules.empty() ? 0 : plan.rules[rng() % plan.rules.size()].root;
    const auto cone_plan = bia::compiler::with_every_node(plan, cone_root);
    if (!plan.rules.empty()) {
        ASSERT_TRUE(std::any_of(cone_plan.steps.begin(), cone_plan.steps.end(),
                                [&](const auto& s) { return s.out == cone_root; }))
            << context;
        ASSERT_LE(cone_plan.steps.size(), every_plan.steps.size()) << context;
    }
    std::vector<std::uint32_t> evaluated;  // the nodes with a test or a step
    for (const auto& t : plan.range_tests) evaluated.push_back(t.out);
    for (const auto* tests : {&plan.index_tests, &plan.bit_tests}) {
        for (const auto& t : *tests) evaluated.push_back(t.out);
    }
    for (const auto& s : plan.steps) evaluated.push_back(s.out);
    std::vector<bia::eval::BoundCase> bound(bia::eval::block_lanes);
    bia::eval::FactBlock block;
    bia::eval::BlockScratch block_scratch;
    bia::eval::CaseRun alone_run, every_run, cone_run;
    for (std::size_t first = 0; first < cases.size();) {
        const std::size_t size = std::min<std::size_t>(cases.size() - first, 1 + rng() % bia::eval::block_lanes);
        bia::eval::start_block(plan, block);
        for (std::size_t k = 0; k < size; ++k) {
            bia::eval::bind_json_text(plan, cases[first + k], {}, bound[k]);
            ASSERT_TRUE(bound[k].errors.empty()) << context << ": " << cases[first + k];
            bia::eval::add_to_block(plan, bound[k], block);
        }
        bia::eval::run_block(plan, block, as_of, block_scratch);
        for (std::uint32_t lane = 0; lane < size; ++lane) {
            const auto want = bia_test::reference_values(plan, bound[lane], as_of);
            bia::eval::run_case(plan, bound[lane], as_of, alone_run);
            bia::eval::run_case(every_plan, bound[lane], as_of, every_run);
            const bia::eval::CaseValues alone = bia::eval::case_values(plan, alone_run);
            const bia::eval::CaseValues every = bia::eval::case_values(every_plan, every_run);
            const bia::eval::CaseValues in_block = bia::eval::lane_values(plan, block_scratch, block, lane);
            bia::eval::run_case(cone_plan, bound[lane], as_of, cone_run);
            const bia::eval::CaseValues cone = bia::eval::case_values(cone_plan, cone_run);
            for (const auto& step : cone_plan.steps) {
                ASSERT_TRUE(bia_test::same_value(plan, cone, want[step.out], step.out))
                    << context << ": case " << cases[first + lane] << ", node " << step.out << " (cone of rule root "
                    << cone_root << ")";
            }
            for (std::uint32_t slot = 0; slot < plan.slots.size(); ++slot) {
                if (plan.block.slot_offset[slot] == bia::compiler::none) continue;  // nothing reads it
                ASSERT_EQ(bia::eval::known_fact(in_block, slot), bound[lane].slots[slot].known)
                    << context << ": case " << cases[first + lane] << ", fact slot " << slot;
                ASSERT_EQ(bia::eval::known_fact(alone, slot), bound[lane].slots[slot].known)
                    << context << ": case " << cases[first + lane] << ", fact slot " << slot;
            }
            for (const std::uint32_t i : evaluated) {
                const std::string where = context + ": case " + cases[first + lane] + ", node " + std::to_string(i) +
                                          " (operation " + std::to_string(static_cast<int>(plan.nodes[i].op)) + ")";
                ASSERT_TRUE(bia_test::same_value(plan, in_block, want[i], i)) << where << " (block lane " << lane << ")";
                ASSERT_TRUE(bia_test::same_value(plan, alone, want[i], i)) << where << " (one case)";
                ASSERT_TRUE(bia_test::same_value(plan, every, want[i], i)) << where << " (every node)";
                const bool known = want[i].known;
                if (plan.info[i].kind == bia::compiler::NodeKind::boolean) {
                    const bool holds = known && want[i].num != 0;
                    ASSERT_EQ((block_scratch.holds[i] >> lane) & 1u, holds) << where;
                    ASSERT_EQ((block_scratch.fails[i] >> lane) & 1u, known && !holds) << where;
                }
            }
        }
        first += size;
    }
}

TEST(Property, BlockEvaluationAgreesWithOneCaseAtATime) {
    std::mt19937_64 rng(base_seed() + 23);
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 23 + n);
        const Generated gp = generate(g);
        std::vector<std::string> jsons;
        for (std::size_t k = 0; k < 3 * cases(); ++k) jsons.push_back(json_of(gp.def, random_case(g, gp.def), &g));
        const std::int32_t as_of = g.chance(80) ? as_of_default.days() : epoch_2000 + g.below(365 * 40);
        check_blocks_agree(gp.pack, jsons, as_of, rng, "pack seed " + std::to_string(base_seed() * 23 + n) + "\n" + gp.source);
        if (::testing::Test::HasFailure()) return;
    }
}

// The training cases, each `rounds` times with some facts forgotten and, when
// `give` is set, others given a random value.
std::vector<std::string> protect_variants(std::mt19937_64& rng, int rounds, bool give) {
    const Protect& p = protect();
    std::vector<std::string> jsons;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& full_case : p.cases) {
            std::vector<std::pair<std::string, nlohmann::json>> ls, kept;
            leaves(full_case, "", ls);
            for (const auto& l : ls) {
                if (rng() % 3 != 0) kept.push_back(l);
            }
            for (const auto& f : p.full.facts()) {
                if (give && rng() % 6 == 0) kept.emplace_back(f.path, protect_value(rng, f));
            }
            jsons.push_back(from_leaves(kept).dump());
        }
    }
    return jsons;
}

TEST(Property, ProtectBlockEvaluationAgreesWithOneCaseAtATime) {
    std::mt19937_64 rng(base_seed() + 29);
    check_blocks_agree(protect().full, protect_variants(rng, 20 * scale(), true), as_of_default.days(), rng, "PROTECT");
}

// Pack::evaluate_batch, the public face of block evaluation: every case gets
// what it gets alone, results, summaries and fact errors alike.
void check_batch_agrees(const bia::Pack& pack, const std::vector<std::string>& jsons, bia::Date as_of,
                        std::mt19937_64& rng, const std::string& context) {
    bia::EvalOptions options;
    options.as_of = as_of;
    std::vector<bia::BatchCase> batch(jsons.size());
    std::vector<bia::Result> results(jsons.size());
    std::vector<bia::Summary> summaries(jsons.size());
    std::vector<std::vector<bia::FactError>> errors(jsons.size());
    for (std::size_t i = 0; i < jsons.size(); ++i) {
        batch[i].json = jsons[i];
        switch (rng() % 4) {
            case 0: batch[i].summary = &summaries[i]; break;
            case 1: break;  // neither: only whether it could be evaluated
            default: batch[i].result = &results[i]; break;
        }
        if (rng() % 5 != 0) batch[i].errors = &errors[i];
    }
    pack.evaluate_batch(batch, options);
    for (std::size_t i = 0; i < jsons.size(); ++i) {
        const bia::Evaluation alone = pack.evaluate(jsons[i], options);
        const std::string where = context + ": case " + std::to_string(i) + " " + jsons[i];
        ASSERT_EQ(batch[i].evaluated, alone.ok()) << where;
        if (batch[i].errors) {
            ASSERT_EQ(bia::to_json(errors[i]).dump(), bia::to_json(alone.errors).dump()) << where;
        }
        if (!alone.ok()) continue;
        if (batch[i].result) {
            ASSERT_EQ(bia::render_json(results[i]), bia::render_json(*alone.result)) << where;
        }
        if (batch[i].summary) {
            bia::Summary s;
            std::vector<bia::FactError> e;
            ASSERT_TRUE(pack.summarize_into(jsons[i], options, s, e));
            const bia::Summary& b = summaries[i];
            ASSERT_EQ(b.level, s.level) << where;
            ASSERT_EQ(b.possible_level, s.possible_level) << where;
            ASSERT_EQ(b.score, s.score) << where;
            ASSERT_EQ(b.possible_score, s.possible_score) << where;
            ASSERT_EQ(b.fired, s.fired) << where;
            ASSERT_EQ(b.undetermined, s.undetermined) << where;
            ASSERT_EQ(b.missing, s.missing) << where;
            ASSERT_EQ(b.overdue.size(), s.overdue.size()) << where;
            for (std::size_t k = 0; k < s.overdue.size(); ++k) {
                ASSERT_EQ(b.overdue[k].rule, s.overdue[k].rule) << where;
                ASSERT_EQ(b.overdue[k].action, s.overdue[k].action) << where;
            }
        }
    }
}

TEST(Property, EvaluateBatchGivesEachCaseWhatItGetsAlone) {
    std::mt19937_64 rng(base_seed() + 31);
    // Cases the binder refuses, mixed in: they must take no lane.
    static const std::vector<std::string> refused = {"[]", "{", "{\"g0\": 5}", "null"};
    for (std::size_t n = 0; n < packs() / 3; ++n) {
        Gen g(base_seed() * 31 + n);
        const Generated gp = generate(g);
        std::vector<std::string> jsons;
        for (std::size_t k = 0; k < 4 * cases(); ++k) {
            jsons.push_back(g.chance(10) ? refused[rng() % refused.size()] : json_of(gp.def, random_case(g, gp.def), &g));
        }
        const bia::Date as_of = g.chance(80) ? as_of_default : bia::Date::from_days(epoch_2000 + g.below(365 * 40));
        check_batch_agrees(gp.pack, jsons, as_of, rng, "pack seed " + std::to_string(base_seed() * 31 + n) + "\n" + gp.source);
        if (::testing::Test::HasFailure()) return;
    }
}

TEST(Property, ProtectEvaluateBatchGivesEachCaseWhatItGetsAlone) {
    std::mt19937_64 rng(base_seed() + 37);
    check_batch_agrees(protect().full, protect_variants(rng, 10 * scale(), false), as_of_default, rng, "PROTECT");
}

}  // namespace

// ---- intervals (language 2: partial dates, number ranges) -----------------------

namespace {

// One number or date fact given as an interval around the case's value, and the points it holds.
struct Widened {
    std::size_t fact = 0;
    nlohmann::json interval;       // {"min", "max"} or a partial date string
    std::vector<double> points;    // values in it: its ends, and the case's own
};

std::vector<Widened> widen(Gen& g, const PackDef& p, const Case& c) {
    static const double widths[] = {0, 0.5, 1, 2, 7};
    std::vector<Widened> out;
    for (std::size_t i = 0; i < p.facts.size(); ++i) {
        if (!c[i] || (p.facts[i].ty != Ty::N && p.facts[i].ty != Ty::D) || g.chance(30)) continue;
        const double v = c[i]->num;
        Widened w;
        w.fact = i;
        if (p.facts[i].ty == Ty::N) {
            const double lo = v - widths[g.below(5)], hi = v + widths[g.below(5)];
            w.interval = {{"min", lo}, {"max", hi}};
            w.points = {lo, hi, v, lo + (hi - lo) / 3};
        } else {
            const bia::Date d = bia::Date::from_days(static_cast<std::int32_t>(v));
            const std::string text = d.to_string().substr(0, g.chance(50) ? 4 : 7);
            const auto span = bia::Date::parse_partial(text);
            w.interval = text;
            w.points = {static_cast<double>(span->first.days()), static_cast<double>(span->second.days()), v};
        }
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace

TEST(Property, AnIntervalOfWidthZeroMeansWhatItsValueMeans) {
    // Every number given as {"min": v, "max": v}: the result is the one the number gives.
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 23 + n);
        const Generated gp = generate(g, /*v2=*/true);
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case c = random_case(g, gp.def);
            nlohmann::json ranged = nlohmann::json::parse(json_of(gp.def, c));
            for (std::size_t i = 0; i < gp.def.facts.size(); ++i) {
                if (c[i] && gp.def.facts[i].ty == Ty::N) put(ranged, gp.def.facts[i].path, {{"min", c[i]->num}, {"max", c[i]->num}});
            }
            const bia::Result exact = evaluate(gp.pack, json_of(gp.def, c));
            const bia::Result width_zero = evaluate(gp.pack, ranged.dump());
            ASSERT_EQ(bia::render_json(width_zero), bia::render_json(exact))
                << "pack seed " << base_seed() * 23 + n << ", case " << ranged.dump() << "\n" << gp.source;
            EXPECT_TRUE(width_zero.imprecise.empty());
        }
    }
}

TEST(Property, AnIntervalDecidesOnlyWhatEveryValueInItDecides) {
    // A rule an interval case fires (or does not) fires (or does not) for every value in the
    // intervals: narrowing an interval never turns a true or a false into its opposite. And a
    // fact listed as imprecise is one the case gives as a wider interval, listed as missing.
    // Without presumptions, which decide for an unknown (or an interval that straddles) by design:
    // certainly(x) is false while x is open and may turn true once it is narrowed.
    std::size_t decided = 0, open = 0;
    for (std::size_t n = 0; n < packs(); ++n) {
        Gen g(base_seed() * 29 + n, Options{false, true});
        const Generated gp = generate(g, /*v2=*/true);
        std::vector<std::string> texts, singles;
        for (std::size_t k = 0; k < cases(); ++k) {
            const Case c = random_case(g, gp.def);
            const std::vector<Widened> widened = widen(g, gp.def, c);
            nlohmann::json wide = nlohmann::json::parse(json_of(gp.def, c));
            for (const Widened& w : widened) put(wide, gp.def.facts[w.fact].path, w.interval);
            const bia::Result r = evaluate(gp.pack, wide.dump());
            texts.push_back(wide.dump());
            singles.push_back(bia::render_json(r));
            SCOPED_TRACE("pack seed " + std::to_string(base_seed() * 29 + n) + ", case " + wide.dump() + "\n" + gp.source);
            for (const auto& path : r.imprecise) {
                EXPECT_NE(std::find(r.missing.begin(), r.missing.end(), path), r.missing.end()) << path;
            }
            // Points: each widened fact at one of its points, the others at theirs, a few times over.
            for (int attempt = 0; attempt < 4; ++attempt) {
                Case point = c;
                for (const Widened& w : widened) {
                    const double v = w.points[static_cast<std::size_t>(g.below(static_cast<int>(w.points.size())))];
                    point[w.fact]->num = v;
                }
                const bia::Result p = evaluate(gp.pack, json_of(gp.def, point));
                for (const auto& rule : gp.def.rules) {
                    const Outcome wide_outcome = outcome_of(r, rule.name);
                    if (wide_outcome == Outcome::undetermined) {
                        ++open;
                        continue;
                    }
                    ++decided;
                    ASSERT_EQ(outcome_name(outcome_of(p, rule.name)), std::string(outcome_name(wide_outcome)))
                        << "rule " << rule.name << " at the point " << json_of(gp.def, point);
                }
            }
        }
        // The same interval cases 64 at a time (and a part-filled block) as one at a time.
        std::vector<bia::BatchCase> batch(texts.size());
        std::vector<bia::Result> results(texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            batch[i].json = texts[i];
            batch[i].result = &results[i];
        }
        bia::EvalOptions options;
        options.as_of = as_of_default;
        gp.pack.evaluate_batch(batch, options);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            ASSERT_TRUE(batch[i].evaluated);
            ASSERT_EQ(bia::render_json(results[i]), singles[i]) << "pack seed " << base_seed() * 29 + n << ", case " << texts[i];
        }
    }
    // Both kinds were seen, so the test tested something.
    EXPECT_GT(decided, 1000u);
    EXPECT_GT(open, 100u);
}
