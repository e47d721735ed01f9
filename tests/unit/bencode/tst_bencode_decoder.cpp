#include <QtTest>

#include <string>

#include "engine/codec/Bencode.h"

using namespace tributary::codec;

Q_DECLARE_METATYPE(tributary::codec::BencodeError)

namespace {

std::string bytes(const QByteArray& data) {
  return std::string(data.constData(), data.size());
}

}  // namespace

class TstBencodeDecoder : public QObject {
  Q_OBJECT
 private slots:
  void decodesScalars() {
    BencodeParseError error;
    auto doc = decodeBencode("i42e", error);
    QVERIFY(doc);
    QCOMPARE(doc->root().asInteger().value_or(0), std::int64_t{42});
    QVERIFY(!doc->root().asString());

    doc = decodeBencode("i-17e", error);
    QVERIFY(doc);
    QCOMPARE(doc->root().asInteger().value_or(0), std::int64_t{-17});

    doc = decodeBencode("i0e", error);
    QVERIFY(doc);
    QCOMPARE(doc->root().asInteger().value_or(1), std::int64_t{0});

    doc = decodeBencode("4:spam", error);
    QVERIFY(doc);
    QCOMPARE(doc->root().asString().value_or(""), std::string_view("spam"));
    QVERIFY(!doc->root().asInteger());

    doc = decodeBencode("0:", error);
    QVERIFY(doc);
    QVERIFY(doc->root().isString());
    QVERIFY(doc->root().asString()->empty());
  }

  void decodesIntegerExtremes() {
    BencodeParseError error;
    auto doc = decodeBencode("i9223372036854775807e", error);
    QVERIFY(doc);
    QCOMPARE(*doc->root().asInteger(), std::numeric_limits<std::int64_t>::max());
    doc = decodeBencode("i-9223372036854775808e", error);
    QVERIFY(doc);
    QCOMPARE(*doc->root().asInteger(), std::numeric_limits<std::int64_t>::min());
  }

  void stringsPointIntoTheInput() {
    const std::string input = "d3:bar4:spam3:fooi42ee";
    BencodeParseError error;
    auto doc = decodeBencode(input, error);
    QVERIFY(doc);
    const std::string_view spam = *doc->root().findString("bar");
    QCOMPARE(spam, std::string_view("spam"));
    QVERIFY(spam.data() >= input.data() && spam.data() < input.data() + input.size());
    QCOMPARE(std::size_t(spam.data() - input.data()), std::size_t{8});
  }

  void keepsExactSpans() {
    const std::string input = "d4:infod6:lengthi5e4:name1:xe3:zzzle1:ai1ee";
    BencodeParseError error;
    auto doc = decodeBencode(input, error, {});
    QVERIFY2(doc, error.message().c_str());
    const BencodeValue info = doc->root().find("info");
    QVERIFY(info.isDict());
    QCOMPARE(info.raw(), std::string_view("d6:lengthi5e4:name1:xe"));
    QCOMPARE(info.offset(), std::size_t{7});
    QCOMPARE(doc->root().raw(), std::string_view(input));
    const BencodeValue list = doc->root().find("zzz");
    QCOMPARE(list.raw(), std::string_view("le"));
    QCOMPARE(list.offset(), std::size_t{34});
    QCOMPARE(doc->root().find("a").raw(), std::string_view("i1e"));
  }

