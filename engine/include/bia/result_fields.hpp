// The result contract (docs/result.md) described once: for each object of a
// Result and of a Summary, its members in contract order, each with its key,
// the struct member that holds it and how it is written.
//
// Every encoder walks this description instead of naming the members itself:
// the JSON writer (bia run, bia batch, the C API), Python's result dicts and
// summary dicts, and evaluate_frame's columns. A new result field is therefore
// one struct member plus one line here; each encoder then writes it. (Reports
// for people — text, HTML — choose what to show and are not encoders of the
// contract.)
//
// Header-only and dependency-free, so bindings compile against it; nothing here
// is exported from the library.
#pragma once

#include <bia/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace bia::contract {

// What the value of a Summary member points at: Summary names levels, rules,
// facts and actions by their position in the pack's lists.
enum class Names : std::uint8_t { nothing, level, rule, fact, action };

// One member of a contract object.
template <class Owner, class T>
struct Field {
    using owner_type = Owner;
    using value_type = T;
    std::string_view key;
    T Owner::*member;
    // The same in every result for the same rule or domain (a rule's title, an
    // action's text, a domain's title): a cache may keep it from one result to
    // the next. Members that vary from case to case (scores, due dates) are false.
    bool repeats = false;
    // Left out of the object when empty or absent (`id`, a warning's
    // `suggestion`) instead of written as null.
    bool omitted_when_empty = false;
    // The value is JSON text already (the case id as given), written as is.
    bool json_text = false;
    // For Summary members: the pack list the positions index.
    Names names = Names::nothing;
    // For strings and lists of strings: each is a declared fact's path.
    bool fact_path = false;
};

// A nested object whose members are members of the owner (the `pack` object
// holds Result::pack_name, pack_version and pack_digest). `Tag` is the type
// whose Contract lists them.
template <class Owner, class Tag>
struct Group {
    using owner_type = Owner;
    using tag_type = Tag;
    std::string_view key;
};

// A list of objects written as one JSON object keyed by each entry's name
// (`domains`: {"<name>": {"title", "score"}}).
template <class Owner, class E>
struct Keyed {
    using owner_type = Owner;
    using entry_type = E;
    std::string_view key;
    std::vector<E> Owner::*member;
    std::string E::*name;
};

template <class Owner, class T>
constexpr Field<Owner, T> repeating(std::string_view key, T Owner::*member) {
    return {key, member, true};
}
template <class Owner, class T>
constexpr Field<Owner, T> varying(std::string_view key, T Owner::*member) {
    return {key, member, false};
}
template <class Owner, class T>
constexpr Field<Owner, T> omitted_when_empty(std::string_view key, T Owner::*member, bool json_text = false) {
    return {key, member, false, true, json_text};
}
template <class Owner, class T>
constexpr Field<Owner, T> naming(std::string_view key, T Owner::*member, Names names) {
    return {key, member, false, false, false, names, names == Names::fact};
}
template <class Owner, class T>
constexpr Field<Owner, T> fact_paths(std::string_view key, T Owner::*member) {
    return {key, member, false, false, false, Names::nothing, true};
}

// The members of the contract object T, in contract order, as a std::tuple of
// Field, Group and Keyed. Specialised below for each object.
template <class T>
struct Contract;

// The `pack` object of a Result.
struct PackObject {};

template <>
struct Contract<PackObject> {
    static constexpr auto fields = std::tuple{
        repeating("name", &Result::pack_name),
        repeating("version", &Result::pack_version),
        repeating("digest", &Result::pack_digest),
    };
};

template <>
struct Contract<DomainScore> {
    // The domain's name is its key in `domains` (see Contract<Result>).
    static constexpr auto fields = std::tuple{
        repeating("title", &DomainScore::title),
        varying("score", &DomainScore::score),
    };
};

template <>
struct Contract<ActionDue> {
    static constexpr auto fields = std::tuple{
        repeating("text", &ActionDue::text),
        varying("due", &ActionDue::due),
        varying("overdue", &ActionDue::overdue),
        // Result version 1.2: written only when true, so a v1 pack's results are unchanged.
        Field<ActionDue, bool>{"immediate", &ActionDue::immediate, true, true},
    };
};

template <>
struct Contract<Citation> {
    static constexpr auto fields = std::tuple{
        repeating("source", &Citation::source),
        repeating("title", &Citation::title),
        repeating("ref", &Citation::ref),
    };
};

template <>
struct Contract<FiredRule> {
    static constexpr auto fields = std::tuple{
        repeating("rule", &FiredRule::rule),
        repeating("title", &FiredRule::title),
        repeating("domain", &FiredRule::domain),
        repeating("severity", &FiredRule::severity),
        repeating("score", &FiredRule::score),
        varying("actions", &FiredRule::actions),
        varying("cites", &FiredRule::cites),
    };
};

template <>
struct Contract<UndeterminedRule> {
    static constexpr auto fields = std::tuple{
        repeating("rule", &UndeterminedRule::rule),
        fact_paths("missing", &UndeterminedRule::missing),
    };
};

