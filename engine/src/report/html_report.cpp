// The HTML report: one self-contained, printable page with a chart of domain scores.
#include <bia/report.hpp>

#include "report/sheet.hpp"

#include <algorithm>
#include <sstream>

namespace bia {

std::string escape_markup(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

// Everything from the pack or the result goes through here.
std::string esc(const std::string& s) { return escape_markup(s); }

const char* style = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.8rem}
.meta{color:#555;font-size:.9rem}.levels{display:flex;gap:1rem;margin:1rem 0}
.level{border:2px solid #333;border-radius:.4rem;padding:.5rem 1rem}.level b{display:block;font-size:1.4rem;text-transform:uppercase}
.note{background:#f4f4f4;padding:.5rem .8rem;border-radius:.3rem;font-size:.9rem}
table{border-collapse:collapse;width:100%}#actions td:first-child{white-space:nowrap}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
.overdue{color:#a00000;font-weight:bold}.sev{font-size:.8rem;border:1px solid #888;border-radius:.2rem;padding:0 .3rem;margin-left:.4rem}
.cite{color:#555;font-size:.85rem}svg text{font-size:12px;font-family:inherit}
@media print{body{margin:0;max-width:none}.level{border-width:1px}}
)";

}  // namespace

std::string render_html(const Result& r, const Pack& pack) {
    using report::format_number;
    const report::Sheet sheet = report::make_sheet(r, pack);
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      << "<title>Assessment support: " << esc(pack.title()) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n";
    o << "<h1>" << esc(pack.title()) << "</h1>\n";
    o << "<p class=\"meta\">Pack " << esc(r.pack_name) << " " << esc(r.pack_version) << " &middot; assessed as of "
      << r.as_of.to_string() << " &middot; engine " << esc(r.engine) << "</p>\n";
    // Before the level, which a misspelt field may have lowered: read first, never missed.
    // (Styled inline: a rule in the shared style sheet would change every report's bytes.)
    if (!r.warnings.empty()) {
        o << "<div class=\"warnings\" id=\"warnings\" role=\"alert\" "
             "style=\"border:2px solid #a00000;background:#fff4f4;padding:.5rem .8rem;border-radius:.3rem\"><b>Warnings (" << r.warnings.size()
          << ")</b>: " << esc(report::warnings_banner) << "\n<ul>\n";
        for (const auto& w : r.warnings) o << "<li><code>" << esc(w.path) << "</code>: " << esc(w.message) << "</li>\n";
        o << "</ul></div>\n";
    }
    o << "<div class=\"levels\"><div class=\"level\" id=\"level\">Level<b>" << esc(r.level)
      << "</b></div><div class=\"level\" id=\"possible-level\">Possible level<b>" << esc(r.possible_level)
      << "</b></div></div>\n";
    o << "<p class=\"note\">Score " << format_number(r.score) << " (up to " << format_number(r.possible_score)
      << " once missing information is known): a triage aid, not a best-interests score. This report supports a "
         "professional assessment; it does not make the decision.</p>\n";

    o << "<h2>Actions</h2>\n";
    if (sheet.actions.empty()) o << "<p>None.</p>\n";
    else {
        o << "<table id=\"actions\"><tr><th>Due</th><th>Action</th><th>Because</th></tr>\n";
        for (const auto& a : sheet.actions) {
            o << "<tr" << (a.overdue ? " class=\"overdue\"" : "") << "><td>"
              << (a.due ? a.due->to_string() : std::string("no date")) << (a.overdue ? " (overdue)" : "")
              << (a.immediate ? " <strong>immediately</strong>" : "") << "</td><td>"
              << esc(a.text) << "</td><td>" << esc(a.rule_title) << "</td></tr>\n";
        }
        o << "</table>\n";
    }

    o << "<h2>Findings</h2>\n";
    if (r.fired.empty()) o << "<p>None.</p>\n";
    for (const auto& d : sheet.domains) {
        o << "<h3>" << esc(d.title) << "</h3>\n<ul>\n";
        for (const FiredRule* f : d.findings) {
            o << "<li class=\"finding\" data-rule=\"" << esc(f->rule) << "\">" << esc(f->title);
            if (f->severity) o << "<span class=\"sev\">" << esc(*f->severity) << "</span>";
            for (const auto& c : f->cites) {
                o << "<div class=\"cite\">" << esc(c.title);
                if (c.ref) o << ", " << esc(*c.ref);
                o << "</div>";
            }
            o << "</li>\n";
        }
        o << "</ul>\n";
    }

    o << "<h2>Score per domain</h2>\n";
    double top = 0;
    for (const auto& d : r.domains) top = std::max(top, d.score);
    const int row = 22, label = 260, width = 360;
    o << "<svg id=\"domain-chart\" role=\"img\" aria-label=\"Score per domain\" width=\"" << label + width + 60
      << "\" height=\"" << row * static_cast<int>(r.domains.size()) + 10 << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
    for (std::size_t i = 0; i < r.domains.size(); ++i) {
        const auto& d = r.domains[i];
        const int y = static_cast<int>(i) * row + 5;
        const double w = top > 0 ? d.score / top * width : 0;
        o << "<text x=\"0\" y=\"" << y + 14 << "\">" << esc(d.title) << "</text>"
          << "<rect class=\"bar\" x=\"" << label << "\" y=\"" << y + 3 << "\" width=\"" << format_number(std::max(w, 0.0))
          << "\" height=\"14\" fill=\"#3b6ea5\"></rect>"
          << "<text x=\"" << label + static_cast<int>(w) + 6 << "\" y=\"" << y + 14 << "\">" << format_number(d.score)
          << "</text>\n";
    }
    o << "</svg>\n";

    // Only when some answer could raise the level: other reports keep their bytes.
    if (!sheet.ask_first.empty()) {
        o << "<h2>Ask first</h2>\n<p>" << esc(report::ask_first_note) << ":</p>\n<ol id=\"ask-first\">\n";
        for (const auto& m : sheet.ask_first) {
            o << "<li><code>" << esc(m.path) << "</code>";
            if (!m.description.empty()) o << ": " << esc(m.description);
            o << "</li>\n";
        }
        o << "</ol>\n";
    }
    o << "<h2>Missing information, most urgent first</h2>\n";
    if (sheet.missing.empty()) o << "<p>None.</p>\n";
    else {
        o << "<table id=\"missing\"><tr><th>Fact</th><th>What to record</th><th>Needed for</th></tr>\n";
        for (const auto& m : sheet.missing) {
            o << "<tr><td><code>" << esc(m.path) << "</code></td><td>" << esc(m.description);
            if (m.imprecise) o << (m.description.empty() ? "" : "<br>") << "<em>" << esc(report::imprecise_note) << "</em>";
            o << "</td><td>";
            for (std::size_t i = 0; i < m.rules.size(); ++i) o << (i ? "; " : "") << esc(m.rules[i]);
            o << "</td></tr>\n";
        }
        o << "</table>\n";
    }
    o << "</body>\n</html>\n";
    return o.str();
}

}  // namespace bia
