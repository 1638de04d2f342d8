// The result contract as one compact JSON line, written straight into a buffer:
// the same keys, order and values as render_json, without building a JSON value.
#include <bia/report.hpp>
#include <bia/result_fields.hpp>

#include "report/json_writer.hpp"

#include "common/json_text.hpp"
#include "common/source.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace bia {
namespace {

// Writes into the caller's string through a raw cursor: the string is grown
// ahead (geometrically) and cut to the written length when the writer finishes,
// so each piece is one bounds check and one memcpy.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {
        const std::size_t used = out_.size();
        out_.resize(used + 16384);
        p_ = out_.data() + used;
        end_ = out_.data() + out_.size();
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }

    void raw(std::string_view s) {
        ensure(s.size());
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
    }
    void ch(char c) {
        ensure(1);
        *p_++ = c;
    }
    // A key or other text known to need no escaping, in quotes.
    void quoted_plain(std::string_view s) {
        ensure(s.size() + 2);
        *p_++ = '"';
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
        *p_++ = '"';
    }
    void indent(std::size_t n) {
        ensure(n + 1);
        *p_++ = '\n';
        std::memset(p_, ' ', n);
        p_ += n;
    }

    // A JSON string, as detail::write_json_string writes it; most strings need
    // no escape and are copied whole.
    void string(std::string_view s) {
        bool non_ascii = false;
        std::size_t bad = 0;
        if (!needs_escape(s, non_ascii) && (!non_ascii || detail::valid_utf8(s, bad))) {
            quoted_plain(s);
            return;
        }
        ensure(s.size() * 6 + 2);
        detail::write_json_string(s, [this](const char* data, std::size_t size) {
            if (size == 0) return;
            std::memcpy(p_, data, size);
            p_ += size;
        });
    }

    void optional_string(const std::optional<std::string>& s) {
        if (s) string(*s);
        else raw("null");
    }

    // Whole numbers as integers (the contract), others as nlohmann prints doubles.
    void number(double v) {
        if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) {
            ensure(24);
            p_ = std::to_chars(p_, p_ + 24, static_cast<std::int64_t>(v)).ptr;
            return;
        }
        raw(nlohmann::json(v).dump());
    }

    void boolean(bool b) { raw(b ? "true" : "false"); }

    void date(Date d) {
        // YYYY-MM-DD; years are 1..9999 for every date a result holds.
        const int y = d.year(), m = d.month(), day = d.day();
        if (y < 1 || y > 9999) {
            string(d.to_string());
            return;
        }
        const char buf[12] = {'"',
                              static_cast<char>('0' + y / 1000 % 10),
                              static_cast<char>('0' + y / 100 % 10),
                              static_cast<char>('0' + y / 10 % 10),
                              static_cast<char>('0' + y % 10),
                              '-',
                              static_cast<char>('0' + m / 10),
                              static_cast<char>('0' + m % 10),
                              '-',
                              static_cast<char>('0' + day / 10),
                              static_cast<char>('0' + day % 10),
                              '"'};
        raw(std::string_view(buf, sizeof buf));
    }

private:
    std::string& out_;
    char* p_ = nullptr;
    char* end_ = nullptr;

    void ensure(std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    }
    void grow(std::size_t n) {
        const std::size_t used = static_cast<std::size_t>(p_ - out_.data());
        // std::string grows its capacity geometrically by itself; ask only for what is needed.
        out_.resize(used + n + 16384);
        p_ = out_.data() + used;
        end_ = out_.data() + out_.size();
    }

    // Whether `s` holds a character to escape (a control character, `"` or `\`);
    // `non_ascii` tells whether it holds bytes >= 0x80 (whose UTF-8 must be checked).
    static bool needs_escape(std::string_view s, bool& non_ascii) {
        const char* p = s.data();
        const char* const end = p + s.size();
        bool high = false;
#ifdef __SSE2__
        const __m128i limit = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
        for (; end - p >= 16; p += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, limit), limit);  // x <= 0x1F, unsigned
            const __m128i hit =
                _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
            if (_mm_movemask_epi8(hit) != 0) {
                non_ascii = true;  // not looked at further: let the caller check
                return true;
            }
            high = high || _mm_movemask_epi8(x) != 0;
        }
