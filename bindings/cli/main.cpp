// The `bia` command: check packs, run cases, test packs. Uses only the public API.
#include <bia/bia.hpp>

#include "batch.hpp"
#include "io.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

namespace {

using bia::cli::exit_failed;
using bia::cli::exit_internal;
using bia::cli::exit_ok;
using bia::cli::exit_output;
using bia::cli::exit_usage;

struct UsageError {
    std::string message;
};

// A pack directory is its top-level .bia files (bia::load, docs/language.md): .bia files further
// down are not read. Rules sorted into folders would otherwise vanish from the pack without a word.
void warn_ignored_subdirectories(const std::string& pack_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(pack_path, ec)) return;
    std::vector<std::pair<std::string, std::size_t>> ignored;  // subdirectory, .bia files in it
    for (fs::directory_iterator it(pack_path, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code sub_ec;
        if (name.empty() || name[0] == '.' || !it->is_directory(sub_ec)) continue;  // dotfiles, as bia::load
        std::size_t count = 0;
        for (fs::recursive_directory_iterator sub(it->path(), fs::directory_options::skip_permission_denied, sub_ec),
             sub_end;
             !sub_ec && sub != sub_end; sub.increment(sub_ec)) {
            std::error_code file_ec;
            if (sub->path().extension() == ".bia" && sub->is_regular_file(file_ec)) ++count;
        }
        if (count > 0) ignored.emplace_back((fs::path(pack_path) / name).string(), count);
    }
    std::sort(ignored.begin(), ignored.end());
    for (const auto& [dir, count] : ignored) {
        std::cerr << dir << ": warning: " << count << " .bia file" << (count == 1 ? " is" : "s are")
                  << " not read: a pack directory is only the .bia files directly in it\n";
    }
}

// The limits packs are read with: the library's defaults, and --max-source-bytes when given.
bia::Limits pack_limits;

std::optional<bia::Pack> report_compiled(bia::CompileResult compiled, const std::string& shown) {
    if (!compiled.ok()) {
        std::cerr << bia::format_diagnostics(compiled.diagnostics);
        const auto n = compiled.diagnostics.size();
        std::cerr << shown << ": " << n << " error" << (n == 1 ? "" : "s") << "; the pack was not loaded\n";
        for (const bia::Diagnostic& d : compiled.diagnostics) {
            if (d.code != "E0503") continue;
            std::cerr << shown << ": note: a larger pack can be read with --max-source-bytes BYTES\n";
            break;
        }
        return std::nullopt;
    }
    return std::move(compiled.pack);
}

std::optional<bia::Pack> load_pack(const std::string& path) {
    warn_ignored_subdirectories(path);
    return report_compiled(bia::load(path, pack_limits), path);
}

// What --as-of holds when it is not given; an empty value given by hand is a usage error.
const std::string as_of_not_given = "\x01";

bia::Date parse_as_of(const std::string& text) {
    if (text == as_of_not_given) return bia::Date::today();
    auto d = bia::Date::parse(text);
    if (!d) throw UsageError{"--as-of: expected a calendar date YYYY-MM-DD, got '" + text + "'"};
    return *d;
}

std::string percent(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", p);
    return buf;
}

// One JSON document on standard output, two-space indented like a result; text that is not
// valid UTF-8 (a path, say) is replaced rather than thrown on.
void print_json(const nlohmann::ordered_json& document) {
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

// Under --format json a refused case's errors go to standard output as JSON too, shaped as
// bia batch's error record without its line: {"error": [{"path": ..., "message": ...}]}.
void print_error_record(const std::vector<bia::FactError>& errors) {
    nlohmann::ordered_json record;
    record["error"] = bia::to_json(errors);
    print_json(record);
}

void print_fact_errors(const std::string& case_path, const std::vector<bia::FactError>& errors) {
    for (const auto& e : errors) std::cerr << case_path << ": error: " << e.path << ": " << e.message << "\n";
    std::cerr << case_path << ": " << errors.size() << " fact error" << (errors.size() == 1 ? "" : "s")
              << "; the case was not evaluated\n";
}

// Each warning on standard error too, where a script or a person watching the run sees it
// even when the report goes to a file (the report shows them first as well).
void print_warnings(const std::string& case_path, const std::vector<bia::Warning>& warnings) {
    for (const auto& w : warnings) std::cerr << case_path << ": warning: " << w.path << ": " << w.message << "\n";
}

// `bia check --format json`: {"ok": true, "pack": {...}, "rules": N, "facts": N, "levels": N,
// "diagnostics": []}, or {"ok": false, "diagnostics": [{"code", "path", "line", "column", "message"}]}.
void print_check_json(const bia::CompileResult& compiled) {
    nlohmann::ordered_json out;
    out["ok"] = compiled.ok();
    if (compiled.ok()) {
        const bia::Pack& pack = *compiled.pack;
        out["pack"] = {{"name", pack.name()}, {"version", pack.version()}, {"title", pack.title()}, {"digest", pack.digest()}};
        out["rules"] = pack.rules().size();
        out["facts"] = pack.facts().size();
        out["levels"] = pack.levels().size();
    }
    out["diagnostics"] = bia::to_json(compiled.diagnostics);
    print_json(out);
}

int cmd_check(const std::string& pack_path, const std::string& format) {
    const std::string shown = pack_path == "-" ? "<stdin>" : pack_path;
    bia::CompileResult compiled;
    if (pack_path == "-") {  // one pack file on standard input, as `run` reads a case
        std::string problem;
        auto text = bia::cli::read_input(pack_path, pack_limits.max_source_bytes, problem, "max_source_bytes");
        if (!text) {
            std::cerr << "<stdin>: error: " << problem << "\n";
            if (format == "json") {
                const bool too_large = problem.find("max_source_bytes") != std::string::npos;
                compiled.diagnostics.push_back(bia::Diagnostic{too_large ? "E0503" : "E0001", shown, 1, 1, problem, ""});
                print_check_json(compiled);
            }
            return exit_failed;
        }
        compiled = bia::compile(*text, "<stdin>", pack_limits);
    } else {
        warn_ignored_subdirectories(pack_path);
        compiled = bia::load(pack_path, pack_limits);
    }
    if (format == "json") print_check_json(compiled);
    // The text report goes to standard error either way (the diagnostics), and to standard output on success.
    std::optional<bia::Pack> pack = report_compiled(std::move(compiled), shown);
    if (!pack) return exit_failed;
    if (format != "json")
        std::cout << shown << ": ok: pack " << pack->name() << " " << pack->version() << ", " << pack->rules().size()
                  << " rules, " << pack->facts().size() << " facts, " << pack->levels().size() << " levels ("
                  << pack->digest() << ")\n";
    return exit_ok;
}

int cmd_run(const std::string& pack_path, const std::string& case_path, const std::string& as_of_text,
            const std::string& format, bool strict, bool accept_near_misses) {
    const bia::Date as_of = parse_as_of(as_of_text);
    auto pack = load_pack(pack_path);
    if (!pack) return exit_failed;
    std::string problem;
    auto text = bia::cli::read_input(case_path, 16u << 20, problem);
    if (!text) {
        std::cerr << (case_path == "-" ? "<stdin>" : case_path) << ": error: " << problem << "\n";
        return exit_failed;
    }
    bia::EvalOptions options;
    options.as_of = as_of;
    options.strict = strict;
    options.accept_near_misses = accept_near_misses;
    const auto evaluation = pack->evaluate(*text, options);
    const std::string shown = case_path == "-" ? "<stdin>" : case_path;
    if (!evaluation.ok()) {
        print_fact_errors(shown, evaluation.errors);
        if (format == "json") print_error_record(evaluation.errors);
        return exit_failed;
    }
    print_warnings(shown, evaluation.result->warnings);
    if (format == "json") std::cout << bia::render_json(*evaluation.result);
    else if (format == "html") std::cout << bia::render_html(*evaluation.result, *pack);
    else std::cout << bia::render_text(*evaluation.result, *pack);
    return exit_ok;
}

// The tests as JUnit XML, the form CI systems read: one testsuite (the pack), one testcase a test.
bool write_junit(const std::string& file, const bia::Pack& pack, const bia::TestReport& report) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\""
        << bia::escape_markup(pack.name() + " " + pack.version()) << "\" tests=\"" << report.tests.size() << "\" failures=\""
        << report.failed() << "\">\n";
    for (const auto& t : report.tests) {
        out << "    <testcase classname=\"" << bia::escape_markup(pack.name()) << "\" name=\"" << bia::escape_markup(t.name)
            << "\" file=\"" << bia::escape_markup(t.path) << "\" line=\"" << t.line << "\"";
        if (t.passed()) {
            out << "/>\n";
            continue;
        }
        out << ">\n      <failure message=\"" << bia::escape_markup(t.failures.front()) << "\">";
        for (std::size_t i = 0; i < t.failures.size(); ++i) out << (i ? "\n" : "") << bia::escape_markup(t.failures[i]);
        out << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
    out.close();
    return static_cast<bool>(out);
}

// `bia test --format json`: {"passed", "failed", "tests": [{"name", "path", "line", "passed", "failures"}],
// "coverage": {"percent", "rules": [{"rule", "fired", "not_fired", "undetermined"}]}}.
void print_tests_json(const bia::TestReport& report) {
    nlohmann::ordered_json out;
    out["passed"] = report.passed();
    out["failed"] = report.failed();
    out["tests"] = nlohmann::ordered_json::array();
    for (const auto& t : report.tests)
        out["tests"].push_back({{"name", t.name}, {"path", t.path}, {"line", t.line}, {"passed", t.passed()},
                                {"failures", t.failures}});
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& c : report.coverage)
        rules.push_back({{"rule", c.rule}, {"fired", c.fired}, {"not_fired", c.not_fired}, {"undetermined", c.undetermined}});
    out["coverage"] = {{"percent", report.coverage_percent()}, {"rules", std::move(rules)}};
    print_json(out);
}

int cmd_test(const std::string& pack_path, bool coverage, double min_coverage, const std::string& format,
             const std::optional<std::string>& junit, const std::optional<std::string>& only) {
    auto pack = load_pack(pack_path);
    if (!pack) return exit_failed;
    const auto report = bia::run_tests(*pack, only.value_or("*"));
    if (report.tests.empty() && !only) {
        // "0 passed, 0 failed" alone reads like success; a pack without tests checked nothing.
        std::cerr << pack_path << ": warning: the pack declares no tests, so nothing was checked "
                  << "(see \"Tests\" in docs/language.md)\n";
    }
    if (junit && !write_junit(*junit, *pack, report)) {
        std::cerr << *junit << ": error: the JUnit report could not be written\n";
        return exit_failed;
    }
    const bool json = format == "json";
    if (json) print_tests_json(report);
    if (report.tests.empty() && only) {
        // A filter that matches nothing is most likely a typo: checking nothing must not pass.
        std::cerr << pack_path << ": error: no test's name matches '" << *only << "'\n";
        return exit_failed;
    }
    for (const auto& t : report.tests) {
        if (t.passed() || json) continue;
        std::cout << "FAIL " << t.path << ":" << t.line << ": test \"" << t.name << "\"\n";
        for (const auto& f : t.failures) std::cout << "     " << f << "\n";
    }
    // In JSON mode the summary lines go to standard error, so standard output is one JSON document.
    std::ostream& text = json ? std::cerr : std::cout;
    const bool check_coverage = coverage || min_coverage > 0;
    if (check_coverage && !json) {
        std::size_t covered = 0;
        std::vector<std::string> uncovered, never_not_fired;
        for (const auto& c : report.coverage) {
            if (c.covered()) ++covered;
            else uncovered.push_back(c.rule);
            if (!c.not_fired) never_not_fired.push_back(c.rule);
        }
        std::cout << "coverage: " << covered << " of " << report.coverage.size() << " rules fired or left undetermined by a test ("
                  << percent(report.coverage_percent()) << "%)\n";
        if (!uncovered.empty()) {
            std::cout << "rules no test fired or left undetermined:\n";
            for (const auto& r : uncovered) std::cout << "  " << r << "\n";
        }
        if (!never_not_fired.empty()) {
            std::cout << "rules no test shows not firing:\n";
            for (const auto& r : never_not_fired) std::cout << "  " << r << "\n";
        }
    }
    if (!json) std::cout << report.passed() << " passed, " << report.failed() << " failed\n";
    if (report.failed() > 0) return exit_failed;
    if (min_coverage > 0 && report.coverage_percent() + 1e-9 < min_coverage) {
        text << "coverage " << percent(report.coverage_percent()) << "% is under the minimum of "
             << percent(min_coverage) << "%\n";
        return exit_failed;
    }
    return exit_ok;
}

int cmd_explain(const std::string& pack_path, const std::string& case_path, const std::string& rule,
                const std::string& as_of_text, bool strict, const std::string& format) {
    const bia::Date as_of = parse_as_of(as_of_text);
    auto pack = load_pack(pack_path);
    if (!pack) return exit_failed;
    std::string problem;
    auto text = bia::cli::read_input(case_path, 16u << 20, problem);
    const std::string shown = case_path == "-" ? "<stdin>" : case_path;
    if (!text) {
        std::cerr << shown << ": error: " << problem << "\n";
        return exit_failed;
    }
    bia::EvalOptions options;
    options.as_of = as_of;
    options.strict = strict;
    const auto result = bia::explain(*pack, *text, rule, options);
    if (!result.problem.empty()) {
        std::cerr << "bia: " << result.problem << "\n";
        return exit_failed;
    }
    if (!result.errors.empty()) {
        print_fact_errors(shown, result.errors);
        if (format == "json") print_error_record(result.errors);
        return exit_failed;
    }
    if (format != "json") {
        std::cout << bia::render_explanation(*result.explanation);
        return exit_ok;
    }
    // The names of Python's bia.Explanation, so one reader serves both.
    const bia::Explanation& e = *result.explanation;
    static const char* const outcomes[] = {"fired", "not_fired", "undetermined"};
    nlohmann::ordered_json out;
    out["rule"] = e.rule;
    out["title"] = e.title;
    out["outcome"] = outcomes[static_cast<int>(e.outcome)];
    out["steps"] = nlohmann::ordered_json::array();
    for (const bia::ExplainStep& step : e.steps)
        out["steps"].push_back({{"depth", step.depth}, {"expression", step.expression}, {"value", step.value},
                                {"via_let", step.via_let}});
    out["missing"] = e.missing;
    out["would_fire"] = e.would_fire;
    out["search_stopped"] = e.search_stopped;
    print_json(out);
    return exit_ok;
}

int cmd_batch(const std::string& pack_path, const std::string& cases_path, const std::string& output,
              const std::string& as_of_text, bool strict, bool accept_near_misses,
              const std::optional<std::string>& id_field, unsigned threads) {
    bia::cli::BatchOptions options;
    options.eval.as_of = parse_as_of(as_of_text);  // one date for the whole run, even across midnight
    options.eval.strict = strict;
    options.eval.accept_near_misses = accept_near_misses;
    options.input = cases_path;
    options.output = output.empty() ? "-" : output;
    options.threads = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
    options.progress = isatty(STDERR_FILENO) != 0;
    auto pack = load_pack(pack_path);
    if (!pack) return exit_failed;
    if (id_field) {
        if (const std::string problem = pack->id_field_problem(*id_field); !problem.empty()) {
            throw UsageError{"--id-field: " + problem};
        }
        options.eval.id_field = *id_field;
    }
    return bia::cli::run_batch(*pack, options);
}

int run_command(int argc, char** argv) {
    CLI::App app{"bia: best-interests assessment support for children on the move.\n"
                 "Scores a child's case facts against a rule pack; it supports a human decision, never makes it.",
                 "bia"};
    app.set_version_flag("--version", std::string("bia ") + bia::version());
    app.require_subcommand(1);
    app.fallthrough(false);

    std::string pack_path, case_path, as_of = as_of_not_given, format = "text";
    bool strict = false, accept_near_misses = false;
    const char* accept_help =
        "evaluate a case even when an undeclared field is a near miss of a fact it leaves unknown "
        "(a likely misspelling; see docs/result.md)";

    auto* check = app.add_subcommand("check", "Check a pack (a .bia file or a directory) and summarise it");
    check->add_option("PACK", pack_path, "pack file or directory; - reads one pack file from standard input")->required();
    std::string check_format = "text";
    check->add_option("--format", check_format, "text (default) or json: the summary or every diagnostic as JSON on standard output")
        ->check(CLI::IsMember({"text", "json"}));

    auto* run = app.add_subcommand("run", "Evaluate one case (JSON facts) against a pack");
    run->add_option("PACK", pack_path, "pack file or directory")->required();
    run->add_option("CASE", case_path, "case facts as JSON; - reads standard input")->required();
    run->add_option("--as-of", as_of, "the evaluation date YYYY-MM-DD (default: today)");
    run->add_option("--format", format, "text (default), json or html")
        ->check(CLI::IsMember({"text", "json", "html"}));
    run->add_flag("--strict", strict, "treat fields the pack does not declare as errors");
    run->add_flag("--accept-near-misses", accept_near_misses, accept_help);

    std::string rule;
    bool coverage = false;
    double min_coverage = 0;
    auto* test = app.add_subcommand("test", "Run the tests a pack declares");
    test->add_option("PACK", pack_path, "pack file or directory")->required();
    test->add_flag("--coverage", coverage, "list the rules no test fired or left undetermined");
    test->add_option("--min-coverage", min_coverage, "fail when fewer than P percent of rules are covered")
        ->check(CLI::Range(0.0, 100.0));
    std::string test_format = "text";
    std::optional<std::string> junit, only;
    test->add_option("--format", test_format, "text (default) or json: every test and the rules' coverage as JSON on standard output")
        ->check(CLI::IsMember({"text", "json"}));
    test->add_option("--junit", junit, "also write the results as JUnit XML to FILE (for CI systems)")->option_text("FILE");
    test->add_option("--only", only, "run only the tests whose name matches PATTERN (* any characters, ? one)")
        ->option_text("PATTERN");

    auto* explain = app.add_subcommand("explain", "Show why a rule fired, did not fire, or is undetermined for a case");
    explain->add_option("PACK", pack_path, "pack file or directory")->required();
    explain->add_option("CASE", case_path, "case facts as JSON; - reads standard input")->required();
    explain->add_option("RULE", rule, "the rule's name")->required();
    explain->add_option("--as-of", as_of, "the evaluation date YYYY-MM-DD (default: today)");
    explain->add_flag("--strict", strict, "treat fields the pack does not declare as errors");
    std::string explain_format = "text";
    explain->add_option("--format", explain_format, "text (default) or json (the names of Python's bia.Explanation)")
        ->check(CLI::IsMember({"text", "json"}));

    std::string cases_path, output;
    std::optional<std::string> id_field;
    unsigned threads = 0;
    auto* batch = app.add_subcommand("batch", "Evaluate every case of a JSON Lines file, one compact result line per case");
    batch->add_option("PACK", pack_path, "pack file or directory")->required();
    batch->add_option("CASES", cases_path, "one case (JSON object) per line; - reads standard input")->required();
    batch->add_option("-o,--output", output, "where to write the results (default: standard output, also -)");
    batch->add_option("--as-of", as_of, "the evaluation date YYYY-MM-DD (default: today)");
    batch->add_flag("--strict", strict, "treat fields the pack does not declare as errors");
    batch->add_flag("--accept-near-misses", accept_near_misses, accept_help);
    batch->add_option("--id-field", id_field,
                      "the path of each case's id (e.g. case_id or meta.id): not warned about, and copied "
                      "as \"id\" into its result line or error record");
    batch->add_option("--threads", threads, "evaluation threads (default: all cores)")->check(CLI::Range(1u, 1024u));

    for (auto* sub : {check, run, test, explain, batch}) {
        // 1 GiB at most: compiling holds several copies of the source's size in memory.
        sub->add_option("--max-source-bytes", pack_limits.max_source_bytes,
                        "read a pack of up to BYTES bytes, all its files together (default: 4194304, 4 MiB)")
            ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
            ->option_text("BYTES");
        for (auto* opt : sub->get_options()) opt->multi_option_policy(CLI::MultiOptionPolicy::Throw);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }

    try {
        if (check->parsed()) return cmd_check(pack_path, check_format);
        if (run->parsed()) return cmd_run(pack_path, case_path, as_of, format, strict, accept_near_misses);
        if (test->parsed()) return cmd_test(pack_path, coverage, min_coverage, test_format, junit, only);
        if (explain->parsed()) return cmd_explain(pack_path, case_path, rule, as_of, strict, explain_format);
        if (batch->parsed()) return cmd_batch(pack_path, cases_path, output, as_of, strict, accept_near_misses, id_field, threads);
    } catch (const UsageError& e) {
        std::cerr << "bia: " << e.message << "\n";
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "bia: internal error: " << e.what() << "\n";
        return exit_internal;
    }
    return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
    bia::cli::reserve_standard_descriptors();
    const int code = run_command(argc, argv);
    // Output that did not all arrive is a failure, whatever the command concluded:
    // a full disk must not look like a finished report. (`bia batch` has already
    // said so when it returns exit_output.)
    std::string problem;
    if (!bia::cli::flush_stdout(problem)) {
        if (code != exit_output) std::cerr << "bia: error: " << problem << "\n";
        return exit_output;
    }
    return code;
}
