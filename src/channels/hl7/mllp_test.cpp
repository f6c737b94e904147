#include "channels/hl7/mllp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kaiku::channels::hl7 {
namespace {

struct Collected {
  std::vector<std::string> frames;
  std::vector<Error> errors;
};

void collect(std::vector<Result<std::string>> results, Collected& c) {
  for (auto& r : results) {
    if (r) c.frames.push_back(*r);
    else c.errors.push_back(r.error());
  }
}

const std::string kMsg1 = "MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|2.5\rPID|1\r";
const std::string kMsg2 = "MSH|^~\\&|A|B|C|D|2026||ADT^A03|2|P|2.5\rPID|2\r";

TEST(Mllp, FrameWrapsPayload) {
  EXPECT_EQ(frame("abc"), std::string("\x0B" "abc" "\x1C\x0D"));
  EXPECT_EQ(frame(""), std::string("\x0B\x1C\x0D"));
}

TEST(Mllp, WholeFrameInOneChunk) {
  MllpDecoder d;
  Collected c;
  collect(d.feed(frame(kMsg1)), c);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0], kMsg1);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_FALSE(d.in_frame());
}

TEST(Mllp, SplitByteByByte) {
  MllpDecoder d;
  Collected c;
  const std::string wire = frame(kMsg1);
  for (std::size_t i = 0; i < wire.size(); ++i) {
    collect(d.feed(wire.substr(i, 1)), c);
    if (i + 1 < wire.size()) {
      EXPECT_TRUE(c.frames.empty());
      EXPECT_TRUE(d.in_frame());
    }
  }
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0], kMsg1);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(d.stream_offset(), wire.size());
}

TEST(Mllp, TwoMessagesInOneChunkAndCrLfBetween) {
  MllpDecoder d;
  Collected c;
  collect(d.feed(frame(kMsg1) + "\r\n" + frame(kMsg2)), c);
  ASSERT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[0], kMsg1);
  EXPECT_EQ(c.frames[1], kMsg2);
  EXPECT_TRUE(c.errors.empty());
}

TEST(Mllp, GarbageBetweenFramesIsReportedAndStreamResynchronises) {
  MllpDecoder d;
  Collected c;
  const std::string first = frame(kMsg1);
  collect(d.feed(first + "junk" + frame(kMsg2)), c);
  ASSERT_EQ(c.frames.size(), 2u);
  EXPECT_EQ(c.frames[1], kMsg2);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, ErrorKind::invalid_input);
  EXPECT_NE(c.errors[0].message.find("4 byte(s) outside a frame at stream offset " +
                                     std::to_string(first.size())),
            std::string::npos)
      << c.errors[0].message;
}

TEST(Mllp, GarbageBeforeFirstFrame) {
  MllpDecoder d;
  Collected c;
  collect(d.feed("GET / HTTP/1.1"), c);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("offset 0"), std::string::npos);
  collect(d.feed(frame(kMsg1)), c);
  ASSERT_EQ(c.frames.size(), 1u);
}

TEST(Mllp, StartBlockInsideFrameDropsUnfinishedFrame) {
  MllpDecoder d;
  Collected c;
  collect(d.feed("\x0B" "partial" + frame(kMsg2)), c);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0], kMsg2);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("not ended"), std::string::npos);
}

TEST(Mllp, EndBlockWithoutCrIsAnError) {
  MllpDecoder d;
  Collected c;
  collect(d.feed("\x0B" "abc\x1CX" + frame(kMsg1)), c);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].message.find("end block at stream offset 4"), std::string::npos)
      << c.errors[0].message;
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0], kMsg1);
}

TEST(Mllp, OversizeFrameIsDroppedNotBuffered) {
  MllpDecoder d(16);
  Collected c;
  collect(d.feed("\x0B" + std::string(10, 'a')), c);
  EXPECT_TRUE(c.errors.empty());
  collect(d.feed(std::string(100, 'b')), c);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, ErrorKind::too_large);
  EXPECT_LE(d.buffered(), 16u);
  collect(d.feed(std::string(1000, 'c') + "\x1C\x0D"), c);
  EXPECT_EQ(c.errors.size(), 1u);  // the rest of the oversized frame is skipped quietly
  EXPECT_TRUE(c.frames.empty());
  collect(d.feed(frame("short")), c);
  ASSERT_EQ(c.frames.size(), 1u);
  EXPECT_EQ(c.frames[0], "short");
  // Exactly at the limit is accepted.
  collect(d.feed(frame(std::string(16, 'x'))), c);
  ASSERT_EQ(c.frames.size(), 2u);
}

TEST(Mllp, DefaultLimitIsOneMebibyte) {
  MllpDecoder d;
  Collected c;
  collect(d.feed(frame(std::string(kDefaultMaxFrame, 'x'))), c);
  EXPECT_EQ(c.frames.size(), 1u);
  collect(d.feed(frame(std::string(kDefaultMaxFrame + 1, 'x'))), c);
  EXPECT_EQ(c.frames.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, ErrorKind::too_large);
}

}  // namespace
}  // namespace kaiku::channels::hl7
