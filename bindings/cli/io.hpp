// Reading inputs and writing outputs for the command line: files or the standard
// streams, with size limits on input and all-or-nothing output.
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>

namespace bia::cli {

// The exit codes README.md documents.
constexpr int exit_ok = 0;
constexpr int exit_failed = 1;    // pack errors, fact errors, failing tests, batch lines not evaluated
constexpr int exit_usage = 2;     // the command line is wrong
constexpr int exit_internal = 3;  // a bug in bia
constexpr int exit_output = 4;    // the output could not be written (whatever else happened)

// Reads a whole file, or standard input for "-". On failure returns nothing
// and sets `problem` to a message that names the file but not its content;
// `limit_name` is the bia::Limits field the size limit stands for.
std::optional<std::string> read_input(const std::string& path, std::size_t limit, std::string& problem,
                                      const char* limit_name = "max_case_bytes");

// Points any closed standard descriptor (0, 1, 2) at /dev/null opened the wrong
// way round, so that reading or writing it fails (EBADF) instead of reaching a
// file that a later open() would otherwise get as descriptor 1.
void reserve_standard_descriptors();

// Flushes std::cout and stdout. False (with `problem` set) when anything
// written to standard output, now or before, failed to reach it.
bool flush_stdout(std::string& problem);

// A file that appears at its path whole or not at all. It is written as a
// temporary file in the same directory, then flushed, fsync()ed and renamed over
// the path by commit(). abandon(), the destructor, or SIGINT, SIGTERM or SIGHUP
// before commit() remove the temporary file, so the path keeps what it had. A
// path that exists and is not a regular file (/dev/null, a fifo, a terminal) is
// written in place: nothing there could be replaced.
// One OutputFile at a time may be open in a process (the signal handlers know one).
class OutputFile {
public:
    OutputFile() = default;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile() { abandon(); }

    bool open(const std::string& path, std::string& problem);
    std::FILE* get() const { return file_; }
    bool commit(std::string& problem);
    void abandon();

private:
    std::FILE* file_ = nullptr;
    std::string path_;  // where the file appears (a symlink's target)
    std::string temp_;  // empty when written in place
};

// True when `path` names the same file (device and inode) as the open `file`.
bool same_file(std::FILE* file, const std::string& path);

}  // namespace bia::cli
