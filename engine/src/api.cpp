// The public entry points: reading, compiling, and evaluating through the stages.
#include <bia/pack.hpp>
#include <bia/version.hpp>

#include "check/checker.hpp"
#include "common/source.hpp"
#include "compile/compiler.hpp"
#include "eval/block.hpp"
#include "eval/evaluator.hpp"
#include "eval/result_size.hpp"
#include "syntax/parser.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <system_error>

namespace bia {

namespace {

std::string sha256_hex(const std::vector<SourceFile>& files, bool structured) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    for (const auto& f : files) {
        if (structured) {
            // Name and length first, so moving bytes between files changes the digest. The base
            // name only: the same pack read from another directory keeps its digest.
            const std::string header = std::filesystem::path(f.name).filename().string() + '\0' +
                                       std::to_string(f.text.size()) + '\0';
            EVP_DigestUpdate(ctx, header.data(), header.size());
        }
        EVP_DigestUpdate(ctx, f.text.data(), f.text.size());
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

Diagnostic file_problem(const std::string& path, std::string code, std::string message) {
    Diagnostic d;
    d.code = std::move(code);
    d.path = path;
    d.message = std::move(message);
    return d;
}

FactType public_type(lang::FactKind k) { return lang::row(k).public_type; }

CompileResult compile_files(std::vector<SourceFile> files, std::string origin, const Limits& limits) {
    CompileResult out;
    std::size_t total = 0;
    for (const auto& f : files) total += f.text.size();
    if (total > limits.max_source_bytes) {
        out.diagnostics.push_back(file_problem(files.empty() ? origin : files.front().name, "E0503",
                                               "the pack source is " + std::to_string(total) +
                                                   " bytes, over the limit of " +
                                                   std::to_string(limits.max_source_bytes) +
                                                   " bytes (max_source_bytes)"));
        return out;
    }
    std::vector<detail::SourceText> sources;
    sources.reserve(files.size());
    for (const auto& f : files) sources.emplace_back(f.name, f.text);

    detail::DiagnosticSink sink(sources, limits.max_diagnostics);
    const auto ast = syntax::parse_files(sources, limits, sink);
    const auto program = check::check_pack(ast, sources, sink, !sink.has_errors());
    if (sink.has_errors()) {
        out.diagnostics = sink.take();
        return out;
    }

    auto pack = std::make_shared<detail::CompiledPack>();
    pack->name = program.name;
    pack->version = program.version;
    pack->title = program.title;
    pack->origin = std::move(origin);
    pack->limits = limits;
    pack->digest = sha256_hex(files, files.size() != 1);
    for (const auto& f : program.facts) {
        pack->facts.push_back(FactInfo{f.path, public_type(f.kind), f.members, f.description});
    }
    for (const auto& l : program.levels) pack->levels.push_back(LevelInfo{l.name, l.at});
    for (const auto& d : program.domains) pack->domains.push_back(DomainInfo{d.name, d.title});
    for (const auto& s : program.sources) pack->citation_sources.push_back(SourceInfo{s.id, s.title});
    for (const auto& r : program.rules) {
        RuleInfo info;
        info.name = r.name;
        info.title = r.title;
        if (r.domain) info.domain = program.domains[*r.domain].name;
        if (r.severity) info.severity = program.levels[*r.severity].name;
        info.score = r.score;
        for (const auto& a : r.actions) info.actions.push_back(a.text);
        pack->rules.push_back(std::move(info));
    }
    compiler::build_plan(program, pack->plan);
    pack->sources = std::move(files);
    out.pack = detail::PackAccess::make(std::move(pack));
    return out;
}

bool read_file(const std::filesystem::path& path, const std::string& shown, std::size_t limit, std::string& text,
               std::vector<Diagnostic>& problems) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        problems.push_back(file_problem(shown, "E0001", "cannot read the file: " + ec.message()));
        return false;
    }
    if (size > limit) {
        problems.push_back(file_problem(shown, "E0503",
                                        "the file is " + std::to_string(size) + " bytes, over the limit of " +
                                            std::to_string(limit) + " bytes (max_source_bytes)"));
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problems.push_back(file_problem(shown, "E0001", "cannot open the file for reading"));
        return false;
    }
    text.assign(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) {
        problems.push_back(file_problem(shown, "E0001", "the file could not be read completely"));
        return false;
    }
    return true;
}

}  // namespace

