// File and standard-stream reading and writing for the command line.
#include "io.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bia::cli {

namespace {

// Opens `path` for reading only when it is a regular file, or standard input under
// another name (/dev/stdin, /proc/self/fd/0). A fifo, a device or a directory is
// refused, as in a pack: opening or reading a fifo blocks until a writer comes,
// forever if none does. The open itself does not block (O_NONBLOCK), and blocking
// is restored for the read.
std::FILE* open_regular(const std::string& path, std::string& problem) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        problem = std::string("cannot read: ") + std::strerror(errno);
        return nullptr;
    }
    struct stat st {};
    struct stat in {};
    const bool is_stdin = ::fstat(0, &in) == 0 && ::fstat(fd, &st) == 0 && st.st_dev == in.st_dev &&
                          st.st_ino == in.st_ino;
    if (::fstat(fd, &st) != 0) {
        problem = std::string("cannot read: ") + std::strerror(errno);
        ::close(fd);
        return nullptr;
    }
    if (!S_ISREG(st.st_mode) && !is_stdin) {
        const char* kind = S_ISFIFO(st.st_mode)  ? "a fifo"
                           : S_ISDIR(st.st_mode) ? "a directory"
                           : S_ISCHR(st.st_mode) ? "a character device"
                           : S_ISBLK(st.st_mode) ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a file";
        problem = std::string("not a regular file (") + kind + "); give a file, or - for standard input";
        ::close(fd);
        return nullptr;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags != -1) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    std::FILE* f = ::fdopen(fd, "rb");
    if (!f) {
        problem = std::string("cannot read: ") + std::strerror(errno);
        ::close(fd);
    }
    return f;
}

}  // namespace

std::optional<std::string> read_input(const std::string& path, std::size_t limit, std::string& problem,
                                      const char* limit_name) {
    std::string data;
    std::FILE* f = path == "-" ? stdin : open_regular(path, problem);
    if (!f) return std::nullopt;
    char buf[1 << 16];
    while (true) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f);
        if (n == 0) break;
        if (data.size() + n > limit) {
            // Named as in bia::Limits, like the library's own limit errors.
            problem = "is larger than the limit of " + std::to_string(limit) + " bytes (" + limit_name + ")";
            if (f != stdin) std::fclose(f);
            return std::nullopt;
        }
        data.append(buf, n);
    }
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    if (f != stdin) std::fclose(f);
    if (failed) {
        problem = std::string("cannot read: ") + std::strerror(err);
        return std::nullopt;
    }
    return data;
}

void reserve_standard_descriptors() {
    // Ascending, so open() returns exactly the lowest closed descriptor.
    for (int fd = 0; fd <= 2; ++fd) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            const int got = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
            if (got != fd && got >= 0) ::close(got);
        }
    }
}

bool flush_stdout(std::string& problem) {
    // std::cout writes through stdout (synchronised with stdio): flushing it is
    // where a full disk or a closed descriptor shows, and sets errno.
    errno = 0;
    std::cout.flush();
    int err = errno;
    if (std::fflush(stdout) != 0) err = errno;
    if (std::cout.good() && !std::ferror(stdout)) return true;
    problem = "cannot write standard output";
    // After a write that failed long before, errno may no longer say why.
    if (err != 0) problem += std::string(": ") + std::strerror(err);
    return false;
}

