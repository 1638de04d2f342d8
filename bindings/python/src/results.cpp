// Result structs -> dicts, built with interned keys so a cohort of results stays cheap.
#include "results.hpp"

#include <cmath>
#include <initializer_list>

namespace bia::python {
namespace {

// Interned once and never released: they live as long as the interpreter.
struct Keys {
    PyObject *engine, *pack, *name, *version, *digest, *as_of, *level, *possible_level, *score,
        *possible_score, *domains, *title, *fired, *rule, *domain, *severity, *actions, *text, *due,
        *overdue, *cites, *source, *ref, *undetermined, *missing, *warnings, *path, *message;
};
Keys keys{};

// Dicts with every key of a contract object, in contract order, and None
// values. Copying one and replacing its values is quicker than inserting the
// keys one by one (no resizing, the key table is copied whole).
struct Templates {
    PyObject *result, *pack, *domain, *fired, *action, *cite, *undetermined, *message;
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
                intern("missing"), intern("warnings"), intern("path"),         intern("message")};
    const Keys& k = keys;
    templates = Templates{
        make_template({k.engine, k.pack, k.as_of, k.level, k.possible_level, k.score, k.possible_score, k.domains,
                       k.fired, k.undetermined, k.missing, k.warnings}),
        make_template({k.name, k.version, k.digest}),
        make_template({k.title, k.score}),
        make_template({k.rule, k.title, k.domain, k.severity, k.score, k.actions, k.cites}),
        make_template({k.text, k.due, k.overdue}),
        make_template({k.source, k.title, k.ref}),
        make_template({k.rule, k.missing}),
        make_template({k.path, k.message}),
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

ResultBuilder::ResultBuilder(const Pack& pack)
    : engine_(make_str(bia::version())),
      pack_name_(make_str(pack.name())),
      pack_version_(make_str(pack.version())),
      pack_digest_(make_str(pack.digest())),
      pack_name_text_(pack.name()) {
    domain_names_.resize(pack.domains().size());
    domain_titles_.resize(pack.domains().size());
}

PyObject* ResultBuilder::slot(Slot& s, std::string_view value) {
    if (!s.object || s.text != value) {
        s.text.assign(value);
        s.object = make_str(value);
    }
    return s.object.ptr();
}

PyObject* ResultBuilder::slot_or_text(Slot& s, std::string_view value) {
    if (!s.object || s.text != value) {
        s.text.assign(value);
        s.object = py::reinterpret_borrow<py::object>(text(value));
    }
    return s.object.ptr();
}

ResultBuilder::RuleTexts& ResultBuilder::rule_texts(std::string_view rule) {
    auto it = rules_.find(rule);
    if (it == rules_.end()) {
        if (rules_.size() >= 65536) rules_.clear();  // a pack has far fewer rules; stay bounded anyway
        it = rules_.emplace(std::string(rule), RuleTexts{}).first;
    }
    return it->second;
}

PyObject* ResultBuilder::text(std::string_view s) {
    auto it = texts_.find(s);
    if (it != texts_.end()) return it->second.ptr();
    // Bounded, in case a pack's results ever carry text that keeps changing.
    if (texts_.size() >= 65536) texts_.clear();
    return texts_.emplace(std::string(s), make_str(s)).first->second.ptr();
}

PyObject* ResultBuilder::date(Date d) {
    auto it = dates_.find(d.days());
    if (it != dates_.end()) return it->second.ptr();
    if (dates_.size() >= 65536) dates_.clear();
    return dates_.emplace(d.days(), make_str(d.to_string())).first->second.ptr();
}

py::dict ResultBuilder::result(const Result& r) {
    py::dict d = from_template(templates.result);
    PyObject* dp = d.ptr();
    // The engine reports its own version; it equals bia::version() in one build.
    put_borrowed(dp, keys.engine, r.engine == bia::version() ? engine_.ptr() : text(r.engine));

    py::dict pack = from_template(templates.pack);
    put_borrowed(pack.ptr(), keys.name, r.pack_name == pack_name_text_ ? pack_name_.ptr() : text(r.pack_name));
    put(pack.ptr(), keys.version, pack_version_);
    put(pack.ptr(), keys.digest, pack_digest_);
    put(dp, keys.pack, pack);

    put_borrowed(dp, keys.as_of, date(r.as_of));
    put_borrowed(dp, keys.level, text(r.level));
    put_borrowed(dp, keys.possible_level, text(r.possible_level));
    put(dp, keys.score, new_number(r.score));
    put(dp, keys.possible_score, new_number(r.possible_score));

    py::dict domains = py::reinterpret_steal<py::dict>(PyDict_New());
    if (!domains) throw py::error_already_set();
    for (std::size_t i = 0; i < r.domains.size(); ++i) {
        const DomainScore& ds = r.domains[i];
        const bool cached = i < domain_names_.size();  // every declared domain, in declaration order
        py::dict entry = from_template(templates.domain);
        put_borrowed(entry.ptr(), keys.title, cached ? slot(domain_titles_[i], ds.title) : text(ds.title));
        put(entry.ptr(), keys.score, new_number(ds.score));
        put_borrowed(domains.ptr(), cached ? slot(domain_names_[i], ds.name) : text(ds.name), entry.ptr());
    }
    put(dp, keys.domains, domains);

    py::list fired = new_list(r.fired.size());
    for (std::size_t i = 0; i < r.fired.size(); ++i) {
        const FiredRule& f = r.fired[i];
        RuleTexts& rt = rule_texts(f.rule);
        py::dict e = from_template(templates.fired);
        PyObject* ep = e.ptr();
        put_borrowed(ep, keys.rule, text(f.rule));
        put_borrowed(ep, keys.title, slot(rt.title, f.title));
        if (f.domain) put_borrowed(ep, keys.domain, slot(rt.domain, *f.domain));
        if (f.severity) put_borrowed(ep, keys.severity, slot(rt.severity, *f.severity));
        put(ep, keys.score, new_number(f.score));
        if (rt.actions.size() < f.actions.size()) rt.actions.resize(f.actions.size());
        py::list actions = new_list(f.actions.size());
        for (std::size_t a = 0; a < f.actions.size(); ++a) {
            const ActionDue& action = f.actions[a];
            py::dict ad = from_template(templates.action);
            put_borrowed(ad.ptr(), keys.text, slot(rt.actions[a], action.text));
            if (action.due) put_borrowed(ad.ptr(), keys.due, date(*action.due));
            put_borrowed(ad.ptr(), keys.overdue, action.overdue ? Py_True : Py_False);
            set_item(actions, a, std::move(ad));
        }
        put(ep, keys.actions, actions);
        if (rt.cites.size() < f.cites.size()) rt.cites.resize(f.cites.size());
        py::list cites = new_list(f.cites.size());
        for (std::size_t c = 0; c < f.cites.size(); ++c) {
            const Citation& cite = f.cites[c];
            py::dict cd = from_template(templates.cite);
            put_borrowed(cd.ptr(), keys.source, slot(rt.cites[c][0], cite.source));
            put_borrowed(cd.ptr(), keys.title, slot(rt.cites[c][1], cite.title));
            if (cite.ref) put_borrowed(cd.ptr(), keys.ref, slot(rt.cites[c][2], *cite.ref));
            set_item(cites, c, std::move(cd));
        }
        put(ep, keys.cites, cites);
        set_item(fired, i, std::move(e));
    }
    put(dp, keys.fired, fired);

    py::list undetermined = new_list(r.undetermined.size());
    for (std::size_t i = 0; i < r.undetermined.size(); ++i) {
        const UndeterminedRule& u = r.undetermined[i];
        py::dict e = from_template(templates.undetermined);
        put_borrowed(e.ptr(), keys.rule, text(u.rule));
        // A rule's missing facts are often the same as the last time it was
        // undetermined: check that before hashing the path.
        RuleTexts& rt = rule_texts(u.rule);
        if (rt.missing.size() < u.missing.size()) rt.missing.resize(u.missing.size());
        py::list missing = new_list(u.missing.size());
        for (std::size_t m = 0; m < u.missing.size(); ++m) set_item(missing, m, slot_or_text(rt.missing[m], u.missing[m]));
        put(e.ptr(), keys.missing, missing);
        set_item(undetermined, i, std::move(e));
    }
    put(dp, keys.undetermined, undetermined);

    if (case_missing_.size() < r.missing.size()) case_missing_.resize(r.missing.size());
    py::list missing = new_list(r.missing.size());
    for (std::size_t m = 0; m < r.missing.size(); ++m) set_item(missing, m, slot_or_text(case_missing_[m], r.missing[m]));
    put(dp, keys.missing, missing);

    // Warnings name fields of the case, which vary without bound: not cached.
    py::list warnings = new_list(r.warnings.size());
    for (std::size_t w = 0; w < r.warnings.size(); ++w) {
        py::dict e = from_template(templates.message);
        put(e.ptr(), keys.path, new_str(r.warnings[w].path));
        put(e.ptr(), keys.message, new_str(r.warnings[w].message));
        set_item(warnings, w, std::move(e));
    }
    put(dp, keys.warnings, warnings);
    return d;
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

}  // namespace bia::python
