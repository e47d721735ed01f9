#include "support/BadHttpServer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <list>
#include <optional>
#include <utility>

namespace tributary::test {
namespace {

using Clock = std::chrono::steady_clock;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxRequestHead = 64 * 1024;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 206:
      return "Partial Content";
    case 302:
      return "Found";
    case 404:
      return "Not Found";
    case 416:
      return "Range Not Satisfiable";
    default:
      return "Whatever";
  }
}

std::string head(int status, const Fields& fields) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  for (const auto& [name, value] : fields) {
    out += name + ": " + value + "\r\n";
  }
  return out + "\r\n";
}

// "bytes=a-b" or "bytes=a-" (one range only); nullopt for anything else, which
// a server may ignore and answer with the whole file.
std::optional<std::pair<std::uint64_t, std::optional<std::uint64_t>>> parseRange(
    const std::string& value) {
  if (value.rfind("bytes=", 0) != 0 || value.find(',') != std::string::npos) {
    return std::nullopt;
  }
  const std::string spec = value.substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string::npos || dash == 0) {
    return std::nullopt;
  }
  try {
    const std::uint64_t first = std::stoull(spec.substr(0, dash));
    if (dash + 1 == spec.size()) {
      return std::make_pair(first, std::optional<std::uint64_t>());
    }
    const std::uint64_t last = std::stoull(spec.substr(dash + 1));
    if (last < first) {
      return std::nullopt;
    }
    return std::make_pair(first, std::optional<std::uint64_t>(last));
  } catch (...) {
    return std::nullopt;
  }
}

// What a correct server would answer: status, fields and body.
struct Reply {
  int status = 200;
  Fields fields;
  std::string body;
};

Reply correctReply(const std::string& payload, const std::string& etag,
                   const std::string& contentType, const SeenRequest& request, bool honourIfRange,
                   bool rangesAllowed) {
  Reply reply;
  reply.fields.emplace_back("Content-Type", contentType);
  if (!etag.empty()) {
    reply.fields.emplace_back("ETag", etag);
  }
  auto range = rangesAllowed ? parseRange(request.range) : std::nullopt;
  if (range && honourIfRange && !request.ifRange.empty() && request.ifRange != etag) {
    range.reset();  // the validator does not match: the whole (current) file
  }
  if (rangesAllowed) {
    reply.fields.emplace_back("Accept-Ranges", "bytes");
  }
  const std::uint64_t size = payload.size();
  if (range && range->first >= size) {
    reply.status = 416;
    reply.fields.emplace_back("Content-Range", "bytes */" + std::to_string(size));
  } else if (range) {
    const std::uint64_t last = std::min(range->second.value_or(size - 1), size - 1);
    reply.status = 206;
    reply.fields.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                   std::to_string(last) + "/" +
                                                   std::to_string(size));
    reply.body = payload.substr(range->first, last - range->first + 1);
  } else {
    reply.body = payload;
  }
  return reply;
}

}  // namespace

struct BadHttpServer::Client {
  int fd = -1;
  std::string in;
  std::string out;
  std::size_t outPos = 0;
  std::chrono::milliseconds trickle{0};  // 0: send as fast as the socket takes it
  Clock::time_point nextSend;
  bool closeWhenFlushed = false;
  bool stalled = false;  // sends nothing more and reads nothing more, stays open
  bool gone = false;
};

BadHttpServer::BadHttpServer() = default;

BadHttpServer::~BadHttpServer() {
  stop();
}

std::string BadHttpServer::start() {
  if (thread_.joinable()) {
    return "already started";
  }
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) {
    return std::string("socket: ") + std::strerror(errno);
  }
  const int one = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 64) != 0 ||
      ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(listenFd_);
    listenFd_ = -1;
    return "bind/listen: " + why;
  }
  port_ = ntohs(addr.sin_port);
  if (::pipe2(wakeFds_, O_NONBLOCK | O_CLOEXEC) != 0) {
    ::close(listenFd_);
    listenFd_ = -1;
    return std::string("pipe: ") + std::strerror(errno);
  }
  thread_ = std::thread([this] { run(); });
  return {};
}

void BadHttpServer::stop() {
  if (thread_.joinable()) {
    const char byte = 'x';
    (void)!::write(wakeFds_[1], &byte, 1);
    thread_.join();
  }
  for (int* fd : {&listenFd_, &wakeFds_[0], &wakeFds_[1]}) {
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  }
}

