#include "apps/text_train_command.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/text_tools.hpp"
#include "text/evaluation.hpp"
#include "text/sentiment_model.hpp"

namespace kaiku::apps {
namespace {

constexpr const char* kCommand = "kaiku text train-sentiment";

struct TrainArgs {
  std::vector<std::string> files;
  std::string model = "models/demo";
  std::string out;
  std::string check;
  int folds = 0;
  text::LinearTrainingOptions options;
};

// One labelled comment as the model sees it.
struct Row {
  text::Features features;
  domain::Sentiment sentiment;
  domain::Sentiment rules;  // the lexicon rules' label (for comparison)
};

// The lexicon rules' label, as the features carry it ("rules=negative"): no second
// analysis of the comment.
domain::Sentiment rules_label(const text::Features& features) {
  for (const auto& [name, value] : features.values)
    if (name.rfind("rules=", 0) == 0)
      if (auto s = domain::parse_sentiment(std::string_view(name).substr(6))) return *s;
  return domain::Sentiment::neutral;
}

std::string options_text(const text::LinearTrainingOptions& o) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "--epochs %d --rate %g --l2 %g --min-count %d --seed %llu%s", o.epochs,
                o.learning_rate, o.l2, o.min_count, static_cast<unsigned long long>(o.seed),
                o.balance_classes ? "" : " --unbalanced");
  return buf;
}

std::unique_ptr<text::SentimentModel> train_sentiment(const std::vector<const Row*>& rows,
                                                      const text::LinearTrainingOptions& options) {
  std::vector<std::pair<text::Features, domain::Sentiment>> data;
  for (const Row* r : rows) data.emplace_back(r->features, r->sentiment);
  auto model = text::SentimentModel::train(data, options);
  return model ? std::move(*model) : nullptr;
}

// K-fold cross-validation: macro-F1 of the lexicon rules and of models trained on the
// other folds.
void cross_validate(const std::vector<Row>& rows, int folds, const text::LinearTrainingOptions& options) {
  text::SentimentConfusion learned{}, rules{};
  for (int k = 0; k < folds; ++k) {
    std::vector<const Row*> train;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (static_cast<int>(i % folds) != k) train.push_back(&rows[i]);
    auto model = train_sentiment(train, options);
    for (std::size_t i = k; i < rows.size(); i += folds) {
      auto gold = static_cast<int>(rows[i].sentiment);
      if (model) ++learned[gold][static_cast<int>(model->predict(rows[i].features))];
      ++rules[gold][static_cast<int>(rows[i].rules)];
    }
  }
  std::printf("cross-validation (%d folds, %zu comments): rules macro-F1 %.3f, learned macro-F1 %.3f\n", folds,
              rows.size(), text::macro_f1(rules), text::macro_f1(learned));
}

// Where two model files differ, or "" when they agree: the same lines, and in each the
// same fields, of which numbers may differ by rounding (2e-4: a weight on the edge of
// the 4th decimal may round the other way where exp/log differ in their last bit).
std::string first_difference(std::string_view shipped, std::string_view trained) {
  auto lines = [](std::string_view t) {
    std::vector<std::string_view> out;
    while (!t.empty()) {
      std::size_t end = t.find('\n');
      out.push_back(t.substr(0, end));
      t.remove_prefix(end == std::string_view::npos ? t.size() : end + 1);
    }
    return out;
  };
  auto fields = [](std::string_view line) {
    std::vector<std::string_view> out;
    for (std::size_t from = 0;;) {
      std::size_t tab = line.find('\t', from);
      out.push_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
      if (tab == std::string_view::npos) return out;
      from = tab + 1;
    }
  };
  auto a = lines(shipped), b = lines(trained);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    std::string where = "line " + std::to_string(i + 1);
    if (i >= a.size() || i >= b.size()) return where + ": one file ends here";
    if (a[i] == b[i]) continue;
    auto fa = fields(a[i]), fb = fields(b[i]);
    if (fa.size() != fb.size() || fa[0] != fb[0]) return where + ": \"" + std::string(a[i].substr(0, 60)) + "\"";
    for (std::size_t k = 1; k < fa.size(); ++k) {
      double x = 0, y = 0;
      auto rx = std::from_chars(fa[k].data(), fa[k].data() + fa[k].size(), x);
      auto ry = std::from_chars(fb[k].data(), fb[k].data() + fb[k].size(), y);
      if (fa[k] != fb[k] && (rx.ec != std::errc() || ry.ec != std::errc() || std::abs(x - y) > 2e-4))
        return where + " (" + std::string(fa[0]) + "): " + std::string(fa[k]) + " against " + std::string(fb[k]);
    }
  }
  return "";
}

// Writes `content` to `path`, or compares it with the file there (`check`).
int write_or_check(const std::string& path, const std::string& content, bool check) {
  if (check) {
    auto shipped = read_text_file(path);
    if (!shipped) {
      std::cerr << kCommand << ": cannot read " << path << "\n";
      return 2;
    }
    if (std::string diff = first_difference(*shipped, content); !diff.empty()) {
      std::cerr << kCommand << ": " << path << " is not what these files train (" << diff
                << "). Retrain with the command in its header, with the same files in the same order; "
                   "a different voikko-fi dictionary also changes the features\n";
      return 3;
    }
    std::printf("%s is what these files train\n", path.c_str());
    return 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.flush()) {
    std::cerr << kCommand << ": cannot write " << path << "\n";
    return 2;
  }
  std::printf("wrote %s\n", path.c_str());
  return 0;
}