CompileResult compile(std::string_view source, std::string name, const Limits& limits) {
    std::vector<SourceFile> files;
    files.push_back(SourceFile{name, std::string(source)});
    return compile_files(std::move(files), std::move(name), limits);
}

CompileResult compile(std::vector<SourceFile> files, std::string origin, const Limits& limits) {
    if (files.empty()) {
        CompileResult out;
        out.diagnostics.push_back(file_problem(origin, "E0002", "the pack has no source files"));
        return out;
    }
    return compile_files(std::move(files), std::move(origin), limits);
}

namespace {

std::string file_kind(std::filesystem::file_type type) {
    switch (type) {
        case std::filesystem::file_type::directory: return "a directory";
        case std::filesystem::file_type::fifo: return "a fifo";
        case std::filesystem::file_type::socket: return "a socket";
        case std::filesystem::file_type::block: return "a block device";
        case std::filesystem::file_type::character: return "a character device";
        default: return "not a file";
    }
}

}  // namespace

CompileResult load(const std::filesystem::path& path, const Limits& limits) {
    CompileResult out;
    const std::string shown = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        out.diagnostics.push_back(file_problem(shown, "E0001", "cannot read the pack: no such file or directory"));
        return out;
    }
    std::vector<SourceFile> files;
    if (std::filesystem::is_directory(status)) {
        std::vector<std::string> names;
        for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.empty() || name[0] == '.' || it->path().extension() != ".bia") continue;
            // A .bia entry that cannot be read as a file is an error, never skipped: a
            // dangling symlink or a fifo would otherwise drop its rules without a word.
            std::error_code fec;
            const auto entry = it->status(fec);  // through symlinks
            if (!fec && std::filesystem::is_regular_file(entry)) {
                names.push_back(name);
                continue;
            }
            std::error_code lec;
            const bool link = it->is_symlink(lec);
            std::string why = fec ? (link ? "a symbolic link whose target cannot be read (" + fec.message() + ")"
                                          : "cannot read the file: " + fec.message())
                                  : "not a regular file (" + file_kind(entry.type()) + ")";
            out.diagnostics.push_back(file_problem((path / name).string(), "E0001", std::move(why)));
        }
        if (!out.diagnostics.empty()) {
            std::sort(out.diagnostics.begin(), out.diagnostics.end(),
                      [](const Diagnostic& a, const Diagnostic& b) { return a.path < b.path; });
            return out;
        }
        if (ec) {
            out.diagnostics.push_back(file_problem(shown, "E0001", "cannot list the directory: " + ec.message()));
            return out;
        }
        std::sort(names.begin(), names.end());  // byte order
        if (names.empty()) {
            out.diagnostics.push_back(file_problem(shown, "E0002", "the directory holds no .bia files"));
            return out;
        }
        // The limit is on the pack, so a directory over it is named with its sum, not
        // described by the one file that happened to cross it.
        std::uintmax_t sum = 0;
        for (const auto& name : names) {
            std::error_code sec;
            const auto size = std::filesystem::file_size(path / name, sec);
            if (!sec) sum += size;
        }
        if (sum > limits.max_source_bytes) {
            out.diagnostics.push_back(file_problem(
                shown, "E0503",
                "the pack directory's " + std::to_string(names.size()) + " .bia files are " + std::to_string(sum) +
                    " bytes together, over the limit of " + std::to_string(limits.max_source_bytes) +
                    " bytes (max_source_bytes)"));
            return out;
        }
        std::size_t total = 0;
        for (const auto& name : names) {
            std::string text;
            const std::string file_shown = (path / name).string();
            if (!read_file(path / name, file_shown, limits.max_source_bytes - std::min(total, limits.max_source_bytes),
                           text, out.diagnostics)) {
                return out;
            }
            total += text.size();
            files.push_back(SourceFile{file_shown, std::move(text)});
        }
        return compile_files(std::move(files), shown, limits);
    }
    std::string text;
    if (!read_file(path, shown, limits.max_source_bytes, text, out.diagnostics)) return out;
    files.push_back(SourceFile{shown, std::move(text)});
    return compile_files(std::move(files), shown, limits);
}

const char* version() noexcept { return BIA_VERSION_STRING; }