  void walksListsAndDicts() {
    BencodeParseError error;
    auto doc = decodeBencode("l4:spami7eld1:ai1eeee", error);
    QVERIFY(doc);
    const BencodeValue root = doc->root();
    QCOMPARE(root.size(), std::size_t{3});
    QCOMPARE(root.item(0).asString().value_or(""), std::string_view("spam"));
    QCOMPARE(root.item(1).asInteger().value_or(0), std::int64_t{7});
    QVERIFY(root.item(2).isList());
    QCOMPARE(root.item(2).item(0).findInteger("a").value_or(0), std::int64_t{1});
    QVERIFY(!root.item(3));  // past the end: None
    int count = 0;
    for (const BencodeValue item : root.items()) {
      QVERIFY(item);
      ++count;
    }
    QCOMPARE(count, 3);

    doc = decodeBencode("d1:ai1e1:bl1:xe1:cd1:di2eee", error);
    QVERIFY(doc);
    std::string keys;
    for (const BencodeEntry& entry : doc->root().entries()) {
      keys += entry.key;
    }
    QCOMPARE(keys, std::string("abc"));
    QVERIFY(doc->root().findList("b"));
    QVERIFY(!doc->root().findList("a"));  // typed lookups refuse the wrong type
    QVERIFY(!doc->root().findDict("b"));
    QVERIFY(!doc->root().findString("a"));
    QCOMPARE(doc->root().findDict("c").findInteger("d").value_or(0), std::int64_t{2});
    QVERIFY(!doc->root().find("missing"));
    QVERIFY(!doc->root().item(0));  // item() on a dict: None
    QVERIFY(!BencodeValue().find("a"));
    QCOMPARE(BencodeValue().size(), std::size_t{0});
    QVERIFY(BencodeValue().raw().empty());
  }

  void emptyContainers() {
    BencodeParseError error;
    auto doc = decodeBencode("de", error);
    QVERIFY(doc);
    QVERIFY(doc->root().isDict());
    QCOMPARE(doc->root().size(), std::size_t{0});
    QVERIFY(doc->root().entries().begin() == doc->root().entries().end());
    doc = decodeBencode("lleldeee", error);
    QVERIFY(doc);
    QCOMPARE(doc->root().size(), std::size_t{2});
  }

