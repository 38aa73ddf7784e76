#include "opsflow/store/history.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto end = text.find(separator); end != std::string::npos;
         start = end + 1, end = text.find(separator, start))
        out.push_back(text.substr(start, end - start));
    out.push_back(text.substr(start));
    return out;
}

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \n"));
    s.erase(s.find_last_not_of(" \n") + 1);
    return s;
}

} // namespace

std::vector<HistoryEntry> record_history(const Store& store, std::string_view id_or_prefix) {
    if (!Git::find_work_tree(store.root()))
        throw NotFoundError(tr("the store is not in a git work tree, so it has no history"));
    IdQuery query = parse_id_query(id_or_prefix);
    std::vector<std::string> args;
    std::vector<fs::path> found;
    for (const auto& kind : all_kinds()) {
        if (query.kind && *query.kind != kind.kind) continue;
        try {
            found.push_back(store.locate(kind.kind, id_or_prefix));
        } catch (const NotFoundError&) {
        }
    }
    if (found.size() == 1) {
        args = {"--follow", "--", store.display(found.front())};
    } else if (found.empty() && query.kind && is_full_id(id_or_prefix)) {
        // Deleted since: look for the file in the history.
        args = {"--", fmt::format(":(glob)**/{}.yaml", id_or_prefix)};
    } else {
        throw NotFoundError(
            found.empty() ? tr("{} names no records; give more of the ID", id_or_prefix)
                          : tr("{} names several records; give more of the ID", id_or_prefix));
    }
    // One chunk per commit: hash, date, author, subject, action trailer, then the file's path.
    std::vector<std::string> log_args = {
        "--name-only", "--relative",
        "--format=%x1e%H%x1f%aI%x1f%an%x1f%s%x1f%(trailers:key=Opsflow-Action,valueonly,"
        "separator=%x2c)%x1f"};
    log_args.insert(log_args.end(), args.begin(), args.end());
    std::string out = Git(store.root()).log(log_args);
    std::vector<HistoryEntry> entries;
    for (const auto& chunk : split(out, '\x1e')) {
        auto fields = split(chunk, '\x1f');
        if (fields.size() < 6) continue;
        HistoryEntry e;
        e.commit = fields[0];
        e.when = parse_rfc3339(fields[1]).value_or(Timestamp::min());
        e.author = fields[2];
        e.subject = fields[3];
        e.action = trim(fields[4]);
        e.path = trim(fields[5]);
        if (auto nl = e.path.find('\n'); nl != std::string::npos) e.path.resize(nl);
        entries.push_back(std::move(e));
    }
    if (entries.empty())
        throw NotFoundError(tr("{} has no commits in git (was it committed?)", id_or_prefix));
    std::reverse(entries.begin(), entries.end());
    return entries;
}

} // namespace opsflow
