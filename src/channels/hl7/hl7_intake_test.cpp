// Hl7Intake and MllpListener against the real outreach service, a real SQLite store
// in a temporary directory and the demo model; the listener over real TCP.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "channels/hl7/hl7_intake.hpp"
#include "channels/hl7/message.hpp"
#include "channels/hl7/mllp.hpp"
#include "channels/hl7/mllp_listener.hpp"
#include "modelfile/loader.hpp"
#include "security/sealer.hpp"
#include "service/outreach_service.hpp"
#include "storage/outreach_store.hpp"
#include "storage/sqlite_store.hpp"

namespace kaiku::channels::hl7 {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A unit code of the demo model (models/demo/org.yaml: tk-merikaupunki).
constexpr const char* kDemoUnitCode = "1.2.246.10.99887766.10.11";

fs::path source_dir() {
  if (const char* env = std::getenv("KAIKU_SOURCE_DIR")) return env;
#ifdef KAIKU_SOURCE_DIR
  return KAIKU_SOURCE_DIR;
#else
  return ".";
#endif
}

// An ADT message of `type^trigger` with control id `id` at unit code `code`.
std::string adt(const std::string& id, const std::string& code, const std::string& trigger = "A03",
                const std::string& type = "ADT") {
  std::string pv1 = "PV1|1|O|" + code + "^^^";
  for (int f = 4; f <= 18; ++f) pv1 += "|";
  pv1 += "|VISIT-" + id;
  for (int f = 20; f <= 44; ++f) pv1 += "|";
  pv1 += "20261124090000|20261124094500";
  return "MSH|^~\\&|LIFECARE|KSSHP|KAIKU|KAIKU|20261124094600||" + type + "^" + trigger + "|" + id +
         "|P|2.5\rEVN|" + trigger + "|20261124094600\r"
         "PID|1||010180-900P^^^^SS||Testi^Potilas||19800101|F|||||^PRN^CP^^^^^^^^^+358401234567||fi\r" +
         pv1 + "\r";
}

struct IntakeFixture : ::testing::Test {
  fs::path dir;
  ManualClock clock{TimePoint(std::chrono::sys_days{std::chrono::year{2026} / 11 / 24}) + std::chrono::hours(10)};
  SeededRandom random{42};
  domain::Model model;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<security::Sealer> sealer;
  std::unique_ptr<service::OutreachService> outreach;
  std::unique_ptr<Hl7Intake> intake;

  void SetUp() override {
    char tmpl[] = "/tmp/kaiku-hl7-intake-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
    auto loaded = modelfile::load_model((source_dir() / "models" / "demo").string());
    ASSERT_TRUE(loaded) << "the demo model must load";
    model = std::move(*loaded);
    auto opened = storage::open_sqlite_store(dir, clock);
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::move(*opened);
    security::SecretKey key{};
    key.fill(7);
    sealer = std::make_unique<security::Sealer>(key);
    service::OutreachOptions options;
    options.base_url = "https://palaute.example.fi";
    outreach = std::make_unique<service::OutreachService>(model, *store, *sealer, clock, random, nullptr, options);
    intake = std::make_unique<Hl7Intake>(*outreach, clock, random);
  }
  void TearDown() override {
    intake.reset();
    outreach.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::vector<storage::EventRecord> events() {
    storage::EventQuery q;
    q.units = model.subtree(model.county_id);
    q.include_unmapped = true;
    q.limit = 1000;
    auto listed = store->outreach().list_events(q);
    EXPECT_TRUE(listed);
    return listed ? *listed : std::vector<storage::EventRecord>{};
  }
};

// MSA-1 and MSA-2 of an ACK payload.
std::pair<std::string, std::string> msa(const std::string& ack) {
  auto parsed = parse_message(ack);
  EXPECT_TRUE(parsed) << ack;
  if (!parsed) return {};
  return {parsed->field("MSA", 1), parsed->field("MSA", 2)};
}

TEST_F(IntakeFixture, AcceptedVisitIsRecordedAsScheduledAndAcknowledgedAA) {
  auto acks = intake->handle({adt("M1", kDemoUnitCode)});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(msa(acks[0]), std::make_pair(std::string("AA"), std::string("M1")));
  auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].decision, domain::Decision::scheduled);
  EXPECT_EQ(recorded[0].source, domain::EventSource::mllp);
  EXPECT_EQ(recorded[0].sender, "LIFECARE^KSSHP");
  EXPECT_EQ(recorded[0].message_id, "M1");
}

TEST_F(IntakeFixture, BatchIsAnsweredInOrderAndDuplicatesAreAcknowledged) {
  auto acks = intake->handle({adt("A", kDemoUnitCode), adt("B", "NO-SUCH-UNIT"), adt("A", kDemoUnitCode)});
  ASSERT_EQ(acks.size(), 3u);
  EXPECT_EQ(msa(acks[0]).second, "A");
  EXPECT_EQ(msa(acks[1]).second, "B");
  EXPECT_EQ(msa(acks[2]).second, "A");
  for (const auto& a : acks) EXPECT_EQ(msa(a).first, "AA");
  auto recorded = events();
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[1].decision, domain::Decision::unmapped);
  EXPECT_EQ(recorded[2].decision, domain::Decision::duplicate);
  EXPECT_EQ(recorded[2].duplicate_of, recorded[0].id);
  EXPECT_EQ(intake->stats().accepted, 3u);
}

