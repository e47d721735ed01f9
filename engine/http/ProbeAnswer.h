// Internal: the first request of an HTTP task (the probe) and what its answer
// means. Pure functions, so every case is tested without a server.
//
// A task that knows what is on disk already (its resume file after a restart,
// or its own state after a pause) asks from the first missing byte, so the
// answer's body is data it needs (aria2 and curl -C do the same); a new task
// asks for "bytes=0-". Either way a 206 tells the size and that ranges work,
// and a 200 means one connection from byte 0.
//
// The probe carries no If-Range: a server may answer one on a weak validator
// (a Last-Modified too close to its Date) with a 200 although nothing changed,
// and a 200 would cost the task its ranges for the rest of the run. The 206's
// own size and validators tell whether the file is the same, so a 200 really
// means "no Range support" (or a changed file, which its validators show).
//
// An answer to a probe from byte F > 0 is usable only as the continuation of
// the same file: a 206 from F whose size and validators match the known
// state. Anything else (the file changed, shrank, or the server now names it
// differently) asks for the probe again from byte 0, as for a new file,
// except a plain 200 for the unchanged file: a server that ignores Range
// sends the whole body, which is kept as a download without ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/http/HeaderValues.h"
#include "engine/http/ResponseHead.h"
#include "engine/http/ResumeFile.h"

namespace tributary::http {

struct ProbeRequest {
  std::uint64_t from = 0;  // "Range: bytes=from-"
};

// Where a probe asks from when `known` (may be null) is on disk: its first
// missing byte. A state without a size, or with nothing done at byte 0, asks
// from 0. When everything is done it asks for the last byte only, which still
// proves the file is the same before the task calls it finished.
ProbeRequest probeRequestFor(const ResumeState* known);

// The validators a saved state carries, as a response would give them.
ResourceValidators validatorsOf(const ResumeState& state);

struct ProbeAnswer {
  enum class Kind : std::uint8_t {
    Ranged,    // 206 from the byte asked for: ranges work, `total` is the size
    Whole,     // 200: the whole body from byte 0 follows; `total` if it was given
    Empty,     // 416 to "bytes=0-" with a size of 0: an empty file
    AskAgain,  // a probe from F > 0 whose answer does not continue the known file
    Unusable,  // a status or Content-Range the probe cannot work with
  };
  Kind kind = Kind::Unusable;
  std::optional<std::uint64_t> total;
  // Ranged, and the known state is the same file: keep its done ranges.
  bool resumeHolds = false;
};

// `known` is what the request was planned from (null for a new file); pass
// null too when the answer names another file than the known state's.
ProbeAnswer judgeProbeAnswer(const ResponseHead& head, const ProbeRequest& asked,
                             const ResumeState* known);

}  // namespace tributary::http
