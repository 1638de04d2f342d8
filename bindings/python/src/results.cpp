// Result structs -> dicts, walking the contract's description (bia/result_fields.hpp)
// with interned keys, so a cohort of results stays cheap.
#include "results.hpp"

#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstring>

namespace bia::python {

using contract::Contract;
using contract::for_each_index;

namespace {

// The member at position I of Contract<T>, as a constant expression.
template <class T, std::size_t I>
constexpr const auto& field_at = std::get<I>(Contract<T>::fields);

template <class F>
using field_type = std::remove_cvref_t<F>;

// Interned once and never released: they live as long as the interpreter.
// keys<T>[I] is the key of member I of Contract<T>.
template <class T>
PyObject* keys[contract::field_count<T>] = {};

// Dicts with every key of a contract object, in contract order, and None
// values: copying one and replacing its values is quicker than inserting the
// keys one by one (no resizing, the key table is copied whole). One per
// combination of the members that are omitted when empty: bit n of the index
// is set when the n-th such member is present.
template <class T>
PyObject* templates[std::size_t{1} << contract::omittable_count<T>()] = {};

PyObject* intern(std::string_view s) {
    PyObject* o = PyUnicode_InternFromString(std::string(s).c_str());
    if (o == nullptr) throw py::error_already_set();
    return o;
}

template <class T>
void init_object() {
    for_each_index<T>([&](auto i) { keys<T>[i] = intern(field_at<T, i>.key); });
    for (std::size_t present = 0; present < std::size(templates<T>); ++present) {
        PyObject* d = PyDict_New();
        if (d == nullptr) throw py::error_already_set();
        std::size_t omittable = 0;
        for_each_index<T>([&](auto i) {
            bool omitted = false;
            if constexpr (contract::is_field<field_type<decltype(field_at<T, i>)>>::value)
                if (field_at<T, i>.omitted_when_empty) omitted = !(present >> omittable++ & 1);
            if (!omitted && PyDict_SetItem(d, keys<T>[i], Py_None) != 0) throw py::error_already_set();
        });
        templates<T>[present] = d;
    }
}

// Which template of T fits `v` (see `templates`).
template <class T>
std::size_t present_members(const T& v) {
    std::size_t present = 0, omittable = 0;
    contract::for_each_field<T>([&](const auto& f) {
        if constexpr (contract::is_field<field_type<decltype(f)>>::value)
            if (f.omitted_when_empty) present |= std::size_t{!contract::is_empty(v, f)} << omittable++;
    });
    return present;
}

py::object from_template(PyObject* tmpl) {
    PyObject* d = PyDict_Copy(tmpl);
    if (d == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(d);
}

py::object copy(const py::object& proto) { return from_template(proto.ptr()); }

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

// ... to a new reference, which it steals.
void set_new(const py::list& list, std::size_t i, PyObject* owned) {
    if (owned == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(i), owned);
}

// Equality of two member values as the contract sees them: numbers bit for
// bit, so that -0.0 and 0 (written differently) are told apart.
template <class V>
bool same(const V& a, const V& b) {
    if constexpr (std::is_same_v<V, double>) return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
    else return a == b;
}

// A default-constructed T: the value a prototype holds for a varying member,
// so an entry sets that member only when it differs.
template <class T>
const T default_object{};  // (a namespace-scope constant: no guard to test on every read)

template <class T>
const T& defaults() {
    return default_object<T>;
}

template <class F>
constexpr bool is_object_list = contract::is_object_list<F>();

template <class F>
constexpr bool is_list() {
    if constexpr (contract::is_field<F>::value) return contract::is_vector<typename F::value_type>::value;
    else return false;
}

// The varying members a worker copies onto the tape, one word each. Other
// varying members (text) are not copied: an entry holding one is built from
// the Result instead.
template <class V>
constexpr bool fits_tape = std::is_same_v<V, bool> || std::is_same_v<V, double> || std::is_same_v<V, Date> ||
                           std::is_same_v<V, std::optional<Date>>;

template <class V>
std::uint64_t to_word(const V& v) {
    if constexpr (std::is_same_v<V, bool>) return v ? 1 : 0;
    else if constexpr (std::is_same_v<V, double>) return std::bit_cast<std::uint64_t>(v);
    else if constexpr (std::is_same_v<V, Date>) return static_cast<std::uint32_t>(v.days());
    else return v ? std::uint64_t{1} << 32 | static_cast<std::uint32_t>(v->days()) : 0;
}

template <class V>
V from_word(std::uint64_t w) {
    const auto days = [&] { return Date::from_days(static_cast<std::int32_t>(static_cast<std::uint32_t>(w))); };
    if constexpr (std::is_same_v<V, bool>) return w != 0;
    else if constexpr (std::is_same_v<V, double>) return std::bit_cast<double>(w);
    else if constexpr (std::is_same_v<V, Date>) return days();
    else return w >> 32 ? std::optional<Date>(days()) : std::nullopt;
}

// Whether the repeating members of `a` and `b` are the same.
template <class T>
bool same_repeating(const T& a, const T& b) {
    bool same_so_far = true;
    for_each_index<T>([&](auto i) {
        constexpr const auto& f = field_at<T, i>;
        static_assert(contract::is_field<field_type<decltype(f)>>::value, "a prototyped object holds plain members");
        if constexpr (f.repeats) same_so_far = same_so_far && same(a.*f.member, b.*f.member);
    });
    return same_so_far;
}

template <class T>
void copy_repeating(T& to, const T& from) {
    for_each_index<T>([&](auto i) {
        constexpr const auto& f = field_at<T, i>;
        if constexpr (f.repeats) to.*f.member = from.*f.member;
    });
}

// What a prototype and those of its lists' entries were made from, as one T
// (its lists hold their entries' trees): what a snapshot keeps.
template <class T>
T seen_tree(const Proto<T>& p) {
    T tree = p.seen;
    for_each_index<T>([&](auto i) {
        if constexpr (is_object_list<field_type<decltype(field_at<T, i>)>>) {
            auto& list = tree.*field_at<T, i>.member;
            list.clear();
            for (const auto& child : std::get<i>(p.children)) {
                if (!child.dict) break;
                list.push_back(seen_tree(child));
            }
        }
    });
    return tree;
}

using FactIndex = std::unordered_map<std::string_view, std::uint32_t>;

std::uint32_t fact_index(const FactIndex& facts, const std::string& path) {
    auto it = facts.find(path);
    return it == facts.end() ? ResultBuilder::kUnknown : it->second;
}

// Whether `v` repeats what `seen` (a seen_tree) was made from; if so, its
// varying members are appended to `tape` in the order ResultBuilder::entry
// reads them. On false the tape may hold a partial entry: the caller cuts it.
// `RuleMatched`: `v` was found by its `rule`, which need not be compared again.
template <class T, bool RuleMatched = false>
bool check_entry(const T& seen, const T& v, const FactIndex& facts, std::vector<std::uint64_t>& tape) {
    bool ok = true;
    for_each_index<T>([&](auto i) {
        if (!ok) return;
        constexpr const auto& f = field_at<T, i>;
        if constexpr (RuleMatched && f.key == "rule") return;
        using F = field_type<decltype(f)>;
        using V = typename F::value_type;
        const V& value = v.*f.member;
        if constexpr (is_object_list<F>) {
            const V& seen_list = seen.*f.member;
            ok = value.size() <= seen_list.size();
            if (!ok) return;
            tape.push_back(value.size());
            for (std::size_t k = 0; ok && k < value.size(); ++k) ok = check_entry(seen_list[k], value[k], facts, tape);
        } else if constexpr (f.repeats) {
            ok = same(seen.*f.member, value);
        } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            ok = f.fact_path;
            if (!ok) return;
            tape.push_back(value.size());
            for (const std::string& path : value) {
                const std::uint32_t k = fact_index(facts, path);
                ok = ok && k != ResultBuilder::kUnknown;
                tape.push_back(k);
            }
        } else if constexpr (fits_tape<V>) {
            tape.push_back(to_word(value));
        } else {
            ok = false;
        }
    });
    return ok;
}

// Whether the object list `F` of a Result keeps a prototype per rule.
template <class E>
constexpr bool keyed_by_rule = std::is_same_v<E, FiredRule> || std::is_same_v<E, UndeterminedRule>;

template <class F>
constexpr bool is_rule_list() {
    if constexpr (is_object_list<F>) return keyed_by_rule<typename F::value_type::value_type>;
    else return false;
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

void init_result_keys() {
    init_object<Result>();
    init_object<contract::PackObject>();
    init_object<DomainScore>();
    init_object<FiredRule>();
    init_object<ActionDue>();
    init_object<Citation>();
    init_object<UndeterminedRule>();
    init_object<Warning>();
    init_object<FactError>();
    init_object<Summary>();
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
    struct Rule {
        std::uint64_t fired_version = 0, undetermined_version = 0;
        // seen_tree of the rule's prototypes; empty before the first is made.
        std::optional<FiredRule> fired;
        std::optional<UndeterminedRule> undetermined;
    };
    template <class E>
    static const std::optional<E>& tree_of(const Rule& r) {
        if constexpr (std::is_same_v<E, FiredRule>) return r.fired;
        else return r.undetermined;
    }
    template <class E>
    static std::uint64_t version_of(const Rule& r) {
        if constexpr (std::is_same_v<E, FiredRule>) return r.fired_version;
        else return r.undetermined_version;
    }
    const std::vector<RuleInfo>* names = nullptr;  // the pack's rules; the Pack outlives the call
    std::shared_ptr<const FactIndex> facts;        // path -> index
    std::vector<Rule> rules;                        // in pack order
    std::uint64_t domains_version = 0;
    std::vector<DomainScore> domains;  // seen_tree and name of each; empty unless all are made
};

template <class E>
Proto<E>& ResultBuilder::proto_of(RuleCache& rc) {
    if constexpr (std::is_same_v<E, FiredRule>) return rc.fired;
    else return rc.undetermined;
}

template <class E>
std::uint64_t& ResultBuilder::version_of(RuleCache& rc) {
    if constexpr (std::is_same_v<E, FiredRule>) return rc.fired_version;
    else return rc.undetermined_version;
}

ResultBuilder::ResultBuilder(const Pack& pack) : pack_(pack) {
    // Names only: the prototypes are made when a rule first appears, so one
    // evaluate() pays for the rules it reports and no more.
    rules_.resize(pack.rules().size());
    for (std::size_t i = 0; i < rules_.size(); ++i) rules_[i].name = pack.rules()[i].name;
    domains_.resize(pack.domains().size());
    domain_names_.resize(pack.domains().size());
}

std::shared_ptr<const ResultBuilder::Snapshot> ResultBuilder::snapshot() {
    if (snapshot_ && !changed_) return snapshot_;
    auto s = std::make_shared<Snapshot>();
    s->names = &pack_.rules();
    if (!fact_index_) {
        auto index = std::make_shared<FactIndex>();
        for (std::size_t f = 0; f < pack_.fact_paths().size(); ++f)
            index->emplace(pack_.fact_paths()[f], static_cast<std::uint32_t>(f));
        fact_index_ = std::move(index);
    }
    s->facts = fact_index_;
    s->rules.resize(pack_.rules().size());
    for (std::size_t k = 0; k < s->rules.size(); ++k) {
        const RuleCache& rc = rules_[k];
        Snapshot::Rule& sr = s->rules[k];
        sr.fired_version = rc.fired_version;
        sr.undetermined_version = rc.undetermined_version;
        if (rc.fired.dict) sr.fired = seen_tree(rc.fired);
        if (rc.undetermined.dict) sr.undetermined = seen_tree(rc.undetermined);
    }
    s->domains_version = domains_version_;
    for (const Proto<DomainScore>& p : domains_) {
        if (!p.dict) {
            s->domains.clear();
            break;
        }
        s->domains.push_back(seen_tree(p));
    }
    snapshot_ = std::move(s);
    changed_ = false;
    return snapshot_;
}

// The members of a Result in contract order, as result() reads them back:
// for the domains, the rule lists and the fact lists, what the workers can
// vouch for and the tape words that go with it.
void ResultBuilder::check(const Snapshot& s, const Result& r, Checked& out) {
    out.snapshot = &s;
    out.fired.clear();
    out.undetermined.clear();
    out.tape.clear();
    out.domains_same = false;
    out.domain_words = 0;
    for_each_index<Result>([&](auto i) {
        constexpr const auto& f = field_at<Result, i>;
        using F = field_type<decltype(f)>;
        if constexpr (std::is_same_v<F, contract::Keyed<Result, DomainScore>>) {
            const std::size_t start = out.tape.size();
            const auto& list = r.*f.member;
            bool same_domains = list.size() == s.domains.size();
            for (std::size_t k = 0; same_domains && k < list.size(); ++k)
                same_domains = list[k].*f.name == s.domains[k].*f.name &&
                               check_entry(s.domains[k], list[k], *s.facts, out.tape);
            if (!same_domains) out.tape.resize(start);
            out.domains_same = same_domains;
            out.domain_words = out.tape.size() - start;
        } else if constexpr (is_rule_list<F>()) {
            using E = typename F::value_type::value_type;
            std::vector<std::uint64_t>& codes = std::is_same_v<E, FiredRule> ? out.fired : out.undetermined;
            std::size_t cursor = 0;
            for (const E& e : r.*f.member) {
                const std::uint32_t k = find_rule(*s.names, e.rule, cursor);
                std::uint64_t code = k;
                if (k != kUnknown) {
                    const std::optional<E>& seen = Snapshot::tree_of<E>(s.rules[k]);
                    const std::size_t start = out.tape.size();
                    if (seen && check_entry<E, true>(*seen, e, *s.facts, out.tape))
                        code |= kSame | std::uint64_t{out.tape.size() - start} << 32;
                    else
                        out.tape.resize(start);
                }
                codes.push_back(code);
            }
        } else if constexpr (contract::is_field<F>::value) {
            if constexpr (std::is_same_v<typename F::value_type, std::vector<std::string>>) {
                if (f.fact_path) {
                    const auto& list = r.*f.member;
                    out.tape.push_back(list.size());
                    for (const std::string& path : list) out.tape.push_back(fact_index(*s.facts, path));
                }
            }
        }
    });
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

template <class V>
PyObject* ResultBuilder::value(const V& v, bool repeats) {
    if constexpr (std::is_same_v<V, std::string>) {
        // Repeating text comes from the shared cache; the rest (warnings) varies without bound.
        return repeats ? Py_NewRef(text(v)) : new_str(v);
    } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
        return v ? value(*v, repeats) : Py_NewRef(Py_None);
    } else if constexpr (std::is_same_v<V, double>) {
        return new_number(v);
    } else if constexpr (std::is_same_v<V, bool>) {
        return Py_NewRef(v ? Py_True : Py_False);
    } else if constexpr (std::is_same_v<V, Date>) {
        return Py_NewRef(date(v));
    } else if constexpr (std::is_same_v<V, std::optional<Date>>) {
        return v ? Py_NewRef(date(*v)) : Py_NewRef(Py_None);
    } else if constexpr (contract::is_vector<V>::value) {
        using E = typename V::value_type;
        py::list list = new_list(v.size());
        for (std::size_t k = 0; k < v.size(); ++k) {
            if constexpr (contract::Object<E>) set_new(list, k, object(v[k]));
            else set_new(list, k, value(v[k], true));  // fact paths: from the pack
        }
        return list.release().ptr();
    } else {
        static_assert(sizeof(V) == 0, "a member type the contract does not know: add it here and to the JSON writer");
    }
}

PyObject* ResultBuilder::texts(std::vector<Slot>& slots, const std::vector<std::string>& list) {
    // A rule's missing facts are often those of the last time it was
    // undetermined: comparing costs less than hashing the path.
    if (slots.size() < list.size()) slots.resize(list.size());
    py::list out = new_list(list.size());
    for (std::size_t k = 0; k < list.size(); ++k) set_item(out, k, slot_or_text(slots[k], list[k]));
    return out.release().ptr();
}

template <class T>
PyObject* ResultBuilder::object(const T& v) {
    py::object d = from_template(templates<T>[present_members(v)]);
    for_each_index<T>([&](auto i) {
        constexpr const auto& f = field_at<T, i>;
        using F = field_type<decltype(f)>;
        static_assert(contract::is_field<F>::value, "groups and keyed lists are members of Result only");
        if (f.omitted_when_empty && contract::is_empty(v, f)) return;
        put(d.ptr(), keys<T>[i], value(v.*f.member, f.repeats));
    });
    return d.release().ptr();
}

template <class T>
PyObject* ResultBuilder::entry(Proto<T>& p, const T& v, bool& remade) {
    // A member omitted when empty must repeat: the prototype then holds it or not for every entry it makes.
    static_assert(contract::omittable_members_repeat<T>(), "a prototyped object's members omitted when empty repeat");
    if (!p.dict || !same_repeating(p.seen, v)) {
        py::object d = from_template(templates<T>[present_members(v)]);
        for_each_index<T>([&](auto i) {
            constexpr const auto& f = field_at<T, i>;
            using F = field_type<decltype(f)>;
            // Lists are fresh in every entry; the rest is the value or, when it varies, the default.
            if constexpr (!is_list<F>()) {
                if (f.omitted_when_empty && contract::is_empty(v, f)) return;
                put(d.ptr(), keys<T>[i], value(f.repeats ? v.*f.member : defaults<T>().*f.member, f.repeats));
            }
        });
        p.dict = std::move(d);
        copy_repeating(p.seen, v);
        remade = true;
    }
    py::object e = copy(p.dict);
    for_each_index<T>([&](auto i) {
        constexpr const auto& f = field_at<T, i>;
        using F = field_type<decltype(f)>;
        const auto& value_of = v.*f.member;
        if constexpr (is_object_list<F>) {
            auto& children = std::get<i>(p.children);
            if (children.size() < value_of.size()) children.resize(value_of.size());
            py::list list = new_list(value_of.size());
            for (std::size_t k = 0; k < value_of.size(); ++k) set_new(list, k, entry(children[k], value_of[k], remade));
            put(e.ptr(), keys<T>[i], list.release().ptr());
        } else if constexpr (is_list<F>()) {
            put(e.ptr(), keys<T>[i], texts(std::get<i>(p.children), value_of));
        } else if (!f.repeats && !same(value_of, defaults<T>().*f.member)) {
            put(e.ptr(), keys<T>[i], value(value_of, false));
        }
    });
    return e.release().ptr();
}

template <class T>
PyObject* ResultBuilder::entry(const Proto<T>& p, const std::uint64_t*& tape) {
    py::object e = copy(p.dict);
    for_each_index<T>([&](auto i) {
        constexpr const auto& f = field_at<T, i>;
        using F = field_type<decltype(f)>;
        using V = typename F::value_type;
        if constexpr (is_object_list<F>) {
            const auto& children = std::get<i>(p.children);
            const std::size_t n = *tape++;
            py::list list = new_list(n);
            for (std::size_t k = 0; k < n; ++k) set_new(list, k, entry(children[k], tape));
            put(e.ptr(), keys<T>[i], list.release().ptr());
        } else if constexpr (f.repeats) {
            // In the prototype already.
        } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            const std::size_t n = *tape++;
            py::list list = new_list(n);
            for (std::size_t k = 0; k < n; ++k) set_item(list, k, fact(static_cast<std::uint32_t>(*tape++)));
            put(e.ptr(), keys<T>[i], list.release().ptr());
        } else if constexpr (fits_tape<V>) {
            const V x = from_word<V>(*tape++);
            if (!same(x, defaults<T>().*f.member)) put(e.ptr(), keys<T>[i], value(x, false));
        }
    });
    return e.release().ptr();
}

template <class E>
py::list ResultBuilder::rule_entries(const std::vector<E>& entries, const Checked* checked,
                                     const std::uint64_t*& tape) {
    const Snapshot* snap = checked ? checked->snapshot : nullptr;
    const std::vector<std::uint64_t>* codes = nullptr;
    if (checked) codes = std::is_same_v<E, FiredRule> ? &checked->fired : &checked->undetermined;
    py::list list = new_list(entries.size());
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (snap) {
            const std::uint64_t code = (*codes)[i];
            const std::uint32_t k = static_cast<std::uint32_t>(code) & kUnknown;
            // (The name is read only when the check did not find it: reading it
            // would cost a cache miss per entry.)
            RuleCache& rc = k != kUnknown ? rules_[k] : rule(entries[i].rule, cursor);
            const std::uint64_t* const next = tape + (code >> 32);
            // The check vouches for the prototypes its snapshot saw, and only those.
            if ((code & kSame) && version_of<E>(rc) == Snapshot::version_of<E>(snap->rules[k])) {
                set_new(list, i, entry(std::as_const(proto_of<E>(rc)), tape));
                tape = next;
                continue;
            }
            tape = next;
            bool remade = false;
            set_new(list, i, entry(proto_of<E>(rc), entries[i], remade));
            if (remade) ++version_of<E>(rc), changed_ = true;
        } else {
            RuleCache& rc = rule(entries[i].rule, cursor);
            bool remade = false;
            set_new(list, i, entry(proto_of<E>(rc), entries[i], remade));
            if (remade) ++version_of<E>(rc), changed_ = true;
        }
    }
    return list;
}

py::object ResultBuilder::domains(const Result& r, const Checked* checked, const std::uint64_t*& tape) {
    py::object out = py::reinterpret_steal<py::object>(PyDict_New());
    if (!out) throw py::error_already_set();
    if (checked && checked->domains_same) {
        const std::uint64_t* const next = tape + checked->domain_words;
        if (checked->snapshot->domains_version == domains_version_) {
            // Every declared domain, each prototype as the check saw it.
            for (std::size_t i = 0; i < domains_.size(); ++i)
                put(out.ptr(), domain_names_[i].ptr(), entry(std::as_const(domains_[i]), tape));
            return out;
        }
        tape = next;
    }
    for (std::size_t i = 0; i < r.domains.size(); ++i) {
        const DomainScore& ds = r.domains[i];
        if (i < domains_.size()) {  // every declared domain, in declaration order
            Proto<DomainScore>& p = domains_[i];
            bool remade = false;
            if (!p.dict || p.seen.name != ds.name) {
                // The name is the entry's key, not a member: a new name makes a new prototype.
                p.dict = py::object();
                p.seen.name = ds.name;
                domain_names_[i] = make_str(ds.name);
            }
            PyObject* e = entry(p, ds, remade);
            if (remade) ++domains_version_, changed_ = true;
            put(out.ptr(), domain_names_[i].ptr(), e);
        } else {
            put(out.ptr(), text(ds.name), object(ds));
        }
    }
    return out;
}

template <class Tag>
py::object ResultBuilder::group(const Result& r) {
    bool same_group = static_cast<bool>(pack_dict_);
    contract::for_each_field<Tag>([&](const auto& f) { same_group = same_group && same(group_seen_.*f.member, r.*f.member); });
    if (!same_group) {
        py::object d = from_template(templates<Tag>[0]);
        for_each_index<Tag>([&](auto i) {
            constexpr const auto& f = field_at<Tag, i>;
            put(d.ptr(), keys<Tag>[i], value(r.*f.member, true));
            group_seen_.*f.member = r.*f.member;
        });
        pack_dict_ = std::move(d);
    }
    return copy(pack_dict_);
}

PyObject* ResultBuilder::text(std::string_view s) {
    auto it = texts_.find(s);
    if (it != texts_.end()) return it->second.ptr();
    // Bounded, in case a pack's results ever carry text that keeps changing.
    if (texts_.size() >= 65536) texts_.clear();
    return texts_.emplace(std::string(s), make_str(s)).first->second.ptr();
}

PyObject* ResultBuilder::fact(std::uint32_t index) {
    if (facts_.empty()) facts_.resize(pack_.fact_paths().size());
    py::object& o = facts_[index];
    if (!o) o = py::reinterpret_borrow<py::object>(text(pack_.fact_paths()[index]));
    return o.ptr();
}

PyObject* ResultBuilder::date(Date d) {
    auto it = dates_.find(d.days());
    if (it != dates_.end()) return it->second.ptr();
    if (dates_.size() >= 65536) dates_.clear();
    return dates_.emplace(d.days(), make_str(d.to_string())).first->second.ptr();
}

py::dict ResultBuilder::result(const Result& r, const Checked* checked) {
    const Snapshot* snap = checked ? checked->snapshot : nullptr;
    const std::uint64_t* tape = snap ? checked->tape.data() : nullptr;
    py::object d = from_template(templates<Result>[present_members(r)]);
    PyObject* dp = d.ptr();
    for_each_index<Result>([&](auto i) {
        constexpr const auto& f = field_at<Result, i>;
        using F = field_type<decltype(f)>;
        PyObject* const key = keys<Result>[i];
        if constexpr (std::is_same_v<F, contract::Keyed<Result, DomainScore>>) {
            put(dp, key, domains(r, checked, tape).release().ptr());
        } else if constexpr (requires { typename F::tag_type; }) {
            put(dp, key, group<typename F::tag_type>(r).release().ptr());
        } else if constexpr (is_rule_list<F>()) {
            put(dp, key, rule_entries(r.*f.member, checked, tape).release().ptr());
        } else {
            using V = typename F::value_type;
            const V& v = r.*f.member;
            if constexpr (std::is_same_v<V, std::optional<std::string>>) {
                if (f.json_text) {
                    if (v) put(dp, key, id_object(*v).release().ptr());
                    return;
                }
            }
            if constexpr (std::is_same_v<V, std::string>) {
                // The result's own strings (engine, level, ...) are usually those of the last result.
                put_borrowed(dp, key, slot_or_text(top_[i], v));
            } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
                if (f.omitted_when_empty && v.empty()) {  // (`imprecise`): its key is not in the template
                    if (snap && f.fact_path) ++tape;      // the worker's count, 0
                    return;
                }
                if (snap && f.fact_path) {
                    const std::size_t n = *tape++;
                    py::list list = new_list(n);
                    for (std::size_t m = 0; m < n; ++m, ++tape)
                        set_item(list, m, *tape != kUnknown ? fact(static_cast<std::uint32_t>(*tape)) : text(v[m]));
                    put(dp, key, list.release().ptr());
                } else {
                    put(dp, key, texts(top_lists_[i], v));
                }
            } else {
                if (f.omitted_when_empty && contract::is_empty(r, f)) return;
                put(dp, key, value(v, false));
            }
        }
    });
    return py::reinterpret_steal<py::dict>(d.release());
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
    // Error texts name fields of the case, which vary without bound: not cached.
    py::list out = new_list(errors.size());
    for (std::size_t i = 0; i < errors.size(); ++i) {
        py::object d = from_template(templates<FactError>[0]);
        for_each_index<FactError>([&](auto m) {
            constexpr const auto& f = field_at<FactError, m>;
            put(d.ptr(), keys<FactError>[m], new_str(errors[i].*f.member));
        });
        set_new(out, i, d.release().ptr());
    }
    return out;
}

