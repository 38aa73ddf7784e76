#include "opsflow/record/catalog.hpp"

#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace opsflow {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

void require_known(const std::string& what, const std::string& value,
                   const std::vector<std::string>& known) {
    if (known.empty() || std::find(known.begin(), known.end(), value) != known.end()) return;
    std::string best;
    std::size_t best_distance = 3; // further than two edits is no longer "close"
    for (const auto& k : known) {
        auto d = edit_distance(value, k);
        if (d < best_distance) best_distance = d, best = k;
    }
    std::string list;
    for (const auto& k : known)
        list += (list.empty() ? "" : ", ") + k;
    std::string message = tr("unknown {} '{}'", tr(what), value);
    if (!best.empty()) message += tr(" (did you mean '{}'?)", best);
    // TRANSLATORS: {0} is what is unknown (service, person...), {1} the values known.
    throw InvalidDataError(message + tr("; known {0}s: {1}", tr(what), list));
}

namespace {

// `check` refuses a value its settings file does not list, even when it lists
// nothing yet: so does the verb, rather than write what the hook then refuses.
void require_listed(const std::string& what, const std::string& value,
                    const std::vector<std::string>& known, const std::string& file) {
    if (known.empty())
        // TRANSLATORS: {0} is what is unknown (service, person...), {2} a settings file.
        throw InvalidDataError(tr("unknown {0} '{1}': {2} lists none yet; add it there first "
                                  "(see the README's Settings)",
                                  tr(what), value, file));
    require_known(what, value, known);
}

} // namespace

void require_service(const ServiceCatalog& services, const std::string& service) {
    std::vector<std::string> ids;
    for (const auto& s : services.services)
        ids.push_back(s.id);
    require_listed("service", service, ids, "services.yaml");
}

void require_category(const Settings& settings, const std::string& category) {
    require_listed("category", category, settings.categories, "opsflow.yaml");
}

void require_person(const Team& team, const std::string& person) {
    std::vector<std::string> ids;
    for (const auto& p : team.people)
        ids.push_back(p.id);
    require_listed(std::string(N_("person")), person, ids, "team.yaml");
}

} // namespace opsflow
