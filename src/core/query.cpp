#include "opsflow/query.hpp"

#include "opsflow/error.hpp"
#include "opsflow/files.hpp"
#include "opsflow/parallel.hpp"

#include <algorithm>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

constexpr const char* index_magic = "opsflow-index";
// Bump when the facts or their serialisation change: an index of another version is rebuilt.
constexpr int index_version = 3;

struct FileStamp {
    std::int64_t size = -1, mtime_ns = -1, inode = -1;
    bool operator==(const FileStamp&) const = default;
};

// Fields are tab-separated; text is escaped so that it never holds a tab or line break.
std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    return out;
}

std::string unesc(std::string_view s) {
    if (s.find('\\') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char n = s[++i];
        out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    }
    return out;
}

std::string tm(const std::optional<Timestamp>& t) {
    return t ? std::to_string(t->time_since_epoch().count()) : "-";
}
std::string tm(Timestamp t) {
    return std::to_string(t.time_since_epoch().count());
}

std::int64_t number(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        throw std::invalid_argument("not a number in the index");
    return v;
}

std::optional<Timestamp> opt_time(std::string_view s) {
    if (s == "-") return std::nullopt;
    return Timestamp{std::chrono::seconds(number(s))};
}
Timestamp req_time(std::string_view s) {
    return opt_time(s).value();
}

std::string survey_fields(const SurveyFacts& s) {
    return fmt::format("{}\t{}\t{}", tm(s.sent), s.score ? std::to_string(*s.score) : "-",
                       tm(s.answered));
}

SurveyFacts read_survey(const std::vector<std::string_view>& f, std::size_t at) {
    return {opt_time(f.at(at)),
            f.at(at + 1) == "-" ? std::nullopt : std::optional<int>(number(f.at(at + 1))),
            opt_time(f.at(at + 2))};
}

std::string serialize(const IncidentFacts& i) {
    std::string holds;
    for (const auto& h : i.holds)
        holds += fmt::format("{}{}:{}", holds.empty() ? "" : ",", tm(h.begin),
                             h.end == Timestamp::max() ? "-" : tm(h.end));
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}"
                       "\t{}\t{}\t{}",
                       esc(i.id), esc(i.title), esc(i.status), esc(i.priority), esc(i.service),
                       esc(i.category), esc(i.channel), esc(i.assignee), esc(i.impact),
                       esc(i.urgency), esc(i.reporter), tm(i.reported), tm(i.first_assign),
                       tm(i.first_diagnose), tm(i.resolution), tm(i.verified), tm(i.respond_by),
                       tm(i.resolve_by), i.verifications, i.failed_verifications,
                       holds.empty() ? "-" : holds, survey_fields(i.survey)) +
           fmt::format("\t{}\t{}", i.warned_respond ? 1 : 0, i.warned_resolve ? 1 : 0);
}

IncidentFacts read_incident(const std::vector<std::string_view>& f) {
    IncidentFacts i;
    i.id = unesc(f.at(0)), i.title = unesc(f.at(1)), i.status = unesc(f.at(2)),
    i.priority = unesc(f.at(3));
    i.service = unesc(f.at(4)), i.category = unesc(f.at(5)), i.channel = unesc(f.at(6)),
    i.assignee = unesc(f.at(7));
    i.impact = unesc(f.at(8)), i.urgency = unesc(f.at(9)), i.reporter = unesc(f.at(10));
    i.reported = req_time(f.at(11));
    i.first_assign = opt_time(f.at(12)), i.first_diagnose = opt_time(f.at(13)),
    i.resolution = opt_time(f.at(14));
    i.verified = opt_time(f.at(15)), i.respond_by = opt_time(f.at(16)),
    i.resolve_by = opt_time(f.at(17));
    i.verifications = number(f.at(18)), i.failed_verifications = number(f.at(19));
    if (f.at(20) != "-") {
        std::istringstream holds{std::string(f.at(20))};
        for (std::string h; std::getline(holds, h, ',');) {
            auto colon = h.find(':');
            auto end = h.substr(colon + 1);
            i.holds.push_back(
                {req_time(h.substr(0, colon)), end == "-" ? Timestamp::max() : req_time(end)});
        }
    }
    i.survey = read_survey(f, 21);
    i.warned_respond = f.at(24) == "1", i.warned_resolve = f.at(25) == "1";
    return i;
}

std::string serialize(const TicketFacts& t) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", esc(t.id), esc(t.status), esc(t.service),
                       esc(t.category), tm(t.received), tm(t.answered), t.escalated ? 1 : 0,
                       survey_fields(t.survey));
}

TicketFacts read_ticket(const std::vector<std::string_view>& f) {
    TicketFacts t;
    t.id = unesc(f.at(0)), t.status = unesc(f.at(1)), t.service = unesc(f.at(2)),
    t.category = unesc(f.at(3));
    t.received = req_time(f.at(4)), t.answered = opt_time(f.at(5)), t.escalated = f.at(6) == "1";
    t.survey = read_survey(f, 7);
    return t;
}

