// Private to the engine: the snapshot file of a Store.
//
// Layout (little-endian): a 32-byte header — magic "KAIKUENG", format version
// (u32), reserved (u32), payload length (u64), checksum of the payload (u64,
// FNV-1a over 64-bit words, then the tail bytes) — and the payload: counters,
// the five dictionaries (units, touchpoints, surveys, questions, themes), the
// seen-id bitset, the response blocks in day order (each column as one array;
// since version 2 the comment bytes and theme indexes with the block's theme
// masks, each when present), the invitation blocks, invitation ids and the ids
// of invitations answered before they were added. A file of another version is
// rejected (Error::invalid), and the engine is rebuilt from storage.
#pragma once

#include <string>
#include <vector>

#include "analytics/columns.hpp"
#include "base/result.hpp"

namespace kaiku::analytics::detail {

inline constexpr std::uint32_t kSnapshotVersion = 2;

// The snapshot file's bytes (header and payload) of `store`. The caller holds a
// lock that keeps `store` unchanged during the call; nothing else needs it.
std::vector<unsigned char> serialize_store(const Store& store);

// Writes snapshot bytes to `path` atomically: a temporary file next to it, fsync,
// rename over `path`, fsync of the directory. Error::unavailable on I/O errors.
Status write_snapshot(const std::vector<unsigned char>& bytes, const std::string& path);

// serialize_store, then write_snapshot.
Status save_store(const Store& store, const std::string& path);

// Reads a snapshot into `out` (replaced only on success). not_found when the
// file does not exist; Error::invalid naming the reason when it is truncated,
// foreign, of another version, fails its checksum or holds inconsistent data.
// Never allocates more than the file's size justifies.
Status load_store(Store& out, const std::string& path);

}  // namespace kaiku::analytics::detail
