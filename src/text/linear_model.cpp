// Linear models: AdaGrad training on the log loss, prediction, the model file.
#include "text/linear_model.hpp"

#include <algorithm>
#include <cmath>
#include <charconv>
#include <system_error>
#include <map>
#include <unordered_map>

#include "text/data_lines.hpp"

namespace kaiku::text {
namespace {

// Larger weights in a model file are rejected: sums of them could overflow to inf.
constexpr double kMaxWeight = 1e6;

// Turns raw scores into probabilities in place (softmax).
void normalise(std::vector<double>& z) {
  double top = *std::max_element(z.begin(), z.end()), sum = 0;
  for (double& v : z) sum += (v = std::exp(v - top));
  for (double& v : z) v /= sum;
}

// splitmix64: the same sequence on every platform.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

}  // namespace

struct LinearModel::Impl {
  std::vector<std::string> outputs;
  std::unordered_map<std::string, std::vector<double>> weights;  // per feature, one per output
};

LinearModel::LinearModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LinearModel::~LinearModel() = default;
const std::vector<std::string>& LinearModel::outputs() const { return impl_->outputs; }
std::size_t LinearModel::feature_count() const { return impl_->weights.size(); }

std::vector<double> LinearModel::probabilities(const Features& features) const {
  std::vector<double> z(impl_->outputs.size(), 0.0);
  for (const auto& [name, value] : features.values) {
    auto it = impl_->weights.find(name);
    if (it == impl_->weights.end()) continue;
    for (std::size_t c = 0; c < z.size(); ++c) z[c] += value * it->second[c];
  }
  normalise(z);
  return z;
}

std::size_t LinearModel::best(const Features& features) const {
  auto p = probabilities(features);
  return static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
}

Result<std::unique_ptr<LinearModel>> LinearModel::train(const std::vector<LinearExample>& examples,
                                                       std::vector<std::string> outputs,
                                                       const LinearTrainingOptions& options) {
  const std::size_t k = outputs.size();
  if (examples.empty()) return fail(Error::invalid("training: no examples"));
  if (k == 0) return fail(Error::invalid("training: no outputs"));
  for (const auto& e : examples)
    if (e.label >= k)
      return fail(Error::invalid("training: label " + std::to_string(e.label) + " of " + std::to_string(k) +
                                 " outputs"));
  // Features seen in at least min_count comments, numbered in name order.
  std::map<std::string, int> seen;
  for (const auto& e : examples)
    for (const auto& [name, value] : e.features.values) ++seen[name];
  std::unordered_map<std::string, int> index;
  std::vector<std::string> names;
  for (const auto& [name, count] : seen) {
    if (count < options.min_count && name != "bias") continue;
    // Names the model file cannot carry (see to_tsv) are not learned.
    if (name.empty() || name[0] == '#' || name[0] == '@' || name.find_first_of("\t\r\n") != std::string::npos)
      continue;
    index.emplace(name, static_cast<int>(names.size()));
    names.push_back(name);
  }
  std::vector<std::vector<std::pair<int, double>>> rows;
  std::vector<double> present(k, 0.0);
  for (const auto& e : examples) {
    auto& row = rows.emplace_back();
    for (const auto& [name, value] : e.features.values)
      if (auto it = index.find(name); it != index.end()) row.emplace_back(it->second, value);
    present[e.label] += 1;
  }
  // The weight of an example by its label.
  const double n = static_cast<double>(examples.size());
  std::vector<double> weight(k, 1.0);
  if (options.balance_classes)
    for (std::size_t c = 0; c < k; ++c)
      if (present[c] > 0) weight[c] = n / (static_cast<double>(k) * present[c]);

  std::vector<std::vector<double>> w(names.size(), std::vector<double>(k, 0.0));
  std::vector<std::vector<double>> g2(names.size(), std::vector<double>(k, 0.0));
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  SplitMix random{options.seed};
  std::vector<double> z(k), err(k);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.next() % i]);
    for (std::size_t r : order) {
      std::fill(z.begin(), z.end(), 0.0);
      for (const auto& [f, x] : rows[r])
        for (std::size_t c = 0; c < k; ++c) z[c] += x * w[f][c];
      normalise(z);
      const std::size_t gold = examples[r].label;
      for (std::size_t c = 0; c < k; ++c) err[c] = weight[gold] * (z[c] - (c == gold ? 1.0 : 0.0));
      for (const auto& [f, x] : rows[r]) {
        for (std::size_t c = 0; c < k; ++c) {
          double grad = err[c] * x + options.l2 * w[f][c];
          g2[f][c] += grad * grad;
          w[f][c] -= options.learning_rate * grad / (std::sqrt(g2[f][c]) + 1e-8);
        }
      }
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->outputs = std::move(outputs);
  for (std::size_t f = 0; f < names.size(); ++f) impl->weights.emplace(names[f], std::move(w[f]));
  return std::unique_ptr<LinearModel>(new LinearModel(std::move(impl)));
}