void BadHttpServer::setRoute(const std::string& path, Route route) {
  std::lock_guard lock(mutex_);
  routes_[path] = RouteState{std::move(route), 0};
}

std::string BadHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int BadHttpServer::requestCount(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(path);
  return it == seen_.end() ? 0 : static_cast<int>(it->second.size());
}

std::vector<SeenRequest> BadHttpServer::requests(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(path);
  return it == seen_.end() ? std::vector<SeenRequest>() : it->second;
}

void BadHttpServer::run() {
  std::list<Client> clients;
  for (;;) {
    const Clock::time_point now = Clock::now();
    std::vector<pollfd> fds;
    fds.push_back({wakeFds_[0], POLLIN, 0});
    fds.push_back({listenFd_, POLLIN, 0});
    int timeoutMs = 200;
    for (Client& c : clients) {
      short events = POLLIN;
      if (c.outPos < c.out.size()) {
        if (c.trickle.count() == 0 || c.nextSend <= now) {
          events |= POLLOUT;
        } else {
          const auto wait =
              std::chrono::duration_cast<std::chrono::milliseconds>(c.nextSend - now).count();
          timeoutMs = std::min(timeoutMs, static_cast<int>(wait) + 1);
        }
      }
      fds.push_back({c.fd, events, 0});
    }
    if (::poll(fds.data(), fds.size(), timeoutMs) < 0 && errno != EINTR) {
      break;
    }
    if (fds[0].revents != 0) {
      break;
    }
    if (fds[1].revents & POLLIN) {
      for (;;) {
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          break;
        }
        clients.emplace_back().fd = fd;
      }
    }
    std::size_t index = 2;
    for (Client& c : clients) {
      if (index >= fds.size() || fds[index++].fd != c.fd) {
        continue;  // accepted during this round: polled next time
      }
      const short revents = fds[index - 1].revents;
      if (revents & (POLLIN | POLLHUP | POLLERR)) {
        char buffer[16 * 1024];
        const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
        if (n > 0 && !c.stalled && !c.closeWhenFlushed) {
          c.in.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          c.gone = true;
          continue;
        }
      }
      serveRequests(c);
      if (!c.gone && !flush(c, Clock::now())) {
        c.gone = true;
      }
    }
    for (auto it = clients.begin(); it != clients.end();) {
      if (it->gone) {
        ::close(it->fd);
        it = clients.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Client& c : clients) {
    ::close(c.fd);
  }
}

// Answers complete requests one at a time: the next only once the previous
// response left, as a simple keep-alive server does.
void BadHttpServer::serveRequests(Client& client) {
  while (!client.gone && !client.stalled && !client.closeWhenFlushed &&
         client.outPos >= client.out.size()) {
    const auto end = client.in.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (client.in.size() > kMaxRequestHead) {
        client.gone = true;
      }
      return;
    }
    const std::string text = client.in.substr(0, end + 2);
    client.in.erase(0, end + 4);
    SeenRequest request;
    std::size_t pos = text.find("\r\n");
    const std::string line = text.substr(0, pos);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) {
      client.gone = true;
      return;
    }
    request.method = line.substr(0, sp1);
    request.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos + 2 < text.size()) {
      const std::size_t next = text.find("\r\n", pos + 2);
      const std::string field = text.substr(pos + 2, next - pos - 2);
      pos = next;
      const auto colon = field.find(':');
      if (colon == std::string::npos) {
        continue;
      }
      const std::string name = lower(field.substr(0, colon));
      const std::string value = trim(field.substr(colon + 1));
      if (name == "range") {
        request.range = value;
      } else if (name == "if-range") {
        request.ifRange = value;
      }
    }
    respond(client, request);
  }
}

