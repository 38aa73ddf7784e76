#pragma once
#include <string>
#include <vector>

namespace opsflow::cli {

// A figure that changed against the previous period (`report --compare`), named by its
// JSON path (`incidents.by_status.closed`), as people read it in the current language:
// `Incidents › by status › closed`, `故障 › 按状态 › 已关闭`.
std::string change_label(const std::vector<std::string>& path);

} // namespace opsflow::cli
