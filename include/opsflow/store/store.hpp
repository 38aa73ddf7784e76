#pragma once
// A store: the directory whose root holds opsflow.yaml, its settings, and the
// record files below it (SPEC §2).
#include "opsflow/base/files.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/base/id.hpp"
#include "opsflow/git/git.hpp"
#include "opsflow/record/record.hpp"
#include "opsflow/record/settings.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

class Store {
  public:
    // Finds the store root like git finds .git: `explicit_dir` (-C), then
    // `environment_dir` ($OPSFLOW_DIR), then `cwd` and its parents. Throws NotFoundError (exit 3).
    static std::filesystem::path
    find_root(const std::optional<std::filesystem::path>& explicit_dir,
              const std::optional<std::filesystem::path>& environment_dir,
              const std::filesystem::path& cwd);

    // Loads and validates the settings files.
    explicit Store(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    const Settings& settings() const { return settings_; }
    // `--lang`: what the store sends in this run, whatever opsflow.yaml says.
    void set_language(Language language) { settings_.language = language; }
    const Team& team() const { return team_; }
    const ServiceCatalog& services() const { return services_; }

    // `incidents/2026/11/INC-3f9a1c2e.yaml`, relative to the root.
    std::string relative_path_for(RecordKind kind, const std::string& id,
                                  Timestamp first_event) const;
    std::string display(const std::filesystem::path& absolute) const;

    // The file of the record an ID or ID prefix names. Throws UsageError for a
    // malformed ID, NotFoundError if none or several match (listing them).
    std::filesystem::path locate(RecordKind kind, std::string_view id_or_prefix) const;
    bool id_exists(RecordKind kind, const std::string& id) const;

    // Every record file of a kind, sorted by path.
    std::vector<std::filesystem::path> record_files(RecordKind kind) const;
    // Calls `visit` with each record file whose ID starts with the kind prefix and
    // `hex_prefix`, newest month first, until it returns false.
    void for_each_record_file(RecordKind kind, std::string_view hex_prefix,
                              const std::function<bool(const std::filesystem::path&)>& visit) const;

    Record load(RecordKind kind, const std::filesystem::path& file) const;
    // A record file to read, and the stamp at which it passed its schema, when the
    // query index knows it (Record::load). The path is a string: a list of 100,000
    // std::filesystem::path objects, each with its parsed components, takes 40 MB.
    struct RecordFile {
        std::string path;
        std::optional<FileStamp> passed_at;
    };
    Record load(RecordKind kind, const RecordFile& file) const;

    // Every record of a kind that `keep` accepts, in path order. A record that
    // cannot be read is left out and its problem (file:line: message) added to `problems`.
    std::vector<Record> load_all(RecordKind kind, const std::function<bool(const Record&)>& keep,
                                 std::vector<std::string>& problems) const;

    // The records of `files`, read and parsed on every core a slice at a time and
    // handed to `visit` in the order of `files`: memory holds one slice, whatever
    // the size of the store. Unreadable records go to `problems`.
    void for_each_record(RecordKind kind, const std::vector<std::filesystem::path>& files,
                         const std::function<void(const Record&)>& visit,
                         std::vector<std::string>& problems) const;
    void for_each_record(RecordKind kind, const std::vector<RecordFile>& files,
                         const std::function<void(const Record&)>& visit,
                         std::vector<std::string>& problems) const;

    // The same, where each record is turned into text by `render` on the core that
    // read it (which must be safe to call from several threads), and the texts are
    // handed to `emit` in the order of `files`.
    void render_records(RecordKind kind, const std::vector<std::filesystem::path>& files,
                        const std::function<std::string(const Record&)>& render,
                        const std::function<void(std::string&&)>& emit,
                        std::vector<std::string>& problems) const;
    void render_records(RecordKind kind, const std::vector<RecordFile>& files,
                        const std::function<std::string(const Record&)>& render,
                        const std::function<void(std::string&&)>& emit,
                        std::vector<std::string>& problems) const;

    // Exclusive lock over read-modify-write and commit (`.opsflow/lock`). A change
    // that died under it is finished or rolled back first (recovery_notes()).
    // Waits as long as it takes, or at most `wait` (then TempFailError, exit 75:
    // "the store is busy", naming the holder).
    FileLock lock(std::optional<std::chrono::milliseconds> wait = std::nullopt) const;
    // The same recovery, now, unless a change is running.
    void recover() const;
    // What recovering from changes that died or failed did, for the user; emptied.
    std::vector<std::string> take_recovery_notes() const;
    void add_recovery_notes(const std::vector<std::string>& notes) const;

    // The git work tree when the store is in one and autocommit is on.
    std::optional<Git> git() const;

    // Derived data that a layer above the store keeps (the search index) learns of each
    // change here: after the change is written (and committed), every listener gets the
    // store-relative paths it wrote. A listener must not throw for its own failure: the
    // change is made; what it keeps is checked against the records when next read.
    using ChangeListener = std::function<void(const Store&, const std::vector<std::string>&)>;
    void add_change_listener(ChangeListener listener);
    void tell_changed(const std::vector<std::string>& paths) const;

  private:
    void recover_locked() const;
    std::filesystem::path root_;
    // Record files by name, listed once a command looks up more than one ID.
    mutable std::optional<std::map<std::string, std::filesystem::path>> files_by_name_[kind_count];
    mutable int lookups_ = 0;
    Settings settings_;
    Team team_;
    ServiceCatalog services_;
    mutable std::vector<std::string> recovery_notes_;
    std::vector<ChangeListener> change_listeners_;
};

} // namespace opsflow
