// A deliberately misbehaving HTTP/1.1 server on 127.0.0.1 for the tests: one
// payload per path, each path with a Behaviour (drop mid-body, ignore Range,
// lie about the length, redirect in a loop, trickle its head, change the file
// between requests, break the chunked encoding, ...). Plain POSIX sockets and
// one thread running poll(), so it needs no event loop from the test and a
// stalled client cannot block the others. Keep-alive, "Range: bytes=a-b" and
// "bytes=a-", and If-Range (when the route asks for it) work as in a real
// server, so every misbehaviour is the only thing wrong with a response.
// Not a general-purpose server: whole responses are built in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tributary::test {

enum class Behaviour : std::uint8_t {
  Normal,
  DropAfter,               // close after `dropAfterBytes` of body (first `dropRequests` only)
  IgnoreRange,             // 200 with the full body whatever the Range
  WrongLength,             // 200, Content-Length `extraLength` larger than the body, then close
  ShortBody,               // 206 whose Content-Range promises more than Content-Length carries
  Redirect,                // 302 to `location` (two routes pointing at each other: a loop)
  SlowHeaders,             // the head trickled one byte per `trickle`, body never reached
  StallBody,               // head and `dropAfterBytes` of body, then silence, socket open
  ChangeBetweenRequests,   // after the first request: `newPayload` and `newEtag`
  MalformedChunked,        // chunked; a valid chunk, then a chunk-size line that is not hex
  HugeHeader,              // a header field of `hugeHeaderBytes`
  TwoContentLengths,       // two different Content-Length fields
  HtmlInsteadOfFile,       // 200 text/html login page, as a captive portal answers
  IgnoreRangeDropGrowing,  // 200 with the full body, closed after `dropAfterBytes` * (n + 1)
                           // bytes on the n-th request (from 0): each attempt gets further
};

struct Route {
  Behaviour behaviour = Behaviour::Normal;
  std::string payload;
  std::string etag;  // quoted, e.g. "\"v1\""; empty: no ETag field
  std::string contentType = "application/octet-stream";
  bool honourIfRange = true;  // false: a 206 whatever If-Range says
  // DropAfter / StallBody.
  std::uint64_t dropAfterBytes = 0;
  int dropRequests = -1;  // DropAfter on the first N requests to the path; -1: always
  // WrongLength.
  std::uint64_t extraLength = 1000;
  // ShortBody: a 206 with no body at all (Content-Length: 0), instead of half of it.
  bool emptyPartial = false;
  // Redirect.
  std::string location;
  // SlowHeaders.
  std::chrono::milliseconds trickle{100};
  // ChangeBetweenRequests.
  std::string newPayload;
  std::string newEtag;
  // HugeHeader.
  std::size_t hugeHeaderBytes = 1024 * 1024;
};

// One request as the server saw it, for assertions.
struct SeenRequest {
  std::string method;
  std::string path;
  std::string range;    // the Range field, empty if none
  std::string ifRange;  // the If-Range field, empty if none
};

class BadHttpServer {
 public:
  BadHttpServer();
  // Stops the thread and closes every socket, stalled ones included.
  ~BadHttpServer();
  BadHttpServer(const BadHttpServer&) = delete;
  BadHttpServer& operator=(const BadHttpServer&) = delete;

  // Binds 127.0.0.1 on a free port and starts serving. Returns an empty
  // string on success, otherwise what failed.
  std::string start();
  void stop();

  // Routes may be set before or after start().
  void setRoute(const std::string& path, Route route);

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT/path"

  int requestCount(const std::string& path) const;
  std::vector<SeenRequest> requests(const std::string& path) const;

 private:
  struct Client;
  struct RouteState {
    Route route;
    int served = 0;
  };

  void run();
  void serveRequests(Client& client);
  void respond(Client& client, const SeenRequest& request);
  static bool flush(Client& client, std::chrono::steady_clock::time_point now);

  int listenFd_ = -1;
  int wakeFds_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;  // guards the maps below
  std::map<std::string, RouteState> routes_;
  std::map<std::string, std::vector<SeenRequest>> seen_;
};

}  // namespace tributary::test
