#include "engine/storage/FileHasher.h"

#include <algorithm>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "engine/util/Sha.h"

namespace tributary::storage {
namespace {

template <class Hasher>
Result<std::string> hashWith(File& file, std::uint64_t offset, std::uint64_t length) {
  Hasher hasher;
  std::vector<std::byte> buffer(
      static_cast<std::size_t>(std::min<std::uint64_t>(length, kHashChunkSize)));
  for (std::uint64_t done = 0; done < length;) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(length - done, buffer.size()));
    auto got = file.readAt(offset + done, std::span(buffer).first(want));
    if (!got) {
      return got.error();
    }
    if (got.value() == 0) {
      // readAt is short only at the end of the file: the range is past it.
      return Error{ErrorCode::IoError, "file ends at " + std::to_string(offset + done) +
                                           ", before the hashed range does"};
    }
    hasher.update(std::span<const std::byte>(buffer).first(got.value()));
    done += got.value();
  }
  const auto digest = hasher.finish();
  return util::toHex(digest);
}

}  // namespace

Result<std::string> hashFileRangeNow(File& file, std::uint64_t offset, std::uint64_t length,
                                     Checksum::Algorithm algorithm) {
  if (length > std::numeric_limits<std::uint64_t>::max() - offset) {
    return Error{ErrorCode::InvalidArgument, "hash range overflows"};
  }
  switch (algorithm) {
    case Checksum::Algorithm::Sha1:
      return hashWith<util::Sha1>(file, offset, length);
    case Checksum::Algorithm::Sha256:
      return hashWith<util::Sha256>(file, offset, length);
  }
  return Error{ErrorCode::InvalidArgument, "unknown checksum algorithm"};
}

void hashFileRange(JobSubmitter& jobs, std::shared_ptr<File> file, std::uint64_t offset,
                   std::uint64_t length, Checksum::Algorithm algorithm, HashCallback done) {
  jobs.submit(
      [file = std::move(file), offset, length, algorithm]() -> Result<std::string> {
        return hashFileRangeNow(*file, offset, length, algorithm);
      },
      [done = std::move(done)](Result<std::string> result) mutable { done(std::move(result)); });
}

}  // namespace tributary::storage