PyObject* SummaryBuilder::cached(std::vector<py::object>& cache, std::size_t index, std::string_view text) {
    if (cache.size() <= index) cache.resize(index + 1);
    if (!cache[index]) cache[index] = make_str(text);
    return cache[index].ptr();
}

PyObject* SummaryBuilder::name(contract::Names names, std::uint32_t index, std::uint32_t action) {
    switch (names) {
        case contract::Names::level: return cached(levels_, index, pack_.levels()[index].name);
        case contract::Names::rule: return cached(rules_, index, pack_.rules()[index].name);
        case contract::Names::fact: return cached(facts_, index, pack_.fact_paths()[index]);
        case contract::Names::action:
            if (actions_.size() < pack_.rules().size()) actions_.resize(pack_.rules().size());
            return cached(actions_[index], action, pack_.rules()[index].actions[action]);
        case contract::Names::nothing: break;
    }
    return Py_None;
}

template <std::size_t I>
PyObject* SummaryBuilder::member(const Summary& s, bool number_as_float) {
    constexpr const auto& f = field_at<Summary, I>;
    using V = typename field_type<decltype(f)>::value_type;
    const V& v = s.*f.member;
    if constexpr (std::is_same_v<V, double>) {
        return number_as_float ? PyFloat_FromDouble(v) : new_number(v);
    } else if constexpr (std::is_same_v<V, std::size_t>) {
        return Py_NewRef(name(f.names, static_cast<std::uint32_t>(v)));
    } else if constexpr (std::is_same_v<V, std::vector<std::uint32_t>>) {
        py::list list = new_list(v.size());
        for (std::size_t k = 0; k < v.size(); ++k) set_item(list, k, name(f.names, v[k]));
        return list.release().ptr();
    } else if constexpr (std::is_same_v<V, std::vector<Summary::Overdue>>) {
        py::list list = new_list(v.size());
        for (std::size_t k = 0; k < v.size(); ++k) set_item(list, k, name(f.names, v[k].rule, v[k].action));
        return list.release().ptr();
    } else {
        static_assert(sizeof(V) == 0, "a Summary member type the Python summary does not know");
    }
}

