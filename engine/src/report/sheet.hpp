// The case-conference sheet: the ordering both people's reports (text, HTML) share.
#pragma once

#include <bia/pack.hpp>
#include <bia/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bia::report {

struct SheetAction {
    std::string text;
    std::string rule_title;
    std::optional<Date> due;
    bool overdue = false;
    bool immediate = false;
};

struct SheetDomain {
    std::string name;   // empty for findings without a domain
    std::string title;
    double score = 0;
    std::vector<const FiredRule*> findings;
};

struct SheetMissing {
    std::string path;
    std::string description;
    std::vector<std::string> rules;  // titles of the undetermined rules that need it
    bool imprecise = false;          // recorded, but too imprecisely (Result::imprecise)
};

// What a report says of a fact the case gives too imprecisely (Result::imprecise).
inline constexpr const char* imprecise_note = "recorded, but not precisely enough: a more precise value would settle this";

struct Sheet {
    std::vector<SheetAction> actions;   // dated ones by due date, then undated ones
    std::vector<SheetDomain> domains;   // declaration order; only domains with findings
    std::vector<SheetMissing> missing;  // in the result's ranked order
    std::vector<SheetMissing> ask_first;  // the result's ask_first, in its order
};

// What the ask-first list before the full missing list means.
inline constexpr const char* ask_first_note = "each answer alone could raise the level";

Sheet make_sheet(const Result& result, const Pack& pack);

std::string format_number(double v);

// What the warnings at the top of both reports mean for the level below them.
inline constexpr const char* warnings_banner =
    "fields of the case that this pack does not read were ignored; if one was meant as a fact, "
    "correct it and assess again, for the level below does not count it";

}  // namespace bia::report
