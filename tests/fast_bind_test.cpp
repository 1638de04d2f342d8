// The fast binder (eval/fast_bind.cpp) reads the case's text itself. What it
// binds must be what the full binder binds from the same JSON, and whatever it
// is unsure of it must leave to the full binder: checked here on clean cases in
// every spelling, on cases it must refuse, and on many thousand mutated cases.
#include "compile/plan.hpp"
#include "eval/facts.hpp"

#include "test_util.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using bia::eval::BindOptions;
using bia::eval::BoundCase;

const char* const pack_text = R"(pack t version "1.0.0" "Fast binding"
level low
fact child.alone : bool
fact child.age : number
fact child.name : text
fact child.born : date
fact child.gender : one of {"girl", "boy", "other"}
fact child.tags : set of {"debt", "documents", "threats"}
fact family.siblings : number
fact deep.a.b.c : bool
fact child.mark : one of {"say \"hi\"", "back\\slash", "a member name that is longer than thirty-two bytes", "deb"}
rule alone "Alone" when child.alone
rule age "Age" when child.age >= 15
rule named "Named" when child.name = "Amina"
rule born "Born" when child.born < 2020-01-01
rule girl "Girl" when child.gender = "girl"
rule tagged "Tagged" when "debt" in child.tags
rule siblings "Siblings" when family.siblings > 0
rule deep "Deep" when deep.a.b.c
)";

const bia::compiler::Plan& plan() {
    static const bia::Pack p = bia_test::must_compile(pack_text);
    return bia::detail::compiled(p).plan;
}

// Every slot as text: unknown, a text's bytes, a set's bits, or a number's bits
// (so that -0 and 0 differ).
std::vector<std::string> slots_of(const BoundCase& b) {
    std::vector<std::string> out;
    for (std::uint32_t i = 0; i < b.slots.size(); ++i) {
        const auto& v = b.slots[i];
        if (!v.known) {
            out.push_back("?");
        } else if (plan().slots[i].kind == bia::compiler::SlotKind::text) {
            out.push_back("text " + std::string(b.text_of(i), v.len));
        } else {
            std::uint64_t bits = 0;
            std::memcpy(&bits, &v, sizeof bits);
            out.push_back(std::to_string(bits));
        }
    }
    return out;
}

// The full binder's reading of a parsed value, or nothing when it has errors.
// Near misses accepted: refusing them is bind_json_text's and bind_json_value's policy, applied
// after either binder; these tests compare what the two binders bind (facts_test checks the policy).
BindOptions binding_only() {
    BindOptions o;
    o.accept_near_misses = true;
    return o;
}

bool bind_parsed(const std::string& json, BoundCase& out, const BindOptions& options = binding_only()) {
    const auto value = nlohmann::json::parse(json, nullptr, false);
    if (value.is_discarded()) return false;
    bia::eval::bind_json_value(plan(), value, options, out);
    return out.errors.empty();
}

// Warnings as the API reports them: sorted by path, each path and message.
std::vector<std::string> warnings_of(const BoundCase& b) {
    std::vector<std::string> out;
    for (const auto& w : b.warnings) out.push_back(w.path + ": " + w.message);
    std::sort(out.begin(), out.end());
    return out;
}

// The fast binder binds `written` (with or without warnings) to the values and
// warnings the full binder gives. Each case also with white space after it, so
// that the scans reading eight bytes at a time run through every string instead
// of meeting the end of the text.
void expect_bound_as_the_full_binder_does(const std::string& written, bool with_warnings) {
    for (const std::string& c : {written, written + std::string(40, ' ')}) {
        SCOPED_TRACE(c);
        BoundCase fast;
        ASSERT_TRUE(bia::eval::fast_bind(plan(), c, BindOptions{}, fast));
        EXPECT_TRUE(fast.errors.empty());
        EXPECT_EQ(fast.warnings.empty(), !with_warnings);
        BoundCase full;
        ASSERT_TRUE(bind_parsed(c, full));
        EXPECT_EQ(warnings_of(fast), warnings_of(full));
        EXPECT_EQ(slots_of(fast), slots_of(full));
    }
}

