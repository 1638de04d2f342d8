// Result structs -> dicts, built with interned keys so a cohort of results stays cheap.
#include "results.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <initializer_list>

namespace bia::python {
namespace {

// Interned once and never released: they live as long as the interpreter.
struct Keys {
    PyObject *engine, *pack, *name, *version, *digest, *as_of, *level, *possible_level, *score,
        *possible_score, *domains, *title, *fired, *rule, *domain, *severity, *actions, *text, *due,
        *overdue, *cites, *source, *ref, *undetermined, *missing, *warnings, *path, *message, *ask_first, *id;
};
Keys keys{};

// Dicts with every key of a contract object, in contract order, and None
// values. Copying one and replacing its values is quicker than inserting the
// keys one by one (no resizing, the key table is copied whole).
struct Templates {
    // result_with_id: the same with `id` first, where the JSON writer puts it.
    PyObject *result, *result_with_id, *pack, *domain, *fired, *action, *cite, *undetermined, *message, *summary;
};
Templates templates{};

PyObject* intern(const char* s) {
    PyObject* o = PyUnicode_InternFromString(s);
    if (o == nullptr) throw py::error_already_set();
    return o;
}

PyObject* make_template(std::initializer_list<PyObject*> fields) {
    PyObject* d = PyDict_New();
    if (d == nullptr) throw py::error_already_set();
    for (PyObject* k : fields)
        if (PyDict_SetItem(d, k, Py_None) != 0) throw py::error_already_set();
    return d;
}

py::dict from_template(PyObject* tmpl) {
    PyObject* d = PyDict_Copy(tmpl);
    if (d == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::dict>(d);
}

// Steals `value` into `dict[key]`.
void put(PyObject* dict, PyObject* key, PyObject* value) {
    if (value == nullptr) throw py::error_already_set();
    int rc = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    if (rc != 0) throw py::error_already_set();
}

// `value` is borrowed.
void put_borrowed(PyObject* dict, PyObject* key, PyObject* value) {
    if (PyDict_SetItem(dict, key, value) != 0) throw py::error_already_set();
}

void put(PyObject* dict, PyObject* key, const py::object& value) { put_borrowed(dict, key, value.ptr()); }

PyObject* new_str(std::string_view s) {
    // Engine strings are valid UTF-8; "replace" keeps a broken one from raising.
    return PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
}

PyObject* new_number(double v) {
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 9007199254740992.0)
        return PyLong_FromLongLong(static_cast<long long>(v));
    return PyFloat_FromDouble(v);
}

py::list new_list(std::size_t n) {
    PyObject* l = PyList_New(static_cast<Py_ssize_t>(n));
    if (l == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::list>(l);
}

// Sets item i of a fresh list to a borrowed object.
void set_item(const py::list& list, std::size_t i, PyObject* borrowed) {
    Py_INCREF(borrowed);
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(i), borrowed);
}

void set_item(const py::list& list, std::size_t i, py::object&& owned) {
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(i), owned.release().ptr());
}

}  // namespace

void init_result_keys() {
    keys = Keys{intern("engine"),  intern("pack"),     intern("name"),         intern("version"),
                intern("digest"),  intern("as_of"),    intern("level"),        intern("possible_level"),
                intern("score"),   intern("possible_score"), intern("domains"), intern("title"),
                intern("fired"),   intern("rule"),     intern("domain"),       intern("severity"),
                intern("actions"), intern("text"),     intern("due"),          intern("overdue"),
                intern("cites"),   intern("source"),   intern("ref"),          intern("undetermined"),
                intern("missing"), intern("warnings"), intern("path"),         intern("message"),
                intern("ask_first"), intern("id")};
    const Keys& k = keys;
    templates = Templates{
        make_template({k.engine, k.pack, k.as_of, k.level, k.possible_level, k.score, k.possible_score, k.domains,
                       k.fired, k.undetermined, k.missing, k.warnings, k.ask_first}),
        make_template({k.id, k.engine, k.pack, k.as_of, k.level, k.possible_level, k.score, k.possible_score,
                       k.domains, k.fired, k.undetermined, k.missing, k.warnings, k.ask_first}),
        make_template({k.name, k.version, k.digest}),
        make_template({k.title, k.score}),
        make_template({k.rule, k.title, k.domain, k.severity, k.score, k.actions, k.cites}),
        make_template({k.text, k.due, k.overdue}),
        make_template({k.source, k.title, k.ref}),
        make_template({k.rule, k.missing}),
        make_template({k.path, k.message}),
        make_template({k.level, k.possible_level, k.score, k.possible_score, k.fired, k.undetermined, k.missing,
                       k.overdue, k.ask_first}),
    };
}

