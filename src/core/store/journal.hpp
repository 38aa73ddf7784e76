#pragma once
// A change as an operation that is finished or rolled back, never left half done
// (core-internal). Before a change writes its first byte, what it is about to do
// goes to .opsflow/journal, synced: each file's path, what it held before and what
// it will hold (for a new file moved into place whole, the git blob it will be),
// and the subject of its commit. The change removes the journal once
// it is committed (or, without git, written). A journal that a later command finds
// while it holds the store lock was left by a change that died: it is finished if
// its commit is in HEAD, and rolled back otherwise (Store::recover).
#include "opsflow/base/files.hpp"
#include "opsflow/git/git.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opsflow {

// Where a change writes: the store's root and, when it commits, its git work tree.
struct ChangePlace {
    std::filesystem::path root;
    std::optional<Git> git;
};

// A new file that a change moves into place whole (by rename), named by the git
// blob of its text: the journal need not hold the text (an import of 100,000 records).
struct PlacedFile {
    std::string relative;
    std::string blob;
};

class ChangeJournal {
  public:
    ChangeJournal(ChangePlace place, const std::vector<FileWrite>& files,
                  const std::string& subject, const std::vector<PlacedFile>& placed = {});
    // The change is complete: the journal goes.
    void close();
    // The change failed: its files go back to what they were, what its git commands
    // left goes, and so does the journal. Returns what it removed from git; throws
    // (leaving the journal for the next command) if a file cannot be put back.
    std::vector<std::string> roll_back();

  private:
    ChangePlace place_;
    std::filesystem::path file_;
    std::string subject_;
    std::vector<FileWrite> files_;
    std::vector<PlacedFile> placed_;
};

// What recovering from an interrupted change did (nothing: there was no journal).
// The store lock must be held.
std::vector<std::string> recover_interrupted_change(const ChangePlace& place);

} // namespace opsflow
