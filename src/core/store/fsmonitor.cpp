#include "store/fsmonitor.hpp"

#include "opsflow/base/process.hpp"
#include "opsflow/git/git.hpp"

#include <charconv>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace opsflow {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<MonitorClock> MonitorClock::parse(std::string_view text) {
    auto colon = text.rfind(':');
    if (!text.starts_with("c:") || colon == std::string_view::npos || colon + 1 == text.size())
        return std::nullopt;
    MonitorClock clock{std::string(text.substr(0, colon)), 0};
    auto digits = text.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), clock.tick);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return clock;
}

std::string MonitorClock::text() const {
    return instance + ":" + std::to_string(tick);
}

bool MonitorChanges::changed_since(std::string_view directory, const MonitorClock& read_at) const {
    if (all_changed || read_at.instance != now.instance) return true;
    auto it = last_change.find(directory);
    return it != last_change.end() && it->second > read_at.tick;
}

std::optional<FsMonitor> FsMonitor::configured(const Store& store) {
    if (!Git::find_work_tree(store.root())) return std::nullopt;
    if (Git(store.root()).config_value("opsflow.fsmonitor") != "watchman") return std::nullopt;
    std::error_code ec;
    fs::path root = fs::canonical(store.root(), ec);
    if (ec) return std::nullopt;
    return FsMonitor(root.string());
}

namespace {

// Whether a command may start watchman's server when it is not running.
enum class Start { no, yes };

// What watchman said to one command: nothing when it cannot be run, has no server
// (and may not start one), does not answer with JSON, or takes too long (a server
// that is starting while another stops can keep its client waiting for minutes).
struct WatchmanAnswer {
    std::optional<json> answer;
    bool timed_out = false;
};

WatchmanAnswer ask_watchman(const json& command, Start start) {
    std::vector<std::string> argv = {"watchman", "--no-pretty", "-j"};
    if (start == Start::no) argv.insert(argv.end(), {"--no-spawn", "--no-local"});
    ProcessOptions options;
    options.input = command.dump();
    options.time_limit = std::chrono::seconds(5);
    ProcessResult r = run_process(argv, options);
    if (r.exit_code < 0) return {std::nullopt, r.timed_out};
    json answer = json::parse(r.out, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) return {};
    return {std::move(answer)};
}

std::optional<MonitorClock> clock_of(const json& answer) {
    auto it = answer.find("clock");
    if (it == answer.end() || !it->is_string()) return std::nullopt;
    return MonitorClock::parse(it->get<std::string>());
}

std::string parent_of(std::string_view name) {
    auto slash = name.rfind('/');
    return std::string(slash == std::string_view::npos ? std::string_view{}
                                                       : name.substr(0, slash));
}

} // namespace

std::optional<MonitorChanges> FsMonitor::changes(const std::vector<std::string>& directories,
                                                 const std::optional<MonitorClock>& since) const {
    if (since) {
        json expression = json::array({"anyof"});
        for (const auto& dir : directories)
            expression.push_back(json::array({"dirname", dir}));
        auto [answer, timed_out] =
            ask_watchman(json::array({"query",
                                      root_,
                                      {{"since", since->text()},
                                       {"fields", json::array({"name", "oclock"})},
                                       {"expression", expression},
                                       {"empty_on_fresh_instance", true}}}),
                         Start::no);
        if (timed_out) return std::nullopt;
        if (answer && !answer->contains("error")) {
            auto now = clock_of(*answer);
            const auto& files = answer->value("files", json::array());
            if (!now || !files.is_array()) return std::nullopt;
            MonitorChanges changes{*now, {}, answer->value("is_fresh_instance", true)};
            for (const auto& file : files) {
                if (!file.is_object() || !file.contains("name") || !file["name"].is_string())
                    return std::nullopt;
                auto name = file["name"].get<std::string>();
                auto changed = clock_of({{"clock", file.value("oclock", "")}});
                std::uint64_t tick = changed ? changed->tick : UINT64_MAX;
                // A name may be a directory itself (created, removed, renamed).
                for (const auto& dir : {name, parent_of(name)}) {
                    auto& last = changes.last_change[dir];
                    last = std::max(last, tick);
                }
            }
            return changes;
        }
    }
    // No clock yet, no server (a new machine, a reboot), or the root is not watched
    // (a new clone, watchman restarted): watch it now, starting the server if need
    // be, so that the next run can ask what changed.
    if (!ask_watchman(json::array({"watch", root_}), Start::yes).answer) return std::nullopt;
    auto answer =
        ask_watchman(json::array({"clock", root_, {{"sync_timeout", 4000}}}), Start::no).answer;
    if (!answer || answer->contains("error")) return std::nullopt;
    auto now = clock_of(*answer);
    if (!now) return std::nullopt;
    return MonitorChanges{*now, {}, true};
}

} // namespace opsflow
