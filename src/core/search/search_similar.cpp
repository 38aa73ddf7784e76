// Similar records: the record's title and description made into one OR query of
// their terms (as the index holds them: English stems, Chinese n-grams), each
// weighted by how often it occurs, ranked by BM25 among the settled records of each
// kind, and among the known errors.
#include "opsflow/base/error.hpp"
#include "opsflow/base/i18n.hpp"
#include "opsflow/record/workflow.hpp"
#include "opsflow/search/similar.hpp"
#include "search/search_index.hpp"
#include "search/search_terms.hpp"

#include <algorithm>

namespace opsflow {

namespace {

using namespace search_terms;

// The words that say what a record is about: what its reporter wrote first.
constexpr std::array<std::string_view, 4> subject_keys{"title", "subject", "description",
                                                       "question"};

// What fixed a record of each kind, by its keys in the order shown.
struct FixFields {
    RecordKind kind;
    std::array<std::string_view, 2> keys;
};
constexpr std::array<FixFields, 3> fix_fields{{
    {RecordKind::incident, {"cause", "resolution"}},
    {RecordKind::ticket, {"answer", ""}},
    {RecordKind::problem, {"cause", "workaround"}},
}};

// One character of a Chinese text: as a term, a unigram of the n-grams.
bool single_character(const std::string& term) {
    auto lead = static_cast<unsigned char>(term[0]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return term.size() == length;
}

// The record's subject words as terms of the index: a stemmed English word (`Z`
// prefix), a Chinese bigram, a number; each weighted by how often the record uses it,
// the title's words more. The unstemmed form of an English word is left out so that
// it counts once, and a single Chinese character (不, 上) says nothing of the fault:
// records that share only those are not similar.
struct SubjectTerms {
    std::vector<std::pair<std::string, Xapian::termcount>> terms;
    Xapian::Query query() const {
        std::vector<Xapian::Query> parts;
        for (const auto& [term, weight] : terms)
            parts.emplace_back(term, weight);
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
};

SubjectTerms subject_terms(const Record& record, const Team& team) {
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    Xapian::Document scratch;
    generator.set_document(scratch);
    for (const auto& words : search_index::record_words(record, team))
        if (std::find(subject_keys.begin(), subject_keys.end(), words.key) != subject_keys.end()) {
            // The title names the fault; a long description adds words about everything.
            generator.index_text(search_normal_form(words.text), words.field == "title" ? 3 : 1);
            generator.increase_termpos();
        }
    SubjectTerms out, characters;
    for (auto term = scratch.termlist_begin(); term != scratch.termlist_end(); ++term) {
        const std::string& text = *term;
        bool stemmed = !text.empty() && text[0] == 'Z';
        std::string_view word = stemmed ? std::string_view(text).substr(1) : text;
        if (word.empty()) continue;
        bool chinese = static_cast<unsigned char>(word[0]) >= 0x80;
        bool english = word[0] >= 'a' && word[0] <= 'z';
        // Chinese n-grams as they are (the generator also gives them a stemmed twin),
        // English words by their stems, numbers as they are.
        if (chinese ? stemmed : english ? !stemmed : stemmed) continue;
        auto& into = chinese && single_character(text) ? characters : out;
        into.terms.emplace_back(text, term.get_wdf());
    }
    // A title of one Chinese character and nothing else: the character is all there is.
    return out.terms.empty() ? characters : out;
}

// A record shares enough of the subject's terms to be called similar: two of them,
// or all of a subject that has fewer.
constexpr std::size_t shared_terms_needed = 2;

Xapian::Query kind_in_group(RecordKind kind, StatusGroup group) {
    std::vector<Xapian::Query> statuses;
    for (auto status : workflow_of(kind).groups.count(group) ? workflow_of(kind).groups.at(group)
                                                             : std::vector<std::string_view>{})
        statuses.emplace_back(std::string(filter_prefix("status")) + std::string(status));
    if (statuses.empty()) return Xapian::Query();
    return Xapian::Query(
        Xapian::Query::OP_AND,
        Xapian::Query(std::string(filter_prefix("kind")) + std::string(kind_info(kind).name)),
        Xapian::Query(Xapian::Query::OP_OR, statuses.begin(), statuses.end()));
}

Xapian::Query records_in(StatusGroup group) {
    std::vector<Xapian::Query> kinds;
    for (const auto& info : all_kinds())
        if (auto q = kind_in_group(info.kind, group); !q.empty()) kinds.push_back(q);
    return Xapian::Query(Xapian::Query::OP_OR, kinds.begin(), kinds.end());
}

SimilarRecord similar_of(const Record& r, double score) {
    SimilarRecord s{r.kind(), r.id(), r.status(), r.field("title"), score, {}};
    if (s.title.empty()) s.title = r.field("subject");
    for (const auto& fix : fix_fields)
        if (fix.kind == r.kind())
            for (auto key : fix.keys)
                if (!key.empty() && !r.field(key).empty())
                    s.fixed_by.emplace_back(std::string(key), r.field(key));
    return s;
}

// Records of `group` that match, best first, the record itself left out.
std::vector<SimilarRecord> best_in(const Store& store, const Xapian::Database& db,
                                   const SubjectTerms& subject, StatusGroup group,
                                   const std::string& own_id, std::size_t limit) {
    std::vector<SimilarRecord> out;
    if (limit == 0) return out;
    Xapian::Query filter = records_in(group);
    if (filter.empty()) return out;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, subject.query(), filter));
    const std::size_t needed = std::min(shared_terms_needed, subject.terms.size());
    // More than asked: some of the best may share a single term, and one is the record.
    constexpr Xapian::doccount spare = 20;
    Xapian::MSet matches = enquire.get_mset(0, static_cast<Xapian::doccount>(limit) + spare);
    for (auto match = matches.begin(); match != matches.end() && out.size() < limit; ++match) {
        // The filter's terms (kind, status) match too: only the subject's count.
        auto shared =
            std::count_if(enquire.get_matching_terms_begin(match),
                          enquire.get_matching_terms_end(match), [&](const std::string& t) {
                              return std::any_of(subject.terms.begin(), subject.terms.end(),
                                                 [&](const auto& term) { return term.first == t; });
                          });
        if (static_cast<std::size_t>(shared) < needed) continue;
        std::string relative = match.get_document().get_data();
        auto kind = kind_of_path(relative);
        if (!kind) continue;
        try {
            Record record = store.load(*kind, store.root() / relative);
            // As it is now: the index may be older than the file.
            if (record.id() != own_id && workflow_of(record.kind()).in(group, record.status()))
                out.push_back(similar_of(record, match.get_weight()));
        } catch (const Error&) {
            // Changed since the index was brought up to date: left out this time.
        }
    }
    return out;
}

} // namespace

Suggestions similar_records(const Store& store, const Record& record, std::size_t limit,
                            std::size_t known_error_limit, IndexFreshness freshness,
                            const SearchProgress& progress) {
    try {
        auto open = freshness == IndexFreshness::as_is
                        ? search_index::open_as_is(store, progress)
                        : search_index::open_up_to_date(store, progress);
        SubjectTerms subject = subject_terms(record, store.team());
        Suggestions out;
        if (subject.terms.empty()) return out;
        out.similar =
            best_in(store, open.database, subject, StatusGroup::settled, record.id(), limit);
        out.known_errors = best_in(store, open.database, subject, StatusGroup::known, record.id(),
                                   known_error_limit);
        return out;
    } catch (const Xapian::Error& e) {
        throw RuntimeError(tr("the search index ({}) cannot be read: {}",
                              store.display(search_index::directory(store)), e.get_description()));
    }
}

} // namespace opsflow
