#pragma once
// What the unit tests share (ccache's TestContext): a temporary directory removed
// with all it holds, a git repository, and an opsflow store made by init_store in
// it, with a team, services and categories, and a Context whose clock a test sets
// and advances and whose IDs are a counter (the first record is `TKT-00000001`,
// whatever its kind, then `...02`), so that every run writes the same records.
#include "opsflow/store/change.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsflow::test {

// A time from its RFC 3339 text (REQUIREs that it is one).
Timestamp at(std::string_view rfc3339);

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);

// A directory under the system's temporary directory, removed in the destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// Runs git in `repo` with a fixed identity and no system config; REQUIREs success.
std::string run_git(const std::filesystem::path& repo, std::vector<std::string> args);

struct StoreSetup {
    CommitMode commit = CommitMode::commit;
    // Text of opsflow.yaml replaced before the store is opened (each `from` REQUIREd).
    std::vector<std::pair<std::string, std::string>> settings_edits = {};
    // Top-level keys added to opsflow.yaml (`mail:`, which init does not write).
    std::string settings_extra = {};
};

// The store's team (team.yaml): lisi and chen, technicians in team `mail`, and
// wangwu, the lead, who acts in the Context. Its services (services.yaml): `mail`
// (owner lisi, subscribers all-staff@example.com) and `vpn` (owner chen, no
// subscribers). The categories are init's (email, network, ...); the time zone
// Asia/Shanghai; the clock starts at 2026-03-10T09:00:00+08:00, a Tuesday.
class StoreFixture {
  public:
    explicit StoreFixture(StoreSetup setup = {});
    ~StoreFixture() = default;
    StoreFixture(const StoreFixture&) = delete;
    StoreFixture& operator=(const StoreFixture&) = delete;

    const std::filesystem::path& root() const { return dir_.path(); }
    Store& store() { return *store_; }
    Context& ctx() { return *ctx_; }

    Timestamp now() const { return now_; }
    void set_now(Timestamp t) { now_ = t; }
    void advance(std::chrono::seconds by) { now_ += by; }

    // The record an ID (or prefix) names, read from its file now.
    Record load(RecordKind kind, std::string_view id) const;
    // The `action` of each of its events, in order.
    std::vector<std::string> actions(RecordKind kind, std::string_view id) const;
    // git in the store; REQUIREs success.
    std::string git(std::vector<std::string> args) const;
    // `git log --format=%s`, newest first.
    std::vector<std::string> subjects() const;
    std::size_t commit_count() const { return subjects().size(); }
    // Replaces `from` by `to` in opsflow.yaml (REQUIREd to be there), commits it and
    // opens the store and its Context again (the clock and the ID counter go on).
    void edit_settings(std::string_view from, std::string_view to);

  private:
    void open();

    TempDir dir_;
    CommitMode commit_mode_;
    Timestamp now_;
    std::uint32_t next_id_ = 1;
    std::optional<Store> store_;
    std::optional<Context> ctx_;
};

} // namespace opsflow::test