  void rejects_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<BencodeError>("code");
    QTest::addColumn<int>("offset");
    // clang-format off
    QTest::newRow("empty input") << QByteArray("") << BencodeError::UnexpectedEnd << 0;
    QTest::newRow("leading zero int") << QByteArray("i03e") << BencodeError::LeadingZero << 1;
    QTest::newRow("leading zero neg int") << QByteArray("i-03e") << BencodeError::LeadingZero << 2;
    QTest::newRow("double zero") << QByteArray("i00e") << BencodeError::LeadingZero << 1;
    QTest::newRow("negative zero") << QByteArray("i-0e") << BencodeError::NegativeZero << 0;
    QTest::newRow("i-e") << QByteArray("i-e") << BencodeError::EmptyInteger << 0;
    QTest::newRow("ie") << QByteArray("ie") << BencodeError::EmptyInteger << 0;
    QTest::newRow("plus sign") << QByteArray("i+1e") << BencodeError::UnexpectedByte << 1;
    QTest::newRow("double minus") << QByteArray("i--1e") << BencodeError::UnexpectedByte << 2;
    QTest::newRow("letter in int") << QByteArray("i12x4e") << BencodeError::UnexpectedByte << 3;
    QTest::newRow("unterminated int") << QByteArray("i12") << BencodeError::UnexpectedEnd << 3;
    QTest::newRow("lone i") << QByteArray("i") << BencodeError::UnexpectedEnd << 1;
    QTest::newRow("overflow") << QByteArray("i9223372036854775808e") << BencodeError::IntegerOverflow << 0;
    QTest::newRow("underflow") << QByteArray("i-9223372036854775809e") << BencodeError::IntegerOverflow << 0;
    QTest::newRow("huge int") << QByteArray("l0:i99999999999999999999999ee") << BencodeError::IntegerOverflow << 3;
    QTest::newRow("string past end") << QByteArray("5:abcd") << BencodeError::StringTooLong << 0;
    QTest::newRow("huge string length") << QByteArray("l99999999999999999999999:xe") << BencodeError::StringTooLong << 1;
    QTest::newRow("string leading zero") << QByteArray("03:abc") << BencodeError::LeadingZero << 0;
    QTest::newRow("string no colon") << QByteArray("3abc") << BencodeError::UnexpectedByte << 1;
    QTest::newRow("string length only") << QByteArray("1") << BencodeError::UnexpectedEnd << 1;
    QTest::newRow("length past input") << QByteArray("12") << BencodeError::StringTooLong << 0;
    QTest::newRow("negative string length") << QByteArray("-3:abc") << BencodeError::UnexpectedByte << 0;
    QTest::newRow("trailing data") << QByteArray("i1ei2e") << BencodeError::TrailingData << 3;
    QTest::newRow("trailing byte after dict") << QByteArray("dex") << BencodeError::TrailingData << 2;
    QTest::newRow("stray e") << QByteArray("e") << BencodeError::UnexpectedByte << 0;
    QTest::newRow("bad start") << QByteArray("x") << BencodeError::UnexpectedByte << 0;
    QTest::newRow("unterminated list") << QByteArray("li1e") << BencodeError::UnexpectedEnd << 4;
    QTest::newRow("unterminated dict") << QByteArray("d1:ai1e") << BencodeError::UnexpectedEnd << 7;
    QTest::newRow("integer key") << QByteArray("di1ei2ee") << BencodeError::NonStringKey << 1;
    QTest::newRow("list key") << QByteArray("d1:ai1elei2ee") << BencodeError::NonStringKey << 7;
    QTest::newRow("dict key") << QByteArray("ddei1ee") << BencodeError::NonStringKey << 1;
    QTest::newRow("key without value") << QByteArray("d1:ai1e1:be") << BencodeError::MissingValue << 10;
    QTest::newRow("duplicate key") << QByteArray("d1:ai1e1:ai2ee") << BencodeError::DuplicateKey << 7;
    QTest::newRow("duplicate key unsorted") << QByteArray("d1:bi1e1:ai2e1:bi3ee") << BencodeError::DuplicateKey << 13;
    QTest::newRow("duplicate nested") << QByteArray("d1:ad1:xi1e1:xi1eee") << BencodeError::DuplicateKey << 11;
    QTest::newRow("value garbage") << QByteArray("d1:a!e") << BencodeError::UnexpectedByte << 4;
    // clang-format on
  }
  void rejects() {
    QFETCH(QByteArray, input);
    QFETCH(BencodeError, code);
    QFETCH(int, offset);
    BencodeParseError error;
    const std::string text = bytes(input);
    QVERIFY(!decodeBencode(text, error));
    QCOMPARE(bencodeErrorName(error.code), bencodeErrorName(code));
    QCOMPARE(error.offset, std::size_t(offset));
    QVERIFY(error.message().find("at offset " + std::to_string(offset)) != std::string::npos);
  }

  void unsortedKeysAreFlaggedOrRejected() {
    const std::string input = "d1:bi1e1:ai2ee";
    BencodeParseError error;
    auto doc = decodeBencode(input, error);
    QVERIFY(doc);  // tolerated by default
    QVERIFY(!doc->root().keysSorted());
    QCOMPARE(doc->root().firstUnsortedDict().offset(), std::size_t{0});
    QCOMPARE(doc->root().findInteger("a").value_or(0), std::int64_t{2});

    BencodeLimits strict;
    strict.rejectUnsortedKeys = true;
    QVERIFY(!decodeBencode(input, error, strict));
    QCOMPARE(error.code, BencodeError::UnsortedKeys);
    QCOMPARE(error.offset, std::size_t{7});

    // Raw-byte order: 0xFF sorts after 'z' (a signed-char comparison would disagree).
    const std::string high = "d1:zi1e1:\xFFi2ee";
    QVERIFY(decodeBencode(high, error, strict));
    QVERIFY(!decodeBencode("d1:\xFFi2e1:zi1ee", error, strict));
    // A longer key with the same prefix sorts after the shorter one.
    QVERIFY(decodeBencode("d1:ai1e2:aai2ee", error, strict));
    QVERIFY(!decodeBencode("d2:aai1e1:ai2ee", error, strict));
  }

  void findsUnsortedNestedDict() {
    const std::string input = "d4:infod1:ad1:yi1e1:xi2eeee";
    BencodeParseError error;
    auto doc = decodeBencode(input, error);
    QVERIFY(doc);
    QVERIFY(doc->root().keysSorted());
    const BencodeValue bad = doc->root().find("info").firstUnsortedDict();
    QVERIFY(bad.isDict());
    QCOMPARE(bad.offset(), std::size_t{11});
    QVERIFY(!doc->root().find("info").find("a").keysSorted());

    auto sorted = decodeBencode("d4:infod1:ad1:xi1e1:yi2eeee", error);
    QVERIFY(sorted);
    QVERIFY(!sorted->root().firstUnsortedDict());
  }

  void depthLimit() {
    BencodeParseError error;
    const std::string ok = std::string(100, 'l') + std::string(100, 'e');
    QVERIFY2(decodeBencode(ok, error), error.message().c_str());
    const std::string deep = std::string(101, 'l') + std::string(101, 'e');
    QVERIFY(!decodeBencode(deep, error));
    QCOMPARE(error.code, BencodeError::DepthExceeded);
    QCOMPARE(error.offset, std::size_t{100});

    // A hostile nesting far past the limit fails fast, without recursion.
    const std::string hostile(10'000'000, 'l');
    QVERIFY(!decodeBencode(hostile, error));
    QCOMPARE(error.code, BencodeError::DepthExceeded);

    BencodeLimits shallow;
    shallow.maxDepth = 2;
    QVERIFY(decodeBencode("llee", error, shallow));
    QVERIFY(!decodeBencode("llleee", error, shallow));
  }

  void tokenLimit() {
    std::string list = "l";
    for (int i = 0; i < 1000; ++i) {
      list += "i1e";
    }
    list += "e";
    BencodeParseError error;
    BencodeLimits limits;
    limits.maxTokens = 1001;
    auto doc = decodeBencode(list, error, limits);
    QVERIFY(doc);
    QCOMPARE(doc->tokenCount(), std::size_t{1001});
    limits.maxTokens = 1000;
    QVERIFY(!decodeBencode(list, error, limits));
    QCOMPARE(error.code, BencodeError::TokenLimitExceeded);
    QCOMPARE(error.offset, std::size_t{1 + 999 * 3});

    // The default: 2,000,000 tokens.
    std::string many = "l";
    for (int i = 0; i < 2'000'000; ++i) {
      many += "0:";
    }
    many += "e";
    QVERIFY(!decodeBencode(many, error));
    QCOMPARE(error.code, BencodeError::TokenLimitExceeded);
    many.erase(many.size() - 3, 2);
    QVERIFY2(decodeBencode(many, error), error.message().c_str());
  }

  void trailingDataWhenAllowed() {
    BencodeLimits limits;
    limits.allowTrailingData = true;
    const std::string input = "d8:msg_typei1e5:piecei0eeRAWBYTES";
    BencodeParseError error;
    auto doc = decodeBencode(input, error, limits);
    QVERIFY(doc);
    QCOMPARE(doc->root().raw().size(), std::size_t{25});
    QCOMPARE(input.substr(doc->root().raw().size()), std::string("RAWBYTES"));
  }

  void ownedDecodeOutlivesTheCallersBuffer() {
    BencodeParseError error;
    std::optional<BencodeDocument> doc;
    {
      std::string temporary = "d4:name5:hello3:numi12ee";
      doc = decodeBencodeOwned(std::move(temporary), error);
      temporary.assign(100, 'x');
    }
    QVERIFY(doc);
    // Moving the document keeps handles valid (tokens and buffer stay put).
    const BencodeValue name = doc->root().find("name");
    BencodeDocument moved = std::move(*doc);
    QCOMPARE(name.asString().value_or(""), std::string_view("hello"));
    QCOMPARE(moved.root().findInteger("num").value_or(0), std::int64_t{12});
    QVERIFY(!decodeBencodeOwned("i01e", error));
    QCOMPARE(error.code, BencodeError::LeadingZero);
  }

  void resultOverloadCarriesTheMessage() {
    auto bad = decodeBencode(std::string_view("d1:ai1e1:ai2ee"), BencodeLimits{});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, tributary::ErrorCode::ProtocolError);
    QCOMPARE(bad.error().detail, std::string("bencode: duplicate dictionary key at offset 7"));
    auto good = decodeBencode(std::string_view("le"), BencodeLimits{});
    QVERIFY(good.ok());
    QVERIFY(good.value().root().isList());
  }

  void everyErrorHasANameAndText() {
    for (int i = 0; i <= static_cast<int>(BencodeError::InputTooLarge); ++i) {
      const auto code = static_cast<BencodeError>(i);
      QVERIFY(bencodeErrorName(code) != "unknown");
      QVERIFY((BencodeParseError{code, 0}).message().find("unknown") == std::string::npos);
    }
  }
};

QTEST_GUILESS_MAIN(TstBencodeDecoder)
#include "tst_bencode_decoder.moc"
