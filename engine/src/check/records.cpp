// Records, lists of them and the quantifiers over lists (language 2).
//
// A list fact of capacity K over a record of F fields becomes K * F facts of its own, one for each
// element's field (`family.members[2].located`), after the declared facts; its own slot holds how
// many elements the case gives. A quantifier's condition is then compiled once for each element
// (compile/compiler.cpp), so that the evaluation loop, the binders' slots, missing facts and
// explanations treat an element's field as any other fact.
#include "check/checker_impl.hpp"

#include "common/suggest.hpp"

namespace bia::check {

void Checker::declare_records() {
    for (const syntax::RecordDecl* d : record_decls_) {
        if (!language_has(2, d->name.span, "`record`")) continue;
        if (!check_name(d->name, "record")) continue;
        if (auto it = record_index_.find(d->name.text); it != record_index_.end()) {
            error("E0201", d->name.span,
                  "record " + quote(d->name.text) + " is already declared at " + where(p_.records[it->second].span));
            continue;
        }
        Record r;
        r.name = d->name.text;
        r.title = d->title.value;
        r.span = d->name.span;
        std::vector<const syntax::FieldDecl*> fields;
        std::set<std::string, std::less<>> seen;
        for (const syntax::FieldDecl& fd : d->fields) {
            if (!check_name(fd.name, "field")) continue;
            if (fd.name.text.find('.') != std::string::npos) {
                error("E0213", fd.name.span, "a field's name is one word: " + quote(fd.name.text) + " has a '.'");
                continue;
            }
            if (!seen.insert(fd.name.text).second) {
                error("E0213", fd.name.span, "field " + quote(fd.name.text) + " is declared twice in record " + quote(r.name));
                continue;
            }
            if (fd.type.kind == FactKind::list) {
                error("E0213", fd.type.span,
                      "a record's field cannot be a list: records nest one level (declare the inner list as a fact of its own)");
                continue;
            }
            r.fields.push_back(typed_fact(fd.name, fd.type, fd.description));
            fields.push_back(&fd);
        }
        if (d->fields.empty()) {
            error("E0213", d->name.span, "record " + quote(r.name) + " has no fields; declare them one a line: name : type");
        }
        record_index_.emplace(r.name, static_cast<std::uint32_t>(p_.records.size()));
        p_.records.push_back(std::move(r));
        record_fields_.push_back(std::move(fields));
    }
}

void Checker::declare_lists() {
    for (const auto& [index, type] : list_decls_) {
        if (!language_has(2, type->span, "`list of`")) continue;
        const auto it = record_index_.find(type->record->text);
        if (it == record_index_.end()) {
            detail::ClosestName closest(type->record->text);
            for (const auto& [name, r] : record_index_) closest.consider(name);
            error("E0213", type->record->span,
                  "unknown record " + quote(type->record->text) +
                      (closest.best().empty() ? " (declare it: record NAME \"title\", then its fields)"
                                              : "; did you mean " + quote(closest.best()) + "?"));
            continue;
        }
        std::uint32_t capacity = default_list_capacity;
        if (type->capacity) {
            const double n = type->capacity->value;
            if (n < 1 || n > max_list_capacity || n != static_cast<double>(static_cast<std::uint32_t>(n))) {
                error("E0502", type->capacity->span,
                      "a list holds from 1 to " + std::to_string(max_list_capacity) + " elements; `up to " +
                          type->capacity->text + "` is not a whole number in that range");
                continue;
            }
            capacity = static_cast<std::uint32_t>(n);
        }
        const Record& record = p_.records[it->second];
        const auto& field_decls = record_fields_[it->second];
        Fact& list = p_.facts[index];
        list.record = static_cast<std::int32_t>(it->second);
        list.capacity = capacity;
        list.first_element = static_cast<std::uint32_t>(p_.facts.size());
        const std::string path = list.path;
        const Span span = list.span;
        for (std::uint32_t e = 0; e < capacity; ++e) {
            for (std::size_t k = 0; k < record.fields.size(); ++k) {
                Fact f = record.fields[k];
                f.path = path + "[" + std::to_string(e) + "]." + record.fields[k].path;
                f.span = span;
                f.element_of = static_cast<std::int32_t>(index);
                element_facts_.emplace(f.path, static_cast<std::uint32_t>(p_.facts.size()));
                exact_.push_back(field_decls[k]->type.exact);
                never_.push_back(field_decls[k]->type.never);
                p_.facts.push_back(std::move(f));
            }
        }
    }
}

std::optional<Type> Checker::resolve_field(const Expr& e) {
    const std::string_view name = e.text;
    const std::string_view first = name.substr(0, name.find('.'));
    for (auto s = scopes_.rbegin(); s != scopes_.rend(); ++s) {
        if (s->variable != first) continue;
        const Fact& list = p_.facts[s->list];
        const Record& record = p_.records[static_cast<std::size_t>(list.record)];
        std::string fields;
        for (const Fact& f : record.fields) fields += (fields.empty() ? "" : ", ") + std::string(first) + "." + f.path;
        if (first.size() == name.size()) {
            error("E0214", e.span, quote(first) + " is an element of " + list.path + " (a " + record.name +
                                       "); name one of its fields: " + fields);
            return of(TypeKind::error);
        }
        const std::string_view field = name.substr(first.size() + 1);
        for (std::uint32_t k = 0; k < record.fields.size(); ++k) {
            if (record.fields[k].path != field) continue;
            p_.references[&e] = Reference{Reference::Kind::field, k, s->quantifier};
            // Typed as the first element's field: every element's has the same type and members.
            const std::uint32_t first_fact = list.first_element + k;
            return type_of_fact(record.fields[k].kind, static_cast<std::int32_t>(first_fact));
        }
        const std::string wanted{field};  // ClosestName keeps a view of it: it must outlive the search
        detail::ClosestName closest(wanted);
        for (const Fact& f : record.fields) closest.consider(f.path);
        error("E0202", e.span,
              "record " + quote(record.name) + " has no field " + quote(field) +
                  (closest.best().empty() ? " (its fields: " + fields + ")"
                                          : "; did you mean " + quote(std::string(first) + "." + closest.best()) + "?"));
        return of(TypeKind::error);
    }
    return std::nullopt;
}

Type Checker::quantifier(const Expr& e) {
    const char* what = e.quantifier == syntax::Quantifier::any   ? "`any ... in ...:`"
                       : e.quantifier == syntax::Quantifier::all ? "`all ... in ...:`"
                                                                 : "`count(... in ... where ...)`";
    if (!language_has(2, e.span, std::string("a quantifier, ") + what)) return of(TypeKind::error);
    const Expr& list = e.args[0];
    const Expr& condition = e.args[1];
    bool ok = true;
    // The variable must not hide a name the condition might mean: a fact, a let or an outer variable.
    const std::string& variable = e.text;
    if (syntax::is_keyword(variable)) {
        error("E0203", e.op_span, quote(variable) + " is a reserved word and cannot be a quantifier's variable");
        ok = false;
    } else if (auto hit = values_.lower_bound(variable);
               hit != values_.end() && (hit->first == variable || (hit->first.size() > variable.size() &&
                                                                    hit->first.compare(0, variable.size(), variable) == 0 &&
                                                                    hit->first[variable.size()] == '.'))) {
        error("E0214", e.op_span,
              "the variable " + quote(variable) + " would hide " + quote(hit->first) + "; choose another name");
        ok = false;
    } else if (std::any_of(scopes_.begin(), scopes_.end(), [&](const Scope& s) { return s.variable == variable; })) {
        error("E0214", e.op_span, "the variable " + quote(variable) + " is already bound by an enclosing quantifier");
        ok = false;
    }
    // The list: a list fact, by its path.
    std::optional<std::uint32_t> list_fact;
    if (auto it = values_.find(list.text); it != values_.end() && it->second.kind == Reference::Kind::fact &&
                                           p_.facts[it->second.index].kind == FactKind::list) {
        if (p_.facts[it->second.index].record >= 0) list_fact = it->second.index;
        else ok = false;  // its declaration was refused, and said why
    } else if (it != values_.end()) {
        error("E0214", list.span, "a quantifier runs over a list fact (list of RECORD); " + quote(list.text) + " is not one");
        ok = false;
    } else {
        error("E0202", list.span, "unknown name " + quote(list.text) + suggestion(list.text));
        ok = false;
    }
    if (list_fact) p_.references[&list] = Reference{Reference::Kind::fact, *list_fact, nullptr};
    // Without a list the condition's fields mean nothing: checking it would only report each of
    // them as an unknown name. With one, the variable is in scope even when its name was refused.
    if (!list_fact) return of(TypeKind::error);
    scopes_.push_back(Scope{variable, &e, *list_fact});
    const double enclosing = expansion_;
    expansion_ *= p_.facts[*list_fact].capacity;
    expanded_nodes_ += 4 * expansion_;  // each element's own: its index, the test that it is in the list, and/or
    const Type t = infer(condition);
    expansion_ = enclosing;
    scopes_.pop_back();
    if (expanded_nodes_ > max_expanded_nodes && !expansion_reported_) {
        expansion_reported_ = true;
        error("E0502", e.span,
              "with this quantifier the pack's conditions take more than " +
                  std::to_string(static_cast<long>(max_expanded_nodes)) +
                  " nodes once compiled (a quantifier's condition is compiled once for each element " + list.text +
                  " may hold, up to " + std::to_string(p_.facts[*list_fact].capacity) +
                  ", and nested quantifiers multiply); lower the lists' `up to` or nest fewer quantifiers");
        return of(TypeKind::error);
    }
    require(condition, t, TypeKind::boolean, "the condition of a quantifier");
    if (!ok) return of(TypeKind::error);
    return of(e.quantifier == syntax::Quantifier::count ? TypeKind::number : TypeKind::boolean);
}

}  // namespace bia::check
