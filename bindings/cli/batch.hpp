// `bia batch`: score a JSON Lines file of cases, one compact result line per input line.
#pragma once

#include <bia/pack.hpp>

#include <cstddef>
#include <string>

namespace bia::cli {

struct BatchOptions {
    std::string input = "-";   // a JSON Lines file; "-" is standard input
    std::string output = "-";  // "-" is standard output
    EvalOptions eval;          // as_of must be set: one date for the whole run
    unsigned threads = 1;
    // A progress bar on standard error; the caller decides (only for a terminal).
    bool progress = false;
};

// Evaluates every line of the input in order, writing one line per input line:
// the result JSON (compact), or {"line": n, "error": [{"path", "message"}]} when
// the line could not be evaluated (with "id" after "line" when eval.id_field is set). Memory stays bounded whatever the input size.
// A file output appears whole or not at all (see OutputFile). Returns 0 when
// every line was evaluated; 1 when a line failed or the input could not be read;
// 2 when the output is the input file (refused before anything is written);
// 4 when the output could not be written. Problems go to standard error.
int run_batch(const Pack& pack, const BatchOptions& options);

}  // namespace bia::cli