py::dict SummaryBuilder::dict(const Summary& s) {
    py::object d = from_template(templates<Summary>[0]);
    for_each_index<Summary>([&](auto i) { put(d.ptr(), keys<Summary>[i], member<i>(s, false)); });
    return py::reinterpret_steal<py::dict>(d.release());
}

void SummaryBuilder::Columns::add(const Summary& s) {
    for_each_index<Summary>([&](auto i) {
        PyObject* cell = b_.member<i>(s, true);
        if (cell == nullptr || PyList_Append(columns_[i].ptr(), cell) != 0) {
            Py_XDECREF(cell);
            throw py::error_already_set();
        }
        Py_DECREF(cell);
    });
    error_.append(py::none());
}

void SummaryBuilder::Columns::add_error(py::object message) {
    for_each_index<Summary>([&](auto i) {
        if constexpr (is_list<field_type<decltype(field_at<Summary, i>)>>()) columns_[i].append(py::list());
        else columns_[i].append(py::none());
    });
    error_.append(std::move(message));
}

py::dict SummaryBuilder::Columns::take() {
    py::dict out;
    for_each_index<Summary>([&](auto i) { out[keys<Summary>[i]] = std::move(columns_[i]); });
    out["error"] = std::move(error_);
    return out;
}

py::list summary_columns() {
    py::list out;
    for_each_index<Summary>([&](auto i) {
        constexpr const auto& f = field_at<Summary, i>;
        using F = field_type<decltype(f)>;
        const char* kind = is_list<F>() ? "list" : f.names == contract::Names::level ? "level" : "number";
        out.append(py::make_tuple(py::reinterpret_borrow<py::str>(keys<Summary>[i]), kind));
    });
    return out;
}

}  // namespace bia::python