py::str make_str(std::string_view s) {
    PyObject* o = new_str(s);
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}

py::object make_number(double v) {
    PyObject* o = new_number(v);
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

struct ResultBuilder::Snapshot {
    struct Cite {
        std::string source, title;
        std::optional<std::string> ref;
    };
    struct Rule {
        std::uint64_t fired_version = 0;
        bool has_fired = false;
        std::string title;
        std::optional<std::string> domain, severity;
        double score = 0;
        std::vector<std::string> actions;  // the texts of the action prototypes made so far
        std::vector<Cite> cites;
    };
    const std::vector<RuleInfo>* names = nullptr;  // the pack's rules; the Pack outlives the call
    std::shared_ptr<const std::unordered_map<std::string_view, std::uint32_t>> facts;  // path -> index
    std::vector<Rule> rules;                        // in pack order
    std::uint64_t domains_version = 0;
    std::vector<std::pair<std::string, std::string>> domains;  // name, title; empty unless all are made
};

namespace {

bool same_number(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

py::object copy(const py::object& proto) {
    PyObject* d = PyDict_Copy(proto.ptr());
    if (d == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(d);
}

// The index of the rule named `name`, searched from `cursor` on (entries come
// in pack order), then from the start; kUnknown when there is none.
std::uint32_t find_rule(const std::vector<RuleInfo>& rules, std::string_view name, std::size_t& cursor) {
    for (std::size_t pass = 0; pass < 2; ++pass) {
        for (std::size_t k = pass == 0 ? cursor : 0; k < rules.size(); ++k) {
            if (rules[k].name == name) {
                cursor = k + 1;
                return static_cast<std::uint32_t>(k);
            }
        }
    }
    return ResultBuilder::kUnknown;
}

}  // namespace

ResultBuilder::ResultBuilder(const Pack& pack) : pack_(pack), engine_(make_str(bia::version())) {
    py::dict p = from_template(templates.pack);
    put(p.ptr(), keys.name, make_str(pack.name()));
    put(p.ptr(), keys.version, make_str(pack.version()));
    put(p.ptr(), keys.digest, make_str(pack.digest()));
    pack_dict_ = std::move(p);
    // Names only: the prototypes are made when a rule first appears, so one
    // evaluate() pays for the rules it reports and no more.
    rules_.resize(pack.rules().size());
    for (std::size_t i = 0; i < rules_.size(); ++i) rules_[i].name = pack.rules()[i].name;
    domains_.resize(pack.domains().size());
}

std::shared_ptr<const ResultBuilder::Snapshot> ResultBuilder::snapshot() {
    if (snapshot_ && !changed_) return snapshot_;
    auto s = std::make_shared<Snapshot>();
    s->names = &pack_.rules();
    if (!fact_index_) {
        auto index = std::make_shared<std::unordered_map<std::string_view, std::uint32_t>>();
        for (std::size_t f = 0; f < pack_.facts().size(); ++f)
            index->emplace(pack_.facts()[f].path, static_cast<std::uint32_t>(f));
        fact_index_ = std::move(index);
    }
    s->facts = fact_index_;
    s->rules.resize(pack_.rules().size());
    for (std::size_t k = 0; k < s->rules.size(); ++k) {
        const RuleCache& rc = rules_[k];
        Snapshot::Rule& sr = s->rules[k];
        sr.fired_version = rc.fired_version;
        sr.has_fired = static_cast<bool>(rc.fired);
        if (sr.has_fired) {
            sr.title = rc.title;
            sr.domain = rc.domain;
            sr.severity = rc.severity;
            sr.score = rc.score;
        }
        for (const ActionProto& ap : rc.actions) {
            if (!ap.dict) break;
            sr.actions.push_back(ap.text);
        }
        for (const CiteProto& cp : rc.cites) {
            if (!cp.dict) break;
            sr.cites.push_back(Snapshot::Cite{cp.source, cp.title, cp.ref});
        }
    }
    s->domains_version = domains_version_;
    for (const DomainProto& dp : domains_) {
        if (!dp.dict) {
            s->domains.clear();
            break;
        }
        s->domains.emplace_back(dp.name, dp.title);
    }
    snapshot_ = std::move(s);
    changed_ = false;
    return snapshot_;
}

void ResultBuilder::check(const Snapshot& s, const Result& r, Checked& out) {
    out.snapshot = &s;
    out.fired.clear();
    out.actions.clear();
    out.undetermined.clear();
    out.missing.clear();
    std::size_t cursor = 0;
    for (const FiredRule& f : r.fired) {
        const std::uint32_t k = find_rule(*s.names, f.rule, cursor);
        std::uint64_t code = k;
        if (k != kUnknown) {
            const Snapshot::Rule& sr = s.rules[k];
            bool same = sr.has_fired && sr.title == f.title && sr.domain == f.domain && sr.severity == f.severity &&
                        same_number(sr.score, f.score) && f.actions.size() <= sr.actions.size() &&
                        f.cites.size() <= sr.cites.size() && f.actions.size() <= 0xffff && f.cites.size() <= 0xffff;
            for (std::size_t a = 0; same && a < f.actions.size(); ++a) same = f.actions[a].text == sr.actions[a];
            for (std::size_t c = 0; same && c < f.cites.size(); ++c) {
                const Snapshot::Cite& sc = sr.cites[c];
                const Citation& cite = f.cites[c];
                same = cite.source == sc.source && cite.title == sc.title && cite.ref == sc.ref;
            }
            if (same) {
                code |= kSame | std::uint64_t{f.actions.size()} << 32 | std::uint64_t{f.cites.size()} << 48;
                for (const ActionDue& a : f.actions) {
                    std::uint64_t ac = a.overdue ? kOverdue : 0;
                    if (a.due) ac |= kHasDue | static_cast<std::uint32_t>(a.due->days());
                    out.actions.push_back(ac);
                }
            }
        }
        out.fired.push_back(code);
    }
    auto fact = [&](const std::string& path) {
        auto it = s.facts->find(path);
        return it == s.facts->end() ? kUnknown : it->second;
    };
    cursor = 0;
    for (const UndeterminedRule& u : r.undetermined) {
        out.undetermined.push_back(find_rule(*s.names, u.rule, cursor) | std::uint64_t{u.missing.size()} << 32);
        for (const std::string& m : u.missing) out.missing.push_back(fact(m));
    }
    for (const std::string& m : r.missing) out.missing.push_back(fact(m));
    bool same = r.domains.size() == s.domains.size();
    for (std::size_t i = 0; same && i < r.domains.size(); ++i)
        same = r.domains[i].name == s.domains[i].first && r.domains[i].title == s.domains[i].second;
    out.domains_same = same;
    out.domain_scores.clear();
    if (same)
        for (const DomainScore& ds : r.domains) out.domain_scores.push_back(ds.score);
}

PyObject* ResultBuilder::slot_or_text(Slot& s, std::string_view value) {
    if (!s.object || s.text != value) {
        s.text.assign(value);
        s.object = py::reinterpret_borrow<py::object>(text(value));
    }
    return s.object.ptr();
}

ResultBuilder::RuleCache& ResultBuilder::rule(std::string_view name, std::size_t& cursor) {
    for (std::size_t k = cursor; k < rules_.size(); ++k) {
        if (rules_[k].name == name) {
            cursor = k + 1;
            return rules_[k];
        }
    }
    // Out of pack order, or not one of the pack's rules: look the name up.
    if (rule_index_.empty())
        for (std::size_t k = 0; k < rules_.size(); ++k) rule_index_.emplace(rules_[k].name, k);
    auto it = rule_index_.find(name);
    if (it != rule_index_.end()) return rules_[it->second];
    // Results come from this pack, so this does not happen; if it ever did,
    // keep the entry rather than fail.
    rule_index_.emplace(std::string(name), rules_.size());
    RuleCache& rc = rules_.emplace_back();
    rc.name.assign(name);
    return rc;
}

namespace {

PyObject* optional_text(ResultBuilder& b, const std::optional<std::string>& s) {
    return s ? b.text(*s) : Py_None;
}

}  // namespace

PyObject* ResultBuilder::fired_entry(const FiredRule& f, RuleCache& rc) {
    if (!rc.fired || rc.title != f.title || rc.domain != f.domain || rc.severity != f.severity ||
        !same_number(rc.score, f.score)) {
        if (!rc.name_object) rc.name_object = make_str(rc.name);
        py::dict p = from_template(templates.fired);
        put_borrowed(p.ptr(), keys.rule, rc.name_object.ptr());
        put(p.ptr(), keys.title, new_str(f.title));
        put_borrowed(p.ptr(), keys.domain, optional_text(*this, f.domain));
        put_borrowed(p.ptr(), keys.severity, optional_text(*this, f.severity));
        put(p.ptr(), keys.score, new_number(f.score));
        rc.title = f.title;
        rc.domain = f.domain;
        rc.severity = f.severity;
        rc.score = f.score;
        rc.fired = std::move(p);
        ++rc.fired_version;
        changed_ = true;
    }
    py::object e = copy(rc.fired);

    if (rc.actions.size() < f.actions.size()) rc.actions.resize(f.actions.size());
    py::list actions = new_list(f.actions.size());
    for (std::size_t a = 0; a < f.actions.size(); ++a) {
        const ActionDue& action = f.actions[a];
        ActionProto& ap = rc.actions[a];
        if (!ap.dict || ap.text != action.text) {
            py::dict p = from_template(templates.action);
            put(p.ptr(), keys.text, new_str(action.text));
            put_borrowed(p.ptr(), keys.overdue, Py_False);
            ap.text = action.text;
            ap.dict = std::move(p);
            ++rc.fired_version;
            changed_ = true;
        }
        py::object ad = copy(ap.dict);
        if (action.due) put_borrowed(ad.ptr(), keys.due, date(*action.due));
        if (action.overdue) put_borrowed(ad.ptr(), keys.overdue, Py_True);
        set_item(actions, a, std::move(ad));
    }
    put(e.ptr(), keys.actions, actions);

    if (rc.cites.size() < f.cites.size()) rc.cites.resize(f.cites.size());
    py::list cites = new_list(f.cites.size());
    for (std::size_t c = 0; c < f.cites.size(); ++c) {
        const Citation& cite = f.cites[c];
        CiteProto& cp = rc.cites[c];
        if (!cp.dict || cp.source != cite.source || cp.title != cite.title || cp.ref != cite.ref) {
            py::dict p = from_template(templates.cite);
            put_borrowed(p.ptr(), keys.source, text(cite.source));
            put_borrowed(p.ptr(), keys.title, text(cite.title));
            put_borrowed(p.ptr(), keys.ref, optional_text(*this, cite.ref));
            cp.source = cite.source;
            cp.title = cite.title;
            cp.ref = cite.ref;
            cp.dict = std::move(p);
            ++rc.fired_version;
            changed_ = true;
        }
        set_item(cites, c, copy(cp.dict));
    }
    put(e.ptr(), keys.cites, cites);
    return e.release().ptr();
}

PyObject* ResultBuilder::fired_entry(const RuleCache& rc, std::size_t n_actions, std::size_t n_cites,
                                     const std::uint64_t* codes) {
    py::object e = copy(rc.fired);
    py::list actions = new_list(n_actions);
    for (std::size_t a = 0; a < n_actions; ++a) {
        py::object ad = copy(rc.actions[a].dict);
        const std::uint64_t c = codes[a];
        if (c & kHasDue)
            put_borrowed(ad.ptr(), keys.due, date(Date::from_days(static_cast<std::int32_t>(static_cast<std::uint32_t>(c)))));
        if (c & kOverdue) put_borrowed(ad.ptr(), keys.overdue, Py_True);
        set_item(actions, a, std::move(ad));
    }
    put(e.ptr(), keys.actions, actions);
    py::list cites = new_list(n_cites);
    for (std::size_t c = 0; c < n_cites; ++c) set_item(cites, c, copy(rc.cites[c].dict));
    put(e.ptr(), keys.cites, cites);
    return e.release().ptr();
}

py::object ResultBuilder::domains(const Result& r, const Checked* checked) {
    py::object out = py::reinterpret_steal<py::object>(PyDict_New());
    if (!out) throw py::error_already_set();
    if (checked && checked->domains_same && checked->snapshot->domains_version == domains_version_) {
        // Every declared domain, each prototype as the check saw it.
        for (std::size_t i = 0; i < checked->domain_scores.size(); ++i) {
            const DomainProto& p = domains_[i];
            py::object entry = copy(p.dict);
            const double score = checked->domain_scores[i];
            if (!same_number(score, 0)) put(entry.ptr(), keys.score, new_number(score));
            put(out.ptr(), p.name_object.ptr(), entry);
        }
        return out;
    }
    for (std::size_t i = 0; i < r.domains.size(); ++i) {
        const DomainScore& ds = r.domains[i];
        if (i < domains_.size()) {  // every declared domain, in declaration order
            DomainProto& p = domains_[i];
            if (!p.dict || p.name != ds.name || p.title != ds.title) {
                py::dict proto = from_template(templates.domain);
                put(proto.ptr(), keys.title, new_str(ds.title));
                put(proto.ptr(), keys.score, new_number(0));
                p.name = ds.name;
                p.title = ds.title;
                p.name_object = make_str(ds.name);
                p.dict = std::move(proto);
                ++domains_version_;
                changed_ = true;
            }
            py::object entry = copy(p.dict);
            if (!same_number(ds.score, 0)) put(entry.ptr(), keys.score, new_number(ds.score));
            put(out.ptr(), p.name_object.ptr(), entry);
        } else {
            py::dict entry = from_template(templates.domain);
            put_borrowed(entry.ptr(), keys.title, text(ds.title));
            put(entry.ptr(), keys.score, new_number(ds.score));
            put(out.ptr(), text(ds.name), entry);
        }
    }
    return out;
}

PyObject* ResultBuilder::text(std::string_view s) {
    auto it = texts_.find(s);
    if (it != texts_.end()) return it->second.ptr();
    // Bounded, in case a pack's results ever carry text that keeps changing.
    if (texts_.size() >= 65536) texts_.clear();
    return texts_.emplace(std::string(s), make_str(s)).first->second.ptr();
}

PyObject* ResultBuilder::fact(std::uint32_t index) {
    if (facts_.empty()) facts_.resize(pack_.facts().size());
    py::object& o = facts_[index];
    if (!o) o = py::reinterpret_borrow<py::object>(text(pack_.facts()[index].path));
    return o.ptr();
}

PyObject* ResultBuilder::date(Date d) {
    auto it = dates_.find(d.days());
    if (it != dates_.end()) return it->second.ptr();
    if (dates_.size() >= 65536) dates_.clear();
    return dates_.emplace(d.days(), make_str(d.to_string())).first->second.ptr();
}

py::dict ResultBuilder::result(const Result& r, const Checked* checked) {
    // The check counts only for prototypes that have not changed since its snapshot.
    const Snapshot* snap = checked ? checked->snapshot : nullptr;
    py::dict d = from_template(r.id ? templates.result_with_id : templates.result);
    PyObject* dp = d.ptr();
    // The engine reports its own version; it equals bia::version() in one build.
    put_borrowed(dp, keys.engine, r.engine == bia::version() ? engine_.ptr() : text(r.engine));

    if (r.pack_name == pack_.name()) {
        put(dp, keys.pack, copy(pack_dict_));
    } else {
        py::object pack = copy(pack_dict_);
        put_borrowed(pack.ptr(), keys.name, text(r.pack_name));
        put(dp, keys.pack, pack);
    }

    if (!as_of_ || as_of_days_ != r.as_of.days()) {
        as_of_ = make_str(r.as_of.to_string());
        as_of_days_ = r.as_of.days();
    }
    put_borrowed(dp, keys.as_of, as_of_.ptr());
    put_borrowed(dp, keys.level, slot_or_text(level_, r.level));
    put_borrowed(dp, keys.possible_level, slot_or_text(possible_level_, r.possible_level));
    put(dp, keys.score, new_number(r.score));
    put(dp, keys.possible_score, new_number(r.possible_score));
    put(dp, keys.domains, domains(r, checked));

    py::list fired = new_list(r.fired.size());
    std::size_t cursor = 0;
    const std::uint64_t* action_codes = snap ? checked->actions.data() : nullptr;
    for (std::size_t i = 0; i < r.fired.size(); ++i) {
        PyObject* e;
        if (snap) {
            const std::uint64_t code = checked->fired[i];
            const std::uint32_t k = static_cast<std::uint32_t>(code) & kUnknown;
            const std::size_t n_actions = (code >> 32) & 0xffff, n_cites = code >> 48;
            RuleCache& rc = k != kUnknown ? rules_[k] : rule(r.fired[i].rule, cursor);
            // The check vouches for the prototypes its snapshot saw, and only those.
            if ((code & kSame) && rc.fired_version == snap->rules[k].fired_version)
                e = fired_entry(rc, n_actions, n_cites, action_codes);
            else
                e = fired_entry(r.fired[i], rc);
            action_codes += n_actions;
        } else {
            e = fired_entry(r.fired[i], rule(r.fired[i].rule, cursor));
        }
        PyList_SET_ITEM(fired.ptr(), static_cast<Py_ssize_t>(i), e);
    }
    put(dp, keys.fired, fired);

    py::list undetermined = new_list(r.undetermined.size());
    cursor = 0;
    const std::uint32_t* facts = snap ? checked->missing.data() : nullptr;
    for (std::size_t i = 0; i < r.undetermined.size(); ++i) {
        const std::uint32_t k = snap ? static_cast<std::uint32_t>(checked->undetermined[i]) & kUnknown : kUnknown;
        // (The name is read only when the check did not find it: reading it
        // would cost a cache miss per entry.)
        RuleCache& rc = k != kUnknown ? rules_[k] : rule(r.undetermined[i].rule, cursor);
        if (!rc.undetermined) {
            if (!rc.name_object) rc.name_object = make_str(rc.name);
            py::dict p = from_template(templates.undetermined);
            put_borrowed(p.ptr(), keys.rule, rc.name_object.ptr());
            rc.undetermined = std::move(p);
        }
        py::object e = copy(rc.undetermined);
        py::list missing;
        if (snap) {
            const std::size_t n = checked->undetermined[i] >> 32;
            missing = new_list(n);
            for (std::size_t m = 0; m < n; ++m, ++facts)
                set_item(missing, m, *facts != kUnknown ? fact(*facts) : text(r.undetermined[i].missing[m]));
        } else {
            // A rule's missing facts are often the same as the last time it
            // was undetermined: check that before hashing the path.
            const UndeterminedRule& u = r.undetermined[i];
            if (rc.missing.size() < u.missing.size()) rc.missing.resize(u.missing.size());
            missing = new_list(u.missing.size());
            for (std::size_t m = 0; m < u.missing.size(); ++m) set_item(missing, m, slot_or_text(rc.missing[m], u.missing[m]));
        }
        put(e.ptr(), keys.missing, missing);
        set_item(undetermined, i, std::move(e));
    }
    put(dp, keys.undetermined, undetermined);

    py::list missing = new_list(r.missing.size());
    if (snap) {
        for (std::size_t m = 0; m < r.missing.size(); ++m, ++facts)
            set_item(missing, m, *facts != kUnknown ? fact(*facts) : text(r.missing[m]));
    } else {
        if (case_missing_.size() < r.missing.size()) case_missing_.resize(r.missing.size());
        for (std::size_t m = 0; m < r.missing.size(); ++m) set_item(missing, m, slot_or_text(case_missing_[m], r.missing[m]));
    }
    put(dp, keys.missing, missing);

    // Warnings name fields of the case, which vary without bound: not cached.
    py::list warnings = new_list(r.warnings.size());
    for (std::size_t w = 0; w < r.warnings.size(); ++w) {
        py::dict e = from_template(templates.message);
        put(e.ptr(), keys.path, new_str(r.warnings[w].path));
        put(e.ptr(), keys.message, new_str(r.warnings[w].message));
        if (!r.warnings[w].suggestion.empty()) e["suggestion"] = py::reinterpret_steal<py::object>(new_str(r.warnings[w].suggestion));
        set_item(warnings, w, std::move(e));
    }
    put(dp, keys.warnings, warnings);
    // At most five paths, from the pack: the shared text cache is enough.
    py::list ask_first = new_list(r.ask_first.size());
    for (std::size_t m = 0; m < r.ask_first.size(); ++m) set_item(ask_first, m, text(r.ask_first[m]));
    put(dp, keys.ask_first, ask_first);
    if (r.id) put(dp, keys.id, id_object(*r.id));
    return d;
}

py::object id_object(const std::string& json) {
    const auto v = nlohmann::json::parse(json);
    if (v.is_string()) return py::reinterpret_steal<py::object>(new_str(v.get_ref<const std::string&>()));
    if (v.is_number_integer()) return py::int_(v.get<long long>());
    if (v.is_number_unsigned()) return py::int_(v.get<unsigned long long>());
    if (v.is_number_float()) return py::float_(v.get<double>());
    return py::none();
}

py::list error_list(const std::vector<FactError>& errors) {
    py::list out = new_list(errors.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
        py::dict d = from_template(templates.message);
        put(d.ptr(), keys.path, new_str(errors[i].path));
        put(d.ptr(), keys.message, new_str(errors[i].message));
        set_item(out, i, std::move(d));
    }
    return out;
}

PyObject* SummaryBuilder::cached(std::vector<py::object>& cache, std::size_t index, std::string_view text) {
    if (cache.size() <= index) cache.resize(index + 1);
    if (!cache[index]) cache[index] = make_str(text);
    return cache[index].ptr();
}

PyObject* SummaryBuilder::level(std::size_t index) { return cached(levels_, index, pack_.levels()[index].name); }

PyObject* SummaryBuilder::rule(std::uint32_t index) { return cached(rules_, index, pack_.rules()[index].name); }

py::list SummaryBuilder::rule_list(const std::vector<std::uint32_t>& rules) {
    py::list l = new_list(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) set_item(l, i, rule(rules[i]));
    return l;
}

py::list SummaryBuilder::fired(const Summary& s) { return rule_list(s.fired); }

py::list SummaryBuilder::undetermined(const Summary& s) { return rule_list(s.undetermined); }

py::list SummaryBuilder::fact_list(const std::vector<std::uint32_t>& facts) {
    py::list l = new_list(facts.size());
    for (std::size_t i = 0; i < facts.size(); ++i) set_item(l, i, cached(facts_, facts[i], pack_.facts()[facts[i]].path));
    return l;
}

py::list SummaryBuilder::missing(const Summary& s) { return fact_list(s.missing); }

py::list SummaryBuilder::ask_first(const Summary& s) { return fact_list(s.ask_first); }

py::list SummaryBuilder::overdue(const Summary& s) {
    if (actions_.size() < pack_.rules().size()) actions_.resize(pack_.rules().size());
    py::list l = new_list(s.overdue.size());
    for (std::size_t i = 0; i < s.overdue.size(); ++i) {
        const Summary::Overdue& o = s.overdue[i];
        set_item(l, i, cached(actions_[o.rule], o.action, pack_.rules()[o.rule].actions[o.action]));
    }
    return l;
}

py::dict SummaryBuilder::dict(const Summary& s) {
    py::dict d = from_template(templates.summary);
    const Keys& k = keys;
    put_borrowed(d.ptr(), k.level, level(s.level));
    put_borrowed(d.ptr(), k.possible_level, level(s.possible_level));
    put(d.ptr(), k.score, new_number(s.score));
    put(d.ptr(), k.possible_score, new_number(s.possible_score));
    put(d.ptr(), k.fired, fired(s));
    put(d.ptr(), k.undetermined, undetermined(s));
    put(d.ptr(), k.missing, missing(s));
    put(d.ptr(), k.overdue, overdue(s));
    put(d.ptr(), k.ask_first, fact_list(s.ask_first));
    return d;
}

}  // namespace bia::python
