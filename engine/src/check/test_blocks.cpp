// The pack's `test` declarations: their cases, given values as JSON, and expectations.
#include "check/checker_impl.hpp"

#include "common/suggest.hpp"

namespace bia::check {

void Checker::check_tests() {
    for (const auto& [d, file] : test_decls_) {
        Test t;
        t.name = d->name.value;
        t.file = file;
        t.span = d->span;
        if (d->as_of) {
            if (auto date = Date::parse(d->as_of->text)) t.as_of_days = date->days();
            else error("E0306", d->as_of->span, d->as_of->text + " is not a calendar date");
        }
        if (d->case_file) t.case_file = d->case_file->value;
        std::set<std::uint32_t> given_seen;
        for (const auto& g : d->given) {
            auto it = values_.find(g.path.text);
            if (it == values_.end() || it->second.kind != Reference::Kind::fact) {
                error("E0309", g.path.span, "unknown fact " + quote(g.path.text) + " in `given`" + suggestion(g.path.text));
                continue;
            }
            if (!given_seen.insert(it->second.index).second) {
                error("E0309", g.path.span, "fact " + quote(g.path.text) + " is given twice in this test");
                continue;
            }
            if (auto json = given_json(p_.facts[it->second.index], g.value)) {
                t.given.push_back({it->second.index, *json});
            }
        }
        for (const auto& x : d->expects) {
            Expectation e;
            e.kind = x.kind;
            e.span = x.span;
            using K = syntax::ExpectKind;
            switch (x.kind) {
                case K::level:
                case K::possible_level: {
                    auto it = level_index_.find(x.name.text);
                    if (it == level_index_.end()) {
                        error("E0309", x.name.span, "unknown level " + quote(x.name.text));
                        continue;
                    }
                    e.target = it->second;
                    break;
                }
                case K::score:
                case K::possible_score: e.number = x.number.value; break;
                case K::fired:
                case K::not_fired:
                case K::undetermined:
                case K::not_undetermined: {
                    auto it = rule_index_.find(x.name.text);
                    if (it == rule_index_.end()) {
                        error("E0309", x.name.span, "unknown rule " + quote(x.name.text));
                        continue;
                    }
                    e.target = it->second;
                    break;
                }
                case K::missing:
                case K::not_missing: {
                    // An element's field: family.members[2].located (language 2).
                    if (const auto element = element_facts_.find(x.name.text); element != element_facts_.end()) {
                        e.target = element->second;
                        break;
                    }
                    auto it = values_.find(x.name.text);
                    if (it == values_.end() || it->second.kind != Reference::Kind::fact) {
                        error("E0309", x.name.span, "unknown fact " + quote(x.name.text) + suggestion(x.name.text));
                        continue;
                    }
                    e.target = it->second.index;
                    break;
                }
            }
            t.expects.push_back(e);
        }
        if (d->expects.empty()) {
            error("E0309", d->name.span, "test \"" + t.name + "\" expects nothing; add at least one `expect` line");
        }
        p_.tests.push_back(std::move(t));
    }
}

std::string Checker::json_string(const std::string& s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

// A given value as the JSON a case would hold, or nothing after reporting why not.
std::optional<std::string> Checker::given_json(const Fact& f, const Expr& v) {
    auto wrong = [&](const char* expected) {
        const std::string type = f.kind == FactKind::list && f.record >= 0
                                     ? "a list of " + p_.records[static_cast<std::size_t>(f.record)].name + " records"
                                     : describe(p_, fact_type(f));
        error("E0309", v.span, "fact " + quote(f.path) + " is " + type + "; give it " + expected);
        return std::nullopt;
    };
    switch (f.kind) {
        case FactKind::boolean:
            if (v.kind != ExprKind::boolean) return wrong("true or false");
            return std::string(v.boolean ? "true" : "false");
        case FactKind::number:
            if (v.kind == ExprKind::number) return v.text;
            if (v.kind == ExprKind::negate && v.args[0].kind == ExprKind::number) return "-" + v.args[0].text;
            if (v.kind == ExprKind::range) {
                if (!f.imprecise) return wrong("one number (a range `16 to 18` is for a number fact of a language 2 pack not declared `exact`)");
                if (v.args[0].number > v.args[1].number) {
                    error("E0309", v.span, "a range goes from the smaller number to the larger: " + v.args[1].text + " to " + v.args[0].text);
                    return std::nullopt;
                }
                return "{\"min\":" + v.args[0].text + ",\"max\":" + v.args[1].text + "}";
            }
            return wrong(f.imprecise ? "a number or a range such as 16 to 18" : "a number");
        case FactKind::text:
            if (v.kind != ExprKind::string) return wrong("a string");
            return json_string(v.text);
        case FactKind::date:
            if (v.kind == ExprKind::name && v.text == "never" && f.never) return std::string("\"never\"");
            if (v.kind == ExprKind::string && f.imprecise) {  // a partial date, "2009" or "2009-05"
                if (!Date::parse_partial(v.text)) {
                    error("E0306", v.span, "\"" + v.text + "\" is not a partial date (\"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\")");
                    return std::nullopt;
                }
                return json_string(v.text);
            }
            if (v.kind != ExprKind::date) {
                return wrong(f.imprecise ? "a date such as 2026-03-01, or a partial date such as \"2009\" or \"2009-05\""
                                         : "a date such as 2026-03-01");
            }
            if (!Date::parse(v.text)) {
                error("E0306", v.span, v.text + " is not a calendar date");
                return std::nullopt;
            }
            return json_string(v.text);
        case FactKind::one_of:
            if (v.kind != ExprKind::string) return wrong("one of its values as a string");
            if (std::find(f.members.begin(), f.members.end(), v.text) == f.members.end()) {
                error("E0303", v.span, "\"" + v.text + "\" is not a value of " + f.path + ", which is one of " +
                                           member_list(f.members));
                return std::nullopt;
            }
            return json_string(v.text);
        case FactKind::set_of: {
            if (v.kind != ExprKind::set) return wrong("a set such as {\"a\", \"b\"}");
            std::string out = "[";
            for (const auto& m : v.members) {
                if (std::find(f.members.begin(), f.members.end(), m.value) == f.members.end()) {
                    error("E0303", m.span, "\"" + m.value + "\" is not a member of " + f.path + "'s type " +
                                               member_list(f.members));
                    return std::nullopt;
                }
                if (out.size() > 1) out += ",";
                out += json_string(m.value);
            }
            return out + "]";
        }
        case FactKind::list: {
            if (v.kind != ExprKind::list_literal) return wrong("a list such as [{field: value, ...}, ...]");
            if (f.record < 0) return std::nullopt;  // its declaration was refused, and said why
            const Record& record = p_.records[static_cast<std::size_t>(f.record)];
            if (v.args.size() > f.capacity) {
                error("E0309", v.span, "fact " + quote(f.path) + " holds at most " + std::to_string(f.capacity) +
                                           " elements (`up to " + std::to_string(f.capacity) + "`); this list has " +
                                           std::to_string(v.args.size()));
                return std::nullopt;
            }
            std::string out = "[";
            for (std::size_t i = 0; i < v.args.size(); ++i) {
                const Expr& element = v.args[i];
                std::string object = "{";
                std::set<std::string, std::less<>> seen;
                for (std::size_t k = 0; k < element.members.size(); ++k) {
                    const auto& name = element.members[k];
                    const auto field = std::find_if(record.fields.begin(), record.fields.end(),
                                                    [&](const Fact& x) { return x.path == name.value; });
                    if (field == record.fields.end()) {
                        detail::ClosestName closest(name.value);
                        for (const Fact& x : record.fields) closest.consider(x.path);
                        error("E0309", name.span, "record " + quote(record.name) + " has no field " + quote(name.value) +
                                                      (closest.best().empty() ? "" : "; did you mean " + quote(closest.best()) + "?"));
                        return std::nullopt;
                    }
                    if (!seen.insert(name.value).second) {
                        error("E0309", name.span, "field " + quote(name.value) + " is given twice in this element");
                        return std::nullopt;
                    }
                    // The element's own field, so that a message names family.members[1].relation.
                    const auto at = f.first_element + static_cast<std::uint32_t>(i * record.fields.size()) +
                                    static_cast<std::uint32_t>(field - record.fields.begin());
                    const auto value = given_json(p_.facts[at], element.args[k]);
                    if (!value) return std::nullopt;
                    if (object.size() > 1) object += ",";
                    object += json_string(name.value) + ":" + *value;
                }
                if (out.size() > 1) out += ",";
                out += object + "}";
            }
            return out + "]";
        }
    }
    return std::nullopt;
}

Type Checker::fact_type(const Fact& f) const {
    if (f.element_of >= 0) {
        const auto element = element_facts_.find(f.path);
        return type_of_fact(f.kind, element == element_facts_.end() ? -1 : static_cast<std::int32_t>(element->second));
    }
    auto it = values_.find(f.path);
    return type_of_fact(f.kind, it == values_.end() ? -1 : static_cast<std::int32_t>(it->second.index));
}

}  // namespace bia::check
