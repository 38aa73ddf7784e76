#include "store/journal.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/files.hpp"

#include <charconv>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace opsflow {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view magic = "opsflow journal 1\n";

fs::path journal_file(const ChangePlace& place) {
    return place.root / ".opsflow" / "journal";
}

// The journal: the magic line, then length-prefixed fields (any bytes):
//   S <length>\n<subject>\n
//   F <path length> <before length, or -> <after length>\n<path><before><after>\n
//   P <path length> <blob>\n<path>\n   (a new file moved into place whole)
std::string encode(const std::vector<FileWrite>& files, const std::string& subject,
                   const std::vector<PlacedFile>& placed) {
    std::string out(magic);
    out.reserve(out.size() + placed.size() * 96);
    out += fmt::format("S {}\n{}\n", subject.size(), subject);
    for (const auto& f : files) {
        out += fmt::format("F {} {} {}\n", f.relative.size(),
                           f.previous ? std::to_string(f.previous->size()) : std::string("-"),
                           f.text.size());
        out += f.relative;
        if (f.previous) out += *f.previous;
        out += f.text;
        out += '\n';
    }
    for (const auto& p : placed) {
        out += fmt::format("P {} {}\n", p.relative.size(), p.blob);
        out += p.relative;
        out += '\n';
    }
    return out;
}

struct Journal {
    std::string subject;
    std::vector<FileWrite> files;
    std::vector<PlacedFile> placed;
};

std::vector<Git::IndexEntry> blobs_of(const Journal& journal) {
    std::vector<Git::IndexEntry> out;
    out.reserve(journal.files.size() + journal.placed.size());
    for (const auto& f : journal.files)
        out.push_back({f.relative, git_blob_name(f.text)});
    for (const auto& p : journal.placed)
        out.push_back({p.relative, p.blob});
    return out;
}

// nullopt: not a whole journal.
std::optional<Journal> decode(std::string_view text) {
    if (!text.starts_with(magic)) return std::nullopt;
    text.remove_prefix(magic.size());
    auto take_line = [&]() -> std::optional<std::string_view> {
        auto nl = text.find('\n');
        if (nl == std::string_view::npos) return std::nullopt;
        auto line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        return line;
    };
    auto number = [](std::string_view s) -> std::optional<std::size_t> {
        std::size_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
        return v;
    };
    auto take = [&](std::size_t n) -> std::optional<std::string> {
        if (n > text.size()) return std::nullopt;
        std::string out(text.substr(0, n));
        text.remove_prefix(n);
        return out;
    };
    Journal journal;
    bool has_subject = false;
    while (!text.empty()) {
        auto line = take_line();
        if (!line) return std::nullopt;
        std::vector<std::string_view> fields;
        for (std::size_t start = 0; start <= line->size();) {
            auto space = line->find(' ', start);
            if (space == std::string_view::npos) space = line->size();
            fields.push_back(line->substr(start, space - start));
            start = space + 1;
        }
        if (fields.size() == 2 && fields[0] == "S") {
            auto n = number(fields[1]);
            auto subject = n ? take(*n) : std::nullopt;
            if (!subject) return std::nullopt;
            journal.subject = *subject;
            has_subject = true;
        } else if (fields.size() == 4 && fields[0] == "F") {
            auto path_length = number(fields[1]);
            auto before_length =
                fields[2] == "-" ? std::optional<std::size_t>() : number(fields[2]);
            auto after_length = number(fields[3]);
            if (!path_length || !after_length || (fields[2] != "-" && !before_length))
                return std::nullopt;
            FileWrite file;
            auto path = take(*path_length);
            if (!path) return std::nullopt;
            file.relative = *path;
            if (before_length) {
                file.previous = take(*before_length);
                if (!file.previous) return std::nullopt;
            }
            auto after = take(*after_length);
            if (!after) return std::nullopt;
            file.text = *after;
            journal.files.push_back(std::move(file));
        } else if (fields.size() == 3 && fields[0] == "P") {
            auto path_length = number(fields[1]);
            auto path = path_length ? take(*path_length) : std::nullopt;
            if (!path || fields[2].empty()) return std::nullopt;
            journal.placed.push_back({std::move(*path), std::string(fields[2])});
        } else {
            return std::nullopt;
        }
        if (!text.starts_with('\n')) return std::nullopt;
        text.remove_prefix(1);
    }
    if (!has_subject) return std::nullopt;
    return journal;
}

