// The Spirit X3 grammar of the rule language. The whole grammar lives in this
// one translation unit, so it compiles once and no X3 type leaves it: rules
// build the plain AST of ast.hpp directly through semantic actions.
#include "syntax/grammar.hpp"

#include "common/suggest.hpp"
#include "lang/operations.hpp"

#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>

namespace bia::syntax {
namespace x3 = boost::spirit::x3;

namespace {

using Iterator = const char*;

// What the actions need to turn iterators into spans and to bound nesting.
struct ParseEnv {
    Iterator base = nullptr;
    std::uint32_t file = 0;
    unsigned depth = 0;
    unsigned max_depth = 256;
};
struct env_tag;

// Thrown from inside the grammar for problems an expectation cannot express.
struct GrammarFailure {
    Iterator where;
    const char* code;
    std::string message;
};


// The words of the grammar; the reserved built-in functions' names are in lang/operations.hpp.
constexpr std::array<std::string_view, 19> keywords = {
    "pack", "source", "fact", "let", "level", "domain", "rule", "test", "severity", "score",
    "when", "action", "cites", "within", "and", "or", "not", "in", "today",
};
// true and false are literals, so they are reserved too.
bool reserved(std::string_view w) {
    if (w == "true" || w == "false" || std::find(keywords.begin(), keywords.end(), w) != keywords.end()) return true;
    const lang::Builtin* fn = lang::find_builtin(w);
    return fn != nullptr && fn->reserved;
}

// Skips blanks and comments; the skipper in the grammar does the same.
Iterator skip_blank(Iterator it, Iterator end) {
    while (it != end) {
        if (*it == ' ' || *it == '\t' || *it == '\r' || *it == '\n') { ++it; continue; }
        if (*it == '#') { while (it != end && *it != '\n') ++it; continue; }
        break;
    }
    return it;
}

template <typename Ctx>
ParseEnv& env_of(const Ctx& ctx) { return *x3::get<env_tag>(ctx); }

// The span of a range matched under x3::raw (which starts after the skipper).
template <typename Ctx, typename Range>
Span range_span(const Ctx& ctx, const Range& r) {
    const auto& env = env_of(ctx);
    return Span{env.file, static_cast<std::uint32_t>(&*r.begin() - env.base),
                static_cast<std::uint32_t>(&*r.begin() - env.base + (r.end() - r.begin()))};
}

// A keyword: the word, not followed by an identifier character.
struct keyword_parser : x3::parser<keyword_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;
    const char* word;
    constexpr explicit keyword_parser(const char* w) : word(w) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
        x3::skip_over(first, last, ctx);
        It it = first;
        for (const char* w = word; *w; ++w, ++it) {
            if (it == last || *it != *w) return false;
        }
        if (it != last && is_ident_char(*it)) return false;
        first = it;
        return true;
    }
};
constexpr keyword_parser kw(const char* w) { return keyword_parser(w); }

// Counts nesting where the grammar recurses and refuses to go past the limit,
// so hostile input gives an error instead of exhausting the stack.
template <typename Subject>
struct depth_guard : x3::unary_parser<Subject, depth_guard<Subject>> {
    using base_type = x3::unary_parser<Subject, depth_guard<Subject>>;
    static bool const handles_container = Subject::handles_container;
    using attribute_type = typename x3::traits::attribute_of<Subject, x3::unused_type>::type;
    static bool const has_attribute = true;
    constexpr explicit depth_guard(const Subject& s) : base_type(s) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
        auto& env = env_of(ctx);
        if (env.depth >= env.max_depth) {
            throw GrammarFailure{first, "E0501",
                                 "expression nested deeper than the limit of " + std::to_string(env.max_depth) +
                                     " (max_expression_depth)"};
        }
        ++env.depth;
        const bool ok = this->subject.parse(first, last, ctx, rctx, attr);
        --env.depth;
        return ok;
    }
};
struct depth_guard_gen {
    template <typename Subject>
    constexpr depth_guard<typename x3::extension::as_parser<Subject>::value_type> operator[](const Subject& s) const {
        return depth_guard<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(s));
    }
};
constexpr depth_guard_gen guard{};

// The end of a match without the blanks and comments X3 may have skipped after it
// while looking for a continuation that was not there.
std::uint32_t trim_end(const char* base, std::uint32_t begin, std::uint32_t end) {
    while (true) {
        while (end > begin && (base[end - 1] == ' ' || base[end - 1] == '\t' || base[end - 1] == '\r' ||
                               base[end - 1] == '\n')) {
            --end;
        }
        // Scan back no further than `begin`: a match starts outside any string or comment, and
        // rescanning the whole line for every node made long one-line expressions quadratic.
        std::uint32_t line_start = end;
        while (line_start > begin && base[line_start - 1] != '\n') --line_start;
        const std::size_t hash = detail::comment_start(std::string_view(base + line_start, end - line_start));
        if (hash == std::string_view::npos || line_start + hash < begin) return end;
        end = static_cast<std::uint32_t>(line_start + hash);
    }
}

// Sets the span of the value its subject parses into: from the first token to the last.
template <typename Subject>
struct span_directive : x3::unary_parser<Subject, span_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, span_directive<Subject>>;
    static bool const handles_container = Subject::handles_container;
    using attribute_type = typename x3::traits::attribute_of<Subject, x3::unused_type>::type;
    static bool const has_attribute = true;
    constexpr explicit span_directive(const Subject& s) : base_type(s) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
        x3::skip_over(first, last, ctx);
        const It begin = first;
        if (!this->subject.parse(first, last, ctx, rctx, attr)) return false;
        if constexpr (requires { attr.span; }) {
            const auto& env = env_of(ctx);
            const auto b = static_cast<std::uint32_t>(begin - env.base);
            attr.span = Span{env.file, b, trim_end(env.base, b, static_cast<std::uint32_t>(first - env.base))};
        }
        return true;
    }
};
struct span_gen {
    template <typename Subject>
    constexpr span_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](const Subject& s) const {
        return span_directive<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(s));
    }
};
constexpr span_gen span_of{};

}  // namespace
}  // namespace bia::syntax