// What the signal handlers remove: the temporary file of the one OutputFile
// being written. Written before `armed` is set, read only while it is.
namespace {

constexpr int removal_signals[] = {SIGINT, SIGTERM, SIGHUP};
char temp_path[PATH_MAX + 1];
volatile std::sig_atomic_t armed = 0;
struct sigaction previous[3];
bool handled[3] = {false, false, false};

extern "C" void remove_temp_and_die(int sig) {
    if (armed) ::unlink(temp_path);  // async-signal-safe
    // Die of the same signal, so that the parent sees how we ended.
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    raise(sig);  // delivered when this handler returns, the signal being blocked in it
}

// Handlers are installed while `armed` is 0: until the file exists a signal just kills.
void install_handlers() {
    for (int i = 0; i < 3; ++i) {
        struct sigaction old{};
        sigaction(removal_signals[i], nullptr, &old);
        // A signal ignored on entry (nohup, a background job of a script) stays ignored.
        if (old.sa_handler == SIG_IGN) continue;
        struct sigaction act{};
        act.sa_handler = remove_temp_and_die;
        sigemptyset(&act.sa_mask);
        for (int s : removal_signals) sigaddset(&act.sa_mask, s);
        handled[i] = sigaction(removal_signals[i], &act, &previous[i]) == 0;
    }
}

void disarm() {
    for (int i = 0; i < 3; ++i) {
        if (handled[i]) sigaction(removal_signals[i], &previous[i], nullptr);
        handled[i] = false;
    }
    armed = 0;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

bool OutputFile::open(const std::string& path, std::string& problem) {
    abandon();
    path_ = path;
    struct stat st{};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        file_ = std::fopen(path.c_str(), "wb");
        if (!file_) problem = std::string("cannot write: ") + std::strerror(errno);
        return file_ != nullptr;
    }
    // Replace what a symlink points at, not the link.
    if (char* real = exists ? ::realpath(path.c_str(), nullptr) : nullptr) {
        path_ = real;
        std::free(real);
    }
    const auto slash = path_.rfind('/');
    const std::string temp = directory_of(path_) + "/." +
                             path_.substr(slash == std::string::npos ? 0 : slash + 1) + ".bia-tmp-XXXXXX";
    if (temp.size() > PATH_MAX) {
        problem = "cannot write: the path is too long";
        return false;
    }
    std::memcpy(temp_path, temp.c_str(), temp.size() + 1);
    install_handlers();
    // No signal between creating the file and arming the handler, which would leave it behind.
    sigset_t block, before;
    sigemptyset(&block);
    for (int s : removal_signals) sigaddset(&block, s);
    pthread_sigmask(SIG_BLOCK, &block, &before);
    const int fd = ::mkstemp(temp_path);
    const int err = errno;
    if (fd >= 0) {
        std::atomic_signal_fence(std::memory_order_seq_cst);
        armed = 1;
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    if (fd < 0) {
        problem = std::string("cannot write: ") + std::strerror(err);
        disarm();
        return false;
    }
    temp_ = temp_path;
    // The permissions a plain open() would have given: the old file's, or 0666 less the umask.
    mode_t mode = exists ? (st.st_mode & 07777) : 0;
    if (!exists) {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(fd, mode);
    file_ = ::fdopen(fd, "wb");
    if (!file_) {
        problem = std::string("cannot write: ") + std::strerror(errno);
        ::close(fd);
        abandon();
        return false;
    }
    return true;
}

bool OutputFile::commit(std::string& problem) {
    if (!file_) return false;
    bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
    int err = errno;
    if (ok && !temp_.empty() && ::fsync(fileno(file_)) != 0) {
        ok = false;
        err = errno;
    }
    if (std::fclose(file_) != 0 && ok) {
        ok = false;
        err = errno;
    }
    file_ = nullptr;
    if (ok && !temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        problem = std::string("cannot write: ") + std::strerror(err);
        abandon();
        return false;
    }
    if (!temp_.empty()) {
        // The rename itself survives a crash once the directory is on disk.
        const int dfd = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
        temp_.clear();
        disarm();
    }
    return true;
}

void OutputFile::abandon() {
    if (file_) std::fclose(file_);
    file_ = nullptr;
    if (!temp_.empty()) {
        ::unlink(temp_.c_str());
        temp_.clear();
        disarm();
    }
}

bool same_file(std::FILE* file, const std::string& path) {
    struct stat a{}, b{};
    return fstat(fileno(file), &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

}  // namespace bia::cli
