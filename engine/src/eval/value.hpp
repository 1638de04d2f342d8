// Runtime values of the three-valued evaluator.
#pragma once

#include <cstdint>

namespace bia::eval {

// Static types make a tag unnecessary: bool (0/1), number, date (days) and
// enum index live in `num`, a set in `bits`, text in `str`/`len`. Sixteen
// bytes: a case's facts and a plan's values stay dense in the cache.
struct Value {
    union {
        double num;
        std::uint64_t bits;
        const char* str;
    };
    std::uint32_t len = 0;
    bool known = false;

    constexpr Value() : num(0) {}
    static constexpr Value unknown() { return Value(); }
    static constexpr Value number(double v) {
        Value x;
        x.num = v;
        x.known = true;
        return x;
    }
    static constexpr Value boolean(bool v) { return number(v ? 1 : 0); }
    static Value set(std::uint64_t b) {
        Value x;
        x.bits = b;
        x.known = true;
        return x;
    }
    static Value text(const char* s, std::uint32_t n) {
        Value x;
        x.str = s;
        x.len = n;
        x.known = true;
        return x;
    }
};

static_assert(sizeof(Value) == 16);

}  // namespace bia::eval
