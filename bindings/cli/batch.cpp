// `bia batch`: a reader thread cuts the input into chunks of whole lines, N
// workers evaluate chunks, and this thread writes finished chunks in input
// order. A fixed number of chunks is in flight at once, so memory is bounded by
// the chunk size (and the longest line, itself bounded by the case size limit),
// never by the size of the input.
#include "batch.hpp"
#include "io.hpp"

#include <bia/report.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace bia::cli {
namespace {

// A chunk is cut after `Pipeline::chunk_lines()` lines or this many input bytes,
// whichever comes first. The line count adapts so that a chunk's results stay
// near `chunk_output` bytes: a pack whose results are large (thousands of rules)
// gets short chunks, so memory stays bounded by the chunk sizes, not the pack.
// (2 MB: long enough that handing chunks between threads costs nothing.)
constexpr std::size_t chunk_bytes = 1u << 20;
constexpr std::size_t chunk_output = 2u << 20;
constexpr std::size_t max_chunk_lines = 512;
constexpr std::size_t read_block = 1u << 20;
// The case size limit of the default Limits; a longer line is not buffered.
constexpr std::size_t max_line = Limits{}.max_case_bytes;
constexpr std::uint32_t oversize = 0xFFFFFFFFu;
// Chunks read and not yet written, whatever --threads says: each holds up to about
// chunk_bytes of input and chunk_output of results, so memory is bounded by this, not
// by the thread count (`--threads 1024` held 2,050 chunks: a peak of 852,896 KiB for a 98 MB input).
// Threads beyond it would have no chunk to take, so no more are started (README).
constexpr std::size_t max_in_flight = 32;

struct Line {
    std::uint32_t offset = 0;  // into Chunk::in, or `oversize`
    std::uint32_t length = 0;  // bytes, or (oversize) an index into Chunk::oversizes
};

struct Chunk {
    std::uint64_t index = 0;       // position in the input, from 0
    std::uint64_t first_line = 1;  // number of its first line, from 1
    std::string in;
    std::vector<Line> lines;
    std::vector<std::uint64_t> oversizes;  // byte counts of lines over the limit
    std::uint64_t input_bytes = 0;         // bytes of input the chunk covers (newlines included)
    std::string out;
    std::size_t failed = 0;

    void reset() {
        in.clear();
        lines.clear();
        oversizes.clear();
        out.clear();
        input_bytes = 0;
        failed = 0;
    }
};

// The hand-offs between the reader, the workers and the writer.
class Pipeline {
public:
    explicit Pipeline(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

    // Reader: a free chunk, waiting while too many are in flight. Null once stopped.
    std::unique_ptr<Chunk> acquire() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return in_flight_ < max_in_flight_ || stopped_; });
        if (stopped_) return nullptr;
        ++in_flight_;
        if (free_.empty()) return std::make_unique<Chunk>();
        auto c = std::move(free_.back());
        free_.pop_back();
        c->reset();
        return c;
    }
    void submit(std::unique_ptr<Chunk> c) {
        std::lock_guard lock(m_);
        todo_.push_back(std::move(c));
        cv_.notify_all();
    }
    void input_done(bool ok) {
        std::lock_guard lock(m_);
        input_done_ = true;
        input_ok_ = ok;
        cv_.notify_all();
    }
    // Worker: the next chunk to evaluate, or null when the input is exhausted.
    std::unique_ptr<Chunk> take() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return !todo_.empty() || input_done_ || stopped_; });
        if (todo_.empty() || stopped_) return nullptr;
        auto c = std::move(todo_.front());
        todo_.pop_front();
        return c;
    }
    void finish(std::unique_ptr<Chunk> c) {
        std::lock_guard lock(m_);
        done_.push_back(std::move(c));
        cv_.notify_all();
    }
    // Writer: chunk `index`, or null when there is none (input ended before it).
    // Wakes at least every `tick` so the progress bar can move.
    std::unique_ptr<Chunk> next_done(std::uint64_t index, std::chrono::milliseconds tick, bool& timed_out) {
        std::unique_lock lock(m_);
        timed_out = false;
        auto ready = [&] {
            return std::any_of(done_.begin(), done_.end(), [&](const auto& c) { return c->index == index; }) ||
                   (input_done_ && submitted_ == index) || stopped_;
        };
        if (!cv_.wait_for(lock, tick, ready)) {
            timed_out = true;
            return nullptr;
        }
        for (auto it = done_.begin(); it != done_.end(); ++it) {
            if ((*it)->index == index) {
                auto c = std::move(*it);
                done_.erase(it);
                return c;
            }
        }
        return nullptr;
    }
    void recycle(std::unique_ptr<Chunk> c) {
        std::lock_guard lock(m_);
        --in_flight_;
        free_.push_back(std::move(c));
        cv_.notify_all();
    }
    void count_submitted(std::uint64_t n) {
        std::lock_guard lock(m_);
        submitted_ = n;
        cv_.notify_all();
    }
    void stop() {
        std::lock_guard lock(m_);
        stopped_ = true;
        cv_.notify_all();
    }
    bool input_ok() {
        std::lock_guard lock(m_);
        return input_ok_;
    }
    std::size_t chunk_lines() const { return chunk_lines_.load(std::memory_order_relaxed); }
    // Writer: sizes the next chunks from what this one's results weighed.
    void observe(std::size_t lines, std::size_t output_bytes) {
        if (lines == 0) return;
        const std::size_t per_line = std::max<std::size_t>(1, output_bytes / lines);
        chunk_lines_.store(std::clamp<std::size_t>(chunk_output / per_line, 1, max_chunk_lines),
                           std::memory_order_relaxed);
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::size_t max_in_flight_;
    std::size_t in_flight_ = 0;
    std::vector<std::unique_ptr<Chunk>> free_;
    std::deque<std::unique_ptr<Chunk>> todo_;
    std::vector<std::unique_ptr<Chunk>> done_;
    std::uint64_t submitted_ = 0;
    bool input_done_ = false;
    bool input_ok_ = true;
    bool stopped_ = false;
    std::atomic<std::size_t> chunk_lines_{16};  // small until the first results are seen
};