namespace boost::spirit::x3 {
template <>
struct get_info<bia::syntax::keyword_parser> {
    using result_type = std::string;
    std::string operator()(const bia::syntax::keyword_parser& p) const { return std::string("'") + p.word + "'"; }
};

// Expectation messages name what was expected in words. X3 names composite
// parsers by their C++ type, so say what their parts expect instead.
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(const action<Subject, Action>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<bia::syntax::depth_guard<Subject>> {
    using result_type = std::string;
    std::string operator()(const bia::syntax::depth_guard<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<bia::syntax::span_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(const bia::syntax::span_directive<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<expect_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(const expect_directive<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<lexeme_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(const lexeme_directive<Subject>& p) const { return what(p.subject); }
};
template <typename Left, typename Right>
struct get_info<sequence<Left, Right>> {
    using result_type = std::string;
    std::string operator()(const sequence<Left, Right>& p) const { return what(p.left); }
};
template <typename Left, typename Right>
struct get_info<list<Left, Right>> {
    using result_type = std::string;
    std::string operator()(const list<Left, Right>& p) const { return what(p.left); }
};
template <typename Left, typename Right>
struct get_info<alternative<Left, Right>> {
    using result_type = std::string;
    std::string operator()(const alternative<Left, Right>& p) const { return what(p.left) + " or " + what(p.right); }
};
}  // namespace boost::spirit::x3

namespace bia::syntax {
namespace {

using x3::_attr;
using x3::_val;


// ---- tokens -------------------------------------------------------------

const auto ident_start = x3::char_("a-zA-Z_");
const auto ident_char = x3::char_("a-zA-Z0-9_");
const auto digit = x3::char_("0-9");
const auto blank = x3::omit[x3::char_(" \t\r\n")] | (x3::lit('#') >> *(x3::char_ - x3::eol));

x3::rule<class name_id, Name> const any_name = "a name";
x3::rule<class path_id, Name> const path_name = "a fact path";
x3::rule<class ref_id, Name> const ref_name = "a name";
x3::rule<class element_path_id, Name> const element_path = "a fact path";
x3::rule<class str_body_id, std::string> const str_body = "a string";
x3::rule<class string_lit_id_, StringLit> const string_lit =
    "a string";
x3::rule<class string_lit_body_id, StringLit> const string_lit_body = "a string";
x3::rule<class number_id, NumberLit> const number_lit = "a number";
x3::rule<class date_id, DateLit> const date_lit = "a date (YYYY-MM-DD)";
x3::rule<class escape_id, char> const escape = "an escape (\\\" or \\\\)";
x3::rule<class escaped_id, char> const escaped = "an escape (\\\" or \\\\)";
x3::rule<class plain_char_id, char> const plain_char = "a string";

auto set_name = [](auto& ctx) {
    const auto& r = _attr(ctx);
    _val(ctx).text.assign(r.begin(), r.end());
    _val(ctx).span = range_span(ctx, r);
};
auto check_not_keyword = [](auto& ctx) {
    const auto& r = _attr(ctx);
    // A reserved word cannot start an expression name; failing lets `and`/`or` end it.
    if (reserved(std::string_view(&*r.begin(), static_cast<std::size_t>(r.end() - r.begin())))) {
        x3::_pass(ctx) = false;
        return;
    }
    _val(ctx).text.assign(r.begin(), r.end());
    _val(ctx).span = range_span(ctx, r);
};

const auto word = x3::lexeme[ident_start >> *ident_char];
const auto any_name_def = x3::raw[word][set_name];
const auto path_name_def = x3::raw[x3::lexeme[word >> *('.' >> word)]][set_name];
// A fact path that may name a list's element's field (language 2): family.members[2].located.
const auto element_path_def = x3::raw[x3::lexeme[word >> *(('.' >> word) | ('[' >> +digit >> ']'))]][set_name];
// In expressions, a name is a path whose first segment is not reserved.
const auto ref_name_def = x3::raw[x3::lexeme[word >> *('.' >> word)]][check_not_keyword];

const auto escaped_def = x3::char_('"') | x3::char_('\\');
const auto escape_def = x3::lit('\\') > escaped;
// A control character other than tab would reach text and HTML reports raw, and a NUL
// would cut the NUL-terminated strings the C API hands out.
const auto plain_char_def = x3::raw[x3::char_ - x3::char_("\"\\\r\n")][([](auto& ctx) {
    const auto& r = _attr(ctx);
    const auto c = static_cast<unsigned char>(*r.begin());
    if (c < 0x20 && c != '\t') {
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", c);
        throw GrammarFailure{&*r.begin(), "E0106",
                             std::string("a string holds the control character ") + code +
                                 "; only tab may appear in a string"};
    }
    _val(ctx) = static_cast<char>(c);
})];
const auto str_body_def = x3::lexeme['"' > *(escape | plain_char) > '"'];
const auto string_lit_body_def = str_body[([](auto& ctx) { _val(ctx).value = std::move(_attr(ctx)); })];

const auto number_lit_def = x3::raw[x3::lexeme[+digit >> -('.' >> +digit) >> !(ident_char | '.')]][([](auto& ctx) {
    const auto& r = _attr(ctx);
    auto& n = _val(ctx);
    n.text.assign(r.begin(), r.end());
    n.span = range_span(ctx, r);
    const auto res = std::from_chars(n.text.data(), n.text.data() + n.text.size(), n.value);
    if (res.ec != std::errc()) {
        throw GrammarFailure{&*r.begin(), "E0102", "number " + n.text + " is out of range"};
    }
})];

const auto date_lit_def =
    x3::raw[x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >> x3::repeat(2)[digit] >>
                       !(ident_char | '.')]][([](auto& ctx) {
        const auto& r = _attr(ctx);
        _val(ctx).text.assign(r.begin(), r.end());
        _val(ctx).span = range_span(ctx, r);
    })];

const auto string_lit_def = span_of[string_lit_body];

// Months and years are language 2 (the checker says so for a v1 pack): a v1 pack could not
// write them, as `years` is a reserved word and a bare `months` after a number was an error.
x3::rule<class unit_id, IntervalUnit> const unit = "a time unit (days, weeks, months, years)";
const auto unit_def = (kw("days") | kw("day")) >> x3::attr(IntervalUnit::days) |
                      (kw("weeks") | kw("week")) >> x3::attr(IntervalUnit::weeks) |
                      (kw("months") | kw("month")) >> x3::attr(IntervalUnit::months) |
                      (kw("years") | kw("year")) >> x3::attr(IntervalUnit::years);
BOOST_SPIRIT_DEFINE(string_lit_body, any_name, path_name, element_path, ref_name, escape, escaped, plain_char, str_body, string_lit,
                    number_lit, date_lit, unit)

// ---- expressions --------------------------------------------------------

x3::rule<class expr_id, Expr> const expr = "an expression";
x3::rule<class or_list_id, std::vector<Expr>> const or_list = "an expression";
x3::rule<class and_list_id, std::vector<Expr>> const and_list = "an expression";
x3::rule<class and_id, Expr> const and_expr = "an expression";
x3::rule<class not_expr_id_, Expr> const not_expr =
    "an expression";
x3::rule<class not_expr_body_id, Expr> const not_expr_body = "an expression";
x3::rule<class cmp_id, Expr> const cmp_expr = "an expression";
x3::rule<class add_id, Expr> const add_expr = "an expression";
x3::rule<class mul_id, Expr> const mul_expr = "an expression";
x3::rule<class unary_expr_id_, Expr> const unary_expr =
    "an expression";
x3::rule<class unary_expr_body_id, Expr> const unary_expr_body = "an expression";
x3::rule<class primary_id_, Expr> const primary =
    "an expression";
x3::rule<class primary_body_id, Expr> const primary_body = "an expression";
x3::rule<class call_id_, Expr> const call =
    "a function call";
x3::rule<class call_body_id, Expr> const call_body = "a function call";
x3::rule<class set_lit_id_, Expr> const set_lit =
    "a set {\"a\", \"b\"}";
x3::rule<class set_lit_body_id, Expr> const set_lit_body = "a set {\"a\", \"b\"}";
x3::rule<class members_id, std::vector<StringLit>> const members = "a set {\"a\", \"b\"}";
x3::rule<class duration_id_, Expr> const duration = "a duration (18 years)";
x3::rule<class add_operand_id, Expr> const add_operand = "an expression";
x3::rule<class duration_body_id, Expr> const duration_body = "a duration (18 years)";
x3::rule<class quantifier_id_, Expr> const quantifier = "a quantifier (any m in LIST: condition)";
x3::rule<class quantifier_body_id, Expr> const quantifier_body = "a quantifier (any m in LIST: condition)";
x3::rule<class counting_id_, Expr> const counting = "a count (count(m in LIST where condition))";
x3::rule<class counting_body_id, Expr> const counting_body = "a count (count(m in LIST where condition))";

struct cmp_ops_table : x3::symbols<BinaryOp> {
    cmp_ops_table() {
        add("=", BinaryOp::eq)("!=", BinaryOp::ne)("<", BinaryOp::lt)("<=", BinaryOp::le)(">", BinaryOp::gt)(
            ">=", BinaryOp::ge);
    }
};
struct add_ops_table : x3::symbols<BinaryOp> {
    add_ops_table() { add("+", BinaryOp::add)("-", BinaryOp::sub); }
};
struct mul_ops_table : x3::symbols<BinaryOp> {
    mul_ops_table() { add("*", BinaryOp::mul)("/", BinaryOp::div); }
};
// Every built-in function; one that is not a reserved word is a call only when `(` follows (see primary).
struct functions_table : x3::symbols<std::string> {
    functions_table() {
        for (const lang::Builtin& fn : lang::builtins) add(fn.name, std::string(fn.name));
    }
};
const cmp_ops_table cmp_ops;
const add_ops_table add_ops;
const mul_ops_table mul_ops;
const functions_table functions;

x3::rule<class comparison_op_id, BinaryOp> const comparison_op = "a comparison";
const auto comparison_op_def = cmp_ops | (kw("in") >> x3::attr(BinaryOp::in));
BOOST_SPIRIT_DEFINE(comparison_op)

// `at` is where the error is reported: the node's start, or for `not` and unary
// minus, whose span is set only after this check, the operator itself.
template <typename Ctx>
void check_depth(const Ctx& ctx, const Expr& e, Iterator at) {
    const auto& env = env_of(ctx);
    if (e.depth > env.max_depth) {
        throw GrammarFailure{at, "E0501",
                             "expression nested deeper than the limit of " + std::to_string(env.max_depth) +
                                 " (max_expression_depth)"};
    }
}

template <typename Ctx>
void check_depth(const Ctx& ctx, const Expr& e) {
    check_depth(ctx, e, env_of(ctx).base + e.span.begin);
}

// Where the prefix operator `op` (`not`, unary minus) of `operand` starts: just before the
// operand, blanks between. (The new node has no span yet when its depth is checked.)
// When a comment stands between them, the operand's start.
template <typename Ctx>
Iterator operator_before(const Ctx& ctx, const Expr& operand, std::string_view op) {
    const auto& env = env_of(ctx);
    Iterator at = env.base + operand.span.begin;
    while (at > env.base && (at[-1] == ' ' || at[-1] == '\t' || at[-1] == '\n' || at[-1] == '\r')) --at;
    if (static_cast<std::size_t>(at - env.base) >= op.size() &&
        std::string_view(at - op.size(), op.size()) == op) {
        return at - op.size();
    }
    return env.base + operand.span.begin;
}

Expr make_binary(BinaryOp op, Expr lhs, Expr rhs, Span op_span) {
    Expr e;
    e.kind = ExprKind::binary;
    e.op = op;
    e.span = Span{lhs.span.file, lhs.span.begin, rhs.span.end};
    e.op_span = op_span;
    e.depth = 1 + std::max(lhs.depth, rhs.depth);
    e.args.reserve(2);
    e.args.push_back(std::move(lhs));
    e.args.push_back(std::move(rhs));
    return e;
}

auto assign = [](auto& ctx) { _val(ctx) = std::move(_attr(ctx)); };

auto make_nary(ExprKind kind) {
    return [kind](auto& ctx) {
        auto& list = _attr(ctx);
        if (list.size() == 1) {
            _val(ctx) = std::move(list.front());
            return;
        }
        Expr e;
        e.kind = kind;
        e.span = Span{list.front().span.file, list.front().span.begin, list.back().span.end};
        for (const auto& a : list) e.depth = std::max(e.depth, a.depth + 1);
        e.args = std::move(list);
        check_depth(ctx, e);
        _val(ctx) = std::move(e);
    };
}

const char* op_text(BinaryOp op) {
    switch (op) {
        case BinaryOp::eq: return "=";
        case BinaryOp::ne: return "!=";
        case BinaryOp::lt: return "<";
        case BinaryOp::le: return "<=";
        case BinaryOp::gt: return ">";
        case BinaryOp::ge: return ">=";
        case BinaryOp::in: return "in";
        case BinaryOp::add: return "+";
        case BinaryOp::sub: return "-";
        case BinaryOp::mul: return "*";
        case BinaryOp::div: return "/";
    }
    return "";
}

// Left-associative: `a - b - c` is `(a - b) - c`. The operator sits after the left operand.
auto fold_binary = [](auto& ctx) {
    auto& pair = _attr(ctx);
    const auto& env = env_of(ctx);
    const Span left = _val(ctx).span;
    const Iterator op_at = skip_blank(env.base + left.end, env.base + boost::fusion::at_c<1>(pair).span.begin);
    const auto op_begin = static_cast<std::uint32_t>(op_at - env.base);
    const Span op_span{left.file, op_begin,
                       op_begin + static_cast<std::uint32_t>(std::strlen(op_text(boost::fusion::at_c<0>(pair))))};
    Expr e = make_binary(boost::fusion::at_c<0>(pair), std::move(_val(ctx)), std::move(boost::fusion::at_c<1>(pair)),
                         op_span);
    check_depth(ctx, e);
    _val(ctx) = std::move(e);
};

auto refuse_chain = [](auto& ctx) {
    throw GrammarFailure{x3::_where(ctx).begin(), "E0104",
                         "comparisons do not chain: write `a < b and b < c` instead of `a < b < c`"};
};

const auto or_list_def = and_expr >> *(kw("or") > and_expr);
const auto expr_def = or_list[make_nary(ExprKind::logic_or)];
const auto and_list_def = not_expr >> *(kw("and") > not_expr);
const auto and_expr_def = and_list[make_nary(ExprKind::logic_and)];
const auto not_expr_body_def =
    (kw("not") > guard[not_expr])[([](auto& ctx) {
        Expr e;
        e.kind = ExprKind::logic_not;
        Expr& operand = _attr(ctx);
        e.depth = operand.depth + 1;
        const Iterator at = operator_before(ctx, operand, "not");
        e.args.push_back(std::move(operand));
        check_depth(ctx, e, at);
        _val(ctx) = std::move(e);
    })] |
    cmp_expr[assign];
const auto cmp_expr_def = add_expr[assign] >> -((comparison_op > add_expr)[fold_binary]) >>
                          -(x3::omit[&comparison_op][refuse_chain]);
// `date + 18 years`: a duration stands only after `+` or `-` (the checker wants a date on the left).
const auto add_expr_def = mul_expr[assign] >> *((add_ops > add_operand)[fold_binary]);
const auto add_operand_def = duration[assign] | mul_expr[assign];
const auto duration_body_def = (number_lit >> unit)[([](auto& ctx) {
    auto& attr = _attr(ctx);
    Expr e;
    e.kind = ExprKind::duration;
    e.number = boost::fusion::at_c<0>(attr).value;
    e.text = std::move(boost::fusion::at_c<0>(attr).text);
    e.unit = boost::fusion::at_c<1>(attr);
    _val(ctx) = std::move(e);
})];
const auto mul_expr_def = unary_expr[assign] >> *((mul_ops > unary_expr)[fold_binary]);
const auto unary_expr_body_def = (x3::lit('-') > guard[unary_expr])[([](auto& ctx) {
                                Expr e;
                                e.kind = ExprKind::negate;
                                e.depth = _attr(ctx).depth + 1;
                                const Iterator at = operator_before(ctx, _attr(ctx), "-");
                                e.args.push_back(std::move(_attr(ctx)));
                                check_depth(ctx, e, at);
                                _val(ctx) = std::move(e);
                            })] |
                            primary[assign];

auto literal_of(ExprKind kind) {
    return [kind](auto& ctx) {
        Expr e;
        e.kind = kind;
        e.span = _attr(ctx).span;
        if constexpr (std::is_same_v<std::decay_t<decltype(_attr(ctx))>, NumberLit>) {
            e.number = _attr(ctx).value;
            e.text = _attr(ctx).text;
        } else if constexpr (std::is_same_v<std::decay_t<decltype(_attr(ctx))>, DateLit>) {
            e.text = _attr(ctx).text;
        } else if constexpr (std::is_same_v<std::decay_t<decltype(_attr(ctx))>, StringLit>) {
            e.text = std::move(_attr(ctx).value);
        } else if constexpr (std::is_same_v<std::decay_t<decltype(_attr(ctx))>, Name>) {
            e.text = std::move(_attr(ctx).text);
        }
        _val(ctx) = std::move(e);
    };
}
auto constant(ExprKind kind, bool value) {
    return [kind, value](auto& ctx) {
        Expr e;
        e.kind = kind;
        e.boolean = value;  // the span comes from primary's on_success
        _val(ctx) = std::move(e);
    };
}

const auto members_def = '{' > -(string_lit % ',') > '}';
const auto set_lit_body_def = members[([](auto& ctx) {
    Expr e;
    e.kind = ExprKind::set;
    e.members = std::move(_attr(ctx));
    _val(ctx) = std::move(e);
})];

const auto call_body_def = (functions > '(' > guard[expr % ','] > ')')[([](auto& ctx) {
    auto& attr = _attr(ctx);
    Expr e;
    e.kind = ExprKind::call;
    e.text = std::move(boost::fusion::at_c<0>(attr));
    e.args = std::move(boost::fusion::at_c<1>(attr));
    for (const auto& a : e.args) e.depth = std::max(e.depth, a.depth + 1);
    check_depth(ctx, e);
    _val(ctx) = std::move(e);
})];

// A name called like a function that is none (`knwn(x)`): the name, and the
// closest built-in, rather than "found '('" at the parenthesis. Reserved words
// (`not (a)`) are left to the rest of the grammar.
x3::rule<class unknown_call_id> const unknown_call = "a function call";
const auto unknown_call_def = (x3::raw[x3::lexeme[word >> *('.' >> word)]] >> &x3::lit('('))[([](auto& ctx) {
    const auto& r = _attr(ctx);
    const std::string name(r.begin(), r.end());
    if (reserved(name)) {
        x3::_pass(ctx) = false;
        return;
    }
    detail::ClosestName closest(name);
    std::string all;
    for (const lang::Builtin& fn : lang::builtins) {
        closest.consider(fn.name);
        all += (all.empty() ? "" : ", ") + std::string(fn.name);
    }
    std::string message = "unknown function '" + name + "'";
    message += closest.best().empty() ? " (the functions are " + all + ")" : "; did you mean '" + closest.best() + "'?";
    throw GrammarFailure{&*r.begin(), "E0311", message};
})];
BOOST_SPIRIT_DEFINE(unknown_call)

// `any m in L: E`, `all m in L: E` and `count(m in L where E)` (language 2). Each starts a
// quantifier only once its head (`any NAME in PATH :`) has matched, so that a v1 pack's fact or let
// named `any`, `all` or `count`, and the call count(set), keep their meaning.
auto quantifier_of(Quantifier q) {
    return [q](auto& ctx) {
        auto& attr = _attr(ctx);
        Expr e;
        e.kind = ExprKind::quantifier;
        e.quantifier = q;
        Name& variable = boost::fusion::at_c<0>(attr);
        Expr list;
        list.kind = ExprKind::name;
        list.text = std::move(boost::fusion::at_c<1>(attr).text);
        list.span = boost::fusion::at_c<1>(attr).span;
        e.text = std::move(variable.text);
        e.op_span = variable.span;  // the variable: where a clash with a name is reported
        e.args.push_back(std::move(list));
        e.args.push_back(std::move(boost::fusion::at_c<2>(attr)));
        e.depth = e.args[1].depth + 1;
        check_depth(ctx, e, &*x3::_where(ctx).begin());
        _val(ctx) = std::move(e);
    };
}
const auto quantifier_body_def =
    ((kw("any") >> any_name >> kw("in") >> ref_name >> ':') > guard[expr])[quantifier_of(Quantifier::any)] |
    ((kw("all") >> any_name >> kw("in") >> ref_name >> ':') > guard[expr])[quantifier_of(Quantifier::all)];
const auto counting_body_def = ((kw("count") >> '(' >> any_name >> kw("in") >> ref_name >> kw("where")) > guard[expr] >
                                ')')[quantifier_of(Quantifier::count)];

const auto primary_body_def = ('(' > guard[expr] > ')')[([](auto& ctx) {
                             // Keep the operand; primary's on_success widens its span over the parentheses.
                             _val(ctx) = std::move(_attr(ctx));
                         })] |
                         quantifier[assign] | counting[assign] | (&(functions >> '(') >> call)[assign] | date_lit[literal_of(ExprKind::date)] |
                         number_lit[literal_of(ExprKind::number)] | string_lit[literal_of(ExprKind::string)] |
                         set_lit[assign] | kw("true")[constant(ExprKind::boolean, true)] |
                         kw("false")[constant(ExprKind::boolean, false)] |
                         kw("today")[constant(ExprKind::today, false)] | unknown_call |
                         ref_name[literal_of(ExprKind::name)];

const auto not_expr_def = span_of[not_expr_body];
const auto unary_expr_def = span_of[unary_expr_body];
const auto primary_def = span_of[primary_body];
const auto call_def = span_of[call_body];
const auto set_lit_def = span_of[set_lit_body];
const auto duration_def = span_of[duration_body];
const auto quantifier_def = span_of[quantifier_body];
const auto counting_def = span_of[counting_body];
BOOST_SPIRIT_DEFINE(quantifier_body, quantifier, counting_body, counting, duration_body, duration, add_operand, set_lit_body, call_body, primary_body, unary_expr_body, not_expr_body, expr, or_list, and_list, and_expr, not_expr, cmp_expr, add_expr, mul_expr, unary_expr, primary, call, set_lit,
                    members)

// ---- declarations -------------------------------------------------------


x3::rule<class pack_decl_id_, PackDecl> const pack_decl =
    "a pack declaration";
x3::rule<class pack_decl_body_id, PackDecl> const pack_decl_body = "a pack declaration";
x3::rule<class language_decl_id_, LanguageDecl> const language_decl = "a language declaration (language 2)";
x3::rule<class language_decl_body_id, LanguageDecl> const language_decl_body = "a language declaration (language 2)";
x3::rule<class source_decl_id_, SourceDecl> const source_decl =
    "a source declaration";
x3::rule<class source_decl_body_id, SourceDecl> const source_decl_body = "a source declaration";
x3::rule<class type_expr_id_, TypeExpr> const type_expr =
    "a type (bool, number, text, date, one of {...}, set of {...})";
x3::rule<class type_expr_body_id, TypeExpr> const type_expr_body = "a type (bool, number, text, date, one of {...}, set of {...})";
x3::rule<class fact_decl_id_, FactDecl> const fact_decl =
    "a fact declaration";
x3::rule<class fact_decl_body_id, FactDecl> const fact_decl_body = "a fact declaration";
x3::rule<class record_decl_id_, RecordDecl> const record_decl = "a record declaration";
x3::rule<class record_decl_body_id, RecordDecl> const record_decl_body = "a record declaration";
x3::rule<class field_decl_id_, FieldDecl> const field_decl = "a field (name : type)";
x3::rule<class field_decl_body_id, FieldDecl> const field_decl_body = "a field (name : type)";
x3::rule<class let_decl_id_, LetDecl> const let_decl =
    "a let declaration";
x3::rule<class let_decl_body_id, LetDecl> const let_decl_body = "a let declaration";
x3::rule<class level_decl_id_, LevelDecl> const level_decl =
    "a level declaration";
x3::rule<class level_decl_body_id, LevelDecl> const level_decl_body = "a level declaration";
x3::rule<class cite_clause_id_, CiteClause> const cite_clause =
    "a citation";
x3::rule<class cite_clause_body_id, CiteClause> const cite_clause_body = "a citation";
x3::rule<class domain_decl_id_, DomainDecl> const domain_decl =
    "a domain declaration";
x3::rule<class domain_decl_body_id, DomainDecl> const domain_decl_body = "a domain declaration";
x3::rule<class within_clause_id_, Within> const within_clause =
    "a time frame";
x3::rule<class within_clause_body_id, Within> const within_clause_body = "a time frame";
x3::rule<class action_clause_id_, ActionClause> const action_clause =
    "an action";
x3::rule<class action_clause_body_id, ActionClause> const action_clause_body = "an action";
x3::rule<class rule_clause_id, RuleClause> const rule_clause = "a rule clause";
x3::rule<class rule_decl_id_, RuleDecl> const rule_decl =
    "a rule declaration";
x3::rule<class rule_decl_body_id, RuleDecl> const rule_decl_body = "a rule declaration";
x3::rule<class given_id_, Given> const given =
    "a fact assignment (path = value)";
x3::rule<class given_body_id, Given> const given_body = "a fact assignment (path = value)";
x3::rule<class expectation_id_, Expectation> const expectation =
    "an expectation (level, possible_level, score, possible_score, fired, undetermined, missing)";
x3::rule<class expectation_body_id, Expectation> const expectation_body = "an expectation (level, possible_level, score, possible_score, fired, undetermined, missing)";
x3::rule<class test_decl_id_, TestDecl> const test_decl =
    "a test declaration";
x3::rule<class test_decl_body_id, TestDecl> const test_decl_body = "a test declaration";

// Stores the matched attribute into a member of the rule's value.
#define BIA_SET(member) ([](auto& ctx) { _val(ctx).member = std::move(_attr(ctx)); })

const auto pack_decl_body_def = (kw("pack") > any_name[BIA_SET(name)] > kw("version") > string_lit[BIA_SET(version)] >
                            string_lit[BIA_SET(title)]);
const auto language_decl_body_def = (kw("language") > number_lit[BIA_SET(version)]);
const auto source_decl_body_def =
    (kw("source") > any_name[BIA_SET(id)] > string_lit[BIA_SET(title)]);

// `up to N`, after `list of RECORD`: the most elements a case may give.
x3::rule<class capacity_clause_id, NumberLit> const capacity_clause = "up to N";
const auto capacity_clause_def = kw("up") > kw("to") > number_lit;
BOOST_SPIRIT_DEFINE(capacity_clause)

auto set_kind(FactKind k) {
    return [k](auto& ctx) { _val(ctx).kind = k; };
}
const auto type_expr_body_def = -x3::raw[kw("exact")][([](auto& ctx) { _val(ctx).exact = range_span(ctx, _attr(ctx)); })] >>
                            (kw("bool")[set_kind(FactKind::boolean)] | kw("number")[set_kind(FactKind::number)] |
                            kw("text")[set_kind(FactKind::text)] | (kw("date")[set_kind(FactKind::date)] >>
                             -x3::raw[kw("or") >> kw("never")][([](auto& ctx) { _val(ctx).never = range_span(ctx, _attr(ctx)); })]) |
                            (kw("one") > kw("of") > members[BIA_SET(members)])[set_kind(FactKind::one_of)] |
                            (kw("set") > kw("of") > members[BIA_SET(members)])[set_kind(FactKind::set_of)] |
                            (kw("list") > kw("of") > any_name[BIA_SET(record)] >
                             -capacity_clause[BIA_SET(capacity)])[set_kind(FactKind::list)]);
const auto fact_decl_body_def = (kw("fact") > path_name[BIA_SET(path)] > ':' > type_expr[BIA_SET(type)] >
                            -string_lit[BIA_SET(description)]);
// A field is a line `name : type ["description"]`; the record ends where a line starts anything else.
const auto field_decl_body_def = ((any_name[BIA_SET(name)] >> ':') > type_expr[BIA_SET(type)] > -string_lit[BIA_SET(description)]);
const auto record_decl_body_def = (kw("record") > any_name[BIA_SET(name)] > string_lit[BIA_SET(title)] >
                                   *field_decl[([](auto& ctx) { _val(ctx).fields.push_back(std::move(_attr(ctx))); })]);
const auto let_decl_body_def = (kw("let") > any_name[BIA_SET(name)] > '=' > expr[BIA_SET(value)]);
const auto level_decl_body_def =
    (kw("level") > any_name[BIA_SET(name)] > -(kw("at") > number_lit[BIA_SET(at)]));
const auto cite_clause_body_def =
    (kw("cites") > any_name[BIA_SET(source)] > -string_lit[BIA_SET(ref)]);
const auto domain_decl_body_def =
    (kw("domain") > any_name[BIA_SET(name)] > string_lit[BIA_SET(title)] >
     *cite_clause[([](auto& ctx) { _val(ctx).cites.push_back(std::move(_attr(ctx))); })]);

const auto within_clause_body_def = (kw("within") > number_lit[BIA_SET(amount)] > unit[BIA_SET(unit)] >
                                -(kw("of") > expr[BIA_SET(anchor)])) |
                                   (kw("immediately")[([](auto& ctx) { _val(ctx).immediately = true; })] >
                                    -(kw("of") > expr[BIA_SET(anchor)]));
const auto action_clause_body_def =
    (kw("action") > string_lit[BIA_SET(text)] > -within_clause[BIA_SET(within)]);

template <typename Clause>
auto clause_with(auto setter) {
    return [setter](auto& ctx) {
        Clause c;
        setter(c, _attr(ctx));
        c.span = _attr(ctx).span;  // the clause's operand: where a duplicate clause is reported
        _val(ctx) = std::move(c);
    };
}
const auto rule_clause_def =
    (kw("domain") > any_name)[clause_with<DomainClause>([](DomainClause& c, Name& n) { c.domain = std::move(n); })] |
    (kw("severity") > any_name)[clause_with<SeverityClause>([](SeverityClause& c, Name& n) { c.level = std::move(n); })] |
    (kw("score") > number_lit)[clause_with<ScoreClause>([](ScoreClause& c, NumberLit& n) { c.score = std::move(n); })] |
    (kw("when") > expr)[clause_with<WhenClause>([](WhenClause& c, Expr& e) { c.condition = std::move(e); })] |
    action_clause[assign] | cite_clause[assign];
const auto rule_decl_body_def = (kw("rule") > any_name[BIA_SET(name)] > string_lit[BIA_SET(title)] >
                            *rule_clause[([](auto& ctx) { _val(ctx).clauses.push_back(std::move(_attr(ctx))); })])
    ;

// A number range, `16 to 18` (language 2), only as a given value: its bounds as number expressions.
x3::rule<class signed_number_id, Expr> const signed_number = "a number";
x3::rule<class given_value_id, Expr> const given_value = "a value";
x3::rule<class list_lit_id, Expr> const list_lit = "a list [{field: value, ...}, ...]";
x3::rule<class record_lit_id, Expr> const record_lit = "a record {field: value, ...}";
x3::rule<class list_lit_body_id, Expr> const list_lit_body = "a list [{field: value, ...}, ...]";
x3::rule<class record_lit_body_id, Expr> const record_lit_body = "a record {field: value, ...}";
const auto signed_number_def = (x3::raw[x3::lexeme[-x3::char_('-') >> +digit >> -('.' >> +digit) >> !(ident_char | '.')]])[(
    [](auto& ctx) {
        const auto& r = _attr(ctx);
        Expr e;
        e.kind = ExprKind::number;
        e.text.assign(r.begin(), r.end());
        e.span = range_span(ctx, r);
        const auto res = std::from_chars(e.text.data(), e.text.data() + e.text.size(), e.number);
        if (res.ec != std::errc()) throw GrammarFailure{&*r.begin(), "E0102", "number " + e.text + " is out of range"};
        _val(ctx) = std::move(e);
    })];
const auto given_value_def = ((signed_number >> kw("to")) > signed_number)[([](auto& ctx) {
                                 auto& attr = _attr(ctx);
                                 Expr e;
                                 e.kind = ExprKind::range;
                                 e.span = Span{boost::fusion::at_c<0>(attr).span.file, boost::fusion::at_c<0>(attr).span.begin,
                                               boost::fusion::at_c<1>(attr).span.end};
                                 e.args.push_back(std::move(boost::fusion::at_c<0>(attr)));
                                 e.args.push_back(std::move(boost::fusion::at_c<1>(attr)));
                                 _val(ctx) = std::move(e);
                             })] |
                             list_lit[assign] | not_expr[assign];
// A list fact's given value (language 2): `[{relation: "sibling", located: false}, ...]`. A field's
// name may be written bare or as a string, as in the case's JSON.
x3::rule<class field_key_id, StringLit> const field_key = "a field name";
const auto field_key_def = any_name[([](auto& ctx) {
                               _val(ctx).value = _attr(ctx).text;
                               _val(ctx).span = _attr(ctx).span;
                           })] |
                           string_lit[assign];
const auto record_lit_body_def = x3::lit('{')[([](auto& ctx) { _val(ctx).kind = ExprKind::record_literal; })] >
                                 -((field_key > ':' > given_value)[([](auto& ctx) {
                                       auto& attr = _attr(ctx);
                                       _val(ctx).members.push_back(std::move(boost::fusion::at_c<0>(attr)));
                                       _val(ctx).args.push_back(std::move(boost::fusion::at_c<1>(attr)));
                                   })] %
                                   ',') > '}';
const auto list_lit_body_def = x3::lit('[')[([](auto& ctx) { _val(ctx).kind = ExprKind::list_literal; })] >
                               -(record_lit[([](auto& ctx) { _val(ctx).args.push_back(std::move(_attr(ctx))); })] % ',') > ']';
const auto record_lit_def = span_of[record_lit_body];
const auto list_lit_def = span_of[list_lit_body];
BOOST_SPIRIT_DEFINE(signed_number, given_value, field_key, record_lit_body, record_lit, list_lit_body, list_lit)
const auto given_body_def = (path_name[BIA_SET(path)] > '=' > given_value[BIA_SET(value)]);

auto expect_name(ExpectKind k) {
    return [k](auto& ctx) {
        _val(ctx).kind = k;
        _val(ctx).name = std::move(_attr(ctx));
    };
}
auto expect_number(ExpectKind k) {
    return [k](auto& ctx) {
        _val(ctx).kind = k;
        _val(ctx).number = std::move(_attr(ctx));
    };
}
const auto expectation_body_def =
    (kw("expect") >
     ((kw("level") > any_name)[expect_name(ExpectKind::level)] |
      (kw("possible_level") > any_name)[expect_name(ExpectKind::possible_level)] |
      (kw("score") > number_lit)[expect_number(ExpectKind::score)] |
      (kw("possible_score") > number_lit)[expect_number(ExpectKind::possible_score)] |
      (kw("fired") > any_name)[expect_name(ExpectKind::fired)] |
      (kw("undetermined") > any_name)[expect_name(ExpectKind::undetermined)] |
      (kw("missing") > element_path)[expect_name(ExpectKind::missing)] |
      (kw("not") > ((kw("fired") > any_name)[expect_name(ExpectKind::not_fired)] |
                    (kw("undetermined") > any_name)[expect_name(ExpectKind::not_undetermined)] |
                    (kw("missing") > element_path)[expect_name(ExpectKind::not_missing)]))));

const auto test_decl_body_def =
    (kw("test") > string_lit[BIA_SET(name)] >
     *((kw("as") > kw("of") > date_lit[BIA_SET(as_of)]) | (kw("case") > string_lit[BIA_SET(case_file)]) |
       (kw("given") > (given[([](auto& ctx) { _val(ctx).given.push_back(std::move(_attr(ctx))); })] % ',')) |
       expectation[([](auto& ctx) { _val(ctx).expects.push_back(std::move(_attr(ctx))); })]));

#undef BIA_SET

const auto pack_decl_def = span_of[pack_decl_body];
const auto language_decl_def = span_of[language_decl_body];
const auto source_decl_def = span_of[source_decl_body];
const auto type_expr_def = span_of[type_expr_body];
const auto fact_decl_def = span_of[fact_decl_body];
const auto let_decl_def = span_of[let_decl_body];
const auto field_decl_def = span_of[field_decl_body];
const auto record_decl_def = span_of[record_decl_body];
const auto level_decl_def = span_of[level_decl_body];
const auto cite_clause_def = span_of[cite_clause_body];
const auto domain_decl_def = span_of[domain_decl_body];
const auto within_clause_def = span_of[within_clause_body];
const auto action_clause_def = span_of[action_clause_body];
const auto rule_decl_def = span_of[rule_decl_body];
const auto given_def = span_of[given_body];
const auto expectation_def = span_of[expectation_body];
const auto test_decl_def = span_of[test_decl_body];
BOOST_SPIRIT_DEFINE(field_decl_body, field_decl, record_decl_body, record_decl)
BOOST_SPIRIT_DEFINE(test_decl_body, expectation_body, given_body, rule_decl_body, action_clause_body, within_clause_body, domain_decl_body, cite_clause_body, level_decl_body, let_decl_body, fact_decl_body, type_expr_body, source_decl_body, pack_decl_body, language_decl_body, pack_decl, language_decl, source_decl, type_expr, fact_decl, let_decl, level_decl, cite_clause, domain_decl,
                    within_clause, action_clause, rule_clause, rule_decl, given, expectation, test_decl)

// What may follow each kind of item, for the message when text is left over.
std::string leftover_message(const Item& item, const std::string& found) {
    if (std::holds_alternative<RuleDecl>(item)) {
        return "expected a rule clause (domain, severity, score, when, action, cites) or a new declaration, but found " +
               found;
    }
    if (std::holds_alternative<TestDecl>(item)) {
        return "expected a test clause (as of, case, given, expect) or a new declaration, but found " + found;
    }
    if (std::holds_alternative<RecordDecl>(item)) {
        return "expected a field (name : type) or a new declaration, but found " + found;
    }
    if (std::holds_alternative<DomainDecl>(item)) {
        return "expected 'cites' or a new declaration, but found " + found;
    }
    return "expected a new declaration at the start of a line, but found " + found;
}

std::string friendly(const std::string& which) {
    // X3 names literal characters as 'c'; say what they mean where it helps.
    if (which == "'\"'") return "'\"' (end of string; strings are single-line)";
    return which;
}

template <typename P>
bool run(const P& parser, Iterator& it, Iterator end, ParseEnv& env, Item& out) {
    typename P::attribute_type value;
    const bool ok = x3::phrase_parse(it, end, x3::with<env_tag>(&env)[parser], blank, value);
    if (ok) out = std::move(value);
    return ok;
}

}  // namespace

bool is_keyword(std::string_view word) { return reserved(word); }

std::variant<Item, ParseProblem> parse_item(std::string_view text, std::uint32_t begin, std::uint32_t end,
                                            std::uint32_t file, unsigned max_depth) {
    ParseEnv env;
    env.base = text.data();
    env.file = file;
    env.max_depth = max_depth;
    Iterator it = text.data() + begin;
    const Iterator last = text.data() + end;
    const Iterator start = skip_blank(it, last);
    auto problem = [&](Iterator where, std::string code, std::string message) {
        return ParseProblem{static_cast<std::uint32_t>(where - text.data()), std::move(code), std::move(message)};
    };
    try {
        Item item;
        bool ok = false;
        const std::string_view head(start, static_cast<std::size_t>(last - start));
        auto starts = [&](std::string_view k) {
            return head.substr(0, k.size()) == k && (head.size() == k.size() || !is_ident_char(head[k.size()]));
        };
        if (starts("pack")) ok = run(pack_decl, it, last, env, item);
        else if (starts("language")) ok = run(language_decl, it, last, env, item);
        else if (starts("source")) ok = run(source_decl, it, last, env, item);
        else if (starts("fact")) ok = run(fact_decl, it, last, env, item);
        else if (starts("record")) ok = run(record_decl, it, last, env, item);
        else if (starts("let")) ok = run(let_decl, it, last, env, item);
        else if (starts("level")) ok = run(level_decl, it, last, env, item);
        else if (starts("domain")) ok = run(domain_decl, it, last, env, item);
        else if (starts("rule")) ok = run(rule_decl, it, last, env, item);
        else if (starts("test")) ok = run(test_decl, it, last, env, item);
        else {
            return problem(start, "E0101",
                           "expected a declaration (pack, language, source, fact, record, let, level, domain, rule, test), but found " +
                               detail::describe_token(text, static_cast<std::size_t>(start - text.data())));
        }
        if (!ok) {
            return problem(start, "E0101", "could not read this declaration");
        }
        const Iterator rest = skip_blank(it, last);
        if (rest != last) {
            return problem(rest, "E0102",
                           leftover_message(item, detail::describe_token(text, static_cast<std::size_t>(rest - text.data()))));
        }
        return item;
    } catch (const x3::expectation_failure<Iterator>& e) {
        // Where the expected token is missing at the end of a line, point there,
        // not at whatever the next line holds.
        const auto base = static_cast<std::uint32_t>(start - text.data());
        const Iterator after_last = text.data() + trim_end(text.data(), base, static_cast<std::uint32_t>(e.where() - text.data()));
        const Iterator next = skip_blank(e.where(), last);
        const bool line_ends = std::find(after_last, next, '\n') != next || next == last;
        const Iterator where = line_ends ? after_last : next;
        std::string found = line_ends ? std::string(next == text.data() + text.size() ? "end of file" : "end of line")
                                      : detail::describe_token(text, static_cast<std::size_t>(where - text.data()));
        return problem(where, "E0103", "expected " + friendly(e.which()) + ", but found " + found);
    } catch (const GrammarFailure& f) {
        return problem(f.where, f.code, f.message);
    }
}

}  // namespace bia::syntax
