// The pipeline's parts that are not templates.
#include "pipeline.hpp"

namespace bia::python {

unsigned resolve_threads(py::handle value) {
    if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) throw py::type_error("threads must be an int");
    int overflow = 0;
    long long threads = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (threads == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow < 0 || threads < 0) throw py::value_error("threads must be 0 (all cores) or a positive number");
    // More threads than that only cost memory and start-up time.
    constexpr long long kMaxThreads = 256;
    if (overflow > 0 || threads > kMaxThreads) threads = kMaxThreads;
    return threads == 0 ? available_cores() : static_cast<unsigned>(threads);
}

void next_items(PyObject* iterator, std::size_t limit, std::vector<py::object>& items) {
    items.clear();
    while (items.size() < limit) {
        PyObject* item = PyIter_Next(iterator);
        if (item == nullptr) {
            if (PyErr_Occurred()) throw py::error_already_set();
            return;
        }
        items.push_back(py::reinterpret_steal<py::object>(item));
    }
}

GcPause::GcPause() {
#if PY_VERSION_HEX >= 0x030A0000
    was_enabled_ = PyGC_Disable();
#else
    py::module_ gc = py::module_::import("gc");
    was_enabled_ = gc.attr("isenabled")().cast<bool>();
    gc.attr("disable")();
#endif
}

GcPause::~GcPause() {
    if (!was_enabled_) return;
#if PY_VERSION_HEX >= 0x030A0000
    PyGC_Enable();
#else
    PyObject* gc = PyImport_ImportModule("gc");
    if (gc) {
        PyObject* r = PyObject_CallMethod(gc, "enable", nullptr);
        Py_XDECREF(r);
        Py_DECREF(gc);
    }
    PyErr_Clear();
#endif
}

}  // namespace bia::python
