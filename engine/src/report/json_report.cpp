// The result contract as JSON text: fixed key order, integral numbers without a fraction.
#include <bia/report.hpp>

#include "report/json_writer.hpp"

namespace bia {

std::string render_json(const Result& r) {
    // The same bytes as nlohmann's dump(2, ...) + "\n" of the contract built as a JSON value
    // (fuzz/result_oracle.hpp; the fuzz targets and bench/check_paths.cpp check it), without
    // building the value first: about fifteen times faster.
    return report::render_json_pretty(r);
}

}  // namespace bia
