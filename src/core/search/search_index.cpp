// The search index: one Xapian document per record file, its unique term the file's
// path, its stamp (size, mtime, ctime, inode) in a value slot. Before a search, the
// query index lists every record file with its current stamp; documents whose stamp
// differs are indexed again, those whose file is gone are dropped.
#include "search/search_index.hpp"

#include "base/checksum.hpp"
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/store/query.hpp"
#include "search/search_terms.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unordered_map>
#include <utf8proc.h>

namespace opsflow {

std::string search_normal_form(std::string_view text) {
    std::string input(text);
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> normal(
        utf8proc_NFKC(reinterpret_cast<const utf8proc_uint8_t*>(input.c_str())), &std::free);
    return normal ? std::string(reinterpret_cast<const char*>(normal.get())) : input;
}

namespace search_index {

std::string snippet_form(std::string_view text) {
    // U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A: EF BC 90-99, EF BC A1-BA, EF BD 81-9A.
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        if (byte(0) == 0xEF && i + 2 < text.size()) {
            unsigned code =
                ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
            bool alnum = (code >= 0xFF10 && code <= 0xFF19) || (code >= 0xFF21 && code <= 0xFF3A) ||
                         (code >= 0xFF41 && code <= 0xFF5A);
            if (alnum) {
                out.push_back(static_cast<char>(code - 0xFF00 + 0x20));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

namespace fs = std::filesystem;
using namespace search_terms;

namespace {

std::string stamp_text(const FileStamp& s) {
    return fmt::format("{}:{}:{}:{}", s.size, s.mtime_ns, s.ctime_ns, s.inode);
}

const TextField* field_of_key(std::string_view key) {
    for (const auto& field : text_fields)
        if (std::find(field.keys.begin(), field.keys.end(), key) != field.keys.end()) return &field;
    return nullptr;
}

// `lisi` as `lisi Li Si lisi@example.com`: a person is found by any of them.
std::string person_words(const std::string& who, const Team& team) {
    for (const auto& person : team.people)
        if (person.id == who) return fmt::format("{} {} {}", who, person.name, person.email);
    return who;
}

void collect_words(const Node& node, const Team& team, std::vector<FieldText>& out) {
    if (node.is_sequence()) {
        for (const auto& item : node.items())
            collect_words(item, team, out);
        return;
    }
    if (!node.is_map()) return;
    for (const auto& [key, value] : node.entries()) {
        if (std::find(skipped_keys.begin(), skipped_keys.end(), key) != skipped_keys.end())
            continue;
        const TextField* field =
            value.is_scalar() && !value.is_null() ? field_of_key(key) : nullptr;
        if (!field) {
            collect_words(value, team, out);
            continue;
        }
        bool person = field->name == "assignee";
        out.push_back({field->name, *std::find(field->keys.begin(), field->keys.end(), key),
                       person ? person_words(value.text(), team) : value.text()});
    }
}

// English stems, and nothing for a Chinese n-gram: Xapian would add a stemmed twin of
// each (`Z错误` beside `错误`) that no query asks for, a third of the index.
class EnglishOnlyStem : public Xapian::StemImplementation {
  public:
    std::string operator()(const std::string& word) override {
        if (!word.empty() && static_cast<unsigned char>(word[0]) >= 0x80) return {};
        return english_(word);
    }
    std::string get_description() const override { return "english, not CJK"; }

  private:
    Xapian::Stem english_{"english"};
};

Xapian::Document document_of(const Record& record, const Team& team, const std::string& path,
                             const FileStamp& stamp) {
    Xapian::TermGenerator terms;
    terms.set_stemmer(Xapian::Stem(new EnglishOnlyStem));
    terms.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    Xapian::Document document;
    terms.set_document(document);
    for (const auto& words_of : record_words(record, team)) {
        std::string words = search_normal_form(words_of.text);
        for (const auto& field : text_fields)
            if (field.name == words_of.field)
                terms.index_text_without_positions(words, 1, std::string(field.prefix));
        terms.index_text(words);
        terms.increase_termpos();
    }
    const auto& kind = kind_info(record.kind());
    auto add_filter = [&](std::string_view field_name, const std::string& value) {
        for (const auto& field : filter_fields)
            if (field.name == field_name && !value.empty())
                document.add_boolean_term(std::string(field.prefix) + value);
    };
    add_filter("kind", std::string(kind.name));
    add_filter("status", record.status());
    add_filter("service", record.field("service"));
    if (const Node* services = record.doc().find("services"); services && services->is_sequence())
        for (const auto& service : services->items())
            add_filter("service", service.text());
    add_filter("category", record.field("category"));
    document.add_boolean_term(std::string(path_prefix) + path);
    document.add_value(stamp_slot, path + "\n" + stamp_text(stamp));
    document.add_value(when_slot, Xapian::sortable_serialise(static_cast<double>(
                                      first_time(record).time_since_epoch().count())));
    document.set_data(path);
    return document;
}

// The stamp of every indexed file, by path, read from one value stream: documents
// themselves are not read (100,000 of them cost a third of a second).
std::unordered_map<std::string, std::string> indexed_stamps(const Xapian::Database& db) {
    std::unordered_map<std::string, std::string> stamps;
    stamps.reserve(db.get_doccount());
    for (auto value = db.valuestream_begin(stamp_slot); value != db.valuestream_end(stamp_slot);
         ++value) {
        const std::string& both = *value;
        auto split = both.find('\n');
        if (split != std::string::npos)
            stamps.emplace(both.substr(0, split), both.substr(split + 1));
    }
    return stamps;
}

// A digest of every record file with the stamp at which it passed its schema: when
// the index was last brought up to date with files of the same digest, it is up to
// date, and the stamps of its 100,000 documents need not be read and compared.
std::string digest_of(const IndexedFiles& files) {
    std::uint64_t digest = 0;
    std::size_t count = 0;
    files.for_each([&](RecordKind, std::string_view directory, std::string_view name,
                       const std::optional<FileStamp>& passed_at) {
        digest = checksum::xxh64(directory, digest);
        digest = checksum::xxh64(name, digest);
        digest = checksum::xxh64(passed_at ? stamp_text(*passed_at) : "-", digest);
        ++count;
    });
    return fmt::format("{:016x} {}", digest, count);
}

struct Work {
    std::vector<std::pair<RecordKind, Store::RecordFile>> to_index;
    std::vector<std::string> to_drop; // relative paths
};

Work work_to_do(const Store& store, const Xapian::Database& db, const IndexedFiles& files) {
    auto stamps = indexed_stamps(db);
    Work work;
    const std::string root = store.root().native() + "/";
    files.for_each([&](RecordKind kind, std::string_view directory, std::string_view name,
                       const std::optional<FileStamp>& passed_at) {
        std::string relative = std::string(directory) + "/" + std::string(name);
        auto known = stamps.find(relative);
        bool current =
            known != stamps.end() && passed_at && known->second == stamp_text(*passed_at);
        if (known != stamps.end()) stamps.erase(known);
        // A record that does not pass its schema is not searched (check reports it).
        if (!passed_at) {
            if (!current) work.to_drop.push_back(relative);
            return;
        }
        if (!current)
            work.to_index.emplace_back(kind, Store::RecordFile{root + relative, passed_at});
    });
    for (auto& [gone, stamp] : stamps)
        work.to_drop.push_back(gone);
    return work;
}

std::size_t bring_up_to_date(const Store& store, Xapian::WritableDatabase& db,
                             const SearchProgress& progress) {
    std::vector<RecordKind> kinds;
    for (const auto& info : all_kinds())
        kinds.push_back(info.kind);
    const IndexedFiles files(store, kinds);
    const std::string digest = digest_of(files);
    if (db.get_metadata("files") == digest) return 0;
    Work work = work_to_do(store, db, files);
    const std::string root = store.root().native() + "/";
    std::size_t total = work.to_index.size() + work.to_drop.size(), done = 0;
    db.set_metadata("format", std::string(format));
    for (const auto& path : work.to_drop) {
        db.delete_document(std::string(path_prefix) + path);
        if (progress) progress(++done, total);
    }
    for (const auto& [kind, file] : work.to_index) {
        std::string relative = file.path.substr(root.size());
        try {
            Record record = store.load(kind, file);
            db.replace_document(std::string(path_prefix) + relative,
                                document_of(record, store.team(), relative, *file.passed_at));
        } catch (const Error&) {
            // Changed since the query index read it, and now unreadable: not searched.
            db.delete_document(std::string(path_prefix) + relative);
        }
        if (progress) progress(++done, total);
    }
    db.set_metadata("files", digest);
    db.commit();
    return total;
}

Xapian::WritableDatabase open_writable(const fs::path& directory) {
    // Xapian holds the postings of the documents it has not flushed in maps in memory,
    // and flushes every XAPIAN_FLUSH_THRESHOLD documents (10,000 unless set). A few
    // hundred at a time keep those maps in the cache: at 20,000 records the index is
    // built in 4.4 s and 27 MB instead of 8.1 s and 175 MB. (An explicit commit that
    // often costs far more: it writes a new revision each time.) An operator's own
    // setting is kept.
    ::setenv("XAPIAN_FLUSH_THRESHOLD", "256", 0);
    // The index is derived data: after a crash it is rebuilt, so it needs no fsync.
    constexpr int flags = Xapian::DB_CREATE_OR_OPEN | Xapian::DB_NO_SYNC;
    Xapian::WritableDatabase db(directory.native(), flags);
    if (db.get_doccount() > 0 && db.get_metadata("format") != format)
        throw Xapian::DatabaseCorruptError("written by another version of opsflow");
    return db;
}

} // namespace

Timestamp first_time(const Record& record) {
    const Node& events = record.events();
    if (events.is_sequence() && !events.items().empty())
        if (auto at = events.items().front().get("at"))
            if (auto t = parse_rfc3339(*at)) return *t;
    return Timestamp{};
}

fs::path directory(const Store& store) {
    return store.root() / ".opsflow" / "search";
}

std::vector<FieldText> record_words(const Record& record, const Team& team) {
    std::vector<FieldText> all;
    collect_words(record.doc(), team, all);
    // An event repeats the value it set (the description in `report`, the cause in
    // `diagnose`): the same words under the same key are indexed once, which halves
    // what most records hold. An older value, a note or a reply is kept.
    std::vector<FieldText> out;
    out.reserve(all.size());
    std::set<std::pair<std::string_view, std::string_view>> seen;
    for (auto& words : all)
        if (!seen.contains({words.key, words.text})) {
            out.push_back(std::move(words)); // `out` is reserved: its strings stay put
            seen.emplace(out.back().key, out.back().text);
        }
    return out;
}

void index_changed(const Store& store, const std::vector<std::string>& paths) {
    const fs::path index = directory(store);
    std::error_code missing;
    if (!fs::exists(index / "iamglass", missing)) return; // the first search builds it
    try {
        Xapian::WritableDatabase db(index.native(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        if (db.get_metadata("format") != format) return;
        for (const auto& relative : paths) {
            auto kind = kind_of_path(relative);
            if (!kind || !relative.ends_with(".yaml")) continue;
            const fs::path file = store.root() / relative;
            const std::string unique = std::string(path_prefix) + relative;
            struct stat st {};
            try {
                Record record = store.load(*kind, file);
                if (::stat(file.c_str(), &st) != 0) throw RuntimeError(relative);
                db.replace_document(unique,
                                    document_of(record, store.team(), relative, file_stamp(st)));
            } catch (const Error&) {
                db.delete_document(unique); // unreadable or gone: not searched
            }
        }
        db.commit();
    } catch (const Xapian::Error&) {
        // Busy (another opsflow writes it) or damaged: brought up to date when next read.
    }
}

} // namespace search_index

void keep_search_index_current(Store& store) {
    store.add_change_listener(search_index::index_changed);
}

namespace search_index {

OpenIndex open_as_is(const Store& store, const SearchProgress& progress) {
    try {
        Xapian::Database db(directory(store).native());
        if (db.get_doccount() > 0 && db.get_metadata("format") == format) return {db, 0};
    } catch (const Xapian::Error&) {
        // missing or damaged: built below
    }
    return open_up_to_date(store, progress);
}

OpenIndex open_up_to_date(const Store& store, const SearchProgress& progress) {
    const fs::path index = directory(store);
    auto cannot_write = [&](const std::string& why) {
        return RuntimeError(
            tr("the search index ({}) cannot be written: {}", store.display(index), why));
    };
    for (int attempt = 0;; ++attempt) {
        try {
            fs::create_directories(index.parent_path());
            Xapian::WritableDatabase db;
            try {
                db = open_writable(index);
            } catch (const Xapian::DatabaseLockError&) {
                throw;
            } catch (const Xapian::DatabaseError&) {
                // Damaged, foreign or of another format: derived data, so rebuilt.
                fs::remove_all(index);
                db = open_writable(index);
            }
            OpenIndex open{db, bring_up_to_date(store, db, progress)};
            return open;
        } catch (const Xapian::DatabaseLockError&) {
            // Another opsflow is bringing it up to date: wait for it, a while.
            if (attempt < 50) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            try {
                return {Xapian::Database(index.native()), 0};
            } catch (const Xapian::Error& e) {
                throw TempFailError(
                    tr("the search index ({}) is busy: {}", store.display(index), e.get_msg()));
            }
        } catch (const Xapian::Error& e) {
            throw cannot_write(e.get_msg());
        } catch (const fs::filesystem_error& e) {
            throw cannot_write(e.code().message());
        }
    }
}

} // namespace search_index
} // namespace opsflow