TEST(FastBind, CleanCasesInEverySpellingBindAsTheFullBinderDoes) {
    const std::string cases[] = {
        "{}",
        " \n\t{ } \r\n",
        R"({"child":{"alone":true,"age":16,"name":"Amina","born":"2015-06-01","gender":"girl","tags":["debt"]},)"
        R"("family":{"siblings":2},"deep":{"a":{"b":{"c":false}}}})",
        " { \"child\" : { \"alone\" : false , \"tags\" : [ \"threats\" , \"debt\" , \"threats\" ] , \"age\" : 0 } } ",
        R"({"child":{"tags":[],"gender":null,"name":null},"family":null,"deep":{"a":null}})",
        // Numbers of every JSON form, and integers too long to be read digit by digit.
        R"({"child":{"age":-3},"family":{"siblings":15.5}})",
        R"({"child":{"age":1e2},"family":{"siblings":1E+2}})",
        R"({"child":{"age":-2.5e-3},"family":{"siblings":0.1}})",
        R"({"child":{"age":123456789012345},"family":{"siblings":-999999999999999}})",
        R"({"child":{"age":1234567890123456789},"family":{"siblings":9007199254740993}})",
        R"({"child":{"age":18446744073709551615},"family":{"siblings":-9223372036854775808}})",
        R"({"child":{"age":123456789012345678901234567890},"family":{"siblings":1.7976931348623157e308}})",
        R"({"child":{"age":0.0},"family":{"siblings":1e-300}})",
        // Texts: empty, every escape, escaped and raw UTF-8, an escaped NUL.
        R"({"child":{"name":""}})",
        R"({"child":{"name":"A\"b\\c\/d\b\f\n\r\t"}})",
        R"({"child":{"name":"\u00e9\u4E2D\ud83d\ude00 and é中😀"}})",
        R"({"child":{"name":"x\u0000y"}})",
        // A member that begins another fact's member, and a long member.
        R"({"child":{"mark":"deb","tags":["debt"],"gender":"boy"}})",
        R"({"child":{"mark":"a member name that is longer than thirty-two bytes"}})",
    };
    for (const auto& c : cases) expect_bound_as_the_full_binder_does(c, false);
}