void BadHttpServer::respond(Client& client, const SeenRequest& request) {
  Route route;
  int served = 0;
  bool found = false;
  {
    std::lock_guard lock(mutex_);
    seen_[request.path].push_back(request);
    if (auto it = routes_.find(request.path); it != routes_.end()) {
      route = it->second.route;
      served = it->second.served++;
      found = true;
    }
  }
  client.out.clear();
  client.outPos = 0;
  if (!found) {
    client.out = head(404, {{"Content-Length", "0"}});
    return;
  }
  const bool head_only = request.method == "HEAD";
  std::string payload = route.payload;
  std::string etag = route.etag;
  if (route.behaviour == Behaviour::ChangeBetweenRequests && served > 0) {
    payload = route.newPayload;
    etag = route.newEtag;
  }
  // WrongLength answers 200: with a 206 the Content-Range alone gives the size away.
  const bool ranges = route.behaviour != Behaviour::IgnoreRange &&
                      route.behaviour != Behaviour::IgnoreRangeDropGrowing &&
                      route.behaviour != Behaviour::HtmlInsteadOfFile &&
                      route.behaviour != Behaviour::WrongLength;
  Reply reply =
      correctReply(payload, etag, route.contentType, request, route.honourIfRange, ranges);
  std::string body = reply.body;
  std::string length = std::to_string(body.size());
  switch (route.behaviour) {
    case Behaviour::Normal:
    case Behaviour::IgnoreRange:
    case Behaviour::ChangeBetweenRequests:
      break;
    case Behaviour::DropAfter:
      if (route.dropRequests < 0 || served < route.dropRequests) {
        body.resize(std::min<std::size_t>(body.size(), route.dropAfterBytes));
        client.closeWhenFlushed = true;
      }
      break;
    case Behaviour::IgnoreRangeDropGrowing:
      if (const std::uint64_t cut = route.dropAfterBytes * (static_cast<std::uint64_t>(served) + 1);
          cut < body.size()) {
        body.resize(static_cast<std::size_t>(cut));
        client.closeWhenFlushed = true;
      }
      break;
    case Behaviour::WrongLength:
      length = std::to_string(body.size() + route.extraLength);
      client.closeWhenFlushed = true;
      break;
    case Behaviour::ShortBody:
      if (reply.status == 206) {
        // At least a byte unless asked otherwise: progress, however slow.
        body.resize(route.emptyPartial ? 0 : (body.size() + 1) / 2);
        length = std::to_string(body.size());
      }
      break;
    case Behaviour::Redirect:
      client.out = head(302, {{"Location", route.location}, {"Content-Length", "0"}});
      return;
    case Behaviour::SlowHeaders:
      client.trickle = route.trickle;
      client.nextSend = Clock::now();
      break;
    case Behaviour::StallBody:
      body.resize(std::min<std::size_t>(body.size(), route.dropAfterBytes));
      client.stalled = true;
      break;
    case Behaviour::MalformedChunked: {
      const std::size_t first = std::min<std::size_t>(body.size(), 1000);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", first);
      Fields fields = {{"Content-Type", route.contentType}, {"Transfer-Encoding", "chunked"}};
      client.out = head(200, fields) + size + body.substr(0, first) + "\r\n" + "zz-not-hex\r\n" +
                   body.substr(first, 100) + "\r\n0\r\n\r\n";
      return;
    }
    case Behaviour::HugeHeader:
      reply.fields.emplace_back("X-Padding", std::string(route.hugeHeaderBytes, 'a'));
      break;
    case Behaviour::TwoContentLengths:
      reply.fields.emplace_back("Content-Length", std::to_string(body.size() + 10));
      client.closeWhenFlushed = true;
      break;
    case Behaviour::HtmlInsteadOfFile:
      reply.status = 200;
      reply.fields = {{"Content-Type", "text/html; charset=utf-8"}};
      body =
          "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
          "<form action=\"/login\"><input name=\"user\"></form></body></html>";
      length = std::to_string(body.size());
      break;
  }
  reply.fields.emplace_back("Content-Length", length);
  if (client.closeWhenFlushed) {
    reply.fields.emplace_back("Connection", "close");
  }
  client.out = head(reply.status, reply.fields) + (head_only ? std::string() : body);
}

bool BadHttpServer::flush(Client& client, Clock::time_point now) {
  while (client.outPos < client.out.size()) {
    std::size_t chunk = client.out.size() - client.outPos;
    if (client.trickle.count() > 0) {
      if (client.nextSend > now) {
        return true;
      }
      chunk = 1;
      client.nextSend = now + client.trickle;
    }
    const ssize_t n = ::send(client.fd, client.out.data() + client.outPos, chunk, MSG_NOSIGNAL);
    if (n < 0) {
      return errno == EAGAIN || errno == EINTR;
    }
    client.outPos += static_cast<std::size_t>(n);
  }
  client.out.clear();
  client.outPos = 0;
  client.trickle = std::chrono::milliseconds(0);
  return !client.closeWhenFlushed;
}

}  // namespace tributary::test
