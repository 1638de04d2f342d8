// Civil-calendar arithmetic (Howard Hinnant's algorithms) for bia::Date.
#include <bia/date.hpp>

#include <cstdio>
#include <ctime>

namespace bia {
namespace {

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil { int y; unsigned m; unsigned d; };

constexpr Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), m, d};
}

constexpr bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(int y, unsigned m) {
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : table[m - 1];
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
    if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) return std::nullopt;
    return from_days(static_cast<std::int32_t>(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))));
}

std::optional<Date> Date::parse(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto digits = [&](std::size_t from, std::size_t count, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (t[i] < '0' || t[i] > '9') return false;
            out = out * 10 + (t[i] - '0');
        }
        return true;
    };
    int y = 0, m = 0, d = 0;
    if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
    return from_ymd(y, m, d);
}

std::optional<std::pair<Date, Date>> Date::parse_partial(std::string_view t) {
    if (t.size() == 10) {
        const auto d = parse(t);
        if (!d) return std::nullopt;
        return std::pair{*d, *d};
    }
    if (t.size() != 4 && !(t.size() == 7 && t[4] == '-')) return std::nullopt;
    int year = 0, month = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
        year = year * 10 + (t[i] - '0');
    }
    if (t.size() == 7) {
        if (t[5] < '0' || t[5] > '9' || t[6] < '0' || t[6] > '9') return std::nullopt;
        month = (t[5] - '0') * 10 + (t[6] - '0');
        if (month < 1 || month > 12) return std::nullopt;
    }
    const auto first = from_ymd(year, month == 0 ? 1 : month, 1);
    if (!first) return std::nullopt;
    const int last_month = month == 0 ? 12 : month;
    return std::pair{*first, *from_ymd(year, last_month, static_cast<int>(days_in_month(year, static_cast<unsigned>(last_month))))};
}

Date Date::today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

int Date::year() const { return civil_from_days(days_).y; }
int Date::month() const { return static_cast<int>(civil_from_days(days_).m); }
int Date::day() const { return static_cast<int>(civil_from_days(days_).d); }

YearMonthDay Date::ymd() const {
    const Civil c = civil_from_days(days_);
    return YearMonthDay{static_cast<int>(c.y), static_cast<int>(c.m), static_cast<int>(c.d)};
}

std::string Date::to_string() const {
    const Civil c = civil_from_days(days_);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
    return buf;
}

}  // namespace bia
