#pragma once
// Confidentiality (SPEC §1 row 五): personal data replaced by stable pseudonyms
// in what opsflow prints for others to read.
#include "opsflow/record/facts.hpp"
#include "opsflow/store/store.hpp"

#include <map>
#include <string>
#include <vector>

namespace opsflow {

class Redactor {
  public:
    // Knows the people of team.yaml and the reporters and requesters of `facts`.
    Redactor(const Store& store, const StoreFacts& facts);

    // Replaces known names, every e-mail address and phone number with pseudonyms
    // (`person-3`, `email-1`, `phone-2`); the same value gets the same pseudonym
    // throughout the life of the Redactor.
    std::string apply(const std::string& text);

  private:
    std::string pseudonym(const std::string& kind, const std::string& value);
    std::vector<std::string> names_; // longest first
    std::map<std::string, std::string> assigned_;
    std::map<std::string, int> counters_;
};

} // namespace opsflow