std::string serialize(const MaintenanceFacts& m) {
    std::string services;
    for (const auto& s : m.services)
        services += (services.empty() ? "" : ",") + esc(s);
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", esc(m.id), esc(m.title),
                       esc(m.status), esc(m.result), services, tm(m.start), tm(m.end),
                       tm(m.actual_end), tm(m.first_announce), m.late_notice ? 1 : 0);
}

MaintenanceFacts read_maintenance(const std::vector<std::string_view>& f) {
    MaintenanceFacts m;
    m.id = unesc(f.at(0)), m.title = unesc(f.at(1)), m.status = unesc(f.at(2)),
    m.result = unesc(f.at(3));
    std::istringstream services{std::string(f.at(4))};
    for (std::string s; std::getline(services, s, ',');)
        m.services.push_back(unesc(s));
    m.start = req_time(f.at(5)), m.end = req_time(f.at(6)), m.actual_end = opt_time(f.at(7));
    m.first_announce = opt_time(f.at(8)), m.late_notice = f.at(9) == "1";
    return m;
}

using Fields = std::vector<std::string_view>;

Fields split_tabs(std::string_view line) {
    Fields out;
    out.reserve(32);
    std::size_t start = 0;
    for (;;) {
        auto tab = line.find('\t', start);
        out.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos
                                                                          : tab - start));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return out;
}

// One record's line in the index: kind, path, stamp, then its facts. The views
// point into the index file's text or into the storage of newly parsed records.
struct Entry {
    char kind; // I, T, M
    std::string_view path;
    FileStamp stamp;
    std::string_view facts;
};

std::string fingerprint(const Store& store) {
    std::string settings;
    try {
        settings = read_text_file(store.root() / "opsflow.yaml");
    } catch (const Error&) {
    }
    return fmt::format("{:016x}", std::hash<std::string>{}(settings));
}

fs::path index_path(const Store& store) {
    return store.root() / ".opsflow" / "index";
}

std::string header_line(const Store& store) {
    return fmt::format("{}\t{}\t{}", index_magic, index_version, fingerprint(store));
}

// The entries of the index text, by path; empty when the text is not a current index.
std::unordered_map<std::string_view, Entry> parse_index(std::string_view text,
                                                        const std::string& header) {
    std::unordered_map<std::string_view, Entry> entries;
    auto nl = text.find('\n');
    if (nl == std::string_view::npos || text.substr(0, nl) != header) return entries;
    entries.reserve(text.size() / 300);
    for (std::size_t pos = nl + 1; pos < text.size();) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) return {}; // cut short: rebuild everything
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        std::string_view parts[5];
        std::size_t start = 0;
        for (auto& part : parts) {
            auto tab = line.find('\t', start);
            if (tab == std::string_view::npos) return {};
            part = line.substr(start, tab - start);
            start = tab + 1;
        }
        try {
            if (parts[0].size() != 1) return {};
            Entry e{parts[0][0],
                    parts[1],
                    {number(parts[2]), number(parts[3]), number(parts[4])},
                    line.substr(start)};
            entries.emplace(e.path, e);
        } catch (const std::exception&) {
            return {};
        }
    }
    return entries;
}

std::string read_index_text(const Store& store) {
    try {
        return read_text_file(index_path(store), std::size_t{1} << 31);
    } catch (const Error&) {
        return {}; // no index yet: everything is read from the records
    }
}

struct Work {
    RecordKind kind;
    std::string relative;
    FileStamp stamp;
};

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};
using Dir = std::unique_ptr<DIR, DirCloser>;

struct ScannedFile {
    RecordKind kind;
    std::string relative;
    FileStamp stamp;
};

std::vector<std::string> subdirectories(const fs::path& dir) {
    std::vector<std::string> names;
    Dir d(::opendir(dir.c_str()));
    if (!d) return names;
    while (dirent* e = ::readdir(d.get()))
        if (e->d_name[0] != '.' && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN))
            names.emplace_back(e->d_name);
    return names;
}

// The record files of one month directory, with one fstatat each.
void scan_month(const Store& store, RecordKind kind, const std::string& month_dir,
                std::vector<ScannedFile>& out) {
    Dir dir(::opendir((store.root() / month_dir).c_str()));
    if (!dir) return;
    std::string prefix = std::string(kind_info(kind).prefix) + "-";
    int fd = ::dirfd(dir.get());
    while (dirent* e = ::readdir(dir.get())) {
        std::string_view name = e->d_name;
        if (!name.starts_with(prefix) || !name.ends_with(".yaml")) continue;
        struct stat st {};
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        out.push_back(
            {kind,
             month_dir + "/" + std::string(name),
             {st.st_size,
              static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
              static_cast<std::int64_t>(st.st_ino)}});
    }
}

