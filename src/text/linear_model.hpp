// A linear model over named, sparse features with several outputs of which exactly one
// is right (multinomial logistic regression: softmax), trained by AdaGrad on the log
// loss. The learned sentiment (sentiment_model.hpp) is built on it; kept apart from it
// so that other labels can be learned the same way. Pure: no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace kaiku::text {

// Named feature values of one comment; names are unique, order is not significant.
struct Features {
  std::vector<std::pair<std::string, double>> values;
};

struct LinearTrainingOptions {
  int epochs = 30;
  double learning_rate = 0.05;  // AdaGrad base rate
  double l2 = 2e-4;             // per-update weight decay on the active features
  int min_count = 2;            // a feature seen in fewer training comments is dropped
  bool balance_classes = true;  // weight each output's examples by n / (outputs × n_output)
  std::uint64_t seed = 20261125;  // order of the examples in each epoch
};

// One training example: its features and the index of its right output.
struct LinearExample {
  Features features;
  std::size_t label = 0;
};

// Immutable after creation; thread-safe.
class LinearModel {
 public:
  // Output names, in column order.
  const std::vector<std::string>& outputs() const;
  // Probabilities per output (softmax: they sum to 1). Unknown feature names count
  // nothing.
  std::vector<double> probabilities(const Features& features) const;
  // The index of the most probable output.
  std::size_t best(const Features& features) const;

  // Trains on `examples`. Deterministic for the same options. Error::invalid when there
  // are no examples or no outputs, or a label is not an output's index.
  static Result<std::unique_ptr<LinearModel>> train(const std::vector<LinearExample>& examples,
                                                    std::vector<std::string> outputs,
                                                    const LinearTrainingOptions& options);

  // The model as text: `header` lines (each written after "# "), then the line
  // "@outputs<TAB>name<TAB>name…", then
  // "feature<TAB>weight<TAB>weight…" per feature sorted by name, weights with 4
  // decimals (locale-independent); features whose weights all round to 0 are left out.
  // Feature names must not contain a tab or a line break, nor start with '#' or '@'.
  std::string to_tsv(const std::vector<std::string>& header) const;
  // Parses to_tsv()'s format. Errors (Error::invalid): "<name>:<line>: <what>" (also
  // for a weight that is not a finite number of at most 1e6 in magnitude).
  static Result<std::unique_ptr<LinearModel>> parse(std::string_view tsv, std::string_view name);

  std::size_t feature_count() const;
  ~LinearModel();

 private:
  struct Impl;
  explicit LinearModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kaiku::text
