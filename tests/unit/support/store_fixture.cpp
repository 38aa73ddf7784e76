#include "store_fixture.hpp"

#include "opsflow/base/process.hpp"
#include "opsflow/store/init.hpp"

#include <atomic>
#include <doctest/doctest.h>
#include <fstream>
#include <iterator>
#include <random>
#include <unistd.h>

namespace opsflow::test {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view team_text = R"(people:
  - {id: lisi, name: Li Si, email: lisi@example.com, roles: [technician], skills: [email]}
  - {id: chen, name: Chen Yi, email: chen@example.com, roles: [technician]}
  - {id: wangwu, name: Wang Wu, email: wangwu@example.com, roles: [lead]}
teams:
  mail: [lisi, chen]
)";

constexpr std::string_view services_text = R"(services:
  - {id: mail, name: Mail, owner: lisi, criticality: high, subscribers: [all-staff@example.com]}
  - {id: vpn, name: VPN, owner: chen, criticality: medium, subscribers: []}
)";

void replace_once(std::string& text, std::string_view from, std::string_view to) {
    auto found = text.find(from);
    INFO("opsflow.yaml has no '", std::string(from), "'");
    REQUIRE(found != std::string::npos);
    text.replace(found, from.size(), to);
}

} // namespace

Timestamp at(std::string_view rfc3339) {
    auto t = parse_rfc3339(rfc3339);
    INFO("not an RFC 3339 time: ", std::string(rfc3339));
    REQUIRE(t.has_value());
    return *t;
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    INFO("cannot read ", file.string());
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& file, const std::string& text) {
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

TempDir::TempDir() {
    static std::atomic<int> count{0};
    path_ = fs::temp_directory_path() /
            ("opsflow-unit-" + std::to_string(::getpid()) + "-" + std::to_string(count++) + "-" +
             std::to_string(std::random_device{}() % 100000));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::string run_git(const fs::path& repo, std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.string()});
    ProcessOptions o;
    for (const char* who : {"AUTHOR", "COMMITTER"}) {
        o.env[std::string("GIT_") + who + "_NAME"] = "Test";
        o.env[std::string("GIT_") + who + "_EMAIL"] = "test@example.com";
        o.env[std::string("GIT_") + who + "_DATE"] = "2026-12-07T10:00:00+08:00";
    }
    o.env["GIT_CONFIG_NOSYSTEM"] = "1";
    auto r = run_process(args, o);
    INFO("git ", args[3], ": ", r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

StoreFixture::StoreFixture(StoreSetup setup)
    : commit_mode_(setup.commit), now_(at("2026-03-10T09:00:00+08:00")) {
    // The hooks call `true`: the store's own checks run in the core, not in a hook.
    init_store(root(), "Asia/Shanghai", Language::en, "/bin/true");
    write_text(root() / "team.yaml", std::string(team_text));
    write_text(root() / "services.yaml", std::string(services_text));
    std::string settings = read_text(root() / "opsflow.yaml");
    for (const auto& edit : setup.settings_edits)
        replace_once(settings, edit.first, edit.second);
    settings += setup.settings_extra;
    write_text(root() / "opsflow.yaml", settings);
    git({"add", "team.yaml", "services.yaml", "opsflow.yaml"});
    git({"commit", "-q", "-m", "test: team, services and settings"});
    open();
}

void StoreFixture::open() {
    ctx_.reset();
    store_.emplace(root());
    ctx_.emplace(Context{*store_, Actor{"wangwu", "Wang Wu", "wangwu@example.com"},
                         [this] { return now_; }, commit_mode_, [this] { return next_id_++; }});
}

Record StoreFixture::load(RecordKind kind, std::string_view id) const {
    return store_->load(kind, store_->locate(kind, id));
}

std::vector<std::string> StoreFixture::actions(RecordKind kind, std::string_view id) const {
    std::vector<std::string> out;
    const Record record = load(kind, id); // (a range-for over a temporary's member dangles)
    for (const auto& event : record.events().items())
        out.push_back(event.get("action").value_or("?"));
    return out;
}

std::string StoreFixture::git(std::vector<std::string> args) const {
    return run_git(root(), std::move(args));
}

std::vector<std::string> StoreFixture::subjects() const {
    std::vector<std::string> out;
    std::string log = git({"log", "--format=%s"});
    for (std::size_t start = 0; start < log.size();) {
        auto nl = log.find('\n', start);
        if (nl == std::string::npos) nl = log.size();
        out.push_back(log.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

void StoreFixture::edit_settings(std::string_view from, std::string_view to) {
    std::string settings = read_text(root() / "opsflow.yaml");
    replace_once(settings, from, to);
    write_text(root() / "opsflow.yaml", settings);
    git({"commit", "-q", "-m", "test: settings", "--", "opsflow.yaml"});
    open();
}

} // namespace opsflow::test
