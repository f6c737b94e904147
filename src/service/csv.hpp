// CSV (RFC 4180) writing shared by every CSV Kaiku produces: the data-lake export
// and the reports API's text/csv answers.
#pragma once

#include <string>
#include <string_view>

namespace kaiku::service {

// One CSV field: `field` unchanged, or in double quotes (inner quotes doubled)
// when it holds a comma, a double quote, CR or LF.
std::string csv_field(std::string_view field);

}  // namespace kaiku::service
