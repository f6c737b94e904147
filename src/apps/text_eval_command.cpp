#include "apps/text_eval_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/text_tools.hpp"
#include "text/evaluation.hpp"

namespace kaiku::apps {
namespace {

struct EvalArgs {
  std::vector<std::string> files;
  std::string model = "models/demo";
  bool errors = false;
  bool rules_only = false;
  std::string sentiment_model;

  std::string half = "all";
  double min_pii_recall = 0, min_name_recall = 0, min_sentiment_f1 = 0, min_theme_f1 = 0,
         min_language_accuracy = 0, min_suggestion_f1 = 0;
};

int run_eval(const EvalArgs& args) {
  text::AnalyzerOptions analyzer_options{.learned_sentiment = !args.rules_only};
  if (!args.sentiment_model.empty()) {
    auto content = read_text_file(args.sentiment_model);
    if (!content) {
      std::cerr << "kaiku text eval: cannot read " << args.sentiment_model << "\n";
      return 2;
    }
    analyzer_options.sentiment_model_tsv = std::move(*content);
    analyzer_options.sentiment_model_name = args.sentiment_model;
  }
  auto tools = open_text_tools(args.model, false, "kaiku text eval", std::cerr, std::move(analyzer_options));
  if (!tools) return 2;
  const text::Analyzer& analyzer = *tools->analyzer;
  text::RedactOptions options;
  options.redact_staff_names = tools->settings.redact_staff_names;
  text::EvaluationScores total;
  for (const std::string& file : args.files) {
    auto content = read_text_file(file);
    if (!content) {
      std::cerr << "kaiku text eval: cannot read " << file << "\n";
      return 2;
    }
    auto items = text::parse_labelled_file(*content, file);
    if (!items) {
      std::cerr << "kaiku text eval: " << items.error().message << "\n";
      return 2;
    }
    text::EvaluationScores scores;
    for (const auto& item : *items) {
      if (args.half != "all" && text::in_development_half(item.id) != (args.half == "dev")) continue;
      scores.add(item, analyzer.analyze(item.text, options));
    }
    total.combine(scores);
    if (args.files.size() > 1) {
      std::printf("%s: %lld comments, sentiment macro-F1 %.3f, theme micro-F1 %.3f, name recall %.3f\n",
                  file.c_str(), static_cast<long long>(scores.comments()), scores.sentiment_macro_f1(),
                  scores.theme_micro().f1(), scores.name_recall());
    }
  }
  std::cout << total.report(args.errors);
  std::printf("SCORES comments=%lld pii_recall=%.3f name_recall=%.3f language_accuracy=%.3f "
              "sentiment_macro_f1=%.3f theme_micro_f1=%.3f suggestion_f1=%.3f\n",
              static_cast<long long>(total.comments()), total.pii_recall(), total.name_recall(),
              total.language_accuracy(), total.sentiment_macro_f1(), total.theme_micro().f1(),
              total.suggestions().f1());
  std::fflush(stdout);
  int code = 0;
  auto floor = [&](const char* name, double value, double min) {
    if (value + 1e-12 < min) {
      std::cerr << "kaiku text eval: " << name << " " << value << " is below the floor " << min << "\n";
      code = 3;
    }
  };
  floor("pii_recall", total.pii_recall(), args.min_pii_recall);
  floor("name_recall", total.name_recall(), args.min_name_recall);
  floor("sentiment_macro_f1", total.sentiment_macro_f1(), args.min_sentiment_f1);
  floor("theme_micro_f1", total.theme_micro().f1(), args.min_theme_f1);
  floor("language_accuracy", total.language_accuracy(), args.min_language_accuracy);
  floor("suggestion_f1", total.suggestions().f1(), args.min_suggestion_f1);
  return code;
}

}  // namespace

void add_text_eval_command(CLI::App& app, int& exit_code) {
  CLI::App* text = app.get_subcommand("text");
  auto args = std::make_shared<EvalArgs>();
  CLI::App* eval = text->add_subcommand(
      "eval",
      "Score the analysis (redaction, language, sentiment, themes, suggestions) against hand-labelled "
      "comments: tab-separated files with the header id, lang, sentiment, themes, suggestion, text, "
      "redacted (docs/text.md, Evaluation), or training files (id, lang, sentiment[, themes], text: "
      "sentiment, language and themes only).");
  eval->add_option("files", args->files, "Labelled evaluation files")->required()->check(CLI::ExistingFile);
  eval->add_option("--model", args->model, "Model file or folder whose theme taxonomy is used")->capture_default_str();
  CLI::Option* model_file =
      eval->add_option("--sentiment-model", args->sentiment_model,
                       "A learned sentiment model file (kaiku text train-sentiment --out) instead of the built-in one")
          ->check(CLI::ExistingFile);
  eval->add_flag("--rules-only", args->rules_only,
                 "Sentiment from the lexicon rules alone, without the learned model (for comparison)")
      ->excludes(model_file);
  eval->add_flag("--errors", args->errors, "List every comment where the analysis differs from the labels");
  eval->add_option("--half", args->half,
                   "all, dev (ids ending in an odd digit: may be looked at while tuning) or held-out (even: only scored)")
      ->check(CLI::IsMember({"all", "dev", "held-out"}))
      ->capture_default_str();
  eval->add_option("--min-pii-recall", args->min_pii_recall, "Exit 3 when recall of hetu+phone+email is lower");
  eval->add_option("--min-name-recall", args->min_name_recall, "Exit 3 when name recall is lower");
  eval->add_option("--min-sentiment-f1", args->min_sentiment_f1, "Exit 3 when sentiment macro-F1 is lower");
  eval->add_option("--min-theme-f1", args->min_theme_f1, "Exit 3 when theme micro-F1 is lower");
  eval->add_option("--min-language-accuracy", args->min_language_accuracy, "Exit 3 when language accuracy is lower");
  eval->add_option("--min-suggestion-f1", args->min_suggestion_f1, "Exit 3 when suggestion F1 is lower");
  eval->callback([args, &exit_code] {
    try {
      exit_code = run_eval(*args);
    } catch (const std::exception& e) {
      std::cerr << "kaiku text eval: " << e.what() << "\n";
      exit_code = 2;
    }
  });
}

}  // namespace kaiku::apps
