#pragma once
#include "opsflow/record/record.hpp"

#include <string>
#include <string_view>

namespace opsflow::cli {

// How a value kept in English in the records is shown to a person: a field name
// (`assignee`), a status, a verb (`assign`), a level (`high`), a notice's purpose or
// delivery, in the current language. A value with no translation is shown as it is.
std::string value_label(std::string_view value);

// The value of an event's field `key` as the history shows it: values from a fixed set
// (a status, a level, a channel...) and the reason a notice was not sent are translated;
// what a person wrote is shown as it is.
std::string event_value_label(std::string_view key, const std::string& value);

// A record's status as a list shows it: an evaluation made before its window had
// passed is marked partial wherever the status is shown (SPEC §12).
std::string status_label(const Record& record);

} // namespace opsflow::cli