// Exports often carry fields the pack does not declare, in every case: with a
// scalar value, the fast binder gives the full binder's warning itself.
TEST(FastBind, UndeclaredScalarsAreWarnedAboutAsTheFullBinderDoes) {
    const std::string cases[] = {
        R"({"zeta":1})",
        R"({"child":{"age":16,"nickname":"x","alone":true},"note_id":12345,"z":null,"y":false,"x":true})",
        R"({"child":{"nickname":"é","age":-2.5e3,"alone":true},"a.b":"dotted","":"empty","9lives":1})",
        R"({ "family" : { "siblings" : 2 , "pets" : 0.5 } , "zz" : "" })",
        // Near misses of keys; objects and arrays, nested, empty, with keys that other objects have.
        R"({"chil":{},"childs":{"age":1},"Child":null})",
        R"({"zeta":{},"eta":[],"theta":[1,"a",null,true,false,{"a":1,"b":[{"a":2}]}]})",
        R"({"child":{"age":3,"meta":{"a":{"a":{"a":[[],{}]}},"b":-1.5e-7,"child":{"age":1}}},"audit":{ "by" : "x" }})",
    };
    for (const auto& c : cases) expect_bound_as_the_full_binder_does(c, true);
    // Depth as the full binder counts it: {"zeta":[[1]]} has its innermost array at depth 3.
    BindOptions shallow;
    shallow.max_depth = 3;
    BoundCase d;
    EXPECT_TRUE(bia::eval::fast_bind(plan(), R"({"zeta":[[1]]})", shallow, d));
    BoundCase full;
    bia::eval::bind_json_value(plan(), nlohmann::json::parse(R"({"zeta":[[1]]})"), shallow, full);
    EXPECT_TRUE(full.errors.empty());
    shallow.max_depth = 2;
    EXPECT_FALSE(bia::eval::fast_bind(plan(), R"({"zeta":[[1]]})", shallow, d));
    bia::eval::bind_json_text(plan(), R"({"zeta":[[1]]})", shallow, full);
    EXPECT_FALSE(full.errors.empty());
    // Sixteen keys in an ignored object are read here; more go to the full binder.
    std::string keys = "{\"zeta\":{";
    for (int i = 0; i < 17; ++i) keys += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    EXPECT_TRUE(bia::eval::fast_bind(plan(), keys.substr(0, keys.rfind(',')) + "}}", BindOptions{}, d));
    EXPECT_FALSE(bia::eval::fast_bind(plan(), keys + "}}", BindOptions{}, d));
    // In strict mode they are errors, which the full binder gives.
    BindOptions strict;
    strict.strict = true;
    BoundCase b;
    EXPECT_FALSE(bia::eval::fast_bind(plan(), R"({"zeta":1})", strict, b));
    // Sixteen are bound here; more go to the full binder.
    std::string many = "{";
    for (int i = 0; i < 17; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    EXPECT_TRUE(bia::eval::fast_bind(plan(), many.substr(0, many.rfind(',')) + "}", BindOptions{}, b));
    EXPECT_EQ(b.warnings.size(), 16u);
    EXPECT_FALSE(bia::eval::fast_bind(plan(), many + "}", BindOptions{}, b));
}

TEST(FastBind, LeavesToTheFullBinderWhatItMustNotDecide) {
    const std::string cases[] = {
        // Not JSON.
        "", " ", "[]", "{", R"({"child":{"age":1})", R"({"child":{"age":1}} x)", R"({"child":{"age":1},})",
        R"({"child":{"age" 1}})", R"({"child":{"age":1 "alone":true}})", R"({"child":{"age":01}})",
        R"({"child":{"age":.5}})", R"({"child":{"age":1.}})", R"({"child":{"age":+1}})", R"({"child":{"age":1e}})",
        R"({"child":{"age":NaN}})", R"({"child":{"alone":tru}})", R"({"child":{"alone":True}})",
        R"({"child":{"name":"unclosed}})", "\xEF\xBB\xBF{}", std::string("{}\0", 3), R"({"child":{"tags":["debt",]}})",
        R"({"child":{"tags":["debt" "threats"]}})", R"({"child":{"name":"\x"}})", R"({"child":{"name":"\u12"}})",
        // Valid JSON that needs the full binder: a lone surrogate, bytes that are not UTF-8 or
        // a control character in a text, -0, a number beyond a double.
        R"({"child":{"name":"\ud800"}})", R"({"child":{"name":"\udc00x"}})", R"({"child":{"name":"\ud800\u0041"}})",
        "{\"child\":{\"name\":\"\xC3\x28\"}}", "{\"child\":{\"name\":\"a\tb\"}}", R"({"child":{"age":-0}})",
        R"({"child":{"age":-0.0}})", R"({"child":{"age":1e400}})", R"({"child":{"age":-1e400}})",
        // Escapes where a name is matched, undeclared or duplicate keys, wrong types.
        R"({"ch\u0069ld":{}})", R"({"child":{"gender":"g\u0069rl"}})", R"({"child":{"born":"2015\u002d06-01"}})",
        R"({"child":{"age":1,"age":2}})",
        // Undeclared fields that come twice, hold a duplicate key, an escape or bytes that are not
        // UTF-8, or are not JSON; an undeclared key with an escape or that is not UTF-8.
        R"({"zeta":1,"zeta":2})", R"({"zeta":{"a":1,"a":2}})", R"({"zeta":[{"a":1,"b":{},"a":2}]})",
        R"({"zeta":{"a\n":1}})", R"({"zeta":["\u0041"]})", "{\"zeta\":[\"\xC3\x28\"]}", "{\"zeta\":{\"\xC3\x28\":1}}",
        R"({"zeta":[1,]})", R"({"zeta":{"a":1,}})", R"({"zeta":{"a"}})", R"({"zeta":[1 2]})", R"({"zeta":{1:2}})",
        R"({"zeta":[})", R"({"zeta":{]})", R"({"zeta":[[[[]]]})",
        R"({"child":{"nick":"x","nick":"y"}})", R"({"zeta":"a\"b"})", R"({"zeta":"\ud800"})", R"({"zeta":-0})",
        R"({"zeta":1e999})", R"({"zeta":tru})", R"({"zeta" 1})", R"({"zeta":1 "x":2})", R"({"z\u0065ta":1})",
        "{\"z\xC3\x28\":1}", "{\"zeta\":\"\xC3\x28\"}", R"({"zeta":1,})",
        R"({"child":{},"child":{}})", R"({"child":{"age":"16"}})", R"({"child":{"alone":1}})",
        R"({"child":{"gender":"robot"}})", R"({"child":{"tags":["debt",3]}})", R"({"child":{"tags":"debt"}})",
        R"({"child":{"born":"2026-02-30"}})", R"({"child":true})", R"({"child":{"age":{}}})",
        // Near misses of member names: a prefix, a longer name, another case, written with an escape.
        R"({"child":{"tags":["deb"]}})", R"({"child":{"tags":["debts"]}})", R"({"child":{"mark":"de"}})",
        R"({"child":{"gender":"Girl"}})", R"({"child":{"mark":"say \"hi\""}})",
        R"({"child":{"mark":"back\\slash"}})",
    };
    for (const auto& written : cases) {
        for (const std::string& c : {written, written + std::string(40, ' ')}) {
            SCOPED_TRACE(c);
            BoundCase fast;
            EXPECT_FALSE(bia::eval::fast_bind(plan(), c, BindOptions{}, fast));
        }
    }
}

