// `bia batch -o FILE` killed at random moments never leaves a partial file at
// FILE: whatever was there before stays, and (for the signals it can catch) no
// temporary file is left either. Bounded in time: every child is reaped or
// SIGKILLed within seconds.
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using bia_test::read_file;
using bia_test::TempDir;
using bia_test::write_file;
namespace fs = std::filesystem;

// The quick-start pack, and one of its cases on one line.
const fs::path pack_path = fs::path(BIA_SOURCE_DIR) / "examples" / "quickstart" / "pack.bia";
constexpr const char* case_line =
    R"({"child": {"unaccompanied": true, "gender": "girl"}, "case": {"arrived_on": "2026-02-27"}})"
                                  "\n";

// `bia batch PACK - -o OUT` reading a pipe the test holds open, so it is
// certainly still running when the signal comes.
struct Batch {
    pid_t pid = -1;
    int input = -1;  // the write end of its standard input
};

Batch start_batch(const fs::path& pack, const fs::path& out) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    const std::string pack_s = pack.string(), out_s = out.string();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        dup2(fds[0], 0);
        close(fds[0]);
        close(fds[1]);
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        // As from an interactive shell: the signals at their defaults, none blocked.
        for (int s : {SIGINT, SIGTERM, SIGHUP}) signal(s, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execl(BIA_CLI, BIA_CLI, "batch", pack_s.c_str(), "-", "-o", out_s.c_str(), "--as-of", "2026-03-10",
              "--threads", "2", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[0]);
    return Batch{pid, fds[1]};
}

// Waits at most `limit` for the child; SIGKILLs it after that. Its wait status.
int reap(pid_t pid, std::chrono::milliseconds limit, bool& in_time) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            in_time = true;
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    in_time = false;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
}

void write_lines(int fd, std::size_t n) {
    std::string block;
    for (std::size_t i = 0; i < n; ++i) block += case_line;
    std::size_t done = 0;
    while (done < block.size()) {
        const ssize_t w = write(fd, block.data() + done, block.size() - done);
        if (w <= 0) break;
        done += static_cast<std::size_t>(w);
    }
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// The temporary file's size once it holds something, polling up to a second.
bool temp_has_data(const fs::path& dir) {
    for (int i = 0; i < 200; ++i) {
        for (const auto& e : fs::directory_iterator(dir)) {
            std::error_code ec;
            if (e.path().filename().string().find(".bia-tmp-") != std::string::npos && fs::file_size(e.path(), ec) > 0)
                return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

class BatchKilled : public ::testing::TestWithParam<int> {};

TEST_P(BatchKilled, LeavesNoPartialFile) {
    const int sig = GetParam();
    std::mt19937 rng(static_cast<unsigned>(sig) * 7919u);
    TempDir dir;
    fs::create_directory(dir / "out");
    const fs::path out = dir / "out" / "results.jsonl";
    signal(SIGPIPE, SIG_IGN);  // our writes to a child that is gone must not kill the test
    int mid_write = 0;
    for (int trial = 0; trial < 8; ++trial) {
        SCOPED_TRACE("signal " + std::string(strsignal(sig)) + ", trial " + std::to_string(trial));
        const bool had_old = trial % 2 == 0;
        if (had_old) write_file(out, "old results\n");
        else fs::remove(out);
        Batch b = start_batch(pack_path, out);
        // Some trials kill while the pack loads, the others once results are being written.
        if (trial >= 2) {
            // More than the 1 MiB bia batch reads at a time, so results are being written.
            write_lines(b.input, 20000 + rng() % 20000);
            if (temp_has_data(dir / "out")) ++mid_write;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 20));
        kill(b.pid, sig);
        bool in_time = false;
        const int status = reap(b.pid, std::chrono::seconds(10), in_time);
        close(b.input);
        ASSERT_TRUE(in_time) << "bia batch did not end within 10 s of the signal";
        // It dies of the signal itself, so its parent knows why it stopped.
        ASSERT_TRUE(WIFSIGNALED(status)) << "wait status " << status;
        EXPECT_EQ(WTERMSIG(status), sig);
        if (had_old) {
            EXPECT_EQ(read_file(out), "old results\n");
        } else {
            EXPECT_FALSE(fs::exists(out)) << "a file appeared at the final path";
        }
        // SIGKILL cannot be caught: its temporary file may stay (hidden, never at the final path).
        if (sig != SIGKILL) {
            EXPECT_EQ(entries(dir / "out"), had_old ? std::vector<std::string>{"results.jsonl"} : std::vector<std::string>{});
        }
        for (const auto& e : fs::directory_iterator(dir / "out"))
            if (e.path() != out) fs::remove(e.path());
    }
    // The test killed real writers, not only processes that had not started.
    EXPECT_GT(mid_write, 0);
}

INSTANTIATE_TEST_SUITE_P(Signals, BatchKilled, ::testing::Values(SIGINT, SIGTERM, SIGHUP, SIGKILL),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// The same run, left to finish: the results appear whole and nothing else stays.
TEST(BatchOutput, FinishedRunRenamesIntoPlace) {
    TempDir dir;
    fs::create_directory(dir / "out");
    const fs::path out = dir / "out" / "results.jsonl";
    write_file(out, "old results\n");
    Batch b = start_batch(pack_path, out);
    write_lines(b.input, 30000);
    close(b.input);
    bool in_time = false;
    const int status = reap(b.pid, std::chrono::seconds(60), in_time);
    ASSERT_TRUE(in_time);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    const std::string results = read_file(out);
    EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 30000);
    EXPECT_EQ(entries(dir / "out"), std::vector<std::string>{"results.jsonl"});
}

}  // namespace
