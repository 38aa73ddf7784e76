#include "opsflow/store/standards.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/yaml.hpp"
#include "opsflow/git/git.hpp"

#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace opsflow {

namespace {

// The settings that are standards, by file: the sections of opsflow.yaml, and the
// service catalogue.
constexpr std::string_view settings_file = "opsflow.yaml";
constexpr std::string_view services_file = "services.yaml";
constexpr std::string_view standard_sections[] = {"sla", "calendar", "priority_matrix", "routing"};

std::string flow(const Node& node) {
    if (node.is_sequence()) {
        std::string out = "[";
        for (const auto& item : node.items())
            out += (out.size() > 1 ? ", " : "") + flow(item);
        return out + "]";
    }
    if (node.is_map()) {
        std::string out = "{";
        for (const auto& [key, value] : node.entries())
            out += (out.size() > 1 ? ", " : "") + key + ": " + flow(value);
        return out + "}";
    }
    return node.is_null() ? "" : node.text();
}

// A map as one line per leaf; lists as one line each (a routing rule, a holiday).
void flatten(const Node& node, const std::string& prefix, StandardValues& out) {
    if (node.is_map()) {
        for (const auto& [key, value] : node.entries())
            flatten(value, prefix + "." + key, out);
        return;
    }
    if (node.is_sequence() && !node.items().empty() && !node.items().front().is_scalar()) {
        for (std::size_t i = 0; i < node.items().size(); ++i)
            out[fmt::format("{}.{}", prefix, i + 1)] = flow(node.items()[i]);
        return;
    }
    out[prefix] = flow(node);
}

// The standards in the two files' texts; a file that is missing or not YAML adds none.
StandardValues values_of(const std::optional<std::string>& settings,
                         const std::optional<std::string>& services) {
    StandardValues out;
    auto parse = [](const std::optional<std::string>& text, std::string_view name) {
        std::optional<Node> doc;
        if (!text) return doc;
        try {
            doc = parse_yaml(*text, std::string(name));
        } catch (const Error&) {
        }
        return doc;
    };
    if (auto doc = parse(settings, settings_file); doc && doc->is_map())
        for (auto section : standard_sections)
            if (const Node* n = doc->find(section)) flatten(*n, std::string(section), out);
    if (auto doc = parse(services, services_file); doc && doc->is_map())
        if (const Node* list = doc->find("services"); list && list->is_sequence())
            for (const auto& s : list->items())
                if (s.is_map() && s.get("id"))
                    for (const auto& [key, value] : s.entries())
                        if (key != "id") out["services." + *s.get("id") + "." + key] = flow(value);
    return out;
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Git require_git(const Store& store) {
    auto git = store.git();
    if (!git)
        throw NotFoundError(tr("the store is not in a git repository: standards have no history"));
    return *git;
}

std::vector<StandardsChange> difference(const StandardValues& before, const StandardValues& after) {
    std::vector<StandardsChange> out;
    for (const auto& [key, value] : after) {
        auto old = before.find(key);
        if (old == before.end())
            out.push_back({key, std::nullopt, value});
        else if (old->second != value)
            out.push_back({key, old->second, value});
    }
    for (const auto& [key, value] : before)
        if (!after.count(key)) out.push_back({key, value, std::nullopt});
    std::sort(out.begin(), out.end(),
              [](const StandardsChange& a, const StandardsChange& b) { return a.key < b.key; });
    return out;
}

// A time as git's --before/--since read it.
std::string git_time(Timestamp t) {
    return date::format("%FT%TZ", t);
}

} // namespace

StandardsVersion standards_now(const Store& store) {
    return {"", "",
            values_of(read_file(store.root() / settings_file),
                      read_file(store.root() / services_file))};
}

StandardsVersion standards_at_commit(const Store& store, const std::string& rev) {
    Git git = require_git(store);
    std::string line;
    try {
        line = git.log({"-1", "--format=%H%x09%aI", rev, "--"});
    } catch (const RuntimeError&) { // not a revision git knows
    }
    auto tab = line.find('\t');
    if (tab == std::string::npos)
        throw NotFoundError(tr("no commit '{}' in the store's git history", rev));
    StandardsVersion v;
    v.commit = line.substr(0, tab);
    v.date = line.substr(tab + 1, 25);
    while (!v.date.empty() && (v.date.back() == '\n' || v.date.back() == '\r'))
        v.date.pop_back();
    v.values = values_of(git.file_at(v.commit, std::string(settings_file)),
                         git.file_at(v.commit, std::string(services_file)));
    return v;
}

StandardsVersion standards_at_time(const Store& store, Timestamp at) {
    Git git = require_git(store);
    std::string commit = git.log({"-1", "--format=%H", "--before=" + git_time(at), "HEAD", "--"});
    while (!commit.empty() && commit.back() == '\n')
        commit.pop_back();
    if (commit.empty())
        throw NotFoundError(
            tr("the store has no commit before {}", format_rfc3339(at, store.settings().zone)));
    return standards_at_commit(store, commit);
}

std::string change_text(const StandardsChange& c) {
    if (!c.before) return fmt::format("+ {} {}", c.key, *c.after);
    if (!c.after) return fmt::format("- {} {}", c.key, *c.before);
    return fmt::format("{} {} → {}", c.key, *c.before, *c.after);
}

std::vector<StandardsCommit> standards_history(const Store& store,
                                               const std::optional<std::string>& range,
                                               std::optional<Timestamp> since,
                                               std::optional<Timestamp> until) {
    Git git = require_git(store);
    std::vector<std::string> args = {"--format=%H%x09%P%x09%aI%x09%an%x09%s"};
    if (since) args.push_back("--since=" + git_time(*since));
    if (until) args.push_back("--until=" + git_time(*until));
    args.push_back(range.value_or("HEAD"));
    args.insert(args.end(), {"--", std::string(settings_file), std::string(services_file)});
    std::string text;
    try {
        text = git.log(args);
    } catch (const RuntimeError&) { // a range git cannot read
        throw NotFoundError(tr("no commits '{}' in the store's git history", *range));
    }
    std::istringstream log(text);
    std::vector<StandardsCommit> out;
    for (std::string line; std::getline(log, line);) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string part; std::getline(fields, part, '\t');)
            f.push_back(part);
        if (f.size() < 5) continue;
        std::string parent = f[1].substr(0, f[1].find(' '));
        auto after = values_of(git.file_at(f[0], std::string(settings_file)),
                               git.file_at(f[0], std::string(services_file)));
        auto before = parent.empty() ? StandardValues{}
                                     : values_of(git.file_at(parent, std::string(settings_file)),
                                                 git.file_at(parent, std::string(services_file)));
        auto changes = difference(before, after);
        if (changes.empty()) continue; // settings that are not standards (notify, mail...)
        out.push_back({f[0].substr(0, 12), f[2].substr(0, 16).replace(10, 1, " "), f[3], f[4],
                       std::move(changes)});
    }
    return out;
}

} // namespace opsflow