// Cuts the input into chunks of whole lines. A line longer than the case limit
// is counted, not kept: its error record needs only its size.
void read_input(std::FILE* in, const std::string& shown, Pipeline& pipe) {
    std::vector<char> buf(read_block);
    std::uint64_t index = 0, line_no = 1;
    auto chunk = pipe.acquire();
    if (!chunk) return pipe.input_done(true);
    std::size_t line_start = 0;  // of the current line in chunk->in
    bool skipping = false;       // the current line is over the limit
    std::uint64_t skipped = 0;
    bool ok = true;

    auto end_line = [&] {
        Line l;
        if (skipping) {
            l.offset = oversize;
            l.length = static_cast<std::uint32_t>(chunk->oversizes.size());
            chunk->oversizes.push_back(skipped);
            skipping = false;
            skipped = 0;
        } else {
            std::size_t len = chunk->in.size() - line_start;
            if (len > 0 && chunk->in[line_start + len - 1] == '\r') --len;  // CRLF files
            l.offset = static_cast<std::uint32_t>(line_start);
            l.length = static_cast<std::uint32_t>(len);
        }
        chunk->lines.push_back(l);
        line_start = chunk->in.size();
    };
    auto cut = [&]() -> bool {
        chunk->index = index++;
        line_no += chunk->lines.size();
        pipe.submit(std::move(chunk));
        pipe.count_submitted(index);
        chunk = pipe.acquire();
        if (!chunk) return false;
        chunk->first_line = line_no;
        line_start = 0;
        return true;
    };

    while (true) {
        const std::size_t n = std::fread(buf.data(), 1, buf.size(), in);
        if (n == 0) {
            if (std::ferror(in)) {
                std::cerr << shown << ": error: cannot read: " << std::strerror(errno) << "\n";
                ok = false;
            }
            break;
        }
        std::size_t pos = 0;
        while (pos < n) {
            const char* nl = static_cast<const char*>(std::memchr(buf.data() + pos, '\n', n - pos));
            const std::size_t end = nl ? static_cast<std::size_t>(nl - buf.data()) : n;
            const std::size_t piece = end - pos;
            chunk->input_bytes += piece + (nl ? 1 : 0);
            if (skipping) {
                skipped += piece;
            } else if (chunk->in.size() - line_start + piece > max_line) {
                skipping = true;
                skipped = chunk->in.size() - line_start + piece;
                chunk->in.resize(line_start);
            } else {
                chunk->in.append(buf.data() + pos, piece);
            }
            pos = end + (nl ? 1 : 0);
            if (!nl) break;
            end_line();
            if (chunk->lines.size() >= pipe.chunk_lines() || chunk->in.size() >= chunk_bytes) {
                if (!cut()) return;
            }
        }
    }
    // A last line without a newline is still a line; an empty tail is not.
    if (skipping || chunk->in.size() > line_start) end_line();
    if (!chunk->lines.empty()) {
        chunk->index = index++;
        pipe.submit(std::move(chunk));
        pipe.count_submitted(index);
    } else {
        pipe.recycle(std::move(chunk));
    }
    pipe.input_done(ok);
}

