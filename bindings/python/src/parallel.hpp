// Worker threads that evaluate one batch of cases while the interpreter's thread prepares the next.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace bia::python {

// Cores this process may run on (its CPU affinity), at least 1.
inline unsigned available_cores() {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return static_cast<unsigned>(n);
    }
#endif
    unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
}

// A batch job runs f(i) for i in [0, n) on the pool's threads while the
// caller, holding the GIL, turns the previous batch's results into Python
// objects and reads the next batch's input; finish() then helps with what is
// left and waits. Only the thread that made the pool calls start/finish.
//
// Nothing thrown by f escapes a worker (that would terminate the interpreter):
// the first exception is kept and rethrown by finish().
class BatchPool {
public:
    explicit BatchPool(unsigned workers) {
        for (unsigned i = 0; i < workers; ++i) {
            try {
                threads_.emplace_back([this] { run(); });
            } catch (const std::system_error&) {
                break;  // no more threads to be had: finish() does the rest
            }
        }
    }

    BatchPool(const BatchPool&) = delete;
    BatchPool& operator=(const BatchPool&) = delete;

    ~BatchPool() {
        // A job may still be running when an exception unwinds the caller; its
        // buffers outlive the pool, so wait for it before leaving.
        try {
            finish();
        } catch (...) {
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : threads_) t.join();
    }

    // Starts f(0..n-1) on the workers and returns at once.
    void start(std::size_t n, std::function<void(std::size_t)> f) {
        auto job = std::make_shared<Job>();
        job->n = n;
        job->f = std::move(f);
        job->grain = std::clamp<std::size_t>(n / (std::max<std::size_t>(threads_.size(), 1) * 8), 1, 32);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            job_ = job;
            ++generation_;
        }
        wake_.notify_all();
    }

    // Helps with the running job, waits for the workers to leave it, and
    // rethrows what f threw. Call without the GIL.
    void finish() {
        std::shared_ptr<Job> job;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            job = std::move(job_);
            job_.reset();
        }
        if (!job) return;
        work(*job);
        {
            std::unique_lock<std::mutex> lock(mutex_);
            idle_.wait(lock, [&] { return job->busy == 0; });
        }
        if (job->failure) std::rethrow_exception(job->failure);
    }

    std::size_t size() const { return threads_.size(); }

private:
    struct Job {
        std::size_t n = 0;
        std::size_t grain = 1;
        std::function<void(std::size_t)> f;
        std::atomic<std::size_t> next{0};
        std::size_t busy = 0;  // workers inside work(); guarded by the pool's mutex
        std::exception_ptr failure;
        std::mutex failure_mutex;
    };

    static void work(Job& job) noexcept {
        try {
            for (;;) {
                const std::size_t begin = job.next.fetch_add(job.grain, std::memory_order_relaxed);
                if (begin >= job.n) return;
                const std::size_t end = std::min(job.n, begin + job.grain);
                for (std::size_t i = begin; i < end; ++i) job.f(i);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(job.failure_mutex);
            if (!job.failure) job.failure = std::current_exception();
            job.next.store(job.n, std::memory_order_relaxed);
        }
    }

    void run() {
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            std::shared_ptr<Job> job = job_;
            if (!job) continue;  // finished before this worker woke
            ++job->busy;
            lock.unlock();
            work(*job);
            lock.lock();
            if (--job->busy == 0) idle_.notify_all();
        }
    }

    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::shared_ptr<Job> job_;
    std::uint64_t generation_ = 0;
    bool stop_ = false;
};

}  // namespace bia::python
