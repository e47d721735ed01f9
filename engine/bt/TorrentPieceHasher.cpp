// SHA-1 of every piece of new content. Hashing is the cost of `create` (reads
// from the page cache are several times faster than SHA-1), so the torrent's
// byte stream is cut into runs of whole pieces (about 4 MiB) that threads take
// in turn, each reading its run in large chunks and writing the digests into
// its own slots of the result: no locks on the way, and memory stays at one
// chunk a thread whatever the piece size.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "engine/bt/TorrentCreator.h"
#include "engine/storage/FileIo.h"
#include "engine/util/Sha.h"

namespace tributary::bt {
namespace {

constexpr std::uint64_t kRunBytes = 4 << 20;
constexpr std::size_t kChunkBytes = 4 << 20;
constexpr unsigned kMaxThreads = 8;
constexpr std::size_t kDigestSize = util::Sha1::kDigestSize;

Error changed(const CreatorFile& file) {
  return Error{ErrorCode::IoError, file.source.string() + " changed while it was being hashed"};
}

struct HashJob {
  HashJob(const CreatorContent& files, std::uint64_t pieceLength, std::string& out)
      : content(files),
        pieceSize(pieceLength),
        piecesPerRun(std::max<std::uint64_t>(1, kRunBytes / pieceLength)),
        pieceCount((files.totalBytes + pieceLength - 1) / pieceLength),
        runCount((pieceCount + piecesPerRun - 1) / piecesPerRun),
        hashes(out) {
    std::uint64_t start = 0;
    for (const auto& file : files.files) {
      fileStart.push_back(start);
      start += file.size;
    }
    hashes.resize(pieceCount * kDigestSize);
  }

  const CreatorContent& content;
  const std::uint64_t pieceSize;
  const std::uint64_t piecesPerRun;
  const std::uint64_t pieceCount;
  const std::uint64_t runCount;
  std::vector<std::uint64_t> fileStart;  // of each file in the byte stream
  std::string& hashes;  // pieceCount * 20 bytes, each thread writes its own pieces'
  std::shared_ptr<storage::FileIo> io = storage::systemFileIo();

  std::atomic<std::uint64_t> nextRun{0};
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::optional<Error> error;  // the first one, guarded by mutex

  void fail(Error why) {
    std::lock_guard lock(mutex);
    if (!error) {
      error = std::move(why);
    }
    stop.store(true);
  }
};

// One thread's share: a chunk buffer, a hasher and the file it read last.
class RunHasher {
 public:
  explicit RunHasher(HashJob& job) : job_(job), buffer_(kChunkBytes) {}

  // Takes runs until none is left or the job stops; `afterChunk` is called
  // after each chunk and returns false to stop.
  template <class AfterChunk>
  void work(AfterChunk&& afterChunk) {
    while (!job_.stop.load(std::memory_order_relaxed)) {
      const std::uint64_t run = job_.nextRun.fetch_add(1);
      if (run >= job_.runCount) {
        return;
      }
      if (auto hashed = hashRun(run, afterChunk); !hashed) {
        job_.fail(hashed.error());
        return;
      }
    }
  }