std::string LinearModel::to_tsv(const std::vector<std::string>& header) const {
  std::string out;
  for (const std::string& h : header) out += "# " + h + "\n";
  out += "@outputs";
  for (const std::string& o : impl_->outputs) out += "\t" + o;
  out += "\n";
  std::vector<const std::pair<const std::string, std::vector<double>>*> sorted;
  for (const auto& entry : impl_->weights) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  char buffer[400];  // a double in fixed notation is at most ~330 characters
  for (const auto* entry : sorted) {
    std::string line = entry->first;
    bool any = false;
    for (double v : entry->second) {
      double rounded = std::round(v * 10000.0) / 10000.0;
      if (rounded == 0) rounded = 0;  // no "-0.0000"
      any = any || rounded != 0;
      // to_chars: the same text whatever the process locale.
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, rounded, std::chars_format::fixed, 4);
      line += '\t';
      line.append(buffer, ec == std::errc() ? end : buffer);
    }
    if (any) out += line + "\n";
  }
  return out;
}

Result<std::unique_ptr<LinearModel>> LinearModel::parse(std::string_view tsv, std::string_view name) {
  auto impl = std::make_unique<Impl>();
  bool have_outputs = false;
  Status st = detail::for_each_data_line(tsv, [&](int no, const std::vector<std::string_view>& fields) -> Status {
    auto where = [&](const std::string& what) {
      return fail(Error::invalid(std::string(name) + ":" + std::to_string(no) + ": " + what));
    };
    if (fields[0] == "@outputs") {
      if (have_outputs || fields.size() < 2) return where("expected one \"@outputs<TAB>name…\" line with a name");
      for (std::size_t i = 1; i < fields.size(); ++i) impl->outputs.emplace_back(fields[i]);
      have_outputs = true;
      return {};
    }
    if (!have_outputs) return where("a weight line before the @outputs line");
    const std::size_t k = impl->outputs.size();
    if (fields.size() != 1 + k)
      return where("expected a feature and " + std::to_string(k) + " weights, found " +
                   std::to_string(fields.size()) + " fields");
    if (fields[0].empty()) return where("empty feature name");
    std::vector<double> w(k);
    for (std::size_t c = 0; c < k; ++c) {
      std::string_view text = fields[1 + c];
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), w[c]);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(w[c]))
        return where("weight " + std::to_string(c + 1) + ": \"" + std::string(text) + "\" is not a number");
      if (std::abs(w[c]) > kMaxWeight)
        return where("weight " + std::to_string(c + 1) + ": " + std::string(text) + " is out of range (|w| <= 1e6)");
    }
    if (!impl->weights.emplace(std::string(fields[0]), std::move(w)).second)
      return where("feature \"" + std::string(fields[0]) + "\" appears twice");
    return {};
  });
  if (!st) return fail(st.error());
  if (!have_outputs) return fail(Error::invalid(std::string(name) + ": no @outputs line"));
  return std::unique_ptr<LinearModel>(new LinearModel(std::move(impl)));
}

}  // namespace kaiku::text