// Strings are scanned eight bytes at a time: a quote, a backslash or a control
// character must stop the scan wherever it falls in a word.
TEST(FastBind, EveryStopInAStringIsSeenWhereverItFalls) {
    for (std::size_t at = 0; at < 20; ++at) {
        SCOPED_TRACE(at);
        const std::string before(at, 'a'), after(19 - at, 'b');
        for (const std::string stop : {"\\\"", "\\\\", "\\n", "\\u00e9", "\xC3\xA9"}) {
            const std::string c = "{\"child\":{\"name\":\"" + before + stop + after + "\"}}";
            BoundCase fast, full;
            ASSERT_TRUE(bia::eval::fast_bind(plan(), c, BindOptions{}, fast)) << c;
            ASSERT_TRUE(bind_parsed(c, full));
            EXPECT_EQ(slots_of(fast), slots_of(full));
        }
        for (const char control : {'\0', '\n', '\x1f'}) {
            BoundCase fast;
            EXPECT_FALSE(bia::eval::fast_bind(plan(), "{\"child\":{\"name\":\"" + before + control + after + "\"}}",
                                              BindOptions{}, fast));
        }
        // A member name or a date: an escape, or the end of the text, inside the scan.
        BoundCase fast;
        EXPECT_FALSE(bia::eval::fast_bind(plan(), "{\"child\":{\"gender\":\"" + before + "\\\"" + after + "\"}}",
                                          BindOptions{}, fast));
        EXPECT_FALSE(bia::eval::fast_bind(plan(), "{\"child\":{\"gender\":\"" + before, BindOptions{}, fast));
    }
}

TEST(FastBind, LimitsAreLeftToTheFullBinder) {
    const std::string c = R"({"deep":{"a":{"b":{"c":true}}},"child":{"tags":["debt"]}})";
    BoundCase b;
    BindOptions o;
    EXPECT_TRUE(bia::eval::fast_bind(plan(), c, o, b));
    o.max_depth = 4;  // the object holding c is at depth 4
    EXPECT_TRUE(bia::eval::fast_bind(plan(), c, o, b));
    o.max_depth = 3;
    EXPECT_FALSE(bia::eval::fast_bind(plan(), c, o, b));
    o = BindOptions{};
    o.max_bytes = c.size() - 1;
    EXPECT_FALSE(bia::eval::fast_bind(plan(), c, o, b));
    o.max_bytes = c.size();
    EXPECT_TRUE(bia::eval::fast_bind(plan(), c, o, b));
}

// Random edits of clean cases: whenever the fast binder accepts the text, it is
// JSON that the full binder binds, without a warning, to the same values.
TEST(FastBind, MutatedCasesAreBoundRightOrLeftAlone) {
    const std::string seeds[] = {
        R"({"child":{"alone":true,"age":16,"name":"Amina \u00e9","born":"2015-06-01","gender":"girl","tags":["debt","threats"]},)"
        R"("family":{"siblings":2.5e1},"deep":{"a":{"b":{"c":false}}}})",
        " { \"child\" : { \"age\" : -12.25 , \"name\" : \"a\\\"b\" , \"tags\" : [ ] } , \"family\" : null } ",
        R"({"deep":{"a":{"b":{"c":null}}},"child":{"gender":"other","mark":"deb","born":"2001-12-31","alone":false}})",
    };
    const std::string alphabet = "{}[]\":,-+.eE0123456789 \t\\ntrufalsu\xC3\xA9\x80";
    std::mt19937 random(20261130);
    std::size_t accepted = 0, mutants = 0;
    for (const auto& seed : seeds) {
        for (int round = 0; round < 30000; ++round) {
            std::string text = seed;
            const int edits = 1 + static_cast<int>(random() % 3);
            for (int e = 0; e < edits && !text.empty(); ++e) {
                const std::size_t at = random() % text.size();
                const char c = random() % 8 == 0 ? static_cast<char>(random() % 256) : alphabet[random() % alphabet.size()];
                switch (random() % 3) {
                    case 0: text[at] = c; break;
                    case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                    default: text.erase(at, 1); break;
                }
            }
            ++mutants;
            BoundCase fast;
            if (!bia::eval::fast_bind(plan(), text, BindOptions{}, fast)) continue;
            ++accepted;
            SCOPED_TRACE(text);
            BoundCase full;
            ASSERT_TRUE(bind_parsed(text, full));
            ASSERT_EQ(warnings_of(fast), warnings_of(full));
            ASSERT_EQ(slots_of(fast), slots_of(full));
        }
    }
    // Edits inside values and white space keep many cases clean: the comparison above ran.
    EXPECT_GT(accepted, mutants / 50);
}

}  // namespace
