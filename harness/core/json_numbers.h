// Numbers in JSON a user hands back (result folders that `report`,
// `compare` and `--baseline` read): nlohmann converts a float to an integer
// with a plain cast, which is undefined behaviour when the value does not
// fit (1e44 read as a key). Results hold integers as integers and small
// floats (seconds, rates); FirstUnfitNumber finds the first float that no
// integer field could hold (NaN, infinite, or 2^31 and beyond in
// magnitude), so readers refuse the file instead. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace pgha {

// The JSON pointer ("/runs/0/key") of the first such number, or nullopt.
std::optional<std::string> FirstUnfitNumber(const nlohmann::json& j);

}  // namespace pgha