// `id`: the case id's JSON text when the run has an id field (--id-field), else null.
void error_record(std::uint64_t line, const std::string* id, const std::vector<FactError>& errors, std::string& out) {
    nlohmann::ordered_json j;
    j["line"] = line;
    if (id) j["id"] = nlohmann::ordered_json::parse(*id);
    j["error"] = to_json(errors);
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
}

// A worker's memory, reused chunk after chunk: one result, written out as
// soon as it is made, so that it stays in the cache.
struct Worker {
    std::vector<BatchCase> cases;
    std::vector<std::size_t> line_of_case;  // in the chunk
    Result result;
    std::vector<FactError> errors;
    std::string id;
};

void evaluate_chunk(const Pack& pack, const EvalOptions& options, Chunk& c, Worker& w) {
    w.cases.clear();
    w.line_of_case.clear();
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
        const Line& l = c.lines[i];
        if (l.offset == oversize) continue;
        BatchCase& bc = w.cases.emplace_back();
        bc.json = std::string_view(c.in.data() + l.offset, l.length);
        bc.result = &w.result;
        bc.errors = &w.errors;
        bc.id = &w.id;
        w.line_of_case.push_back(i);
    }
    const bool with_id = !options.id_field.empty();
    const std::string no_id = "null";  // a line too long to read has no id we know
    // Lines too long to read are errors of their own, in their place.
    std::size_t next_line = 0;
    auto oversize_lines_before = [&](std::size_t line) {
        for (; next_line < line; ++next_line) {
            w.errors.assign(1, FactError{"$", "the case is " + std::to_string(c.oversizes[c.lines[next_line].length]) +
                                                  " bytes, over the limit of " + std::to_string(max_line) +
                                                  " bytes (max_case_bytes)"});
            error_record(c.first_line + next_line, with_id ? &no_id : nullptr, w.errors, c.out);
            ++c.failed;
        }
    };
    // What is written so far: the cases, where c.out ends, the lines done, the
    // failures. A write that fails half-way goes back to it.
    struct Mark {
        std::size_t cases = 0, out = 0, next_line = 0, failed = 0;
    } mark{0, c.out.size(), 0, c.failed};
    auto write_case = [&](std::size_t k, bool evaluated) {
        const std::size_t line = w.line_of_case[k];
        oversize_lines_before(line);
        if (evaluated) {
            write_json_line(w.result, c.out);
        } else {
            error_record(c.first_line + line, with_id ? &w.id : nullptr, w.errors, c.out);
            ++c.failed;
        }
        next_line = line + 1;
        mark = {k + 1, c.out.size(), next_line, c.failed};
    };
    auto back_to_mark = [&] {
        c.out.resize(mark.out);
        next_line = mark.next_line;
        c.failed = mark.failed;
    };
    try {
        pack.evaluate_batch(w.cases, options, [&](std::size_t k) { write_case(k, w.cases[k].evaluated); });
    } catch (const std::exception&) {
        // Something failed in the middle of a block (memory ran out, most
        // likely): the cases not written yet are evaluated again one by one, so
        // that only a case that fails on its own gets an error record, in its place.
        back_to_mark();
        for (std::size_t k = mark.cases; k < w.cases.size(); ++k) {
            bool evaluated = false;
            try {
                evaluated = pack.evaluate_into(w.cases[k].json, options, w.result, w.errors);
            } catch (const std::bad_alloc&) {
                w.errors.assign(1, FactError{"$", "memory ran out while evaluating the case"});
            } catch (const std::exception&) {
                w.errors.assign(1, FactError{"$", "internal error while evaluating the case"});
            }
            try {
                write_case(k, evaluated);
            } catch (const std::bad_alloc&) {  // the result could not be written out
                back_to_mark();
                w.errors.assign(1, FactError{"$", "memory ran out while writing the case's result"});
                write_case(k, false);
            }
        }
    }
    oversize_lines_before(c.lines.size());
}