template <>
struct Contract<Warning> {
    static constexpr auto fields = std::tuple{
        varying("path", &Warning::path),
        varying("message", &Warning::message),
        omitted_when_empty("suggestion", &Warning::suggestion),
    };
};

// One entry of a case's `errors` (evaluate_many's error records, FactError).
template <>
struct Contract<FactError> {
    static constexpr auto fields = std::tuple{
        varying("path", &FactError::path),
        varying("message", &FactError::message),
    };
};

template <>
struct Contract<Result> {
    static constexpr auto fields = std::tuple{
        // First, where a reader matching results to cases looks; only when asked for.
        omitted_when_empty("id", &Result::id, /*json_text=*/true),
        varying("engine", &Result::engine),
        Group<Result, PackObject>{"pack"},
        varying("as_of", &Result::as_of),
        varying("level", &Result::level),
        varying("possible_level", &Result::possible_level),
        varying("score", &Result::score),
        varying("possible_score", &Result::possible_score),
        Keyed<Result, DomainScore>{"domains", &Result::domains, &DomainScore::name},
        varying("fired", &Result::fired),
        varying("undetermined", &Result::undetermined),
        fact_paths("missing", &Result::missing),
        varying("warnings", &Result::warnings),
        // Result version 1.1: after every 1.0 field.
        fact_paths("ask_first", &Result::ask_first),
        // Result version 1.2: only a language 2 pack's result can have it, and only then is it written.
        Field<Result, std::vector<std::string>>{"imprecise", &Result::imprecise, false, true, false, Names::nothing, true},
    };
};

// A Summary as Python's format="summary" dicts and evaluate_frame's columns
// give it: positions turned into the names they index.
template <>
struct Contract<Summary> {
    static constexpr auto fields = std::tuple{
        naming("level", &Summary::level, Names::level),
        naming("possible_level", &Summary::possible_level, Names::level),
        varying("score", &Summary::score),
        varying("possible_score", &Summary::possible_score),
        naming("fired", &Summary::fired, Names::rule),
        naming("undetermined", &Summary::undetermined, Names::rule),
        naming("missing", &Summary::missing, Names::fact),
        naming("overdue", &Summary::overdue, Names::action),
        // Result version 1.1: after every 1.0 field.
        naming("ask_first", &Summary::ask_first, Names::fact),
    };
};

template <class T>
inline constexpr std::size_t field_count = std::tuple_size_v<decltype(Contract<T>::fields)>;

// Calls f(field) for each member of T in contract order.
template <class T, class F>
constexpr void for_each_field(F&& f) {
    std::apply([&](const auto&... field) { (f(field), ...); }, Contract<T>::fields);
}

// Calls f(std::integral_constant<std::size_t, I>{}) for each member's position I,
// so that `std::get<I>(Contract<T>::fields)` is a constant expression in f.
template <class T, class F>
constexpr void for_each_index(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<field_count<T>>{});
}

template <class T>
struct is_vector : std::false_type {};
template <class E>
struct is_vector<std::vector<E>> : std::true_type {
    using element_type = E;
};

// Whether T is an object of the contract (has a Contract specialisation).
template <class T>
concept Object = requires { Contract<T>::fields; };

template <class F>
struct is_field : std::false_type {};
template <class O, class T>
struct is_field<Field<O, T>> : std::true_type {};

// Whether the member `F` is a list of contract objects (fired, actions, ...).
template <class F>
constexpr bool is_object_list() {
    if constexpr (is_field<F>::value) {
        using T = typename F::value_type;
        if constexpr (is_vector<T>::value) return Object<typename is_vector<T>::element_type>;
    }
    return false;
}

// The number of members of T that are omitted when empty.
template <class T>
constexpr std::size_t omittable_count() {
    std::size_t n = 0;
    for_each_field<T>([&](const auto& f) {
        if constexpr (is_field<std::decay_t<decltype(f)>>::value) n += f.omitted_when_empty ? 1 : 0;
    });
    return n;
}

// Whether every member of T that is omitted when empty also repeats: then whether it is there is
// the same for every result of one rule, and a cached entry (Python's prototypes) can keep it.
template <class T>
constexpr bool omittable_members_repeat() {
    bool all = true;
    for_each_field<T>([&](const auto& f) {
        if constexpr (is_field<std::decay_t<decltype(f)>>::value) all = all && (!f.omitted_when_empty || f.repeats);
    });
    return all;
}

// Whether a member that is omitted when empty is empty (absent) in `owner`.
template <class Owner, class T>
bool is_empty(const Owner& owner, const Field<Owner, T>& f) {
    const T& v = owner.*f.member;
    if constexpr (requires { v.has_value(); }) return !v.has_value();
    else if constexpr (requires { v.empty(); }) return v.empty();
    else if constexpr (std::is_same_v<T, bool>) return !v;  // a flag written only when set (`immediate`)
    else return false;  // a number is never absent
}

}  // namespace bia::contract
