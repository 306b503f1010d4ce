// ch06_cbow — word2vec's CBOW trained by the Trainer; its two context layers share one matrix W_in.
//
// The model guesses each word from the word before and the word after it. Both context words go
// through the SAME matrix W_in (V, H), so its gradient is the sum of two layers' gradients:
// model.params() lists W_in twice and the Trainer's remove_duplicates adds the two up before Adam
// steps. After training, row w of W_in is a vector for word w; words that occur between the same
// neighbours end up pointing the same way, which cosine similarity measures.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "scratch.hpp"

using namespace scratch;

namespace {

// The words of each kind in kSimpleSentences, to measure how well the vectors group them.
const std::map<std::string, std::vector<std::string>> kKinds = {
    {"animals", {"cat", "dog", "horse", "cow", "bird"}},
    {"colours", {"red", "blue", "green", "yellow"}},
    {"numbers", {"one", "two", "three", "four", "five"}},
    {"days", {"monday", "tuesday", "wednesday", "thursday", "friday"}}};
const std::vector<std::string> kQueries = {"cat", "red", "three", "monday", "runs"};

// Trains on (contexts, target) until `epochs` are complete (or Ctrl-C / SIGTERM stops it), one
// history point per epoch (eval_interval 0), and prints a line every `report_every` epochs (the
// Trainer itself would log every epoch).
void train(Trainer& trainer, const ContextsTarget& data, int epochs, std::size_t batch_size, int report_every) {
  Timer timer;
  while (trainer.current_epoch() < epochs) {
    trainer.fit(data.contexts, data.target, std::min(report_every, epochs - trainer.current_epoch()), batch_size, 0, 0);
    if (trainer.interrupted()) break;
    std::printf("  epoch %4d | loss %.3f | %.1f s\n", trainer.current_epoch(),
                static_cast<double>(trainer.history().back().loss), timer.seconds());
  }
}

void print_neighbours(const Corpus& corpus, const Tensor& vecs, const std::vector<std::string>& queries) {
  for (const std::string& query : queries) {
    std::printf("  %-7s →", query.c_str());
    for (const Neighbour& n : most_similar(query, corpus, vecs, 5))
      std::printf("  %s %.2f", n.word.c_str(), static_cast<double>(n.similarity));
    std::printf("\n");
  }
}

// Mean cosine similarity of word pairs of the same kind and of pairs of different kinds.
void print_grouping(const Corpus& corpus, const Tensor& vecs) {
  const auto row = [&](const std::string& w) { return vecs.slice_rows(corpus.id_of(w), corpus.id_of(w) + 1); };
  double same = 0, other = 0;
  int n_same = 0, n_other = 0;
  for (const auto& [kind_a, words_a] : kKinds)
    for (const auto& [kind_b, words_b] : kKinds)
      for (const std::string& a : words_a)
        for (const std::string& b : words_b) {
          if (a >= b) continue;  // each unordered pair once
          const double s = cos_similarity(row(a), row(b));
          if (kind_a == kind_b) {
            same += s;
            ++n_same;
          } else {
            other += s;
            ++n_other;
          }
        }
  std::printf("mean cosine similarity: %.3f between words of the same kind (%d pairs), %.3f between kinds (%d pairs)\n",
              same / n_same, n_same, other / n_other, n_other);
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli(argc, argv, "Trains word2vec's SimpleCBOW (W_in shared by two context layers) with the Trainer and Adam.");
  const CommonFlags common = cli.common();
  const int epochs = cli.get("--epochs", common.quick ? 30 : 300, "epochs on the simple-sentences corpus");
  const std::size_t batch_size = cli.get<std::size_t>("--batch-size", 10, "samples per mini-batch");
  const Scalar lr = cli.get<Scalar>("--lr", Scalar(0.003), "Adam learning rate");
  const std::size_t hidden = cli.get<std::size_t>("--hidden", 10, "word vector length H");
  const bool plot_terminal = cli.flag("--plot-terminal", "also draw the loss curve in the terminal");
  const std::string checkpoint = cli.get<std::string>(
      "--checkpoint", "", "write part 2's checkpoint to this file every few epochs and when stopped");
  const bool resume = cli.flag("--resume", "continue part 2 from --checkpoint (same flags otherwise)");
  const std::size_t pairs = create_contexts_target(preprocess(kSimpleSentences), 1).target.size();
  cli.require(epochs >= 1, "--epochs", "must be at least 1");
  cli.require(batch_size >= 1 && batch_size <= pairs, "--batch-size",
              concat("must be between 1 and the ", pairs, " (contexts, target) pairs of the simple sentences"));
  cli.require(lr > 0, "--lr", "must be greater than 0");
  cli.require(hidden >= 1, "--hidden", "must be at least 1");
  cli.require(!resume || !checkpoint.empty(), "--resume", "needs --checkpoint PATH, the file to continue from");
  // The book's run on its one sentence: hidden 5, batch 3, 1000 epochs, Adam at lr 0.001.
  const int book_epochs = common.quick ? 100 : 1000;
  const std::size_t book_hidden = 5, book_batch = 3;
  if (!cli.finish()) return cli.exit_code();
  return guarded_main("ch06_cbow", [&] {
    // ---- 1. The book's corpus: 8 words, 7 distinct, 6 (contexts, target) pairs ----
    const Corpus book = preprocess(kBookSentence);
    const ContextsTarget book_data = create_contexts_target(book, 1);
    SimpleCBOW book_model(book.vocab_size(), book_hidden);
    Adam book_adam;
    Trainer book_trainer(book_model, book_adam);
    book_trainer.set_log(nullptr);
    std::cout << "=== 1. \"" << kBookSentence << "\": V = " << book.vocab_size() << ", " << book_data.target.size()
              << " pairs, H = " << book_hidden << ", batch " << book_batch << ", " << book_epochs
              << " epochs of Adam(lr 0.001)\n";
    std::printf("lowest possible loss %.3f: (say, and) → goodbye and (and, say) → i are the same bag of contexts\n",
                static_cast<double>(bag_of_contexts_entropy(book_data)));
    train(book_trainer, book_data, book_epochs, book_batch, book_epochs / 4);
    if (book_trainer.interrupted()) {
      std::cout << "stopped by " << interrupt_name(InterruptGuard::last_signal())
                << " in part 1; nothing was written\n";
      return 128 + InterruptGuard::last_signal();  // the shell's status for a program stopped by a signal
    }
    std::cout << "word vectors (rows of W_in):\n";
    for (std::size_t w = 0; w < book.vocab_size(); ++w) {
      std::printf("  %-8s", book.id_to_word[w].c_str());
      for (std::size_t k = 0; k < book_hidden; ++k)
        std::printf(" %7.3f", static_cast<double>(book_model.word_vecs()(w, k)));
      std::printf("\n");
    }
    std::cout << "nearest neighbours (words next to the same words get the same vector):\n";
    print_neighbours(book, book_model.word_vecs(), {"you", "goodbye"});

    // ---- 2. Simple sentences about animals, colours, numbers and days ----
    const Corpus corpus = preprocess(kSimpleSentences);
    const ContextsTarget data = create_contexts_target(corpus, 1);
    SimpleCBOW model(corpus.vocab_size(), hidden);
    Adam adam(lr);
    Trainer trainer(model, adam);
    trainer.set_log(nullptr);
    const int report_every = std::max(1, epochs / 6);
    if (!checkpoint.empty()) trainer.set_checkpoint(checkpoint, report_every);
    if (resume) trainer.resume(checkpoint);
    // After Ctrl-C or SIGTERM: what was stopped, how to go on, and the shell's status for it.
    const auto stopped = [&] {
      std::cout << "\nstopped by " << interrupt_name(InterruptGuard::last_signal()) << " with "
                << trainer.current_epoch() << " of " << epochs << " epochs complete; "
                << (checkpoint.empty() ? "start with --checkpoint PATH to be able to continue a stopped run\n"
                                       : "to continue:\n  " + cli.command() + (resume ? "" : " --resume") + "\n");
      return 128 + InterruptGuard::last_signal();
    };
    std::cout << "\n=== 2. Simple sentences: " << corpus.ids.size() << " words, V = " << corpus.vocab_size() << ", "
              << data.target.size() << " pairs, H = " << hidden << ", batch " << batch_size << ", " << epochs
              << " epochs of Adam(lr " << lr << ")\n";
    const Scalar floor = bag_of_contexts_entropy(data);
    std::printf(
        "the loss starts near log V = %.2f and cannot fall below %.3f, the entropy of a word given its\n"
        "two neighbours as a bag (\"the _ runs\" fits cat, dog, horse, cow and bird)\n",
        std::log(static_cast<double>(corpus.vocab_size())), static_cast<double>(floor));
    if (resume) std::cout << "resumed from " << checkpoint << " after epoch " << trainer.current_epoch() << "\n";
    std::cout << "before training:\n";
    print_grouping(corpus, model.word_vecs());
    train(trainer, data, epochs, batch_size, report_every);
    if (trainer.history().empty()) return stopped();  // stopped in the first epoch: no curve to draw
    std::cout << "after training:\n";
    print_grouping(corpus, model.word_vecs());
    std::cout << "\nnearest neighbours by cosine similarity of the rows of W_in:\n";
    print_neighbours(corpus, model.word_vecs(), kQueries);

    const TrainerStats& stats = trainer.stats();
    std::cout << "\nshared weights: model.params() reports " << stats.param_uses << " parameter uses, "
              << "remove_duplicates leaves " << stats.distinct_params << " distinct parameters.\n"
              << "  W_in is used by both context layers (2 uses) and W_out once; each layer writes its own dW_in,\n"
              << "  and by the chain rule W_in's gradient is their sum, which Adam then applies once.\n";

    PlotOptions plot;
    plot.title = concat("ch06: SimpleCBOW on the simple sentences, Adam lr ", lr);
    plot.xlabel = "iteration";
    plot.ylabel = "loss (mean over each epoch)";
    plot.echo = plot_terminal ? TerminalEcho::kYes : TerminalEcho::kNo;
    const History& history = trainer.history();
    const std::vector<double> floor_line(history.size(), static_cast<double>(floor));
    plot.x_range = Range{0, history.iterations().back()};
    plot.y_range = Range{0, std::ceil(history.losses().front())};
    const PlotResult result = plot_curves(plots_dir() / "ch06_cbow_loss.png",
                                          {Series{"train loss", history.iterations(), history.losses()},
                                           Series{"lowest possible loss", history.iterations(), floor_line}},
                                          plot);
    std::cout << "\n" << result.message << "\n";
    return trainer.interrupted() && trainer.current_epoch() < epochs ? stopped() : 0;
  });
}