std::string duration_text(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

class Progress {
public:
    Progress(bool enabled, std::uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {}

    void update(std::uint64_t cases, std::uint64_t bytes, bool final = false) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (!final && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const double rate = elapsed > 0 ? static_cast<double>(cases) / elapsed : 0;
        char line[160];
        if (total_ > 0) {
            const double done = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_));
            const int width = 24, filled = static_cast<int>(done * width);
            std::string bar(static_cast<std::size_t>(filled), '=');
            if (filled < width) bar += '>';
            bar.resize(width, ' ');
            const double eta = done > 0 ? elapsed * (1 - done) / done : 0;
            std::snprintf(line, sizeof line, "\r[%s] %3d%%  %llu cases  %.0f/s  ETA %s ", bar.c_str(),
                          static_cast<int>(done * 100), static_cast<unsigned long long>(cases), rate,
                          duration_text(eta).c_str());
        } else {
            std::snprintf(line, sizeof line, "\r%llu cases  %.0f/s  %s elapsed ",
                          static_cast<unsigned long long>(cases), rate, duration_text(elapsed).c_str());
        }
        std::fputs(line, stderr);
        if (final) std::fputs("\n", stderr);
        std::fflush(stderr);
    }

private:
    bool enabled_;
    std::uint64_t total_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int run_batch(const Pack& pack, const BatchOptions& options) {
    const std::string in_shown = options.input == "-" ? "<stdin>" : options.input;
    const std::string out_shown = options.output == "-" ? "<stdout>" : options.output;
    std::FILE* in = options.input == "-" ? stdin : std::fopen(options.input.c_str(), "rb");
    if (!in) {
        std::cerr << in_shown << ": error: cannot read: " << std::strerror(errno) << "\n";
        return exit_failed;
    }
    // Writing the results over the input would destroy it (in place, before it is read).
    if (options.output != "-" && same_file(in, options.output)) {
        std::cerr << "bia: -o " << options.output << ": this is the input file; write the results elsewhere\n";
        if (in != stdin) std::fclose(in);
        return exit_usage;
    }
    OutputFile file;
    std::string problem;
    if (options.output != "-" && !file.open(options.output, problem)) {
        std::cerr << out_shown << ": error: " << problem << "\n";
        if (in != stdin) std::fclose(in);
        return exit_output;
    }
    std::FILE* out = options.output == "-" ? stdout : file.get();
    std::uint64_t total_bytes = 0;
    struct stat st{};
    if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) total_bytes = static_cast<std::uint64_t>(st.st_size);

    const unsigned threads = std::clamp(options.threads, 1u, static_cast<unsigned>(max_in_flight));
    Pipeline pipe(std::min<std::size_t>(2 * threads + 2, max_in_flight));
    std::thread reader([&] { read_input(in, in_shown, pipe); });
    std::vector<std::thread> workers;
    std::atomic<bool> worker_failed{false};
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            // What even a line's error record could not be made for (memory
            // gone for good) stops the run as an internal error: never std::terminate.
            try {
                Worker memory;
                while (auto c = pipe.take()) {
                    evaluate_chunk(pack, options.eval, *c, memory);
                    pipe.finish(std::move(c));
                }
            } catch (const std::exception&) {
                worker_failed = true;
                pipe.stop();
            }
        });
    }

    Progress progress(options.progress, total_bytes);
    std::uint64_t next = 0, cases = 0, failed = 0, bytes = 0;
    bool write_ok = true;
    while (true) {
        bool timed_out = false;
        auto c = pipe.next_done(next, std::chrono::milliseconds(100), timed_out);
        if (timed_out) {
            progress.update(cases, bytes);
            continue;
        }
        if (!c) break;
        if (write_ok && std::fwrite(c->out.data(), 1, c->out.size(), out) != c->out.size()) {
            std::cerr << out_shown << ": error: cannot write: " << std::strerror(errno) << "\n";
            write_ok = false;
            pipe.stop();
        }
        pipe.observe(c->lines.size(), c->out.size());
        cases += c->lines.size();
        failed += c->failed;
        bytes += c->input_bytes;
        ++next;
        pipe.recycle(std::move(c));
        progress.update(cases, bytes);
        if (!write_ok) break;
    }
    reader.join();
    for (auto& w : workers) w.join();
    progress.update(cases, bytes, true);
    if (in != stdin) std::fclose(in);
    if (worker_failed) {
        file.abandon();
        std::cerr << "bia: error: memory ran out; the results stop before the line that could not be written\n";
        return write_ok ? exit_internal : exit_output;
    }
    // A file appears only once every line is in it (never after a read error cut the
    // input short); standard output is checked to the end.
    if (write_ok && options.output != "-" && !pipe.input_ok()) file.abandon();
    else if (write_ok && !(options.output == "-" ? flush_stdout(problem) : file.commit(problem))) {
        std::cerr << out_shown << ": error: " << problem << "\n";
        write_ok = false;
    }
    file.abandon();
    if (failed > 0) {
        std::cerr << in_shown << ": " << failed << " of " << cases << " line" << (cases == 1 ? "" : "s")
                  << " could not be evaluated (see their error records)\n";
    }
    if (!write_ok) return exit_output;
    return failed > 0 || !pipe.input_ok() ? exit_failed : exit_ok;
}

}  // namespace bia::cli
