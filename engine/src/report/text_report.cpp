// The text report: a case-conference sheet a caseworker can read aloud.
#include <bia/report.hpp>

#include "report/sheet.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace bia::report {

std::string format_number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) return std::to_string(static_cast<long long>(v));
    std::ostringstream o;
    o << v;
    return o.str();
}

Sheet make_sheet(const Result& r, const Pack& pack) {
    Sheet s;
    for (const auto& f : r.fired) {
        for (const auto& a : f.actions) s.actions.push_back({a.text, f.title, a.due, a.overdue, a.immediate});
    }
    std::stable_sort(s.actions.begin(), s.actions.end(), [](const SheetAction& a, const SheetAction& b) {
        if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
        return a.due && b.due && *a.due < *b.due;
    });
    for (const auto& d : r.domains) s.domains.push_back({d.name, d.title, d.score, {}});
    SheetDomain unassigned{"", "Other findings", 0, {}};
    for (const auto& f : r.fired) {
        auto it = std::find_if(s.domains.begin(), s.domains.end(),
                               [&](const SheetDomain& d) { return f.domain && d.name == *f.domain; });
        if (it == s.domains.end()) unassigned.findings.push_back(&f);
        else it->findings.push_back(&f);
    }
    std::erase_if(s.domains, [](const SheetDomain& d) { return d.findings.empty(); });
    if (!unassigned.findings.empty()) s.domains.push_back(std::move(unassigned));

    std::map<std::string, std::string> description;
    for (const auto& f : pack.facts()) {
        description[f.path] = f.description;
        // A list's fields (language 2), under the list's path without an element's index: no fact
        // can have that path, as a fact path cannot extend another's.
        for (const auto& field : f.fields) description[f.path + "." + field.path] = field.description;
    }
    // family.members[2].located is described as family.members.located.
    auto describe = [&](const std::string& path) -> std::string {
        if (const auto it = description.find(path); it != description.end()) return it->second;
        const std::size_t open = path.find('['), close = path.find("].");
        if (open == std::string::npos || close == std::string::npos || close < open) return "";
        const auto it = description.find(path.substr(0, open) + path.substr(close + 1));
        return it == description.end() ? "" : it->second;
    };
    std::map<std::string, std::string> title;
    for (const auto& rule : pack.rules()) title[rule.name] = rule.title;
    // One pass over the rules' missing lists: searching every list for every path was cubic in
    // the pack's size (n rules each missing n facts).
    std::map<std::string, std::size_t> position;
    for (const auto& path : r.missing) {
        position.emplace(path, s.missing.size());
        s.missing.push_back(SheetMissing{path, describe(path), {}});
    }
    for (const auto& u : r.undetermined) {
        for (const auto& path : u.missing) {
            if (auto it = position.find(path); it != position.end()) s.missing[it->second].rules.push_back(title[u.rule]);
        }
    }
    for (const auto& path : r.imprecise) {
        if (auto it = position.find(path); it != position.end()) s.missing[it->second].imprecise = true;
    }
    for (const auto& path : r.ask_first) {
        if (auto it = position.find(path); it != position.end()) s.ask_first.push_back(s.missing[it->second]);
    }
    return s;
}

}  // namespace bia::report

namespace bia {

std::string render_text(const Result& r, const Pack& pack) {
    using report::format_number;
    const report::Sheet sheet = report::make_sheet(r, pack);
    std::ostringstream o;
    o << "Best-interests assessment support: " << pack.title() << "\n";
    o << "Pack " << r.pack_name << " " << r.pack_version << ", assessed as of " << r.as_of.to_string() << "\n\n";
    // Before the level, which a misspelt field may have lowered: read first, never missed.
    if (!r.warnings.empty()) {
        o << "!! WARNINGS (" << r.warnings.size() << "): " << report::warnings_banner << "\n";
        for (const auto& w : r.warnings) o << "  - " << w.path << ": " << w.message << "\n";
        o << "\n";
    }
    o << "LEVEL:           " << r.level << "\n";
    o << "POSSIBLE LEVEL:  " << r.possible_level;
    if (r.possible_level != r.level) o << "  (if the missing information confirms the open concerns)";
    o << "\n";
    o << "Score: " << format_number(r.score) << " (up to " << format_number(r.possible_score)
      << " once missing information is known). A triage aid, not a best-interests score.\n";
    o << "This report supports a professional assessment; it does not make the decision.\n";

    o << "\nACTIONS (" << sheet.actions.size() << ")\n";
    if (sheet.actions.empty()) o << "  none\n";
    for (const auto& a : sheet.actions) {
        o << "  " << (a.overdue ? "OVERDUE " : "") << (a.immediate ? "IMMEDIATELY " : "")
          << (a.due ? "due " + a.due->to_string() : std::string("no date")) << "  " << a.text << "\n";
        o << "        (" << a.rule_title << ")\n";
    }

    o << "\nFINDINGS (" << r.fired.size() << ")\n";
    if (r.fired.empty()) o << "  none\n";
    for (const auto& d : sheet.domains) {
        o << "  " << d.title;
        if (!d.name.empty() && d.score != 0) o << "  [score " << format_number(d.score) << "]";
        o << "\n";
        for (const FiredRule* f : d.findings) {
            o << "    - " << f->title;
            if (f->severity) o << "  [" << *f->severity << "]";
            o << "\n";
            for (const auto& c : f->cites) {
                o << "        cites " << c.title;
                if (c.ref) o << ", " << *c.ref;
                o << "\n";
            }
        }
    }

    // Only when some answer could raise the level: other reports keep their bytes.
    if (!sheet.ask_first.empty()) {
        o << "\nASK FIRST (" << sheet.ask_first.size() << "): " << report::ask_first_note << "\n";
        for (const auto& m : sheet.ask_first) {
            o << "  - " << m.path;
            if (!m.description.empty()) o << ": " << m.description;
            o << "\n";
        }
    }

    o << "\nMISSING INFORMATION (" << sheet.missing.size() << "), most urgent first\n";
    if (sheet.missing.empty()) o << "  none\n";
    for (const auto& m : sheet.missing) {
        o << "  - " << m.path;
        if (!m.description.empty()) o << ": " << m.description;
        o << "\n";
        if (m.imprecise) o << "        " << report::imprecise_note << "\n";
        if (!m.rules.empty()) {
            o << "        needed for: ";
            for (std::size_t i = 0; i < m.rules.size(); ++i) o << (i ? "; " : "") << m.rules[i];
            o << "\n";
        }
    }
    return o.str();
}

}  // namespace bia