int run_train(const TrainArgs& args) {
  // Features come from the lexicon rules, never from an earlier model.
  auto tools = open_text_tools(args.model, false, kCommand, std::cerr,
                               text::AnalyzerOptions{.learned_sentiment = false});
  if (!tools) return 2;
  if (!tools->voikko) {
    std::cerr << kCommand << ": the features are Voikko's lemmas; install voikko-fi (a model trained without it "
                             "would not be the shipped one)\n";
    return 2;
  }
  text::RedactOptions redact;
  redact.redact_staff_names = tools->settings.redact_staff_names;
  std::vector<Row> rows;
  std::vector<std::string> header{"Generated by Kaiku; do not edit. Reproduce (from the repository root):",
                                  "  build/kaiku text train-sentiment --out lexicons/sentiment_model.tsv \\"};
  for (const std::string& file : args.files) {
    auto content = read_text_file(file);
    if (!content) {
      std::cerr << kCommand << ": cannot read " << file << "\n";
      return 2;
    }
    auto items = text::parse_labelled_file(*content, file);
    if (!items) {
      std::cerr << kCommand << ": " << items.error().message << "\n";
      return 2;
    }
    std::size_t used = 0;
    for (const auto& item : *items) {
      // Of an evaluation file only the development half: the held-out half is never trained on.
      if (!text::may_train_on(item)) continue;
      text::Features features = tools->analyzer->sentiment_features(item.text, redact);
      domain::Sentiment rules = rules_label(features);
      rows.push_back(Row{std::move(features), item.sentiment, rules});
      ++used;
    }
    std::printf("%s: %zu comments\n", file.c_str(), used);
    header.push_back("    " + file + " \\");
  }
  header.push_back("    " + options_text(args.options));
  if (args.folds > 1 && rows.size() >= static_cast<std::size_t>(args.folds))
    cross_validate(rows, args.folds, args.options);

  std::vector<const Row*> all;
  for (const Row& r : rows) all.push_back(&r);
  auto model = train_sentiment(all, args.options);
  if (!model) {
    std::cerr << kCommand << ": no comments to train on\n";
    return 2;
  }
  std::printf("model: %zu features from %zu comments\n", model->feature_count(), rows.size());
  std::vector<std::string> lines{"Kaiku's learned sentiment model: multinomial logistic regression over the lexicon",
                                 "rules' evidence, lemmas/stems (n: negated, c: after a contrast word), word pairs",
                                 "and punctuation (docs/text.md, Learned sentiment).",
                                 "Trained on " + std::to_string(rows.size()) + " comments."};
  lines.insert(lines.end(), header.begin(), header.end());
  const std::string tsv = model->to_tsv(lines);
  int code = 0;
  if (!args.check.empty()) code = write_or_check(args.check, tsv, true);
  if (code == 0 && !args.out.empty()) code = write_or_check(args.out, tsv, false);
  std::fflush(stdout);
  return code;
}

}  // namespace

void add_text_train_command(CLI::App& app, int& exit_code) {
  CLI::App* text = app.get_subcommand("text");
  auto args = std::make_shared<TrainArgs>();
  CLI::App* train = text->add_subcommand(
      "train-sentiment",
      "Train the learned sentiment model from hand-labelled comments: training files (id, lang, sentiment[, "
      "themes], text) and evaluation files, of which only the development half is used (docs/text.md).");
  train->add_option("files", args->files, "Labelled comment files")->required()->check(CLI::ExistingFile);
  train->add_option("--model", args->model, "Model folder whose free-text settings are used")
      ->capture_default_str();
  train->add_option("--out", args->out, "Write the trained model here (lexicons/sentiment_model.tsv)");
  train->add_option("--check", args->check, "Exit 3 unless this model file is exactly what the files train");
  train->add_option("--cv", args->folds, "Also print K-fold cross-validated macro-F1 (rules and learned)");
  train->add_option("--epochs", args->options.epochs, "Passes over the data")->capture_default_str();
  train->add_option("--rate", args->options.learning_rate, "AdaGrad learning rate")->capture_default_str();
  train->add_option("--l2", args->options.l2, "Weight decay")->capture_default_str();
  train->add_option("--min-count", args->options.min_count, "Drop features seen in fewer comments")
      ->capture_default_str();
  train->add_option("--seed", args->options.seed, "Order of the comments in each pass")->capture_default_str();
  train->add_flag("--unbalanced", [args](std::int64_t) { args->options.balance_classes = false; },
                  "Do not weight classes by their frequency");
  train->callback([args, &exit_code] {
    try {
      exit_code = run_train(*args);
    } catch (const std::exception& e) {
      std::cerr << kCommand << ": " << e.what() << "\n";
      exit_code = 2;
    }
  });
}

}  // namespace kaiku::apps
