#include <QtTest>

#include <string>

#include "engine/http/RequestWriter.h"

using namespace tributary::http;
namespace codec = tributary::codec;

namespace {

codec::Url url(std::string_view text) {
  codec::UrlParseError error;
  const std::optional<codec::Url> u = codec::parseUrl(text, error);
  if (!u) {
    qFatal("bad test url");
  }
  return *u;
}

std::string write(const codec::Url& u, const RequestOptions& options) {
  const tributary::Result<std::string> head = writeRequestHead(u, options);
  if (!head.ok()) {
    qFatal("writeRequestHead failed: %s", head.error().detail.c_str());
  }
  return head.value();
}

}  // namespace

class TstRequestWriter : public QObject {
  Q_OBJECT
 private slots:
  void minimalGet() {
    QCOMPARE(write(url("http://example.com/file.iso"), {}),
             std::string("GET /file.iso HTTP/1.1\r\n"
                         "Host: example.com\r\n"
                         "Accept: */*\r\n"
                         "Accept-Encoding: identity\r\n"
                         "Connection: keep-alive\r\n"
                         "\r\n"));
  }

  void everyOption() {
    RequestOptions options;
    options.method = RequestMethod::Head;
    options.range = ByteRange{100, 199};
    options.ifRange = "\"etag\"";
    options.userAgent = "Tributary/0.1";
    options.referer = "https://example.com/page";
    options.cookie = "a=b; c=d";
    options.keepAlive = false;
    options.extraFields = {{"Authorization", "Basic dTpw"}};
    QCOMPARE(write(url("https://Example.com:8443/a%20b?x=1&y=2#frag"), options),
             std::string("HEAD /a%20b?x=1&y=2 HTTP/1.1\r\n"
                         "Host: example.com:8443\r\n"
                         "User-Agent: Tributary/0.1\r\n"
                         "Accept: */*\r\n"
                         "Accept-Encoding: identity\r\n"
                         "Range: bytes=100-199\r\n"
                         "If-Range: \"etag\"\r\n"
                         "Referer: https://example.com/page\r\n"
                         "Cookie: a=b; c=d\r\n"
                         "Authorization: Basic dTpw\r\n"
                         "Connection: close\r\n"
                         "\r\n"));
  }

  void hostHeaderForms() {
    QVERIFY(write(url("https://h:443/"), {}).find("\r\nHost: h\r\n") != std::string::npos);
    QVERIFY(write(url("http://h:443/"), {}).find("\r\nHost: h:443\r\n") != std::string::npos);
    QVERIFY(write(url("http://[::1]:8080/"), {}).find("\r\nHost: [::1]:8080\r\n") !=
            std::string::npos);
    QVERIFY(write(url("http://[::1]/"), {}).find("\r\nHost: [::1]\r\n") != std::string::npos);
  }

  void openEndedRangeAndIfRangeOnlyWithRange() {
    RequestOptions options;
    options.range = ByteRange{5, std::nullopt};
    options.ifRange = "Tue, 15 Nov 1994 12:45:26 GMT";
    const std::string head = write(url("http://h/"), options);
    QVERIFY(head.find("\r\nRange: bytes=5-\r\n") != std::string::npos);
    QVERIFY(head.find("\r\nIf-Range: Tue, 15 Nov 1994 12:45:26 GMT\r\n") != std::string::npos);
    options.range.reset();
    QVERIFY(write(url("http://h/"), options).find("If-Range") == std::string::npos);
    options.range = ByteRange{7, 7};
    QVERIFY(write(url("http://h/"), options).find("\r\nRange: bytes=7-7\r\n") != std::string::npos);
  }

  void refusesInjection() {
    const codec::Url u = url("http://h/");
    auto refused = [&](const RequestOptions& o) {
      const auto r = writeRequestHead(u, o);
      return !r.ok() && r.error().code == tributary::ErrorCode::InvalidArgument;
    };
    RequestOptions o;
    o.userAgent = "x\r\nEvil: 1";
    QVERIFY(refused(o));
    o = {};
    o.cookie = std::string("a=b\0c", 5);
    QVERIFY(refused(o));
    o = {};
    o.referer = "http://r/\n";
    QVERIFY(refused(o));
    o = {};
    o.range = ByteRange{0, 1};
    o.ifRange = "\"a\"\r\n\r\nGET / HTTP/1.1";
    QVERIFY(refused(o));
    o = {};
    o.extraFields = {{"Bad Name", "v"}};
    QVERIFY(refused(o));
    o = {};
    o.extraFields = {{"X-Ok", "line\nbreak"}};
    QVERIFY(refused(o));
    o = {};
    o.extraFields = {{"", "v"}};
    QVERIFY(refused(o));
    o = {};
    o.range = ByteRange{10, 9};
    QVERIFY(refused(o));

    codec::Url handmade = u;
    handmade.path = "/a b";
    QVERIFY(!writeRequestHead(handmade, {}).ok());
    handmade = u;
    handmade.host = "h\r\nX: y";
    QVERIFY(!writeRequestHead(handmade, {}).ok());
    handmade = u;
    handmade.host.clear();
    QVERIFY(!writeRequestHead(handmade, {}).ok());
  }
};

QTEST_GUILESS_MAIN(TstRequestWriter)
#include "tst_request_writer.moc"