 private:
  template <class AfterChunk>
  Result<void> hashRun(std::uint64_t run, AfterChunk& afterChunk) {
    const std::uint64_t total = job_.content.totalBytes;
    std::uint64_t piece = run * job_.piecesPerRun;
    const std::uint64_t begin = piece * job_.pieceSize;
    const std::uint64_t end = std::min(total, (piece + job_.piecesPerRun) * job_.pieceSize);
    std::uint64_t inPiece = 0;
    for (std::uint64_t at = begin; at < end;) {
      const std::size_t length =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), end - at));
      if (auto read = readStream(at, std::span(buffer_.data(), length)); !read) {
        return read;
      }
      std::span<const std::byte> data(buffer_.data(), length);
      while (!data.empty()) {
        const auto take = static_cast<std::size_t>(
            std::min<std::uint64_t>(data.size(), job_.pieceSize - inPiece));
        sha_.update(data.first(take));
        data = data.subspan(take);
        inPiece += take;
        if (inPiece == job_.pieceSize || (at + length == total && data.empty())) {
          const auto digest = sha_.finish();
          std::memcpy(job_.hashes.data() + piece * kDigestSize, digest.data(), kDigestSize);
          ++piece;
          inPiece = 0;
        }
      }
      at += length;
      job_.done.fetch_add(length, std::memory_order_relaxed);
      if (!afterChunk()) {
        job_.stop.store(true);
        return {};
      }
      if (job_.stop.load(std::memory_order_relaxed)) {
        return {};
      }
    }
    return {};
  }

  // Fills `out` from the byte stream at `offset`, across file boundaries.
  Result<void> readStream(std::uint64_t offset, std::span<std::byte> out) {
    const auto& starts = job_.fileStart;
    // The last file starting at or before `offset`; zero-length ones are skipped below.
    auto index = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                          starts.begin() - 1);
    while (!out.empty()) {
      const CreatorFile& file = job_.content.files[index];
      const std::uint64_t inFile = offset - starts[index];
      if (inFile >= file.size) {
        ++index;
        continue;
      }
      const auto length =
          static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), file.size - inFile));
      if (auto opened = open(index); !opened) {
        return opened;
      }
      auto read = file_->readAt(inFile, out.first(length));
      if (!read) {
        return read.error();
      }
      if (read.value() != length) {
        return changed(file);
      }
      out = out.subspan(length);
      offset += length;
    }
    return {};
  }

  Result<void> open(std::size_t index) {
    if (file_ && fileIndex_ == index) {
      return {};
    }
    file_.reset();
    auto opened =
        job_.io->open(job_.content.files[index].source.string(), storage::FileIo::OpenMode::Read);
    if (!opened) {
      return opened.error();
    }
    file_ = std::move(opened).value();
    fileIndex_ = index;
    return {};
  }

  HashJob& job_;
  std::vector<std::byte> buffer_;
  util::Sha1 sha_;
  std::unique_ptr<storage::File> file_;
  std::size_t fileIndex_ = 0;
};

unsigned threadCount(unsigned wanted, std::uint64_t runs) {
  if (wanted == 0) {
    wanted = std::max(1u, std::thread::hardware_concurrency());
  }
  wanted = std::min(wanted, kMaxThreads);
  return static_cast<unsigned>(std::min<std::uint64_t>(wanted, std::max<std::uint64_t>(runs, 1)));
}

// A file that grew keeps its old length in the torrent, so its new tail would
// be missing: caught here, since reads stop at the scanned size.
Result<void> checkSizes(const CreatorContent& content) {
  for (const auto& file : content.files) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file.source, ec);
    if (ec || size != file.size) {
      return changed(file);
    }
  }
  return {};
}

}  // namespace

Result<std::string> hashContent(const CreatorContent& content, std::uint64_t pieceSize,
                                unsigned threads, const CreateTorrentProgress& progress) {
  if (pieceSize == 0 || content.totalBytes == 0) {
    return Error{ErrorCode::InvalidArgument, "nothing to hash"};
  }
  std::string hashes;
  HashJob job(content, pieceSize, hashes);

  std::vector<std::thread> helpers;
  const unsigned count = threadCount(threads, job.runCount);
  for (unsigned i = 1; i < count; ++i) {
    try {
      helpers.emplace_back([&job] { RunHasher(job).work([] { return true; }); });
    } catch (const std::system_error&) {
      break;  // fewer threads is slower, not wrong
    }
  }
  // This thread hashes too, and is the one that reports progress.
  RunHasher(job).work([&] {
    return !progress || progress(job.done.load(std::memory_order_relaxed), content.totalBytes);
  });
  for (auto& helper : helpers) {
    helper.join();
  }
  if (job.error) {
    return *std::move(job.error);
  }
  if (job.stop.load()) {
    return Error{ErrorCode::ShuttingDown, "cancelled"};
  }
  if (auto same = checkSizes(content); !same) {
    return same.error();
  }
  if (progress && !progress(content.totalBytes, content.totalBytes)) {
    return Error{ErrorCode::ShuttingDown, "cancelled"};
  }
  return hashes;
}

}  // namespace tributary::bt
