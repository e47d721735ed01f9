#include "engine/http/ParseError.h"

namespace tributary::http {

std::string_view parseErrorName(ParseError error) noexcept {
  switch (error) {
    case ParseError::None:
      return "none";
    case ParseError::HeadTooLarge:
      return "head_too_large";
    case ParseError::TooManyHeaders:
      return "too_many_headers";
    case ParseError::LineTooLong:
      return "line_too_long";
    case ParseError::BadStatusLine:
      return "bad_status_line";
    case ParseError::BadVersion:
      return "bad_version";
    case ParseError::BadStatus:
      return "bad_status";
    case ParseError::UnexpectedUpgrade:
      return "unexpected_upgrade";
    case ParseError::TooManyInterimResponses:
      return "too_many_interim_responses";
    case ParseError::BadHeaderName:
      return "bad_header_name";
    case ParseError::BadHeaderValue:
      return "bad_header_value";
    case ParseError::ObsoleteLineFolding:
      return "obsolete_line_folding";
    case ParseError::BadContentLength:
      return "bad_content_length";
    case ParseError::ConflictingContentLength:
      return "conflicting_content_length";
    case ParseError::UnsupportedTransferEncoding:
      return "unsupported_transfer_encoding";
    case ParseError::BadChunkSize:
      return "bad_chunk_size";
    case ParseError::ChunkSizeOverflow:
      return "chunk_size_overflow";
    case ParseError::BadChunkExtension:
      return "bad_chunk_extension";
    case ParseError::BadChunkTerminator:
      return "bad_chunk_terminator";
    case ParseError::TrailerTooLarge:
      return "trailer_too_large";
    case ParseError::UnexpectedEof:
      return "unexpected_eof";
  }
  return "unknown";
}

}  // namespace tributary::http