std::string FactInfo::type_text() const {
    switch (type) {
        case FactType::boolean: return "bool";
        case FactType::number: return "number";
        case FactType::text: return "text";
        case FactType::date: return "date";
        case FactType::one_of:
        case FactType::set_of: {
            std::string out = type == FactType::one_of ? "one of {" : "set of {";
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (i) out += ", ";
                out += "\"" + members[i] + "\"";
            }
            return out + "}";
        }
    }
    return "";
}

const std::string& Pack::name() const { return impl_->name; }
const std::string& Pack::version() const { return impl_->version; }
const std::string& Pack::title() const { return impl_->title; }
const std::string& Pack::digest() const { return impl_->digest; }
const std::string& Pack::origin() const { return impl_->origin; }
const std::vector<SourceFile>& Pack::sources() const { return impl_->sources; }
const std::vector<FactInfo>& Pack::facts() const { return impl_->facts; }
const std::vector<RuleInfo>& Pack::rules() const { return impl_->rules; }
const std::vector<LevelInfo>& Pack::levels() const { return impl_->levels; }
const std::vector<DomainInfo>& Pack::domains() const { return impl_->domains; }
const std::vector<SourceInfo>& Pack::citation_sources() const { return impl_->citation_sources; }

namespace {

// The key node at `path`, declared segment by segment from the root; else none,
// with `parent` the deepest declared node on the way and `rest` the first segment under it
// that is not declared.
std::uint32_t find_key(const compiler::Plan& plan, std::string_view path, std::uint32_t& parent, std::string_view& rest) {
    std::uint32_t node = 0;
    while (true) {
        const std::size_t dot = path.find('.');
        const std::string_view segment = path.substr(0, dot);
        const auto& children = plan.keys[node].children;
        const auto it = std::find_if(children.begin(), children.end(), [&](const auto& c) { return c.first == segment; });
        if (it == children.end()) {
            parent = node;
            rest = segment;
            return compiler::none;
        }
        node = it->second;
        if (dot == std::string_view::npos) return node;
        path.remove_prefix(dot + 1);
    }
}

}  // namespace

std::string Pack::closest_path(std::string_view path) const {
    std::uint32_t parent = 0;
    std::string_view rest;
    if (find_key(impl_->plan, path, parent, rest) != compiler::none) return "";
    return eval::closest_key(impl_->plan, parent, rest);
}

std::string Pack::id_field_problem(std::string_view path) const {
    if (path.empty()) return "the id field's path is empty";
    std::uint32_t parent = 0;
    std::string_view rest;
    const std::uint32_t node = find_key(impl_->plan, path, parent, rest);
    if (node == compiler::none) return "";
    return detail::quoted(path) + (impl_->plan.keys[node].fact != compiler::none ? " is a fact" : " is an object of facts") +
           " of this pack, so it cannot be the case id";
}

