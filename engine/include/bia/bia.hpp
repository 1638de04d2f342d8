// Umbrella header: everything a C++ host needs to compile packs and evaluate cases.
#pragma once

#include <bia/version.hpp>
#include <bia/export.hpp>
#include <bia/date.hpp>
#include <bia/diagnostic.hpp>
#include <bia/result.hpp>
#include <bia/pack.hpp>
#include <bia/report.hpp>
#include <bia/testing.hpp>
#include <bia/explain.hpp>
#include <bia/json_text.hpp>
