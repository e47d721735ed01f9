#include "engine/http/ProbeAnswer.h"

#include "engine/http/ResponseChecks.h"

namespace tributary::http {

ProbeRequest probeRequestFor(const ResumeState* known) {
  ProbeRequest request;
  if (known == nullptr || !known->totalSize || *known->totalSize == 0) {
    return request;
  }
  const std::uint64_t total = *known->totalSize;
  const std::optional<core::ByteRange> gap = known->done.firstGap(0, total);
  request.from = gap ? gap->begin : total - 1;
  return request;
}

ResourceValidators validatorsOf(const ResumeState& state) {
  ResourceValidators validators;
  if (!state.etag.empty()) {
    validators.etag = EntityTag{false, state.etag};
  }
  validators.lastModified = state.lastModified;
  return validators;
}

ProbeAnswer judgeProbeAnswer(const ResponseHead& head, const ProbeRequest& asked,
                             const ResumeState* known) {
  std::optional<ContentRange> range;
  if (const std::string* value = head.find("Content-Range")) {
    range = parseContentRange(*value);
  }
  const ResourceValidators now = validatorsFromHead(head);
  ProbeAnswer answer;
  if (head.status == 206 && range && !range->unsatisfied && range->first == asked.from &&
      range->completeLength) {
    answer.kind = ProbeAnswer::Kind::Ranged;
    answer.total = range->completeLength;
    if (known != nullptr) {
      const RemoteIdentity identity{answer.total, strongEtag(now), now.lastModified};
      answer.resumeHolds = checkSameRemote(*known, identity).ok();
    }
    if (asked.from > 0 && !answer.resumeHolds) {
      answer.kind = ProbeAnswer::Kind::AskAgain;  // the bytes from F belong to another file
    }
    return answer;
  }
  if (head.status == 200) {
    answer.kind = ProbeAnswer::Kind::Whole;
    if (head.framing == BodyFraming::Length) {
      answer.total = head.contentLength;
    }
    if (asked.from > 0) {
      // The server ignores Range, or the file changed on a server that
      // answers a range of a new version with all of it. Only the first may go
      // on with this body: a changed file may still have ranges, which a
      // fresh probe finds.
      const bool sizeDiffers =
          known == nullptr || (answer.total && known->totalSize != answer.total);
      if (sizeDiffers || changedSince(validatorsOf(*known), now)) {
        answer.kind = ProbeAnswer::Kind::AskAgain;
      }
    }
    return answer;
  }
  if (head.status == 416 && range && range->unsatisfied && range->completeLength) {
    if (asked.from == 0 && *range->completeLength == 0) {
      answer.kind = ProbeAnswer::Kind::Empty;  // "bytes=0-" cannot be satisfied
      answer.total = 0;
    } else if (asked.from > 0) {
      answer.kind = ProbeAnswer::Kind::AskAgain;  // the file shrank below F
    }
    return answer;
  }
  if (asked.from > 0 && head.status == 206) {
    answer.kind = ProbeAnswer::Kind::AskAgain;  // another range than asked for: start clean
  }
  return answer;
}

}  // namespace tributary::http
