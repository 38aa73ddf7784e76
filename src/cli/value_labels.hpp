#pragma once
#include <string>
#include <string_view>

namespace opsflow::cli {

// How a value kept in English in the records is shown to a person: a field name
// (`assignee`), a status, a verb (`assign`), a level (`high`), a notice's purpose or
// delivery, in the current language. A value with no translation is shown as it is.
std::string value_label(std::string_view value);

} // namespace opsflow::cli