// Every record file of the given kinds. Like git's preloaded index, the stat calls,
// which dominate a warm run, are spread over all cores.
std::vector<ScannedFile> scan_records(const Store& store, const std::vector<RecordKind>& kinds) {
    std::vector<std::pair<RecordKind, std::string>> months;
    for (auto kind : kinds) {
        std::string base(kind_info(kind).directory);
        for (const auto& year : subdirectories(store.root() / base))
            for (const auto& month : subdirectories(store.root() / base / year))
                months.emplace_back(kind, base + "/" + year + "/" + month);
    }
    unsigned threads =
        std::min(worker_count(months.size(), 1), static_cast<unsigned>(months.size() / 4 + 1));
    std::vector<std::vector<ScannedFile>> parts(threads);
    run_on_threads(threads, [&](unsigned t) {
        for (std::size_t m = t; m < months.size(); m += threads)
            scan_month(store, months[m].first, months[m].second, parts[t]);
    });
    std::vector<ScannedFile> all;
    for (auto& p : parts)
        std::move(p.begin(), p.end(), std::back_inserter(all));
    return all;
}

} // namespace

StoreFacts load_facts(const Store& store, const std::vector<RecordKind>& kinds) {
    StoreFacts out;
    const std::string header = header_line(store);
    const std::string index_text = read_index_text(store);
    auto previous = parse_index(index_text, header);
    std::vector<Entry> entries;
    entries.reserve(previous.size() + 16);
    std::vector<Work> to_parse;
    std::vector<Entry> kept;                            // other kinds, written back untouched
    static const char letters[] = {'I', 'M', 'T', 'P'}; // by RecordKind
    auto letter_of = [](RecordKind k) { return letters[static_cast<int>(k)]; };
    for (auto& file : scan_records(store, kinds)) {
        auto it = previous.find(file.relative);
        if (it != previous.end() && it->second.kind == letter_of(file.kind) &&
            it->second.stamp == file.stamp)
            entries.push_back(it->second);
        else
            to_parse.push_back({file.kind, std::move(file.relative), file.stamp});
    }
    // Entries of the kinds not asked for stay in the index as they were.
    for (const auto& [path, e] : previous)
        if (std::none_of(kinds.begin(), kinds.end(),
                         [&](RecordKind k) { return letter_of(k) == e.kind; }))
            kept.push_back(e);

    // Parse what changed, on every core when there is much of it.
    std::vector<std::string> parsed(to_parse.size());
    std::vector<std::string> problems(to_parse.size());
    auto parse_range = [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            const Work& w = to_parse[k];
            try {
                Record r = store.load(w.kind, store.root() / w.relative);
                if (w.kind == RecordKind::incident)
                    parsed[k] = serialize(incident_facts(r, store.settings()));
                else if (w.kind == RecordKind::ticket)
                    parsed[k] = serialize(ticket_facts(r));
                else
                    parsed[k] = serialize(maintenance_facts(r));
            } catch (const Error& e) {
                problems[k] = e.what();
            }
        }
    };
    unsigned threads = worker_count(to_parse.size(), 200);
    std::size_t chunk = (to_parse.size() + threads - 1) / threads;
    run_on_threads(threads, [&](unsigned t) {
        parse_range(std::min(to_parse.size(), t * chunk),
                    std::min(to_parse.size(), (t + 1) * chunk));
    });
    for (std::size_t k = 0; k < parsed.size(); ++k) {
        if (!parsed[k].empty())
            entries.push_back({letters[static_cast<int>(to_parse[k].kind)], to_parse[k].relative,
                               to_parse[k].stamp, parsed[k]});
        else if (!problems[k].empty())
            out.problems.push_back(problems[k]);
    }

    // Reports list evidence in this order: make it independent of directory order and threads.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.path < b.path; });
    out.incidents.reserve(entries.size());
    for (const auto& e : entries) {
        auto f = split_tabs(e.facts);
        if (e.kind == 'I')
            out.incidents.push_back(read_incident(f));
        else if (e.kind == 'T')
            out.tickets.push_back(read_ticket(f));
        else
            out.maintenance.push_back(read_maintenance(f));
    }

    // Write the index back when anything had to be read, best effort (a read-only store works too).
    if (!to_parse.empty() || entries.size() + kept.size() != previous.size()) {
        std::string text = header + "\n";
        for (const auto& e : kept)
            entries.push_back(e);
        for (const auto& e : entries)
            text += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", e.kind, e.path, e.stamp.size,
                                e.stamp.mtime_ns, e.stamp.inode, e.facts);
        try {
            fs::create_directories(index_path(store).parent_path());
            write_file_atomic(index_path(store), text);
        } catch (const std::exception&) {
        }
    }
    return out;
}

} // namespace opsflow