#endif
        for (; p < end; ++p) {
            const unsigned char c = static_cast<unsigned char>(*p);
            if (c < 0x20 || c == '"' || c == '\\') {
                non_ascii = true;
                return true;
            }
            high = high || c >= 0x80;
        }
        non_ascii = high;
        return false;
    }

};

// The document's shape, written compact (`indent` 0) or as nlohmann's dump with
// that indentation: "key": value, one member per line, empty containers as {} and [].
class Layout {
public:
    Layout(Writer& w, int indent) : w_(w), indent_(indent) {}

    void open(char c) {
        w_.ch(c);
        first_[++depth_] = true;
    }
    void close(char c) {
        const bool empty = first_[depth_--];
        if (!empty && indent_) newline();
        w_.ch(c);
    }
    // Before each member of the container open at this depth.
    void item() {
        if (!first_[depth_]) w_.ch(',');
        first_[depth_] = false;
        if (indent_) newline();
    }
    // A key of the contract (a literal, nothing to escape).
    void key(std::string_view k) {
        item();
        w_.quoted_plain(k);
        if (indent_) w_.raw(": ");
        else w_.ch(':');
    }
    // A key from the pack (a domain's name).
    void name_key(std::string_view k) {
        item();
        w_.string(k);
        if (indent_) w_.raw(": ");
        else w_.ch(':');
    }

private:
    Writer& w_;
    int indent_;
    int depth_ = 0;
    bool first_[8] = {};

    void newline() { w_.indent(static_cast<std::size_t>(depth_ * indent_)); }
};

// Writes the contract objects as Contract<T> (bia/result_fields.hpp) lists them.
class ContractWriter {
public:
    ContractWriter(Writer& w, Layout& l) : w_(w), l_(l) {}

    template <class T>
    void object(const T& obj) {
        l_.open('{');
        members<T>(obj);
        l_.close('}');
    }

private:
    Writer& w_;
    Layout& l_;

    // The members of Contract<T>, read from `owner` (T itself, or the struct
    // that holds a Group's members).
    template <class T, class Owner>
    void members(const Owner& owner) {
        contract::for_each_field<T>([&](const auto& f) { member(owner, f); });
    }

    template <class Owner, class T>
    void member(const Owner& owner, const contract::Field<Owner, T>& f) {
        if (f.omitted_when_empty && contract::is_empty(owner, f)) return;
        l_.key(f.key);
        if constexpr (std::is_same_v<T, std::optional<std::string>>) {
            if (f.json_text && owner.*f.member) {
                w_.raw(*(owner.*f.member));
                return;
            }
        }
        value(owner.*f.member);
    }

    template <class Owner, class Tag>
    void member(const Owner& owner, const contract::Group<Owner, Tag>& g) {
        l_.key(g.key);
        l_.open('{');
        members<Tag>(owner);
        l_.close('}');
    }

    template <class Owner, class E>
    void member(const Owner& owner, const contract::Keyed<Owner, E>& k) {
        l_.key(k.key);
        l_.open('{');
        for (const E& e : owner.*k.member) {
            l_.name_key(e.*k.name);
            object(e);
        }
        l_.close('}');
    }

    void value(const std::string& s) { w_.string(s); }
    void value(const std::optional<std::string>& s) { w_.optional_string(s); }
    void value(double v) { w_.number(v); }
    void value(bool b) { w_.boolean(b); }
    void value(Date d) { w_.date(d); }
    void value(const std::optional<Date>& d) {
        if (d) w_.date(*d);
        else w_.raw("null");
    }
    template <class E>
    void value(const std::vector<E>& list) {
        l_.open('[');
        for (const E& e : list) {
            l_.item();
            if constexpr (contract::Object<E>) object(e);
            else value(e);
        }
        l_.close(']');
    }
};

void write_result(const Result& r, std::string& out, int indent) {
    Writer w(out);
    Layout l(w, indent);
    ContractWriter(w, l).object(r);
    w.ch('\n');
}

}  // namespace

void write_json_line(const Result& r, std::string& out) { write_result(r, out, 0); }

namespace report {

std::string render_json_pretty(const Result& r) {
    std::string out;
    out.reserve(16384);
    write_result(r, out, 2);
    return out;
}

}  // namespace report

std::string render_json_line(const Result& r) {
    std::string out;
    out.reserve(4096);
    write_json_line(r, out);
    return out;
}

}  // namespace bia
