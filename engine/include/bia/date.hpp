// Calendar dates as days since 1970-01-01 in the proleptic Gregorian calendar.
#pragma once

#include <bia/export.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace bia {

struct YearMonthDay {
    int year = 1970, month = 1, day = 1;
};

class BIA_API Date {
public:
    constexpr Date() = default;
    static constexpr Date from_days(std::int32_t days) { Date d; d.days_ = days; return d; }
    // Returns nothing unless `year` is 1..9999 and the date exists in the calendar.
    static std::optional<Date> from_ymd(int year, int month, int day);
    // Strict "YYYY-MM-DD"; nothing for anything else, including 2026-02-30.
    static std::optional<Date> parse(std::string_view text);
    // A partial date (language 2): "YYYY", "YYYY-MM" or a full "YYYY-MM-DD", as the first and the
    // last day it may be (one day for a full date). Nothing for anything else ("2009-13", "20O9").
    static std::optional<std::pair<Date, Date>> parse_partial(std::string_view text);
    // The host's local calendar date now.
    static Date today();

    constexpr std::int32_t days() const { return days_; }
    int year() const;
    int month() const;
    int day() const;
    // All three at once: each of year(), month() and day() converts the whole date.
    YearMonthDay ymd() const;
    std::string to_string() const;

    friend constexpr auto operator<=>(Date, Date) = default;

private:
    std::int32_t days_ = 0;
};

}  // namespace bia