namespace {

eval::Scratch& thread_scratch() {
    thread_local eval::Scratch scratch;
    return scratch;
}

eval::BoundCase& thread_case() {
    thread_local eval::BoundCase bound;
    return bound;
}

// Results list warnings by path.
void sort_warnings(eval::BoundCase& bound) {
    std::stable_sort(bound.warnings.begin(), bound.warnings.end(),
                     [](const Warning& a, const Warning& b) { return a.path < b.path; });
}

// The case id's JSON text, when the options ask for one (EvalOptions::id_field).
std::string id_text(const eval::BoundCase& bound) { return bound.id.empty() ? std::string("null") : bound.id; }

void set_id(Result& result, const eval::BoundCase& bound, const EvalOptions& options) {
    if (options.id_field.empty()) result.id.reset();
    else result.id = id_text(bound);
}

Evaluation finish(const detail::CompiledPack& pack, eval::BoundCase& bound, const EvalOptions& options) {
    Evaluation out;
    if (!bound.errors.empty()) {
        out.errors = bound.errors;
        return out;
    }
    sort_warnings(bound);
    const Date as_of = options.as_of.value_or(Date::today());
    eval::Scratch& scratch = thread_scratch();
    Result r;
    if (!eval::evaluate_case(pack, bound, as_of, scratch, r)) {
        out.errors.push_back(eval::result_too_large(pack, scratch.result_bytes));
        return out;
    }
    set_id(r, bound, options);
    out.result = std::move(r);
    return out;
}

eval::BindOptions bind_options(const detail::CompiledPack& pack, const EvalOptions& options) {
    return eval::BindOptions{options.strict, pack.limits.max_json_depth, pack.limits.max_case_bytes,
                             options.accept_near_misses, options.id_field};
}

// evaluate_batch's working memory: a block's bound cases, its facts side by
// side, its evaluation, and the fact errors of the cases refused meanwhile.
struct BatchScratch {
    // A block takes at most this many cases, refused ones included, so that
    // the errors held back for their turn stay few.
    static constexpr std::size_t max_cases = 2 * eval::block_lanes;
    std::vector<eval::BoundCase> bound = std::vector<eval::BoundCase>(eval::block_lanes);
    eval::FactBlock block;
    eval::BlockScratch evaluation;
    std::uint32_t lane_of_case[max_cases] = {};  // none: refused
    std::vector<std::vector<FactError>> refused = std::vector<std::vector<FactError>>(max_cases);
    std::vector<std::string> refused_id = std::vector<std::string>(max_cases);  // their ids' JSON text
    bool busy = false;  // an evaluate_batch on this thread is using it
};

// This thread's BatchScratch, or a new one for an evaluate_batch called from
// the `done` of another, whose block must survive it.
class BatchMemory {
public:
    BatchMemory() {
        thread_local BatchScratch batch;
        scratch_ = &batch;
        if (scratch_->busy) {
            nested_ = std::make_unique<BatchScratch>();
            scratch_ = nested_.get();
        }
        scratch_->busy = true;
    }
    ~BatchMemory() { scratch_->busy = false; }
    BatchMemory(const BatchMemory&) = delete;
    BatchMemory& operator=(const BatchMemory&) = delete;
    BatchScratch& operator*() const { return *scratch_; }

private:
    BatchScratch* scratch_ = nullptr;
    std::unique_ptr<BatchScratch> nested_;
};

// Binds the case into this thread's BoundCase; null, with `errors`, if it has fact errors.
eval::BoundCase* bind_text(const detail::CompiledPack& pack, std::string_view case_json, const EvalOptions& options,
                           std::vector<FactError>& errors) {
    eval::BoundCase& bound = thread_case();
    eval::bind_json_text(pack.plan, case_json, bind_options(pack, options), bound);
    errors = bound.errors;
    return bound.errors.empty() ? &bound : nullptr;
}

}  // namespace

Evaluation Pack::evaluate(std::string_view case_json, const EvalOptions& options) const {
    eval::BoundCase& bound = thread_case();
    eval::bind_json_text(impl_->plan, case_json, bind_options(*impl_, options), bound);
    return finish(*impl_, bound, options);
}

bool Pack::evaluate_into(std::string_view case_json, const EvalOptions& options, Result& result,
                         std::vector<FactError>& errors) const {
    eval::BoundCase* bound = bind_text(*impl_, case_json, options, errors);
    if (!bound) return false;
    sort_warnings(*bound);
    eval::Scratch& scratch = thread_scratch();
    if (!eval::evaluate_case(*impl_, *bound, options.as_of.value_or(Date::today()), scratch, result)) {
        errors.assign(1, eval::result_too_large(*impl_, scratch.result_bytes));
        return false;
    }
    set_id(result, *bound, options);
    return true;
}

bool Pack::summarize_into(std::string_view case_json, const EvalOptions& options, Summary& summary,
                          std::vector<FactError>& errors) const {
    eval::BoundCase* bound = bind_text(*impl_, case_json, options, errors);
    if (!bound) return false;
    eval::Scratch& scratch = thread_scratch();
    if (eval::summarize_case(*impl_, *bound, options.as_of.value_or(Date::today()), scratch, summary)) return true;
    errors.assign(1, eval::result_too_large(*impl_, scratch.result_bytes));
    return false;
}

