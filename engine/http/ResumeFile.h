// Internal: what an HTTP task needs to continue after a pause, a crash or a
// restart, and its file. The file lives beside the download as
// NAME.part.tributary (resumePathFor); the session-state work may move it into
// a state folder later.
//
// It is text, one "key value" line each, values escaped (ResumeFile.cpp):
//
//   tributary-resume 1
//   url https://example.com/big.iso
//   name big.iso
//   total 734003200              ("unknown" when the server gave no length)
//   etag "5f3a-1b2c"             (only when there is a strong ETag)
//   last-modified Tue, 01 Aug 2023 10:00:00 GMT   (only when sent)
//   mirror https://mirror.example.org/big.iso     (one line per mirror)
//   done 0-1048576,2097152-3145728                (core/ByteRangesText.h)
//   crc32 1c291ca3               (CRC-32 of every byte before this line)
//
// The decoder treats the file as hostile: it may be truncated by a crash
// (the atomic save makes that unlikely, not impossible on every file system),
// damaged on disk, or edited. Any single damaged byte is caught by the CRC;
// limits bound what it allocates; and a done map that does not fit the total
// is refused. On any error the caller starts over (or rechecks the data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/core/ByteRanges.h"
#include "engine/core/ByteRangesText.h"
#include "engine/storage/FileIo.h"
#include "engine/storage/JobSubmitter.h"
#include "engine/storage/StateFileWriter.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::http {

inline constexpr std::string_view kResumeSuffix = ".tributary";
inline constexpr unsigned kResumeVersion = 1;

struct ResumeState {
  std::string url;
  std::string fileName;                    // the final name, without ".part"
  std::optional<std::uint64_t> totalSize;  // nullopt: the server gave no length
  std::string etag;                        // a strong ETag as sent, quotes included; "" = none
  std::string lastModified;                // the Last-Modified value as sent; "" = none
  core::ByteRanges done;                   // on disk (reported by the DiskWriter)
  std::vector<std::string> mirrors;

  friend bool operator==(const ResumeState&, const ResumeState&) = default;
};

enum class ResumeError : std::uint8_t {
  Ok = 0,
  TooLarge,            // the file is over ResumeLimits::maxFileBytes
  Truncated,           // no final newline, or no checksum line at the end
  BadChecksum,         // the CRC does not match: damaged
  BadHeader,           // not a Tributary resume file
  UnsupportedVersion,  // written by another version
  LineTooLong,         // a line over ResumeLimits::maxLineLength
  Syntax,              // not "key value"
  UnknownKey,
  DuplicateKey,
  MissingKey,  // url, name, total or done is absent
  BadEscape,   // a raw control byte, or a backslash not followed by n, r, t, \ or xHH
  BadValue,    // an empty url, name or mirror
  BadNumber,   // total is not a canonical decimal up to 2^63-1, nor "unknown"
  BadRanges,   // the done map is malformed or does not fit the total (see rangesError)
  TooManyMirrors,
};

std::string_view resumeErrorName(ResumeError code) noexcept;

struct ResumeDecodeError {
  ResumeError code = ResumeError::Ok;
  std::size_t line = 0;  // 1-based; 0 when it concerns the whole file
  core::RangesError rangesError = core::RangesError::Ok;  // with BadRanges
};

struct ResumeLimits {
  std::size_t maxFileBytes = std::size_t{4} << 20;
  std::size_t maxLineLength = std::size_t{16} << 10;  // every line but "done"
  std::size_t maxMirrors = 256;
  core::RangesLimits ranges;  // bounds the "done" line
};

// NAME.part -> NAME.part.tributary
std::string resumePathFor(std::string_view partPath);

// InvalidArgument when the state could not be read back under `limits`
// (so a file we write is always one we accept).
Result<std::string> encodeResume(const ResumeState& state, const ResumeLimits& limits = {});

std::optional<ResumeState> decodeResume(std::string_view text, ResumeDecodeError& error,
                                        const ResumeLimits& limits = {});
// The same, with an InvalidArgument Error naming the problem and its line.
Result<ResumeState> decodeResume(std::string_view text, const ResumeLimits& limits = {});

// What the server says about the file now.
struct RemoteIdentity {
  std::optional<std::uint64_t> totalSize;
  std::string etag;  // strong ETag, "" when none (a weak one must not be passed)
  std::string lastModified;
};

// Ok when the saved bytes may be combined with what the server sends now;
// RemoteChanged (with what differs) when the size, a strong ETag present in
// both, or a Last-Modified present in both differ. Without any validator on
// either side only the size can be compared.
Result<void> checkSameRemote(const ResumeState& saved, const RemoteIdentity& now);

using ResumeLoadCallback = util::UniqueFunction<void(Result<ResumeState>)>;

// Reads and decodes `path` on the worker pool (a 4 MiB file is no work for a
// loop); done on the loop. FileMissing when there is no file. done is dropped
// if `jobs` is destroyed before the pool took the job.
void loadResumeFile(storage::JobSubmitter& jobs, std::shared_ptr<storage::FileIo> io,
                    std::string path, ResumeLoadCallback done, const ResumeLimits& limits = {});

// Encodes on the loop and saves through `writer` (atomically, coalesced with
// other saves). An encoding error is returned at once; nothing is written and
// done is dropped.
Result<void> saveResumeFile(storage::StateFileWriter& writer, const ResumeState& state,
                            storage::StateFileWriter::DoneCallback done = nullptr,
                            const ResumeLimits& limits = {});

}  // namespace tributary::http
