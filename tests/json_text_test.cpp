// The one JSON string writer (bia::append_json_string, detail::write_json_string)
// and UTF-8 well-formedness: byte for byte what nlohmann::json writes, on
// hand-picked and on random bytes, since the result contract was first written by it.
#include <bia/json_text.hpp>

#include "common/json_text.hpp"
#include "common/source.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

namespace {

std::string nlohmann_string(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ours(const std::string& text) {
    std::string out = "prefix:";
    bia::append_json_string(out, text);
    EXPECT_EQ(out.rfind("prefix:", 0), 0u) << "appends, keeping what was there";
    return out.substr(7);
}

TEST(JsonText, EscapesAsTheResultContractDoes) {
    EXPECT_EQ(ours(""), "\"\"");
    EXPECT_EQ(ours("plain"), "\"plain\"");
    EXPECT_EQ(ours("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(ours("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    EXPECT_EQ(ours(std::string("\0\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
    EXPECT_EQ(ours("\x7f"), "\"\x7f\"");  // DEL is not a JSON control character
    EXPECT_EQ(ours("K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80"), "\"K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonText, ReplacesEachIllFormedPartWithOneReplacementCharacter) {
    const std::string fffd = "\xef\xbf\xbd";
    EXPECT_EQ(ours("\xff"), "\"" + fffd + "\"");
    EXPECT_EQ(ours("a\xe2\x82" "b"), "\"a" + fffd + "b\"");     // a truncated sequence, then ASCII
    EXPECT_EQ(ours("\xe2\x82"), "\"" + fffd + "\"");            // truncated at the end
    EXPECT_EQ(ours("\xe0\x80"), "\"" + fffd + fffd + "\"");     // overlong: the lead alone, then the stray byte
    EXPECT_EQ(ours("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");  // a surrogate
    EXPECT_EQ(ours("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // past U+10FFFF
    EXPECT_EQ(ours("\xc0\xaf"), "\"" + fffd + fffd + "\"");
}

TEST(JsonText, AgreesWithNlohmannOnEveryHandPickedAndRandomString) {
    const std::vector<std::string> picked = {
        "", "a", "\"", "\\", "\x1f", "\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
        "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80",
        "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\x80", "\xbf\xbf", "\xe2\x82", "\xf0\x9f\x98",
        "x\xe2\x28\xa1y", "\xf0\x28\x8c\xbc", "\xc3\x28"};
    for (const auto& s : picked) EXPECT_EQ(ours(s), nlohmann_string(s)) << "bytes: " << ::testing::PrintToString(s);
    // Random strings over bytes that matter: ASCII, controls, quotes, leads and continuations.
    const std::string alphabet = std::string("a\"\\\n\x01\x7f", 6) +
                                 "\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc2\xdf\xe0\xe1\xec\xed\xee\xef\xf0\xf1\xf3\xf4\xf5\xff";
    std::mt19937 rng(15);
    for (int n = 0; n < 20000; ++n) {
        std::string s;
        for (int k = 0, len = static_cast<int>(rng() % 12); k < len; ++k) s += alphabet[rng() % alphabet.size()];
        ASSERT_EQ(ours(s), nlohmann_string(s)) << "bytes: " << ::testing::PrintToString(s);
    }
}

TEST(JsonText, WellFormedUtf8IsWhatTheWriterKeeps) {
    std::mt19937 rng(16);
    for (int n = 0; n < 20000; ++n) {
        std::string s;
        for (int k = 0, len = static_cast<int>(rng() % 8); k < len; ++k) s += static_cast<char>(0x80 + rng() % 0x80);
        std::size_t bad = 0;
        const bool valid = bia::detail::valid_utf8(s, bad);
        // Well-formed text is written as it is; ill-formed text is not.
        EXPECT_EQ(valid, ours(s) == "\"" + s + "\"") << ::testing::PrintToString(s);
        EXPECT_EQ(valid, nlohmann::json::accept("\"" + s + "\"")) << ::testing::PrintToString(s);
    }
}

}  // namespace