TEST_F(IntakeFixture, UnparseableMessageIsRejectedARAndRecorded) {
  auto acks = intake->handle({std::string("this is not HL7")});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(msa(acks[0]).first, "AR");
  auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].decision, domain::Decision::rejected);
  ASSERT_EQ(recorded[0].reasons.size(), 1u);
  EXPECT_EQ(recorded[0].reasons[0], domain::Reason::unreadable);
  EXPECT_NE(recorded[0].detail.find("MSH"), std::string::npos) << recorded[0].detail;
}

TEST_F(IntakeFixture, UnsupportedEventIsAcknowledgedAndRecordedAsRejected) {
  auto acks = intake->handle({adt("P1", kDemoUnitCode, "A28")});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(msa(acks[0]).first, "AA") << "an AR would stall a shared ADT feed";
  auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].decision, domain::Decision::rejected);
  ASSERT_EQ(recorded[0].reasons.size(), 1u);
  EXPECT_EQ(recorded[0].reasons[0], domain::Reason::unsupported_event);
  EXPECT_EQ(recorded[0].message_id, "P1");
}

TEST_F(IntakeFixture, OversizedFrameGetsARButStrayBytesGetNoAnswer) {
  std::vector<Result<std::string>> frames;
  frames.push_back(fail(Error{ErrorKind::too_large, "MLLP byte 0: frame larger than 1048576 bytes"}));
  frames.push_back(fail(Error::invalid("MLLP byte 99: 3 bytes outside a frame")));
  auto acks = intake->handle(frames);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(msa(acks[0]).first, "AR");
  EXPECT_EQ(events().size(), 1u);  // the oversized frame is recorded as rejected, the stray bytes are not
}

TEST_F(IntakeFixture, NoPersonalDataInTheRecordedEvent) {
  intake->handle({adt("M9", kDemoUnitCode)});
  for (const auto& e : events()) {
    for (const std::string* field : {&e.sender, &e.message_id, &e.visit_key, &e.detail, &e.dedup_key}) {
      EXPECT_EQ(field->find("010180"), std::string::npos);
      EXPECT_EQ(field->find("401234567"), std::string::npos);
      EXPECT_EQ(field->find("VISIT-M9"), std::string::npos) << "the visit id is kept only as a keyed hash";
    }
  }
}

// Reads framed ACKs from `s` until `count` arrived.
std::vector<std::string> read_acks(tcp::socket& s, std::size_t count) {
  MllpDecoder decoder;
  std::vector<std::string> out;
  std::string buf(4096, '\0');
  while (out.size() < count) {
    boost::system::error_code ec;
    const std::size_t n = s.read_some(asio::buffer(buf), ec);
    if (ec) break;
    for (auto& f : decoder.feed(std::string_view(buf.data(), n))) {
      if (f) out.push_back(*f);
    }
  }
  return out;
}

TEST_F(IntakeFixture, ListenerAnswersPipelinedFramesInOrderOverTcp) {
  MllpOptions options;
  options.port = 0;
  MllpListener listener(options, *intake);
  auto port = listener.start();
  ASSERT_TRUE(port) << port.error().message;
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), *port));
  std::string out;
  for (int i = 0; i < 5; ++i) out += frame(adt("P" + std::to_string(i), kDemoUnitCode));
  // Split the bytes awkwardly: the decoder must cope with any chunking.
  asio::write(s, asio::buffer(out.substr(0, 7)));
  asio::write(s, asio::buffer(out.substr(7)));
  auto acks = read_acks(s, 5);
  ASSERT_EQ(acks.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(msa(acks[static_cast<std::size_t>(i)]), std::make_pair(std::string("AA"), "P" + std::to_string(i)));
  }
  EXPECT_EQ(events().size(), 5u);
  listener.stop();  // with the client still connected: must return
}

TEST_F(IntakeFixture, ListenerRefusesConnectionsBeyondTheLimit) {
  MllpOptions options;
  options.port = 0;
  options.max_connections = 1;
  MllpListener listener(options, *intake);
  auto port = listener.start();
  ASSERT_TRUE(port);
  asio::io_context io;
  tcp::socket first(io), second(io);
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), *port);
  first.connect(ep);
  asio::write(first, asio::buffer(frame(adt("F1", kDemoUnitCode))));
  ASSERT_EQ(read_acks(first, 1).size(), 1u);  // the first connection is being served
  second.connect(ep);
  asio::write(second, asio::buffer(frame(adt("F2", kDemoUnitCode))));
  EXPECT_TRUE(read_acks(second, 1).empty()) << "the second connection is closed unanswered";
  listener.stop();
}

TEST_F(IntakeFixture, ListenerClosesAnIdleConnection) {
  MllpOptions options;
  options.port = 0;
  options.idle_timeout = std::chrono::seconds(1);
  MllpListener listener(options, *intake);
  auto port = listener.start();
  ASSERT_TRUE(port);
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), *port));
  asio::write(s, asio::buffer(std::string("\x0bMSH|^~\\&|half a frame")));  // and then silence
  std::string buf(64, '\0');
  boost::system::error_code ec;
  s.read_some(asio::buffer(buf), ec);  // returns only when the server closes the connection
  EXPECT_EQ(ec, asio::error::eof);
  listener.stop();
}

TEST_F(IntakeFixture, ListenerCannotBindAPortInUse) {
  asio::io_context io;
  tcp::acceptor holder(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const unsigned short taken = holder.local_endpoint().port();
  MllpOptions options;
  options.port = taken;
  MllpListener listener(options, *intake);
  auto started = listener.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().kind, ErrorKind::unavailable);
  EXPECT_NE(started.error().message.find(std::to_string(taken)), std::string::npos);
}

}  // namespace
}  // namespace kaiku::channels::hl7