void Pack::evaluate_batch(std::span<BatchCase> cases, const EvalOptions& options,
                          const std::function<void(std::size_t)>& done) const {
    const detail::CompiledPack& pack = *impl_;
    const eval::BindOptions bind = bind_options(pack, options);
    const Date as_of = options.as_of.value_or(Date::today());
    const BatchMemory memory;
    BatchScratch& batch = *memory;
    eval::Scratch& scratch = thread_scratch();
    for (std::size_t first = 0; first < cases.size();) {
        // Bind cases into the block's lanes until it is full. A case with fact
        // errors takes no lane; its errors wait for its turn below.
        eval::start_block(pack.plan, batch.block);
        std::uint32_t lanes = 0;
        std::size_t end = first;
        for (; end < cases.size() && lanes < eval::block_lanes && end - first < BatchScratch::max_cases; ++end) {
            eval::BoundCase& bound = batch.bound[lanes];
            eval::bind_json_text(pack.plan, cases[end].json, bind, bound);
            if (!bound.errors.empty()) {
                batch.lane_of_case[end - first] = compiler::none;
                std::swap(batch.refused[end - first], bound.errors);
                if (!options.id_field.empty()) batch.refused_id[end - first] = id_text(bound);
                continue;
            }
            eval::add_to_block(pack.plan, bound, batch.block);
            batch.lane_of_case[end - first] = lanes++;
        }
        if (lanes > 0) eval::run_block(pack.plan, batch.block, as_of.days(), batch.evaluation);
        // Then each case in turn: its errors, or its result or summary.
        for (std::size_t i = first; i < end; ++i) {
            BatchCase& c = cases[i];
            const std::uint32_t lane = batch.lane_of_case[i - first];
            c.evaluated = lane != compiler::none;
            if (!c.evaluated) {
                if (c.errors) std::swap(*c.errors, batch.refused[i - first]);
                if (c.id && !options.id_field.empty()) std::swap(*c.id, batch.refused_id[i - first]);
            } else {
                if (c.errors) c.errors->clear();
                eval::BoundCase& bound = batch.bound[lane];
                const eval::CaseValues values = eval::lane_values(pack.plan, batch.evaluation, batch.block, lane);
                if (c.id && !options.id_field.empty()) *c.id = id_text(bound);
                bool fits = true;
                if (c.result) {
                    sort_warnings(bound);
                    fits = eval::evaluate_case_values(pack, bound, as_of, values, scratch, *c.result);
                    if (fits) set_id(*c.result, bound, options);
                } else if (c.summary) {
                    fits = eval::summarize_case_values(pack, as_of, values, scratch, *c.summary);
                }
                if (!fits) {
                    c.evaluated = false;
                    if (c.errors) c.errors->assign(1, eval::result_too_large(pack, scratch.result_bytes));
                }
            }
            if (done) done(i);
        }
        first = end;
    }
}

struct CaseEvents::State {
    const Pack pack;  // a copy shares the compiled pack, so it outlives the events
    const EvalOptions options;
    eval::BoundCase bound;
    eval::EventBinder binder;
    bool evaluated = false;
    State(const Pack& p, const EvalOptions& o)
        : pack(p), options(o), binder(detail::compiled(pack).plan, bind_options(detail::compiled(pack), o), bound) {}
};

CaseEvents::CaseEvents(const Pack& pack, const EvalOptions& options) : state_(new State(pack, options)) {}
CaseEvents::~CaseEvents() = default;
bool CaseEvents::null() { return state_->binder.null(); }
bool CaseEvents::boolean(bool value) { return state_->binder.boolean(value); }
bool CaseEvents::integer(std::int64_t value) { return state_->binder.integer(value); }
bool CaseEvents::unsigned_integer(std::uint64_t value) { return state_->binder.unsigned_integer(value); }
bool CaseEvents::number(double value) { return state_->binder.number(value); }
bool CaseEvents::string(std::string_view value) { return state_->binder.string(value); }
bool CaseEvents::binary() { return state_->binder.binary(); }
bool CaseEvents::start_object() { return state_->binder.start_object(); }
bool CaseEvents::key(std::string_view key) { return state_->binder.key(key); }
bool CaseEvents::end_object() { return state_->binder.end_object(); }
bool CaseEvents::start_array() { return state_->binder.start_array(); }
bool CaseEvents::end_array() { return state_->binder.end_array(); }

Evaluation CaseEvents::evaluate() {
    if (state_->evaluated) {
        Evaluation out;
        out.errors.push_back({"$", "CaseEvents::evaluate was already called for this case"});
        return out;
    }
    state_->evaluated = true;
    state_->binder.finish();
    return finish(detail::compiled(state_->pack), state_->bound, state_->options);
}

}  // namespace bia
