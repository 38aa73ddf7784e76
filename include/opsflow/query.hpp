#pragma once
// Reading the facts of every record for reports and lists, through the local
// query index in .opsflow/ (never versioned, never the source of truth).
#include "opsflow/facts.hpp"
#include "opsflow/store.hpp"

namespace opsflow {

// Facts of every incident, ticket and maintenance window. Records whose file is
// unchanged since the index was written (path, size, mtime, inode) come from the
// index; the others are parsed, in parallel when there are many. A missing,
// corrupt or foreign index is rebuilt. Unreadable records land in `problems`.
//
// `FactsScope::open` leaves out the incidents and tickets whose status is final (closed,
// cancelled...) without decoding them: most of a grown store is closed, and the commands
// that act on what is still open (`sla watch`, `incident list --open`, routing by load)
// need not pay for the rest.
enum class FactsScope { all, open };
StoreFacts load_facts(const Store& store,
                      const std::vector<RecordKind>& kinds = {RecordKind::incident,
                                                              RecordKind::ticket,
                                                              RecordKind::maintenance},
                      FactsScope scope = FactsScope::all);

// Every record file of `kind` (Store::record_files), each with the stamp at which
// it passed its schema when the query index knows it: reading them all costs the
// parse, not the schema.
std::vector<Store::RecordFile> indexed_record_files(const Store& store, RecordKind kind);

} // namespace opsflow
