// Internal: the file an HTTP task downloads into. While incomplete it is
// FOLDER/NAME.part; finish() renames it to FOLDER/NAME, or to "NAME (1).ext"
// and so on when that name is taken: a file that is not ours is never
// overwritten. (The resume state lives beside it, see http/ResumeFile.h.)
//
// Every blocking call (folders, open, preallocation, rename, unlink) runs on
// the worker pool, one operation at a time and in call order; the result comes
// back on the loop. Construct, use and destroy it on the loop thread. A done
// callback may destroy the PartFile; destroying it drops the callbacks of
// operations not finished yet (an operation already running still completes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/FileIo.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::storage {

class PartFile {
 public:
  static constexpr std::string_view kPartSuffix = ".part";
  // Names tried by finish() before it gives up: "NAME (1).ext" ... "NAME (999).ext".
  static constexpr unsigned kMaxCollisions = 999;

  enum class Mode : std::uint8_t {
    Resume,   // keep what NAME.part holds (created if missing)
    Restart,  // empty NAME.part first (the remote file changed, or no resume state)
  };

  struct Opened {
    std::shared_ptr<File> file;
    bool existed = false;          // NAME.part was there before
    std::uint64_t sizeOnDisk = 0;  // its size before it was resized
  };

  using OpenCallback = util::UniqueFunction<void(Result<Opened>)>;
  using FinishCallback = util::UniqueFunction<void(Result<std::string>)>;  // the final path
  using DoneCallback = util::UniqueFunction<void(Result<void>)>;

  // `fileName` must be a plain name (no '/', not "." or ".."): the HTTP side
  // sanitises what the server suggests before it gets here.
  PartFile(loop::EventLoop& loop, loop::WorkerPool& pool, std::shared_ptr<FileIo> io,
           std::string folder, std::string fileName);
  ~PartFile();
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  // Creates the missing folders, opens NAME.part and, when the size is known,
  // sets it and reserves the blocks (File::resize with allocate), so a full
  // disk is reported now rather than in the middle of the download.
  void open(Mode mode, std::optional<std::uint64_t> totalSize, OpenCallback done);

  // Drops this object's handle to the file (a DiskWriter keeps its own).
  void close();

  // Renames NAME.part to the first free name of NAME, "NAME (1).ext", ...
  // Flush (and, to make the content durable first, sync) the DiskWriter before.
  // The check for a free name and the rename are two steps: a file created
  // in between by another program would be replaced (FileIo has no
  // no-replace rename).
  void finish(FinishCallback done);

  // Deletes NAME.part, the finished file if finish() renamed it, and the
  // `alsoRemove` paths (the resume file). Missing files are not an error.
  void removeFiles(std::vector<std::string> alsoRemove, DoneCallback done);

  const std::string& folder() const;
  const std::string& fileName() const;
  std::string partPath() const;
  // partPath() until finish() succeeded, then the final path.
  std::string contentPath() const;
  bool finished() const;
  // The open file, or nullptr before open() succeeded and after close().
  std::shared_ptr<File> file() const;

 private:
  class State;
  std::shared_ptr<State> state_;
};

// FOLDER/NAME, with one separator.
std::string joinPath(const std::string& folder, std::string_view name);

}  // namespace tributary::storage