void sync_directory(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// A path of the journal inside the store, or nullopt for one that would lead out.
std::optional<fs::path> inside(const ChangePlace& place, const std::string& relative) {
    fs::path p(relative);
    if (p.is_absolute() || relative.empty()) return std::nullopt;
    for (const auto& part : p)
        if (part == "..") return std::nullopt;
    return place.root / p;
}

// Temporary files of atomic writes next to `target` (`.NAME.XXXXXX`).
void remove_temporaries(const fs::path& target) {
    std::string prefix = "." + target.filename().string() + ".";
    std::vector<fs::path> found;
    list_directory(target.parent_path(), [&](std::string_view name, EntryType type) {
        if (type == EntryType::file && name.size() == prefix.size() + 6 && name.starts_with(prefix))
            found.push_back(target.parent_path() / std::string(name));
        return true;
    });
    std::error_code ec;
    for (const auto& f : found)
        fs::remove(f, ec);
}

// Puts the files back as they were before the change; says what it could not.
void roll_back_files(const ChangePlace& place, const Journal& journal,
                     std::vector<std::string>& notes) {
    for (const auto& f : journal.files) {
        auto target = inside(place, f.relative);
        if (!target) continue;
        remove_temporaries(*target);
        std::optional<std::string> now;
        try {
            now = read_text_file(*target, std::max<std::size_t>(f.text.size(), 1) * 2 + 4096);
        } catch (const Error&) {
        }
        if (f.previous) {
            if (now != f.previous) write_file_atomic(*target, *f.previous);
        } else if (now) {
            // A new file, written whole or in part by the change: it goes.
            std::error_code ec;
            if (std::string_view(f.text).starts_with(*now))
                fs::remove(*target, ec);
            else
                notes.push_back(fmt::format("{} was left as it is: it is not what the "
                                            "interrupted change wrote",
                                            f.relative));
        }
    }
    // Moved into place whole, or not at all: it goes if it is the blob the change placed.
    for (const auto& p : journal.placed) {
        auto target = inside(place, p.relative);
        if (!target) continue;
        std::optional<std::string> now;
        try {
            now = read_text_file(*target, max_file_bytes);
        } catch (const Error&) {
        }
        if (!now) continue;
        std::error_code ec;
        if (git_blob_name(*now) == p.blob)
            fs::remove(*target, ec);
        else
            notes.push_back(fmt::format("{} was left as it is: it is not what the "
                                        "interrupted change wrote",
                                        p.relative));
    }
}

// What the git commands of a change that died left: lock files (see
// Git::release_locks_of_dead_change), said as notes.
std::vector<std::string> release_git_locks(const ChangePlace& place) {
    std::vector<std::string> notes;
    if (const auto& git = place.git)
        for (const auto& removed : git->release_locks_of_dead_change())
            notes.push_back(fmt::format("removed {}, which the interrupted change left", removed));
    return notes;
}

// A committed change whose git index was not yet replaced when it died: the index
// takes what was committed.
void finish_in_git(const Git& git, const Journal& journal, std::vector<std::string>& notes) {
    std::vector<Git::CommittedFile> committed;
    for (const auto& f : journal.files)
        committed.push_back(
            {f.relative, f.previous ? git_blob_name(*f.previous) : "", git_blob_name(f.text)});
    for (const auto& p : journal.placed)
        committed.push_back({p.relative, "", p.blob});
    for (const auto& path : git.finish_interrupted_commit(committed))
        notes.push_back(fmt::format("staged {} as committed", path));
}

void remove_journal(const fs::path& file) {
    std::error_code ec;
    fs::remove(file, ec);
    sync_directory(file.parent_path());
}

} // namespace

ChangeJournal::ChangeJournal(ChangePlace place, const std::vector<FileWrite>& files,
                             const std::string& subject, const std::vector<PlacedFile>& placed)
    : place_(std::move(place)), file_(journal_file(place_)), subject_(subject), files_(files),
      placed_(placed) {
    fs::create_directories(file_.parent_path());
    // Synced; refuses a journal not recovered.
    write_new_file(file_, encode(files, subject, placed));
    sync_directory(file_.parent_path());
}

void ChangeJournal::close() {
    remove_journal(file_);
}

std::vector<std::string> ChangeJournal::roll_back() {
    std::vector<std::string> notes;
    Journal journal{subject_, files_, placed_};
    roll_back_files(place_, journal, notes);
    // This process is alive and its commit released what it took: another process's
    // lock is never touched here.
    if (const auto& git = place_.git) git->unstage_interrupted_commit(blobs_of(journal));
    remove_journal(file_);
    return notes;
}

std::vector<std::string> recover_interrupted_change(const ChangePlace& place) {
    fs::path file = journal_file(place);
    std::error_code ec;
    if (!fs::exists(file, ec)) return {};
    std::vector<std::string> notes;
    std::optional<Journal> journal;
    try {
        journal = decode(read_text_file(file, std::size_t{1} << 30));
    } catch (const Error&) {
    }
    if (!journal) {
        // Written by write_new_file: a journal cut short is one whose change never began.
        fs::remove(file, ec);
        return {"removed the journal of a change that died before it began"};
    }
    auto staged = blobs_of(*journal);
    const auto& git = place.git;
    // First its locks: while a git command holds the index, nothing is touched (this
    // throws, and the journal waits for the next command).
    auto git_notes = release_git_locks(place);
    bool committed = git && git->head_holds(staged);
    if (!committed) roll_back_files(place, *journal, notes);
    notes.insert(notes.end(), git_notes.begin(), git_notes.end());
    // Git's index takes what was committed, or gives back what was staged.
    if (committed)
        finish_in_git(*git, *journal, notes);
    else if (git)
        git->unstage_interrupted_commit(staged);
    notes.insert(notes.begin(), (committed ? "an interrupted change had been committed: "
                                           : "an interrupted change was rolled back: ") +
                                    journal->subject);
    remove_journal(file);
    return notes;
}

} // namespace opsflow
