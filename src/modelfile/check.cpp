#include "modelfile/check.hpp"

#include "modelfile/loader.hpp"

namespace kaiku::modelfile {

int check_model_command(const std::filesystem::path& path, std::ostream& out, std::ostream& err) {
  LoadResult r = load_model(path);
  if (!r) {
    for (const Diagnostic& d : r.error()) err << format(d) << '\n';
    const std::size_t n = r.error().size();
    err << n << (n == 1 ? " problem" : " problems") << " found in " << path.string() << '\n';
    return 1;
  }
  const domain::Model& m = *r;
  std::size_t questions = 0;
  for (const auto& s : m.surveys) questions += s.questions.size();
  out << path.string() << ": OK: county '" << m.county_id << "', version " << m.version << ", "
      << m.units.size() << " units, " << m.journeys.size() << " journeys, " << m.touchpoints.size()
      << " touchpoints, " << m.surveys.size() << " surveys (" << questions << " questions), "
      << m.targets.size() << " targets";
  std::size_t sms = 0, reply = 0;
  for (const auto& t : m.touchpoints) {
    if (!t.has_channel(domain::Channel::sms)) continue;
    ++sms;
    reply += t.sms.mode == domain::TouchpointSms::Mode::reply;
  }
  if (sms > 0 || m.outreach.enabled) {
    out << ", SMS outreach " << (m.outreach.enabled ? "on" : "off") << " (" << sms << " SMS touchpoints, "
        << reply << " in reply mode)";
  }
  if (!m.themes.empty()) out << ", " << m.themes.size() << (m.themes.size() == 1 ? " theme" : " themes");
  out << '\n';
  return 0;
}

}  // namespace kaiku::modelfile
